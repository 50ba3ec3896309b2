"""Model architectures of the shipped NER, registered with spaCy (``@architectures`` in configs/ner.cfg).

``ko_news.SumHashEmbed.v1`` embeds each token attribute (NORM, PREFIX, SUFFIX, SHAPE, TAG, the
gazetteer mark in MORPH) with its own hash embedding, as spaCy's ``MultiHashEmbed`` does, but sums
the embeddings instead of concatenating them and mixing the concatenation with a maxout layer. That
mixing layer (6 x width inputs, 3 pieces) was half of the NER's matrix multiplications; the window
encoder that follows mixes the attributes anyway. This is how spaCy v2 embedded tokens.

With ``include_static_vectors`` the vocabulary's static vectors (Kiwi's morpheme embeddings,
``training/kiwi_vectors.py``) are projected to ``width`` and added to the same sum.
"""
from typing import List

from spacy.ml.featureextractor import FeatureExtractor
from spacy.ml.staticvectors import StaticVectors
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    HashEmbed,
    LayerNorm,
    Model,
    add,
    chain,
    list2ragged,
    ragged2list,
    with_array,
)
from thinc.types import Floats2d, Ragged


@registry.architectures("ko_news.SumHashEmbed.v1")
def sum_hash_embed(width: int, attrs: List[str], rows: List[int],
                   include_static_vectors: bool = False) -> Model[List[Doc], List[Floats2d]]:
    """One hash embedding per attribute (and the static vectors), summed and layer-normalised."""
    if len(rows) != len(attrs):
        raise ValueError(f"{len(attrs)} attrs but {len(rows)} rows")
    seed = 7  # as MultiHashEmbed: each table gets its own hash seed
    embeddings = [HashEmbed(width, n_rows, column=i, seed=seed + i, dropout=0.0)
                  for i, n_rows in enumerate(rows)]
    if not include_static_vectors:  # the layer structure of the shipped models: keep it as it is
        return chain(FeatureExtractor(list(attrs)), list2ragged(),
                     with_array(chain(add(*embeddings), LayerNorm(width))), ragged2list())
    hashed = chain(FeatureExtractor(list(attrs)), list2ragged(), with_array(add(*embeddings)))
    summed = _add_ragged(hashed, StaticVectors(nO=width, dropout=0.0))
    return chain(summed, with_array(LayerNorm(width)), ragged2list())


def _add_ragged(first: Model, second: Model) -> Model:
    """Element-wise sum of two layers that map the same Docs to Ragged arrays of one width
    (thinc's ``add`` sums plain arrays only)."""

    def forward(model: Model, docs: List[Doc], is_train: bool):
        one, back_one = first(docs, is_train)
        two, back_two = second(docs, is_train)

        def backprop(d_out: Ragged):
            back_two(d_out)
            return back_one(d_out)

        return Ragged(one.dataXd + two.dataXd, one.lengths), backprop

    def init(model: Model, X=None, Y=None) -> None:
        first.initialize(X=X)
        second.initialize(X=X)

    return Model("add_ragged", forward, init=init, layers=[first, second])

