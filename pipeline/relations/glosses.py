"""Figures written beside a name: an age in parentheses (``백남기 농민(69)``), ``N살 NOUN인 PS``, and a measured
quantity alone in the parenthesis after a place, organisation or product (``성주 골프장(약148만㎡)``) -> qt:of.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import token_columns
from .base import RelationBuilder, entity_starting_at, ents_in


AGE_UNITS = frozenset({"", "세", "살"})


def ages(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    """``백남기 농민(69)``, ``오스미 요시노리(大隅良典, 71, ...)``: a bare number (or N세) in the parenthesis
    right after a person (and at most one plain noun) is the person's age -> qt:of (guide 4.14)."""
    tok = token_columns(doc)
    for qt in ents_in(doc, sent.start, sent.end, {"QT"}):
        info = b.table.get((qt.start_char, qt.end_char))
        if info is None or (info.unit or "") not in AGE_UNITS or info.value is None or not 0 < info.value < 130 \
                or info.approx:
            continue
        nxt = tok.next_word(qt.end)
        if info.unit in {"세", "살"}:
            person = _aged_person(doc, sent, qt)
            if person is not None:
                b.add(sid, sent, person, "qt:of", qt, "N살 NOUN인 PS")
                continue
        if nxt is None or tok.words[nxt] not in {")", ","}:
            continue
        k = qt.start - 1
        while k > sent.start and tok.is_space[k]:
            k -= 1
        if tok.words[k] == ",":
            # earlier items of the parenthesis: a gloss of the name (漢字, a foreign spelling)
            while k > sent.start and tok.words[k] != "(" and tok.words[k] != ")" and k > qt.start - 8:
                k -= 1
        if tok.words[k] != "(":
            continue
        j = k - 1
        if j > sent.start and tok.base_tags[j] in {"NNG", "NNB"} and doc[j].ent_type_ == "" and tok.space_after[j - 1]:
            j -= 1  # 농민, 씨
            while j > sent.start and tok.is_space[j]:
                j -= 1
        person = next((e for e in ents_in(doc, sent.start, k) if e.end == j + 1), None)
        if person is not None and person.label_ == "PS":
            b.add(sid, sent, person, "qt:of", qt, "PS(age)")


def _aged_person(doc: Doc, sent: Span, qt: Span) -> Span | None:
    """``24살 청년인 ‘마누엘 디아스’ 씨``: an age, one plain noun and ``인``, then the person."""
    tok = token_columns(doc)
    noun = tok.next_word(qt.end)
    if noun is None or noun >= sent.end or tok.base_tags[noun] != "NNG" or doc[noun].ent_type_:
        return None
    cop = noun + 1
    if cop >= sent.end or not (tok.tags[cop].startswith("VCP") and "ETM" in tok.tags[cop]) or tok.space_after[noun]:
        return None
    k = tok.next_word(cop + 1)
    while k is not None and k < sent.end and tok.words[k] in "'‘’\"“”":
        k = tok.next_word(k + 1)
    person = entity_starting_at(doc, k) if k is not None else None
    return person if person is not None and person.label_ == "PS" else None


def glossed_figures(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    """``남양주(약 6.7만㎡)``, ``성주 골프장(약148만㎡)``: a measured quantity (with a unit, not a date or a
    code) alone in the parenthesis right after a named place, organisation or product -> qt:of."""
    tok = token_columns(doc)
    for qt in ents_in(doc, sent.start, sent.end, {"QT"}):
        info = b.table.get((qt.start_char, qt.end_char))
        if info is None or not info.unit or info.unit in AGE_UNITS or info.unit in {"번째", "차"}:
            continue
        if qt.start < 1 or tok.words[qt.start - 1] != "(" or qt.end >= len(tok.words) or tok.words[qt.end] != ")":
            continue
        named = next((e for e in ents_in(doc, sent.start, qt.start - 1) if e.end == qt.start - 1), None)
        if named is not None and named.label_ in {"AF", "OG", "LC"} and not (named.label_ == "LC" and info.unit == "%"):
            # a share after a place is mostly a poll's respondents there (전라권(50.4%)), not the place's
            b.add(sid, sent, named, "qt:of", qt, "X(QT)")
