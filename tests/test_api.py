"""The Python API: pipeline.load / extract / normalize, and the README's Python section run as written."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline

REPO = Path(__file__).resolve().parent.parent


def test_import_pipeline_is_light():
    code = "import sys, pipeline; print('spacy' in sys.modules, 'pandas' in sys.modules, 'kiwipiepy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "False", "False"], result.stderr


def test_load_gives_the_language_and_takes_the_date_as_context():
    from spacy.language import Language

    nlp = pipeline.load(use_model=False)
    assert isinstance(nlp, Language) and pipeline.load(use_model=False) is nlp  # built once
    text = "오픈AI는 지난 2월 카카오와 제휴했다."
    assert [(e.text, e.label_) for e in nlp(text).ents] == [("오픈AI", "OG"), ("지난 2월", "DT"), ("카카오", "OG")]
    (doc, context), = nlp.pipe([(text, {"published": "2025-09-10"})], as_tuples=True)
    assert context == {"published": "2025-09-10"}
    assert {e.text: e._.info.norm for e in doc.ents}["지난 2월"] == "2025-02"
    assert {e.text: e._.info.norm for e in nlp("date 2025-09-10\n" + text).ents}["지난 2월"] == "2025-02"
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        list(nlp.pipe([(text, {"published": "2025-13-45"})], as_tuples=True))


def test_extract_returns_the_tables_in_memory(tmp_path, monkeypatch):
    from pipeline.tables import ARTICLE_COLUMNS, ENTITY_COLUMNS, RELATION_COLUMNS

    monkeypatch.chdir(tmp_path)
    result = pipeline.extract(["오픈AI는 지난 2월 카카오와 제휴했다.",
                               {"id": "a1", "text": "오픈AI는 지난 2월 카카오와 제휴했다.", "published": "2025-09-10",
                                "title": "제휴"}], use_model=False)
    assert list(result.entities.columns) == ENTITY_COLUMNS and list(result.relations.columns) == RELATION_COLUMNS
    assert list(result.articles.columns) == ARTICLE_COLUMNS
    assert list(result.articles["article_id"]) == ["1", "a1"] and list(result.articles["title"]) == ["", "제휴"]
    dates = result.entities[result.entities["text"] == "지난 2월"].set_index("article_id")["norm"]
    assert dates.to_dict() == {"1": "", "a1": "2025-02"}
    assert ("카카오", "org:partner_of") in set(zip(result.relations["obj"], result.relations["relation"])) or \
        ("오픈AI", "org:partner_of") in set(zip(result.relations["obj"], result.relations["relation"]))
    assert list(tmp_path.iterdir()) == []  # no files


def test_extract_matches_the_command_line_on_the_seeds(tmp_path):
    import pandas as pd

    from pipeline import cli

    assert cli.main(["extract", str(REPO / "seeds"), "--out", str(tmp_path), "--no-cache", "-q"]) == 0
    import csv

    meta = {r["id"]: r for r in csv.DictReader(open(REPO / "seeds" / "articles.csv", encoding="utf-8"))}
    items = [{"id": p.stem, "text": p.read_text(encoding="utf-8"), "published": meta[p.stem]["published"],
              "title": meta[p.stem]["title"]} for p in sorted((REPO / "seeds").glob("*.txt"))]
    result = pipeline.extract(items)
    for name in ("entities", "relations"):
        written = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        ours = getattr(result, name)
        assert len(ours) == len(written)
        assert list(ours["start" if name == "entities" else "subj_start"].astype(str)) == \
            list(written["start" if name == "entities" else "subj_start"])


def test_normalize_returns_the_expressions():
    found = pipeline.normalize("지난 2월 2031만명", published="2025-09-10")
    assert [(e.text, e.label, e.value, e.unit, e.norm) for e in found] == [
        ("지난 2월", "DT", None, "", "2025-02"), ("2031만명", "QT", 20310000, "명", "")]
    import importlib

    importlib.import_module("pipeline.normalize")  # the module: pipeline.normalize stays the function

    assert pipeline.normalize("2031만명")[0].value == 20310000
    assert callable(pipeline.normalize.find_expressions)
    with pytest.raises(ValueError, match="no such day"):
        pipeline.normalize("지난 2월", published="2025-13-45")


def test_the_readme_python_section_runs_as_written(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks and "korean-news" in readme
    script = tmp_path / "readme.py"
    script.write_text("\n".join(blocks), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert "2025-02" in result.stdout and "20310000" in result.stdout
