"""The typed records that travel on the spaCy ``Doc`` between stages, and the Doc extensions.

Every stage reads and writes the Doc: tokens and sentences (morph), ``doc.ents`` plus one
:class:`EntityInfo` per entity span (entities, normalize), :class:`Relation` rows (relations).
Extensions are registered once, here, when the package is imported.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span


@dataclass
class EntityInfo:
    """What the pipeline knows about one entity mention beyond its span and label."""

    norm: str = ""
    value: int | float | None = None
    unit: str = ""
    approx: bool = False
    value_min: int | float | None = None
    value_max: int | float | None = None
    norm_start: str = ""
    norm_end: str = ""
    source: str = ""  # which stage found it: model, lexicon, grammar, rule
    entity_id: str = ""


@dataclass(frozen=True)
class Relation:
    """A relation the text states, with the evidence sentence and both arguments' offsets."""

    sentence_id: int
    subj_start: int
    subj_end: int
    subj: str
    subj_norm: str
    subj_label: str
    relation: str
    obj_start: int
    obj_end: int
    obj: str
    obj_norm: str
    obj_label: str
    evidence: str
    rule: str = ""


@dataclass(frozen=True)
class ShortReference:
    """A surname with a title (``권 CSO``): no person mention, but it refers to a full name."""

    start: int
    end: int
    surname: str
    title_start: int
    title_end: int


def _register() -> None:
    doc_extensions = {
        "article_id": "",
        "published": None,
        "regions": None,
        "entity_info": None,
        "relations": None,
        "short_refs": None,
    }
    for name, default in doc_extensions.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("info"):
        Span.set_extension("info", getter=span_info)


def entity_info(doc: Doc) -> dict[tuple[int, int], EntityInfo]:
    """The Doc's entity-info table, created on first use."""
    if doc._.entity_info is None:
        doc._.entity_info = {}
    return doc._.entity_info


def span_info(span: Span) -> EntityInfo:
    table = entity_info(span.doc)
    key = (span.start_char, span.end_char)
    if key not in table:
        table[key] = EntityInfo()
    return table[key]


def sentence_index(doc: Doc) -> list[Span]:
    """Sentences that hold something other than whitespace, numbered from 0 in text order.

    Cached on the Doc (keyed by its length, which changes when a stage splits tokens)."""
    cached = doc.user_data.get("_sentence_index")
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    sentences = [sent for sent in doc.sents if not all(t.is_space for t in sent)]
    doc.user_data["_sentence_index"] = (len(doc), sentences)
    return sentences


def published_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


_register()

__all__ = ["EntityInfo", "Relation", "ShortReference", "entity_info", "span_info", "sentence_index",
           "published_date", "field"]
