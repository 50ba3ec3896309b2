"""``ner_vote``: the majority vote of several NER components trained alike (different seeds).

Trained NERs that differ only in their random seed make different mistakes, and a span that most
of them predict is more often right than one that a single model predicts: on the KLUE tune slice
three seeds of the KLUE model score 81.0-81.8 F1 on news alone and 82.9 voting (docs/ner.md).

The members are ordinary ``ner`` components of the same pipeline (on its one vocab, so the static
vectors are stored once). They are *disabled*, so spaCy does not run them on its own; this
component runs each of them on the Doc as it arrived (entities already set upstream, e.g. by an
EntityRuler, stay constraints for every member), then sets the spans predicted (exact tokens and
label) by at least ``min_votes`` members, most votes first, then longest, without overlaps.

Storage: after ``store_half()`` the members' weights and the static vectors are written to disk
at half precision (``nlp.to_disk``; ``ner_vote/cfg`` says so) and widened back to float32
when the pipeline is loaded (``from_disk`` of this component, which spaCy calls after the members'
and the vocab's). It halves the directory, so more members fit the size budget; predictions are
those of the float32 members up to rounding (tests/test_ner_model.py compares them).
"""
# no "from __future__ import annotations": spaCy validates the factory arguments by their types
import json
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, minibatch

_ENT_ATTRS = [ENT_IOB, ENT_TYPE]
Vote = tuple[int, int, str]  # token start, token end, label


def majority(predictions: Sequence[Iterable[Vote]], min_votes: int) -> list[Vote]:
    """Spans predicted by at least ``min_votes`` of the members; most votes, then longest, win overlaps."""
    counts = Counter(span for spans in predictions for span in set(spans))
    kept: list[Vote] = []
    for span, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0] - kv[0][1], kv[0])):
        if n < min_votes:
            break
        if all(span[1] <= k[0] or k[1] <= span[0] for k in kept):
            kept.append(span)
    return sorted(kept)


def _cast_params(model, dtype: str) -> None:
    for node in model.walk():
        for param in node.param_names:
            if node.has_param(param):
                value = node.get_param(param)
                if value.dtype != dtype:
                    node.set_param(param, value.astype(dtype))


def _cast_vectors(vocab, dtype: str) -> None:
    vectors = vocab.vectors
    if vectors.shape[0] and vectors.data.dtype != dtype:
        vectors.data = vectors.data.astype(dtype)


class NerVote:
    def __init__(self, nlp: Language, name: str, members: Sequence[str], min_votes: int | None = None):
        self.nlp = nlp
        self.name = name
        self.members = list(members)
        self.min_votes = min_votes or len(self.members) // 2 + 1
        self.storage_dtype = "float32"  # of the weights in memory; store_half() before to_disk() halves them

    def store_half(self) -> None:
        """Cast the members' weights and the vectors to float16 for ``nlp.to_disk``. The pipeline
        in memory cannot predict afterwards; load the written directory instead."""
        self.storage_dtype = "float16"
        for member in self.members:
            _cast_params(self.nlp.get_pipe(member).model, "float16")
        _cast_vectors(self.nlp.vocab, "float16")

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg").write_text(json.dumps({"storage_dtype": self.storage_dtype}))

    def from_disk(self, path, *, exclude=tuple()) -> "NerVote":
        cfg = Path(path) / "cfg"
        stored = json.loads(cfg.read_text())["storage_dtype"] if cfg.exists() else "float32"
        if stored != "float32":  # runs after the members and the vocab are loaded
            for member in self.members:
                _cast_params(self.nlp.get_pipe(member).model, "float32")
            _cast_vectors(self.nlp.vocab, "float32")
        self.storage_dtype = "float32"
        return self

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            yield from self._vote(list(batch), batch_size)

    def _vote(self, docs: list[Doc], batch_size: int) -> list[Doc]:
        arrived = [doc.to_array(_ENT_ATTRS) for doc in docs]
        preds: list[list[list[Vote]]] = [[] for _ in docs]
        for member in self.members:
            for doc, ents in zip(docs, arrived):
                doc.from_array(_ENT_ATTRS, ents)
            for i, doc in enumerate(self.nlp.get_pipe(member).pipe(docs, batch_size=batch_size)):
                preds[i].append([(e.start, e.end, e.label_) for e in doc.ents])
        for doc, ents, votes in zip(docs, arrived, preds):
            doc.from_array(_ENT_ATTRS, ents)
            kept = majority(votes, self.min_votes)
            doc.ents = [Span(doc, s, e, label=label) for s, e, label in kept]
        return docs


@Language.factory("ner_vote", default_config={"members": [], "min_votes": None})
def make_ner_vote(nlp: Language, name: str, members: list[str], min_votes: int | None) -> NerVote:
    return NerVote(nlp, name, members, min_votes)


def assemble(member_dirs: Sequence[str], names: Sequence[str] | None = None,
             min_votes: int | None = None) -> Language:
    """One pipeline from trained pipelines that share their vocab and vectors: the first one's
    components, each member's ``ner`` (renamed, disabled) and ``ner_vote`` at the end."""
    import spacy

    names = list(names or [f"ner_{i}" for i in range(len(member_dirs))])
    nlp = spacy.load(member_dirs[0])
    nlp.rename_pipe("ner", names[0])
    for path, name in zip(member_dirs[1:], names[1:]):
        nlp.add_pipe("ner", name=name, source=spacy.load(path, vocab=nlp.vocab))
    nlp.add_pipe("ner_vote", config={"members": names, "min_votes": min_votes})
    for name in names:
        nlp.disable_pipe(name)
    return nlp

