"""Reader: encodings, HTML, JSONL errors, ids, dates — every input becomes exactly one record."""
from __future__ import annotations

import codecs
import json

import pytest

from pipeline.reader import (blank_html, count_articles, decode_bytes, read_articles, unsafe_id_reason,
                             InputError)

KO = "오픈AI가 10일 서울에서 한국 지사 출범식을 열었다.\n제이슨 권 최고전략책임자가 참석했다.\n"


@pytest.mark.parametrize("encoding, prefix, expected", [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ("cp949", b"", "cp949"),
    ("euc-kr", b"", "cp949"),
])
def test_decode_bytes(encoding, prefix, expected):
    text, found = decode_bytes(prefix + KO.encode(encoding))
    assert text == KO and found == expected


def test_binary_is_refused():
    with pytest.raises(InputError, match="binary"):
        decode_bytes(bytes(range(256)) * 4)


def test_html_blanking_keeps_offsets():
    raw = "<p>삼성전자는 <b>10억원</b>을 투자했다.</p><p>서울&amp;부산</p>"
    blanked = blank_html(raw)
    assert len(blanked) == len(raw)
    start = raw.index("10억원")
    assert blanked[start:start + 4] == "10억원"
    assert "<" not in blanked and "&" in blanked


@pytest.mark.parametrize("article_id", ["../../x", "/etc/passwd", "a/../../b", "..\\..\\x", "C:\\x", "a\nb", ""])
def test_unsafe_ids(article_id):
    assert unsafe_id_reason(article_id)


@pytest.mark.parametrize("article_id", ["kowikinews-0001", "2024/09/10/abc", "기사-1", "a..b"])
def test_safe_ids(article_id):
    assert unsafe_id_reason(article_id) == ""


def test_jsonl_records(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": KO, "published": "2025-09-10"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": 12}),
        json.dumps({"id": "a", "text": KO}, ensure_ascii=False),
        json.dumps({"id": "d", "text": KO, "published": "2025-13-45"}, ensure_ascii=False),
        json.dumps({"id": "e", "text": KO, "published": "어제"}, ensure_ascii=False),
        json.dumps({"id": "../../x", "text": KO}, ensure_ascii=False),
        json.dumps([1, 2]),
        "",
        json.dumps({"id": "f", "text": "bad \ud800 surrogate 서울"}),
        json.dumps({"id": "g", "text": "   \n "}),
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = list(read_articles([path]))
    by_line = {r.source.rsplit("#", 1)[1]: r for r in records}
    assert len(records) == 11  # the blank line is no article
    assert by_line["1"].ok and by_line["1"].published.isoformat() == "2025-09-10"
    assert "malformed JSON" in by_line["2"].error
    assert by_line["3"].error == "missing 'text'"
    assert "not a string" in by_line["4"].error
    assert "duplicate article id 'a'" in by_line["5"].error and by_line["5"].article_id != "a"
    assert by_line["6"].ok and by_line["6"].published is None and "no such day" in "; ".join(by_line["6"].warnings)
    assert by_line["7"].ok and "invalid published date" in "; ".join(by_line["7"].warnings)
    assert "looks like a file path" in by_line["8"].error
    assert "not an object" in by_line["9"].error
    assert by_line["11"].ok and "\ufffd" in by_line["11"].text and by_line["11"].warnings
    assert "empty" in by_line["12"].error
    assert len({r.article_id for r in records}) == len(records)
    assert count_articles([path]) == 12


def test_jsonl_streams_in_other_encodings(tmp_path):
    row = json.dumps({"id": "k", "text": KO}, ensure_ascii=False) + "\n"
    for name, data in {"u16.jsonl": codecs.BOM_UTF16_LE + row.encode("utf-16-le"),
                       "bom.jsonl": codecs.BOM_UTF8 + row.encode("utf-8"),
                       "949.jsonl": row.encode("cp949")}.items():
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        (folder / name).write_bytes(data)
        [article] = list(read_articles([folder]))
        assert article.ok and article.text == KO, name


def test_reader_is_lazy(tmp_path):
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(1000):
            handle.write(json.dumps({"id": f"n{n}", "text": KO}, ensure_ascii=False) + "\n")
    stream = read_articles([path])
    assert next(stream).article_id == "n0"  # a generator: nothing else read yet
