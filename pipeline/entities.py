"""Stage 2: entity tagging on the Kiwi-token Doc.

Sources, strongest first when two spans overlap:
  lexicon   the user-extensible lexicon and title list (spaCy EntityRuler over Kiwi user words)
  grammar   QT / DT / TI from the normalisation grammar (``pipeline.normalize``)
  rule      general rules over Kiwi tags: name before a title, byline, parenthesised aliases,
            SL+NNP compounds with an organisation/place/event head, quoted event and product names
  model     the trained spaCy NER (``pipeline/models/ner``), when it is installed
A model span that strictly contains lexicon matches plus other name material keeps its extent
(``한국전력공사`` is not cut down to ``한국``). Spans never include josa; mentions in metadata
lines, e-mail addresses and words the conventions exclude (``resources/not_entities.tsv``) are dropped.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import layout
from .records import (
    EntityInfo,
    ShortReference,
    TokenColumns,
    entity_info,
    entity_spans,
    sentence_index,
    set_entity_spans,
    token_columns,
)
from .resources import read_tsv

# "delimited": a name marked off by quotes or an apposition (``워크숍인 '크리에이티브 랩 서울'``),
# which may contain lexicon names and dates of its own.
PRIORITY = {"delimited": 5, "lexicon": 4, "grammar": 3, "rule": 2, "model": 1, "": 0}
NAME_TAGS = {"NNP", "SL", "SH", "NNG", "SN", "USER0"}
PROPER_TAGS = {"NNP", "SL", "SH", "USER0"}
_QUOTES_OPEN = "'‘\"“「『<《〈"
_QUOTES_CLOSE = "'’\"”」』>》〉"


def base_tag(token: Token) -> str:
    return token.tag_.split("+")[0]


_FUNCTION_TAGS = frozenset({"VCP", "XSV", "XSA", "_SP", "SF", "SP", "SE", "SO"})


def is_function_tag(tag: str) -> bool:
    """Josa, endings, copula and suffixes (by base tag) never start or end an entity span."""
    return tag.startswith(("J", "E")) or tag in _FUNCTION_TAGS


def is_function_token(token: Token) -> bool:
    return is_function_tag(base_tag(token))  # see is_function_tag


# --------------------------------------------------------------------------- resources

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

    def chain_suffix(self, suffix: str) -> bool:
        return suffix in self.chain_suffixes


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    titles = {r["form"]: (r.get("norm") or r["form"]) for r in read_tsv("titles.tsv")}
    standalone = frozenset(r["form"] for r in read_tsv("titles.tsv") if r.get("standalone", "yes") == "yes")
    aliases = {r["alias"]: r["norm"] for r in read_tsv("aliases.tsv")}
    for row in read_tsv("lexicon.tsv"):
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
    )


def ruler_patterns(lexicon: str = "lexicon.tsv") -> list[dict]:
    """EntityRuler phrase patterns: lexicon names and the titles that stand on their own."""
    patterns = [{"label": row["label"], "pattern": row["form"], "id": row.get("norm") or row["form"]}
                for row in read_tsv(lexicon) if row.get("form")]
    lex = lexicons()
    patterns += [{"label": "CV", "pattern": form, "id": norm}
                 for form, norm in lex.titles.items() if form in lex.standalone_titles]
    return patterns


# --------------------------------------------------------------------------- span plumbing

def split_tokens_at(doc: Doc, offsets: Iterable[int]) -> None:
    """Split tokens so that every offset falls on a token boundary (grammar spans such as
    ``8강`` inside ``8강전`` need it). Tags are copied to the pieces."""
    offsets = list(offsets)
    if not offsets:
        return
    columns = token_columns(doc)
    starts, ends = columns.starts, columns.ends
    cuts: dict[int, set[int]] = {}
    for offset in offsets:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            continue
        if starts[i] < offset < ends[i]:
            cuts.setdefault(i, set()).add(offset - starts[i])
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for i, rel in cuts.items():
            token = doc[i]
            bounds = [0, *sorted(rel), len(token.text)]
            orths = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
            n = len(orths)
            retokenizer.split(token, orths, heads=[(token, 0)] * n,
                              attrs={"TAG": [token.tag_] * n, "POS": [token.pos_] * n, "LEMMA": orths})


def char_spans(doc: Doc, candidates: list[tuple[int, int, str]]) -> list[Span]:
    """Spans for character ranges, splitting tokens where a range cuts through one."""
    offsets = [o for start, end, _ in candidates for o in (start, end)]
    split_tokens_at(doc, offsets)
    text = token_columns(doc).text
    spans = []
    for start, end, label in candidates:
        span = doc.char_span(start, end, label=label)
        if span is not None and text[span.start_char:span.end_char].strip():
            spans.append(span)
    return spans


def _uncovered_name_material(outer: Span, inner: list[tuple[int, int]]) -> bool:
    """Whether tokens of ``outer`` outside the token ranges ``inner`` hold name material."""
    covered = set()
    for start, end in inner:
        covered.update(range(start, end))
    return any(t.i not in covered and not t.is_space and not is_function_token(t) and not t.is_punct
               for t in outer)


def commit(doc: Doc, new: list[tuple[Span, EntityInfo]]) -> None:
    """Add spans to ``doc.ents``, resolving overlaps by source priority, then length.

    Each candidate keeps its own source: the trained NER's ``오픈AI``/PS and the lexicon's
    ``오픈AI``/OG cover the same characters, and the lexicon must win."""
    table = entity_info(doc)
    current = entity_spans(doc)
    keys = [(ent.start_char, ent.end_char) for ent in current]
    if not new and list(table) == keys:
        # Nothing new (most rules in most articles), and the table already holds exactly the
        # entities' infos, in their order: the table would be rebuilt as it is.
        set_entity_spans(doc, current, current)
        return
    chosen: list[tuple[Span, EntityInfo]] = [
        (ent, table.get(key) or EntityInfo(source="model")) for ent, key in zip(current, keys)]
    # The current entities never overlap one another: without new spans they all stay as they are.
    if new:
        chosen = _resolve_overlaps(chosen + new)
    set_entity_spans(doc, [span for span, _ in chosen], current)
    table.clear()
    for span, info in chosen:
        table[(span.start_char, span.end_char)] = info


def _resolve_overlaps(candidates: list[tuple[Span, EntityInfo]]) -> list[tuple[Span, EntityInfo]]:
    """The candidates that win against those they overlap, in text order (see :func:`commit`).

    Most candidates are entities that overlap nothing (the current ones, besides the few new
    spans): they win whatever their rank, so only the candidates that share tokens with another
    are ranked."""
    contested = _contested(candidates)
    if contested is None:
        return _rank_and_pick(candidates)
    chosen = [item for item, disputed in zip(candidates, contested) if not disputed]
    if len(chosen) < len(candidates):
        chosen += _rank_and_pick([item for item, disputed in zip(candidates, contested) if disputed])
    chosen.sort(key=lambda item: item[0].start)  # (the starts differ: the spans do not overlap)
    return chosen


def _contested(candidates: list[tuple[Span, EntityInfo]]) -> list[bool] | None:
    """For each candidate, whether it shares tokens with another one, directly or through a chain
    of overlapping candidates; None when a candidate is empty (no tokens, so no overlap to tell)."""
    bounds = [(span.start, span.end) for span, _ in candidates]
    contested = [False] * len(bounds)
    group: list[int] = []  # the candidates, in text order, that overlap one after another
    reach = 0  # the end of the group's last token
    for k in sorted(range(len(bounds)), key=bounds.__getitem__):
        start, end = bounds[k]
        if start >= end:
            return None
        if group and start < reach:
            group.append(k)
            reach = max(reach, end)
            continue
        if len(group) > 1:
            for member in group:
                contested[member] = True
        group, reach = [k], end
    if len(group) > 1:
        for member in group:
            contested[member] = True
    return contested


def _rank_and_pick(candidates: list[tuple[Span, EntityInfo]]) -> list[tuple[Span, EntityInfo]]:
    """Greedy choice in rank order: a candidate wins unless a better one took one of its tokens."""
    # (start, end, label id) of the lexicon's spans: plain ints, compared for every model span
    lexicon_spans = [(span.start, span.end, span.label) for span, info in candidates if info.source == "lexicon"]

    def rank(item: tuple[Span, EntityInfo]) -> tuple:
        span, info = item
        start, end = span.start, span.end
        priority = PRIORITY[info.source]
        if info.source == "model" and lexicon_spans:
            inside = [(s, e, label) for s, e, label in lexicon_spans if s >= start and e <= end and (s, e) != (start, end)]
            if inside and all(label == span.label for _, _, label in inside) \
                    and _uncovered_name_material(span, [(s, e) for s, e, _ in inside]):
                priority = PRIORITY["lexicon"] + 1
        return (-priority, -(end - start), start)

    chosen: list[tuple[Span, EntityInfo]] = []
    taken: set[int] = set()
    for span, info in sorted(candidates, key=rank):
        if taken.isdisjoint(range(span.start, span.end)):
            chosen.append((span, info))
            taken.update(range(span.start, span.end))
    chosen.sort(key=lambda item: item[0].start)
    return chosen


def trim_function_tokens(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    tok = token_columns(doc)

    def trimmed(i: int, brackets: str) -> bool:
        return is_function_tag(tok.base_tags[i]) or tok.is_space[i] or tok.words[i] in brackets

    while start < end and trimmed(start, "([{"):
        start += 1
    while end > start and trimmed(end - 1, ")]},."):
        end -= 1
    if start == end:
        return None
    if (start, end) == (span.start, span.end):
        return span  # nothing to trim (most entities): no new Span
    return Span(doc, start, end, label=span.label_)


def followed_by_verb_suffix(span: Span) -> bool:
    """``인도했다``: a noun made a verb by 하다 is no name."""
    tok = token_columns(span.doc)
    return span.end < len(tok.words) and not tok.space_after[span.end - 1] and \
        tok.base_tags[span.end] in {"XSV", "XSA", "VV", "VA"}


def glued_to_noun(span: Span) -> bool:
    """A match that is only the front of a longer noun compound (``기자`` in ``기자회견``)."""
    return glued_at(token_columns(span.doc), span.end)


def glued_at(tok: TokenColumns, end: int) -> bool:
    """:func:`glued_to_noun` for the token range ending before token ``end``."""
    if end >= len(tok.words) or tok.space_after[end - 1]:
        return False
    return tok.base_tags[end] in {"NNG", "NNP", "XSN"}


# --------------------------------------------------------------------------- components

# Factories leave ``nlp`` unannotated: spaCy 3.7 checks factory signatures with pydantic, which
# cannot resolve the string annotations that ``from __future__ import annotations`` makes.
@Language.factory("layout")
def make_layout(nlp, name: str):
    def annotate(doc: Doc) -> Doc:
        regions = layout.article_regions(token_columns(doc).text)
        doc._.regions = regions
        doc.spans["layout"] = [s for s in (doc.char_span(r.start, r.end, label=r.kind, alignment_mode="expand")
                                           for r in regions) if s is not None]
        return doc

    return annotate


MODEL_LABELS = {"PS", "OG", "LC", "AF", "EV", "CV"}  # QT, DT and TI belong to the grammar


def screen_model_entities(doc: Doc) -> None:
    """Keep the trained NER's spans only where they can be right under the conventions.

    The model fills gaps between what the lexicon, grammar and rules find (lowest priority);
    its quantities, dates and times give way to the grammar; a person is never an acronym
    (``WAU``) and never holds a title inside (``브래드 라이트캡 최고운영책임자``); a title must be
    one of the known titles.
    """
    ents = entity_spans(doc)
    if not ents:
        return
    lex = lexicons()
    table = entity_info(doc)
    tok = token_columns(doc)
    words, tags = tok.words, tok.base_tags
    persons = _evident_persons(doc, tok, ents, table, lex)
    kept = []
    for ent in ents:
        if table.get((ent.start_char, ent.end_char)) is not None:
            kept.append(ent)
            continue
        text = tok.text[ent.start_char:ent.end_char]
        label, inside = ent.label_, range(ent.start, ent.end)
        if label not in MODEL_LABELS:
            continue
        if label == "PS" and (not any("가" <= ch <= "힣" for ch in text) and (text.isupper() or " " not in text)
                              or any(words[i] in lex.titles for i in inside)):
            continue
        if label == "CV" and words[ent.end - 1] not in lex.titles:
            continue
        if _latin_phrase(text) or words[ent.end - 1] in lex.not_entities:
            continue  # an English clause (Is to ensure ...), or a concept (범용 인공지능)
        if label in {"AF", "EV", "OG"} and all(tags[i] in {"NNG", "XSN", "NNB"} or tok.is_space[i] for i in inside) \
                and not _quoted(tok, ent.start, ent.end):
            continue  # a common noun (버스, 전투기, 준결승): products and events here are named
        if _abbreviates_common_noun(tok, ent.start, ent.end, lex):
            continue
        if label == "PS" and not any(tags[i] in {"NNP", "SL", "SH"} for i in inside):
            continue  # 췌장암, 저유시설: a person's name is a proper noun
        if label == "PS" and text not in persons:
            continue  # 코로나, 블록체인: nothing in the article says this proper noun is a person
        if any(tags[i].startswith("J") for i in inside[1:-1]):
            continue  # 주한미군의 사드: a particle inside is two phrases, not one name
        if text.count("(") != text.count(")") or text.count("[") != text.count("]"):
            continue  # 네비도(Nebido: half a parenthesis
        if glued_at(tok, ent.end) or (ent.start > 0 and not tok.space_after[ent.start - 1]
                                      and tags[ent.start - 1] in {"NNG", "NNP"}):
            continue  # cuts a word in two (AI 대|전환)
        kept.append(ent)
    set_entity_spans(doc, kept, ents)
    for ent in kept:
        key = (ent.start_char, ent.end_char)
        if key not in table:  # (an EntityInfo only for a new key, not one for each setdefault call)
            table[key] = EntityInfo(source="model")


def _evident_persons(doc: Doc, tok: TokenColumns, ents, table: dict, lex: Lexicons) -> set[str]:
    """The person names of the Doc (an article) that something besides the model vouches for.

    Kiwi tags loanwords and names alike as proper nouns, and the model calls many of them persons
    (코로나, 블록체인, 신칸센). A name is a person's when, at one of its mentions at least, a title
    or a person cue stands right before or after it (트럼프 대통령, 사무총장 오콘조이웨알라, 이 씨),
    the lexicon or a rule found it as a person, it has a Korean name's shape (a surname and two or
    three syllables), it has more than one word, or it is a KONNE person form (the gazetteer
    feature marked it); a word of such a multi-word name counts too (호스니 무바라크 -> 무바라크).
    """
    words = tok.words

    def cue(i: int | None) -> bool:
        return i is not None and (words[i] in lex.titles or words[i] in lex.person_cues)

    evident: set[str] = set()
    for ent in ents:
        if ent.label_ != "PS":
            continue
        text = tok.text[ent.start_char:ent.end_char]
        if text in evident:
            continue
        if (table.get((ent.start_char, ent.end_char)) is not None or " " in text
                or _looks_korean_name(text, lex) or str(doc[ent.start].morph) == "Gaz=B_PS"
                or cue(tok.next_word(ent.end)) or cue(tok.previous_word(ent.start - 1))):
            evident.add(text)
    evident.update(word for name in list(evident) if " " in name for word in name.split())
    return evident


def _quoted(tok: TokenColumns, start: int, end: int) -> bool:
    """Whether quote marks enclose tokens ``start:end``."""
    return start > 0 and end < len(tok.words) and tok.words[start - 1] in _QUOTES_OPEN \
        and tok.words[end] in _QUOTES_CLOSE


def _abbreviates_common_noun(tok: TokenColumns, start: int, end: int, lex: Lexicons) -> bool:
    """Whether tokens ``start:end`` stand in brackets right after a word made of common nouns only
    and without a name's head: ``월간활성사용자(MAU)``, ``연구개발(R&D)`` spell out a concept, and its
    abbreviation is no name (``국제축구연맹(FIFA)`` ends in a head, 연맹, and stays)."""
    words, tags = tok.words, tok.base_tags
    if not (start >= 2 and end < len(words) and words[start - 1] == "(" and words[end] == ")"):
        return False
    i = start - 2
    if tok.space_after[i]:
        return False
    while i > 0 and not tok.space_after[i - 1]:
        i -= 1
    return all(tags[k] == "NNG" for k in range(i, start - 1)) \
        and not _suffix_label(tok.span_text(i, start - 1), lex, whole_word=True)


def _latin_phrase(text: str) -> bool:
    """Latin text that is no name: a lower-case word in it, or one or two letters alone."""
    if any("가" <= ch <= "힣" for ch in text):
        return False
    words = text.split()
    return any(w[:1].islower() for w in words) or (len(words) == 1 and len(text) <= 2)


@Language.factory("lexicon_entities", default_config={"lexicon": "lexicon.tsv"})
def make_lexicon_entities(nlp, name: str, lexicon: str):
    """The lexicon and stand-alone titles as phrase patterns (spaCy's PhraseMatcher, the engine of
    the EntityRuler's phrase patterns).

    Patterns are tokenized by the pipeline's own Kiwi tokenizer, so a name matches exactly where
    Kiwi makes it a token sequence of its own (``카카오`` in ``카카오와``, not inside ``카카오톡``).
    Each pattern's key carries its label and canonical name.
    """
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    patterns = ruler_patterns(lexicon)
    keys: dict[int, tuple[str, str]] = {}
    for pattern, doc in zip(patterns, nlp.tokenizer.pipe(p["pattern"] for p in patterns)):
        key = f"{pattern['label']}\t{pattern['id']}"
        keys[nlp.vocab.strings.add(key)] = (pattern["label"], pattern["id"])
        words = [t.text for t in doc if not t.is_space]
        if words:
            matcher.add(key, [Doc(nlp.vocab, words=words)])

    def annotate(doc: Doc) -> Doc:
        screen_model_entities(doc)
        found = []
        for match_id, start, end in matcher(doc):
            label, norm = keys[match_id]
            span = Span(doc, start, end, label=label)
            if (label == "CV" and glued_to_noun(span)) or followed_by_verb_suffix(span):
                continue
            found.append((span, EntityInfo(norm=norm, source="lexicon")))
        commit(doc, found)
        return doc

    return annotate


@Language.factory("grammar_entities")
def make_grammar_entities(nlp, name: str):
    """QT / DT / TI spans and values from the normalisation grammar, sentence by sentence."""
    from .normalize import find_expressions

    def annotate(doc: Doc) -> Doc:
        found = []
        text = token_columns(doc).text
        published = doc._.published  # read once: each ``doc._`` access builds an Underscore object
        for sent in sentence_index(doc):
            base = sent.start_char
            for expr in find_expressions(text[base:sent.end_char], published):
                found.append((base + expr.start, base + expr.end, expr))
        spans = char_spans(doc, [(s, e, x.label) for s, e, x in found])
        by_key = {(s, e): x for s, e, x in found}
        new = []
        for span in spans:
            expr = by_key[(span.start_char, span.end_char)]
            new.append((span, EntityInfo(norm=expr.norm, value=expr.value, unit=expr.unit, approx=expr.approx,
                                         value_min=expr.value_min, value_max=expr.value_max,
                                         norm_start=expr.norm_start, norm_end=expr.norm_end, source="grammar")))
        commit(doc, new)
        return doc

    return annotate


# --------------------------------------------------------------------------- rule helpers

def words_before(doc: Doc, index: int, limit: int = 3) -> list[tuple[int, int]]:
    """Token ranges of up to ``limit`` whitespace-separated words ending right before token ``index``
    (the first range is the nearest word). A word is a run of tokens with no whitespace between."""
    tok = token_columns(doc)
    is_space, space_after = tok.is_space, tok.space_after
    result = []
    end = index
    while end > 0 and len(result) < limit:
        j = end - 1
        if is_space[j]:
            j -= 1
        elif not space_after[j] and end != index:
            break
        if j < 0:
            break
        if end != index and not (space_after[j] or is_space[j + 1]):
            break
        start = j
        while start > 0 and not space_after[start - 1] and not is_space[start - 1]:
            start -= 1
        result.append((start, j + 1))
        end = start
        if start == 0:
            break
    return result


def _is_hangul(text: str) -> bool:
    return bool(text) and all("가" <= ch <= "힣" or ch == " " for ch in text)


def _entity_tokens(doc: Doc, ents: Iterable[Span]) -> set[int]:
    """Tokens inside the Doc's entities ``ents`` that the rules must respect. The trained NER's
    spans are soft: a rule may build over them (``제이슨`` from the model, ``제이슨 권`` from the
    title rule), and ``commit`` then prefers the rule."""
    table = entity_info(doc)
    taken: set[int] = set()
    for ent in ents:
        info = table.get((ent.start_char, ent.end_char))
        if info is None or info.source != "model":
            taken.update(range(ent.start, ent.end))
    return taken


def _name_word_ok(tok: TokenColumns, start: int, end: int, taken: set[int], lex: Lexicons) -> bool:
    text = tok.span_text(start, end)
    return (_is_hangul(text) and 1 <= len(text.replace(" ", "")) <= (9 if " " in text else 6)
            and all(tok.base_tags[i] in {"NNP", "NNG", "NNB", "XSN", "MM", "NR"} for i in range(start, end))
            and (len(text) != 2 or any(tok.base_tags[i] == "NNP" for i in range(start, end)))
            and not any(i in taken for i in range(start, end))
            and text not in lex.not_entities and text not in lex.titles and text not in lex.title_prefixes
            and _suffix_label(text, lex) not in {"OG", "LC", "EV"})


def _looks_korean_name(text: str, lex: Lexicons) -> bool:
    return 3 <= len(text) <= 4 and _is_hangul(text) and (text[0] in lex.surnames or text[:2] in lex.surnames)


def person_before(doc: Doc, index: int, lex: Lexicons, ents_by_end: dict[int, Span], taken: set[int]
                  ) -> tuple[tuple[int, int] | None, tuple[int, int] | None, tuple[int, int] | None]:
    """(person, organisation, surname) token ranges before the title starting at token ``index``.

    ``이재용 삼성전자 회장`` -> person 이재용, organisation 삼성전자; ``제이슨 권 CSO`` -> person
    제이슨 권; ``권 CSO`` -> surname 권 only (a short reference, not a person mention).
    ``ents_by_end`` maps the end token of each entity to it; ``taken`` is :func:`_entity_tokens`.
    """
    tok = token_columns(doc)
    is_space, space_after = tok.is_space, tok.space_after
    cursor = index
    while cursor > 0 and is_space[cursor - 1]:
        cursor -= 1
    if cursor > 1 and tok.words[cursor - 1] in lex.title_prefixes and space_after[cursor - 2] \
            and space_after[cursor - 1]:
        cursor -= 1  # 만델라 전 대통령
        while cursor > 0 and is_space[cursor - 1]:
            cursor -= 1
    org = None
    ent = ents_by_end.get(cursor)
    if ent is not None and ent.label_ == "OG" and space_after[cursor - 1]:
        org = (ent.start, ent.end)
        cursor = ent.start
    elif ent is not None and ent.label_ == "PS" and ent.start in taken:
        name = tok.span_text(ent.start, ent.end)
        if len(name) >= 2 and name not in lex.surnames:
            return (ent.start, ent.end), None, None  # a person the lexicon or a rule already found
    if cursor == index and index > 0 and not (space_after[index - 1] or is_space[index - 1]):
        return None, None, None  # the title is glued to the word before it (e.g. 지사장 inside a compound)
    words = words_before(doc, cursor, limit=3)
    if words and org is None and _suffix_label(tok.span_text(*words[0]), lex) == "OG" \
            and all(tok.base_tags[i] in PROPER_TAGS | {"NNG"} for i in range(*words[0])):
        org = words[0]  # 이인영 더불어민주당 원내대표: an unlisted party or company between name and title
        words = words[1:]
    words = words[:2]
    if not words:
        return None, org, None
    near = words[0]
    near_text = tok.span_text(*near)
    model_ps = ents_by_end.get(near[1])
    if model_ps is not None and model_ps.label_ == "PS" and model_ps.start <= near[0]:
        name = tok.span_text(model_ps.start, model_ps.end)
        if len(name) >= 2 and name not in lex.surnames:
            return (model_ps.start, model_ps.end), org, None  # the trained NER read the whole name
    if not _name_word_ok(tok, *near, taken, lex):
        return None, org, None
    far = words[1] if len(words) > 1 else None
    far_ok = (far is not None and _name_word_ok(tok, *far, taken, lex) and far[1] - far[0] == 1
              and tok.base_tags[far[0]] == "NNP" and 2 <= len(tok.span_text(*far)) <= 5)
    if " " in near_text:  # Kiwi's multi-word proper noun: a full foreign name in one token
        return near, org, None
    if len(near_text) == 1:
        if near_text in lex.surnames:
            if far_ok:
                return (far[0], near[1]), org, None
            return None, org, near
        return None, org, None
    if _looks_korean_name(near_text, lex) and len(near_text) == 3:
        return near, org, None
    if far_ok:
        return (far[0], near[1]), org, None
    if _looks_korean_name(near_text, lex) or tok.base_tags[near[0]] == "NNP":
        return near, org, None
    return None, org, None


# Cached: the compound rule asks for every noun of an article, most of them more than once.
@lru_cache(maxsize=1 << 16)
def _suffix_label(text: str, lex: Lexicons, whole_word: bool = False) -> str:
    """The label a name's head gives it. One-syllable heads (구, 시, 부 ...) only end short names
    (광진구, 수원시), so that 파이팩토리 is not read as a 리."""
    for length in lex.suffix_lengths:
        suffix = text[-length:]
        label = lex.suffix_labels.get(suffix)
        if label is None or len(text) < length:
            continue
        if len(text) == len(suffix) and not whole_word:
            continue
        if len(suffix) == 1 and not (_is_hangul(text) and (2 <= len(text) <= 4 or not lex.chain_suffix(suffix))):
            continue
        return label
    return ""


def _is_suffix(text: str, lex: Lexicons) -> bool:
    return text in lex.suffix_labels


# Base tags a quoted name may be made of.
_QUOTED_NAME_TAGS = NAME_TAGS | {"NNB", "SP", "SO", "SW", "XSN", "NP", "_SP", "SSO", "SSC"}


def _quoted_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges inside quote marks, short and verb-free: candidate names."""
    tok = token_columns(doc)
    words = tok.words
    spans = []
    open_at = None
    for i, word in enumerate(words):
        if word in _QUOTES_OPEN and (open_at is None or word not in _QUOTES_CLOSE):
            open_at = i
        elif word in _QUOTES_CLOSE and open_at is not None:
            start, end = open_at + 1, i
            open_at = None
            paren = next((k for k in range(start, end) if words[k] == "("), None)
            if paren is not None and paren > start:
                end = paren  # '데브데이 익스체인지(DevDay Exchange)': the alias is handled on its own
                while end > start and tok.is_space[end - 1]:
                    end -= 1
            if 0 < len(tok.span_text(start, end)) <= 30 and all(
                    tok.base_tags[k] in _QUOTED_NAME_TAGS for k in range(start, end)):
                spans.append((start, end))
    return spans


def _next_content(tok: TokenColumns, index: int) -> int | None:
    """The first token at or after ``index`` that is not whitespace, josa or closing punctuation."""
    i = index
    n = len(tok.words)
    while i < n and (tok.is_space[i] or tok.base_tags[i].startswith("J") or tok.words[i] in _QUOTES_CLOSE):
        i += 1
    return i if i < n else None


@Language.factory("rule_entities")
def make_rule_entities(nlp, name: str):
    """General rules over Kiwi tags; see the module docstring. Facts come from resources/."""

    def annotate(doc: Doc) -> Doc:
        lex = lexicons()
        new: list[tuple[Span, EntityInfo]] = []
        new += _byline_entities(doc, lex)
        new += _title_entities(doc, lex)
        commit(doc, new)
        commit(doc, _branch_names(doc, lex))
        commit(doc, _compound_names(doc, lex))
        commit(doc, _quoted_and_apposed_names(doc, lex))
        commit(doc, _parenthesised_aliases(doc, lex))
        commit(doc, _alias_mentions(doc))
        commit(doc, _address_chains(doc, lex))
        return doc

    return annotate


@lru_cache(maxsize=1)
def _byline_pattern() -> re.Pattern:
    titles = "|".join(sorted(map(re.escape, lexicons().byline_titles), key=len, reverse=True))
    return re.compile(rf"(?P<name>[가-힣]{{2,4}})\s+(?:(?P<outlet>[^\s@]+?)\s+)?(?P<title>{titles})(?=\s|$|[=/])")


def _byline_entities(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    pattern = _byline_pattern()
    text = token_columns(doc).text
    found = []
    for region in doc._.regions or []:
        if region.kind != layout.BYLINE:
            continue
        match = pattern.search(text, region.start, region.end)
        if not match:
            continue
        for group, label in (("name", "PS"), ("outlet", "OG"), ("title", "CV")):
            if match.group(group):
                found.append((match.start(group), match.end(group), label))
    spans = char_spans(doc, found)
    return [(span, EntityInfo(norm=lex.titles.get(span.text, span.text), source="rule")) for span in spans]


def _title_entities(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Titles next to a name: the person, the organisation, the title, and short references."""
    found: list[tuple[Span, EntityInfo]] = []
    short_refs: list[ShortReference] = []
    tok = token_columns(doc)
    ents = entity_spans(doc)
    cv_spans = {ent.start: ent for ent in ents if ent.label_ == "CV"}
    ents_by_end = {ent.end: ent for ent in ents}
    taken = _entity_tokens(doc, ents)
    titles = lex.titles
    # the title entities and the title words, in text order (one pass over the words, few hits)
    for i in [i for i, word in enumerate(tok.words) if word in titles or i in cv_spans]:
        title = cv_spans.get(i)
        if title is None:
            if i in taken or glued_at(tok, i + 1):
                continue  # inside a name, or the front of a compound (기자 in 기자회견)
            title = Span(doc, i, i + 1, label="CV")
        person, org, surname = person_before(doc, title.start, lex, ents_by_end, taken)
        standalone = title.start in cv_spans
        if person is None and surname is None and org is None:
            # up to two modifier words before the title head: 글로벌 비즈니스 총괄
            for w_start, _ in words_before(doc, title.start, limit=2):
                modifier = range(w_start, title.start)
                if not all(tok.base_tags[k] in {"NNG", "SL"} for k in modifier if not tok.is_space[k]) \
                        or any(k in taken for k in modifier):
                    break
                person, org, surname = person_before(doc, w_start, lex, ents_by_end, taken)
                if person is not None and tok.base_tags[person[0]] == "NNP":
                    title = Span(doc, w_start, title.end, label="CV")
                    standalone = False
                    break
                person = org = surname = None
        if person is None and surname is None and not standalone and org is None:
            continue
        if person is not None:
            found.append((Span(doc, person[0], person[1], label="PS"), EntityInfo(source="rule")))
            if org is not None and not any(k in taken for k in range(*org)):
                found.append((Span(doc, org[0], org[1], label="OG"), EntityInfo(source="rule")))
        if surname is not None:
            short_refs.append(ShortReference(tok.starts[surname[0]], tok.ends[surname[1] - 1],
                                             tok.span_text(*surname), title.start_char, title.end_char))
        if not standalone:
            found.append((title, EntityInfo(norm=lex.titles.get(title.text, title.text), source="rule")))
    doc._.short_refs = short_refs
    return found + _names_after_titles(doc, lex, ents, taken)


def _names_after_titles(doc: Doc, lex: Lexicons, ents: tuple[Span, ...], taken: set[int]
                        ) -> list[tuple[Span, EntityInfo]]:
    """``애플 CEO 스티브 잡스가``: ORG/PLACE + title + proper name; the name follows the title.

    Only after an organisation or place and a title, and only for one or two proper-noun
    words closed by a particle or punctuation, so that ``대통령 취임식`` stays what it is.
    ``ents`` are the Doc's entities (in text order) and ``taken`` their :func:`_entity_tokens`,
    which :func:`_title_entities` has read already."""
    found = []
    tok = token_columns(doc)
    tags, space_after, n = tok.base_tags, tok.space_after, len(tok.words)
    for i, title in enumerate(ents):
        if title.label_ != "CV":
            continue
        j = title.end
        copula = j < n and tok.tags[j] == "VCP+ETM" and not space_after[j - 1]
        if copula:
            j += 1  # 삼성전자 부회장인 이재용: the title, 이/VCP + ᆫ, then the name
        elif i == 0 or ents[i - 1].label_ not in {"OG", "LC"} or ents[i - 1].end != title.start \
                and not all(tok.is_space[ents[i - 1].end:title.start]):
            continue
        if j >= n or not space_after[j - 1]:
            continue
        start, words = j, 0
        while j < n and words < 2 and tags[j] == "NNP" and _is_hangul(tok.words[j]) \
                and j not in taken and tok.words[j] not in lex.titles:
            j += 1
            words += 1
            if j < n and not space_after[j - 1]:
                break
        if words == 0 or j >= n:
            continue
        closer_is_punct = tok.is_punct[j]
        if not (tags[j].startswith("J") or closer_is_punct) or space_after[j - 1] and not closer_is_punct:
            continue
        if 2 <= len(tok.span_text(start, j).replace(" ", "")) <= 10:
            found.append((Span(doc, start, j, label="PS"), EntityInfo(source="rule")))
    return found


def _branch_names(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """``오픈AI 코리아``: an organisation followed by a branch word names the branch, a new OG."""
    tok = token_columns(doc)
    n = len(tok.words)
    found = []
    for ent in entity_spans(doc):
        if ent.label_ != "OG":
            continue
        i = ent.end
        while i < n and tok.is_space[i]:
            i += 1
        if i < n and tok.words[i] in lex.branch_words \
                and (i == ent.end + 1 or tok.space_after[ent.end - 1] or i == ent.end):
            found.append((Span(doc, ent.start, i + 1, label="OG"), EntityInfo(source="lexicon")))
    return found


_PROPER_OR_NOUN = PROPER_TAGS | {"NNG"}
_HEAD_NOUN_TAGS = frozenset({"NNG", "NNP"})


def _compound_names(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Proper-noun compounds whose head names their kind: ``SK텔레콤``, ``파이팩토리 스튜디오``, ``광진구``."""
    tok = token_columns(doc)
    words, tags, space_after, n = tok.words, tok.base_tags, tok.space_after, len(tok.words)
    ents = entity_spans(doc)
    taken = _entity_tokens(doc, ents)
    entity_at = {i: ent for ent in ents for i in range(ent.start, ent.end)}
    found = []
    # the nouns outside the entities, in text order (one pass over the tags, fewer hits)
    for head in [i for i, tag in enumerate(tags) if tag in _HEAD_NOUN_TAGS and i not in taken]:
        tag = tags[head]
        if head + 1 < n and not space_after[head] and tags[head + 1] in {"NNG", "NNP", "XSN"}:
            continue  # not the head yet
        head_word = words[head]
        if head_word[-1:] not in lex.suffix_last_chars:
            continue  # no name suffix ends the head word, nor the word it ends (most nouns): no label
        word_start = head
        while word_start > 0 and not space_after[word_start - 1] and tags[word_start - 1] in _PROPER_OR_NOUN \
                and (word_start - 1 not in taken or _glued_place(tok, entity_at.get(word_start - 1), word_start - 1)):
            word_start -= 1
        head_text = tok.span_text(word_start, head + 1)
        if head_word in lex.not_entities:
            continue  # 문재인 정부: an excluded generic head
        label = _suffix_label(head_text, lex) or _suffix_label(head_word, lex, whole_word=word_start == head)
        if label == "EV" and word_start < head:
            continue  # 머니투데이: an event head must stand as a word of its own (파운더스 데이)
        if not label or (len(head_text) == len(head_word) and _is_suffix(head_word, lex) and word_start < head):
            continue
        if tag != "NNP" and head_text.endswith(lex.one_syllable_suffixes) \
                and not head_text.endswith(lex.longer_suffixes):
            continue  # 방면, 국면: a one-syllable head counts only on a proper noun
        # The name part: proper material inside the word, or proper words right before it.
        start = word_start
        has_proper = any(tags[i] in PROPER_TAGS for i in range(word_start, head + (len(head_word) > 2)))
        if word_start == head or not has_proper:
            for w_start, w_end in words_before(doc, word_start, limit=2):
                word = tok.span_text(w_start, w_end)
                if any(i in taken for i in range(w_start, w_end)) or not all(
                        tags[i] in PROPER_TAGS for i in range(w_start, w_end)) \
                        or word in lex.not_entities or _suffix_label(word, lex):
                    break  # a place or organisation of its own (광진구 before 파이팩토리 스튜디오)
                start = w_start
            has_proper = start < word_start or (tag == "NNP" and len(head_word) >= 3
                                                and word_start == head and not _is_suffix(head_word, lex))
        if not has_proper:
            continue
        text = tok.span_text(start, head + 1)
        if text in lex.not_entities or len(text) < 2:
            continue
        glued_over_name = any(i in taken for i in range(start, head + 1))
        found.append((Span(doc, start, head + 1, label=label),
                      EntityInfo(source="lexicon" if glued_over_name else "rule")))
    return found


def _glued_place(tok: TokenColumns, ent: Span | None, index: int) -> bool:
    """A lexicon place glued to the next noun (한국 in 한국일보): the compound names something else.
    ``ent`` is the entity that holds token ``index``, if any."""
    return ent is not None and ent.label_ == "LC" and ent.end == index + 1 and not tok.space_after[index]


_NAME_OR_SPACE_TAGS = NAME_TAGS | {"_SP"}


def _quoted_and_apposed_names(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Quoted names held as events or made as products, and ``워크숍인 X`` appositions."""
    found = []
    tok = token_columns(doc)
    words, tags, is_space, n = tok.words, tok.base_tags, tok.is_space, len(tok.words)
    ents = entity_spans(doc)
    taken = _entity_tokens(doc, ents)
    table = entity_info(doc)
    for start, end in _quoted_spans(doc):
        inside = [e for e in ents if e.start < end and e.end > start]
        if any(table[(e.start_char, e.end_char)].source == "lexicon" and (e.start, e.end) == (start, end)
               for e in inside) or any(e.start < start or e.end > end for e in inside):
            continue
        label = ""
        after = _next_content(tok, end)
        after_word = words[after] if after is not None else None
        close = end
        while close < n and (words[close] in _QUOTES_CLOSE or words[close] in "()"
                             or tags[close] == "SL" or is_space[close]):
            close += 1  # past the closing quote and a parenthesised alias
        josa = "".join(words[i] for i in range(close, min(n, close + 2)) if tags[i].startswith("J"))
        window = [i for i in range(close, min(n, close + 8)) if not is_space[i]]
        if after_word in lex.event_nouns:
            label = "EV"
        elif josa[:1] in {"을", "를", "은", "는", "엔", "도"} and any(
                tok.lemma_heads[i] in lex.event_triggers for i in window[:6]):
            label = "EV"
        elif after_word in {"개발사", "제조사", "운영사", "출시"}:
            label = "AF"
        elif _suffix_label(tok.span_text(start, end), lex) == "EV":
            label = "EV"
        if label:
            found.append((Span(doc, start, end, label=label), EntityInfo(source="delimited")))
    # 워크숍인 X / 행사인 X: the copula makes X the event's name.
    for noun in [i for i, word in enumerate(words) if word in lex.event_nouns]:
        if noun + 1 < n and tok.tags[noun + 1].startswith("VCP"):
            i = noun + 2
            while i < n and is_space[i]:
                i += 1
            quoted = i < n and words[i] in _QUOTES_OPEN
            if quoted:
                i += 1
            j = i
            while j < n and tags[j] in _NAME_OR_SPACE_TAGS and not is_function_tag(tags[j]) \
                    and words[j] not in _QUOTES_CLOSE:
                j += 1
                if not quoted and tok.space_after[j - 1] and j < n and not tags[j] in PROPER_TAGS:
                    break
            if j > i and (quoted or not any(k in taken for k in range(i, j))):
                found.append((Span(doc, i, j, label="EV"), EntityInfo(source="delimited" if quoted else "rule")))
    return found


def _parenthesised_aliases(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """``X(Y)`` and ``X(이하 Y)``: an alias in parentheses gets the label and name of X, and vice versa."""
    found = []
    tok = token_columns(doc)
    words, tags, n = tok.words, tok.base_tags, len(tok.words)
    ents = entity_spans(doc)
    by_end = {ent.end: ent for ent in ents}
    by_start = {ent.start: ent for ent in ents}
    table = entity_info(doc)

    def from_model(ent: Span) -> bool:  # the model's spans give way to this rule (see commit)
        return getattr(table.get((ent.start_char, ent.end_char)), "source", "") == "model"

    taken = _entity_tokens(doc, ents)
    for paren in [i for i, word in enumerate(words) if word == "("]:
        close = next((i for i in range(paren + 1, min(n, paren + 12)) if words[i] == ")"), None)
        if close is None or close == paren + 1:
            continue
        inner_start = paren + 1
        if words[inner_start] == "이하":
            inner_start += 1
            while inner_start < close and tok.is_space[inner_start]:
                inner_start += 1
        if inner_start >= close:
            continue
        outer = by_end.get(paren)
        inner = by_start.get(inner_start)
        inner_is_whole = inner is not None and inner.end == close
        head_of = _title_and_name(doc, inner_start, close, lex)
        if head_of is not None:  # 포천시(시장 박윤국): a title and the person holding it
            title, person = head_of
            found.append((title, EntityInfo(norm=lex.titles.get(title.text, title.text), source="rule")))
            found.append((person, EntityInfo(source="rule")))
            continue
        inner_is_free = inner is None or (from_model(inner) and not inner_is_whole)  # DevDay| Exchange
        if outer is not None and inner_is_free and not any(i in taken for i in range(inner_start, close)):
            if len(tok.span_text(inner_start, close)) <= 30 and all(
                    tags[i] in _NAME_OR_SPACE_TAGS for i in range(inner_start, close)):
                found.append((Span(doc, inner_start, close, label=outer.label_),
                              EntityInfo(norm=outer._.info.norm or outer.text, source="rule")))
        elif outer is None and inner_is_whole and inner.label_ in {"OG", "EV", "AF", "LC"}:
            # Y is known, X before the parenthesis is its Korean full form.
            start = None
            for w_start, w_end in words_before(doc, paren, limit=4):
                if not all(tags[i] in NAME_TAGS for i in range(w_start, w_end)):
                    break
                start = w_start
            quote = next((i for i in range(max(0, paren - 12), paren) if words[i] in _QUOTES_OPEN), None)
            if quote is not None and start is not None and quote + 1 <= paren:
                start = quote + 1
            if start is not None and start < paren:
                text = tok.span_text(start, paren)
                if text.strip() and text not in lex.not_entities:
                    found.append((Span(doc, start, paren, label=inner.label_), EntityInfo(source="rule")))
    return found


def _title_and_name(doc: Doc, start: int, end: int, lex: Lexicons) -> tuple[Span, Span] | None:
    """Inside parentheses: ``시장 박윤국`` / ``원장 박상열`` -> (CV span, PS span)."""
    tok = token_columns(doc)
    content = [i for i in range(start, end) if not tok.is_space[i]]
    if len(content) < 2 or tok.words[content[0]] not in lex.titles:
        return None
    title, name_start = content[0], content[1]
    text = tok.span_text(name_start, end).strip()
    if not (_looks_korean_name(text, lex) or (" " in text and _is_hangul(text) and len(text) <= 10)):
        return None
    return Span(doc, title, title + 1, label="CV"), Span(doc, name_start, end, label="PS")


def _alias_mentions(doc: Doc) -> list[tuple[Span, EntityInfo]]:
    """Later bare mentions of an alias introduced in parentheses (``(이하 AFC)`` ... ``AFC는``)."""
    table = entity_info(doc)
    tok = token_columns(doc)
    aliases: dict[str, tuple[str, str, int]] = {}
    ents = entity_spans(doc)
    for ent in ents:
        info = table.get((ent.start_char, ent.end_char))
        if info is None or info.source != "rule" or not info.norm:
            continue
        text = tok.text[ent.start_char:ent.end_char]
        if info.norm != text and ent.start > 0 and tok.words[ent.start - 1] in ("(", "이하"):
            aliases.setdefault(text, (ent.label_, info.norm, ent.end_char))
    if not aliases:
        return []
    taken = _entity_tokens(doc, ents)
    found = []
    for alias, (label, norm, after) in aliases.items():
        position = tok.text.find(alias, after)
        while position >= 0:
            span = doc.char_span(position, position + len(alias), label=label)
            if span is not None and not any(i in taken for i in range(span.start, span.end)) \
                    and not glued_at(tok, span.end):
                found.append((span, EntityInfo(norm=norm, source="rule")))
            position = tok.text.find(alias, position + len(alias))
    return found


def _address_chains(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Adjacent places written as one address (``서울 광진구``) are one LC; a venue stays separate."""
    found = []
    admin = lex.chain_suffixes
    tok = token_columns(doc)
    n = len(tok.words)
    ents = entity_spans(doc)
    taken = _entity_tokens(doc, ents)
    for ent in [e for e in ents if e.label_ == "LC"]:
        # 서울 중구: a short administrative name right after a place joins it
        i = ent.end
        if i < n and tok.space_after[i - 1] and i not in taken and tok.base_tags[i] == "NNP" \
                and 2 <= len(tok.words[i]) <= 4 and tok.words[i].endswith(admin) and _is_hangul(tok.words[i]):
            found.append((Span(doc, ent.start, i + 1, label="LC"), EntityInfo(source="lexicon")))
    commit(doc, found)
    found = []
    ents = sorted((e for e in entity_spans(doc) if e.label_ == "LC"), key=lambda e: e.start)
    i = 0
    while i < len(ents):
        j = i
        while j + 1 < len(ents) and ents[j + 1].start == ents[j].end and ents[j].end > 0 \
                and tok.space_after[ents[j].end - 1] \
                and tok.span_text(ents[j + 1].start, ents[j + 1].end).endswith(admin):
            j += 1
        if j > i:
            found.append((Span(doc, ents[i].start, ents[j].end, label="LC"), EntityInfo(source="lexicon")))
        i = j + 1
    return found


def _excluded_head(text: str, lex: Lexicons) -> bool:
    """Laws, treaties and groups of people by activity (resources/not_entity_heads.tsv)."""
    last = text.split()[-1]
    if not last.endswith(lex.excluded_head_forms):
        return False  # most names: no head matches, and one C-level test says so
    for head, unless in lex.excluded_heads:  # longest head first: 금지법 decides before 법
        if last.endswith(head) and len(last) > len(head):
            return not last.endswith(unless)
    return False


def _generic_compound(tok: TokenColumns, span: Span, lex: Lexicons) -> bool:
    """``한국 정부``: a name plus the next word make an excluded generic phrase."""
    n = len(tok.words)
    nxt = span.end
    while nxt < n and tok.is_space[nxt]:
        nxt += 1
    if nxt >= n or not tok.space_after[span.end - 1]:
        return False
    return f"{tok.text[span.start_char:span.end_char]} {tok.words[nxt]}" in lex.not_entities


GLUED_JOSA = ("가", "는", "은", "를", "을", "의", "와", "과", "도", "에")


def _glued_josa_cut(tok: TokenColumns, span: Span) -> bool:
    """``오콘조이웨알라가``: Kiwi left a particle on an unknown foreign name. Cut it when the
    article writes the name without it elsewhere."""
    text = tok.text[span.start_char:span.end_char]
    if span.label_ not in {"PS", "OG", "LC"} or len(text) < 4 or not text.endswith(GLUED_JOSA):
        return False
    last_word = text.split()[-1]
    if len(last_word) < 3:
        return False
    bare, full_text = last_word[:-1], tok.text
    own = span.end_char - len(last_word)
    at = full_text.find(bare)
    while at >= 0:
        if at != own and full_text[at + len(bare):at + len(bare) + 1] != text[-1]:
            return True
        at = full_text.find(bare, at + 1)
    return False


def _is_group(tok: TokenColumns, span: Span) -> bool:
    """``기자들``, ``최고경영자(CEO)들``: a title in the plural names a group, not a position."""
    words, n = tok.words, len(tok.words)
    i = span.end
    if i < n and words[i] == ")" and span.start > 0 and words[span.start - 1] == "(":
        i += 1  # 최고경영자(CEO)들: the alias inside the parentheses
    elif i < n and words[i] == "(":
        close = next((k for k in range(i, min(n, i + 6)) if words[k] == ")"), None)
        i = close + 1 if close is not None else i
    return i < n and not tok.space_after[i - 1] and words[i] == "들"


@Language.factory("entity_cleanup")
def make_entity_cleanup(nlp, name: str):
    """Apply the conventions' exclusions: no josa, no metadata, no e-mail, no generic words."""

    def annotate(doc: Doc) -> Doc:
        lex = lexicons()
        meta = [(r.start, r.end) for r in doc._.regions or [] if r.kind == layout.META]
        table = entity_info(doc)
        tok = token_columns(doc)
        ents, n_tokens = entity_spans(doc), len(doc)
        # Web addresses, e-mails and hashtags (Kiwi's W_ tags) are rare: one test on the joined
        # tags tells that most articles have none.
        web_tokens = [i for i, tag in enumerate(tok.base_tags) if tag.startswith("W_")] \
            if "W_" in "\n".join(tok.base_tags) else []
        kept = []
        for ent in ents:
            info = table.get((ent.start_char, ent.end_char))
            if info is None:  # (not a default argument to get(): that is built for every entity)
                info = EntityInfo()
            span = trim_function_tokens(ent)
            if span is None:
                continue
            text = tok.text[span.start_char:span.end_char]
            if meta and any(s <= span.start_char < e for s, e in meta):
                continue
            if text in lex.not_entities or (web_tokens and any(span.start <= i < span.end for i in web_tokens)):
                continue
            if span.label_ == "PS" and len(text) < 2:
                continue
            if _generic_compound(tok, span, lex) or (span.label_ == "CV" and _is_group(tok, span)):
                continue
            if span.label_ in {"PS", "OG", "LC", "AF", "EV"} and _excluded_head(text, lex):
                continue  # 차별금지법, 파리협정: laws and treaties are not entities
            end_char = span.end_char
            if info.source in ("model", "rule") and _glued_josa_cut(tok, span):
                end_char -= 1
            kept.append((span, end_char, info))
        if all(end_char == span.end_char for span, end_char, _ in kept):
            # No particle to cut off (most articles): no token to split, and the kept spans are
            # those char_spans() would make again from their offsets.
            spans = [span for span, _, _ in kept]
            infos = {(span.start_char, span.end_char): info for span, _, info in kept}
        else:
            spans = char_spans(doc, [(span.start_char, end_char, span.label_) for span, end_char, _ in kept])
            infos = {(span.start_char, end_char): info for span, end_char, info in kept}
        table.clear()
        for span in spans:
            table[(span.start_char, span.end_char)] = infos[(span.start_char, span.end_char)]
        # ``ents`` are still the Doc's entities unless char_spans() split tokens: then their token
        # offsets are out of date, and the new spans must be assigned whatever they are.
        set_entity_spans(doc, spans, ents if len(doc) == n_tokens else None)
        return doc

    return annotate


@Language.factory("canonical_names")
def make_canonical_names(nlp, name: str):
    """One canonical name (norm) and one ``entity_id`` per entity of an article.

    Mentions of one entity are grouped, and the group gets one norm and one ``entity_id``:
    * the alias resources (``aliases.tsv``, lexicon norms, title norms): 韓 / 대한민국 -> 한국, CSO -> 최고전략책임자;
    * parenthesised aliases, ``X(Y)`` and ``X(이하 Y)``: both spans, and every later mention written like
      either of them, take one name: the alias resource's norm if one has it, else the Korean (Hangul)
      form, else the form written first (``DevDay Exchange(데브데이 익스체인지)`` -> 데브데이 익스체인지);
    * a person's shorter mention that is the start or end of a full name introduced in the article.
    Different names stay different entities: a branch (``오픈AI 코리아``) is not its parent (``오픈AI``).
    """

    def canonical_form(forms: list[str], lex: Lexicons) -> str:
        for form in forms:
            if form in lex.aliases:
                return lex.aliases[form]
        hangul = [f for f in forms if _is_hangul_name(f)]
        return (hangul or forms)[0]

    def alias_pairs(doc: Doc, ents: tuple[Span, ...]) -> list[tuple[Span, Span]]:
        tok = token_columns(doc)
        words, n = tok.words, len(tok.words)
        starts = {e.start: e for e in ents}
        ends = {e.end: e for e in ents}
        pairs = []
        for paren in [i for i, word in enumerate(words) if word == "(" and i in ends]:
            outer = ends[paren]
            i = paren + 1
            if i < n and words[i] == "이하":
                i += 1
                while i < n and tok.is_space[i]:
                    i += 1
            inner = starts.get(i)
            if inner is None or inner.end >= n or words[inner.end] != ")":
                continue
            if inner.label_ == outer.label_ and inner.label_ not in {"QT", "DT", "TI", "PS"}:
                pairs.append((outer, inner))
        return pairs

    def annotate(doc: Doc) -> Doc:
        lex = lexicons()
        table = entity_info(doc)
        ents = entity_spans(doc)
        doc_text = token_columns(doc).text

        def text_of(ent: Span) -> str:
            return doc_text[ent.start_char:ent.end_char]

        # 1. in-article alias groups from parentheses: (label, written form) -> canonical name
        parent: dict[tuple[str, str], tuple[str, str]] = {}

        def find(key):
            while parent.get(key, key) != key:
                key = parent[key]
            return key

        def base_form(ent: Span) -> str:
            info = table.get((ent.start_char, ent.end_char))
            text = text_of(ent)
            if ent.label_ == "CV":
                return lex.titles.get(text) or text
            return (info.norm if info and info.norm else None) or lex.aliases.get(text) or text

        members: dict[tuple[str, str], list[str]] = {}
        for outer, inner in alias_pairs(doc, ents):
            a, b = (outer.label_, text_of(outer)), (inner.label_, text_of(inner))
            for key, ent in ((a, outer), (b, inner)):
                parent.setdefault(key, key)
                members.setdefault(key, [])
                if base_form(ent) not in members[key]:
                    members[key].append(base_form(ent))
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra
        groups: dict[tuple[str, str], list[str]] = {}
        for key, forms in members.items():
            groups.setdefault(find(key), [])
            groups[find(key)] += [f for f in forms if f not in groups[find(key)]]
        group_name = {key: canonical_form(groups[find(key)], lex) for key in members}

        # 2. norms and ids
        people: list[str] = []
        all_people = {group_name.get(("PS", text_of(e))) or getattr(table.get((e.start_char, e.end_char)), "norm", "")
                      or text_of(e) for e in ents if e.label_ == "PS"}
        ids: dict[tuple[str, str], str] = {}
        for ent in ents:
            info = table.get((ent.start_char, ent.end_char))
            if info is None:  # (cleanup left an info for every entity: build a new one only when missing)
                info = table[(ent.start_char, ent.end_char)] = EntityInfo()
            text = text_of(ent)
            if ent.label_ in {"QT", "DT", "TI"}:
                key = (ent.label_, info.norm or text)
            else:
                grouped = group_name.get((ent.label_, text))
                if grouped:
                    info.norm = grouped
                elif not info.norm:
                    info.norm = (lex.titles.get(text) if ent.label_ == "CV" else None) \
                        or lex.aliases.get(text) or text
                if ent.label_ == "PS":
                    # 잡스 -> 스티브 잡스, but only when one full name in the article fits (트럼프 with
                    # both 이방카 트럼프 and 에릭 트럼프 named stays 트럼프)
                    fits = {p for p in all_people if p != info.norm and
                            (p.endswith(" " + info.norm) or p.startswith(info.norm + " "))}
                    full = next((p for p in people if p in fits), None)
                    if full and len(fits) == 1:
                        info.norm = full
                    elif info.norm not in people:
                        people.append(info.norm)
                key = (ent.label_, info.norm)
            info.entity_id = ids.setdefault(key, f"E{len(ids) + 1}")
        return doc

    return annotate


def _is_hangul_name(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)
