"""``biluo_ner``: named entities as token classification over BILUO tags, with constrained decoding.

spaCy's transition-based ``ner`` runs its state loop in Cython; the spaCy 3.8 wheels (Cython 3) take
and release the GIL at every validity check there, which made the same model 2.5x slower than under
spaCy 3.7 (docs/ner.md, "Speed"). This component has no transition loop: the model (``spacy.Tagger.v2``:
a tok2vec and a softmax layer) scores every token's BILUO tag (``B-PS``, ``I-PS``, ``L-PS``, ``U-PS``,
..., ``O``) in one matrix product, and the tags are decoded into ``doc.ents``:

- the argmax tag of each token is kept where the sequence it forms is valid BILUO;
- a run of non-``O`` argmax tags that is not valid (``B-PS I-OG``, an ``I-`` after ``O``...) is
  decoded again by Viterbi over the log-probabilities of that run, with only valid transitions
  allowed (entering from ``O``, leaving into ``O``).

It is trained by ``spacy train`` like a tagger, but on the entities of the reference ``Doc``
(``Example.get_aligned_ner``); tokens whose gold is missing (a gold span that does not fall on Kiwi
token boundaries, ``training/prepare.py``) contribute no loss. It never touches ``token.tag_`` (Kiwi's
tag, which the rest of the pipeline reads). Scored with spaCy's NER scorer (``ents_f``).
"""
from itertools import islice

import numpy
from spacy.language import Language
from spacy.pipeline.tagger import Tagger
from spacy.tokens import Span
from spacy.training import validate_examples, validate_get_examples
from thinc.api import Model, SequenceCategoricalCrossentropy

OUT = "O"


def biluo_labels(entity_labels) -> list[str]:
    return [OUT] + [f"{prefix}-{label}" for label in sorted(entity_labels) for prefix in "BILU"]


def _log_softmax(scores):
    """The model's output at prediction time is unnormalised (``spacy.Tagger.v2``, normalize=false)."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))


class BiluoNer(Tagger):
    """A tagger over BILUO tags whose annotation is ``doc.ents`` (see the module text)."""

    @property
    def entity_labels(self) -> tuple[str, ...]:
        """The entity labels (``PS``, ``OG``, ...); ``labels`` are the BILUO tags."""
        return tuple(sorted({lab[2:] for lab in self.labels if lab != OUT}))

    def predict(self, docs):
        if not any(len(doc) for doc in docs):
            return [self.model.ops.alloc((0, len(self.labels))) for _doc in docs]
        return self.model.predict(docs)

    # -- decoding -----------------------------------------------------------------------------
    def _tables(self):
        labels = tuple(self.labels)
        if getattr(self, "_table_key", None) != labels:
            n = len(labels)
            prefix = [lab[0] if lab != OUT else "O" for lab in labels]
            kind = [lab[2:] if lab != OUT else "" for lab in labels]
            allowed = numpy.zeros((n, n), dtype=bool)  # allowed[prev, next]
            for a in range(n):
                for b in range(n):
                    if prefix[a] in ("B", "I"):
                        allowed[a, b] = prefix[b] in ("I", "L") and kind[a] == kind[b]
                    else:  # O, L, U: an entity has ended
                        allowed[a, b] = prefix[b] in ("O", "B", "U")
            starts = numpy.array([p in ("O", "B", "U") for p in prefix])
            ends = numpy.array([p in ("O", "L", "U") for p in prefix])
            self._tables_cache = (prefix, kind, allowed, starts, ends,
                                  numpy.where(allowed, 0.0, -numpy.inf))
            self._table_key = labels
        return self._tables_cache

    def decode(self, scores) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` token spans from one doc's tag scores (see the module text)."""
        scores = self.model.ops.to_numpy(scores)
        if not len(scores):
            return []
        prefix, kind, allowed, starts, ends, penalty = self._tables()
        out = self.labels.index(OUT) if hasattr(self.labels, "index") else list(self.labels).index(OUT)
        guesses = scores.argmax(axis=1)
        tags = guesses.tolist()
        spans: list[tuple[int, int, str]] = []
        i, n = 0, len(tags)
        while i < n:
            if tags[i] == out:
                i += 1
                continue
            j = i
            while j < n and tags[j] != out:
                j += 1
            run = tags[i:j]  # a maximal run of non-O tags, O (or the doc's edge) on both sides
            if not (starts[run[0]] and ends[run[-1]] and all(allowed[a, b] for a, b in zip(run, run[1:]))):
                run = self._viterbi(_log_softmax(scores[i:j]), penalty, starts, ends)
            begin = None
            for k, tag in enumerate(run, i):
                p = prefix[tag]
                if p == "U":
                    spans.append((k, k + 1, kind[tag]))
                elif p == "B":
                    begin = k
                elif p == "L" and begin is not None:
                    spans.append((begin, k + 1, kind[tag]))
                    begin = None
            i = j
        return spans

    @staticmethod
    def _viterbi(logp, penalty, starts, ends) -> list[int]:
        n, m = logp.shape
        best = logp[0] + numpy.where(starts, 0.0, -numpy.inf)
        back = numpy.zeros((n, m), dtype=numpy.int64)
        for t in range(1, n):
            cand = best[:, None] + penalty
            back[t] = cand.argmax(axis=0)
            best = cand[back[t], numpy.arange(m)] + logp[t]
        best = best + numpy.where(ends, 0.0, -numpy.inf)
        path = [int(best.argmax())]
        for t in range(n - 1, 0, -1):
            path.append(int(back[t][path[-1]]))
        return path[::-1]

    def set_annotations(self, docs, batch_scores):
        for doc, scores in zip(docs, batch_scores):
            doc.set_ents([Span(doc, s, e, label=label) for s, e, label in self.decode(scores)],
                         default="outside")

    # -- training -----------------------------------------------------------------------------
    def _truths(self, examples):
        labels = set(self.labels)
        return [[tag if tag in labels else None for tag in eg.get_aligned_ner()] for eg in examples]

    def get_loss(self, examples, scores):
        validate_examples(examples, "BiluoNer.get_loss")
        loss_func = SequenceCategoricalCrossentropy(names=self.labels, normalize=False,
                                                    neg_prefix=self.cfg["neg_prefix"],
                                                    label_smoothing=self.cfg["label_smoothing"])
        d_scores, loss = loss_func(scores, self._truths(examples))
        if self.model.ops.xp.isnan(loss):
            raise ValueError(f"NaN loss in {self.name}")
        return float(loss), d_scores

    def initialize(self, get_examples, *, nlp=None, labels=None):
        validate_get_examples(get_examples, "BiluoNer.initialize")
        if labels is None:
            kinds = {ent.label_ for example in get_examples() for ent in example.y.ents}
            labels = biluo_labels(kinds)
        for tag in labels:
            self.add_label(tag)
        docs, golds = [], []
        for example in islice(get_examples(), 10):
            docs.append(example.x)
            tags = [tag if tag in self.labels else OUT for tag in example.get_aligned_ner()]
            golds.append(self.model.ops.asarray(
                [[1.0 if lab == tag else 0.0 for lab in self.labels] for tag in tags], dtype="float32"))
        self._require_labels()
        self.model.initialize(X=docs, Y=golds)


@Language.factory(
    "biluo_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "model": {"@architectures": "spacy.Tagger.v2", "nO": None, "normalize": False,
                  "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None,
                              "width": 96, "depth": 4, "embed_size": 2000, "window_size": 1,
                              "maxout_pieces": 3, "subword_features": True}},
        "overwrite": False,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
        "neg_prefix": "!",
        "label_smoothing": 0.0,
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_biluo_ner(nlp, name, model: Model, overwrite: bool, scorer, neg_prefix: str,
                   label_smoothing: float):
    return BiluoNer(nlp.vocab, model, name, overwrite=overwrite, scorer=scorer, neg_prefix=neg_prefix,
                    label_smoothing=label_smoothing)
