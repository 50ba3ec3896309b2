"""Resolution of what a date expression said against the publication date (calendar arithmetic, ``_DateState``)."""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _valid(y, m, d) -> bool:
    try:
        _dt.date(y, m, d)
        return True
    except (ValueError, TypeError):
        return False


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _year_for_month(pub: _dt.date, m: int, d: int | None, direction: str | None) -> int:
    key = (m, d or 0)
    pkey = (pub.month, pub.day if d else 0)
    if direction == "past":
        return pub.year if key <= pkey else pub.year - 1
    if direction == "future":
        return pub.year if key >= pkey else pub.year + 1
    return pub.year - 1 if m - pub.month > 6 else pub.year


def _month_for_day(pub: _dt.date, d: int, direction: str | None) -> tuple[int, int] | None:
    if direction == "past":
        steps = [0, -1, -2] if d <= pub.day else [-1, -2, -3]
    elif direction == "future":
        steps = [0, 1, 2] if d >= pub.day else [1, 2, 3]
    else:
        steps = [0, -1, -2] if d <= pub.day + 10 else [-1, -2, -3]
    for s in steps:
        y, m = _add_months(pub.year, pub.month, s)
        if _valid(y, m, d):
            return y, m
    return None


def _week(pub: _dt.date, off: int):
    monday = pub - _dt.timedelta(days=pub.weekday()) + _dt.timedelta(weeks=off)
    iy, iw, _ = monday.isocalendar()
    return monday, f"{iy}-W{iw:02d}"


@dataclass(slots=True)
class _DateState:
    """What a date expression has said so far (every field None until it does)."""

    y: int | None = None
    yoff: int | None = None
    m: int | None = None
    moff: int | None = None
    d: int | None = None
    doff: int | None = None
    woff: int | None = None
    wday: int | None = None
    direction: str | None = None
    part: dict | None = None
    quarter: int | None = None
    season: bool | None = None
    unres: bool | None = None
    y2: int | None = None
    m2: int | None = None
    d2: int | None = None
    approx: bool | None = None
    grain_word: str | None = None
    anchor: bool | None = None
    holiday: dict | None = None
    nth: tuple[int, int] | None = None  # (n: 1-5 or -1 for the last, weekday 0-6) of month m


def _resolve(text, i, j, st: _DateState, pub, anchor, last_date=None, last_year=None) -> dict:
    """The DT for what st said, resolved against pub (anchor: see types.Context.month_anchor; last_date and
    last_year: the dates an anaphoric word such as 이날 or 그해 refers back to, see types.Context)."""
    out = dict(start=i, end=j, label="DT", approx=bool(st.approx))
    if st.anchor:
        if st.doff and _after_unnamed_event(text, i):
            last_date = pub = None  # 구매 다음날, 선거 전날: the day of an event the text does not date
        return _resolve_anaphora(out, st, pub, last_date, last_year)
    if st.unres:
        out.update(norm="", kind="relative_date")
        return out
    rel = any(v is not None for v in (st.yoff, st.moff, st.doff, st.woff)) or st.direction is not None
    if st.y is None and st.m is None and st.d is None and st.quarter is None and st.wday is None and st.part is not None:
        rel = True
    kind = "relative_date" if rel else "date"
    norm = ns = ne = ""
    if st.holiday is not None or st.nth is not None:
        norm = _special_day(st, pub)
        kind = "date" if st.y is not None else "relative_date"
    elif st.doff is not None:
        if pub:
            norm = (pub + _dt.timedelta(days=st.doff)).isoformat()
    elif st.woff is not None or (st.wday is not None):
        if pub:
            norm, ns, ne, kind = _resolve_week(st, pub, kind)
    else:
        y, m, d = _year_month_day(st, pub, i, anchor, text)
        if y is not None:
            norm, ns, ne, kind = _calendar_norm(st, y, m, d, kind)
    out.update(norm=norm, norm_start=ns, norm_end=ne, kind=kind)
    out["_ym"] = (st.y, st.m, st.moff) if (st.m is not None or st.moff is not None) else None
    return out


_JOSA_END = set("은는이가을를에의도서와과고며로")
_DETERMINERS = ("그", "바로", "그리고", "또", "및", "이어", "곧", "그러나", "하지만")


def _after_unnamed_event(text: str, i: int) -> bool:
    """Whether a noun stands right before i (``구매 다음날``): the day is counted from that event."""
    if i < 2 or text[i - 1] != " " or not ("가" <= text[i - 2] <= "힣"):
        return False
    k = i - 2
    while k > 0 and "가" <= text[k - 1] <= "힣":
        k -= 1
    word = text[k:i - 1]
    return word not in _DETERMINERS and word[-1] not in _JOSA_END


def _resolve_anaphora(out: dict, st: _DateState, pub, last_date, last_year) -> dict:
    """이날, 같은 날, 당일, 전날, 다음날 against the last date written before (else the publication date;
    다음날 of an unnamed day stays empty); 그해, 같은 해, 이듬해 (+ month) against the last year written."""
    norm = ""
    if st.doff is not None:
        base = last_date if last_date is not None else (pub if st.doff <= 0 else None)
        if base is not None:
            norm = (base + _dt.timedelta(days=st.doff)).isoformat()
    elif st.yoff is not None and last_year is not None:
        y = last_year + st.yoff
        if st.m is not None and 1 <= st.m <= 12:
            norm = _iso(y, st.m, st.d) if st.d is not None and _valid(y, st.m, st.d) else _iso(y, st.m)
        else:
            norm = _iso(y)
    out.update(norm=norm, norm_start="", norm_end="", kind="relative_date")
    out["_ym"] = None
    return out


def _holiday_on(row: dict, y: int) -> _dt.date | None:
    if row["calendar"] == "solar":
        return _dt.date(y, int(row["month"]), int(row["day"]))
    from .lexicon import _lex  # resolve is imported by lexicon's users; the table is read once
    lunar = _lex().lunar.get(y)
    return _dt.date.fromisoformat(lunar[row["key"]]) if lunar else None


def _nth_weekday(y: int, m: int, n: int, wd: int) -> _dt.date | None:
    if n > 0:
        first = _dt.date(y, m, 1)
        d = first + _dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
        return d if d.month == m else None
    ny, nm = _add_months(y, m, 1)
    last = _dt.date(ny, nm, 1) - _dt.timedelta(days=1)
    return last - _dt.timedelta(days=(last.weekday() - wd) % 7)


def _special_day(st: _DateState, pub) -> str:
    """A holiday (추석, 크리스마스) or the nth/last weekday of a month, in the year written or implied."""
    y = st.y if st.y is not None else (pub.year + (st.yoff or 0) if pub else None)
    if y is None:
        return ""
    if st.nth is not None:
        m = st.m if st.m is not None else (pub.month if pub and st.y is None else None)
        if m is None:
            return ""
        if st.m is not None and st.y is None and st.yoff is None and pub:
            y = _year_for_month(pub, m, None, st.direction)
        d = _nth_weekday(y, m, *st.nth)
        return d.isoformat() if d else ""
    d = _holiday_on(st.holiday, y)
    if d is not None and pub is not None and st.y is None and st.yoff is None and st.direction in ("past", "future"):
        if st.direction == "past" and d > pub:
            d = _holiday_on(st.holiday, y - 1)
        elif st.direction == "future" and d < pub:
            d = _holiday_on(st.holiday, y + 1)
    return d.isoformat() if d else ""


def _resolve_week(st: _DateState, pub: _dt.date, kind: str) -> tuple[str, str, str, str]:
    """지난주 (an ISO week), 다음 주 월요일 (a day of it), 지난 금요일 / 금요일 (a weekday around pub)."""
    if st.woff is not None:
        monday, wk = _week(pub, st.woff)
        if st.wday is None:
            return wk, monday.isoformat(), (monday + _dt.timedelta(days=6)).isoformat(), "period"
        return (monday + _dt.timedelta(days=st.wday)).isoformat(), "", "", kind
    delta = st.wday - pub.weekday()
    if st.direction == "past":
        delta = delta - 7 if delta >= 0 else delta
    elif st.direction == "future":
        delta = delta + 7 if delta <= 0 else delta
    elif st.direction == "onward":
        delta = delta + 7 if delta < 0 else delta
    return (pub + _dt.timedelta(days=delta)).isoformat(), "", "", kind


_RANGE_GAP = re.compile(r"\s*(?:부터|에서|[~∼〜～\-])\s*$")


def _year_month_day(st: _DateState, pub, i: int, anchor, text: str = "") -> tuple[int | None, int | None, int | None]:
    """Year, month and day said or implied: relative years and months, a bare month or day placed near pub,
    a bare day after a date that named its month (anchor), a bare month right after one (2015년 11월 18일부터
    12월 19일까지, 2015년 3월과 4월: that date's year; the next year when a range goes back in months:
    2016년 11월부터 2월까지)."""
    y = st.y
    if y is None and st.yoff is not None and pub:
        y = pub.year + st.yoff
    m = st.m
    if st.moff is not None and pub:
        y, m = _add_months(pub.year, pub.month, st.moff)
    d = st.d
    if y is None and m is not None and anchor is not None and st.direction is None and 0 <= i - anchor[0] <= 8 \
            and st.moff is None:
        y = anchor[1]
        if m < anchor[2] and _RANGE_GAP.search(text[anchor[0]:i]):
            y += 1
    if y is None and pub is not None:
        if m is not None:
            y = _year_for_month(pub, m, d, st.direction)
        elif d is not None:
            if anchor is not None and st.direction is None and i - anchor[0] <= 8:
                y, m = anchor[1], anchor[2]
            else:
                ym = _month_for_day(pub, d, st.direction)
                if ym:
                    y, m = ym
        elif st.quarter is not None or st.part is not None:
            y = pub.year
    return y, m, d


def _calendar_norm(st: _DateState, y: int, m: int | None, d: int | None, kind: str) -> tuple[str, str, str, str]:
    """(norm, norm_start, norm_end, kind) at the grain said: year ranges, quarters, years and their parts,
    month ranges, months and their parts, days and day ranges (an invalid date keeps an empty norm)."""
    if st.y2 is not None:
        return _iso(y), _iso(y), _iso(st.y2), "period"
    if st.quarter is not None:
        return _iso(y), _iso(y, 3 * st.quarter - 2), _iso(y, 3 * st.quarter), "period"
    if m is None and d is None:
        if st.part is None:
            return _iso(y), "", "", kind
        if st.part["of"] == "year" and st.part["start"]:
            return _iso(y), _iso(y, int(st.part["start"])), _iso(y, int(st.part["end"])), "period"
        return _iso(y), "", "", "period"
    if m is None or not 1 <= m <= 12:
        return "", "", "", kind
    if st.m2 is not None:
        return _iso(y, m), _iso(y, m), _iso(y, st.m2), "period"
    if d is None:
        return _iso(y, m), "", "", "period" if st.part is not None else kind
    if not _valid(y, m, d):
        return "", "", "", kind
    norm = _iso(y, m, d)
    if st.d2 is None:
        return norm, "", "", kind
    if _valid(y, m, st.d2):
        return norm, norm, _iso(y, m, st.d2), "period"
    return "", "", "", kind
