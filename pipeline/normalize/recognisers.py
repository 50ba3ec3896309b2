"""find_expressions() and normalize(): the recognisers run at every candidate start."""
from __future__ import annotations

import datetime as _dt
import re
from decimal import InvalidOperation

from .dates import _date_at, _era_at, _serial_at
from .lexicon import _lex
from .numerals import _scan_number, parse_korean_number
from .periods import _period_at
from .quantities import _merge_ratios, _qt_at
from .spans import _ok_before
from .times import _time_at
from .types import Expression

_MASK = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


_LIST_MARKER = re.compile(r"(?m)^[ \t]*\d{1,2}[.)](?=\s)")


# A recognizer that fails on odd input has recognised nothing there.
_RECOGNIZER_ERRORS = (ValueError, ArithmeticError, IndexError, InvalidOperation, OverflowError)


def _number_starts_at(text: str, i: int) -> bool:
    """Whether _scan_number() reads a number at i (the recognizers' errors count as no number)."""
    try:
        return _scan_number(text, i) is not None
    except _RECOGNIZER_ERRORS:
        return False


def find_expressions(text: str, published: _dt.date | None = None) -> list[Expression]:
    """Every QT / DT / TI expression in text, non-overlapping, sorted by start."""
    if not text:
        return []
    lex = _lex()
    masked = [(m.start(), m.end()) for m in _MASK.finditer(text)] if ("@" in text or "www" in text or "://" in text) else []
    for m in _LIST_MARKER.finditer(text):
        masked.append((m.start(), m.end()))
    out: list[Expression] = []
    cursor = 0
    ctx = None
    for sm in lex.start_re.finditer(text):
        s = sm.start()
        if s < cursor or not _ok_before(text, s):
            continue
        if masked and any(a <= s < b for a, b in masked):
            continue
        best = None
        c = text[s]
        if c.isdigit():
            recs = (_serial_at, _date_at, _era_at, _period_at, _time_at, _qt_at)
        elif lex.word_start_re.match(text, s) is None and (
                c not in lex.sino or c not in lex.vague_period_starts and not _number_starts_at(text, s)):
            continue  # no recognizer can start here (see _Lex.word_start_re and _Lex.vague_period_starts)
        elif c in lex.time_first:
            recs = (_date_at, _period_at, _time_at, _qt_at)
        else:
            recs = (_date_at, _period_at, _qt_at)
        for rec in recs:
            try:
                if rec is _date_at:
                    r = rec(text, s, published, ctx)
                elif rec is _period_at:
                    r = rec(text, s, published)
                else:
                    r = rec(text, s)
            except _RECOGNIZER_ERRORS:
                r = None
            if r and (best is None or r[-1]["end"] > best[-1]["end"]):
                best = r
        if not best:
            continue
        for d in best:
            ym = d.pop("_ym", None)
            if d["label"] == "DT" and d.get("norm") and ym is not None:
                norm = d["norm"]
                if len(norm) >= 7:
                    ctx = (d["end"], int(norm[:4]), int(norm[5:7]))
            out.append(_make(text, d))
        cursor = best[-1]["end"]
    return _merge_ratios(text, out)


def _make(text: str, d: dict) -> Expression:
    d = {k: v for k, v in d.items() if not k.startswith("_")}
    d["text"] = text[d["start"]:d["end"]]
    return Expression(**d)


def normalize(text: str, published: _dt.date | None = None) -> Expression | None:
    """The expression covering text (or the longest one in it); None when there is none."""
    exprs = find_expressions(text, published)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    if stripped:
        all_sino = all(c in _lex().sino or c.isdigit() or c in ",." for c in stripped)
        if all_sino or not any(e.start == lead and e.end == lead + len(stripped) for e in exprs):
            try:
                v = parse_korean_number(stripped)
            except (ValueError, ArithmeticError, InvalidOperation):
                v = None
            if v is not None and any(c in _lex().sino for c in stripped):
                return Expression(lead, lead + len(stripped), stripped, "QT", value=v, kind="number")
    if not exprs:
        return None
    return max(exprs, key=lambda e: (e.end - e.start, -e.start))
