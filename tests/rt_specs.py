"""Microsoft Recognizers-Text's Korean specs run through the normaliser, case by case, with their conventions
mapped to the project's (docs/normalize.md, "Recognizers-Text Korean specs").

``python -m tests.rt_specs [--failures CATEGORY]`` prints the accuracy per category; the test suite
(tests/test_recognizers_text.py) asserts the floors. The specs (MIT, github.com/microsoft/Recognizers-Text,
Specs/*/Korean) are read from ../shared/data/recognizers-text-ko; nothing here copies them.

Categories: ``numbers`` (NumberModel, OrdinalModel with offsets from the start, PercentModel), ``units``
(CurrencyModel, DimensionModel, TemperatureModel, AgeModel in 살/세), ``dates`` (DateParser, DatePeriodParser and
the DateTimeModel's date and daterange results at day, month or year grain), ``durations`` (DurationParser and the
DateTimeModel's durations). Every case of a spec file that is not scored is returned with its reason
(``excluded``).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.normalize import find_expressions, normalize
from tests.rt_exclusions import (DEFAULT_REFERENCE, _CURRENT_REF, _TIMEX_DAY, _TIMEX_MONTH, _TIMEX_RANGE,
                                 _convention_conflict, _date_expectation, _exclusion, _in_running_text, _span)

SPECS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "recognizers-text-ko"

FILES = {
    "Number-NumberModel.json": "numbers", "Number-OrdinalModel.json": "numbers", "Number-PercentModel.json": "numbers",
    "NumberWithUnit-CurrencyModel.json": "units", "NumberWithUnit-DimensionModel.json": "units",
    "NumberWithUnit-TemperatureModel.json": "units", "NumberWithUnit-AgeModel.json": "units",
    "DateTime-DateParser.json": "dates", "DateTime-DatePeriodParser.json": "dates",
    "DateTime-DateTimeModel.json": "dates", "DateTime-DurationParser.json": "durations",
    "Number-NumberRangeModel.json": None, "DateTime-TimeParser.json": None,
}
EXCLUDED_FILES = {
    "Number-NumberRangeModel.json": "comparatives (100보다 크다, 5000 이하): the project has no range-by-comparison "
                                    "dimension; its ranges are A~B within one QT",
    "DateTime-TimeParser.json": "times of day: TI is outside the figures the issue sets (day, month, year grain)",
}


@dataclass
class Case:
    file: str
    category: str
    text: str
    published: _dt.date | None
    expected: dict
    ok: bool = False
    got: list = field(default_factory=list)


def _load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _ref(case: dict) -> _dt.date:
    r = (case.get("Context") or {}).get("ReferenceDateTime")
    return _dt.date.fromisoformat(r[:10]) if r else DEFAULT_REFERENCE


def _num(s) -> float | None:
    try:
        return float(str(s).rstrip("%"))
    except (TypeError, ValueError):
        return None


def _close(a, b) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def _overlapping(exprs, a: int, b: int):
    return [e for e in exprs if e.start < b and a < e.end]


def _grain_of(timex: str) -> int:
    if _TIMEX_DAY.match(timex):
        return 10
    if _TIMEX_MONTH.match(timex):
        return 7
    return 4


def _date_right(exprs, a: int, b: int, res: dict) -> bool:
    timex, values = _date_expectation(res)
    dts = [e for e in _overlapping(exprs, a, b) if e.label == "DT"]
    if not dts:
        return False
    m = _TIMEX_RANGE.match(timex)
    if m:
        start, end = m.group(1), m.group(2)
        starts = {start} | {v[1:11] for v in values if v.startswith("(")}
        ends = {end} | {v[12:22] for v in values if v.startswith("(")}
        first, last = dts[0], dts[-1]
        n0 = first.norm_start or first.norm
        n1 = last.norm_end or last.norm
        if timex.endswith("P100Y)") and first.text.endswith("세기") and n0 and n1 and n0.isdigit():
            # 15세기: their century is 1400-1499, ours 1401-1500 (a century runs from its year 1 to its year 100)
            n0, n1 = str(int(n0) - 1).zfill(4), str(int(n1) - 1).zfill(4)
        if not n0 or not n1:
            return False
        okay_start = any(s[:len(n0)] == n0 for s in starts)
        okay_end = any(_end_matches(n1, x) for x in ends)
        return okay_start and okay_end
    g = _grain_of(timex)
    want = set()
    if "X" not in timex:
        want.add(timex)
    for v in values:
        if v.startswith("("):
            want.add(v[1:11][:g])
        elif v.startswith("0001"):
            want.add("")  # an impossible date (11월 31일): the norm stays empty
        else:
            want.add(v[:g])
    if any(e.norm in want for e in dts):
        return True
    # 2년 전, 3개월 후: the project keeps the grain the text says (1년 전 -> YYYY; conventions), the spec a day
    return any(len(e.norm) in (4, 7) and _COUNTED_OFFSET.search(e.text) and any(w.startswith(e.norm) for w in want)
               for e in dts)


_COUNTED_OFFSET = re.compile(r"(?:년|개월|달|해)[ ]?(?:전|후|뒤)")


def _end_matches(norm: str, end: str) -> bool:
    """Their range ends are exclusive at month and year grain (2014년부터 2018년까지 -> 2018-01-01)."""
    if end[:len(norm)] == norm:
        return True
    try:
        d = _dt.date.fromisoformat(end[:10]) - _dt.timedelta(days=1)
    except ValueError:
        return False
    return d.isoformat()[:len(norm)] == norm


_DUR_UNITS = {"초": 1, "분": 60, "시간": 3600}


def _duration_right(exprs, a: int, b: int, res: dict) -> bool:
    """A measured span of hours, minutes or seconds is a QT whose value in its unit gives the seconds; a calendar
    span of days, weeks, months or years is a DT duration (empty norm) covering the text (guide §4.8)."""
    v = res.get("Value") or {}
    secs = _num((v.get("FutureResolution") or {}).get("duration"))
    if secs is None:
        items = (res.get("Resolution") or {}).get("values") or [{}]
        secs = _num(items[0].get("value"))
    timex = v.get("Timex") or ((res.get("Resolution") or {}).get("values") or [{}])[0].get("timex", "")
    hits = _overlapping(exprs, a, b)
    if timex.startswith("PT"):
        total = 0.0
        qts = [e for e in hits if e.label == "QT" and e.unit in _DUR_UNITS and e.value is not None]
        for e in qts:
            total += float(e.value) * _DUR_UNITS[e.unit]
        return bool(qts) and secs is not None and abs(total - secs) < 1e-6
    return any(e.label == "DT" and e.kind in ("duration", "period") and not e.norm for e in hits)


def _number_right(exprs, text: str, a: int, b: int, res: dict, category: str) -> bool:
    reso = res.get("Resolution") or {}
    want = _num(reso.get("value"))
    hits = [e for e in _overlapping(exprs, a, b) if e.label == "QT"]
    if not hits and not text[:a].strip() and not text[b:].strip():  # the whole input (' 삼 ') is the number
        e = normalize(text.strip())
        hits = [e] if e is not None else []
    for e in hits:
        if _close(e.value, want):
            if (res.get("TypeName") or "") == "percentage" and e.unit != "%":
                continue
            return True
    return False


def run() -> tuple[list[Case], list[tuple[str, str, str]]]:
    """Every scored case with its verdict, and every excluded case (file, input, reason)."""
    cases: list[Case] = []
    excluded: list[tuple[str, str, str]] = []
    for name, category in FILES.items():
        path = SPECS / name
        if not path.exists():
            continue
        for c in _load(path):
            text = c["Input"]
            if category == "numbers":
                why = _in_running_text(text, c.get("Results") or [])
                if why:
                    excluded.append((name, text, why))
                    continue
            if category is None:
                excluded.append((name, text, EXCLUDED_FILES[name]))
                continue
            results = c.get("Results") or []
            if not results:
                excluded.append((name, text, "no expected result (a negative case of the other engine's extractor)"))
                continue
            pub = _ref(c)
            _CURRENT_REF[0] = pub
            exprs = None
            for res in results:
                why = _exclusion(category, res) or _convention_conflict(category, text, res)
                if why is None and category == "dates" and ((res.get("TypeName") or res.get("Type") or "")
                                                            .endswith("duration")):
                    why = "duration"
                if why is not None:
                    excluded.append((name, f"{text} [{res.get('Text')}]", why))
                    continue
                a, b = _span(text, res)
                if a < 0:
                    excluded.append((name, f"{text} [{res.get('Text')}]", "result text not in the input"))
                    continue
                if exprs is None:
                    exprs = find_expressions(text, pub)
                if category == "dates":
                    ok = _date_right(exprs, a, b, res)
                elif category == "durations":
                    ok = _duration_right(exprs, a, b, res)
                else:
                    ok = _number_right(exprs, text, a, b, res, category)
                cases.append(Case(name, category, text, pub, res, ok,
                                  [(e.label, e.text, e.value, e.unit, e.norm) for e in _overlapping(exprs, a, b)]))
    return cases, excluded


def scores(cases: list[Case]) -> dict[str, tuple[int, int, float]]:
    by = defaultdict(lambda: [0, 0])
    for c in cases:
        by[c.category][0] += c.ok
        by[c.category][1] += 1
    return {k: (r, n, round(r / n, 3)) for k, (r, n) in sorted(by.items())}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.rt_specs")
    ap.add_argument("--failures", metavar="CATEGORY", help="list the failed cases of a category")
    ap.add_argument("--excluded", action="store_true", help="list the excluded cases with their reasons")
    args = ap.parse_args(argv)
    cases, excluded = run()
    for cat, (r, n, acc) in scores(cases).items():
        print(f"{cat:10s} {r:4d}/{n:<4d} {acc:.3f}")
    reasons = Counter(why for _, _, why in excluded)
    print(f"excluded: {len(excluded)}")
    for why, n in reasons.most_common():
        print(f"  {n:4d}  {why}")
    if args.failures:
        for c in cases:
            if c.category == args.failures and not c.ok:
                print(f"{c.file[:14]} {c.published} {c.text.strip()[:50]!r} [{c.expected.get('Text')}] "
                      f"want {json.dumps(c.expected.get('Resolution') or c.expected.get('Value'), ensure_ascii=False)[:110]}"
                      f" got {c.got}")
    if args.excluded:
        for f, t, why in excluded:
            print(f"{f}\t{t.strip()[:70]}\t{why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
