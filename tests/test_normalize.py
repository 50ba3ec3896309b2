"""Tests for pipeline.normalize: the hand-written case corpus (one file per dimension), properties, seeds,
CLI and speed."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from benchmarks.normalize_bench import benchmark
from pipeline.normalize import (Expression, find_expressions, normalize, parse_korean_number, render_korean_number,
                                run_cli)

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "tests" / "data" / "normalise"
CASE_FILES = sorted(CASES_DIR.glob("*.tsv"))
SHARED = ROOT.parent / "shared"


def _load_cases():
    """Every row of every dimension file (numbers, quantities, money, dates, periods, times, negatives)."""
    rows = []
    for path in CASE_FILES:
        with open(path, encoding="utf-8", newline="") as fh:
            lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
        rows += [dict(r, file=path.stem) for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return rows


CASE_ROWS = _load_cases()


def _num(s: str):
    if s == "":
        return None
    v = float(s)
    return int(v) if v.is_integer() and "." not in s else v


def _check(e: Expression, row: dict) -> list[str]:
    errs = []
    want = {
        "label": row["label"], "value": _num(row["value"]), "unit": row["unit"], "norm": row["norm"],
        "approx": row["approx"] == "1", "value_min": _num(row["value_min"]), "value_max": _num(row["value_max"]),
        "norm_start": row["norm_start"], "norm_end": row["norm_end"],
    }
    for k, v in want.items():
        got = getattr(e, k)
        if isinstance(v, float) or isinstance(got, float):
            ok = got is not None and v is not None and abs(float(got) - float(v)) < 1e-9
        else:
            ok = got == v
        if not ok:
            errs.append(f"{k}: got {got!r}, want {v!r}")
    return errs


def _case_id(row):
    return f"{row['file']}/{row['group']}:{row['span'] or row['text']}"


def test_case_table_size_and_groups():
    assert {p.stem for p in CASE_FILES} == {"numbers", "quantities", "money", "dates", "periods", "times", "negatives"}
    assert len(CASE_ROWS) >= 400
    groups = {r["group"] for r in CASE_ROWS}
    for g in ("num_arabic", "num_mixed", "num_hangul", "num_native", "fraction_percent", "ranges", "hedges",
              "money", "counters", "ordinal_rank", "not_quantity", "date_absolute", "relative_day", "month_year",
              "week", "quarter_part", "duration", "date_range", "time", "split", "resolution", "unpublished",
              "wikinews", "seed"):
        assert g in groups


@pytest.mark.parametrize("row", CASE_ROWS, ids=_case_id)
def test_case(row):
    pub = dt.date.fromisoformat(row["published"]) if row["published"] else None
    text, span = row["text"], row["span"]
    if row["label"] == "NONE":
        target = span or text
        a = text.index(target)
        b = a + len(target)
        hits = [e for e in find_expressions(text, pub) if e.start < b and a < e.end]
        assert not hits, f"unexpected {hits}"
        return
    if not span:
        e = normalize(text, pub)
        assert e is not None, "nothing found"
        assert e.text == text, f"span {e.text!r}"
    else:
        found = [e for e in find_expressions(text, pub) if e.text == span]
        assert found, f"{span!r} not among {[x.text for x in find_expressions(text, pub)]}"
        results = [_check(e, row) for e in found]
        if all(results):
            pytest.fail("; ".join(results[0]))
        return
    errs = _check(e, row)
    assert not errs, "; ".join(errs)


# ------------------------------------------------------------------ properties

@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 16), st.sampled_from(["digits", "mixed", "hangul"]))
def test_render_parses_back(n, style):
    s = render_korean_number(n, style)
    assert parse_korean_number(s) == n, s
    e = normalize(s)
    assert e is not None and e.value == n and e.text == s


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789,.~%$년월일시분 만억조천백십이삼사오육칠팔구수몇여약제번째명원지난오는이날해달주전후간쯤경께오전후정-:·/@aAkmgG\n")),
               max_size=40))
def test_never_raises_and_offsets_hold(text):
    for pub in (None, dt.date(2025, 9, 10)):
        exprs = find_expressions(text, pub)
        last = 0
        for e in exprs:
            assert 0 <= e.start < e.end <= len(text)
            assert e.text == text[e.start:e.end]
            assert e.start >= last
            last = e.end
            assert e.label in ("QT", "DT", "TI")
        normalize(text, pub)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_any_text(text):
    for e in find_expressions(text, dt.date(2024, 2, 29)):
        assert e.text == text[e.start:e.end]
    normalize(text, None)


def test_render_examples():
    assert render_korean_number(20310000) == "2031만"
    assert render_korean_number(3500000000000) == "3조5000억"
    assert render_korean_number(3500000000000, "mixed") == "3조5천억"
    assert render_korean_number(27350000, "hangul") == "이천칠백삼십오만"
    assert render_korean_number(10 ** 16, "hangul") == "일경"


# ------------------------------------------------------------------ seeds

SEED_EXPECTED = {
    # every QT/DT/TI of each seed, in order (label, text, value, unit, norm), published 2025-09-10
    "000_10e54bcd19c753c1.txt": [
        ("QT", "열두 번째", 12, "번째", ""), ("QT", "세 번째", 3, "번째", ""), ("QT", "열두 번째", 12, "번째", ""),
        ("QT", "2000만명", 20000000, "명", ""), ("QT", "7억명", 700000000, "명", ""), ("DT", "1년 전", None, "", "2024"),
        ("QT", "4배", 4, "배", ""), ("DT", "지난해", None, "", "2024"), ("QT", "3배 이상", 3, "배", ""),
        ("QT", "10위권", 10, "위", ""), ("DT", "지난달", None, "", "2025-08"), ("QT", "2031만명", 20310000, "명", ""),
        ("DT", "지난해", None, "", "2024"), ("QT", "407만명", 4070000, "명", ""), ("QT", "약 5배", 5, "배", ""),
        ("QT", "5120만명", 51200000, "명", ""), ("QT", "약 40%", 40, "%", ""), ("QT", "10명 중 7명", 0.7, "", ""),
         ("QT", "20~40대", 20, "대", ""), ("DT", "지난 2월", None, "", "2025-02"),
        ("DT", "오는 11일", None, "", "2025-09-11"), ("DT", "지난 2월", None, "", "2025-02"),
        ("DT", "오는 12일", None, "", "2025-09-12"), ("DT", "11월", None, "", "2025-11"), ("QT", "21명", 21, "명", ""),
        ("DT", "오는 11일", None, "", "2025-09-11"), ("TI", "오후", None, "", ""),
    ],
    "003_53c101ae55541b11.txt": [
        ("DT", "2025-09-10", None, "", "2025-09-10"), ("DT", "10일", None, "", "2025-09-10"),
        ("DT", "10일", None, "", "2025-09-10"), ("TI", "오전", None, "", ""), ("DT", "10일", None, "", "2025-09-10"),
        ("DT", "이날", None, "", "2025-09-10"), ("TI", "오전", None, "", ""), ("DT", "지난 9일", None, "", "2025-09-09"),
        ("DT", "지난달", None, "", "2025-08"), ("QT", "6개국", 6, "개국", ""), ("DT", "올해 2월", None, "", "2025-02"),
        ("DT", "이달 12일", None, "", "2025-09-12"), ("DT", "오는 11월", None, "", "2025-11"),
        ("QT", "세 번째", 3, "번째", ""), ("QT", "열두 번째", 12, "번째", ""), ("DT", "2022년", None, "", "2022"),
        ("QT", "7억명", 700000000, "명", ""), ("DT", "1년 전", None, "", "2024"), ("QT", "4배가량", 4, "배", ""),
        ("QT", "3배 이상", 3, "배", ""),
    ],
}


def _seed_path(name):
    for base in (ROOT / "seeds", SHARED / "seeds"):
        if (base / name).exists():
            return base / name
    return None


@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_seed_expressions(name):
    path = _seed_path(name)
    if path is None:
        pytest.skip("seed not available")
    text = path.read_text(encoding="utf-8")
    exprs = find_expressions(text, dt.date(2025, 9, 10))
    got = [(e.label, e.text, e.value, e.unit, e.norm) for e in exprs]
    assert got == SEED_EXPECTED[name]
    for e in exprs:
        assert e.text == text[e.start:e.end]


# ------------------------------------------------------------------ CLI, speed

def test_cli_json_lines(capsys):
    rc = run_cli(["--published", "2025-09-10", "--json", "지난 2월", "20~40대로", "GPT-5"])
    assert rc == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 3
    assert lines[0]["label"] == "DT" and lines[0]["norm"] == "2025-02"
    assert lines[1]["text"] == "20~40대" and lines[1]["value_min"] == 20 and lines[1]["value_max"] == 40
    assert lines[2]["label"] is None
    for rec in lines:
        for k in ("text", "label", "value", "unit", "norm", "approx"):
            assert k in rec


def test_cli_accepts_verb(capsys):
    assert run_cli(["normalize", "--published", "2025-09-10", "오는 11일 오후 3시"]) == 0
    recs = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["label"], r["text"], r["norm"]) for r in recs] == [("DT", "오는 11일", "2025-09-11"),
                                                                 ("TI", "오후 3시", "15:00")]


def test_cli_prints_every_expression_by_default_and_one_with_first(capsys):
    assert run_cli(["--published", "2025-09-10", "오는 11일 오후 3시", "GPT-5", "이천칠백삼십오만"]) == 0
    recs = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["input"], r["label"], r["text"]) for r in recs] == [
        ("오는 11일 오후 3시", "DT", "오는 11일"), ("오는 11일 오후 3시", "TI", "오후 3시"),
        ("GPT-5", None, "GPT-5"), ("이천칠백삼십오만", "QT", "이천칠백삼십오만")]
    assert run_cli(["--first", "--published", "2025-09-10", "오는 11일 오후 3시"]) == 0
    recs = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["label"], r["text"]) for r in recs] == [("DT", "오는 11일")]
    assert run_cli(["--all", "오후 3시"]) == 0  # the old flag is still accepted: it is the default
    assert json.loads(capsys.readouterr().out)["norm"] == "15:00"


def test_benchmark_fast():
    r = benchmark(10_000)
    assert r["expressions"] == 10_000
    assert r["seconds"] < 1.0, r


# ------------------------------------------------------------------ blunders over the Wikinews articles

_EVENT_AFTER = re.compile(r"[ ]?(?:올림픽|월드컵|아시안게임|민주화운동|전쟁|혁명|항쟁)")


def test_no_blunders_on_wikinews():
    """Issue 19's blunders, over every Wikinews article: a value over 10^13 is money; no amount is an article of a
    law (`N조` without a currency, a QT right after 법/제); no year or date inside an event's name (a DT with a
    norm, or a QT other than an ordinal, right before an event word)."""
    path = SHARED / "data" / "wikinews-ko" / "wikinews-ko.jsonl"
    if not path.exists():
        pytest.skip("Wikinews articles not available")
    bad = []
    for line in path.read_text(encoding="utf-8").splitlines():
        art = json.loads(line)
        pub = dt.date.fromisoformat(art["published"]) if art.get("published") else None
        for e in find_expressions(art["text"], pub):
            before = art["text"][max(0, e.start - 4):e.start]
            if e.value is not None and abs(e.value) > 1e13 and e.unit not in ("원", "달러", "유로", "엔", "위안"):
                bad.append((art["id"], e.text, e.value))
            if e.label == "QT" and re.search(r"\d조$", e.text) and not re.search(r"조\s?(원|달러)", e.text) \
                    and not art["text"].startswith(("가", "이", "는", "을", "의", "에", "원"), e.end):
                bad.append((art["id"], e.text, e.value))
            if e.label == "QT" and re.search(r"(?:법|(?:^|[ (])제)[ ]?$", before):
                bad.append((art["id"], before + e.text, e.value))
            if _EVENT_AFTER.match(art["text"], e.end) and (e.label == "DT" and e.norm or
                                                            e.label == "QT" and e.kind != "ordinal"):
                bad.append((art["id"], e.text, e.norm or e.value))
    assert not bad, bad[:10]
