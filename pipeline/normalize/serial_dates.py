"""DT written with separators: serial dates (2025-09-10, 2025.9.10.), slash dates (2/15, 74/10/31, 08/12,2015), the
year last (21-04-2016), two bare years (2014-2018) and a dotted month.day before an election (6.13 지방선거)."""
from __future__ import annotations

import re

from .lexicon import _lex
from .resolve import _iso, _valid, _year_for_month
from .spans import _ok_after, _space
from .types import Context


# 2014-2018, 1998~2002: two years without 년, the second later and within a century, no counter after them
_BARE_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)[ ]?[~∼〜～\-][ ]?((?:19|20)\d\d)(?![\d.,])")


def _bare_year_range(text: str, i: int) -> list[dict] | None:
    m = _BARE_YEAR_RANGE.match(text, i)
    if m is None or not 0 < int(m.group(2)) - int(m.group(1)) <= 100 or not _ok_after(text, m.end()):
        return None
    lex = _lex()
    k = _space(text, m.end())
    if lex.counter_re.match(text, k) or text.startswith(lex.season_words, k):
        return None  # 1950-2000 달러: amounts; 2019-2020 시즌: a season's name (num_context.tsv kind season)
    return [dict(start=i, end=m.end(), label="DT", norm=m.group(1), norm_start=m.group(1), norm_end=m.group(2),
                 kind="period")]


# 21-04-2016, 3-7-2017, 13.5.2015: the year written last with four digits (day first when the first is over 12,
# else month first, as for slash dates)
_DMY = re.compile(r"(\d{1,2})([-.])(\d{1,2})\2(\d{4})(?![\d.\-/])")


def _day_month_year(text: str, i: int) -> list[dict] | None:
    m = _DMY.match(text, i)
    if not m or (i > 0 and (text[i - 1].isdigit() or text[i - 1] in "-./")) or not _ok_after(text, m.end()):
        return None
    a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
    mo, d = (b, a) if a > 12 else (a, b)
    if not (1000 <= y <= 2999 and _valid(y, mo, d)):
        return None
    return [dict(start=i, end=m.end(), label="DT", norm=_iso(y, mo, d), kind="date")]


_SERIAL = re.compile(r"(\d{4})([-./])[ ]?(\d{1,2})\2[ ]?(\d{1,2})\.?|(\d{4})\.[ ]?(\d{1,2})\.(?!\d)")


def _dotted_event_date(text: str, i: int, ctx: Context) -> list[dict] | None:
    """6.13 지방선거: a dotted month.day before an election is its date, resolved near publication;
    before a historic event (5·18 민주화운동, 6·25 전쟁) it is part of the event's name: no DT."""
    lex = _lex()
    m = lex.dotted_event_re.match(text, i)
    if not m:
        return None
    word = text[m.start(2) + len(m.group(2)):m.end()].strip()
    mo, d = int(m.group(1)), int(m.group(2))
    if lex.event_words.get(word) != "election" or not 1 <= mo <= 12:
        return None
    end = m.start(2) + len(m.group(2))
    norm = ""
    pub = ctx.published
    if pub is not None:
        y = _year_for_month(pub, mo, d, None)
        norm = _iso(y, mo, d) if _valid(y, mo, d) else ""
    return [dict(start=i, end=end, label="DT", norm=norm, kind="date")]


_FRACTION_AROUND = re.compile(r"[ ]?(?:가량|정도|수준|이상|이하|미만|밖에|에 불과|에 그|에 해당|로 줄|로 늘|만큼)")
_QUARTER_AFTER = re.compile(r"[ ]?분기")
_YEAR_AFTER_SLASH = re.compile(r",[ ]?((?:1[89]|20)\d\d)(?![\d.,])")
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")


def _slash_date(text: str, i: int, ctx: Context) -> list[dict] | None:
    """Slash dates: 2/15 (month/day, the year as for a bare month), 74/10/31 and 89/05/05 (two-digit year
    first, as Korean writes it), 02/22/2016 (month/day/year), 21/04/16 (day/month/year when the first is over 12)."""
    m = _SLASH.match(text, i)
    if not m or (i > 0 and (text[i - 1] == "/" or text[i - 1].isdigit())) or not _ok_after(text, m.end()):
        return None
    if m.group(2) == "4" and _QUARTER_AFTER.match(text, m.end()):
        return None  # 1/4분기: the first quarter (recognise_date), not 4 January
    a, b, c = int(m.group(1)), int(m.group(2)), m.group(3)
    end = m.end()
    yc = _YEAR_AFTER_SLASH.match(text, end) if c is None else None
    if yc and _ok_after(text, yc.end()):
        c, end = yc.group(1), yc.end()  # 08/12,2015: the year after a comma
    if c is None:
        mo, d, y = a, b, None
    elif len(c) == 4:
        mo, d, y = (b, a, int(c)) if a > 12 else (a, b, int(c))
    elif a > 31:
        y, mo, d = 1900 + a if a >= 50 else 2000 + a, b, int(c)
    elif a > 12:
        d, mo, y = a, b, 2000 + int(c) if int(c) < 50 else 1900 + int(c)
    else:
        return None  # 3/7/07: which is the year is not said
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    if c is None and (_FRACTION_AROUND.match(text, m.end()) or text[max(0, i - 2):i] == "의 "):
        # 직원 수의 1/20 가량: a fraction, not 20 January
        return [dict(start=i, end=m.end(), label="QT", value=round(a / b, 6), kind="fraction")] if b else None
    norm = ""
    if y is None and ctx.published is not None:
        y = _year_for_month(ctx.published, mo, d, None)
    if y is not None and _valid(y, mo, d):
        norm = _iso(y, mo, d)
    return [dict(start=i, end=end, label="DT", norm=norm, kind="date")]


def recognise_serial_date(text: str, i: int, ctx: Context) -> list[dict] | None:
    """Dates written with separators (2025-09-10, 2025.9.10., 2025. 9., 2/15, 74/10/31); 6.13 지방선거."""
    m = _SERIAL.match(text, i)
    if not m:
        return _dotted_event_date(text, i, ctx) or _slash_date(text, i, ctx) or _day_month_year(text, i) \
            or _bare_year_range(text, i)
    end = m.end()
    if end < len(text) and (text[end].isdigit() or (text[end] in "-./" and end + 1 < len(text) and text[end + 1].isdigit())):
        return None
    if m.group(1):
        y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if not _valid(y, mo, d) or not 1000 <= y <= 2999:
            return None
        norm = _iso(y, mo, d)
    else:
        y, mo = int(m.group(5)), int(m.group(6))
        if not (1 <= mo <= 12 and 1900 <= y <= 2099):
            return None
        norm = _iso(y, mo)
    if not _ok_after(text, end):
        return None
    return [dict(start=i, end=end, label="DT", norm=norm, kind="date")]
