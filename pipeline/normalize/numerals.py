"""Korean numbers: reading them in text (Arabic, mixed, Sino-Korean, native), parsing and rendering."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from .lexicon import _is_hangul, _lex

_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?")


@dataclass(frozen=True)  # _scan_number's results are cached and shared: nobody may change one
class _Num:
    end: int
    value: Decimal | None
    arabic: bool
    has_small: bool
    has_big: bool
    vague: bool
    nchars: int


# Larger than every big unit (경 = 10^16): the first one read is always allowed. Computed once,
# not on each of the tens of thousands of calls per corpus.
_ABOVE_EVERY_BIG_UNIT = Decimal(10) ** 20


# Cached: the QT and period recognizers (and find_expressions' start test) read the number at
# the same start of the same text. The returned _Num is shared, and callers only read it.
@lru_cache(maxsize=256)
def _scan_number(text: str, i: int, greedy: bool = False) -> _Num | None:
    """Read a number at i: Arabic digits (1,234.5), digit + 만/억/조 mixes (3조5천억, 3조 5000억)
    and Sino-Korean numerals (이천칠백삼십오만). Greedy mode (whole text is the number) also takes
    a final lone Sino digit after a big unit (만이 = 10002)."""
    sino = _lex().sino
    n = len(text)
    j = i
    vague = False
    if j < n and text[j] in sino and sino[text[j]][1] == "vague":
        if j + 1 < n and sino.get(text[j + 1], (0, ""))[1] in ("small", "big"):
            vague = True
            j += 1
        elif text[j] == "몇":
            return _Num(j + 1, None, False, False, False, True, 1)
        else:
            return None
    total = Decimal(0)
    group = Decimal(0)
    cur: Decimal | None = None
    last_small = 10 ** 5
    last_big = _ABOVE_EVERY_BIG_UNIT
    arabic = has_small = has_big = False
    prev_kind = ""
    good: _Num | None = None
    pending_space = False
    while j < n:
        c = text[j]
        if "0" <= c <= "9":
            if cur is not None or prev_kind in ("digit", "arabic"):
                break
            m = _ARABIC.match(text, j)
            if j == i and c == "0" and m.end() > j + 1 and text[j + 1].isdigit():
                return None  # 044, 02-...: codes, not quantities
            cur = Decimal(m.group().replace(",", ""))
            j = m.end()
            arabic = True
            prev_kind = "arabic"
        else:
            e = sino.get(c)
            if e is None:
                break
            val, kind = e
            if kind == "digit":
                if cur is not None:
                    break
                nxt = sino.get(text[j + 1]) if j + 1 < n else None
                if not (nxt and nxt[1] in ("small", "big")):
                    if arabic or not (greedy or prev_kind == "small"):
                        break
                cur = val
                j += 1
                prev_kind = "digit"
            elif kind == "small":
                if val >= last_small or (cur is not None and prev_kind == "arabic" and cur != cur.to_integral_value()):
                    break
                group += (cur if cur is not None else 1) * val
                cur = None
                last_small = val
                has_small = True
                j += 1
                prev_kind = "small"
            elif kind == "big":
                if val >= last_big:
                    break
                if c == "경" and not greedy and j + 1 < n and _is_hangul(text[j + 1]):
                    break  # 8경기, 16시경: 경 as 10^16 only at a word end
                g = group + (cur if cur is not None else 0)
                if group == 0 and cur is None:
                    g = Decimal(1)
                total += g * val
                group = Decimal(0)
                cur = None
                last_small = 10 ** 5
                last_big = val
                has_big = True
                j += 1
                prev_kind = "big"
                pending_space = False
            else:
                break
        if not pending_space:
            good = _Num(j, total + group + (cur if cur is not None else 0), arabic, has_small, has_big, vague, j - i)
        if prev_kind in ("big", "small") and j + 1 < n and text[j] == " " and text[j + 1].isdigit() \
                and (prev_kind == "big" or has_big or not pending_space):
            j += 1
            pending_space = True
    if pending_space and prev_kind == "arabic" and cur is not None and cur < 10000 and has_big \
            and cur == cur.to_integral_value() and j < n and not text[j].isdigit() and text[j] not in sino:
        good = _Num(j, total + group + cur, arabic, has_small, has_big, vague, j - i)  # 12만 5000명
    if good is None or good.end == i:
        return None
    return replace(good, value=None) if vague else good


def parse_korean_number(text: str) -> int | float | None:
    """The value of a whole string that is one number (2031만, 3조5천억, 이천칠백삼십오만, 1,234.5)."""
    s = text.strip()
    if not s:
        return None
    num = _scan_number(s, 0, greedy=True)
    if num is None or num.end != len(s) or num.value is None:
        return None
    return _py(num.value)


def _py(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    if v == v.to_integral_value():
        return int(v)
    return float(v)


_SINO_DIGITS = "영일이삼사오육칠팔구"


def render_korean_number(n: int, style: str = "digits") -> str:
    """Korean rendering of a non-negative integer.

    style ``digits``: Arabic groups with 만/억/조/경 (20310000 -> 2031만, 3500000000000 -> 3조5000억);
    ``mixed``: groups written with 천/백/십 (3조5천억); ``hangul``: pure Sino-Korean (이천삼십일만)."""
    if n < 0:
        raise ValueError("negative numbers are not rendered")
    if n == 0:
        return "영" if style == "hangul" else "0"
    bigs = ["", "만", "억", "조", "경"]
    parts = []
    k = 0
    while n:
        n, g = divmod(n, 10000)
        if g:
            if k >= len(bigs):
                raise ValueError("number too large")
            parts.append(_render_group(g, style) + bigs[k])
        k += 1
    return "".join(reversed(parts))


def _render_group(g: int, style: str) -> str:
    if style == "digits":
        return str(g)
    out = []
    for unit, name in ((1000, "천"), (100, "백"), (10, "십")):
        d, g = divmod(g, unit)
        if d:
            if style == "hangul":
                out.append(("" if d == 1 else _SINO_DIGITS[d]) + name)
            else:
                out.append(("" if d == 1 else str(d)) + name)
    if g:
        out.append(_SINO_DIGITS[g] if style == "hangul" else str(g))
    return "".join(out)


def _native_at(text: str, i: int):
    m = _lex().native_re.match(text, i)
    if not m:
        return None
    lex = _lex()
    if m.group("ord"):
        return m.end(), lex.native_ord[m.group("ord")], "ord"
    if m.group("first"):
        return m.end(), 1, "first"
    if m.group("tens"):
        return m.end(), lex.native_tens[m.group("tens")] + (lex.native_units[m.group("u1")] if m.group("u1") else 0), "num"
    return m.end(), lex.native_units[m.group("u2")], "num"


def _last_big(text: str, num: _Num) -> Decimal | None:
    c = text[num.end - 1]
    e = _lex().sino.get(c)
    if e and e[1] == "big":
        return e[0]
    return None
