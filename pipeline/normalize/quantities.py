"""QT: counted quantities, money, percentages, fractions, ranges, ordinals, hedges and ratios."""
from __future__ import annotations

import re
from decimal import Decimal

from .lexicon import TILDE, _is_latin, _lex
from .numerals import _last_big, _native_at, _py, _scan_number, parse_korean_number
from .spans import _ok_after, _post_hedge, _space
from .types import Context, Expression


def recognise_quantity(text: str, i: int, ctx: Context) -> list[dict] | None:
    """Numbers with or without a counter, money, percentages, fractions, ranges, ordinals, hedges."""
    lex = _lex()
    j = i
    approx = False
    m = lex.pre_hedge_re.match(text, j)
    if m:
        approx = True
        j = m.end()
    sym_unit = ""
    m = lex.symbol_re.match(text, j)
    if m:
        sym_unit = lex.symbols[m.group().strip()]
        j = m.end()
    ordinal_je = False
    if text.startswith("제", j) and not approx and not sym_unit:
        jj = _space(text, j + 1)
        if jj < len(text) and text[jj].isdigit():
            ordinal_je = True
            j = jj
    fm = lex.hangul_fraction_re.match(text, j)
    if fm and not sym_unit and not ordinal_je:
        den, nom = parse_korean_number(fm.group(1)), parse_korean_number(fm.group(2))
        if den and nom is not None and _ok_after(text, fm.end()):
            return [dict(start=i, end=fm.end(), label="QT", value=_py(Decimal(nom) / Decimal(den)), kind="fraction",
                         approx=approx)]
    num = _scan_number(text, j)
    native = None
    if num is None:
        if sym_unit or ordinal_je:
            return None
        native = _native_at(text, j)
        if native is None:
            return None
        return _qt_native(text, i, native, approx)
    value = num.value
    k = num.end
    vmin = vmax = None
    # pure Hangul numerals need a unit char; bare ones need more (checked after the counter)
    hangul_only = not num.arabic
    if num.vague:
        approx = True
    # fraction: 4분의 3, 사분의 삼
    if text.startswith("분의", k):
        k2 = _space(text, k + 2)
        num2 = _scan_number(text, k2, greedy=False) or (_scan_number(text, k2, greedy=True) if text[k2:k2 + 1] in lex.sino else None)
        if num2 and num2.value is not None and value:
            end = num2.end
            if not _ok_after(text, end):
                return None
            return [dict(start=i, end=end, label="QT", value=_py(num2.value / value), kind="fraction", approx=approx)]
    # 여 between the number and the counter (800여 명, 3만여 명)
    m = lex.mid_hedge_re.match(text, k)
    if m and value is not None:
        approx = True
        k = m.end()
    # range: 20~40대, 3~4배, 1~2만 명, 5 ~ 7개
    kt = _space(text, k)
    if kt < len(text) and text[kt] in TILDE:
        k2 = _space(text, kt + 1)
        num2 = _scan_number(text, k2)
        if num2 and num2.value is not None and value is not None:
            lo, hi = value, num2.value
            if not num.has_big and num2.has_big:
                big = _last_big(text, num2)
                if big and lo * big <= hi:
                    lo = lo * big
            if lo <= hi:
                vmin, vmax = lo, hi
                value = lo
                k = num2.end
                hangul_only = hangul_only and not num2.arabic
                m = lex.mid_hedge_re.match(text, k)
                if m:
                    approx = True
                    k = m.end()
    # counter (glued or after one space)
    unit = sym_unit
    kind = "money" if sym_unit else ""
    cm = None
    if not sym_unit:
        for jj in ((k, k + 1) if k < len(text) and text[k] in " \u00a0" else (k,)):
            cm = lex.counter_re.match(text, jj)
            if cm:
                break
        if cm:
            row = lex.counters[cm.group()]
            latin = _is_latin(cm.group()[-1])
            end_c = cm.end()
            if _is_latin(cm.group()[0]) and cm.start() != k and len(cm.group()) < 2:
                cm = None  # "3 m", "5 t": too ambiguous with a space; km, kg may be spaced
            elif latin and end_c < len(text) and (_is_latin(text[end_c]) or text[end_c].isdigit()
                                                  or (text[end_c] == "/" and end_c + 1 < len(text) and _is_latin(text[end_c + 1]))):
                cm = None
            elif not _ok_after(text, end_c) and not lex.mid_hedge_re.match(text, end_c):
                cm = None
            elif row["canonical"] in ("시간", "분", "초") and cm.start() != k:
                cm = None  # 3 분 ... : keep measured time glued
            if cm:
                # range with the counter on both sides: 3명~5명
                e = cm.end()
                if vmin is None and e < len(text) and text[e] in TILDE:
                    k2 = _space(text, e + 1)
                    num2 = _scan_number(text, k2)
                    if num2 and num2.value is not None and text.startswith(cm.group(), num2.end) and value is not None \
                            and value <= num2.value and _ok_after(text, num2.end + len(cm.group())):
                        vmin, vmax = value, num2.value
                        e = num2.end + len(cm.group())
                unit = row["canonical"]
                kind = row["kind"]
                k = e
    if num.vague and not unit:
        return None
    if unit == "" and not sym_unit:
        # a bare number: no date/time unit glued after it, and a plausible whole word
        if hangul_only and not (num.has_big and (num.has_small or num.nchars >= 3)):
            return None
        if text.startswith(tuple(lex.units), k) and not _ok_after(text, k):
            return None
        if ordinal_je:
            return None
        if i >= 2 and text[i - 1] == " " and _is_latin(text[i - 2]):
            return None  # FC 1909, iPhone 15, Windows 11: a number after a Latin name is part of it
    elif hangul_only and not sym_unit and not num.vague:
        if not (num.has_small or num.has_big):
            return None
        if num.nchars == 1 and (cm is None or cm.start() == num.end):
            return None  # 천명(闡明), 만원 ... : a one-character numeral needs a space before its counter
    if sym_unit:
        if not _ok_after(text, k) and not text.startswith(tuple(lex.mid_hedges), k):
            return None
    m = lex.mid_hedge_re.match(text, k)
    if m and unit and _ok_after(text, m.end()):
        approx = True
        k = m.end()
    if unit and unit != "대" and text.startswith("대", k) and _ok_after(text, k + 1):
        approx = True  # 10%대, 1억원대: a band starting at the value
        k += 1
    k2 = _post_hedge(text, k, False)
    if k2 != k:
        approx = True
        k = k2
    if not _ok_after(text, k):
        return None
    if ordinal_je:
        kind = "ordinal"
    if not kind:
        kind = "number"
    if "위권" in text[i:k]:
        approx = True  # 10위권: within the top ten, a rank band
    return [dict(start=i, end=k, label="QT", value=_py(value), unit=unit, kind=kind, approx=approx,
                 value_min=_py(vmin), value_max=_py(vmax))]


def _qt_native(text: str, i: int, native, approx: bool):
    lex = _lex()
    end, value, typ = native
    if typ == "ord":
        if not _ok_after(text, end):
            return None
        return [dict(start=i, end=end, label="QT", value=value, unit="째", kind="ordinal", approx=approx)]
    if end < len(text) and text[end] in " \u00a0":
        cm = lex.counter_re.match(text, end + 1)
    else:
        cm = lex.counter_re.match(text, end)
        if cm and cm.group() not in ("번째", "째"):
            cm = None
    if not cm:
        return None
    row = lex.counters[cm.group()]
    if row["native"] != "y":
        return None
    if typ == "first" and row["canonical"] not in ("번째", "째"):
        return None
    k = cm.end()
    if not _ok_after(text, k):
        return None
    k2 = _post_hedge(text, k, False)
    if k2 != k:
        approx = True
        k = k2
    return [dict(start=i, end=k, label="QT", value=value, unit=row["canonical"], kind=row["kind"], approx=approx)]


_RATIO_JOIN = re.compile(r"[ ]?(?:중|가운데)[ ]?$")


def _merge_ratios(text: str, exprs: list[Expression]) -> list[Expression]:
    """``10명 중 7명``: a part of a whole counted in the same unit is one ratio (value 0.7, no unit)."""
    merged: list[Expression] = []
    for expr in exprs:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.label == expr.label == "QT" and prev.unit and prev.unit == expr.unit
                and prev.value and expr.value is not None and _RATIO_JOIN.search(text[prev.end:expr.start])
                and len(text[prev.end:expr.start]) <= 5):
            value = expr.value / prev.value
            merged[-1] = Expression(start=prev.start, end=expr.end, text=text[prev.start:expr.end], label="QT",
                                    value=int(value) if float(value).is_integer() else round(value, 6),
                                    unit="", approx=prev.approx or expr.approx, kind="ratio")
            continue
        merged.append(expr)
    return merged
