"""A tool people trust with their data: bad requests change nothing and say what to do in one line."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.reader import read_articles

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def out_with_tables(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("entities", "relations", "articles", "entities_canonical", "relations_canonical"):
        (out / f"{name}.csv").write_text(f"earlier {name}\n", encoding="utf-8")
    return out


def _unchanged(out: Path) -> bool:
    return sorted(p.name for p in out.iterdir()) == sorted(
        f"{n}.csv" for n in ("entities", "relations", "articles", "entities_canonical", "relations_canonical")) \
        and all(p.read_text(encoding="utf-8") == f"earlier {p.stem}\n" for p in out.iterdir())


def _one_line_error(capsys, *words: str) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    return err


@pytest.mark.parametrize("args, words", [
    (["extract", "seedz"], ["input seedz does not exist"]),
    (["extract", "seeds", "--workers", "-1"], ["--workers -1", "1 or more"]),
    (["extract", "seeds", "--workers", "0"], ["--workers 0"]),
    (["extract", "seeds", "--batch-size", "0"], ["--batch-size 0"]),
    (["extract", "seeds", "--metadata", "no-such.csv"], ["--metadata no-such.csv", "no such file"]),
    (["extract", "seeds", "--scheduler", "tcp://127.0.0.1:9"], ["cannot reach a Dask scheduler"]),
])
def test_usage_errors_change_nothing(args, words, out_with_tables, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    started = time.perf_counter()
    assert cli.main(args + ["--out", str(out_with_tables)]) == cli.EXIT_USAGE
    assert time.perf_counter() - started < 10
    _one_line_error(capsys, *words)
    assert _unchanged(out_with_tables)


def test_an_unreadable_metadata_file_is_a_usage_error(tmp_path, out_with_tables, capsys):
    binary = tmp_path / "meta.csv"
    binary.write_bytes(b"\x00\x01\x02binary")
    assert cli.main(["extract", str(REPO / "seeds"), "--out", str(out_with_tables), "--metadata", str(binary)]) == 2
    _one_line_error(capsys, "cannot read it")
    no_id = tmp_path / "noid.csv"
    no_id.write_text("name,published\nx,2025-09-10\n", encoding="utf-8")
    assert cli.main(["extract", str(REPO / "seeds"), "--out", str(out_with_tables), "--metadata", str(no_id)]) == 2
    _one_line_error(capsys, "no 'id' column")
    assert _unchanged(out_with_tables)


def test_out_naming_a_file(tmp_path, capsys):
    target = tmp_path / "file.csv"
    target.write_text("keep\n", encoding="utf-8")
    for out in (target, target / "sub"):
        assert cli.main(["extract", str(REPO / "seeds"), "--out", str(out)]) == 2
        _one_line_error(capsys, "give a folder")
    assert target.read_text(encoding="utf-8") == "keep\n"


def test_a_run_that_reads_no_article_writes_nothing(tmp_path, out_with_tables, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["extract", str(empty), "--out", str(out_with_tables), "--no-model"]) == 2
    _one_line_error(capsys, "no articles", "left unchanged")
    assert _unchanged(out_with_tables)


@pytest.mark.parametrize("value, ok", [("2025-13-45", False), ("2025.09.10", True), ("yesterday", False)])
def test_normalize_published(value, ok, capsys):
    code = cli.main(["normalize", "--published", value, "지난 2월"])
    if ok:
        assert code == 0
        assert json.loads(capsys.readouterr().out)["norm"] == "2025-02"
    else:
        assert code == 2
        _one_line_error(capsys, f"--published {value}", "YYYY-MM-DD")


def test_eval_gold_missing_or_empty(tmp_path, capsys):
    assert cli.main(["eval", "--gold", str(tmp_path / "nope")]) == 2
    _one_line_error(capsys, "no such folder")
    assert cli.main(["eval", "--gold", str(tmp_path)]) == 2
    _one_line_error(capsys, "no gold files")


@pytest.mark.parametrize("args, words", [(["--relation", "partner"], ["did you mean org:partner_of"]),
                                         (["--label", "XX"], ["--label XX", "PS, OG"])])
def test_query_unknown_relation_or_label(args, words, capsys):
    assert cli.main(["query", "--out", str(REPO / "outputs"), "오픈AI", *args]) == 2
    _one_line_error(capsys, *words)


def test_relation_types_cover_the_relations_the_rules_make():
    import re

    from pipeline.checks import RELATION_TYPES

    made = set()
    for path in (REPO / "pipeline" / "relations").glob("*.py"):
        made |= set(re.findall(r'"((?:per|org|ev|qt):[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert made and made <= set(RELATION_TYPES)


def test_query_into_a_closed_pipe_has_no_traceback(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    pd.DataFrame([{"entity_key": "OG:X", "name": "X", "label": "OG", "aliases": "", "n_articles": 1,
                   "n_mentions": 1, "first_published": "", "last_published": "", "article_ids": "a"}]
                 ).to_csv(out / "entities_canonical.csv", index=False)
    pd.DataFrame([{"subj": "X", "subj_label": "OG", "relation": "org:partner_of", "obj": f"Y{i}", "obj_label": "OG",
                   "n_articles": 1, "n_mentions": 1, "first_published": "", "last_published": "", "article_ids": "a",
                   "evidence": ""} for i in range(20000)]).to_csv(out / "relations_canonical.csv", index=False)
    result = subprocess.run(f"{sys.executable} -m pipeline query --out {out} X --limit 100000 | head -1",
                            shell=True, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("== entities")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr


def test_unexpected_errors_are_one_line_unless_debug(monkeypatch, tmp_path, capsys):
    import pipeline.runner

    def broken(options):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline.runner, "run_extract", broken)
    args = ["extract", str(REPO / "seeds"), "--out", str(tmp_path / "o")]
    assert cli.main(args) == cli.EXIT_FATAL
    _one_line_error(capsys, "RuntimeError: disk on fire", "--debug")
    with pytest.raises(RuntimeError):
        cli.main(args + ["--debug"])


def test_explicit_metadata_wins_over_the_folders_and_is_reported(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(REPO / "seeds", folder)
    meta = tmp_path / "meta.csv"
    meta.write_text("id,published,publisher,title\n003_53c101ae55541b11,2024-01-02,,Mine\n", encoding="utf-8")
    by_id = {a.article_id: a for a in read_articles([folder], meta)}
    article = by_id["003_53c101ae55541b11"]
    assert str(article.published) == "2024-01-02" and article.title == "Mine"
    assert f"metadata {meta}, over {folder / 'articles.csv'}" in article.source
    other = by_id["000_10e54bcd19c753c1"]
    assert str(other.published) == "2025-09-10" and other.source == str(folder / "000_10e54bcd19c753c1.txt")


def test_a_malformed_published_costs_only_the_date(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "오픈AI는 카카오와 제휴했다.", "published": "2025-13-45"},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    article, = read_articles([corpus])
    assert article.ok and article.published is None
    assert "2025-13-45" in "; ".join(article.warnings) and "date ignored" in "; ".join(article.warnings)


def test_a_one_line_article_has_no_title(tmp_path):
    body = "서울=연합뉴스 오픈AI는 10일 한국 지사를 공식 출범했다고 밝혔다 " * 8 + "김철수 기자 kim@yna.co.kr"
    (tmp_path / "one.txt").write_text(body, encoding="utf-8")
    (tmp_path / "two.txt").write_text("오픈AI는 한국 지사를 열었다.\n둘째 줄이다.\n", encoding="utf-8")
    (tmp_path / "three.txt").write_text("美 오픈AI, 한국지사 출범\n오픈AI는 한국 지사를 열었다.\n", encoding="utf-8")
    titles = {a.article_id: a.title for a in read_articles([tmp_path])}
    assert titles == {"one": "", "two": "", "three": "美 오픈AI, 한국지사 출범"}


def test_corpus_tables_have_the_mode_of_the_other_tables(tmp_path):
    from pipeline.tables import write_tables

    (tmp_path / "entities.csv").write_text("x\n", encoding="utf-8")
    write_tables({"entities_canonical": pd.DataFrame({"a": [1]})}, tmp_path)
    mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)  # noqa: E731
    assert mode(tmp_path / "entities_canonical.csv") == mode(tmp_path / "entities.csv")


def test_report_is_not_rewritten_when_nothing_changed(tmp_path):
    from pipeline.report import write_text_atomic

    page = tmp_path / "report.html"
    write_text_atomic("<html>same</html>\n", page)
    before = page.stat().st_mtime_ns
    time.sleep(0.02)
    write_text_atomic("<html>same</html>\n", page)
    assert page.stat().st_mtime_ns == before


def test_report_has_no_clock_and_shows_numbers_as_people_write_them():
    from pipeline.report import hover_text, render_report

    page = render_report(pd.DataFrame({"article_id": [], "status": []}), pd.DataFrame(), pd.DataFrame(), {})
    assert "generated" not in page
    assert hover_text({"label": "QT", "value": "1e-09", "unit": ""}).startswith("QT 0.000000001")
    assert hover_text({"label": "QT", "value": "20310000", "unit": "명"}).startswith("QT 20,310,000 명")


def test_a_small_input_runs_in_process_whatever_the_workers(tmp_path):
    from pipeline.runner import RunOptions, run_extract

    stats = run_extract(RunOptions(inputs=[str(REPO / "seeds")], out=str(tmp_path), workers=4, use_model=False,
                                   cache=False))
    assert (stats.engine, stats.workers, stats.ok) == ("inline", 1, 2)
