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
from .records import EntityInfo, ShortReference, entity_info, sentence_index
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


def is_function_token(token: Token) -> bool:
    """Josa, endings, copula and suffixes that never start or end an entity span."""
    tag = base_tag(token)
    return tag.startswith(("J", "E")) or tag in {"VCP", "XSV", "XSA", "_SP", "SF", "SP", "SE", "SO"}


# --------------------------------------------------------------------------- resources

@dataclass(frozen=True)
class Lexicons:
    titles: dict[str, str]
    standalone_titles: frozenset[str]
    title_prefixes: frozenset[str]
    excluded_heads: tuple[tuple[str, tuple[str, ...]], ...]
    aliases: dict[str, str]
    not_entities: frozenset[str]
    suffixes: tuple[tuple[str, str], ...]
    suffix_labels: dict[str, str]
    suffix_lengths: tuple[int, ...]
    chain_suffixes: frozenset[str]

    def chain_suffix(self, suffix: str) -> bool:
        return suffix in self.chain_suffixes
    event_nouns: frozenset[str]
    event_triggers: frozenset[str]
    surnames: frozenset[str]
    byline_titles: frozenset[str]


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
    return Lexicons(
        titles=titles,
        standalone_titles=standalone,
        title_prefixes=frozenset(r["form"] for r in read_tsv("title_prefixes.tsv")),
        excluded_heads=tuple(sorted(((r["head"], tuple(x for x in (r.get("unless") or "").split("|") if x))
                                     for r in read_tsv("not_entity_heads.tsv")), key=lambda h: -len(h[0]))),
        aliases=aliases,
        not_entities=frozenset(r["form"] for r in read_tsv("not_entities.tsv")),
        suffixes=suffixes,
        suffix_labels=dict(suffixes),
        chain_suffixes=frozenset(r["suffix"] for r in read_tsv("name_suffixes.tsv") if r.get("chain") == "yes"),
        suffix_lengths=tuple(sorted({len(x) for x, _ in suffixes}, reverse=True)),
        event_nouns=frozenset(r["form"] for r in events if r["role"] == "noun"),
        event_triggers=frozenset(r["form"] for r in events if r["role"] == "trigger"),
        surnames=frozenset(r["surname"] for r in read_tsv("surnames.tsv")),
        byline_titles=frozenset(r["form"] for r in read_tsv("byline_titles.tsv")),
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
    starts = doc.to_array("IDX").tolist()
    cuts: dict[int, set[int]] = {}
    for offset in offsets:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            continue
        token = doc[i]
        if token.idx < offset < token.idx + len(token.text):
            cuts.setdefault(i, set()).add(offset - token.idx)
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
    spans = []
    for start, end, label in candidates:
        span = doc.char_span(start, end, label=label)
        if span is not None and span.text.strip():
            spans.append(span)
    return spans


def _uncovered_name_material(outer: Span, inner: list[Span]) -> bool:
    covered = set()
    for span in inner:
        covered.update(range(span.start, span.end))
    return any(t.i not in covered and not t.is_space and not is_function_token(t) and not t.is_punct
               for t in outer)


def commit(doc: Doc, new: list[tuple[Span, EntityInfo]]) -> None:
    """Add spans to ``doc.ents``, resolving overlaps by source priority, then length.

    Each candidate keeps its own source: the trained NER's ``오픈AI``/PS and the lexicon's
    ``오픈AI``/OG cover the same characters, and the lexicon must win."""
    table = entity_info(doc)
    candidates: list[tuple[Span, EntityInfo]] = [
        (ent, table.get((ent.start_char, ent.end_char)) or EntityInfo(source="model")) for ent in doc.ents]
    candidates += new
    lexicon_spans = [span for span, info in candidates if info.source == "lexicon"]

    def rank(item: tuple[Span, EntityInfo]) -> tuple:
        span, info = item
        priority = PRIORITY[info.source]
        if info.source == "model":
            inside = [s for s in lexicon_spans if s.start >= span.start and s.end <= span.end
                      and (s.start, s.end) != (span.start, span.end)]
            if inside and all(s.label_ == span.label_ for s in inside) and _uncovered_name_material(span, inside):
                priority = PRIORITY["lexicon"] + 1
        return (-priority, -(span.end - span.start), span.start)

    chosen: list[tuple[Span, EntityInfo]] = []
    taken: set[int] = set()
    for span, info in sorted(candidates, key=rank):
        if taken.isdisjoint(range(span.start, span.end)):
            chosen.append((span, info))
            taken.update(range(span.start, span.end))
    chosen.sort(key=lambda item: item[0].start)
    doc.ents = [span for span, _ in chosen]
    table.clear()
    for span, info in chosen:
        table[(span.start_char, span.end_char)] = info


def trim_function_tokens(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (is_function_token(doc[start]) or doc[start].is_space or doc[start].text in "([{"):
        start += 1
    while end > start and (is_function_token(doc[end - 1]) or doc[end - 1].is_space
                           or doc[end - 1].text in ")]},."):
        end -= 1
    if start == end:
        return None
    return Span(doc, start, end, label=span.label_)


def followed_by_verb_suffix(span: Span) -> bool:
    """``인도했다``: a noun made a verb by 하다 is no name."""
    doc = span.doc
    return span.end < len(doc) and not doc[span.end - 1].whitespace_ and \
        base_tag(doc[span.end]) in {"XSV", "XSA", "VV", "VA"}


def glued_to_noun(span: Span) -> bool:
    """A match that is only the front of a longer noun compound (``기자`` in ``기자회견``)."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end - 1].whitespace_:
        return False
    return base_tag(doc[span.end]) in {"NNG", "NNP", "XSN"}


# --------------------------------------------------------------------------- components

@Language.factory("layout")
def make_layout(nlp: Language, name: str):
    def annotate(doc: Doc) -> Doc:
        regions = layout.article_regions(doc.text)
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
    if not doc.ents:
        return
    lex = lexicons()
    table = entity_info(doc)
    kept = []
    for ent in doc.ents:
        if table.get((ent.start_char, ent.end_char)) is not None:
            kept.append(ent)
            continue
        text = ent.text
        if ent.label_ not in MODEL_LABELS:
            continue
        if ent.label_ == "PS" and (not any("가" <= ch <= "힣" for ch in text) and (text.isupper() or " " not in text)
                                   or any(t.text in lex.titles for t in ent)):
            continue
        if ent.label_ == "CV" and ent[-1].text not in lex.titles:
            continue
        if _latin_phrase(text) or ent[-1].text in lex.not_entities:
            continue  # an English clause (Is to ensure ...), or a concept (범용 인공지능)
        if ent.label_ in {"AF", "EV", "OG"} and all(base_tag(t) in {"NNG", "XSN", "NNB"} or t.is_space for t in ent) \
                and not _quoted(ent):
            continue  # a common noun (버스, 전투기, 준결승): products and events here are named
        if ent.label_ == "PS" and not any(base_tag(t) in {"NNP", "SL", "SH"} for t in ent):
            continue  # 췌장암, 저유시설: a person's name is a proper noun
        if any(base_tag(t).startswith("J") for t in ent[1:-1]):
            continue  # 주한미군의 사드: a particle inside is two phrases, not one name
        if text.count("(") != text.count(")") or text.count("[") != text.count("]"):
            continue  # 네비도(Nebido: half a parenthesis
        if glued_to_noun(ent) or (ent.start > 0 and not doc[ent.start - 1].whitespace_
                                  and base_tag(doc[ent.start - 1]) in {"NNG", "NNP"}):
            continue  # cuts a word in two (AI 대|전환)
        kept.append(ent)
    doc.ents = kept
    for ent in kept:
        table.setdefault((ent.start_char, ent.end_char), EntityInfo(source="model"))


def _quoted(span: Span) -> bool:
    doc = span.doc
    return span.start > 0 and span.end < len(doc) and doc[span.start - 1].text in _QUOTES_OPEN \
        and doc[span.end].text in _QUOTES_CLOSE


def _latin_phrase(text: str) -> bool:
    """Latin text that is no name: a lower-case word in it, or one or two letters alone."""
    if any("가" <= ch <= "힣" for ch in text):
        return False
    words = text.split()
    return any(w[:1].islower() for w in words) or (len(words) == 1 and len(text) <= 2)


@Language.factory("lexicon_entities", default_config={"lexicon": "lexicon.tsv"})
def make_lexicon_entities(nlp: Language, name: str, lexicon: str):
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
def make_grammar_entities(nlp: Language, name: str):
    """QT / DT / TI spans and values from the normalisation grammar, sentence by sentence."""
    from .normalize import find_expressions

    def annotate(doc: Doc) -> Doc:
        found = []
        for sent in sentence_index(doc):
            base = sent.start_char
            for expr in find_expressions(sent.text, doc._.published):
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
    result = []
    end = index
    while end > 0 and len(result) < limit:
        j = end - 1
        if doc[j].is_space:
            j -= 1
        elif not doc[j].whitespace_ and end != index:
            break
        if j < 0:
            break
        if end != index and not (doc[j].whitespace_ or doc[j + 1].is_space):
            break
        start = j
        while start > 0 and not doc[start - 1].whitespace_ and not doc[start - 1].is_space:
            start -= 1
        result.append((start, j + 1))
        end = start
        if start == 0:
            break
    return result


def _word_text(doc: Doc, start: int, end: int) -> str:
    return doc[start:end].text


def _is_hangul(text: str) -> bool:
    return bool(text) and all("가" <= ch <= "힣" or ch == " " for ch in text)


def _entity_tokens(doc: Doc) -> set[int]:
    """Tokens inside entities the rules must respect. The trained NER's spans are soft: a rule
    may build over them (``제이슨`` from the model, ``제이슨 권`` from the title rule), and
    ``commit`` then prefers the rule."""
    table = entity_info(doc)
    return {i for ent in doc.ents for i in range(ent.start, ent.end)
            if getattr(table.get((ent.start_char, ent.end_char)), "source", "") != "model"}


def _name_word_ok(doc: Doc, start: int, end: int, taken: set[int], lex: Lexicons) -> bool:
    text = _word_text(doc, start, end)
    return (_is_hangul(text) and 1 <= len(text.replace(" ", "")) <= (9 if " " in text else 6)
            and all(base_tag(doc[i]) in {"NNP", "NNG", "NNB", "XSN", "MM", "NR"} for i in range(start, end))
            and (len(text) != 2 or any(base_tag(doc[i]) == "NNP" for i in range(start, end)))
            and not any(i in taken for i in range(start, end))
            and text not in lex.not_entities and text not in lex.titles and text not in lex.title_prefixes
            and _suffix_label(text, lex) not in {"OG", "LC", "EV"})


def _looks_korean_name(text: str, lex: Lexicons) -> bool:
    return 3 <= len(text) <= 4 and _is_hangul(text) and (text[0] in lex.surnames or text[:2] in lex.surnames)


def person_before(doc: Doc, index: int, lex: Lexicons) -> tuple[tuple[int, int] | None, tuple[int, int] | None,
                                                                  tuple[int, int] | None]:
    """(person, organisation, surname) token ranges before the title starting at token ``index``.

    ``이재용 삼성전자 회장`` -> person 이재용, organisation 삼성전자; ``제이슨 권 CSO`` -> person
    제이슨 권; ``권 CSO`` -> surname 권 only (a short reference, not a person mention).
    """
    ents_by_end = {ent.end: ent for ent in doc.ents}
    taken = _entity_tokens(doc)
    cursor = index
    while cursor > 0 and doc[cursor - 1].is_space:
        cursor -= 1
    if cursor > 1 and doc[cursor - 1].text in lex.title_prefixes and doc[cursor - 2].whitespace_ \
            and doc[cursor - 1].whitespace_:
        cursor -= 1  # 만델라 전 대통령
        while cursor > 0 and doc[cursor - 1].is_space:
            cursor -= 1
    org = None
    ent = ents_by_end.get(cursor)
    if ent is not None and ent.label_ == "OG" and doc[cursor - 1].whitespace_:
        org = (ent.start, ent.end)
        cursor = ent.start
    elif ent is not None and ent.label_ == "PS" and len(ent.text) >= 2 and ent.text not in lex.surnames \
            and ent.start in taken:
        return (ent.start, ent.end), None, None  # a person the lexicon or a rule already found
    if cursor == index and index > 0 and not (doc[index - 1].whitespace_ or doc[index - 1].is_space):
        return None, None, None  # the title is glued to the word before it (e.g. 지사장 inside a compound)
    words = words_before(doc, cursor, limit=3)
    if words and org is None and _suffix_label(_word_text(doc, *words[0]), lex) == "OG" \
            and all(base_tag(doc[i]) in PROPER_TAGS | {"NNG"} for i in range(*words[0])):
        org = words[0]  # 이인영 더불어민주당 원내대표: an unlisted party or company between name and title
        words = words[1:]
    words = words[:2]
    if not words:
        return None, org, None
    near = words[0]
    near_text = _word_text(doc, *near)
    model_ps = ents_by_end.get(near[1])
    if model_ps is not None and model_ps.label_ == "PS" and model_ps.start <= near[0] \
            and len(model_ps.text) >= 2 and model_ps.text not in lex.surnames:
        return (model_ps.start, model_ps.end), org, None  # the trained NER read the whole name
    if not _name_word_ok(doc, *near, taken, lex):
        return None, org, None
    far = words[1] if len(words) > 1 else None
    far_ok = (far is not None and _name_word_ok(doc, *far, taken, lex) and far[1] - far[0] == 1
              and base_tag(doc[far[0]]) == "NNP" and 2 <= len(_word_text(doc, *far)) <= 5)
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
    if _looks_korean_name(near_text, lex) or base_tag(doc[near[0]]) == "NNP":
        return near, org, None
    return None, org, None


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
    return any(text == suffix for suffix, _ in lex.suffixes)


def _quoted_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges inside quote marks, short and verb-free: candidate names."""
    spans = []
    open_at = None
    for token in doc:
        if token.text in _QUOTES_OPEN and (open_at is None or token.text not in _QUOTES_CLOSE):
            open_at = token.i
        elif token.text in _QUOTES_CLOSE and open_at is not None:
            start, end = open_at + 1, token.i
            open_at = None
            inner = doc[start:end]
            paren = next((t.i for t in inner if t.text == "("), None)
            if paren is not None and paren > start:
                end = paren  # '데브데이 익스체인지(DevDay Exchange)': the alias is handled on its own
                while end > start and doc[end - 1].is_space:
                    end -= 1
                inner = doc[start:end]
            if 0 < len(inner.text) <= 30 and all(
                    base_tag(t) in NAME_TAGS | {"NNB", "SP", "SO", "SW", "XSN", "NP", "_SP", "SSO", "SSC"}
                    for t in inner):
                spans.append((start, end))
    return spans


def _next_content(doc: Doc, index: int) -> Token | None:
    """The first token at or after ``index`` that is not whitespace, josa or closing punctuation."""
    i = index
    while i < len(doc) and (doc[i].is_space or base_tag(doc[i]).startswith("J") or doc[i].text in _QUOTES_CLOSE):
        i += 1
    return doc[i] if i < len(doc) else None


def _lemma_head(token: Token) -> str:
    return token.lemma_.split("+")[0]


@Language.factory("rule_entities")
def make_rule_entities(nlp: Language, name: str):
    """General rules over Kiwi tags; see the module docstring. Facts come from resources/."""

    def annotate(doc: Doc) -> Doc:
        lex = lexicons()
        new: list[tuple[Span, EntityInfo]] = []
        new += _byline_entities(doc, lex)
        new += _title_entities(doc, lex)
        commit(doc, new)
        commit(doc, _branch_names(doc))
        commit(doc, _compound_names(doc, lex))
        commit(doc, _quoted_and_apposed_names(doc, lex))
        commit(doc, _parenthesised_aliases(doc, lex))
        commit(doc, _alias_mentions(doc))
        commit(doc, _address_chains(doc, lex))
        return doc

    return annotate


def _byline_entities(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    titles = "|".join(sorted(map(re.escape, lex.byline_titles), key=len, reverse=True))
    pattern = re.compile(rf"(?P<name>[가-힣]{{2,4}})\s+(?:(?P<outlet>[^\s@]+?)\s+)?(?P<title>{titles})(?=\s|$|[=/])")
    found = []
    for region in doc._.regions or []:
        if region.kind != layout.BYLINE:
            continue
        match = pattern.search(doc.text, region.start, region.end)
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
    cv_spans = {ent.start: ent for ent in doc.ents if ent.label_ == "CV"}
    taken = _entity_tokens(doc)
    for token in doc:
        title = cv_spans.get(token.i)
        if title is None:
            if token.text not in lex.titles or token.i in taken:
                continue
            title = Span(doc, token.i, token.i + 1, label="CV")
            if glued_to_noun(title):
                continue  # 기자 in 기자회견
        person, org, surname = person_before(doc, title.start, lex)
        standalone = title.start in cv_spans
        if person is None and surname is None and org is None:
            # up to two modifier words before the title head: 글로벌 비즈니스 총괄
            for w_start, _ in words_before(doc, title.start, limit=2):
                if not all(base_tag(doc[i]) in {"NNG", "SL"} for i in range(w_start, title.start) if not doc[i].is_space) \
                        or any(i in taken for i in range(w_start, title.start)):
                    break
                person, org, surname = person_before(doc, w_start, lex)
                if person is not None and base_tag(doc[person[0]]) == "NNP":
                    title = Span(doc, w_start, title.end, label="CV")
                    standalone = False
                    break
                person = org = surname = None
        if person is None and surname is None and not standalone and org is None:
            continue
        if person is not None:
            found.append((Span(doc, person[0], person[1], label="PS"), EntityInfo(source="rule")))
            if org is not None and not any(i in taken for i in range(*org)):
                found.append((Span(doc, org[0], org[1], label="OG"), EntityInfo(source="rule")))
        if surname is not None:
            short_refs.append(ShortReference(doc[surname[0]].idx, doc[surname[1] - 1].idx + len(doc[surname[1] - 1]),
                                             doc[surname[0]:surname[1]].text, title.start_char, title.end_char))
        if not standalone:
            found.append((title, EntityInfo(norm=lex.titles.get(title.text, title.text), source="rule")))
    doc._.short_refs = short_refs
    return found + _names_after_titles(doc, lex)


def _names_after_titles(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """``애플 CEO 스티브 잡스가``: ORG/PLACE + title + proper name; the name follows the title.

    Only after an organisation or place and a title, and only for one or two proper-noun
    words closed by a particle or punctuation, so that ``대통령 취임식`` stays what it is."""
    found = []
    taken = _entity_tokens(doc)
    ents = sorted(doc.ents, key=lambda e: e.start)
    for i, title in enumerate(ents):
        if title.label_ != "CV":
            continue
        j = title.end
        copula = j < len(doc) and doc[j].tag_ == "VCP+ETM" and not doc[j - 1].whitespace_
        if copula:
            j += 1  # 삼성전자 부회장인 이재용: the title, 이/VCP + ᆫ, then the name
        elif i == 0 or ents[i - 1].label_ not in {"OG", "LC"} or ents[i - 1].end != title.start \
                and not all(t.is_space for t in doc[ents[i - 1].end:title.start]):
            continue
        if j >= len(doc) or not doc[j - 1].whitespace_:
            continue
        start, words = j, 0
        while j < len(doc) and words < 2 and base_tag(doc[j]) == "NNP" and _is_hangul(doc[j].text) \
                and j not in taken and doc[j].text not in lex.titles:
            j += 1
            words += 1
            if j < len(doc) and not doc[j - 1].whitespace_:
                break
        if words == 0 or j >= len(doc):
            continue
        closer = doc[j]
        if not (base_tag(closer).startswith("J") or closer.is_punct) or doc[j - 1].whitespace_ and not closer.is_punct:
            continue
        span = Span(doc, start, j, label="PS")
        if 2 <= len(span.text.replace(" ", "")) <= 10:
            found.append((span, EntityInfo(source="rule")))
    return found


def _branch_names(doc: Doc) -> list[tuple[Span, EntityInfo]]:
    """``오픈AI 코리아``: an organisation followed by a branch word names the branch, a new OG."""
    words = {row["suffix"] for row in read_tsv("branch_words.tsv")}
    found = []
    for ent in doc.ents:
        if ent.label_ != "OG":
            continue
        i = ent.end
        while i < len(doc) and doc[i].is_space:
            i += 1
        if i < len(doc) and doc[i].text in words and (i == ent.end + 1 or doc[ent.end - 1].whitespace_ or i == ent.end):
            found.append((Span(doc, ent.start, i + 1, label="OG"), EntityInfo(source="lexicon")))
    return found


def _compound_names(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Proper-noun compounds whose head names their kind: ``SK텔레콤``, ``파이팩토리 스튜디오``, ``광진구``."""
    taken = _entity_tokens(doc)
    found = []
    for token in doc:
        if token.i in taken or base_tag(token) not in {"NNG", "NNP"}:
            continue
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if nxt is not None and not token.whitespace_ and base_tag(nxt) in {"NNG", "NNP", "XSN"}:
            continue  # not the head yet
        word_start = token.i
        while word_start > 0 and not doc[word_start - 1].whitespace_ and base_tag(doc[word_start - 1]) in PROPER_TAGS | {"NNG"} \
                and (word_start - 1 not in taken or _glued_place(doc, word_start - 1)):
            word_start -= 1
        head_text = doc[word_start:token.i + 1].text
        if token.text in lex.not_entities:
            continue  # 문재인 정부: an excluded generic head
        label = _suffix_label(head_text, lex) or _suffix_label(token.text, lex, whole_word=word_start == token.i)
        if label == "EV" and word_start < token.i:
            continue  # 머니투데이: an event head must stand as a word of its own (파운더스 데이)
        if not label or (len(head_text) == len(token.text) and token.text in [x for x, _ in lex.suffixes]
                         and word_start < token.i):
            continue
        if base_tag(token) != "NNP" and any(head_text.endswith(x) for x, _ in lex.suffixes if len(x) == 1) \
                and not any(head_text.endswith(x) for x, _ in lex.suffixes if len(x) > 1):
            continue  # 방면, 국면: a one-syllable head counts only on a proper noun
        # The name part: proper material inside the word, or proper words right before it.
        start = word_start
        has_proper = any(base_tag(doc[i]) in PROPER_TAGS for i in range(word_start, token.i + (len(token.text) > 2)))
        if word_start == token.i or not has_proper:
            words = words_before(doc, word_start, limit=2)
            for w_start, w_end in words:
                word = _word_text(doc, w_start, w_end)
                if any(i in taken for i in range(w_start, w_end)) or not all(
                        base_tag(doc[i]) in PROPER_TAGS for i in range(w_start, w_end)) \
                        or word in lex.not_entities or _suffix_label(word, lex):
                    break  # a place or organisation of its own (광진구 before 파이팩토리 스튜디오)
                start = w_start
            has_proper = start < word_start or (base_tag(token) == "NNP" and len(token.text) >= 3
                                                and word_start == token.i and not _is_suffix(token.text, lex))
        if not has_proper:
            continue
        span = Span(doc, start, token.i + 1, label=label)
        if span.text in lex.not_entities or len(span.text) < 2:
            continue
        glued_over_name = any(i in taken for i in range(span.start, span.end))
        found.append((span, EntityInfo(source="lexicon" if glued_over_name else "rule")))
    return found


def _glued_place(doc: Doc, index: int) -> bool:
    """A lexicon place glued to the next noun (한국 in 한국일보): the compound names something else."""
    ent = next((e for e in doc.ents if e.start <= index < e.end), None)
    return ent is not None and ent.label_ == "LC" and ent.end == index + 1 and not doc[index].whitespace_


def _quoted_and_apposed_names(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Quoted names held as events or made as products, and ``워크숍인 X`` appositions."""
    found = []
    taken = _entity_tokens(doc)
    table = entity_info(doc)
    for start, end in _quoted_spans(doc):
        inside = [e for e in doc.ents if e.start < end and e.end > start]
        if any(table[(e.start_char, e.end_char)].source == "lexicon" and (e.start, e.end) == (start, end)
               for e in inside) or any(e.start < start or e.end > end for e in inside):
            continue
        label = ""
        after = _next_content(doc, end)
        close = end
        while close < len(doc) and (doc[close].text in _QUOTES_CLOSE or doc[close].text in "()"
                                    or base_tag(doc[close]) == "SL" or doc[close].is_space):
            close += 1  # past the closing quote and a parenthesised alias
        josa = "".join(t.text for t in doc[close:close + 2] if base_tag(t).startswith("J"))
        window = [t for t in doc[close:min(len(doc), close + 8)] if not t.is_space]
        if after is not None and after.text in lex.event_nouns:
            label = "EV"
        elif josa[:1] in {"을", "를", "은", "는", "엔", "도"} and any(
                _lemma_head(t) in lex.event_triggers for t in window[:6]):
            label = "EV"
        elif after is not None and after.text in {"개발사", "제조사", "운영사", "출시"}:
            label = "AF"
        elif _suffix_label(doc[start:end].text, lex) == "EV":
            label = "EV"
        if label:
            found.append((Span(doc, start, end, label=label), EntityInfo(source="delimited")))
    # 워크숍인 X / 행사인 X: the copula makes X the event's name.
    for token in doc:
        if token.text in lex.event_nouns and token.i + 1 < len(doc) and doc[token.i + 1].tag_.startswith("VCP"):
            i = token.i + 2
            while i < len(doc) and doc[i].is_space:
                i += 1
            quoted = i < len(doc) and doc[i].text in _QUOTES_OPEN
            if quoted:
                i += 1
            j = i
            while j < len(doc) and base_tag(doc[j]) in NAME_TAGS | {"_SP"} and not is_function_token(doc[j]) \
                    and doc[j].text not in _QUOTES_CLOSE:
                j += 1
                if not quoted and doc[j - 1].whitespace_ and j < len(doc) and not base_tag(doc[j]) in PROPER_TAGS:
                    break
            if j > i and (quoted or not any(k in taken for k in range(i, j))):
                found.append((Span(doc, i, j, label="EV"), EntityInfo(source="delimited" if quoted else "rule")))
    return found


def _parenthesised_aliases(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """``X(Y)`` and ``X(이하 Y)``: an alias in parentheses gets the label and name of X, and vice versa."""
    found = []
    ents = {ent.end: ent for ent in doc.ents}
    starts = {ent.start: ent for ent in doc.ents}
    for token in doc:
        if token.text != "(":
            continue
        close = next((t.i for t in doc[token.i + 1:token.i + 12] if t.text == ")"), None)
        if close is None or close == token.i + 1:
            continue
        inner_start = token.i + 1
        if doc[inner_start].text == "이하":
            inner_start += 1
            while inner_start < close and doc[inner_start].is_space:
                inner_start += 1
        if inner_start >= close:
            continue
        outer = ents.get(token.i)
        inner = starts.get(inner_start)
        inner_is_whole = inner is not None and inner.end == close
        head_of = _title_and_name(doc, inner_start, close, lex)
        if head_of is not None:  # 포천시(시장 박윤국): a title and the person holding it
            title, person = head_of
            found.append((title, EntityInfo(norm=lex.titles.get(title.text, title.text), source="rule")))
            found.append((person, EntityInfo(source="rule")))
            continue
        if outer is not None and inner is None and not any(i in _entity_tokens(doc) for i in range(inner_start, close)):
            span = Span(doc, inner_start, close, label=outer.label_)
            if len(span.text) <= 30 and all(base_tag(t) in NAME_TAGS | {"_SP"} for t in span):
                found.append((span, EntityInfo(norm=outer._.info.norm or outer.text, source="rule")))
        elif outer is None and inner_is_whole and inner.label_ in {"OG", "EV", "AF", "LC"}:
            # Y is known, X before the parenthesis is its Korean full form.
            words = words_before(doc, token.i, limit=4)
            start = None
            for w_start, w_end in words:
                if not all(base_tag(doc[i]) in NAME_TAGS for i in range(w_start, w_end)):
                    break
                start = w_start
            quote = next((t.i for t in doc[max(0, token.i - 12):token.i] if t.text in _QUOTES_OPEN), None)
            if quote is not None and start is not None and quote + 1 <= token.i:
                start = quote + 1
            if start is not None and start < token.i:
                span = Span(doc, start, token.i, label=inner.label_)
                if span.text.strip() and span.text not in lex.not_entities:
                    found.append((span, EntityInfo(source="rule")))
    return found


def _title_and_name(doc: Doc, start: int, end: int, lex: Lexicons) -> tuple[Span, Span] | None:
    """Inside parentheses: ``시장 박윤국`` / ``원장 박상열`` -> (CV span, PS span)."""
    tokens = [t for t in doc[start:end] if not t.is_space]
    if len(tokens) < 2 or tokens[0].text not in lex.titles:
        return None
    name = doc[tokens[1].i:end]
    text = name.text.strip()
    if not (_looks_korean_name(text, lex) or (" " in text and _is_hangul(text) and len(text) <= 10)):
        return None
    return Span(doc, tokens[0].i, tokens[0].i + 1, label="CV"), Span(doc, tokens[1].i, end, label="PS")


def _alias_mentions(doc: Doc) -> list[tuple[Span, EntityInfo]]:
    """Later bare mentions of an alias introduced in parentheses (``(이하 AFC)`` ... ``AFC는``)."""
    table = entity_info(doc)
    aliases: dict[str, tuple[str, str, int]] = {}
    for ent in doc.ents:
        info = table.get((ent.start_char, ent.end_char))
        if info is None or info.source != "rule" or not info.norm or info.norm == ent.text:
            continue
        if ent.start > 0 and doc[ent.start - 1].text in ("(", "이하"):
            aliases.setdefault(ent.text, (ent.label_, info.norm, ent.end_char))
    if not aliases:
        return []
    taken = _entity_tokens(doc)
    found = []
    for alias, (label, norm, after) in aliases.items():
        position = doc.text.find(alias, after)
        while position >= 0:
            span = doc.char_span(position, position + len(alias), label=label)
            if span is not None and not any(i in taken for i in range(span.start, span.end)) \
                    and not glued_to_noun(span):
                found.append((span, EntityInfo(norm=norm, source="rule")))
            position = doc.text.find(alias, position + len(alias))
    return found


def _address_chains(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Adjacent places written as one address (``서울 광진구``) are one LC; a venue stays separate."""
    found = []
    admin = tuple(r["suffix"] for r in read_tsv("name_suffixes.tsv") if r.get("chain") == "yes")
    taken = _entity_tokens(doc)
    for ent in [e for e in doc.ents if e.label_ == "LC"]:
        # 서울 중구: a short administrative name right after a place joins it
        i = ent.end
        if i < len(doc) and doc[i - 1].whitespace_ and i not in taken and base_tag(doc[i]) == "NNP" \
                and 2 <= len(doc[i].text) <= 4 and doc[i].text.endswith(admin) and _is_hangul(doc[i].text):
            found.append((Span(doc, ent.start, i + 1, label="LC"), EntityInfo(source="lexicon")))
    commit(doc, found)
    found = []
    ents = sorted((e for e in doc.ents if e.label_ == "LC"), key=lambda e: e.start)
    i = 0
    while i < len(ents):
        j = i
        while j + 1 < len(ents) and ents[j + 1].start == ents[j].end and ents[j].end > 0 \
                and doc[ents[j].end - 1].whitespace_ and ents[j + 1].text.endswith(admin):
            j += 1
        if j > i:
            found.append((Span(doc, ents[i].start, ents[j].end, label="LC"), EntityInfo(source="lexicon")))
        i = j + 1
    return found


def _law_or_treaty(text: str, lex: Lexicons) -> bool:
    last = text.split()[-1]
    for head, unless in lex.excluded_heads:  # longest head first: 금지법 decides before 법
        if last.endswith(head) and len(last) > len(head):
            return not last.endswith(unless)
    return False


def _generic_compound(span: Span, lex: Lexicons) -> bool:
    """``한국 정부``: a name plus the next word make an excluded generic phrase."""
    doc = span.doc
    nxt = span.end
    while nxt < len(doc) and doc[nxt].is_space:
        nxt += 1
    if nxt >= len(doc) or not doc[span.end - 1].whitespace_:
        return False
    return f"{span.text} {doc[nxt].text}" in lex.not_entities


GLUED_JOSA = ("가", "는", "은", "를", "을", "의", "와", "과", "도", "에")


def _glued_josa_cut(span: Span) -> bool:
    """``오콘조이웨알라가``: Kiwi left a particle on an unknown foreign name. Cut it when the
    article writes the name without it elsewhere."""
    text = span.text
    if span.label_ not in {"PS", "OG", "LC"} or len(text) < 4 or not text.endswith(GLUED_JOSA):
        return False
    last_word = text.split()[-1]
    if len(last_word) < 3:
        return False
    bare, full_text = last_word[:-1], span.doc.text
    own = span.end_char - len(last_word)
    at = full_text.find(bare)
    while at >= 0:
        if at != own and full_text[at + len(bare):at + len(bare) + 1] != text[-1]:
            return True
        at = full_text.find(bare, at + 1)
    return False


def _is_group(span: Span) -> bool:
    """``기자들``, ``최고경영자(CEO)들``: a title in the plural names a group, not a position."""
    doc = span.doc
    i = span.end
    if i < len(doc) and doc[i].text == ")" and span.start > 0 and doc[span.start - 1].text == "(":
        i += 1  # 최고경영자(CEO)들: the alias inside the parentheses
    elif i < len(doc) and doc[i].text == "(":
        close = next((t.i for t in doc[i:i + 6] if t.text == ")"), None)
        i = close + 1 if close is not None else i
    return i < len(doc) and not doc[i - 1].whitespace_ and doc[i].text == "들"


@Language.factory("entity_cleanup")
def make_entity_cleanup(nlp: Language, name: str):
    """Apply the conventions' exclusions: no josa, no metadata, no e-mail, no generic words."""

    def annotate(doc: Doc) -> Doc:
        lex = lexicons()
        meta = [(r.start, r.end) for r in doc._.regions or [] if r.kind == layout.META]
        table = entity_info(doc)
        kept = []
        for ent in doc.ents:
            info = table.get((ent.start_char, ent.end_char), EntityInfo())
            span = trim_function_tokens(ent)
            if span is None:
                continue
            text = span.text
            if any(s <= span.start_char < e for s, e in meta):
                continue
            if text in lex.not_entities or any(base_tag(t).startswith("W_") for t in span):
                continue
            if span.label_ == "PS" and len(text) < 2:
                continue
            if _generic_compound(span, lex) or (span.label_ == "CV" and _is_group(span)):
                continue
            if span.label_ in {"PS", "OG", "LC", "AF", "EV"} and _law_or_treaty(text, lex):
                continue  # 차별금지법, 파리협정: laws and treaties are not entities
            end_char = span.end_char
            if info.source in ("model", "rule") and _glued_josa_cut(span):
                end_char -= 1
            kept.append((span.start_char, end_char, span.label_, info))
        spans = char_spans(doc, [(start, end, label) for start, end, label, _ in kept])
        infos = {(start, end): info for start, end, _, info in kept}
        table.clear()
        for span in spans:
            table[(span.start_char, span.end_char)] = infos[(span.start_char, span.end_char)]
        doc.ents = spans
        return doc

    return annotate


@Language.factory("canonical_names")
def make_canonical_names(nlp: Language, name: str):
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

    def alias_pairs(doc: Doc) -> list[tuple[Span, Span]]:
        starts = {e.start: e for e in doc.ents}
        ends = {e.end: e for e in doc.ents}
        pairs = []
        for token in doc:
            if token.text != "(" or token.i not in ends:
                continue
            outer = ends[token.i]
            i = token.i + 1
            if i < len(doc) and doc[i].text == "이하":
                i += 1
                while i < len(doc) and doc[i].is_space:
                    i += 1
            inner = starts.get(i)
            if inner is None or inner.end >= len(doc) or doc[inner.end].text != ")":
                continue
            if inner.label_ == outer.label_ and inner.label_ not in {"QT", "DT", "TI", "PS"}:
                pairs.append((outer, inner))
        return pairs

    def annotate(doc: Doc) -> Doc:
        lex = lexicons()
        table = entity_info(doc)
        # 1. in-article alias groups from parentheses: (label, written form) -> canonical name
        parent: dict[tuple[str, str], tuple[str, str]] = {}

        def find(key):
            while parent.get(key, key) != key:
                key = parent[key]
            return key

        def base_form(ent: Span) -> str:
            info = table.get((ent.start_char, ent.end_char))
            if ent.label_ == "CV":
                return lex.titles.get(ent.text) or ent.text
            return (info.norm if info and info.norm else None) or lex.aliases.get(ent.text) or ent.text

        members: dict[tuple[str, str], list[str]] = {}
        for outer, inner in alias_pairs(doc):
            a, b = (outer.label_, outer.text), (inner.label_, inner.text)
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
        all_people = {group_name.get(("PS", e.text)) or getattr(table.get((e.start_char, e.end_char)), "norm", "")
                      or e.text for e in doc.ents if e.label_ == "PS"}
        ids: dict[tuple[str, str], str] = {}
        for ent in doc.ents:
            info = table.setdefault((ent.start_char, ent.end_char), EntityInfo())
            if ent.label_ in {"QT", "DT", "TI"}:
                key = (ent.label_, info.norm or ent.text)
            else:
                grouped = group_name.get((ent.label_, ent.text))
                if grouped:
                    info.norm = grouped
                elif not info.norm:
                    info.norm = (lex.titles.get(ent.text) if ent.label_ == "CV" else None) \
                        or lex.aliases.get(ent.text) or ent.text
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
