"""What recognise_quantity() (quantities.py) reads besides a number and its counter: the state of a quantity
being read (_Qt); the special forms tried first (race times, powers, slash and Hangul fractions, spelled decimals,
native ratios, ranks and halves in words, digit groups); and a model number after a name (no amount)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .lexicon import _is_hangul, _lex
from .numerals import _Num, _py, _scan_number, parse_korean_number
from .spans import _ok_after, _post_hedge, _space


@dataclass(slots=True)
class _Qt:
    """A quantity being read: where it starts (i), how far it has been read (k), and what it said."""

    i: int
    j: int = 0
    k: int = 0
    approx: bool = False
    sym_unit: str = ""
    ordinal_je: bool = False
    num: _Num | None = None
    value: Decimal | None = None
    vmin: Decimal | None = None
    vmax: Decimal | None = None
    hangul_only: bool = False
    unit: str = ""
    kind: str = ""
    cm: re.Match | None = None
    negative: bool = False


_RACE_TIME = re.compile(r"(?:(\d{1,2})분[ ]?)?(\d{1,2})초(\d{2,3})(?![\d.])")


def _race_time(text: str, i: int) -> list[dict] | None:
    """A race time written with hundredths (3분03초76, 9초58): one measured duration in seconds."""
    m = _RACE_TIME.match(text, i)
    if not m or not _ok_after(text, m.end()):
        return None
    secs = Decimal(m.group(2)) + Decimal(m.group(3)) / Decimal(10) ** len(m.group(3))
    if m.group(1):
        secs += 60 * int(m.group(1))
    return [dict(start=i, end=m.end(), label="QT", value=_py(secs), unit="초", kind="duration", approx=False)]


def _name_before(text: str, i: int) -> bool:
    """A name written right before a bare number (새턴 5, 팰컨 9, 국방개혁 2.0): a model or version number."""
    if i < 2 or text[i - 1] != " " or not _is_hangul(text[i - 2]):
        return False
    k = i - 2
    while k > 0 and _is_hangul(text[k - 1]):
        k -= 1
    word = text[k:i - 1]
    lex = _lex()
    if word in lex.scale_words or word[-1] in _JOSA_END or word.endswith(("다", "고", "며", "면", "서", "지", "당", "한", "된", "인", "던", "할", "될", "해", "게")):
        return False
    return word not in lex.rel and word not in lex.prefixes


_DIGITS = re.compile(r"\d+")
# The first letters of the native tens (스물 ... 아흔, not 열: 백열등) and of 다섯 ... 아홉 after a Sino hundred
_NATIVE_AFTER_HUNDRED = frozenset("스서마쉰예일여아다")
# What _slash_fraction() and _power() can read, tested once at a digit: 2 1/4, 4/5, 1e10, 1.1^23
_DIGIT_SPECIAL = re.compile(r"\d{1,3}[ ]{1,2}\d{1,3}/|\d+(?:\.\d+)?[/eE^]")
_SPELLED_FIRST = frozenset("일이삼사오육칠팔구십백천")
_JOSA_END = frozenset("은는이가을를에의도와과로만께엔")

# 1e10, -127.32e13, 1.1^23, 2.5^-1: scientific and power notation (a doubled minus in the exponent cancels)
_POWER = re.compile(r"(\d+(?:\.\d+)?)(?:[eE]([-+]?\d{1,3})|\^(-{0,2}\d+(?:\.\d+)?))(?![\dA-Za-z.^])")


def _power(text: str, q: _Qt) -> list[dict] | None:
    m = _POWER.match(text, q.j)
    if m is None or not _ok_after(text, m.end()):
        return None
    exp = m.group(2) if m.group(2) is not None else m.group(3)
    if exp.startswith("--"):
        exp = exp[2:]
    try:
        v = Decimal(m.group(1)) * Decimal(10) ** int(exp) if m.group(2) is not None else \
            Decimal(str(float(m.group(1)) ** float(exp)))
    except (ArithmeticError, OverflowError, ValueError):
        return None
    if q.negative:
        v = -v
    return [dict(start=q.i, end=m.end(), label="QT", value=_py(v), kind="number", approx=q.approx)]


# 2 1/4, -1 4/5: a whole number and a slash fraction below one (a date has no whole number before it); -4/5: a
# signed slash pair is a fraction (a date has no sign). Not before 분기 (2 1/4분기: a quarter).
_MIXED_SLASH = re.compile(r"(?:(\d{1,2})[ ]{1,2})?(\d{1,3})/(\d{1,3})(?![\d/.])(?![ ]?분기)")


def _slash_fraction(text: str, q: _Qt) -> list[dict] | None:
    m = _MIXED_SLASH.match(text, q.j)
    if m is None or not (m.group(1) or q.negative and text[q.i] in "-−") or not _ok_after(text, m.end()):
        return None
    num, den = int(m.group(2)), int(m.group(3))
    if not den or (m.group(1) and num >= den):
        return None
    v = Decimal(m.group(1) or 0) + Decimal(num) / Decimal(den)
    return [dict(start=q.i, end=m.end(), label="QT", value=_py(-v if q.negative else v), kind="fraction",
                 approx=q.approx)]


# 1 234 567, 1\u202f234\u202f567.89, 40 000: digits grouped by thin or no-break spaces (SI style), or by plain
# spaces when there are at least two groups or the one group is 000 (no count is written 000 on its own)
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:([ \u202f\u00a0])\d{3}(?![\d,]))+(?:\.\d+)?")


def _space_grouped(text: str, j: int, num: _Num) -> _Num:
    m = _SPACE_GROUPED.match(text, j)
    if m is None or m.end() <= num.end:
        return num
    body = m.group()
    groups = re.split(r"[ \u202f\u00a0]", body)
    if " " in body and len(groups) == 2 and not groups[1].startswith("000"):
        return num
    return _Num(m.end(), Decimal(re.sub(r"[ \u202f\u00a0]", "", body)), True, False, False, False, m.end() - j)


_DIGIT_SYLLABLES = {"영": "0", "공": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5", "육": "6", "칠": "7",
                    "팔": "8", "구": "9"}
_COPULA_AFTER_I = re.compile(r"[다며고라었여]|입니")


def _trim_copula(text: str, num: _Num) -> _Num | None:
    """구천오백이다: the last 이 of a spelled-out number before 다 (입니다, 이며 ...) is the copula, not 2."""
    if num.nchars >= 2 and text[num.end - 1] == "이" and _COPULA_AFTER_I.match(text, num.end):
        v = parse_korean_number(text[num.end - num.nchars:num.end - 1])
        return None if v is None else _Num(num.end - 1, Decimal(v), False, num.has_small, num.has_big, False,
                                           num.nchars - 1)
    return num


def _spelled_decimal(text: str, q: _Qt, num: _Num) -> list[dict] | None:
    """이백점 칠일, 오점 오, 삼점사: a spelled-out number, 점 and digit syllables (200.71)."""
    k = num.end + 1
    if text[k:k + 1] == " ":
        k += 1
    e = k
    while e < len(text) and text[e] in _DIGIT_SYLLABLES:
        e += 1
    if e > k + 1 and text[e - 1] == "이" and _COPULA_AFTER_I.match(text, e):
        e -= 1  # 칠일이다: the copula
    if e == k or not (_ok_after(text, e) or text.startswith("점", e)):
        return None
    base = Decimal(parse_korean_number(text[num.end - num.nchars:num.end]) or 0) if num.value is None else num.value
    v = Decimal(f"{int(base)}.{''.join(_DIGIT_SYLLABLES[c] for c in text[k:e])}")
    return [dict(start=q.i, end=e, label="QT", value=_py(-v if q.negative else v), kind="number", approx=q.approx)]


_NATIVE_WHOLE = {"셋": 3, "넷": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10}
_NATIVE_PART = {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "넷": 4, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7,
                "여덟": 8, "아홉": 9}
_NATIVE_RATIO = re.compile(rf"({'|'.join(_NATIVE_WHOLE)})[ ]?(?:중|가운데)[ ]?"
                           rf"({'|'.join(sorted(_NATIVE_PART, key=len, reverse=True))})(?:[ ]?(명|곳|개))?")
_NATIVE_RATIO_FIRST = frozenset(w[0] for w in _NATIVE_WHOLE)


def _native_ratio(text: str, q: _Qt) -> list[dict] | None:
    """셋 중 하나, 열 가운데 일곱, 넷 중 한 명: a part of a small whole counted in native words (a ratio, 1/3); not
    둘 중 하나 (either one: an idiom more often than a proportion)."""
    m = _NATIVE_RATIO.match(text, q.j)
    if m is None or (m.group(2) in ("한", "두", "세", "네") and not m.group(3)) or not _ok_after(text, m.end()):
        return None
    whole, part = _NATIVE_WHOLE[m.group(1)], _NATIVE_PART[m.group(2)]
    if part >= whole:
        return None
    v = round(part / whole, 6)
    return [dict(start=q.i, end=m.end(), label="QT", value=int(v) if v.is_integer() else v, unit="", kind="ratio",
                 approx=q.approx)]


def _rank_or_half(text: str, q: _Qt) -> list[dict] | None:
    """이등으로 들어온다 (rank 2, unit 등), 반 이상이 (0.5, approx as the hedge says)."""
    lex = _lex()
    m = lex.hangul_rank_re.match(text, q.j)
    if m is not None:
        return [dict(start=q.i, end=m.end(), label="QT", value=int(_DIGIT_SYLLABLES[m.group(1)]), unit="등",
                     kind="rank", approx=q.approx)]
    m = lex.half_re.match(text, q.j)
    if m is not None and (q.j == 0 or not _is_hangul(text[q.j - 1])):
        end = _post_hedge(text, m.end(), False)
        return [dict(start=q.i, end=end, label="QT", value=0.5, unit="", kind="fraction",
                     approx=q.approx or end != m.end())]
    return None


_SPELLED_AND = re.compile(r"([일이삼사오육칠팔구십백천]+)[과와][ ]")


def _spelled_mixed_fraction(text: str, q: _Qt) -> list[dict] | None:
    """일과 사분의 일, 삼과 오분의 일: a spelled-out whole number and a fraction (1.25, 3.2)."""
    m = _SPELLED_AND.match(text, q.j)
    if m is None:
        return None
    whole = parse_korean_number(m.group(1))
    frac = _hangul_fraction(text, _Qt(m.end(), j=m.end()))
    if whole is None or not frac:
        return None
    v = Decimal(whole) + Decimal(str(frac[0]["value"]))
    return [dict(start=q.i, end=frac[0]["end"], label="QT", value=_py(-v if q.negative else v), kind="fraction",
                 approx=q.approx)]


def _hangul_fraction(text: str, q: _Qt) -> list[dict] | None:
    """A fraction in Sino-Korean numerals (사분의 삼)."""
    fm = _lex().hangul_fraction_re.match(text, q.j)
    if fm:
        den, nom, end = parse_korean_number(fm.group(1)), parse_korean_number(fm.group(2)), fm.end()
        if len(fm.group(2)) == 2 and fm.group(2).endswith("만"):
            nom, end = parse_korean_number(fm.group(2)[0]), end - 1  # 오분의 일만을, 사분의 일만큼: 만 is "only"
        elif fm.group(2).endswith("조") and text.startswith("각", end):
            nom, end = parse_korean_number(fm.group(2)[:-1]), end - 1  # 팔분의 일조각: a piece, not a trillion
        if fm.group(1) == "이" and text[fm.end(1)] == " ":
            return None  # 이 분의 일: this person's work
        if den and nom is not None and (_ok_after(text, end) or text.startswith("조각", end)):
            v = Decimal(nom) / Decimal(den)
            return [dict(start=q.i, end=end, label="QT", value=_py(-v if q.negative else v), kind="fraction",
                         approx=q.approx)]
    return None


_AND = re.compile(r"[과와][ ]")


def _mixed_fraction(text: str, q: _Qt) -> list[dict] | None:
    """일과 사분의 일, 이십삼과 오분의 삼: a whole number and a fraction (1.25, 23.6)."""
    m = _AND.match(text, q.k)
    if m is None or q.value is None:
        return None
    fm = _lex().hangul_fraction_re.match(text, m.end())
    if not fm:
        return None
    frac = _hangul_fraction(text, _Qt(fm.start(), j=fm.start()))
    if not frac:
        return None
    v = q.value + Decimal(str(frac[0]["value"]))
    return [dict(start=q.i, end=frac[0]["end"], label="QT", value=_py(-v if q.negative else v), kind="fraction",
                 approx=q.approx)]


def _digit_fraction(text: str, q: _Qt) -> tuple[bool, list[dict] | None]:
    """A fraction after a number (4분의 3, 4분의 삼): (whether to stop here, the result)."""
    k2 = _space(text, q.k + 2)
    num2 = _scan_number(text, k2, greedy=False) or (
        _scan_number(text, k2, greedy=True) if text[k2:k2 + 1] in _lex().sino else None)
    if num2 and num2.value is not None and num2.has_big and (
            text[num2.end - 1] == "조" and text.startswith("각", num2.end)  # 3분의 1조각: a piece, not a trillion
            or text[num2.end - 1] == "만" and num2.nchars == 2 and text[k2] in _lex().sino):  # 3분의 일만: "only"
        num2 = _scan_number(text[:num2.end - 1], k2, greedy=True)
    if num2 and num2.value is not None and q.value:
        if not _ok_after(text, num2.end) and not text.startswith("조각", num2.end):
            return True, None
        return True, [dict(start=q.i, end=num2.end, label="QT", value=_py(num2.value / q.value), kind="fraction",
                           approx=q.approx)]
    return False, None
