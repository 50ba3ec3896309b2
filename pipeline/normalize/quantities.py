"""QT: counted quantities, money, percentages, fractions, ranges, ordinals, hedges and ratios."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from .lexicon import TILDE, _is_hangul, _is_latin, _lex
from .numerals import _last_big, _native_at, _Num, _py, _scan_number, parse_korean_number
from .spans import _ok_after, _post_hedge, _space, _starts_named_event
from .types import Context, Expression


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


def _law_article(text: str, i: int, q: "_Qt", num: _Num) -> bool:
    """무역확장법 232조, 헌법 제1조 1항: an article of a law or treaty (N조 after its name, or before N항), not trillions."""
    if not (num.arabic and text[num.end - 1] == "조"):
        return False
    cm = _counter_match(text, num.end)
    if cm is not None and _lex().counters[cm.group()]["kind"] == "money":
        return False  # 3조 원
    if q.ordinal_je or _ARTICLE_AFTER.match(text, num.end):
        return True
    before = text[max(0, i - 12):i].rstrip()
    return before.endswith(_lex().law_words) or before.endswith("제")  # 형법 제 60조


_ARTICLE_AFTER = re.compile(r"[ ]?(?:제[ ]?)?\d+항|의[ ]?\d")


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


def recognise_quantity(text: str, i: int, ctx: Context) -> list[dict] | None:
    """Numbers with or without a counter, money, percentages, fractions, ranges, ordinals, hedges."""
    if text[i].isdigit():
        race = _race_time(text, i)
        if race:
            return race
        q = _Qt(i, j=i)  # no sign, hedge, symbol, 제 or Hangul fraction starts with a digit
    else:
        q = _read_prefix(text, i)
        if not q.sym_unit and not q.ordinal_je:
            frac = _hangul_fraction(text, q)
            if frac is not None:
                return frac
    if not q.sym_unit and not q.ordinal_je:
        c = text[q.j] if q.j < len(text) else ""
        if c in "반일이삼사오육칠팔구" and not q.negative:
            word = _rank_or_half(text, q)
            if word is not None:
                return word
        special = ((_slash_fraction(text, q) or _power(text, q)) if _DIGIT_SPECIAL.match(text, q.j) else None) \
            if c.isdigit() else (_spelled_mixed_fraction(text, q) if c in _SPELLED_FIRST else
                                 _native_ratio(text, q) if c in _NATIVE_RATIO_FIRST else None)
        if special is not None:
            return special
    num = _scan_number(text, q.j)
    if num is None and q.negative and text[i] not in "-−":
        # 마이너스 일, 음수 오점 오: after a spelled-out sign a lone numeral syllable is a number
        num = _scan_number(text, q.j, greedy=True)
        if num is not None:
            num = _trim_copula(text, num)
    elif num is not None and not num.arabic and num.value is not None:
        num = _trim_copula(text, num)
    if num is not None and num.arabic and not num.has_big and not num.has_small:
        num = _space_grouped(text, q.j, num)
    if i == q.j and i > 0 and text[i - 1] == "." and text[i].isdigit() and (i == 1 or text[i - 2] in " \t\n("):
        m = _DIGITS.match(text, i)  # .25, .08: a decimal written without its leading zero (after a space or at the start)
        if num is None or num.arabic and not num.has_big and not num.has_small and num.end == m.end():
            num = _Num(m.end(), Decimal("0." + m.group()), True, False, False, False, m.end() - i + 1)
            i = q.i = i - 1
    if num is not None and not num.arabic and not q.sym_unit and text.startswith("점", num.end):
        dec = _spelled_decimal(text, q, num)
        if dec is not None:
            return dec
    if num is not None and not num.arabic and not num.has_big and num.value is not None and num.value % 100 == 0 \
            and num.value < 1000 and num.end < len(text) and text[num.end] in _NATIVE_AFTER_HUNDRED:
        nat = _native_at(text, num.end)  # 백스물다섯 번째, 백다섯 살: Sino hundreds and a native rest (125)
        if nat is not None and nat[2] == "num" and nat[1] >= 5:
            return _qt_native(text, i, (nat[0], int(num.value) + nat[1], "num"), q.approx)
    if num is None:
        if q.sym_unit or q.ordinal_je:
            return None
        native = _native_at(text, q.j)
        if native is None:
            return None
        return _qt_native(text, i, native, q.approx)
    if _law_article(text, i, q, num):
        return None
    q.num, q.value, q.k = num, num.value, num.end
    # pure Hangul numerals need a unit char; bare ones need more (checked after the counter)
    q.hangul_only = not num.arabic
    if num.vague:
        q.approx = True
    if text.startswith("분의", q.k):
        stop, frac = _digit_fraction(text, q)
        if stop:
            return frac
    mixed = _mixed_fraction(text, q)
    if mixed is not None:
        return mixed
    _read_mid_hedge_and_range(text, q)
    q.unit = q.sym_unit
    q.kind = "money" if q.sym_unit else ""
    if not q.sym_unit:
        _read_counter(text, q)
    if _implausible(text, q):
        return None
    _read_suffixes(text, q)
    if not _ok_after(text, q.k):
        return None
    if q.ordinal_je:
        q.kind = "ordinal"
    if not q.kind:
        q.kind = "number"
    if "위권" in text[i:q.k]:
        q.approx = True  # 10위권: within the top ten, a rank band
    if q.negative:
        if q.value is None or (num.arabic and q.vmin is None and text.startswith(("-", "−"), i) and _after_minus_is_range(text, i)):
            return None
        q.value = -q.value
        q.vmin, q.vmax = (-q.vmax, -q.vmin) if q.vmin is not None else (None, None)
    return [dict(start=i, end=q.k, label="QT", value=_py(q.value), unit=q.unit, kind=q.kind, approx=q.approx,
                 value_min=_py(q.vmin), value_max=_py(q.vmax))]


def _after_minus_is_range(text: str, i: int) -> bool:
    """``3 -5``: a minus after a number and a space is a dash between two numbers, not a sign."""
    k = i - 1
    while k >= 0 and text[k] == " ":
        k -= 1
    return k >= 0 and text[k].isdigit()


def _read_prefix(text: str, i: int) -> _Qt:
    """A hedge before the number (약, 최대), a currency symbol ($, ₩) or 제 before an ordinal."""
    lex = _lex()
    q = _Qt(i, j=i)
    m = lex.sign_re.match(text, q.j)
    if m:
        q.negative = True  # -3, 마이너스 3, 영하 16.4도
        q.j = m.end()
    m = lex.pre_hedge_re.match(text, q.j)
    if m:
        q.approx = True
        q.j = m.end()
    m = lex.symbol_re.match(text, q.j)
    if m:
        q.sym_unit = lex.symbols[m.group().strip()]
        q.j = m.end()
    if text.startswith("제", q.j) and not q.approx and not q.sym_unit:
        jj = _space(text, q.j + 1)
        if jj < len(text) and text[jj].isdigit():
            q.ordinal_je = True
            q.j = jj
    return q


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


_BIG_AFTER_HEDGE = "만억조"


def _read_big_after_hedge(text: str, q: _Qt, h: int, n: int) -> None:
    """1억5천여만원, 60여조 원, 5억2800여 만 원: 여 (and a space: n characters) between a number and its big unit;
    the number is read as if they were not there (1억5천만 = 150,000,000), then the counter as usual (one must
    follow)."""
    bare = text[q.i:h] + text[h + n:]
    num = _scan_number(bare, q.j - q.i)
    if num is None or num.value is None or num.end <= h - q.i or not _counter_match(text, num.end + q.i + n):
        return  # 10여 만에: without a counter after it, 만 is a word of its own ('after')
    q.num = replace(num, end=num.end + q.i + n)
    q.value, q.k = num.value, q.num.end


def _read_mid_hedge_and_range(text: str, q: _Qt) -> None:
    """여 between the number and the counter (800여 명, 3만여 명); a range (20~40대, 3~4배, 1~2만 명, 5 ~ 7개)."""
    lex = _lex()
    m = lex.mid_hedge_re.match(text, q.k)
    if m and q.value is not None:
        q.approx = True
        q.k = m.end()
        sp = 1 if text.startswith(" ", q.k) else 0
        if q.k + sp < len(text) and text[q.k + sp] in _BIG_AFTER_HEDGE:
            _read_big_after_hedge(text, q, m.start(), 1 + sp)
    kt = _space(text, q.k)
    if not (kt < len(text) and text[kt] in TILDE):
        return
    num2 = _scan_number(text, _space(text, kt + 1))
    if not (num2 and num2.value is not None and q.value is not None):
        return
    lo, hi = q.value, num2.value
    if not q.num.has_big and num2.has_big:
        big = _last_big(text, num2)
        if big and lo * big <= hi:
            lo = lo * big
    if lo <= hi:
        q.vmin, q.vmax = lo, hi
        q.value = lo
        q.k = num2.end
        q.hangul_only = q.hangul_only and not num2.arabic
        m = lex.mid_hedge_re.match(text, q.k)
        if m:
            q.approx = True
            q.k = m.end()


def _counter_match(text: str, k: int) -> re.Match | None:
    """A counter glued at k or after one space, unless its surroundings make it something else."""
    lex = _lex()
    cm = None
    for jj in ((k, k + 1) if k < len(text) and text[k] in " \u00a0" else (k,)):
        cm = lex.counter_re.match(text, jj)
        if cm:
            break
    if not cm:
        return None
    row = lex.counters[cm.group()]
    end_c = cm.end()
    if _is_latin(cm.group()[0]) and cm.start() != k and len(cm.group()) < 2:
        return None  # "3 m", "5 t": too ambiguous with a space; km, kg may be spaced
    if _is_latin(cm.group()[-1]) and end_c < len(text) and (
            _is_latin(text[end_c]) or text[end_c].isdigit()
            or (text[end_c] == "/" and end_c + 1 < len(text) and _is_latin(text[end_c + 1]))):
        return None
    if not _ok_after(text, end_c) and not lex.mid_hedge_re.match(text, end_c):
        return None
    if row["canonical"] in ("분", "초") and cm.start() != k:
        return None  # 3 분 ... : keep measured minutes and seconds glued (14만 시간 may be spaced)
    return cm


def _read_counter(text: str, q: _Qt) -> None:
    """The counter after the number, and a range with the counter on both sides (3명~5명)."""
    q.cm = cm = _counter_match(text, q.k)
    if not cm:
        return
    row = _lex().counters[cm.group()]
    e = cm.end()
    if q.vmin is None and e < len(text) and text[e] in TILDE:
        num2 = _scan_number(text, _space(text, e + 1))
        if num2 and num2.value is not None and text.startswith(cm.group(), num2.end) and q.value is not None \
                and q.value <= num2.value and _ok_after(text, num2.end + len(cm.group())):
            q.vmin, q.vmax = q.value, num2.value
            e = num2.end + len(cm.group())
    q.unit = row["canonical"]
    q.kind = row["kind"]
    q.k = e


def _implausible(text: str, q: _Qt) -> bool:
    """Whether what was read is no quantity: a bare or one-character Hangul numeral, a number glued to a
    date unit, a number in a Latin name, a symbol glued to a word."""
    lex = _lex()
    num = q.num
    if q.kind == "none":
        return True  # 2011학년도: a word that starts like a counter (num_counters.tsv kind none)
    if num.vague and not q.unit:
        return True
    if q.unit == "" and not q.sym_unit:
        # a bare number: no date/time unit glued after it, and a plausible whole word
        if q.hangul_only and not (num.has_big and (num.has_small or num.nchars >= 3)) \
                and not (q.negative and not text.startswith(("-", "−"), q.i)):
            return True  # (마이너스 일: a spelled-out sign makes the numeral a number)
        if text.startswith(tuple(lex.units), q.k) and not _ok_after(text, q.k):
            return True
        if q.ordinal_je:
            return True
        if q.i >= 2 and text[q.i - 1] == " " and _is_latin(text[q.i - 2]):
            return True  # FC 1909, iPhone 15, Windows 11: a number after a Latin name is part of it
        if not q.approx and num.arabic and not num.has_big and q.value is not None and q.value < 1000 \
                and _name_before(text, q.i):
            return True  # 새턴 5, 팰컨 9, 국방개혁 2.0: a model or version number after a name
        if num.arabic and num.nchars == 4 and _starts_named_event(text, q.k):
            return True  # 2020 도쿄 올림픽: a year in an event's name
        if num.arabic and 3 <= num.nchars <= 4 and not q.approx and _starts_named_event(text, q.k, any_event=True):
            return True  # 2016 미국 대선, 518 광주 민주화운동: a bare year or date in an event's name
        if num.arabic and lex.dotted_event_re.match(text, q.i):
            return True  # 6.13 지방선거 (a date, dates.py), 5·18 민주화운동 (part of a name)
    elif q.hangul_only and not q.sym_unit and not num.vague:
        if not (num.has_small or num.has_big) and not (q.negative and not text.startswith(("-", "−"), q.i)):
            return True
        if num.nchars == 1 and (q.cm is None or q.cm.start() == num.end) and q.kind != "percent":
            return True  # 천명(闡明), 만원 ... : a one-character numeral needs a space before its counter (백퍼센트 may not)
    if q.sym_unit:
        if not _ok_after(text, q.k) and not text.startswith(tuple(lex.mid_hedges), q.k):
            return True
    return False


def _read_suffixes(text: str, q: _Qt) -> None:
    """Hedges after the counter (100명여, 3배 이상) and a band (10%대, 1억원대)."""
    m = _lex().mid_hedge_re.match(text, q.k)
    if m and q.unit and _ok_after(text, m.end()):
        q.approx = True
        q.k = m.end()
    if q.unit and q.unit != "대" and text.startswith("대", q.k) and _ok_after(text, q.k + 1):
        q.approx = True  # 10%대, 1억원대: a band starting at the value
        q.k += 1
    k2 = _post_hedge(text, q.k, False)
    if k2 != q.k:
        q.approx = True
        q.k = k2


_GLUED_NATIVE_COUNTERS = frozenset(("명", "개", "살", "마리", "가지", "곳"))


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
        if cm and cm.group() not in ("번째", "째") and not (cm.group() in _GLUED_NATIVE_COUNTERS and value > 1):
            cm = None  # 세개, 쉰두살, 스물여섯명; not 한편, 열차, 세대 (words)
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
