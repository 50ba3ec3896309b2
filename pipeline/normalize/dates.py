"""DT dates: absolute and relative dates, month/day chains, parts of years and months, eras, serial dates."""
from __future__ import annotations

import re

from .lexicon import _lex
from .resolve import _DateState, _iso, _resolve
from .spans import _match_sp, _ok_after, _post_hedge, _space, _starts_named_event
from .types import Context


def recognise_date(text: str, i: int, ctx: Context) -> list[dict] | None:
    """Absolute and relative dates, weekdays, parts of years and months (2025년 9월 10일, 지난 2월, 이날, 연말)."""
    lex = _lex()
    st = _DateState()
    m = lex.rel_re.match(text, i)
    if m:
        j = _read_relative_word(text, m, st)
    else:
        pm = lex.prefix_re.match(text, i)
        if pm:
            j = _read_after_prefix(text, pm, st, ctx.published)
        else:
            j = _read_plain(text, i, st)
    if j is None:
        return None
    if st.m is not None and st.d is not None and st.y is None and st.yoff is None and st.direction is None:
        j = _year_after_day(text, j, st)
    if st.m is not None and st.y is None and st.yoff is None and st.direction is None and st.moff is None:
        _year_from_range_end(text, j, st)
    if st.d is not None and st.m is None and st.wday is None and st.doff is None and not st.anchor \
            and _PERIOD_AFTER_DAY.match(text, j):
        return None  # 다가오는 3일 간, 5일 이내, 10일 만에: a period of days (periods.py), not the 3rd
    k = _post_hedge(text, j, True)
    if k != j:
        st.approx = True
        j = k
    if not _ok_after(text, j):
        return None
    if st.y is not None and st.m is None and _starts_named_event(text, j):
        return None  # 2010년 FIFA 월드컵: the year is part of the event's name (an EV), not a DT
    if st.y is None and st.yoff is None and st.direction is None and (st.m is not None or st.d is not None) \
            and _historic_event_after(text, j):
        return None  # 6월 항쟁, 4월 혁명, 4월 7일 혁명: part of a historic event's name, not this year's date
    forward = st.direction is None and st.y is None and st.yoff is None and st.moff is None and st.wday is None \
        and (st.m is not None or st.d is not None) and not (ctx.month_anchor is not None
                                                            and 0 <= i - ctx.month_anchor[0] <= 8) \
        and _looks_forward(text, j)
    if forward:
        st.direction = "future"  # 10월 국민투표를 앞두고, 15일 열린다: the coming one
    elif st.wday is not None and st.woff is None and st.direction is None and st.m is None and st.d is None \
            and text.startswith("까지", j):
        st.direction = "onward"  # 월요일까지: the deadline is that day on or after the publication date
    out = _resolve(text, i, j, st, ctx.published, ctx.month_anchor, ctx.last_date, ctx.last_year)
    if forward and out["kind"] == "relative_date":
        out["kind"] = "date"  # written as a plain date: only its year or month came from the tense
    return [out]


# 9월 21일 1978에, 1월 22일, 2018, 구월 십일, 2000에: a year written after the day (then a particle or the end)
_YEAR_AFTER = re.compile(r",?[ ](?:(\d{4})(?=에(?![가-힣])|$|[.,!?)])|(?=[일이삼사오육칠팔구]?천))")


def _year_after_day(text: str, j: int, st: _DateState) -> int:
    """The end of a year written after a month and day (st.y set), or j."""
    m = _YEAR_AFTER.match(text, j)
    if m is None:
        return j
    if m.group(1):
        y, end = int(m.group(1)), m.end()
    else:
        hy = _lex().hangul_year_re.match(text, m.end())  # 일요일 1월 이십일일 이천십팔년에
        if hy is None or not _ok_after(text, hy.end()):
            return j
        y, end = _sino(hy.group(1)), hy.end()
    if y is None or not 1000 <= y <= 2999:
        return j
    st.y = y
    return end


# 5월부터 2020년 10월까지, 11월부터 2020년 2월까지: a bare month that starts a range whose end has a year
_RANGE_END_YEAR = re.compile(r"(?:부터|에서)[ ]?(\d{4})년[ ]?(\d{1,2})월")


def _year_from_range_end(text: str, j: int, st: _DateState) -> None:
    """The year of a bare month from the dated end of its range: the same year, or the one before when the end
    month comes earlier (11월부터 2020년 2월까지 -> November 2019)."""
    m = _RANGE_END_YEAR.match(text, j)
    if m and 1000 <= int(m.group(1)) <= 2999 and 1 <= int(m.group(2)) <= 12:
        st.y = int(m.group(1)) - (1 if int(m.group(2)) < st.m else 0)


_PERIOD_AFTER_DAY = re.compile(r"[ ]?(?:간|동안|이내|안에|안으로|내에|내로|만에)")


# Words after a bare month or day that say the event is still to come (a bare 10월 before 국민투표를 앞두고
# is the coming October, not last year's); a past tense before them (했다, 열렸다) keeps the default.
_FORWARD = re.compile(r"앞두고|앞둔|예정|열린다|열릴|치러질|치러진다|실시될|실시된다|개최될|개최된다|개최할|시작될|시작된다|"
                      r"출범할|출범한다|발효될|시행될|시행된다|개막한다|개막할|열 계획|할 계획|할 방침|될 전망|마감된다")
_SENTENCE_END = re.compile(r"[.?!](?:\s|$)|\n")


def _historic_event_after(text: str, j: int) -> bool:
    """Whether a historic event word (num_context.tsv kind event: 혁명, 항쟁, 전쟁 ...) follows after one space."""
    if not text.startswith(" ", j):
        return False
    w = text[j + 1:j + 8]
    return any(w.startswith(e) for e, kind in _lex().event_words.items() if kind == "event")


def _past_syllable(c: str) -> bool:
    """A Hangul syllable ending in ㅆ (했, 됐, 었, 렸): the past tense."""
    return "가" <= c <= "힣" and (ord(c) - 0xAC00) % 28 == 20


def _looks_forward(text: str, j: int) -> bool:
    """Whether the rest of the sentence after j says the date is to come (a forward word before any past tense)."""
    end = _SENTENCE_END.search(text, j, j + 120)
    tail = text[j:end.start() if end else j + 120]
    m = _FORWARD.search(tail)
    if m is None:
        return False
    return not any(_past_syllable(c) for c in tail[:m.start()])


def _read_relative_word(text: str, m, st: _DateState) -> int | None:
    """이날, 어제, 지난주 (+ weekday), 이달 (+ day, part), 지난해 / 올해 / 올 (+ month, day, part)."""
    lex = _lex()
    row = lex.rel[m.group()]
    g = row["grain"]
    off = int(row["offset"]) if row["offset"] else None
    if off is None:
        st.unres = True
        off = 0
    st.grain_word = g
    st.anchor = row.get("anchor") == "y"
    j = m.end()
    if g == "day":
        st.doff = off
    elif g == "week":
        st.woff = off
        w = _match_sp(lex.weekday_re, text, j)
        if w:
            st.wday = lex.weekdays[w.group()]
            j = w.end()
    elif g == "month":
        st.moff = off
        j = _chain_day(text, j, st, allow_space=True)
        j = _chain_part(text, j, st, "month")
    else:
        st.yoff = off
        h = _match_sp(lex.holiday_re, text, j)
        if h and not st.anchor:
            st.holiday = lex.holidays[h.group()]  # 올해 추석, 내년 설날
            return h.end()
        j2 = _chain_month_day(text, _space(text, j) if m.group() != "올" or text[j:j + 1] == " " else j, st)
        if j2 is not None:
            j = j2
        j = _chain_part(text, j, st, "year", glued_season=True)
        if m.group() == "올" and st.m is None and st.part is None and st.quarter is None:
            return None
    return j


def _read_after_prefix(text: str, pm, st: _DateState, pub) -> int | None:
    """지난 / 오는 / 이번 + a weekday, an absolute chain (지난 2월, 오는 11일) or a season (지난 여름)."""
    lex = _lex()
    st.direction = lex.prefixes[pm.group().strip()]
    j = pm.end()
    w = lex.weekday_re.match(text, j)
    if w:
        st.wday = lex.weekdays[w.group()]
        if st.direction == "next":
            st.woff, st.direction = 1, None  # 다음 금요일: the Friday of next week
        return w.end()
    if st.direction == "next":
        st.direction = "future"
    h = lex.holiday_re.match(text, j)
    if h:
        st.holiday = lex.holidays[h.group()]
        return h.end()
    j2 = _chain_abs(text, j, st)
    if j2 is not None:
        return j2
    # 지난 여름, 지난 겨울
    p = lex.part_re.match(text, j)
    if not (p and lex.parts[p.group()]["of"] == "year" and lex.parts[p.group()]["standalone"] == "n"):
        return None
    st.yoff = -1 if st.direction == "past" and _season_passed(pub, lex.parts[p.group()]) else 0
    if st.direction == "future" and not _season_passed(pub, lex.parts[p.group()], future=True):
        st.yoff = 1
    st.part = lex.parts[p.group()]
    st.season = True
    return p.end()


def _read_plain(text: str, i: int, st: _DateState) -> int | None:
    """An absolute chain (2025년 9월 10일, 11월, 10일, 2분기), a bare weekday or a standalone part (연말)."""
    lex = _lex()
    j2 = _chain_abs(text, i, st)
    if j2 is not None:
        return j2
    h = lex.holiday_re.match(text, i)
    if h:
        st.holiday = lex.holidays[h.group()]
        return h.end()
    n = _nth_weekday_at(text, i, st)
    if n is not None:
        return n
    w = lex.weekday_re.match(text, i)
    p = lex.part_re.match(text, i)
    if w:
        st.wday = lex.weekdays[w.group()]
        return w.end()
    if p and lex.parts[p.group()]["standalone"] == "y":
        st.part = lex.parts[p.group()]
        if st.part["of"] == "month":
            st.moff = 0  # 월말: the end of the publication month
        else:
            st.yoff = 0
        return p.end()
    return None


def _season_passed(pub, part, future=False) -> bool:
    if pub is None or not part["start"]:
        return not future
    if future:
        return pub.month < int(part["start"])
    return pub.month <= int(part["end"])


# Ranges, matched on a window of the text (so that the lookahead sees the window's end).
_YEAR_RANGE = re.compile(r"(\d{4})년?[ ]?[~∼〜～\-][ ]?(\d{4})년(?!대|간)")


_MONTH_RANGE = re.compile(r"(\d{1,2})월?[ ]?[~∼〜～][ ]?(\d{1,2})월")


_DAY_RANGE = re.compile(r"(\d{1,2})일?[ ]?[~∼〜～][ ]?(\d{1,2})일")


_SHORT_YEAR = re.compile(r"(\d{2})년(?:도)?(?!대|간)")


def _chain_abs(text: str, j: int, st: _DateState) -> int | None:
    """Absolute chain: [YYYY년] [M월] [D일] [part], ranges, quarters. None when nothing matched."""
    lex = _lex()
    m = _YEAR_RANGE.match(text[j:j + 16])
    if m and text[j:j + 4].isdigit() and _ok_after(text, j + m.end()):
        st.y, st.y2 = int(m.group(1)), int(m.group(2))
        return j + m.end()
    m = _SHORT_YEAR.match(text, j)
    if m and (j > 0 and text[j - 1] in "‘’'" or text.startswith(" ", m.end()) and lex.month_re.match(text, m.end() + 1)):
        yy = int(m.group(1))
        st.y = 2000 + yy if yy < 50 else 1900 + yy  # ’11년, 22년 6월: a year written with two digits
        j = m.end()
        j2 = _chain_month_day(text, _space(text, j), st)
        return _chain_part(text, j2 if j2 is not None else j, st, "year")
    m = lex.hangul_year_re.match(text, j)
    if m and lex.hangul_month_re.match(text, _space(text, m.end())):
        st.y = _sino(m.group(1))  # 이천십오년 삼월 삼일
        j2 = _chain_month_day(text, _space(text, m.end()), st)
        if st.y is not None and 1000 <= st.y <= 2999 and j2 is not None:
            return j2
        st.y = st.m = st.d = None
    m = lex.year_unit_re.match(text, j)
    if m and 1000 <= int(m.group(1)) <= 2999:
        st.y = int(m.group(1))
        j = m.end()
        h = _match_sp(lex.holiday_re, text, j)
        if h:
            st.holiday = lex.holidays[h.group()]
            return h.end()
        j2 = _chain_month_day(text, _space(text, j), st)
        if j2 is not None:
            j = j2
        return _chain_part(text, j, st, "year")
    j2 = _chain_month_day(text, j, st)
    if j2 is not None:
        return j2
    q = lex.quarter_re.match(text, j)
    if q and _ok_after(text, q.end()):
        st.quarter = int(q.group(1))
        return q.end()
    return None


def _chain_month_day(text: str, j: int, st: _DateState) -> int | None:
    lex = _lex()
    mr = _MONTH_RANGE.match(text[j:j + 10])
    if mr and 1 <= int(mr.group(1)) < int(mr.group(2)) <= 12 and "월" in text[j:j + mr.end()]:
        st.m, st.m2 = int(mr.group(1)), int(mr.group(2))
        return j + mr.end()
    m = lex.month_re.match(text, j)
    if m and 1 <= int(m.group(1)) <= 12 and not text.startswith("간", m.end()):
        st.m = int(m.group(1))
        j = m.end()
        n = _nth_weekday_at(text, _space(text, j), st)
        if n is not None:
            return n
        j = _chain_day(text, j, st, allow_space=True)
        return _chain_part(text, j, st, "month")
    hm = lex.hangul_month_re.match(text, j)
    if hm and not text.startswith("간", hm.end()):
        mo = _sino(hm.group(1).replace("유", "육").replace("시", "십"))
        save_d = st.d
        e = _chain_day(text, hm.end(), st, allow_space=True, month=True)
        if mo is not None and 1 <= mo <= 12 and (st.y is not None or st.d is not None and st.d != save_d):
            st.m = mo  # 오월 이십일일, 이천십오년 삼월 삼일: a Hangul month with a year or a day
            return e
        st.d = save_d
    if st.y is not None or st.yoff is not None:
        q = lex.quarter_re.match(text, j)
        if q and _ok_after(text, q.end()):
            st.quarter = int(q.group(1))
            return q.end()
        return None
    jd = _chain_day(text, j, st, allow_space=False)
    if jd != j:
        return jd
    return None


_NTH = {"첫째": 1, "둘째": 2, "셋째": 3, "넷째": 4, "다섯째": 5, "첫번째": 1, "두번째": 2, "세번째": 3, "네번째": 4,
        "다섯번째": 5, "마지막": -1}
_WEEKDAY_SYLLABLE = "월화수목금토일"


def _nth_weekday_at(text: str, j: int, st: _DateState) -> int | None:
    """셋째 화요일, 마지막 월요일, 두 번째 일요일 at j (the month said before, else the publication month)."""
    m = _lex().nth_weekday_re.match(text, j)
    if not m:
        return None
    st.nth = (_NTH[m.group(1).replace(" ", "")], _WEEKDAY_SYLLABLE.index(m.group(2)))
    return m.end()


def _day_is_period(text: str, e: int) -> bool:
    """A day count rather than a day of month: 3일간, 3일 동안, 3일째, 3일 전."""
    lex = _lex()
    m = _match_sp(lex.marker_re, text, e)
    if m and (m.start() == e or lex.markers[m.group()] != "period" or m.group() == "동안"):
        if m.group() in ("간", "째") and m.start() != e:
            return False
        return _ok_after(text, m.end())
    if text.startswith("여", e) or _MAN_RE.match(text, e):
        return True
    return False


_MAN_RE = re.compile(r"[ ]?만(?:에|이|의|으로|인)")


def _sino(s: str) -> int | None:
    from .numerals import parse_korean_number
    v = parse_korean_number(s)
    return v if isinstance(v, int) else None


def _chain_day(text: str, j: int, st: _DateState, allow_space: bool, month: bool = False) -> int:
    lex = _lex()
    month = month or st.m is not None
    jj = _space(text, j) if allow_space and j > 0 and (month or st.moff is not None) else j
    hd = lex.hangul_day_re.match(text, jj)
    if hd and (month or _match_sp(lex.weekday_re, text, hd.end())) and not _day_is_period(text, hd.end()):
        d = _sino(hd.group(1))
        w = _match_sp(lex.weekday_re, text, hd.end())
        if d is not None and 1 <= d <= 31 and (_ok_after(text, hd.end()) or w):
            st.d = d  # 이십일일, 삼일 after a month; 이십이일 금요일
            return w.end() if w and _ok_after(text, w.end()) else hd.end()
    mr = _DAY_RANGE.match(text[jj:jj + 12])
    if mr and 1 <= int(mr.group(1)) < int(mr.group(2)) <= 31 and not _day_is_period(text, jj + mr.end()):
        st.d, st.d2 = int(mr.group(1)), int(mr.group(2))
        return jj + mr.end()
    m = lex.day_re.match(text, jj)
    if m and 1 <= int(m.group(1)) <= 31 and not _day_is_period(text, m.end()):
        st.d = int(m.group(1))
        e = m.end()
        w = _match_sp(lex.weekday_re, text, e)
        if w and _ok_after(text, w.end()):
            e = w.end()  # 11월 18일 목요일: the weekday restates the day
        return e
    return j


def _chain_part(text: str, j: int, st: _DateState, of: str, glued_season: bool = False) -> int:
    lex = _lex()
    if st.d is not None or st.d2 is not None or st.m2 is not None:
        return j
    p = lex.part_re.match(text, j) if glued_season else None
    if p is None:
        p = _match_sp(lex.part_re, text, j)
    if p is None:
        if of == "year" and st.quarter is None and st.m is None:
            q = _match_sp(lex.quarter_re, text, j)
            if q and _ok_after(text, q.end()):
                st.quarter = int(q.group(1))
                return q.end()
        return j
    row = lex.parts[p.group()]
    if row["of"] not in (of, "any") and not (of == "month" and row["of"] == "any"):
        if not (of == "year" and st.m is None):
            return j
        if row["of"] == "month":
            return j
    if of == "month" and st.m is None and st.moff is None:
        return j
    if not _ok_after(text, p.end()) and not lex.post_hedge_re.match(text, p.end()):
        return j
    st.part = row
    if row["of"] == "year" and row["standalone"] == "n":
        st.season = True
    return p.end()


_ERA = re.compile(r"(\d{3})0년대|(\d{1,2})세기")


def recognise_era(text: str, i: int, ctx: Context) -> list[dict] | None:
    """Decades and centuries (1990년대, 21세기): DT periods with an empty norm."""
    m = _ERA.match(text[i:i + 8])
    if not m or not _ok_after(text, i + m.end()):
        return None
    if m.group(1):
        a = int(m.group(1)) * 10
        ns, ne = _iso(a), _iso(a + 9)
    else:
        c = int(m.group(2))
        ns, ne = _iso((c - 1) * 100 + 1), _iso(c * 100)
    k = _post_hedge(text, i + m.end(), True)
    return [dict(start=i, end=k, label="DT", norm="", norm_start=ns, norm_end=ne, kind="period", approx=k != i + m.end())]
