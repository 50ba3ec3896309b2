"""Shared fixtures: the pipeline is built once per test session (Kiwi costs ~1 s and ~500 MB)."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from pipeline.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def rules_nlp():
    """The pipeline without the trained NER: what the rules alone find."""
    from pipeline.nlp import build_nlp

    return build_nlp(use_model=False)


@pytest.fixture(scope="session")
def tokenizer(nlp):
    return nlp.tokenizer
