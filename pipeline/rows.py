"""Typed table rows: one NamedTuple per table, fields in the order of the table's columns.

Rows computed from a Doc (:class:`DocRows`) leave out ``article_id``: the same article under
another id (a renamed file, a cache hit) gets the same rows. NamedTuples are tuples, so the CSV
writer, Parquet and JSON (the cache, worker results) see exactly what the positional lists of the
first version held, and the tables stay byte-identical.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class EntityRow(NamedTuple):
    entity_id: str
    sentence_id: int
    start: int
    end: int
    text: str
    label: str
    norm: str
    value: int | float | None
    unit: str
    approx: bool | None

    def shifted(self, entity_id: str, sentences: int, offset: int) -> "EntityRow":
        return self._replace(entity_id=entity_id, sentence_id=self.sentence_id + sentences,
                             start=self.start + offset, end=self.end + offset)


class RelationRow(NamedTuple):
    sentence_id: int
    subj: str
    subj_norm: str
    subj_label: str
    relation: str
    obj: str
    obj_norm: str
    obj_label: str
    subj_start: int
    subj_end: int
    obj_start: int
    obj_end: int
    evidence: str
    score: float = 1.0

    def shifted(self, sentences: int, offset: int) -> "RelationRow":
        return self._replace(sentence_id=self.sentence_id + sentences, subj_start=self.subj_start + offset,
                             subj_end=self.subj_end + offset, obj_start=self.obj_start + offset,
                             obj_end=self.obj_end + offset)


class TokenRow(NamedTuple):
    sentence_id: int
    token_id: int
    start: int
    end: int
    form: str
    tag: str
    lemma: str
    entity: str

    def shifted(self, sentences: int, tokens: int, offset: int) -> "TokenRow":
        return self._replace(sentence_id=self.sentence_id + sentences, token_id=self.token_id + tokens,
                             start=self.start + offset, end=self.end + offset)


class ArticleRow(NamedTuple):
    article_id: str
    source: str
    published: str
    title: str
    n_chars: int
    n_sentences: int
    n_entities: int
    n_relations: int
    status: str
    error: str


@dataclass
class DocRows:
    """What one processed article contributes to the tables, without its article id.

    ``tokens`` is None when tokens were not asked for.
    """

    entities: list[EntityRow]
    relations: list[RelationRow]
    tokens: list[TokenRow] | None
    n_sentences: int

    def __post_init__(self) -> None:
        # Rows that came back as JSON lists (the cache, a worker process) become typed again.
        self.entities = [r if isinstance(r, EntityRow) else EntityRow(*r) for r in self.entities]
        self.relations = [r if isinstance(r, RelationRow) else RelationRow(*r) for r in self.relations]
        if self.tokens is not None:
            self.tokens = [r if isinstance(r, TokenRow) else TokenRow(*r) for r in self.tokens]

    def to_json(self) -> dict:
        return {"e": self.entities, "r": self.relations, "t": self.tokens, "s": self.n_sentences}

    @classmethod
    def from_json(cls, data: dict) -> "DocRows":
        return cls(data["e"], data["r"], data["t"], data["s"])


__all__ = ["ArticleRow", "DocRows", "EntityRow", "RelationRow", "TokenRow"]
