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


def run_text(nlp, text: str, published=None):
    """Tokenize ``text``, set its publication date (a ``datetime.date``, a ``YYYY-MM-DD`` string or None)
    and run every component of ``nlp``: the Doc as the pipeline leaves it."""
    import datetime as dt

    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    doc = nlp.tokenizer(text)
    doc._.published = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def entity_rows(doc) -> list[tuple[str, str, str]]:
    """(text, label, norm) of every entity of the Doc, in order."""
    from pipeline.records import entity_info

    table = entity_info(doc)
    return [(e.text, e.label_, table[(e.start_char, e.end_char)].norm) for e in doc.ents]


def relation_rows(doc) -> set[tuple[str, str, str]]:
    """(subj_norm, relation, obj_norm) of every relation of the Doc."""
    return {(r.subj_norm, r.relation, r.obj_norm) for r in doc._.relations}
