"""Model architectures of the shipped NER, registered with spaCy (``@architectures`` in configs/ner.cfg).

``ko_news.SumHashEmbed.v1`` embeds each token attribute (NORM, PREFIX, SUFFIX, SHAPE, TAG, the
gazetteer mark in MORPH) with its own hash embedding, as spaCy's ``MultiHashEmbed`` does, but sums
the embeddings instead of concatenating them and mixing the concatenation with a maxout layer. That
mixing layer (6 x width inputs, 3 pieces) was half of the NER's matrix multiplications; the window
encoder that follows mixes the attributes anyway. This is how spaCy v2 embedded tokens.
"""
from typing import List

from spacy.ml.featureextractor import FeatureExtractor
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
from thinc.types import Floats2d


@registry.architectures("ko_news.SumHashEmbed.v1")
def sum_hash_embed(width: int, attrs: List[str], rows: List[int],
                   include_static_vectors: bool = False) -> Model[List[Doc], List[Floats2d]]:
    """One hash embedding per attribute, summed and layer-normalised (``width`` wide)."""
    if include_static_vectors:
        raise ValueError("ko_news.SumHashEmbed.v1 has no static vectors")
    if len(rows) != len(attrs):
        raise ValueError(f"{len(attrs)} attrs but {len(rows)} rows")
    seed = 7  # as MultiHashEmbed: each table gets its own hash seed
    embeddings = [HashEmbed(width, n_rows, column=i, seed=seed + i, dropout=0.0)
                  for i, n_rows in enumerate(rows)]
    return chain(
        FeatureExtractor(list(attrs)),
        list2ragged(),
        with_array(chain(add(*embeddings), LayerNorm(width))),
        ragged2list(),
    )
