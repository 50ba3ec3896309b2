"""Bad input never sinks a run: every case becomes an ``error`` row and the rest goes on.

The bad-input folder is generated here: empty and blank files, binary, CP949/EUC-KR, UTF-16 and
UTF-8 with BOM, HTML, a 1 MB article, malformed JSONL lines, missing or non-string text,
duplicate ids, invalid dates, ids that look like paths. Runs are in-process (``--workers 1``),
so the pipeline is loaded once for the whole file.
"""
from __future__ import annotations

import codecs
import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.reader import Article
from pipeline.runner import RunOptions, run_extract

ARTICLE = ("오픈AI 한국 지사 출범\n"
           "오픈AI는 10일 서울 중구에서 한국 지사 출범식을 열었다고 밝혔다. 제이슨 권 최고전략책임자는 "
           "한국의 챗GPT 주간 이용자가 2031만명이라고 말했다.\n")
WIKINEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikinews-ko" / "wikinews-ko.jsonl"


def _one_megabyte() -> str:
    paragraphs = []
    if WIKINEWS.exists():
        paragraphs = [json.loads(line)["text"] for line in WIKINEWS.open(encoding="utf-8")][:200]
    paragraphs = paragraphs or [ARTICLE]
    text, i = "", 0
    while len(text.encode("utf-8")) < 1_000_000:
        text += paragraphs[i % len(paragraphs)] + "\n\n"
        i += 1
    return text


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad") / "inputs"
    folder.mkdir()
    (folder / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\t\n   ", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "cp949.txt").write_bytes(ARTICLE.encode("cp949"))
    (folder / "euckr.txt").write_bytes(ARTICLE.encode("euc-kr"))
    (folder / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"))
    (folder / "utf8bom.txt").write_bytes(codecs.BOM_UTF8 + ARTICLE.encode("utf-8"))
    (folder / "page.html").write_text(
        "<html><body><h1>오픈AI 한국 지사 출범</h1><p>오픈AI는 <b>10일</b> 서울 중구에서 한국 지사 "
        "출범식을 열었다고 밝혔다.</p><script>var x = '<p>삼성전자</p>';</script>"
        "<p>제이슨 권 최고전략책임자는 &quot;2031만명&quot;이라고 말했다.</p></body></html>", encoding="utf-8")
    (folder / "huge.txt").write_text(_one_megabyte(), encoding="utf-8")
    lines = [
        json.dumps({"id": "j-ok", "text": ARTICLE, "published": "2025-09-10"}, ensure_ascii=False),
        '{"id": "j-broken", "text": "unterminated',
        json.dumps({"id": "j-missing"}),
        json.dumps({"id": "j-number", "text": 42}),
        json.dumps({"id": "j-null", "text": None}),
        json.dumps({"id": "ok", "text": ARTICLE}, ensure_ascii=False),  # duplicates ok.txt
        json.dumps({"id": "j-ok", "text": ARTICLE}, ensure_ascii=False),  # duplicates line 1
        json.dumps({"id": "j-baddate", "text": ARTICLE, "published": "2025-02-30"}, ensure_ascii=False),
        json.dumps({"id": "j-worddate", "text": ARTICLE, "published": "last tuesday"}, ensure_ascii=False),
        json.dumps({"id": "j-intdate", "text": ARTICLE, "published": 20250910}, ensure_ascii=False),
        json.dumps({"id": "../../x", "text": ARTICLE}, ensure_ascii=False),
        json.dumps({"id": "../../../tmp/evil", "text": ARTICLE}, ensure_ascii=False),
        json.dumps({"id": "/abs/evil", "text": ARTICLE}, ensure_ascii=False),
        "[1, 2, 3]",
    ]
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def run(bad_folder):
    out = bad_folder.parent / "out"
    before = _tree(bad_folder.parent)
    code = cli.main(["extract", "--no-model", str(bad_folder), "--out", str(out), "--workers", "1", "--quiet"])
    articles = pd.read_csv(out / "articles.csv", keep_default_na=False).set_index("article_id", drop=False)
    entities = pd.read_csv(out / "entities.csv", keep_default_na=False)
    return {"code": code, "out": out, "articles": articles, "entities": entities,
            "new": _tree(bad_folder.parent) - before, "root": bad_folder.parent}


def test_exit_code_and_one_row_per_input(run):
    assert run["code"] == cli.EXIT_SOME_FAILED == 3
    assert len(run["articles"]) == 10 + 14


@pytest.mark.parametrize("article_id, message", [
    ("empty", "empty article"), ("blank", "empty article"), ("binary", "binary"),
    ("corpus#2", "malformed JSON"), ("j-missing", "missing 'text'"), ("j-number", "not a string"),
    ("j-null", "missing 'text'"), ("../../x", "looks like a file path"),
    ("../../../tmp/evil", "looks like a file path"), ("/abs/evil", "looks like a file path"),
    ("corpus#14", "not an object"),
])
def test_bad_inputs_are_error_rows(run, article_id, message):
    row = run["articles"].loc[article_id]
    assert row["status"] == "error" and message in row["error"]


@pytest.mark.parametrize("article_id, message", [
    ("j-baddate", "no such day"), ("j-worddate", "invalid published date"), ("j-intdate", "invalid published date"),
])
def test_a_bad_published_date_costs_only_the_date(run, article_id, message):
    row = run["articles"].loc[article_id]
    assert row["status"] == "ok" and row["published"] == "" and message in row["error"] and "date ignored" in row["error"]


def test_duplicates_are_errors_and_first_wins(run):
    articles = run["articles"]
    dups = articles[articles["error"].str.contains("duplicate article id")]
    assert len(dups) == 2
    assert articles.loc["ok", "status"] == "ok" and articles.loc["j-ok", "status"] == "ok"


@pytest.mark.parametrize("article_id, warning", [
    ("cp949", "decoded from cp949"), ("euckr", "decoded from cp949"), ("utf16", "decoded from utf-16"),
    ("utf8bom", ""), ("ok", ""), ("j-ok", ""),
])
def test_encodings_are_decoded(run, article_id, warning):
    row = run["articles"].loc[article_id]
    assert row["status"] == "ok" and row["error"] == warning
    ents = run["entities"]
    found = ents[ents["article_id"] == article_id][["start", "end", "text", "label"]].values.tolist()
    reference = ents[ents["article_id"] == "j-ok"][["start", "end", "text", "label"]].values.tolist()
    assert found == reference and "오픈AI" in {e[2] for e in found}


def test_html_is_stripped_with_offsets_into_the_file(run, bad_folder):
    row = run["articles"].loc["page"]
    assert row["status"] == "ok" and "HTML" in row["error"]
    raw = (bad_folder / "page.html").read_text(encoding="utf-8")
    ents = run["entities"][run["entities"]["article_id"] == "page"]
    assert len(ents) and "삼성전자" not in set(ents["text"])  # script content is not text
    for _, ent in ents.iterrows():
        assert raw[ent["start"]:ent["end"]] == ent["text"]


def test_one_megabyte_article(run, bad_folder):
    row = run["articles"].loc["huge"]
    assert row["status"] == "ok" and row["n_chars"] > 300_000
    text = (bad_folder / "huge.txt").read_text(encoding="utf-8")
    ents = run["entities"][run["entities"]["article_id"] == "huge"]
    assert len(ents) > 1000
    sample = ents.iloc[:: max(1, len(ents) // 200)]
    assert all(text[e["start"]:e["end"]] == e["text"] for _, e in sample.iterrows())
    assert ents["entity_id"].str.match(r"^E\d+$").all()


def test_nothing_written_outside_out(run):
    assert all(path == "out" or path.startswith("out/") for path in run["new"]), run["new"]
    assert not list(run["root"].parent.glob("x")) and not Path("/tmp/evil").exists()
    assert not [p for p in run["out"].iterdir() if p.name.startswith(".tmp-")]


def test_summary_line_and_exit_codes(bad_folder, tmp_path, capsys):
    ok_folder = tmp_path / "good"
    ok_folder.mkdir()
    (ok_folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert cli.main(["extract", "--no-model", str(ok_folder), "--out", str(tmp_path / "o"), "--workers", "1"]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "1 articles: 1 ok, 0 failed" in err
    assert cli.main(["extract", "--no-model", str(bad_folder / "empty.txt"), "--out", str(tmp_path / "o2"),
                     "--workers", "1"]) == cli.EXIT_SOME_FAILED
    err = capsys.readouterr().err
    assert "1 articles: 0 ok, 1 failed" in err and "empty article" in err


def test_interrupted_run_leaves_previous_tables(tmp_path):
    out = tmp_path / "out"
    good = [Article(article_id=f"a{n}", source="x", text=ARTICLE) for n in range(3)]
    run_extract(RunOptions(use_model=False, inputs=[], out=str(out), workers=1, batch_size=1), good)
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}

    def interrupted():
        yield from good
        yield Article(article_id="b", source="x", text=ARTICLE + "추가 문장이다.\n")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_extract(RunOptions(use_model=False, inputs=[], out=str(out), workers=1, batch_size=1), interrupted())
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]
    # ... and what was finished before the interruption is in the cache: a rerun processes only new work
    stats = run_extract(RunOptions(use_model=False, inputs=[], out=str(out), workers=1, batch_size=1),
                        good + [Article(article_id="b", source="x", text=ARTICLE + "추가 문장이다.\n")])
    assert stats.cached >= 3 and stats.processed <= 1 and stats.ok == 4


def test_a_failing_article_does_not_sink_its_batch(tmp_path, monkeypatch):
    from pipeline.nlp import Extractor

    original = Extractor._run

    def flaky(self, articles):
        if any("폭탄" in a.text for a in articles):
            raise RuntimeError("stage exploded")
        return original(self, articles)

    monkeypatch.setattr(Extractor, "_run", flaky)
    articles = [Article(article_id=f"a{n}", source="x", text=ARTICLE) for n in range(3)]
    articles.insert(1, Article(article_id="bomb", source="x", text="폭탄 " + ARTICLE))
    stats = run_extract(RunOptions(use_model=False, inputs=[], out=str(tmp_path), workers=1, cache=False), articles)
    table = pd.read_csv(tmp_path / "articles.csv", keep_default_na=False)
    assert list(table["article_id"]) == ["a0", "bomb", "a1", "a2"]
    assert list(table["status"]) == ["ok", "error", "ok", "ok"]
    assert "stage exploded" in table.loc[1, "error"] and stats.failed == 1
