"""Scale: worker processes and a real Dask LocalCluster give the same tables as one process;
partitioned Parquet; the cache makes reruns incremental; reading streams (bounded look-ahead).

Set ``PIPELINE_SLOW_TESTS=1`` to also measure peak RSS for 1,000 vs 10,000 articles.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.reader import Article
from pipeline.runner import RunOptions, join_segments, run_extract, segments
from pipeline.tables import DocRows

REPO = Path(__file__).resolve().parents[1]
WIKINEWS = REPO.parent / "shared" / "data" / "wikinews-ko" / "wikinews-ko.jsonl"
SEEDS = REPO / "seeds"


def _corpus(path: Path, n: int) -> Path:
    """n articles: Wikinews repeated (unique ids), or the seeds when the corpus is not there."""
    if WIKINEWS.exists():
        rows = [json.loads(line) for line in WIKINEWS.open(encoding="utf-8")]
    else:
        rows = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))]
    with open(path, "w", encoding="utf-8") as handle:
        for k in range(n):
            row = dict(rows[k % len(rows)])
            row["id"] = f"{row['id']}~{k // len(rows)}"
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


PER_ARTICLE = {"entities", "relations", "articles", "tokens"}  # the corpus tables are compared by _same only


def _tables(out: Path, fmt: str = "csv", per_article: bool = False) -> dict[str, pd.DataFrame]:
    if fmt == "csv":
        tables = {p.stem: pd.read_csv(p, keep_default_na=False, dtype=str) for p in sorted(out.glob("*.csv"))}
    else:
        tables = {p.name.split(".")[0]: pd.read_parquet(p) for p in sorted(out.glob("*.parquet"))}
    return {k: v for k, v in tables.items() if k in PER_ARTICLE} if per_article else tables


def _same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name].reset_index(drop=True), b[name].reset_index(drop=True), obj=name)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    path = _corpus(folder / "news.jsonl", 60)
    with open(path, "a", encoding="utf-8") as handle:  # a bad line in the middle of the stream
        handle.write("{broken\n")
        handle.write(json.dumps({"id": "last", "text": "삼성전자는 2025년 9월 10일 서울에서 신제품을 공개했다."},
                                ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("single")
    code = cli.main(["extract", "--no-model", str(corpus), "--out", str(out), "--workers", "1", "--tokens", "--quiet",
                     "--no-cache"])
    assert code == cli.EXIT_SOME_FAILED  # the broken line
    return out


def test_worker_processes_match_single_process(corpus, single, tmp_path):
    code = cli.main(["extract", "--no-model", str(corpus), "--out", str(tmp_path), "--workers", "2", "--tokens", "--quiet",
                     "--no-cache", "--batch-size", "7"])
    assert code == cli.EXIT_SOME_FAILED
    _same(_tables(single), _tables(tmp_path))


def test_dask_local_cluster_matches_single_process(corpus, single, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        code = cli.main(["extract", "--no-model", str(corpus), "--out", str(tmp_path / "csv"), "--engine", "dask",
                         "--scheduler", address, "--tokens", "--quiet", "--no-cache"])
        assert code == cli.EXIT_SOME_FAILED
        _same(_tables(single), _tables(tmp_path / "csv"))
        code = cli.main(["extract", "--no-model", str(corpus), "--out", str(tmp_path / "pq"), "--engine", "dask",
                         "--scheduler", address, "--tokens", "--quiet", "--no-cache", "--format", "parquet",
                         "--part-size", "25"])
        assert code == cli.EXIT_SOME_FAILED
    parts = sorted(p.name for p in (tmp_path / "pq" / "articles.parquet").iterdir())
    assert parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    parquet = _tables(tmp_path / "pq", "parquet", per_article=True)
    csv = _tables(single, per_article=True)
    for name in csv:
        assert len(parquet[name]) == len(csv[name]), name
        assert list(parquet[name]["article_id"]) == list(csv[name]["article_id"]), name
    assert list(parquet["entities"]["start"]) == [int(v) for v in csv["entities"]["start"]]


def test_parquet_single_process_equals_processes(corpus, tmp_path):
    base = ["extract", "--no-model", str(corpus), "--tokens", "--quiet", "--no-cache", "--format", "parquet", "--part-size", "20"]
    cli.main(base + ["--out", str(tmp_path / "a"), "--workers", "1"])
    cli.main(base + ["--out", str(tmp_path / "b"), "--workers", "2"])
    _same(_tables(tmp_path / "a", "parquet"), _tables(tmp_path / "b", "parquet"))


def test_cache_makes_runs_incremental(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    out = tmp_path / "out"
    args = ["extract", "--no-model", str(seeds), "--out", str(out), "--tokens", "--workers", "1"]
    assert cli.main(args) == cli.EXIT_OK
    first = _tables(out, per_article=True)
    n = len(first["articles"])
    assert f"{n} processed, 0 from cache" in capsys.readouterr().err
    # one more article: only that one is processed, the others come back identical from the cache
    (seeds / "zzz_new.txt").write_text("삼성전자는 2025년 9월 10일 서울에서 신제품을 공개했다.\n", encoding="utf-8")
    assert cli.main(args) == cli.EXIT_OK
    assert f"1 processed, {n} from cache" in capsys.readouterr().err
    second = _tables(out, per_article=True)
    for name in first:
        rows = second[name][second[name]["article_id"] != "zzz_new"]
        pd.testing.assert_frame_equal(first[name], rows.reset_index(drop=True), obj=name)
    # an edited article is processed again; --force redoes all
    (seeds / "zzz_new.txt").write_text("LG전자는 2025년 9월 11일 부산에서 신제품을 공개했다.\n", encoding="utf-8")
    assert cli.main(args) == cli.EXIT_OK
    assert f"1 processed, {n} from cache" in capsys.readouterr().err
    assert cli.main(args + ["--force"]) == cli.EXIT_OK
    assert f"{n + 1} processed, 0 from cache" in capsys.readouterr().err
    # a run without --tokens is served from a cache made with tokens
    assert cli.main(args[:-3] + ["--workers", "1"]) == cli.EXIT_OK
    assert f"0 processed, {n + 1} from cache" in capsys.readouterr().err


def test_reading_streams_with_bounded_look_ahead(tmp_path):
    written: list[int] = []
    read = 0
    text = "삼성전자는 2025년 9월 10일 서울에서 신제품을 공개했다.\n"

    from pipeline import tables

    original = tables.TableWriter.write_article

    def spy(self, rows):
        written.append(read)
        return original(self, rows)

    def articles():
        nonlocal read
        for n in range(200):
            read += 1
            yield Article(article_id=f"a{n}", source="x", text=text)

    tables.TableWriter.write_article = spy
    try:
        run_extract(RunOptions(use_model=False, inputs=[], out=str(tmp_path), workers=1, batch_size=10, cache=False), articles())
    finally:
        tables.TableWriter.write_article = original
    # when article k is written, at most a few batches beyond it have been read
    assert max(r - k for k, r in enumerate(written, start=1)) <= 4 * 10


def test_segments_join_back():
    text = ("가나다 라마바.\n" * 4000)[:-1]
    pieces = segments(text, 1000)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 1000 for _, p in pieces) and pieces[1][0] == len(pieces[0][1])
    parts = [(0, DocRows([["E1", 0, 0, 3, "가나다", "OG", "", None, "", None]], [], [[0, 0, 0, 3, "가나다", "NNP", "", ""]], 2)),
             (100, DocRows([["E1", 1, 4, 7, "라마바", "OG", "", None, "", None]], [], [[1, 5, 4, 7, "라마바", "NNP", "", ""]], 3))]
    joined = join_segments(parts)
    assert joined.n_sentences == 5
    e, t = joined.entities[1], joined.tokens[1]
    assert (e.entity_id, e.sentence_id, e.start, e.end) == ("E2", 3, 104, 107)
    assert (t.sentence_id, t.token_id, t.start, t.end) == (3, 6, 104, 107)


@pytest.mark.skipif(not os.environ.get("PIPELINE_SLOW_TESTS"), reason="slow: set PIPELINE_SLOW_TESTS=1")
def test_memory_is_flat(tmp_path):
    peaks = {}
    for n in (1000, 10_000):
        corpus = _corpus(tmp_path / f"c{n}.jsonl", n)
        stats_file = tmp_path / f"s{n}.json"
        subprocess.run([sys.executable, "-m", "pipeline", "extract", "--no-model", str(corpus), "--out", str(tmp_path / f"o{n}"),
                        "--workers", "1", "--quiet", "--no-cache", "--stats", str(stats_file)], cwd=REPO, check=True)
        peaks[n] = json.loads(stats_file.read_text())["main_rss_mb"]
    assert peaks[10_000] <= peaks[1000] * 1.10, peaks
