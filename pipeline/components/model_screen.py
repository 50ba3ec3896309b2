"""Component ``model_screen``: keeps the trained NER's spans only where they can be right under the
conventions (runs right after ``ner``, only when the trained NER is in the pipeline).

Reads and writes ``doc.ents``; every span kept gets its details with source ``model``, the weakest
source: the lexicon, grammar and rules that follow win every overlap with it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..entities.lexicons import DEFAULT_LEXICON, Lexicons, lexicons
from ..entities.spans import enabled
from ..entities.words import gazetteer_label, glued_at, is_hangul, looks_korean_name, quoted, suffix_label
from ..records import (
    EntityInfo,
    TokenColumns,
    entity_info,
    entity_spans,
    set_entity_spans,
    token_columns,
)
from ..resources import read_tsv
from .grammar_entities import sentence_expressions


@Language.factory("model_screen", default_config={"lexicon": DEFAULT_LEXICON}, requires=["doc.ents"],
                  assigns=["doc.ents", "doc._.entity_info"])
def make_model_screen(nlp, name: str, lexicon: str):
    def annotate(doc: Doc) -> Doc:
        if enabled("model_screen"):
            screen_model_entities(doc, lexicons(lexicon))
        else:
            table = entity_info(doc)
            for ent in entity_spans(doc):
                table.setdefault((ent.start_char, ent.end_char), EntityInfo(source="model"))
        return doc

    return annotate


MODEL_LABELS = {"PS", "OG", "LC", "AF", "EV", "CV"}
# The model's QT, DT and TI fill what the grammar leaves (the grammar wins every overlap) when the
# normaliser reads the span whole, which gives them their value and norm (_grammar_reading); screening
# them all out lowered tune F1 and the NER dev figure (docs/entities.md). The model's CV must be a known
# title (지사 in 한국지사 is a branch): without that screen tune and dev moved by 0.001-0.004, and a
# branch became a title.
SCREEN_UNKNOWN_TITLES = True
# Common nouns only are no product or event here (버스, 준결승), nor an organisation unless they name an
# institution (경찰, 국회, 법원, 국가안보국: labelling guide 4.14, "an institution is an OG wherever it
# stands"): an organisation's head (부, 처, 국, 위원회, 병원 ...) or a KONNE organisation form.
COMMON_NOUN_SCREENED = {"AF", "EV"}



def screen_model_entities(doc: Doc, lex: Lexicons) -> None:
    """Keep the trained NER's spans only where they can be right under the conventions.

    The model fills gaps between what the lexicon, grammar and rules find (lowest priority);
    its quantities, dates and times give way to the grammar; a person is never an acronym
    (``WAU``) and never holds a title inside (``브래드 라이트캡 최고운영책임자``); a title must be
    one of the known titles.
    """
    original = ents = entity_spans(doc)
    if not ents:
        return
    table = entity_info(doc)
    tok = token_columns(doc)
    if enabled("foreign_names"):
        ents = _joined_foreign_names(doc, tok, ents, table, lex)
    if enabled("given_names"):
        ents = _with_given_names(doc, tok, ents, table, lex)
    words, tags = tok.words, tok.base_tags
    cued: set[str] = set()
    persons = _evident_persons(doc, tok, ents, table, lex, cued)
    products = _product_persons(tok, ents, table, lex) if enabled("product_persons") else set()
    name_words = _person_name_words(tok, ents, cued) if enabled("person_name_words") else set()
    kept = []
    readings: dict[tuple[int, int], EntityInfo] = {}
    grammar = {(base + e.start, base + e.end): e for base, exprs in sentence_expressions(doc) for e in exprs} \
        if any(ent.label_ not in MODEL_LABELS for ent in ents) else {}
    for ent in ents:
        if ent.label_ in {"OG", "LC", "AF"} and tok.text[ent.start_char:ent.end_char] in name_words \
                and table.get((ent.start_char, ent.end_char)) is None and gazetteer_label(ent) != ent.label_ \
                and not quoted(tok, ent.start, ent.end):  # ('겐조', the brand of 다카다 겐조)
            ent = Span(doc, ent.start, ent.end, label="PS")  # 호스니 무바라크 ... 무바라크는: the person again
        if ent.label_ == "PS" and tok.text[ent.start_char:ent.end_char] in products:
            ent = Span(doc, ent.start, ent.end, label="AF")  # 허쥬마를 판매: a product, not a person
        if ent.label_ == "PS" and " " in tok.text[ent.start_char:ent.end_char] and enabled("glued_names") \
                and table.get((ent.start_char, ent.end_char)) is None:
            parts = _unglued_persons(doc, tok, ent, lex)
            if parts is not None:
                kept.extend(parts)
                continue
        if table.get((ent.start_char, ent.end_char)) is not None:
            kept.append(ent)
            continue
        text = tok.text[ent.start_char:ent.end_char]
        label, inside = ent.label_, range(ent.start, ent.end)
        if label not in MODEL_LABELS and enabled("screen_labels"):
            reading = _grammar_reading(ent, label, doc._.published, grammar)
            if reading is None:
                continue  # a quantity, date or time the normaliser cannot read whole: no value to give
            readings[(ent.start_char, ent.end_char)] = reading
        if label == "PS" and enabled("screen_ps_shape") and (
                not any("가" <= ch <= "힣" for ch in text) and (text.isupper() or " " not in text)
                or any(words[i] in lex.titles for i in inside)):
            continue
        if label == "CV" and SCREEN_UNKNOWN_TITLES and words[ent.end - 1] not in lex.titles and enabled("screen_cv_title"):
            continue
        if enabled("screen_not_entities") and (_latin_phrase(text) or words[ent.end - 1] in lex.not_entities):
            continue  # an English clause (Is to ensure ...), or a concept (범용 인공지능)
        if (label in COMMON_NOUN_SCREENED or label == "OG" and not _institution(doc, text, ent.start, lex)) \
                and enabled("screen_common_noun") and all(tags[i] in {"NNG", "XSN", "NNB"} or tok.is_space[i] for i in inside) \
                and not (quoted(tok, ent.start, ent.end) and not _survey_item(tok, ent)):
            continue  # a common noun (버스, 전투기, 준결승): products and events here are named
        if enabled("screen_abbreviation") and _abbreviates_common_noun(tok, ent.start, ent.end, lex):
            continue
        if label == "PS" and enabled("screen_ps_proper") and text not in cued \
                and not any(tags[i] in {"NNP", "SL", "SH"} for i in inside):
            continue  # 췌장암, 저유시설: a person's name is a proper noun
        if label == "PS" and text not in persons and enabled("person_evidence"):
            continue  # 코로나, 블록체인: nothing in the article says this proper noun is a person
        if enabled("screen_particle") and any(tags[i].startswith("J") for i in inside[1:-1]):
            continue  # 주한미군의 사드: a particle inside is two phrases, not one name
        if enabled("screen_brackets") and (text.count("(") != text.count(")") or text.count("[") != text.count("]")):
            continue  # 네비도(Nebido: half a parenthesis
        if enabled("screen_cut_word") and (glued_at(tok, ent.end) or (ent.start > 0 and not tok.space_after[ent.start - 1]
                                      and tags[ent.start - 1] in {"NNG", "NNP"})):
            continue  # cuts a word in two (AI 대|전환)
        kept.append(ent)
    set_entity_spans(doc, kept, original)
    for ent in kept:
        key = (ent.start_char, ent.end_char)
        if key not in table:  # (an EntityInfo only for a new key, not one for each setdefault call)
            table[key] = readings.get(key) or EntityInfo(source="model")



def _institution(doc: Doc, text: str, start: int, lex: Lexicons) -> bool:
    """Common nouns that name an institution: an organisation's head ends them (국가안보국, 국토해양부)
    or the KONNE gazetteer knows them as an organisation (경찰, 공군)."""
    return suffix_label(text, lex, whole_word=True) == "OG" or str(doc[start].morph) == "Gaz=B_OG"



_YEAR = re.compile(r"\d{4}년")


def _grammar_reading(ent: Span, label: str, published, readings: dict[tuple[int, int], object]) -> EntityInfo | None:
    """The normaliser's reading of a model span of label QT, DT or TI in its sentence (the grammar's own
    reading, :func:`sentence_expressions`): the normaliser must find exactly this span there
    (``헌의6조``, ``전기통신기본법 2조 1항``: no trillions; ``4월 혁명``: no date of this year), or None. A year
    with its counter before an event's name is read alone: the entity stage keeps ``2018년`` of ``2018년
    평창 동계올림픽`` as a date (tests/corpus/entities/compounds.jsonl), the normaliser leaves it to the event."""
    from ..normalize import find_expressions

    match = readings.get((ent.start_char, ent.end_char))
    if match is not None and match.label != label:
        match = None
    if match is None and label == "DT" and _YEAR.fullmatch(ent.text):
        alone = find_expressions(ent.text, published)
        match = alone[0] if len(alone) == 1 and alone[0].end == len(ent.text) and alone[0].label == label else None
    return EntityInfo.from_reading(match, source="model") if match is not None else None



def _product_persons(tok: TokenColumns, ents, table: dict, lex: Lexicons) -> set[str]:
    """Names the trained NER calls persons that the article uses as products: a product cue right
    after a mention (past its particle: 나보타의 판매, 허쥬마를 출시) or right before it (바이오시밀러
    허쥬마), and no title or person cue next to any mention, nor a person from the lexicon or a rule."""
    words = tok.words
    cued, personal = set(), set()
    for ent in ents:
        if ent.label_ != "PS":
            continue
        text = tok.text[ent.start_char:ent.end_char]
        after, before = tok.next_word(ent.end), tok.previous_word(ent.start - 1)
        if table.get((ent.start_char, ent.end_char)) is not None \
                or any(i is not None and (words[i] in lex.titles or words[i] in lex.person_cues) for i in (after, before)):
            personal.add(text)
            continue
        if _product_cue_follows(tok, ent.end, lex) or (before is not None and words[before] in lex.product_previous):
            cued.add(text)
    return cued - personal



def _unglued_persons(doc: Doc, tok: TokenColumns, ent: Span, lex: Lexicons) -> list[Span] | None:
    """A person span of several words that glues two names or a name and a headline word: ``이상헌
    박경준`` (each word a Korean name's shape) is two persons; ``김영철 방남`` (a common noun after a
    Korean name) is the name alone. None when the span is one name (``도널드 트럼프``)."""
    words_at: list[tuple[int, int]] = []
    i = ent.start
    while i < ent.end:
        if tok.is_space[i]:
            i += 1
            continue
        j = i
        while j + 1 < ent.end and not tok.space_after[j]:
            j += 1
        words_at.append((i, j + 1))
        i = j + 1
    if len(words_at) < 2:
        return None
    texts = [tok.span_text(a, b) for a, b in words_at]
    if all(looks_korean_name(t, lex) for t in texts):
        return [Span(doc, a, b, label="PS") for a, b in words_at]
    tags = tok.base_tags
    if looks_korean_name(texts[0], lex) and all(tags[k] == "NNG" for a, b in words_at[1:] for k in range(a, b)):
        return [Span(doc, words_at[0][0], words_at[0][1], label="PS")]
    return None



def _joined_foreign_names(doc: Doc, tok: TokenColumns, ents, table: dict, lex: Lexicons) -> list[Span]:
    """Adjacent model persons with only a space between them, neither with a Korean name's shape, are
    one foreign name written in Hangul that the tagger cut (``테워드로스 아드하놈`` + ``거브러여수스``).
    Two Korean names side by side (``이상헌 박경준``) stay two persons."""
    out: list[Span] = []
    for ent in ents:
        prev = out[-1] if out else None
        if (prev is not None and ent.label_ == "PS" and prev.label_ == "PS"
                and table.get((prev.start_char, prev.end_char)) is None
                and table.get((ent.start_char, ent.end_char)) is None
                and tok.text[prev.end_char:ent.start_char] == " "
                and all(is_hangul(t.replace(" ", "")) and not looks_korean_name(t, lex)
                        for t in (tok.text[prev.start_char:prev.end_char], tok.text[ent.start_char:ent.end_char]))):
            if not (_complete_known_name(prev) or _complete_known_name(ent)):
                out[-1] = Span(doc, prev.start, ent.end, label="PS")
                continue
        out.append(ent)
    return out



def _survey_item(tok: TokenColumns, ent: Span) -> bool:
    """A quoted single common noun with a figure in brackets after it is an answer of a survey
    (``‘피자’(75.4%)``, ``‘세탁소’(44.5%)``), not the title of a work (``'귀향’은``)."""
    close = ent.end
    return (ent.end - ent.start == 1 and close + 2 < len(tok.words) and tok.words[close + 1] == "("
            and tok.words[close + 2][:1].isdigit())


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    return frozenset(r["form"] for r in read_tsv("given_names.tsv"))


def _with_given_names(doc: Doc, tok: TokenColumns, ents, table: dict, lex: Lexicons) -> list[Span]:
    """A foreign person the tagger found without the given name right before it (``도널드`` + PS
    ``트럼프``) takes it: a proper noun one space before, outside every entity, that starts many foreign
    persons' names (resources/given_names.tsv). A Korean name stays as it is."""
    names, out, taken_end = _given_names(), [], -1
    for ent in ents:
        i = ent.start - 1
        if (ent.label_ == "PS" and i >= 0 and table.get((ent.start_char, ent.end_char)) is None
                and tok.text[ent.start_char - 1:ent.start_char] == " " and tok.ends[i] == ent.start_char - 1
                and tok.words[i] in names and tok.base_tags[i] == "NNP"
                and not looks_korean_name(tok.text[ent.start_char:ent.end_char], lex)):
            prev = out[-1] if out else None
            if i > taken_end:
                ent = Span(doc, i, ent.end, label="PS")
            elif prev is not None and (prev.start, prev.end) == (i, i + 1) and prev.label_ in {"LC", "OG", "AF"} \
                    and table.get((prev.start_char, prev.end_char)) is None:
                out.pop()  # 로널드 (the model's LC) 레이건: one person
                ent = Span(doc, i, ent.end, label="PS")
        out.append(ent)
        taken_end = ent.end - 1
    return out


def _complete_known_name(span: Span) -> bool:
    """A part that is already a whole name the gazetteer knows (``아베 신조``) or one of Kiwi's
    multi-word proper nouns (``오우 본선``, a railway line) does not grow into a longer person."""
    return (len(span) > 1 and bool(gazetteer_label(span))) or any(" " in t.text for t in span)


def _product_cue_follows(tok: TokenColumns, end: int, lex: Lexicons, window: int = 4) -> bool:
    """A product cue among the next ``window`` words of the clause (particles skipped; a verb, an
    ending or a sentence mark ends the clause): 허쥬마를 유럽에 판매, 나보타는 보툴리눔 톡신 제제."""
    tags, words = tok.base_tags, tok.words
    seen, i = 0, end
    while i < len(words) and seen < window:
        tag = tags[i]
        if tok.is_space[i] or tag.startswith("J"):
            i += 1
            continue
        if words[i] in lex.product_next:
            return True
        if tag.startswith(("V", "E", "SF", "XS")) or tag in {"SP", "VCP"}:
            return False
        seen += 1
        i += 1
    return False



def _evident_persons(doc: Doc, tok: TokenColumns, ents, table: dict, lex: Lexicons,
                     cued: set[str]) -> set[str]:
    """The person names of the Doc (an article) that something besides the model vouches for.

    Kiwi tags loanwords and names alike as proper nouns, and the model calls many of them persons
    (코로나, 블록체인, 신칸센). A name is a person's when, at one of its mentions at least, a title
    or a person cue stands right before or after it (트럼프 대통령, 사무총장 오콘조이웨알라, 이 씨),
    the lexicon or a rule found it as a person, it has a Korean name's shape (a surname and two or
    three syllables), it has more than one word, or it is a KONNE person form (the gazetteer
    feature marked it); a word of such a multi-word name counts too (호스니 무바라크 -> 무바라크).
    An age in a bracket after the name (``쑨웨이(22·중국)``) is a cue too, and a list of names shares
    the evidence of one of them. The names vouched for by a cue, not by their shape, are added to
    ``cued``: a common noun's spelling does not unmake them (``선미 씨``, ``은하(정은비·19)씨``).
    """
    words = tok.words

    def cue(i: int | None) -> bool:
        return i is not None and (words[i] in lex.titles or words[i] in lex.person_cues)

    evident: set[str] = set()
    persons = [ent for ent in ents if ent.label_ == "PS"]
    for ent in persons:
        text = tok.text[ent.start_char:ent.end_char]
        if text in evident:
            continue
        after = _after_bracket(tok, ent.end) if enabled("person_brackets") else None
        if (cue(tok.next_word(ent.end)) or cue(tok.previous_word(ent.start - 1))
                or after is not None and (after[0] or cue(tok.next_word(after[1])))):
            cued.add(text)
        if (text in cued or table.get((ent.start_char, ent.end_char)) is not None or " " in text
                or looks_korean_name(text, lex) or str(doc[ent.start].morph) == "Gaz=B_PS"):
            evident.add(text)
    if enabled("person_lists"):
        _spread_over_lists(tok, persons, evident, cued)
    evident.update(word for name in list(evident) if " " in name for word in name.split())
    return evident


def _person_name_words(tok: TokenColumns, ents, cued: set[str]) -> set[str]:
    """The words of the article's multi-word persons that a title or a cue vouches for, or that the
    gazetteer knows whole (``호스니 무바라크 대통령`` -> 무바라크): the model's other label for one of them
    alone is a short mention of the person, unless the gazetteer knows that word by the model's label
    (``워싱턴`` stays a place after ``조지 워싱턴``)."""
    return {word for ent in ents if ent.label_ == "PS"
            for name in [tok.text[ent.start_char:ent.end_char]]
            if " " in name and (name in cued or gazetteer_label(ent) in {"PS", "KPS"})
            for word in name.split() if len(word) >= 2 and is_hangul(word)}


def _after_bracket(tok: TokenColumns, end: int) -> tuple[bool, int] | None:
    """For a name glued to a bracket (``쑨웨이(22·중국)``, ``은하(정은비·19)``): whether an age stands
    in it (a number of one to three digits, alone or before ``·`` or ``,``), and the token after
    the closing bracket; None when no bracket follows the name."""
    words, n = tok.words, len(tok.words)
    if end >= n or words[end] != "(" or (end > 0 and tok.space_after[end - 1]):
        return None
    close = next((i for i in range(end + 1, min(n, end + 12)) if words[i] == ")"), None)
    if close is None:
        return None
    parts = [p.strip() for p in re.split(r"[·,ㆍ]", tok.text[tok.starts[end + 1]:tok.starts[close]])]
    age = any(p.isdigit() and 1 <= len(p) <= 3 for p in parts)
    return age, close + 1


_LIST_GLUE = {",", "·", "와", "과", "및", "、"}


def _spread_over_lists(tok: TokenColumns, persons: list[Span], evident: set[str], cued: set[str]) -> None:
    """Names in one list with a person a cue vouches for are persons too (``예은, 유빈, 혜림, 선미 씨``):
    the entities stand next to each other with only a comma, a middle dot, 와/과 or 및 between them.
    A name's shape alone does not spread (a list of railway lines with one name-shaped line)."""
    groups: list[list[str]] = []
    for prev, ent in zip([None, *persons], persons):
        between = tok.text[prev.end_char:ent.start_char].strip() if prev is not None else None
        text = tok.text[ent.start_char:ent.end_char]
        if between in _LIST_GLUE:
            groups[-1].append(text)
        else:
            groups.append([text])
    for group in groups:
        if len(group) > 1 and any(name in cued for name in group):
            evident.update(group)
            cued.update(group)



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
        and not suffix_label(tok.span_text(i, start - 1), lex, whole_word=True)



def _latin_phrase(text: str) -> bool:
    """Latin text that is no name: a lower-case word in it, or one or two letters alone."""
    if any("가" <= ch <= "힣" for ch in text):
        return False
    words = text.split()
    return any(w[:1].islower() for w in words) or (len(words) == 1 and len(text) <= 2)
