"""The entity and relation stages' word lists, loaded from ``pipeline/resources`` once per process.

The lexicon (``lexicon.tsv`` or a user's file given as a path) is the one list a user swaps: every
stage that reads names takes it from its ``lexicon`` setting, so the matcher, the alias table and
the relations' person filter all see the same names.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..resources import read_tsv


@dataclass(frozen=True, eq=False)  # compared (and hashed) by identity: there is one per process
class Lexicons:
    titles: dict[str, str]
    standalone_titles: frozenset[str]
    title_prefixes: frozenset[str]
    excluded_heads: tuple[tuple[str, tuple[str, ...]], ...]
    excluded_head_forms: tuple[str, ...]  # the heads alone, for one str.endswith test
    aliases: dict[str, str]
    not_entities: frozenset[str]
    suffixes: tuple[tuple[str, str], ...]
    suffix_labels: dict[str, str]
    suffix_lengths: tuple[int, ...]
    suffix_last_chars: frozenset[str]  # a text ending otherwise has no suffix label
    # The heads as tuples for str.endswith: one syllable long, longer, and the administrative
    # heads that chain into an address (구, 시 ...).
    one_syllable_suffixes: tuple[str, ...]
    longer_suffixes: tuple[str, ...]
    chain_suffixes: tuple[str, ...]
    event_nouns: frozenset[str]
    event_triggers: frozenset[str]
    surnames: frozenset[str]
    person_cues: frozenset[str]  # honorifics and roles next to a person's name (person_cues.tsv)
    byline_titles: frozenset[str]
    branch_words: frozenset[str]
    product_next: frozenset[str] = frozenset()  # product_cues.tsv: words after a product's name
    product_previous: frozenset[str] = frozenset()  # and before it

    def chain_suffix(self, suffix: str) -> bool:
        return suffix in self.chain_suffixes



DEFAULT_LEXICON = "lexicon.tsv"


@lru_cache(maxsize=8)
def lexicons(lexicon: str = DEFAULT_LEXICON) -> Lexicons:
    """The word lists, with the aliases of ``lexicon`` (a packaged resource name, or a user's path)."""
    titles = {r["form"]: (r.get("norm") or r["form"]) for r in read_tsv("titles.tsv")}
    standalone = frozenset(r["form"] for r in read_tsv("titles.tsv") if r.get("standalone", "yes") == "yes")
    aliases = {r["alias"]: r["norm"] for r in read_tsv("aliases.tsv")}
    for row in read_tsv(lexicon):
        if row.get("norm"):
            aliases.setdefault(row["form"], row["norm"])
    suffixes = tuple(sorted(((r["suffix"], r["label"]) for r in read_tsv("name_suffixes.tsv")),
                            key=lambda item: -len(item[0])))
    events = read_tsv("event_words.tsv")
    excluded_heads = tuple(sorted(((r["head"], tuple(x for x in (r.get("unless") or "").split("|") if x))
                                   for r in read_tsv("not_entity_heads.tsv")), key=lambda h: -len(h[0])))
    return Lexicons(
        titles=titles,
        standalone_titles=standalone,
        title_prefixes=frozenset(r["form"] for r in read_tsv("title_prefixes.tsv")),
        excluded_heads=excluded_heads,
        excluded_head_forms=tuple(head for head, _ in excluded_heads),
        aliases=aliases,
        not_entities=frozenset(r["form"] for r in read_tsv("not_entities.tsv")),
        suffixes=suffixes,
        suffix_labels=dict(suffixes),
        suffix_lengths=tuple(sorted({len(x) for x, _ in suffixes}, reverse=True)),
        suffix_last_chars=frozenset(x[-1:] for x, _ in suffixes),
        one_syllable_suffixes=tuple(x for x, _ in suffixes if len(x) == 1),
        longer_suffixes=tuple(x for x, _ in suffixes if len(x) > 1),
        chain_suffixes=tuple(r["suffix"] for r in read_tsv("name_suffixes.tsv") if r.get("chain") == "yes"),
        event_nouns=frozenset(r["form"] for r in events if r["role"] == "noun"),
        event_triggers=frozenset(r["form"] for r in events if r["role"] == "trigger"),
        surnames=frozenset(r["surname"] for r in read_tsv("surnames.tsv")),
        person_cues=frozenset(r["form"] for r in read_tsv("person_cues.tsv")),
        byline_titles=frozenset(r["form"] for r in read_tsv("byline_titles.tsv")),
        branch_words=frozenset(r["suffix"] for r in read_tsv("branch_words.tsv")),
        product_next=frozenset(r["form"] for r in read_tsv("product_cues.tsv") if r["side"] in ("next", "both")),
        product_previous=frozenset(r["form"] for r in read_tsv("product_cues.tsv")
                                   if r["side"] in ("previous", "both")),
    )



def ruler_patterns(lexicon: str = DEFAULT_LEXICON) -> list[dict]:
    """EntityRuler phrase patterns: lexicon names and the titles that stand on their own."""
    patterns = [{"label": row["label"], "pattern": row["form"], "id": row.get("norm") or row["form"]}
                for row in read_tsv(lexicon) if row.get("form")]
    lex = lexicons(lexicon)
    patterns += [{"label": "CV", "pattern": form, "id": norm}
                 for form, norm in lex.titles.items() if form in lex.standalone_titles]
    return patterns
