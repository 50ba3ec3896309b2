"""DT counts of days, weeks, months and years: durations (3년간) and offsets (1년 전, 2주 후)."""
from __future__ import annotations

import datetime as _dt
import re

from .lexicon import TILDE, _lex
from .numerals import _native_at, _py, _scan_number
from .dates import _historic_event_after
from .resolve import _add_months, _iso
from .spans import _match_sp, _ok_after, _post_hedge, _space, _starts_named_event
from .types import Context


_GRAINS = {"개월": "month", "년": "year", "주": "week", "주일": "week", "일": "day", "달": "month", "해": "year"}


def recognise_period(text: str, i: int, ctx: Context) -> list[dict] | None:
    """Counts of days/weeks/months/years: durations (3년간, 4개월여, 16일 동안) and offsets (1년 전, 3일 전)."""
    lex = _lex()
    j = i
    approx = False
    m = lex.pre_hedge_re.match(text, j)
    bound = m is not None and m.group().startswith(_BOUND_HEDGES)
    if m:
        approx = True
        j = m.end()
    stay = _STAY.match(text, j)
    if stay and _ok_after(text, stay.end()):
        return [dict(start=i, end=stay.end(), label="DT", approx=approx, norm="", kind="duration")]
    dw = lex.dur_word_re.match(text, j)
    if text.startswith(("수", "몇"), j) and lex.period_unit_re.match(text, _space(text, j + 1)) and not dw:
        count = _vague_count(text, j)
    elif dw:
        row = lex.dur_words[dw.group()]
        vague = not row["amount"]  # 며칠: no number
        count = (dw.end(), row["grain"], None if vague else int(row["amount"]), vague)
    else:
        count = _number_count(text, j)
    if count is None:
        return None
    k, grain, amount, hedged = count
    compound = _compound_offset(text, i, count, ctx) if not hedged and amount is not None and not dw else None
    if compound is not None:
        return compound
    k2 = _hedges_after(text, k)
    approx = approx or hedged or k2 != k
    k, role = _read_marker(text, k2)
    if not _ok_after(text, k):
        return None
    if role is None and _historic_event_after(text, k):
        return None  # 4월 7일 혁명: part of an event's name
    if grain == "year" and role is None and amount is not None and 1000 <= amount <= 2999 and _starts_named_event(text, k):
        return None  # 2010년 FIFA 월드컵: a year in an event's name (dates.py), not 2010 years
    if grain == "week" and role is None and not dw and not approx and not _WITHIN.match(text, k) \
            and not text.startswith("주일", count[0] - 2):
        return None  # 100주: shares, not weeks (but 2주 안에, 3주 만에, 1주일: weeks)
    out = dict(start=i, end=k, label="DT", approx=approx)
    if role in ("before", "after") and amount is not None and (not approx or bound and k2 == count[0] and not hedged) \
            and abs(amount) <= _MAX_OFFSET[grain]:
        sign = -1 if role == "before" else 1
        base = ctx.published
        bm = _ANCHORED.search(text, max(0, i - 9), i) if base is not None and i > 0 else None
        if bm is not None:
            base = base + _dt.timedelta(days=_ANCHOR_DAYS[bm.group(1)])  # 어제로부터 4일 후: counted from 어제
        norm, ns, ne = _offset_from(base, grain, sign * amount)
        out.update(norm=norm, norm_start=ns, norm_end=ne, kind="relative_date")
    else:
        out.update(norm="", kind="duration")
        if amount is not None and not approx and ctx.published is not None and abs(amount) <= _MAX_OFFSET[grain] \
                and amount == int(amount) and role in (None, "period") and not _MORE_COUNT.match(text, k):
            out.update(_span_from(text, i, ctx.published, grain, int(amount)))
    return [out]


# 지난 3년간, 최근 5년 동안, 앞으로 이틀간, 향후 5년간: a period counted back from or on from the publication date
_MORE_COUNT = re.compile(r"[ ]?(?:\d|[한두세네다여열])[^ ]{0,3}(?:개월|달|주|일)|前")  # 지난 2년 6개월간: not 2 years
_PAST_SPAN = re.compile(r"(?:지난|최근|과거)[ ]?$")
_NEXT_SPAN = re.compile(r"(?:앞으로|향후|다가오는)[ ]?$")


def _span_from(text: str, i: int, pub: _dt.date, grain: str, amount: int) -> dict:
    """norm_start / norm_end (days) of a period right after 지난/최근/과거 (ending on the publication date) or
    앞으로/향후/다가오는 (from the day after it); the norm stays empty (a calendar period, labelling guide §4.8)."""
    before = text[max(0, i - 5):i]
    past = _PAST_SPAN.search(before) is not None
    if not past and _NEXT_SPAN.search(before) is None:
        return {}
    sign = -1 if past else 1
    if grain in ("day", "week"):
        other = pub + _dt.timedelta(days=sign * amount * (7 if grain == "week" else 1))
    else:
        y, m = _add_months(pub.year, pub.month, sign * amount * (12 if grain == "year" else 1))
        last = (_dt.date(*_add_months(y, m, 1), 1) - _dt.timedelta(days=1)).day
        other = _dt.date(y, m, min(pub.day, last))
    if past:
        return dict(norm_start=other.isoformat(), norm_end=pub.isoformat())
    return dict(norm_start=(pub + _dt.timedelta(days=1)).isoformat(), norm_end=other.isoformat())


# 어제로부터 4일 후, 내일부터 3일 뒤: an offset counted from a relative day written right before it
_ANCHOR_DAYS = {"그제": -2, "그저께": -2, "어제": -1, "오늘": 0, "내일": 1, "모레": 2}
# 최소 2주 후, 적어도 이틀 전: a bound, not a guess; the offset's date is the bound (approx stays true).
_BOUND_HEDGES = ("최소", "적어도")
_ANCHORED = re.compile(r"(그저께|그제|어제|오늘|내일|모레)(?:로부터|부터|에서)[ ]?$")
_WITHIN = re.compile(r"[ ]?(?:안에|안으로|이내|내에|내로|만에|째)")
# 2박 3일, 1박2일: a stay or schedule of nights and days, a duration (not the 3rd of the month).
_STAY = re.compile(r"\d{1,2}박[ ]?\d{1,2}일")
# An offset further back than this (1억3300만 년 전) is no calendar date: a duration with an empty norm.
_MAX_OFFSET = {"day": 36600, "week": 5200, "month": 12000, "year": 1000}


def _vague_count(text: str, j: int) -> tuple[int, str, None, bool] | None:
    """수년, 몇 주, 수개월: a vague count (end, grain, no amount, hedged)."""
    k = _space(text, j + 1)
    unit = _lex().period_unit_re.match(text, k).group()
    k += len(unit)
    if unit == "일" and text.startswith("수", j) and k == j + 2:
        return None  # 수일 is rare, 수일 내 ok but 수요일 etc. must not fire
    return k, _GRAINS[unit], None, True


def _number_count(text: str, j: int) -> tuple[int, str, int | float | None, bool] | None:
    """3년, 4개월, 세 달, 10여 년: a counted unit (end, grain, amount, hedged)."""
    lex = _lex()
    num = _scan_number(text, j)
    hedged = False
    if num is not None and (num.arabic or num.vague or num.has_small):
        k = num.end
        amount = _py(num.value)
        hedged = num.vague
    else:
        nat = _native_at(text, j)
        if nat is None or nat[2] != "num":
            return None
        amount = nat[1]
        k = _space(text, nat[0])
        if k == nat[0]:
            return None
    kt = _space(text, k)
    if num is not None and kt < len(text) and text[kt] in TILDE:
        num2 = _scan_number(text, _space(text, kt + 1))
        if num2 is not None and num2.value is not None and num.value is not None and num.value <= num2.value \
                and lex.period_unit_re.match(text, num2.end):
            k, amount = num2.end, None  # 30∼40일, 2~3년: a range of days or years, a duration
    elif num is not None and num.has_big and text[k:k + 1] == " " and lex.period_unit_re.match(text, k + 1):
        k += 1  # 1억3300만 년, 14만 년: the unit after a space
    mm = lex.mid_hedge_re.match(text, k)
    if mm and lex.period_unit_re.match(text, _space(text, mm.end())):
        hedged = True
        k = _space(text, mm.end())
    u = lex.period_unit_re.match(text, k)
    if not u:
        return None
    unit = u.group()
    if unit in ("달", "해") and num is not None and num.arabic:
        return None
    k = u.end()
    if unit == "년" and text.startswith(("대", "도"), k):
        return None
    return k, _GRAINS[unit], amount, hedged


def _hedges_after(text: str, k: int) -> int:
    """The end of 여 and of a hedge after the unit (3년여, 10년 가까이), or k."""
    mh = _lex().mid_hedge_re.match(text, k)
    if mh:
        k = mh.end()
    return _post_hedge(text, k, False)


def _read_marker(text: str, k: int) -> tuple[int, str | None]:
    """간, 동안, 째 (period), 전 (before), 후/뒤 (after) after the count: (end, role)."""
    lex = _lex()
    mk = _match_sp(lex.marker_re, text, k)
    if mk and _ok_after(text, mk.end()):
        r = lex.markers[mk.group()]
        if not (r == "period" and mk.group() in ("간", "째") and mk.start() != k):
            return mk.end(), r
    return k, None


def _offset_from(pub: _dt.date | None, grain: str, offset) -> tuple[str, str, str]:
    """(norm, norm_start, norm_end) of publication date moved by offset units of grain (1년 전, 2주 후)."""
    norm = ns = ne = ""
    if pub:
        if grain == "day":
            norm = (pub + _dt.timedelta(days=offset)).isoformat()
        elif grain == "week":
            norm = (pub + _dt.timedelta(weeks=offset)).isoformat()  # 3주 전: the day three weeks back
        elif grain == "month":
            norm = _iso(*_add_months(pub.year, pub.month, offset))
        else:
            norm = _iso(pub.year + offset)
    return norm, ns, ne


_GRAIN_ORDER = {"year": 0, "month": 1, "week": 2, "day": 3}
_COMPOUND_SEP = re.compile(r"[ ]?하고 | ")  # not a comma: 징역 2년, 3일 전 lists two things


def _compound_offset(text: str, i: int, count, ctx: Context) -> list[dict] | None:
    """2년 1개월 21일 전, 1개월 하고 21일 전, 2년 21일 후: counts of falling grains before one 전/후 are one offset
    from the publication date, at day grain when a day is counted (month grain for 1년 6개월 전). Without 전/후
    the counts stay separate durations (3년 6개월 동안)."""
    k, grain, amount, _ = count
    if k >= len(text) or text[k] not in " 하" or grain == "day":
        return None  # no count of a smaller grain can follow
    parts = [(grain, amount)]
    while True:
        m = _COMPOUND_SEP.match(text, k)
        if m is None:
            break
        nxt = _number_count(text, m.end())
        if nxt is None or nxt[3] or nxt[2] is None or _GRAIN_ORDER[nxt[1]] <= _GRAIN_ORDER[parts[-1][0]]:
            break
        parts.append((nxt[1], nxt[2]))
        k = nxt[0]
    if len(parts) < 2:
        return None
    end, role = _read_marker(text, k)
    if role not in ("before", "after") or not _ok_after(text, end):
        return None
    amounts = {"year": 0, "month": 0, "week": 0, "day": 0}
    for g, a in parts:
        if a != int(a):
            return None
        amounts[g] += int(a)
    norm = ""
    pub = ctx.published
    if pub is not None and amounts["year"] <= _MAX_OFFSET["year"]:
        sign = -1 if role == "before" else 1
        y, mo = _add_months(pub.year, pub.month, sign * (12 * amounts["year"] + amounts["month"]))
        if amounts["week"] or amounts["day"]:
            last = (_dt.date(*_add_months(y, mo, 1), 1) - _dt.timedelta(days=1)).day
            d = _dt.date(y, mo, min(pub.day, last)) + sign * _dt.timedelta(days=7 * amounts["week"] + amounts["day"])
            norm = d.isoformat()
        else:
            norm = _iso(y, mo)
    return [dict(start=i, end=end, label="DT", approx=False, norm=norm, norm_start="", norm_end="",
                 kind="relative_date")]
