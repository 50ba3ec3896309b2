"""End to end through the command line, as a user runs it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_extract_seeds_matches_committed_outputs(tmp_path):
    result = run("extract", "seeds", "--out", str(tmp_path), "--tokens")
    assert result.returncode == 0, result.stderr
    for name in ("entities.csv", "relations.csv", "articles.csv", "tokens.csv", "entities_canonical.csv",
                 "relations_canonical.csv"):
        fresh = (tmp_path / name).read_text(encoding="utf-8")
        committed = (REPO / "outputs" / name).read_text(encoding="utf-8")
        assert fresh == committed, f"outputs/{name} is stale: run `make extract` and commit it"


def test_extract_tables_have_the_documented_columns(tmp_path):
    assert run("extract", "seeds", "--out", str(tmp_path)).returncode == 0
    entities = pd.read_csv(tmp_path / "entities.csv", keep_default_na=False)
    assert list(entities.columns) == ["article_id", "entity_id", "sentence_id", "start", "end", "text", "label", "norm",
                                      "value", "unit", "approx"]
    articles = pd.read_csv(tmp_path / "articles.csv", keep_default_na=False)
    assert set(articles["status"]) == {"ok"}
    assert set(articles["published"]) == {"2025-09-10"}  # one from articles.csv, one also from its header line
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (REPO / "seeds").glob("*.txt")}
    for row in entities.itertuples():
        assert texts[row.article_id][row.start:row.end] == row.text
    row = entities[entities["text"] == "2031만명"].iloc[0]
    assert (row["label"], str(row["value"]), row["unit"]) == ("QT", "20310000", "명")


def test_extract_jsonl_with_a_bad_line(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"id": "a1", "text": "오픈AI는 지난 2월 카카오와 제휴했다.", "published": "2025-09-10"}, ensure_ascii=False)
        + "\n{not json\n" + json.dumps({"id": "a2", "text": 42}) + "\n", encoding="utf-8")
    result = run("extract", str(corpus), "--out", str(tmp_path / "out"))
    assert result.returncode != 0  # some articles failed: documented non-zero exit
    articles = pd.read_csv(tmp_path / "out" / "articles.csv", keep_default_na=False)
    assert list(articles["status"]) == ["ok", "error", "error"]
    entities = pd.read_csv(tmp_path / "out" / "entities.csv", keep_default_na=False)
    assert ("지난 2월", "DT", "2025-02") in set(zip(entities["text"], entities["label"], entities["norm"]))


def test_normalize_verb_prints_json_lines():
    result = run("normalize", "--published", "2025-09-10", "2031만명", "지난 2월", "열두 번째")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["label"], r["value"], r["unit"], r["norm"]) for r in rows] == [
        ("QT", 20310000, "명", ""), ("DT", None, "", "2025-02"), ("QT", 12, "번째", "")]


def test_eval_verb_prints_scores(tmp_path):
    result = run("eval", "--gold", "tests/gold", "--json", str(tmp_path / "eval.json"))
    assert result.returncode == 0, result.stderr
    assert "== seeds" in result.stdout and "-- relations" in result.stdout
    assert "== tune" in result.stdout and "== test" in result.stdout
    figures = json.loads((tmp_path / "eval.json").read_text(encoding="utf-8"))
    assert list(figures) == ["seeds", "tune", "test"]
    test_part = result.stdout.split("== test", 1)[1]
    assert "   wrong: wikinews" not in test_part  # test errors are counted, never listed
    one = run("eval", "--gold", "tests/gold", "--split", "seeds")
    assert one.returncode == 0 and "== seeds" in one.stdout and "== tune" not in one.stdout


def test_eval_refuses_a_wikinews_gold_file_without_a_split(tmp_path):
    for name in ("wikinews-kowikinews-0247.json", "000_10e54bcd19c753c1.json"):
        (tmp_path / name).write_bytes((REPO / "tests" / "gold" / name).read_bytes())
    (tmp_path / "splits.tsv").write_text("article_id\tsplit\nwikinews-kowikinews-0397\ttune\n", encoding="utf-8")
    result = run("eval", "--gold", str(tmp_path))
    assert result.returncode == 2
    assert "wikinews-kowikinews-0247" in result.stderr and "splits.tsv" in result.stderr
