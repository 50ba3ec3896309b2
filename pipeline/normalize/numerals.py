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


_HUNDRED_MILLION = Decimal(10) ** 8
_TEN_THOUSAND = Decimal(10) ** 4

_SMALL_GROUP_AFTER = re.compile(r" \d+[천백십]")

_CODE = object()  # _NumReader's verdict on 044, 02-...: codes, not quantities


class _NumReader:
    """The state of _scan_number() while it reads one number, one step per Arabic run or Sino character."""

    __slots__ = ("text", "i", "n", "j", "greedy", "sino", "vague", "total", "group", "cur", "last_small",
                 "last_big", "arabic", "has_small", "has_big", "prev_kind", "pending_space")

    def __init__(self, text: str, i: int, greedy: bool, sino: dict):
        self.text, self.i, self.n, self.j, self.greedy, self.sino = text, i, len(text), i, greedy, sino
        self.vague = False
        self.total = Decimal(0)
        self.group = Decimal(0)
        self.cur: Decimal | None = None
        self.last_small = 10 ** 5
        self.last_big = _ABOVE_EVERY_BIG_UNIT
        self.arabic = self.has_small = self.has_big = False
        self.prev_kind = ""
        self.pending_space = False

    def num(self, value: Decimal) -> _Num:
        return _Num(self.j, value, self.arabic, self.has_small, self.has_big, self.vague, self.j - self.i)

    def step(self):
        """Read what starts at j: True when read, False when the number ends before it, _CODE for a code."""
        c = self.text[self.j]
        if "0" <= c <= "9":
            return self.arabic_run(c)
        e = self.sino.get(c)
        if e is None:
            return False
        val, kind = e
        if kind == "digit":
            return self.sino_digit(val)
        if kind == "small":
            return self.small_unit(val)
        if kind == "big":
            return self.big_unit(c, val)
        return False

    def arabic_run(self, c: str):
        """Arabic digits (1,234.5), not right after another digit."""
        text, j = self.text, self.j
        if self.cur is not None or self.prev_kind in ("digit", "arabic"):
            return False
        m = _ARABIC.match(text, j)
        if j == self.i and c == "0" and m.end() > j + 1 and text[j + 1].isdigit():
            return _CODE
        self.cur = Decimal(m.group().replace(",", ""))
        self.j = m.end()
        self.arabic = True
        self.prev_kind = "arabic"
        return True

    def sino_digit(self, val: Decimal) -> bool:
        """A Sino-Korean digit (이, 삼 ...): before a unit, or after 십/백/천 (or anywhere in greedy mode)."""
        if self.cur is not None:
            return False
        j = self.j
        nxt = self.sino.get(self.text[j + 1]) if j + 1 < self.n else None
        if not (nxt and nxt[1] in ("small", "big")):
            if self.arabic or not (self.greedy or self.prev_kind == "small"):
                return False
        self.cur = val
        self.j += 1
        self.prev_kind = "digit"
        return True

    def small_unit(self, val: Decimal) -> bool:
        """십, 백, 천: each smaller than the one before, not after a decimal fraction."""
        cur = self.cur
        if val >= self.last_small or (cur is not None and self.prev_kind == "arabic" and cur != cur.to_integral_value()
                                      and (cur * val) != (cur * val).to_integral_value()):
            return False  # 2.12백 = 212, 2.5천만; not 2.125백
        self.group += (cur if cur is not None else 1) * val
        self.cur = None
        self.last_small = val
        self.has_small = True
        self.j += 1
        self.prev_kind = "small"
        self.pending_space = False  # 4천 3백: the spaced group went on with a smaller unit
        return True

    def big_unit(self, c: str, val: Decimal) -> bool:
        """만, 억, 조, 경: each smaller than the one before; 경 only at a word end."""
        if val >= self.last_big:
            return False
        j = self.j
        if c == "경" and not self.greedy and j + 1 < self.n and _is_hangul(self.text[j + 1]):
            return False  # 8경기, 16시경: 경 as 10^16 only at a word end
        g = self.group + (self.cur if self.cur is not None else 0)
        if self.group == 0 and self.cur is None:
            g = Decimal(1)
        self.total += g * val
        self.group = Decimal(0)
        self.cur = None
        self.last_small = 10 ** 5
        self.last_big = val
        self.has_big = True
        self.j += 1
        self.prev_kind = "big"
        self.pending_space = False
        return True

    def skip_space_before_digits(self) -> None:
        """3조 5000억, 12만 5000명: one space between a unit and the digits that continue the number."""
        text, j = self.text, self.j
        if self.prev_kind == "big" and j == self.i + 1 and not _SMALL_GROUP_AFTER.match(text, j):
            return  # 만 18세, (4136명)만 4급: a bare 만 before digits is 'full' or 'only' (but 만 6천 is 16,000)
        if self.prev_kind in ("big", "small") and j + 1 < self.n and text[j] == " " and text[j + 1].isdigit() \
                and (self.prev_kind == "big" or self.has_big or not self.pending_space):
            self.j += 1
            self.pending_space = True

    def clipped_last_group(self) -> _Num | None:
        """26억7천 유로, 3억5천: after 억 or 조, a last group written with 천 or 백 and nothing below it
        counts in the next lower big unit (26억7천 = 26억 7천만 = 2,670,000,000, as news write it); None
        otherwise. Only in text (not greedy): a whole string such as 일억천 reads digit by digit."""
        if self.greedy or self.prev_kind != "small" or self.cur is not None or self.group <= 0:
            return None
        if self.pending_space and self.last_big == _TEN_THOUSAND:
            return self.num(self.total + self.group)  # 47만 3천원: the spaced last group below 만
        if self.last_small not in (100, 1000) or not (_HUNDRED_MILLION <= self.last_big < _ABOVE_EVERY_BIG_UNIT):
            return None
        return self.num(self.total + self.group * self.last_big / _TEN_THOUSAND)

    def spaced_last_group(self) -> _Num | None:
        """12만 5000명: digits below 10,000 after a spaced big unit end the number; None otherwise."""
        cur, j, text = self.cur, self.j, self.text
        if self.pending_space and self.prev_kind == "arabic" and cur is not None and cur < 10000 and self.has_big \
                and cur == cur.to_integral_value() and j < self.n and not text[j].isdigit() and text[j] not in self.sino:
            return self.num(self.total + self.group + cur)
        return None


# Cached: the QT and period recognisers (and find_expressions' start test) read the number at
# the same start of the same text. The returned _Num is shared, and callers only read it.
@lru_cache(maxsize=256)
def _scan_number(text: str, i: int, greedy: bool = False) -> _Num | None:
    """Read a number at i: Arabic digits (1,234.5), digit + 만/억/조 mixes (3조5천억, 3조 5000억)
    and Sino-Korean numerals (이천칠백삼십오만). Greedy mode (whole text is the number) also takes
    a final lone Sino digit after a big unit (만이 = 10002)."""
    sino = _lex().sino
    r = _NumReader(text, i, greedy, sino)
    if i < r.n and text[i] in sino and sino[text[i]][1] == "vague":
        if i + 1 < r.n and sino.get(text[i + 1], (0, ""))[1] in ("small", "big"):
            r.vague = True  # 수십, 수백만: a vague count of the unit
            r.j += 1
        elif text[i] == "몇":
            return _Num(i + 1, None, False, False, False, True, 1)
        else:
            return None
    good: _Num | None = None
    while r.j < r.n:
        read = r.step()
        if read is _CODE:
            return None
        if not read:
            break
        if not r.pending_space:
            good = r.num(r.total + r.group + (r.cur if r.cur is not None else 0))
        r.skip_space_before_digits()
    good = r.spaced_last_group() or r.clipped_last_group() or good
    if good is None or good.end == i:
        return None
    return replace(good, value=None) if r.vague else good


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


_NATIVE_UNIT_SPACED = re.compile(r"(?:다섯|여섯|일곱|여덟|아홉|하나|한|둘|두|셋|세|석|넷|네|넉)(?=[ ]?(?:번째|째|살|명|개|마리|번|가지|곳|시간|해|달))")


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
        if not m.group("u1") and m.group("tens") != "열" and text[m.end():m.end() + 1] == " ":
            u = _NATIVE_UNIT_SPACED.match(text, m.end() + 1)
            if u:  # 스물 다섯 번째, 서른 세 살: tens and units written apart (not 열: 문을 열 두 사람)
                return u.end(), lex.native_tens[m.group("tens")] + lex.native_units[u.group()], "num"
        return m.end(), lex.native_tens[m.group("tens")] + (lex.native_units[m.group("u1")] if m.group("u1") else 0), "num"
    return m.end(), lex.native_units[m.group("u2")], "num"


def _last_big(text: str, num: _Num) -> Decimal | None:
    c = text[num.end - 1]
    e = _lex().sino.get(c)
    if e and e[1] == "big":
        return e[0]
    return None
