"""Expressions read one by one that make one expression together: a ratio (10명 중 7명), dollars and cents
(1달러 20센트), a compound duration (3시간 50분). Run on find_expressions()' list after the walk."""
from __future__ import annotations

import re
from decimal import Decimal

from .types import Expression

# 10명 중 7명 is a ratio; 106만8000장 중 104만6000장 two counts: a whole above this is a count of its own.
_RATIO_MAX_WHOLE = 100
_RATIO_JOIN = re.compile(r"[ ]?(?:중|가운데)[ ]?$")


_CENTS_GAP = frozenset(("", " "))


def _merge_cents(text: str, exprs: list[Expression]) -> list[Expression]:
    """``1달러 20센트``, ``13 달러 45 센트``: dollars and the cents right after them are one amount (1.2 달러)."""
    out: list[Expression] = []
    for e in exprs:
        prev = out[-1] if out else None
        if (prev is not None and e.unit == "센트" and prev.unit == "달러" and prev.label == e.label == "QT"
                and isinstance(prev.value, int) and isinstance(e.value, int) and 0 <= e.value < 100
                and prev.value_min is None and e.value_min is None and text[prev.end:e.start] in _CENTS_GAP):
            out[-1] = Expression(start=prev.start, end=e.end, text=text[prev.start:e.end], label="QT",
                                 value=round(prev.value + e.value / 100, 2), unit="달러", approx=prev.approx or e.approx,
                                 kind="money")
            continue
        out.append(e)
    return out


def _merge_ratios(text: str, exprs: list[Expression]) -> list[Expression]:
    """``10명 중 7명``: a part of a small whole (at most _RATIO_MAX_WHOLE) counted in the same unit is one
    ratio (value 0.7, no unit); ``106만8000장 중 104만6000장`` stays two counts."""
    if len(exprs) < 2:
        return exprs
    if "센트" in text:
        exprs = _merge_cents(text, exprs)
    if "분" in text or "초" in text:
        exprs = _merge_durations(text, exprs)
    merged: list[Expression] = []
    for expr in exprs:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.label == expr.label == "QT" and prev.unit and prev.unit == expr.unit
                and prev.value and expr.value is not None and _RATIO_JOIN.search(text[prev.end:expr.start])
                and prev.value <= _RATIO_MAX_WHOLE
                and len(text[prev.end:expr.start]) <= 5):
            value = expr.value / prev.value
            merged[-1] = Expression(start=prev.start, end=expr.end, text=text[prev.start:expr.end], label="QT",
                                    value=int(value) if float(value).is_integer() else round(value, 6),
                                    unit="", approx=prev.approx or expr.approx, kind="ratio")
            continue
        merged.append(expr)
    return merged


# 3시간 50분, 5분 30초, 1시간 20분 30초: measured units from the largest to the smallest, glued or one space apart.
_DURATION_ORDER = {"시간": 3600, "분": 60, "초": 1}


def _joins_duration(text: str, prev: Expression, e: Expression) -> bool:
    """Whether e goes on the measured duration prev: a smaller unit, glued or after one space, neither a range,
    prev ending on its unit (no hedge between: 3시간 이상 50분 stays two)."""
    a, b = _DURATION_ORDER.get(prev.unit), _DURATION_ORDER.get(e.unit)
    return (a is not None and b is not None and b < a and prev.label == e.label == "QT"
            and prev.value is not None and e.value is not None and prev.value_min is None and e.value_min is None
            and text[prev.end:e.start] in _CENTS_GAP and prev.text.endswith(prev.unit))


def _merge_durations(text: str, exprs: list[Expression]) -> list[Expression]:
    """``3시간 50분`` -> 230 분, ``5분 30초`` -> 330 초: one duration in the smallest unit written (labelling guide
    §4.7, compound durations)."""
    out: list[Expression] = []
    for e in exprs:
        prev = out[-1] if out else None
        if prev is not None and _joins_duration(text, prev, e):
            ratio = _DURATION_ORDER[prev.unit] // _DURATION_ORDER[e.unit]
            value = Decimal(str(prev.value)) * ratio + Decimal(str(e.value))
            out[-1] = Expression(start=prev.start, end=e.end, text=text[prev.start:e.end], label="QT",
                                 value=int(value) if value == value.to_integral_value() else float(value),
                                 unit=e.unit, approx=prev.approx or e.approx, kind="duration")
            continue
        out.append(e)
    return out
