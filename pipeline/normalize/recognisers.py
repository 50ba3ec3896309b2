"""find_expressions() and normalize(): the ordered recognisers run at every candidate start."""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from decimal import InvalidOperation

from .dates import recognise_date, recognise_era, recognise_serial_date
from .lexicon import _lex
from .numerals import _scan_number, parse_korean_number
from .periods import recognise_period
from .merges import _merge_ratios
from .quantities import recognise_quantity
from .spans import _ok_before
from .times import recognise_time
from .types import Context, Expression

# Where a recogniser may start: only at a digit, at a digit or the first letter of a time word,
# or at any candidate start (see find_expressions()).
AT_DIGIT, AT_DIGIT_OR_TIME_WORD, AT_ANY = "digit", "digit_or_time_word", "any"


@dataclass(frozen=True)
class Recogniser:
    """A named rule: ``run(text, i, ctx)`` returns the expressions (dicts for Expression) that start at i, or None."""

    name: str
    run: Callable[[str, int, Context], list[dict] | None]
    starts: str


# The order decides ties: at each start the longest match wins, and of equally long ones the
# earliest here (see the package docstring).
RECOGNISERS: tuple[Recogniser, ...] = (
    Recogniser("serial_date", recognise_serial_date, AT_DIGIT),
    Recogniser("date", recognise_date, AT_ANY),
    Recogniser("era", recognise_era, AT_DIGIT),
    Recogniser("period", recognise_period, AT_ANY),
    Recogniser("time", recognise_time, AT_DIGIT_OR_TIME_WORD),
    Recogniser("quantity", recognise_quantity, AT_ANY),
)
_AT_DIGIT = tuple(r.run for r in RECOGNISERS)
# At a digit whose number is not followed by a date or clock unit (2031만명, 40%, 3배), only the
# recognisers that read no such unit can match: serial dates (2025-09-10, 6.13 지방선거) and quantities.
_AT_DIGIT_NO_DATE_UNIT = tuple(r.run for r in RECOGNISERS if r.name in ("serial_date", "quantity"))
# The number (digits, separators, Sino units, 여, a range, one space) before what decides it.
_NUMBER_RUN = re.compile(r"[0-9.,·~∼〜～\-만억조천백십여 ]*")
# The first letters of the date, period and clock units (년 월 일 주 개월 달 해 시 분 초 세기 박), 3·1절 and the
# clock's colon and slash dates.
_DATE_UNIT_FIRST = frozenset("년월일주개달해시분초세박절:/사")


def _runs(*names: str) -> tuple:
    return tuple(r.run for r in RECOGNISERS if r.name in names + ("serial_date", "quantity"))


# Which recognisers can match at a digit, by the character after its number (a profile of the case corpus showed
# every recogniser run at every digit; most cannot match there): 년 a year, a decade, a period; 월 a month;
# 일 a day or a period; 시/분/초 a clock time or a measured time (분기: a quarter); 주/개/달/해/박 a period;
# 세 a century (세기) or an age; : a clock time; / a slash date (serial_date).
_AT_DIGIT_BEFORE = {
    "년": _runs("date", "era", "period"), "월": _runs("date"), "일": _runs("date", "period"),
    "시": _runs("time"), "분": _runs("date", "time"), "초": _runs("time"), "주": _runs("period"),
    "개": _runs("period"), "달": _runs("period"), "해": _runs("period"), "박": _runs("period"),
    "세": _runs("era"), ":": _runs("time"), "/": _runs("date"), "절": _runs("date"), "사": _runs("date"),
}
assert set(_AT_DIGIT_BEFORE) == _DATE_UNIT_FIRST
# Glued to its number (3월, 2025년, 10일, 2박, 3·1절, 2해), a unit no counter starts with leaves the quantity recogniser
# nothing to read (it rejects a bare number before a date unit): it is not run there.
_AT_DIGIT_GLUED = {c: tuple(r for r in runs if r is not recognise_quantity)
                   for c, runs in _AT_DIGIT_BEFORE.items() if c in "년월일박절해"}
_AT_TIME_WORD = tuple(r.run for r in RECOGNISERS if r.starts != AT_DIGIT)
_AT_OTHER = tuple(r.run for r in RECOGNISERS if r.starts == AT_ANY)

_MASK = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LIST_MARKER = re.compile(r"(?m)^[ \t]*\d{1,2}[.)](?=\s)")

# A recogniser that fails on odd input has recognised nothing there.
_RECOGNISER_ERRORS = (ValueError, ArithmeticError, IndexError, InvalidOperation, OverflowError)


def _number_starts_at(text: str, i: int) -> bool:
    """Whether _scan_number() reads a number at i (the recognisers' errors count as no number)."""
    try:
        return _scan_number(text, i) is not None
    except _RECOGNISER_ERRORS:
        return False


def _masked_spans(text: str) -> list[tuple[int, int]]:
    """URLs, e-mail addresses and list markers (``1.`` at a line start): no expression starts inside."""
    masked = [(m.start(), m.end()) for m in _MASK.finditer(text)] if ("@" in text or "www" in text or "://" in text) else []
    if "." in text or ")" in text:
        for m in _LIST_MARKER.finditer(text):
            masked.append((m.start(), m.end()))
    return masked


def _recognisers_at(text: str, s: int):
    """The recognisers that can start at s, in RECOGNISERS order, or None when none can."""
    lex = _lex()
    c = text[s]
    if c.isdigit():
        e = _NUMBER_RUN.match(text, s).end()
        if e < len(text):
            u = text[e]
            if u in _AT_DIGIT_GLUED and text[e - 1] != " ":
                return _AT_DIGIT_GLUED[u]
            return _AT_DIGIT_BEFORE.get(u, _AT_DIGIT_NO_DATE_UNIT)
        return _AT_DIGIT_NO_DATE_UNIT
    if lex.word_start_re.match(text, s) is None and (
            c not in lex.sino or c not in lex.vague_period_starts and not _number_starts_at(text, s)):
        return None  # no recogniser can start here (see _Lex.word_start_re and _Lex.vague_period_starts)
    if c in lex.time_first:
        return _AT_TIME_WORD
    return _AT_OTHER


def find_expressions(text: str, published: _dt.date | None = None,
                     earlier: tuple[_dt.date | None, int | None] | None = None) -> list[Expression]:
    """Every QT / DT / TI expression in text, non-overlapping, sorted by start.

    earlier: (last day-grain date, last year) the article wrote before text (see earlier_dates());
    anaphoric words (이날, 같은 날, 전날, 그해 ...) resolve against them, else against published."""
    if not text:
        return []
    masked = _masked_spans(text)
    out: list[Expression] = []
    cursor = 0
    ctx = Context(published)
    if earlier is not None:
        ctx.last_date, ctx.last_year = earlier
    for sm in _lex().start_re.finditer(text):
        s = sm.start()
        if s < cursor or not _ok_before(text, s):
            continue
        if masked and any(a <= s < b for a, b in masked):
            continue
        recs = _recognisers_at(text, s)
        if recs is None:
            continue
        # the match ending furthest at s; the first of equally long ones (inline: this runs at every
        # candidate start)
        best = None
        best_end = -1
        for run in recs:
            try:
                r = run(text, s, ctx)
            except _RECOGNISER_ERRORS:
                continue
            if r and r[-1]["end"] > best_end:
                best, best_end = r, r[-1]["end"]
        if best is None:
            continue
        for d in best:
            ym = d.pop("_ym", None)
            if d["label"] == "DT" and d.get("norm") and ym is not None:
                norm = d["norm"]
                if len(norm) >= 7:
                    ctx.month_anchor = (d["end"], int(norm[:4]), int(norm[5:7]))
            if d["label"] == "DT" and d.get("norm"):
                _note_date(ctx, d["norm"])
            out.append(_make(text, d))
        cursor = best_end
    return _merge_ratios(text, out)


def _note_date(ctx: Context, norm: str) -> None:
    """Remember a DT's date for the anaphoric words after it (types.Context.last_date / last_year)."""
    if len(norm) == 10 and norm[4] == "-":
        try:
            ctx.last_date = _dt.date.fromisoformat(norm)
        except ValueError:
            return
        ctx.last_year = ctx.last_date.year
    elif norm[:4].isdigit():
        ctx.last_year = int(norm[:4])


def earlier_dates(exprs: list[Expression], previous: tuple[_dt.date | None, int | None] | None = None
                  ) -> tuple[_dt.date | None, int | None]:
    """(last day-grain date, last year) after exprs, starting from previous: what
    find_expressions(earlier=...) takes for the next sentence of the same article."""
    ctx = Context()
    if previous is not None:
        ctx.last_date, ctx.last_year = previous
    for e in exprs:
        if e.label == "DT" and e.norm:
            _note_date(ctx, e.norm)
    return ctx.last_date, ctx.last_year


_EXPRESSION_DEFAULTS = {f.name: f.default for f in fields(Expression) if f.default is not MISSING}
_new = object.__new__


def _make(text: str, d: dict) -> Expression:
    """Expression(**d), without the frozen dataclass's field-by-field __init__ (a tenth of find_expressions' time):
    the defaults, then the fields the recogniser set, written into the instance dict."""
    d.pop("_ym", None)
    d["text"] = text[d["start"]:d["end"]]
    e = _new(Expression)
    ed = e.__dict__
    ed.update(_EXPRESSION_DEFAULTS)
    ed.update(d)
    return e


def normalize(text: str, published: _dt.date | None = None) -> Expression | None:
    """The expression covering text (or the longest one in it); None when there is none."""
    exprs = find_expressions(text, published)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    if len(exprs) == 1 and exprs[0].start == lead and exprs[0].end == lead + len(stripped) \
            and not exprs[0].text[-1:] in _SINO_DIGIT_LAST:
        return exprs[0]  # one expression covering the text (most calls): nothing else can win
    lex = _lex()
    if stripped and lex.numberish_re.fullmatch(stripped):  # parse_korean_number() reads nothing else
        all_sino = lex.sino_or_digits_re.fullmatch(stripped) is not None
        if all_sino or not any(e.start == lead and e.end == lead + len(stripped) for e in exprs):
            try:
                v = parse_korean_number(stripped)
            except (ValueError, ArithmeticError, InvalidOperation):
                v = None
            if v is not None and any(c in lex.sino for c in stripped):
                return Expression(lead, lead + len(stripped), stripped, "QT", value=v, kind="number")
    whole = _whole_numeral(stripped, lead) if stripped and lex.spelled_number_re.fullmatch(stripped) and not any(
        e.start == lead and e.end == lead + len(stripped) for e in exprs) else None
    if whole is not None:
        return whole
    if not exprs:
        return None
    return max(exprs, key=lambda e: (e.end - e.start, -e.start))


# A covering expression ending in a digit or Sino numeral may be a whole numeral read greedily instead
_SINO_DIGIT_LAST = frozenset("0123456789,.영공일이삼사오육칠팔구십백천만억조경")
_SPACES = re.compile(r"[ \u00a0\u202f]+")
_NEG = re.compile(r"^(?:마이너스|음수|-|−)[ ]?")
_POINT = "점"


def _whole_numeral(s: str, lead: int) -> Expression | None:
    """A whole text that is one number written out: 열, 서른다섯, 오십 이, 이천  이백, 삼점사, 마이너스 오점 오."""
    neg = _NEG.match(s)
    body = s[neg.end():] if neg else s
    v = 0.5 if body == "반" else _native_value(body)
    if v is None and len(body) == 1 and body in _DIGIT_OF:
        v = int(_DIGIT_OF[body])  # 삼: one Sino-Korean digit as the whole text
    if v is None:
        compact = _SPACES.sub("", body)
        if _POINT in compact:
            whole, _, frac = compact.partition(_POINT)
            digits = "".join(_DIGIT_OF.get(c, "?") for c in frac)
            iv = parse_korean_number(whole) if whole else None
            v = float(f"{iv}.{digits}") if iv is not None and digits and "?" not in digits else None
        elif compact != s and compact:
            v = parse_korean_number(compact)
    if v is None:
        return None
    return Expression(lead, lead + len(s), s, "QT", value=-v if neg else v, kind="number")


_DIGIT_OF = {"영": "0", "공": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5", "육": "6", "칠": "7", "팔": "8",
             "구": "9"}


def _native_value(s: str) -> int | None:
    """A whole native numeral (열, 서른다섯, 쉰일곱, 하나, 셋)."""
    from .numerals import _native_at
    r = _native_at(s, 0)
    if r is None or r[0] != len(s) or r[2] != "num":
        return None
    return r[1]
