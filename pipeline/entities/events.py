"""Event names that a number or a name makes specific (the election and event words of resources/
num_context.tsv, which the normaliser shares, and the heads of resources/event_names.tsv):

- an ordinal before an election: ``21대 총선``, ``제20대 국회의원 선거`` (not the QT ``21대``);
- a date written month·day before an election, a movement or a crisis: ``5·9 대선``, ``5·18 민주화운동``,
  ``4.19혁명``, ``9·11 테러`` (the date names the event; not a DT of its own);
- a name before a crisis, one specific crisis (labelling guide: a place + 사태/참사/분쟁 is one EV with no
  LC inside): ``이태원 참사``, ``남수단 사태``, ``박근혜-최순실 게이트``. A common noun before the head
  (``압사 참사``, ``폭탄 테러``, ``이번 사태``) names a kind of event, not one.

The spans are ``delimited``: they hold a number or a name the other stages would take alone.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from ..records import EntityInfo, token_columns
from ..resources import read_tsv
from .spans import entity_spans

NAME_LABELS = frozenset({"LC", "PS", "OG", "AF"})


@lru_cache(maxsize=1)
def _heads() -> dict[str, set[str]]:
    """kind -> forms: ``election`` and ``event`` from num_context.tsv, ``election`` and ``crisis`` from
    event_names.tsv."""
    heads: dict[str, set[str]] = {}
    for row in read_tsv("num_context.tsv"):
        if row["kind"] in ("election", "event"):
            heads.setdefault(row["kind"], set()).add(row["word"])
    for row in read_tsv("event_names.tsv"):
        heads.setdefault(row["kind"], set()).add(row["form"])
    return heads


def _alternation(kinds: set[str]) -> str:
    forms = sorted({f for k in kinds for f in _heads().get(k, ())}, key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s?") for f in forms)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    numbered = re.compile(rf"(?<![\d.])(?:제\s?)?\d{{1,3}}대\s?(?:{_alternation({'election'})})")
    dated = re.compile(rf"(?<![\d.])(?:1[0-2]|0?[1-9])[·.ㆍ](?:3[01]|[12]\d|0?[1-9])\s?"
                       rf"(?:{_alternation({'election', 'event'})})")
    crisis = re.compile(rf"\s?(?:{_alternation({'crisis'})})")
    return numbered, dated, crisis


def event_names(doc: Doc, lex=None) -> list[tuple[Span, EntityInfo]]:
    """The event spans of the Doc (``lex`` unused: the families of rule_entities share one signature)."""
    numbered, dated, crisis = _patterns()
    text = token_columns(doc).text  # (doc.text joins every token again at each access)
    found = []
    for pattern in (numbered, dated):
        for m in pattern.finditer(text):
            span = doc.char_span(m.start(), m.end(), label="EV")
            if span is not None:
                found.append((span, EntityInfo(source="delimited")))
    found += _named_crises(doc, text, crisis)
    return found


def _named_crises(doc: Doc, text: str, crisis: re.Pattern) -> list[tuple[Span, EntityInfo]]:
    """A name (an entity of :data:`NAME_LABELS`, or two joined by a hyphen) right before a crisis head."""
    ents = [e for e in entity_spans(doc) if e.label_ in NAME_LABELS]
    found = []
    for i, ent in enumerate(ents):
        start = ent
        if i > 0 and text[ents[i - 1].end_char:ent.start_char] in {"-", "–", "·"}:
            start = ents[i - 1]  # 박근혜-최순실 게이트
        m = crisis.match(text, ent.end_char)
        if m is None:
            continue
        span = doc.char_span(start.start_char, m.end(), label="EV")
        if span is not None:
            found.append((span, EntityInfo(source="delimited")))
    return found
