"""DT counts of days, weeks, months and years: durations (3년간) and offsets (1년 전, 2주 후)."""
from __future__ import annotations

import datetime as _dt

from .lexicon import _lex
from .numerals import _native_at, _py, _scan_number
from .resolve import _add_months, _iso, _week
from .spans import _match_sp, _ok_after, _post_hedge, _space
from .types import Context


def recognise_period(text: str, i: int, ctx: Context) -> list[dict] | None:
    """Counts of days/weeks/months/years: durations (3년간, 4개월여, 16일 동안) and offsets (1년 전, 3일 전)."""
    pub = ctx.published
    lex = _lex()
    j = i
    approx = False
    m = lex.pre_hedge_re.match(text, j)
    if m:
        approx = True
        j = m.end()
    amount = None
    vague = False
    dw = lex.dur_word_re.match(text, j)
    if text.startswith(("수", "몇"), j) and lex.period_unit_re.match(text, _space(text, j + 1)) and not dw:
        vague = True
        k = _space(text, j + 1)
        unit = lex.period_unit_re.match(text, k).group()
        grain = {"개월": "month", "년": "year", "주": "week", "일": "day", "달": "month", "해": "year"}[unit]
        k += len(unit)
        if unit == "일" and text.startswith("수", j) and k == j + 2:
            return None  # 수일 is rare, 수일 내 ok but 수요일 etc. must not fire
    elif dw:
        row = lex.dur_words[dw.group()]
        grain, amount = row["grain"], int(row["amount"])
        k = dw.end()
    else:
        num = _scan_number(text, j)
        k = None
        if num is not None and (num.arabic or num.vague or num.has_small):
            k = num.end
            amount = _py(num.value)
            vague = num.vague
        else:
            nat = _native_at(text, j)
            if nat is None or nat[2] != "num":
                return None
            amount = nat[1]
            k = _space(text, nat[0])
            if k == nat[0]:
                return None
        mm = lex.mid_hedge_re.match(text, k)
        if mm and _lex().period_unit_re.match(text, _space(text, mm.end())):
            approx = True
            k = _space(text, mm.end())
        u = lex.period_unit_re.match(text, k)
        if not u:
            return None
        unit = u.group()
        if unit in ("달", "해") and dw is None and num is not None and num.arabic:
            return None
        grain = {"개월": "month", "년": "year", "주": "week", "일": "day", "달": "month", "해": "year"}[unit]
        k = u.end()
        if unit == "년" and text.startswith(("대", "도"), k):
            return None
    if vague:
        approx = True
    mh = lex.mid_hedge_re.match(text, k)
    if mh:
        approx = True
        k = mh.end()
    k2 = _post_hedge(text, k, False)
    if k2 != k:
        approx = True
        k = k2
    mk = _match_sp(lex.marker_re, text, k)
    role = None
    if mk and _ok_after(text, mk.end()):
        r = lex.markers[mk.group()]
        if r == "period" and mk.group() in ("간", "째") and mk.start() != k:
            mk = None
        else:
            role = r
            k = mk.end()
    if not _ok_after(text, k):
        return None
    if grain == "week" and role is None and not dw and not approx:
        return None  # 100주: shares, not weeks
    out = dict(start=i, end=k, label="DT", approx=approx)
    if role in ("before", "after") and amount is not None and not approx:
        sign = -1 if role == "before" else 1
        norm = ns = ne = ""
        if pub:
            if grain == "day":
                norm = (pub + _dt.timedelta(days=sign * amount)).isoformat()
            elif grain == "week":
                monday, wk = _week(pub, sign * amount)
                norm, ns, ne = wk, monday.isoformat(), (monday + _dt.timedelta(days=6)).isoformat()
            elif grain == "month":
                norm = _iso(*_add_months(pub.year, pub.month, sign * amount))
            else:
                norm = _iso(pub.year + sign * amount)
        out.update(norm=norm, norm_start=ns, norm_end=ne, kind="relative_date")
    else:
        out.update(norm="", kind="duration")
    return [out]
