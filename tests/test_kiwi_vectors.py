"""Static vectors recovered from Kiwi's morpheme embeddings (training/kiwi_vectors.py)."""
from __future__ import annotations

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.kiwi_vectors import kiwi_embeddings


@pytest.fixture(scope="module")
def kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


@pytest.fixture(scope="module")
def embedded(kiwi):
    entries, coords = kiwi_embeddings(kiwi, limit=3000)
    return entries, coords


def test_coordinates_are_unit_length_in_the_full_rank(embedded):
    entries, coords = embedded
    assert len(entries) == len(coords) > 1000
    assert coords.shape[1] >= 128  # Kiwi's CoNg embeddings are 256-d; all of it comes back
    assert numpy.allclose(numpy.linalg.norm(coords, axis=1), 1.0, atol=2e-3)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_dot_products_are_kiwis_own_similarities(kiwi, embedded, data):
    entries, coords = embedded
    i = data.draw(st.integers(0, len(entries) - 1))
    j = data.draw(st.integers(0, len(entries) - 1))
    expected = kiwi.morpheme_similarity(entries[i][2], entries[j][2])
    assert float(coords[i] @ coords[j]) == pytest.approx(expected, abs=2e-3)


def test_only_content_morphemes_are_kept(embedded):
    entries, _ = embedded
    tags = {tag for _, tag, _ in entries}
    assert {"NNG", "NNP", "VV"} <= tags
    assert not tags & {"JKS", "JKO", "EF", "EC", "SF"}
