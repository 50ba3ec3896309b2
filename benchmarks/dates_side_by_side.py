"""Dates side by side: this project's normaliser and ``korean-datetime`` (PyPI, MIT; a benchmark-only
dependency: ``pip install korean-datetime`` or ``pip install -e '.[bench]'``) on the same rows, resolved against
the same reference date, judged by the same rule, in one run.

Rows: the day, month and year grain date cases of Microsoft Recognizers-Text's Korean specs (the ``dates``
category of tests/rt_specs.py, judged by its mapping) and NEWS_ROWS below, everyday news
expressions with the norm the project's contract gives (docs/normalize.md). A korean-datetime result becomes a
norm at its own grain (year -> YYYY, month -> YYYY-MM, day -> YYYY-MM-DD, a range -> its first and last day).

``python -m benchmarks.dates_side_by_side`` (or ``make bench-dates``) prints accuracy and expressions per
second for both tools.
"""
from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass

from tests.rt_specs import _date_right, _span, run
from pipeline.normalize import find_expressions

# (published, text, expected norm of the DT that text is): the project's contract (labelling guide §4.9)
NEWS_ROWS = [
    ("2025-09-10", "지난 2월", "2025-02"), ("2025-09-10", "오는 11일", "2025-09-11"),
    ("2025-09-10", "이달 12일", "2025-09-12"), ("2025-09-10", "지난해", "2024"), ("2025-09-10", "1년 전", "2024"),
    ("2025-09-10", "11월", "2025-11"), ("2025-09-10", "어제", "2025-09-09"), ("2025-09-10", "올해 2월", "2025-02"),
    ("2025-09-10", "지난달", "2025-08"), ("2025-09-10", "지난 9일", "2025-09-09"), ("2025-09-10", "이날", "2025-09-10"),
    ("2025-09-10", "2022년", "2022"), ("2025-09-10", "2025년 9월 10일", "2025-09-10"), ("2025-09-10", "내년", "2026"),
    ("2025-09-10", "오는 11월", "2025-11"), ("2025-09-10", "다음 달", "2025-10"), ("2025-09-10", "3일 전", "2025-09-07"),
    ("2025-09-10", "내일", "2025-09-11"), ("2025-09-10", "2025.9.10", "2025-09-10"), ("2025-09-10", "10일", "2025-09-10"),
    ("2016-03-09", "오늘", "2016-03-09"), ("2016-03-09", "20년 전", "1996"), ("2013-07-07", "현지시각 6일", "2013-07-06"),
    ("2020-10-29", "28일", "2020-10-28"), ("2020-10-29", "오는 11월 9일", "2020-11-09"),
    ("2020-10-29", "2020년 10월 말", "2020-10"), ("2025-09-10", "연말", "2025"), ("2025-09-10", "올해 상반기", "2025"),
    ("2025-09-10", "지난 2019년", "2019"), ("2025-09-10", "2025년 9월", "2025-09"), ("2025-09-10", "작년 12월", "2024-12"),
    ("2025-09-10", "지난 3월 5일", "2025-03-05"), ("2025-09-10", "그저께", "2025-09-08"), ("2025-09-10", "모레", "2025-09-12"),
    ("2025-09-10", "다음 주 월요일", "2025-09-15"), ("2025-09-10", "지난 금요일", "2025-09-05"),
    ("2025-09-10", "2주 후", "2025-09-24"), ("2025-09-10", "재작년", "2023"), ("2025-09-10", "3개월 전", "2025-06"),
    ("2025-09-10", "10년 전", "2015"), ("2018-05-02", "6.13 지방선거", "2018-06-13"),
    ("2012-09-20", "’11년에는", "2011"),
]


@dataclass
class _Expr:
    """A korean-datetime result as the judge reads an expression."""

    start: int
    end: int
    label: str
    norm: str
    norm_start: str = ""
    norm_end: str = ""
    kind: str = "date"


def _kdt_exprs(kdt, text: str, pub: _dt.date) -> list[_Expr]:
    out = []
    for r in kdt.parse_all(text, now=_dt.datetime(pub.year, pub.month, pub.day)):
        g = getattr(r.grain, "value", str(r.grain))
        s = r.start.date() if r.start else None
        if s is None:
            continue
        last = (r.end - _dt.timedelta(days=1)).date() if r.end else s
        if g == "year":
            norm = f"{s.year:04d}"
        elif g == "month":
            norm = f"{s.year:04d}-{s.month:02d}"
        elif g == "week":
            iy, iw, _ = s.isocalendar()
            norm = f"{iy}-W{iw:02d}"
        else:
            norm = s.isoformat()
        ns = ne = ""
        if r.is_range:
            ns, ne = s.isoformat(), last.isoformat()
            if g == "year":
                ns, ne = ns[:4], ne[:4]
            elif g == "month":
                ns, ne = ns[:7], ne[:7]
        out.append(_Expr(r.span[0], r.span[1], "DT", norm, ns, ne))
    return out


def _news_right(exprs, text: str, want: str) -> bool:
    return any(e.label == "DT" and e.norm == want for e in exprs)


def _ours(text: str, pub: _dt.date):
    return find_expressions(text, pub)


def compare() -> dict:
    """Accuracy and speed of both tools on the RT date cases and the news rows."""
    try:
        import korean_datetime as kdt
    except ImportError:
        kdt = None
    cases, _ = run()
    dates = [c for c in cases if c.category == "dates"]
    news = [(_dt.date.fromisoformat(p), t, n) for p, t, n in NEWS_ROWS]
    tools = {"pipeline.normalize": _ours}
    if kdt is not None:
        tools["korean-datetime " + getattr(kdt, "__version__", "")] = lambda t, p: _kdt_exprs(kdt, t, p)
    out = {}
    for name, fn in tools.items():
        right_rt = right_news = 0
        for c in dates:
            a, b = _span(c.text, c.expected)
            try:
                right_rt += _date_right(fn(c.text, c.published), a, b, c.expected)
            except Exception:  # a tool that fails on a row has it wrong
                pass
        for pub, t, want in news:
            try:
                right_news += _news_right(fn(t, pub), t, want)
            except Exception:
                pass
        inputs = [(c.text, c.published) for c in dates] + [(t, p) for p, t, _ in news]
        best = 0.0
        for _ in range(3):
            t0 = time.perf_counter()
            for t, p in inputs:
                try:
                    fn(t, p)
                except Exception:
                    pass
            best = max(best, len(inputs) / (time.perf_counter() - t0))
        out[name.strip()] = {"rt_dates": (right_rt, len(dates)), "news": (right_news, len(news)),
                             "inputs_per_second": round(best)}
    return out


def main() -> int:
    res = compare()
    print(f"{'tool':24s} {'RT dates':>16s} {'news':>14s} {'inputs/s':>10s}")
    for name, r in res.items():
        (a, n), (b, m) = r["rt_dates"], r["news"]
        print(f"{name:24s} {a:5d}/{n:<4d} {a / n:.3f} {b:4d}/{m:<3d} {b / m:.3f} {r['inputs_per_second']:10d}")
    if len(res) == 1:
        print("korean-datetime is not installed: pip install korean-datetime (benchmark only)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
