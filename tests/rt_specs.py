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
DEFAULT_REFERENCE = _dt.date(2016, 11, 7)  # the specs' reference date where a case gives none


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


def _span(text: str, res: dict) -> tuple[int, int]:
    t = res["Text"]
    if "Start" in res and text[res["Start"]:res["Start"] + len(t)] == t:
        return res["Start"], res["Start"] + len(t)
    k = text.find(t)
    return (k, k + len(t)) if k >= 0 else (-1, -1)


def _overlapping(exprs, a: int, b: int):
    return [e for e in exprs if e.start < b and a < e.end]


# ------------------------------------------------------------------ the mapping, result by result

_TIMEX_DAY = re.compile(r"^(\d{4}|XXXX)-(\d\d|XX)-(\d\d)$")
_TIMEX_MONTH = re.compile(r"^(\d{4}|XXXX)-(\d\d)$")
_TIMEX_YEAR = re.compile(r"^\d{4}$")
_TIMEX_RANGE = re.compile(r"^\((\S+?),(\S+?),P[\d.]+[DMYW]\)$")


_PERIOD_AFTER = re.compile(r"\d+(?:년|개월|주|일)|[일이삼사오육칠팔구십]?백일")
_BARE_SLASH = re.compile(r"\d{1,2}/\d{1,2}")
_NEXT_DAY = re.compile(r"(?:그[ ]?)?다음[ ]?날")


_CURRENT_REF: list[_dt.date] = [DEFAULT_REFERENCE]


def _ref_of(res: dict) -> _dt.date:
    return _CURRENT_REF[0]


def _convention_conflict(category: str, text: str, res: dict) -> str | None:
    """Why a case conflicts with the project's conventions (docs/normalize.md; None: it does not)."""
    t = res.get("Text", "")
    a, b = _span(text, res)
    if category == "numbers" and a >= 0:
        if _PERIOD_AFTER.match(text, a) and _PERIOD_AFTER.match(text, a).end() > b - 0 and t.strip() != text.strip() \
                or re.fullmatch(r"\d+|[일이삼사오육칠팔구]?백일", t) and _PERIOD_AFTER.match(text, a):
            return ("the count of a calendar period (3년 안에, 3백일): a DT duration in the project's contract "
                    "(labelling guide §4.8), its number is no QT of its own")
        if _BARE_SLASH.fullmatch(t.strip()) and t.strip() == text.strip():
            return ("a bare d/d pair (3/4): the project reads it as a month/day date (docs/normalize.md, slash dates: "
                    "news write dates with a slash more often than fractions); signed, mixed and hedged ones are "
                    "fractions and are scored")
    if category == "dates":
        timex, values = _date_expectation(res)
        wrong = _wrong_year(t, timex or "", values) or _wrong_day_or_month(t, timex or "")
        if wrong:
            return f"the spec's own answer contradicts its input ({wrong}): a typo in the spec"
        if (re.fullmatch(r"\d{1,2}일", t.strip()) and values and all(v[:10] > str(_ref_of(res)) for v in values)
                and re.search(r"[었았왔갔]", text[b:])):
            return ("a bare day in a past-tense sentence that the spec puts after the reference date (27일에 "
                    "돌아왔어요 on 7 November -> 27 November): the project reads a past-tense bare day as the latest "
                    "such day not after the publication date (docs/normalize.md, bare month or day by tense)")
    if category == "dates" and re.match(r"(?:과거 )?(?:며칠|몇[ ]?일|몇[ ]?달|몇[ ]?주|몇[ ]?년)", t.strip()):
        return ("a vague count (며칠 전, 몇 달 전): the spec guesses 3; the project gives no value where the text "
                "gives none (docs/normalize.md: a wrong value is worse than a missing one)")
    if category == "dates":
        why = _not_what_the_korean_says(t.strip(), text, res)
        if why:
            return why
    if category == "dates" and _NEXT_DAY.fullmatch(t.strip()):
        return ("다음날 with no date written before it: the project's convention resolves it against the last date "
                "written and keeps it empty without one (docs/normalize.md, anaphoric days; 구매 다음날)")
    return None


_DECADES = re.compile(r"(?:지난|다음|이번) ?\d*0년")
_SPAN_WORD = re.compile(r"(?:나의 )?(?:하루|한 ?달)(?: 동안)?")
_LAST_MONTH_WORD = re.compile(r"지난 ?(\d{1,2})월")


def _not_what_the_korean_says(t: str, text: str, res: dict) -> str | None:
    """Cases whose answer reads the English the spec was translated from, not the Korean it gives (or that the
    project's conventions settle otherwise, with the place they are written)."""
    timex, values = _date_expectation(res)
    timex = timex or ""
    if re.fullmatch(r"지난 ?날", t):
        return ("지난 날 read as yesterday: in Korean 지난날 is 'days gone by', the past (the spec translates 'last "
                "day'); the project's yesterday is 어제")
    if _SPAN_WORD.fullmatch(t) and (_TIMEX_DAY.match(timex) or _TIMEX_MONTH.match(timex)):
        return ("a span word (하루 동안, 한 달 동안, 나의 하루) that the spec resolves to the reference day or month "
                "('for a day', 'my day'): in the project's contract a period, a DT with an empty norm "
                "(labelling guide §4.8-4.9: 16일 동안)")
    if _DECADES.fullmatch(t) and timex.startswith("(") and timex[4:11] == "0-01-01":
        return ("N년 read as decades (지난 20년 -> 1990-2010, 이번 10년 -> the 2010s: 'the last two decades', 'this "
                "decade'); in Korean N년 counts years")
    if t.startswith("그해") and not re.search(r"\d{4}년|그 해", text[:text.find(t)]):
        return ("그해 with no year written before it: the project resolves it against the last year written and keeps "
                "it empty without one (docs/normalize.md, anaphoric years)")
    if t == "1년" and _TIMEX_YEAR.match(timex) and re.search(r"1년 (?:전|후|뒤)", text):
        return ("the bare count of an offset from an event (독립 1년 전: a year before independence), which the spec "
                "resolves to the reference year: no date is written")
    m = _LAST_MONTH_WORD.fullmatch(t)
    if m and timex[:4].isdigit() and int(timex[:4]) < _ref_of(res).year and int(m.group(1)) < _ref_of(res).month:
        return ("지난 N월 of a month already past this year read as last year's: the labelling guide §4.9 resolves it "
                "in the publication year (지난 2월 published 2025-09-10 -> 2025-02)")
    return None


def _wrong_year(t: str, timex: str, values: list[str]) -> str | None:
    """A year written that the answer does not have: the first year written against a date's year, or the year
    that starts a range's text against the range's start (2017년 11월부터 2월까지 -> from November 2016)."""
    if timex.startswith("("):
        ty, ym = re.match(r"\((\d{4})", timex), re.match(r"\s*(\d{4})년", t)
    else:
        ty, ym = re.match(r"(\d{4})", timex), re.search(r"(\d{4})년", t)
    if ty and ym and ty.group(1) != ym.group(1) and not any(v.lstrip("(").startswith(ym.group(1)) for v in values):
        return f"year {ym.group(1)} written, {ty.group(1)} expected"
    return None


def _wrong_day_or_month(t: str, timex: str) -> str | None:
    """A bare day whose timex has another day (27일 -> XXXX-XX-21), or a range whose end is not the last month
    written (5월에서 11월까지 -> ending on 1 September)."""
    d = re.fullmatch(r"\s*(\d{1,2})일\s*", t)
    m = _TIMEX_DAY.match(timex)
    if d and m and int(d.group(1)) != int(m.group(3)):
        return f"day {d.group(1)} written, {m.group(3)} expected"
    r = _TIMEX_RANGE.match(timex)
    months = re.findall(r"(\d{1,2})월", t)
    if r and months and t.rfind("월") > t.rfind("년") and re.fullmatch(r"\d{4}-\d\d-\d\d", r.group(2)):
        end = _dt.date.fromisoformat(r.group(2))
        last = int(months[-1])
        if last not in (end.month, (end - _dt.timedelta(days=1)).month):
            return f"month {last} written last, the range ends {end.isoformat()}"
    return None


def _week_long(values: list[str]) -> bool:
    """Whether every resolution is a range of seven days (9월 16일의 주, 18번째 주: a week)."""
    try:
        return bool(values) and all(
            v.startswith("(") and (_dt.date.fromisoformat(v[12:22]) - _dt.date.fromisoformat(v[1:11])).days == 7
            for v in values)
    except ValueError:
        return False


def _exclusion(category: str, res: dict) -> str | None:
    """Why a result is not scored (None: it is)."""
    text = res.get("Text", "")
    if not re.search(r"[가-힣0-9]", text):
        return "result text in English (a leftover of the spec's translation)"
    typ = res.get("TypeName") or res.get("Type") or ""
    reso = res.get("Resolution") or {}
    if category == "numbers":
        if typ == "ordinal.relative" or reso.get("relativeTo") in ("end", "current"):
            return "relative ordinal (다음, 마지막): a position, not a quantity in the project's contract"
        if text in ("첫", "처음"):
            return "첫 / 처음 with no counter: a determiner, not a QT (labelling guide §4.7)"
        if re.fullmatch(r"\d{1,2}일|[일이삼사오육칠팔구십]+일", text):
            return "the day of a month (사월 2일): a DT in the project's contract, not an ordinal"
        return None
    if category == "units":
        unit = reso.get("unit", "")
        if typ == "age" and unit in ("Year", "Month", "Week", "Day") and not re.search(r"[살세]", text):
            return "age written as a calendar period (십 년, 8개월): a DT duration with an empty norm, no value"
        if reso.get("value") in (None, ""):
            return "unit word without a number (화씨, 섭씨): not a quantity"
        return None
    if category == "durations":
        return None
    # dates
    timex, values = _date_expectation(res)
    if typ.endswith(("time", "timerange", "datetime", "datetimerange", "set")):
        return "time of day or recurring set: outside day, month and year grain"
    if typ.endswith("duration"):
        return "duration (scored in the durations category from DurationParser)"
    if timex is None:
        return "no resolution given"
    if "W" in timex or timex.endswith(("SU", "WI", "FA", "SP")) or "T" in timex \
            or (_TIMEX_DAY.match(timex) and _week_long(values)):
        return "week, season or time grain: outside day, month and year grain"
    m = _TIMEX_RANGE.match(timex)
    if m:
        if "XX" in m.group(1) and m.group(1).startswith("(XX"):
            return "decade range"
        if re.search(r"P\d+[DMYW]\)$", timex) and not (_TIMEX_DAY.match(m.group(1)) and _TIMEX_DAY.match(m.group(2))):
            return "range with an unresolved end"
        return None
    if not (_TIMEX_DAY.match(timex) or _TIMEX_MONTH.match(timex) or _TIMEX_YEAR.match(timex)):
        return f"timex {timex!r} has no day, month or year grain"
    return None


_SPELLED = re.compile(r"[영공일이삼사오육칠팔구십백천만억조하나둘셋넷다섯여섯일곱덟아홉열스물무서른마흔쉰예순일흔여든아흔]+")
_CODE = re.compile(r"\d+(?:[./\-]\d+){2,}|\+\d")


def _in_running_text(text: str, results: list[dict]) -> str | None:
    """Why a number case is outside the contract as a whole: digits of a code, or a bare spelled-out numeral
    inside a sentence (no counter)."""
    if _CODE.search(text):
        return "digits of an IP address, phone number or date (192.168.1.2, +1-222-2222, 5/17/2018): a code, no QT"
    stripped = text.strip()
    for res in results:
        t = res.get("Text", "")
        if t != stripped and _SPELLED.fullmatch(t) and not re.search(r"\d", t):
            return ("a bare numeral in words inside a sentence, no counter (삼은 소수, 이백과 이천, 하나만): not a QT "
                    "in the project's contract (labelling guide §4.7: indefinite and name-like numerals; 이백 is "
                    "also a poet's name); spelled-out numerals on their own and with a counter are scored")
    return None


def _date_expectation(res: dict) -> tuple[str | None, list[str]]:
    """(timex, the acceptable resolved values: both past and future where the spec gives both)."""
    v = res.get("Value")
    if v:
        vals = []
        for key in ("FutureResolution", "PastResolution"):
            r = v.get(key) or {}
            if "date" in r:
                vals.append(r["date"])
            elif "startDate" in r and "endDate" in r:
                vals.append(f"({r['startDate']},{r['endDate']})")
        return v.get("Timex"), vals
    reso = res.get("Resolution") or {}
    items = reso.get("values") or []
    if not items:
        return None, []
    timex = items[0].get("timex")
    vals = []
    for it in items:
        if "value" in it:
            vals.append(it["value"][:10])
        elif it.get("start") and it.get("end"):
            vals.append(f"({it['start'][:10]},{it['end'][:10]})")
        elif it.get("start") and it.get("Mod") and _TIMEX_MONTH.match(it.get("timex", "")):
            vals.append(_open_start(it["timex"], it["start"][:10]))
    return timex, vals


def _open_start(timex: str, start: str) -> str:
    """The month an open range names (8월부터 since, 2월 이후 after, 7월 말 이래 since-end): their timex XXXX-MM
    in the latest year that does not put it after the range's start (after 2월 starts on 1 March)."""
    if not timex.startswith("X"):
        return timex
    year = int(start[:4])
    if f"{year}{timex[4:]}" > start[:7]:
        year -= 1
    return f"{year}{timex[4:]}"


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
