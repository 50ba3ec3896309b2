"""TI: times of day (오후 3시, 16시 30분, 14:05, 정오)."""
from __future__ import annotations

import re

from .lexicon import _lex
from .spans import _match_sp, _ok_after, _post_hedge, _space
from .types import Context

_HOUR = re.compile(r"(\d{1,2})시(?!간)")


_MIN = re.compile(r"(\d{1,2})분(?!기|의)")


_SEC = re.compile(r"(\d{1,2})초")


_CLOCK = re.compile(r"([01]?\d|2[0-4]):([0-5]\d)(?::([0-5]\d))?(?![\d:])")


def _convert_hour(h: int, shift: str) -> int | None:
    if shift == "am":
        return 0 if h == 12 else h if h < 12 else None
    if shift == "pm":
        return h + 12 if 1 <= h < 12 else 12 if h == 12 else None
    if shift == "night":
        return h + 12 if 6 <= h < 12 else 0 if h == 12 else h if h < 6 else None
    if shift == "day":
        return h + 12 if 1 <= h <= 6 else h if h <= 12 else None
    return None


def recognise_time(text: str, i: int, ctx: Context) -> list[dict] | None:
    """Times of day: 오후 3시, 16시 30분, 14:05, 정오 (norm HH:MM when the clock time is explicit)."""
    lex = _lex()
    j = i
    shift = None
    wm = lex.time_word_re.match(text, i)
    word_row = None
    if wm:
        word_row = lex.times[wm.group()]
        shift = word_row["shift"]
        j = wm.end()
    jj = _space(text, j) if wm else j
    hm = _HOUR.match(text, jj)
    cm = _CLOCK.match(text, jj) if hm is None else None
    approx = False
    if hm is None and cm is None:
        if wm is None:
            return None
        if word_row["standalone"] != "y":
            return None
        k = _post_hedge(text, j, True)
        if not _ok_after(text, k):
            return None
        return [dict(start=i, end=k, label="TI", norm=word_row["fixed"], kind="time", approx=k != j)]
    if cm:
        h, mi = int(cm.group(1)), int(cm.group(2))
        k = cm.end()
        if shift:
            h = _convert_hour(h, shift)
        norm = f"{h:02d}:{mi:02d}" if h is not None and h < 24 else ""
    else:
        h = int(hm.group(1))
        k = hm.end()
        mi = 0
        mm = _match_sp(_MIN, text, k)
        if mm and int(mm.group(1)) < 60:
            mi = int(mm.group(1))
            k = mm.end()
            sm = _match_sp(_SEC, text, k)
            if sm and int(sm.group(1)) < 60:
                k = sm.end()
        elif text.startswith((" 반", "반"), k) and _ok_after(text, k + (2 if text[k] == " " else 1)):
            mi = 30
            k += 2 if text[k] == " " else 1
        if h > 24:
            return None
        if shift:
            hh = _convert_hour(h, shift)
        elif h == 0 or 13 <= h <= 24:
            hh = h % 24
        else:
            hh = None
        norm = f"{hh:02d}:{mi:02d}" if hh is not None else ""
    k2 = _post_hedge(text, k, True)
    if k2 != k:
        approx = True
        k = k2
    if not _ok_after(text, k):
        return None
    return [dict(start=i, end=k, label="TI", norm=norm, kind="time", approx=approx)]
