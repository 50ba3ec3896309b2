"""What tests/rt_specs.py does not score, and why: each Recognizers-Text case outside the project's contract or
in conflict with its conventions gets a reason that is about the spec (docs/normalize.md, "Excluded, with the
reason"); and how a spec result's TIMEX becomes the values our norm is compared with."""
from __future__ import annotations

import datetime as _dt
import re

DEFAULT_REFERENCE = _dt.date(2016, 11, 7)  # the specs' reference date where a case gives none


def _span(text: str, res: dict) -> tuple[int, int]:
    t = res["Text"]
    if "Start" in res and text[res["Start"]:res["Start"] + len(t)] == t:
        return res["Start"], res["Start"] + len(t)
    k = text.find(t)
    return (k, k + len(t)) if k >= 0 else (-1, -1)


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
