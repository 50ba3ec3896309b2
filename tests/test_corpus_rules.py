"""Every rule family against its corpus of real news sentences with the FULL expected output.

``tests/corpus/entities/<family>.jsonl`` and ``tests/corpus/relations/<family>.jsonl``: one sentence a line,
``{"text", "published", "expected", "source", "note"?, "negative"?, "known_gap"?}``. Entity lines expect every
entity of the text, in order, as ``[text, label, norm]``; relation lines expect the whole set of
``[subj_norm, relation, obj_norm]``. Comparing with ``==`` tests precision as well as recall.

The expected output is decided by reading the sentence under the labelling conventions, never copied from the
pipeline. A line the pipeline gets wrong carries ``known_gap`` (what is wrong) and runs as a strict xfail, so
that it fails the day the pipeline is fixed: then drop the ``known_gap``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import entity_rows, relation_rows, run_text

CORPUS = Path(__file__).resolve().parent / "corpus"
PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"

# The rule modules of pipeline/entities/ and the corpus file of each (lexicons.py -> lexicon.jsonl).
ENTITY_FAMILIES = {"bylines": "bylines", "titles": "titles", "compounds": "compounds", "quotes": "quotes",
                   "aliases": "aliases", "exclusions": "exclusions", "lexicons": "lexicon", "canonical": "canonical",
                   "events": "events"}
# The pattern modules of pipeline/relations/ and the relations each one says.
RELATION_FAMILIES = {
    "persons": {"per:title", "per:employee_of"},
    "products": {"org:product"},
    "places": {"org:place_of_headquarters", "org:branch_of"},
    "partners": {"org:partner_of", "org:client_of"},
    "events": {"org:hosts", "ev:date", "ev:place"},
    "figures": {"qt:of"},
    "glosses": {"qt:of"},
}
MIN_LINES, MIN_NEGATIVE = 6, 2
KEYS = {"text", "published", "expected", "source", "note", "negative", "known_gap"}


def corpus_lines(kind: str, family: str) -> list[dict]:
    path = CORPUS / kind / f"{family}.jsonl"
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _cases():
    for kind in ("entities", "relations"):
        for path in sorted((CORPUS / kind).glob("*.jsonl")):
            for number, line in enumerate(corpus_lines(kind, path.stem), 1):
                marks = [pytest.mark.xfail(strict=True, reason=line["known_gap"])] if line.get("known_gap") else []
                yield pytest.param(kind, line, id=f"{kind}/{path.stem}:{number}", marks=marks)


@pytest.mark.parametrize("kind, line", list(_cases()))
def test_corpus_line(nlp, kind, line):
    doc = run_text(nlp, line["text"], line["published"])
    if kind == "entities":
        assert [list(row) for row in entity_rows(doc)] == line["expected"]
    else:
        assert relation_rows(doc) == {tuple(row) for row in line["expected"]}


def is_negative(kind: str, family: str, line: dict) -> bool:
    """Entities: nothing expected, or a line marked ``negative`` (the rule must not fire; the note says
    how). Relations: none of the family's relations expected."""
    if kind == "entities":
        return not line["expected"] or line.get("negative") is True
    return not {row[1] for row in line["expected"]} & RELATION_FAMILIES[family]


@pytest.mark.parametrize("kind, module, family", [
    *(("entities", module, family) for module, family in ENTITY_FAMILIES.items()),
    *(("relations", family, family) for family in RELATION_FAMILIES),
])
def test_every_rule_family_has_a_corpus(kind, module, family):
    assert (PIPELINE / kind / f"{module}.py").exists(), f"pipeline/{kind}/{module}.py is gone: update this list"
    lines = corpus_lines(kind, family)
    assert len(lines) >= MIN_LINES
    assert sum(is_negative(kind, family, line) for line in lines) >= MIN_NEGATIVE
    for line in lines:
        assert set(line) <= KEYS and {"text", "published", "expected", "source"} <= set(line), line
        assert all(len(row) == 3 for row in line["expected"]), line
        if line.get("negative"):
            assert line.get("note"), "a line marked negative says in its note what must not fire"
    if kind == "relations":
        said = {row[1] for line in lines for row in line["expected"]}
        assert said & RELATION_FAMILIES[family], "a family's corpus has positive lines too"


def test_no_corpus_file_without_a_family():
    families = {"entities": set(ENTITY_FAMILIES.values()), "relations": set(RELATION_FAMILIES)}
    for kind, names in families.items():
        assert {p.stem for p in (CORPUS / kind).glob("*.jsonl")} == names


def test_every_rule_module_is_listed():
    """A new rule module of pipeline/entities/ or pipeline/relations/ needs a corpus (helpers excepted)."""
    helpers = {"__init__", "spans", "words", "base", "triggers"}
    assert {p.stem for p in (PIPELINE / "entities").glob("*.py")} - helpers == set(ENTITY_FAMILIES)
    assert {p.stem for p in (PIPELINE / "relations").glob("*.py")} - helpers == set(RELATION_FAMILIES)
