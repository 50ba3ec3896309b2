"""Model architectures tried for the KLUE benchmark model and not shipped (docs/ner.md, "Final fit on
train + tune, and what else was tried"). They live with the training code, not in ``pipeline/``:
no shipped model uses them. ``training.train`` imports this module so that the variants
``klue-w128-vec-lstm``, ``-cnn-lstm`` and ``-headvec`` reproduce.
"""
from functools import partial
from typing import List

import numpy
from spacy.ml.featureextractor import FeatureExtractor
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.ml.staticvectors import init as static_vectors_init
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    LSTM,
    HashEmbed,
    Maxout,
    Model,
    chain,
    concatenate,
    glorot_uniform_init,
    list2ragged,
    ragged2list,
    residual,
    with_array,
    with_padded,
)
from thinc.types import Floats2d, Ragged


@registry.architectures("ko_news.BiLSTMEncoder.v1")
def bilstm_encoder(width: int, depth: int, window_depth: int = 0, window_size: int = 1, maxout_pieces: int = 3,
                   dropout: float = 0.0) -> Model[List[Floats2d], List[Floats2d]]:
    """A bidirectional LSTM over the sentence (thinc's own, no PyTorch), ``width // 2`` per
    direction, optionally after ``window_depth`` layers of spaCy's maxout window encoder.

    The window encoder sees ``depth`` tokens on each side; an LSTM sees the whole sentence, which
    might tell KLUE's organisations from places (a country is OG as a team in a sports result)."""
    lstm = with_padded(LSTM(width, width, bi=True, depth=depth, dropout=dropout))
    if window_depth:
        window = MaxoutWindowEncoder(width=width, window_size=window_size, maxout_pieces=maxout_pieces,
                                     depth=window_depth)
        return chain(window, residual(lstm))
    return lstm


_HEAD_TAGS = frozenset({"NNP", "NNG"})


def _vector_rows(vectors, docs: List[Doc], cache: dict) -> numpy.ndarray:
    """The vector row of each token: its own form's, else (a noun that Kiwi's model does not know,
    such as 한국석유공사 or 인천종합문화예술회관) the row of its longest known ending of at least two
    characters (공사, 회관): Korean compounds are head-final. -1: no vector."""
    rows = []
    for doc in docs:
        for token in doc:
            key = (token.text, token.tag_ in _HEAD_TAGS)
            row = cache.get(key)
            if row is None:
                text, is_noun = key
                row = int(vectors.find(key=text))
                if row < 0 and is_noun:
                    for start in range(1, len(text) - 1):
                        row = int(vectors.find(key=text[start:]))
                        if row >= 0:
                            break
                cache[key] = row
            rows.append(row)
    return numpy.asarray(rows, dtype="int64")


def head_fallback_vectors(nO: int) -> Model[List[Doc], Ragged]:
    """spaCy's StaticVectors (the table kept static, a learned projection ``W``), looking up an
    unknown noun by its head ending (``_vector_rows``)."""
    cache: dict = {}

    def forward(model: Model, docs: List[Doc], is_train: bool):
        vectors = docs[0].vocab.vectors
        rows = _vector_rows(vectors, docs, cache)
        W = model.ops.as_contig(model.get_param("W"))
        V = model.ops.as_contig(model.ops.asarray(vectors.data)[rows])
        data = model.ops.gemm(V, W, trans2=True)
        data[rows < 0] = 0
        output = Ragged(data, model.ops.asarray1i([len(doc) for doc in docs]))

        def backprop(d_output: Ragged):
            model.inc_grad("W", model.ops.gemm(d_output.data, V, trans1=True))
            return []

        return output, backprop

    return Model("static_vectors", forward, init=partial(static_vectors_init, glorot_uniform_init),
                 params={"W": None}, dims={"nM": None, "nO": nO})


@registry.architectures("ko_news.MultiHashEmbedHeads.v1")
def multi_hash_embed_heads(width: int, attrs: List[str], rows: List[int],
                           include_static_vectors: bool = True) -> Model[List[Doc], List[Floats2d]]:
    """spaCy's MultiHashEmbed with static vectors (the same layers: spaCy builds its vectors layer
    inside, so it cannot be swapped), the vectors looked up by head ending for unknown nouns
    (``head_fallback_vectors``)."""
    if not include_static_vectors:
        raise ValueError("ko_news.MultiHashEmbedHeads.v1 is about static vectors: include_static_vectors = true")

    embeddings = [HashEmbed(width, n_rows, column=i, seed=8 + i, dropout=0.0) for i, n_rows in enumerate(rows)]
    hashed = chain(FeatureExtractor(list(attrs)), list2ragged(), with_array(concatenate(*embeddings)))
    mixed = with_array(Maxout(width, width * (len(embeddings) + 1), nP=3, dropout=0.0, normalize=True))
    return chain(concatenate(hashed, head_fallback_vectors(width)), mixed, ragged2list())
