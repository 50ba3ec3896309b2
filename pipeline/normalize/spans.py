"""Boundary and spacing tests shared by every recogniser: where an expression may start and end."""
from __future__ import annotations

import re

from .lexicon import _is_hangul, _is_latin, _lex


def _ok_before(text: str, i: int) -> bool:
    if i == 0:
        return True
    p = text[i - 1]
    if _is_hangul(p) or _is_latin(p) or p.isdigit() or p in "#@_&":
        return False
    if p in "-./·:,'+" and i >= 2 and (text[i - 2].isalnum()):
        return False
    return True


def _ok_after(text: str, i: int) -> bool:
    if i >= len(text):
        return True
    c = text[i]
    if _is_hangul(c):
        return _lex().follow_re.match(text, i) is not None
    if _is_latin(c) or c.isdigit() or c in "@_":
        return False
    if c in "-.·/:" and i + 1 < len(text) and text[i + 1].isdigit():
        return False
    return True


def _space(text: str, j: int) -> int:
    return j + 1 if j < len(text) and text[j] in " \u00a0" else j


def _match_sp(rx: re.Pattern, text: str, j: int):
    """rx at j, or after one space at j."""
    m = rx.match(text, j)
    if m is None and j < len(text) and text[j] in " \u00a0":
        m = rx.match(text, j + 1)
    return m


def _post_hedge(text: str, j: int, time_ok: bool) -> int:
    """End of a hedge after j (glued or after one space), or j."""
    lex = _lex()
    m = _match_sp(lex.post_hedge_re, text, j)
    if m:
        applies = lex.post_hedges[m.group()]
        if (applies == "any" or (applies == "time" and time_ok)) and _ok_after(text, m.end()):
            return m.end()
    return j


_JOSA_LAST = frozenset("은는이가을를에의도와과로서")


def _starts_named_event(text: str, j: int, any_event: bool = False) -> bool:
    """Whether a year ending at j starts an event's name: 2010년 FIFA 월드컵, 2020 도쿄 올림픽, 1960년 하계 올림픽
    (at most three words before a head of num_context.tsv, none of them ending in a particle). any_event: also
    the election and historic event words (2016 미국 대선, 518 광주 민주화운동), for a bare number."""
    if not text.startswith(" ", j):
        return False
    lex = _lex()
    heads = lex.named_event_heads + tuple(lex.event_words) if any_event else lex.named_event_heads
    words = text[j + 1:j + 40].split(" ", 4)
    for n, w in enumerate(words[:4]):
        if any(h in w for h in heads):
            return True
        if n == 3 or not w or w[-1] in _JOSA_LAST or not (w[0].isalnum()):
            return False
    return False
