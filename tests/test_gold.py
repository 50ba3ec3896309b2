"""The pipeline against the hand-labelled gold files (tests/gold, docs/labelling-guide.md).

The gold articles are scored as three sets, never pooled (``pipeline.evaluate.split_golds``): the seeds,
whose floors are the project's acceptance figures, and the Wikinews articles' ``tune`` and ``test`` parts
(``tests/gold/splits.tsv``). Tune and test floors sit a little under what the pipeline measured when the
Wikinews gold grew from 3 to 49 articles; test is only ever scored, never read while writing rules.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import SETS, load_gold, report_json, run_pipeline, score, split_golds
from pipeline.nlp import Extractor
from tests.gold.check_gold import check_all
from tests.gold.select_articles import split_of

GOLD = Path(__file__).resolve().parent / "gold"
SECOND_READING = GOLD / "second-reading"


def test_gold_files_are_valid():
    problems = {name: issues for name, issues in check_all(GOLD).items() if issues}
    assert problems == {}


def test_second_readings_are_valid():
    if not SECOND_READING.is_dir():
        pytest.skip("no second readings")
    problems = {name: issues for name, issues in check_all(SECOND_READING).items() if issues}
    assert problems == {}


def test_splits_follow_the_rule():
    """splits.tsv is what select_articles.py's rule gives, and every Wikinews gold file is in it."""
    rows = [line.split("\t") for line in (GOLD / "splits.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert rows and all(part == split_of(article_id.removeprefix("wikinews-")) for article_id, part in rows)
    sets = split_golds(load_gold(GOLD), GOLD)  # raises GoldSplitError for a file splits.tsv does not name
    assert sum(len(s) for s in sets.values()) == len(list(GOLD.glob("*.json")))


@pytest.fixture(scope="module")
def reports(nlp):
    """One run of the pipeline over every gold article, scored per set."""
    golds = load_gold(GOLD)
    tables = run_pipeline(golds, extractor=Extractor(nlp))
    return {name: score(subset, tables) for name, subset in split_golds(golds, GOLD).items()}


@pytest.fixture(scope="module")
def seeds_report(reports):
    return reports["seeds"]


@pytest.fixture(scope="module")
def tune_report(reports):
    return reports["tune"]


@pytest.fixture(scope="module", name="test_report")
def _test_report(reports):  # named through the decorator: a function called test_* would be collected
    return reports["test"]


def test_seed_entity_f1(seeds_report):
    assert seeds_report.entity_f1 >= 0.90


def test_seed_values_and_dates_all_right(seeds_report):
    assert seeds_report.errors == []
    n = seeds_report.normalisation
    assert n["checked"] >= n["gold"] - 3  # nearly every gold QT/DT/TI is found with its exact span


def test_seed_relation_f1(seeds_report):
    assert seeds_report.relation_f1 >= 0.75


# Floors, not targets (README, Accuracy). Measured with the gold of main 3e2ed23 (first readings after the review
# pass) plus the labellers' files then being written: 48 of the 49 articles of splits.tsv (0604 not yet there),
# 32 tune and 16 test.
def test_tune_floor(tune_report):
    assert tune_report.entity_f1 >= 0.69  # measured 0.714
    assert tune_report.relation_f1 >= 0.19  # measured 0.210
    assert tune_report.normalisation_accuracy >= 0.90  # measured 0.926 (250/270)


def test_test_floor(test_report):
    assert test_report.entity_f1 >= 0.71  # measured 0.739
    assert test_report.relation_f1 >= 0.23  # measured 0.263
    assert test_report.normalisation_accuracy >= 0.93  # measured 0.959 (139/145)


def test_json_figures_add_up(reports):
    """The --json figures: per-label counts sum to ALL, P/R/F1 in [0, 1], and they round-trip through JSON."""
    for name in SETS:
        figures = json.loads(json.dumps(report_json(reports[name], [])))
        for part in ("entities", "relations"):
            labels = {k: v for k, v in figures[part].items() if k != "ALL"}
            for key in ("gold", "pred", "tp"):
                assert sum(v[key] for v in labels.values()) == figures[part]["ALL"][key]
            assert all(0.0 <= v[m] <= 1.0 for v in figures[part].values() for m in ("precision", "recall", "f1"))
        n = figures["normalisation"]
        assert n["right"] + n["wrong"] == n["checked"] <= n["gold"]
        assert figures["entities"]["ALL"]["f1"] == pytest.approx(reports[name].entity_f1)
