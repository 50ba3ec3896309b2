"""The typed records that travel on the spaCy ``Doc`` between stages, and the Doc extensions.

Every stage reads and writes the Doc: tokens and sentences (morph), ``doc.ents`` plus one
:class:`EntityInfo` per entity span (entities, normalize), :class:`Relation` rows (relations).
Extensions are registered once, here, when the package is imported.

The rule stages read the Doc through caches kept in ``doc.user_data``, because spaCy builds a
new Python object for every token, span and string on each access: :func:`token_columns`
(token attributes as lists), :func:`entity_spans` (``doc.ents``) and :func:`sentence_index`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from spacy.attrs import (
    ENT_IOB,
    ENT_TYPE,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    ORTH,
    SPACY,
    TAG,
)
from spacy.tokens import Doc, Span

from .normalize.types import READING_FIELDS

T = TypeVar("T")


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

    @classmethod
    def from_reading(cls, reading, source: str) -> EntityInfo:
        """The details of a mention from anything with the reading fields (a normaliser
        :class:`~pipeline.normalize.types.Expression`), found by stage ``source``."""
        return cls(**{name: getattr(reading, name) for name in READING_FIELDS}, source=source)


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
    score: float = 1.0  # how sure the stage is: 1.0 for a pattern, the scorer's probability otherwise


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
    table = doc._.entity_info  # each ``doc._`` access builds an Underscore object: read it once
    if table is None:
        table = doc._.entity_info = {}
    return table


# What entity_spans() compares to tell whether its cached spans are still the Doc's entities.
_ENTITY_ATTRS = [ENT_IOB, ENT_TYPE]


def entity_spans(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, cached on the Doc while its entity annotation stays the same.

    ``doc.ents`` builds a new Span, with a Token for each of its ends, for every entity on each
    access; the entity and relation rules read the entities dozens of times per article and
    change them a few times. The cached spans are returned while the tokens' entity IOB tags and
    labels are unchanged, which ``to_array`` tells about ten times faster. (Knowledge-base and
    entity ids, which the pipeline never sets, are not compared.)
    """
    key = doc.to_array(_ENTITY_ATTRS).tobytes()
    cached = doc.user_data.get("_entity_spans")
    if cached is not None and cached[0] == key:
        return cached[1]
    ents = doc.ents
    doc.user_data["_entity_spans"] = (key, ents)
    return ents


def set_entity_spans(doc: Doc, spans: Iterable[Span], current: Sequence[Span] | None = None) -> None:
    """``doc.ents = spans``; the spans (which must not overlap) become :func:`entity_spans`' cache,
    in the order and form ``doc.ents`` would give them back.

    ``current``, if given, are the entities the caller read with :func:`entity_spans` before
    choosing ``spans``. If ``spans`` are those (the same spans, or spans with the same tokens,
    label and ids), assigning them would change nothing once every token has an entity
    annotation (it marks the others outside), and is skipped: most rules find nothing new in
    most articles, and ``doc.set_ents`` goes over every token of the Doc."""
    spans = list(spans)
    if current is not None and len(spans) == len(current) and doc.has_annotation("ENT_IOB", require_complete=True) \
            and all(a is b or _same_entity(a, b) for a, b in zip(spans, current)):
        return
    doc.set_ents(spans)  # what ``doc.ents = spans`` does, without first copying every span
    ents = tuple(sorted((span for span in spans if span.label != 0), key=lambda span: span.start))
    doc.user_data["_entity_spans"] = (doc.to_array(_ENTITY_ATTRS).tobytes(), ents)


def _same_entity(a: Span, b: Span) -> bool:
    """Whether ``doc.set_ents`` writes the same token annotation for span ``a`` as for span ``b``."""
    return a.start == b.start and a.end == b.end and a.label == b.label and a.kb_id == b.kb_id and a.id == b.id


def span_info(span: Span) -> EntityInfo:
    """``span._.info``: the details of an entity span (read only: a span with none gets empty
    details, and the Doc's table is left as it is; the entity stages write it through ``commit``)."""
    info = entity_info(span.doc).get((span.start_char, span.end_char))
    return info if info is not None else EntityInfo()


def _cached_per_tokens(doc: Doc, key: str, build: Callable[[Doc], T], store: bool = True) -> T:
    """``build(doc)``, cached in ``doc.user_data[key]`` until the Doc's length changes (a stage that
    splits tokens, the only retokenization the pipeline does, always adds tokens). With
    ``store=False`` a value already cached is used, but a new one is not kept."""
    cached = doc.user_data.get(key)
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    value = build(doc)
    if store:
        doc.user_data[key] = (len(doc), value)
    return value


def sentence_index(doc: Doc) -> list[Span]:
    """Sentences that hold something other than whitespace, numbered from 0 in text order (cached)."""
    return _cached_per_tokens(doc, "_sentence_index", _sentences_with_content)


def _sentences_with_content(doc: Doc) -> list[Span]:
    is_space = token_columns(doc).is_space
    return [sent for sent in doc.sents if not all(is_space[sent.start:sent.end])]


class TokenColumns:
    """The tokens of one Doc as plain Python lists, indexed like the Doc (``words[i]`` is ``doc[i].text``).

    ``doc[i]`` and ``for token in doc`` create a Token object on every access, and ``token.tag_`` a
    string: about a microsecond per token and attribute. The entity and relation rules look at
    every token many times, so they read these lists, each built on first use from one
    ``doc.to_array`` call (or from other columns). Get them with :func:`token_columns`, which
    rebuilds them for a Doc whose tokens were split.
    """

    def __init__(self, doc: Doc):
        self._doc = doc

    def _strings(self, attr: int) -> list[str]:
        strings = self._doc.vocab.strings
        return [strings[key] for key in self._doc.to_array(attr).tolist()]

    def _flags(self, attr: int) -> list[bool]:
        return (self._doc.to_array(attr) == 1).tolist()

    @cached_property
    def text(self) -> str:
        """The Doc's text (``doc.text`` makes a Token of every token on each call)."""
        return "".join([word + " " if space else word for word, space in zip(self.words, self.space_after)])

    @cached_property
    def words(self) -> list[str]:
        return self._strings(ORTH)

    @cached_property
    def starts(self) -> list[int]:
        """Character offset of each token (``token.idx``)."""
        return self._doc.to_array(IDX).tolist()

    @cached_property
    def ends(self) -> list[int]:
        """Character offset after each token."""
        return [start + len(word) for start, word in zip(self.starts, self.words)]

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens ``start:end`` (``doc[start:end].text``)."""
        return self.text[self.starts[start]:self.ends[end - 1]] if start < end else ""

    def next_word(self, index: int) -> int | None:
        """The first token at or after ``index`` that is not whitespace, or None."""
        n, is_space = len(self.words), self.is_space
        while index < n and is_space[index]:
            index += 1
        return index if index < n else None

    def previous_word(self, index: int) -> int | None:
        """The last token at or before ``index`` that is not whitespace, or None."""
        is_space = self.is_space
        while index >= 0 and is_space[index]:
            index -= 1
        return index if index >= 0 else None

    @cached_property
    def tags(self) -> list[str]:
        return self._strings(TAG)

    @cached_property
    def base_tags(self) -> list[str]:
        """The first Kiwi tag of each token (``VCP`` for ``VCP+ETM``)."""
        return _first_parts(self.tags)

    @cached_property
    def lemmas(self) -> list[str]:
        return self._strings(LEMMA)

    @cached_property
    def lemma_heads(self) -> list[str]:
        """The first morpheme's form of each token (``하`` for ``하+었``)."""
        return _first_parts(self.lemmas)

    @cached_property
    def space_after(self) -> list[bool]:
        """Whether a space follows the token (``token.whitespace_``)."""
        return self._flags(SPACY)

    @cached_property
    def is_space(self) -> list[bool]:
        return self._flags(IS_SPACE)

    @cached_property
    def is_punct(self) -> list[bool]:
        return self._flags(IS_PUNCT)


def _first_parts(values: list[str]) -> list[str]:
    """Each value up to its first ``+``. Most values have none, and the test is cheaper than a split."""
    return [value.split("+", 1)[0] if "+" in value else value for value in values]


def token_columns(doc: Doc, store: bool = True) -> TokenColumns:
    """The Doc's :class:`TokenColumns`, cached on the Doc until its tokens change.

    ``store=False`` is for components that also run outside this pipeline (the NER's gazetteer
    feature): they use the cached columns when there are some, but leave ``doc.user_data`` as it
    was otherwise, so that such a Doc can still be serialised with its user data."""
    cached = doc.user_data.get("_token_columns")
    if cached is not None and cached[0] == len(doc):  # the common case, inline: called for every rule
        return cached[1]
    return _cached_per_tokens(doc, "_token_columns", TokenColumns, store)


_COLUMN_NAMES = frozenset(name for name, attr in vars(TokenColumns).items() if isinstance(attr, cached_property))


def seed_token_columns(doc: Doc, **columns: list | str) -> TokenColumns:
    """Store columns the caller already holds (the tokenizer builds the Doc from the token texts,
    tags and lemmas) as the Doc's cached :class:`TokenColumns`, so that they are not read back
    from the Doc; the other columns are read on first use. The values must be what the Doc gives."""
    unknown = columns.keys() - _COLUMN_NAMES
    if unknown:
        raise ValueError(f"TokenColumns has no columns {sorted(unknown)}")
    value = TokenColumns(doc)
    value.__dict__.update(columns)  # where cached_property keeps a computed value
    doc.user_data["_token_columns"] = (len(doc), value)
    return value


_register()

__all__ = ["EntityInfo", "Relation", "ShortReference", "TokenColumns", "entity_info", "entity_spans", "field",
           "seed_token_columns", "sentence_index", "set_entity_spans", "span_info", "token_columns"]
