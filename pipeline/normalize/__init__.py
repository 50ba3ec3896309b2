"""Number, date and time normalisation (QT / DT / TI) for Korean news text.

Detection runs on the raw text with compiled patterns built from the resource TSVs
(``num_*.tsv`` and ``date_*.tsv`` in ``pipeline/resources``); the entity stage snaps the spans
onto Kiwi tokens. Values are resolved against the publication date.

Rules of resolution (published date P):
- Absolute dates keep the grain said: ``2022년`` -> 2022, ``2025년 9월`` -> 2025-09,
  ``2025년 9월 10일`` / ``2025.9.10`` / ``2025-09-10`` -> 2025-09-10. Invalid dates keep an empty norm.
- ``지난`` + month/day/weekday: the latest such date not after P (same day or month included);
  ``오는`` + ...: the earliest not before P; ``이번``: the current one.
- A bare month (``11월``) or month-day takes P's year, unless the month is more than 6 months
  after P's month, then the year before (news mostly report the past).
- A bare day (``10일``) takes P's month when the day is at most P's day + 10, else the month before
  (the verb that would tell past from future is not looked at). A bare day right after a date that
  named its month (``9월 18일부터 20일까지``) takes that date's year and month.
- A bare weekday is the one of P's ISO week; ``지난주`` / ``다음 주`` are ISO weeks (norm ``2025-W37``,
  norm_start/norm_end Monday/Sunday); ``다음 주 월요일`` is a day.
- Relative words (이날, 어제, 지난달, 지난해, 1년 전, 3일 전, 2주 후) move P at their own grain.
- Quarters, halves, seasons and year parts (2분기, 상반기, 올여름, 연말) resolve to the year (norm YYYY),
  with norm_start/norm_end months for quarters, halves and seasons other than winter; a bare one
  takes P's year. Month parts (9월 말, 이달 중순) resolve to the month.
- Ranges (``18~20일``, ``2020~2022년``) written as one span are one DT with norm = norm_start and
  norm_end; ``18일부터 20일까지`` gives two DTs.
- Durations (3년간, 4개월여, 16일 동안, 10년째, 3년) are DT kind ``duration`` with an empty norm;
  measured times (3시간, 30분) are QT kind ``duration``.
- Times: norm HH:MM only when the clock time is explicit (오후 3시 -> 15:00, 16시 -> 16:00, 정오 -> 12:00);
  a bare hour 1-12 without 오전/오후 (``4시 13분``) keeps an empty norm.
- Without a publication date every relative expression keeps an empty norm.

QT: value is the number (int when whole), unit the counter as listed in ``num_counters.tsv``
(spelled-out and full-width variants map to one canonical unit: 퍼센트 -> %, $ -> 달러),
ranges keep the lower bound as value with value_min/value_max; hedges set approx.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import sys
import time
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from pipeline.resources import read_tsv

__all__ = ["Expression", "find_expressions", "normalize", "render_korean_number", "parse_korean_number",
           "run_cli", "benchmark"]


@dataclass(frozen=True)
class Expression:
    start: int
    end: int
    text: str
    label: str
    value: int | float | None = None
    unit: str = ""
    norm: str = ""
    approx: bool = False
    value_min: int | float | None = None
    value_max: int | float | None = None
    norm_start: str = ""
    norm_end: str = ""
    kind: str = ""

    def to_dict(self) -> dict:
        out = {"text": self.text, "label": self.label, "value": self.value, "unit": self.unit,
               "norm": self.norm, "approx": self.approx}
        if self.value_min is not None or self.value_max is not None:
            out["value_min"] = self.value_min
            out["value_max"] = self.value_max
        if self.norm_start or self.norm_end:
            out["norm_start"] = self.norm_start
            out["norm_end"] = self.norm_end
        out["kind"] = self.kind
        out["start"] = self.start
        out["end"] = self.end
        return out


# --------------------------------------------------------------------------- lexicon

TILDE = "~∼〜～"
_SP = "[ \u00a0]?"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _is_hangul(c: str) -> bool:
    return "가" <= c <= "힣"


def _is_latin(c: str) -> bool:
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


class _Lex:
    def __init__(self):
        self.sino = {}
        for r in read_tsv("num_sino.tsv"):
            self.sino[r["word"]] = (Decimal(r["value"]) if r["value"] else None, r["kind"])
        nat = read_tsv("num_native.tsv")
        self.native_units = {r["word"]: int(r["value"]) for r in nat if r["kind"] == "unit"}
        self.native_tens = {r["word"]: int(r["value"]) for r in nat if r["kind"] == "tens"}
        self.native_first = {r["word"]: int(r["value"]) for r in nat if r["kind"] == "first"}
        self.native_ord = {r["word"]: int(r["value"]) for r in nat if r["kind"] == "ordinal"}
        self.counters = {r["unit"]: r for r in read_tsv("num_counters.tsv")}
        self.symbols = {r["symbol"]: r["canonical"] for r in read_tsv("num_symbols.tsv")}
        hed = read_tsv("num_hedges.tsv")
        self.pre_hedges = [r["word"] for r in hed if r["position"] == "pre"]
        self.post_hedges = {r["word"]: r["applies"] for r in hed if r["position"] == "post"}
        self.mid_hedges = [r["word"] for r in hed if r["position"] == "mid"]
        followers = [r["follower"] for r in read_tsv("num_followers.tsv")]
        self.rel = {r["word"]: r for r in read_tsv("date_relative.tsv")}
        self.prefixes = {r["word"]: r["direction"] for r in read_tsv("date_prefixes.tsv")}
        self.weekdays = {r["word"]: int(r["index"]) for r in read_tsv("date_weekdays.tsv")}
        self.parts = {r["word"]: r for r in read_tsv("date_parts.tsv")}
        self.units = {r["unit"]: r["kind"] for r in read_tsv("date_units.tsv")}
        self.dur_words = {r["word"]: r for r in read_tsv("date_durations.tsv")}
        self.markers = {r["word"]: r["role"] for r in read_tsv("date_period_markers.tsv")}
        self.times = {r["word"]: r for r in read_tsv("date_times.tsv")}

        self.follow_re = re.compile(_alt(followers + list(self.post_hedges) + list(self.times)))
        self.pre_hedge_re = re.compile(rf"(?:{_alt(self.pre_hedges)}){_SP}(?=[\d$€£¥₩￦＄U수몇{''.join(self.sino)}"
                                       rf"{''.join(w[0] for w in list(self.native_units) + list(self.native_tens))}])")
        self.symbol_re = re.compile(rf"(?:{_alt(self.symbols)}){_SP}(?=\d)")
        self.counter_re = re.compile(_alt(self.counters))
        self.post_hedge_re = re.compile(_alt(self.post_hedges))
        self.mid_hedge_re = re.compile(_alt(self.mid_hedges))
        tens, units = _alt(self.native_tens), _alt(self.native_units)
        self.native_re = re.compile(rf"(?:(?P<ord>{_alt(self.native_ord)})|(?P<first>{_alt(self.native_first)})|"
                                    rf"(?P<tens>{tens})(?P<u1>{units})?|(?P<u2>{units}))")
        self.rel_re = re.compile(_alt(self.rel))
        self.prefix_re = re.compile(rf"(?:{_alt(self.prefixes)}){_SP}")
        self.weekday_re = re.compile(_alt(self.weekdays))
        self.part_re = re.compile(_alt(self.parts))
        self.dur_word_re = re.compile(_alt(self.dur_words))
        self.time_word_re = re.compile(_alt(self.times))
        self.marker_re = re.compile(_alt(self.markers))
        self.year_unit_re = re.compile(r"(\d{4})년(도)?(?!대|간)")
        self.month_re = re.compile(r"(\d{1,2})월")
        self.day_re = re.compile(r"(\d{1,2})일")
        self.quarter_re = re.compile(r"([1-4])분기")
        self.period_unit_re = re.compile(r"개월|년|주|일|달|해")
        hz = "".join(c for c, (v, k) in self.sino.items() if k != "vague")
        self.hangul_fraction_re = re.compile(rf"([{hz}]+)분의[ ]?([{hz}]+)")
        firsts = set(self.sino) | {w[0] for w in self.native_units} | {w[0] for w in self.native_tens} \
            | {w[0] for w in self.native_ord} | {w[0] for w in self.native_first} | {w[0] for w in self.pre_hedges} \
            | {w[0] for w in self.rel} | {w[0] for w in self.prefixes} | {w[0] for w in self.weekdays} \
            | {w[0] for w in self.parts if self.parts[w]["standalone"] == "y"} | {w[0] for w in self.dur_words} \
            | {w[0] for w in self.times} | {s[0] for s in self.symbols} | {"제"}
        self.time_first = {w[0] for w in self.times}
        chars = "".join(sorted(c for c in firsts if not c.isdigit()))
        # Not right after a Hangul syllable, a Latin letter, a digit or #@_&: _ok_before() rejects those,
        # and they are most matches (every digit of a number after its first, for one).
        self.start_re = re.compile(rf"(?<![가-힣A-Za-z0-9#@_&])[0-9{re.escape(chars)}]")
        # What the recognizers can read first at a start that is neither a digit nor a Sino-Korean
        # numeral (those they read with _scan_number): words, hedges, symbols, native numerals, 제.
        # Most candidate starts are ordinary syllables (대, 한, 전 ...) that begin none of these, and
        # find_expressions() skips them without running every recognizer.
        word_starts = (self.rel_re, self.prefix_re, self.weekday_re, self.part_re, self.time_word_re,
                       self.pre_hedge_re, self.symbol_re, self.dur_word_re, self.native_re,
                       self.hangul_fraction_re)
        self.word_start_re = re.compile("|".join(f"(?:{rx.pattern})" for rx in word_starts) + "|제")
        # A Sino-Korean numeral syllable where no word starts begins an expression only as a number
        # that _scan_number() reads (삼십, 이천), or as 수/몇 before a period unit (수년, 몇 주):
        # dates, periods and times otherwise need a digit or a word. Most such starts are ordinary
        # words (일본, 사업, 이어), and find_expressions() skips them after one _scan_number().
        self.vague_period_starts = ("수", "몇")


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    return _Lex()


# --------------------------------------------------------------------------- numbers

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


# --------------------------------------------------------------------------- helpers

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


# --------------------------------------------------------------------------- QT

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


def _qt_at(text: str, i: int) -> list[dict] | None:
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


def _last_big(text: str, num: _Num) -> Decimal | None:
    c = text[num.end - 1]
    e = _lex().sino.get(c)
    if e and e[1] == "big":
        return e[0]
    return None


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


# --------------------------------------------------------------------------- dates

def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _valid(y, m, d) -> bool:
    try:
        _dt.date(y, m, d)
        return True
    except (ValueError, TypeError):
        return False


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _year_for_month(pub: _dt.date, m: int, d: int | None, direction: str | None) -> int:
    key = (m, d or 0)
    pkey = (pub.month, pub.day if d else 0)
    if direction == "past":
        return pub.year if key <= pkey else pub.year - 1
    if direction == "future":
        return pub.year if key >= pkey else pub.year + 1
    return pub.year - 1 if m - pub.month > 6 else pub.year


def _month_for_day(pub: _dt.date, d: int, direction: str | None) -> tuple[int, int] | None:
    if direction == "past":
        steps = [0, -1, -2] if d <= pub.day else [-1, -2, -3]
    elif direction == "future":
        steps = [0, 1, 2] if d >= pub.day else [1, 2, 3]
    else:
        steps = [0, -1, -2] if d <= pub.day + 10 else [-1, -2, -3]
    for s in steps:
        y, m = _add_months(pub.year, pub.month, s)
        if _valid(y, m, d):
            return y, m
    return None


def _week(pub: _dt.date, off: int):
    monday = pub - _dt.timedelta(days=pub.weekday()) + _dt.timedelta(weeks=off)
    iy, iw, _ = monday.isocalendar()
    return monday, f"{iy}-W{iw:02d}"


@dataclass(slots=True)
class _DateState:
    """What a date expression has said so far (every field None until it does)."""

    y: int | None = None
    yoff: int | None = None
    m: int | None = None
    moff: int | None = None
    d: int | None = None
    doff: int | None = None
    woff: int | None = None
    wday: int | None = None
    direction: str | None = None
    part: dict | None = None
    quarter: int | None = None
    season: bool | None = None
    unres: bool | None = None
    y2: int | None = None
    m2: int | None = None
    d2: int | None = None
    approx: bool | None = None
    grain_word: str | None = None


def _date_at(text: str, i: int, pub: _dt.date | None, ctx) -> list[dict] | None:
    lex = _lex()
    st = _DateState()
    j = i
    m = lex.rel_re.match(text, i)
    if m:
        row = lex.rel[m.group()]
        g = row["grain"]
        off = int(row["offset"]) if row["offset"] else None
        if off is None:
            st.unres = True
            off = 0
        st.grain_word = g
        j = m.end()
        if g == "day":
            st.doff = off
        elif g == "week":
            st.woff = off
            w = _match_sp(lex.weekday_re, text, j)
            if w:
                st.wday = lex.weekdays[w.group()]
                j = w.end()
        elif g == "month":
            st.moff = off
            j = _chain_day(text, j, st, allow_space=True)
            j = _chain_part(text, j, st, "month")
        else:
            st.yoff = off
            j2 = _chain_month_day(text, _space(text, j) if m.group() != "올" or text[j:j + 1] == " " else j, st)
            if j2 is not None:
                j = j2
            j = _chain_part(text, j, st, "year", glued_season=True)
            if m.group() == "올" and st.m is None and st.part is None and st.quarter is None:
                return None
    else:
        pm = lex.prefix_re.match(text, i)
        if pm:
            st.direction = lex.prefixes[pm.group().strip()]
            j = pm.end()
            w = lex.weekday_re.match(text, j)
            if w:
                st.wday = lex.weekdays[w.group()]
                j = w.end()
            else:
                j2 = _chain_abs(text, j, st)
                if j2 is None:
                    # 지난 여름, 지난 겨울
                    p = lex.part_re.match(text, j)
                    if p and lex.parts[p.group()]["of"] == "year" and lex.parts[p.group()]["standalone"] == "n":
                        st.yoff = -1 if st.direction == "past" and _season_passed(pub, lex.parts[p.group()]) else 0
                        if st.direction == "future" and not _season_passed(pub, lex.parts[p.group()], future=True):
                            st.yoff = 1
                        st.part = lex.parts[p.group()]
                        st.season = True
                        j = p.end()
                    else:
                        return None
                else:
                    j = j2
        else:
            j2 = _chain_abs(text, i, st)
            if j2 is None:
                w = lex.weekday_re.match(text, i)
                p = lex.part_re.match(text, i)
                if w:
                    st.wday = lex.weekdays[w.group()]
                    j = w.end()
                elif p and lex.parts[p.group()]["standalone"] == "y":
                    st.part = lex.parts[p.group()]
                    st.yoff = 0
                    j = p.end()
                else:
                    return None
            else:
                j = j2
    k = _post_hedge(text, j, True)
    if k != j:
        st.approx = True
        j = k
    if not _ok_after(text, j):
        return None
    return [_resolve(text, i, j, st, pub, ctx)]


def _season_passed(pub, part, future=False) -> bool:
    if pub is None or not part["start"]:
        return not future
    if future:
        return pub.month < int(part["start"])
    return pub.month <= int(part["end"])


# Ranges, matched on a window of the text (so that the lookahead sees the window's end).
_YEAR_RANGE = re.compile(r"(\d{4})년?[ ]?[~∼〜～\-][ ]?(\d{4})년(?!대|간)")
_MONTH_RANGE = re.compile(r"(\d{1,2})월?[ ]?[~∼〜～][ ]?(\d{1,2})월")
_DAY_RANGE = re.compile(r"(\d{1,2})일?[ ]?[~∼〜～][ ]?(\d{1,2})일")


def _chain_abs(text: str, j: int, st: _DateState) -> int | None:
    """Absolute chain: [YYYY년] [M월] [D일] [part], ranges, quarters. None when nothing matched."""
    lex = _lex()
    m = _YEAR_RANGE.match(text[j:j + 16])
    if m and text[j:j + 4].isdigit() and _ok_after(text, j + m.end()):
        st.y, st.y2 = int(m.group(1)), int(m.group(2))
        return j + m.end()
    m = lex.year_unit_re.match(text, j)
    if m and 1000 <= int(m.group(1)) <= 2999:
        st.y = int(m.group(1))
        j = m.end()
        j2 = _chain_month_day(text, _space(text, j), st)
        if j2 is not None:
            j = j2
        return _chain_part(text, j, st, "year")
    j2 = _chain_month_day(text, j, st)
    if j2 is not None:
        return j2
    q = lex.quarter_re.match(text, j)
    if q and _ok_after(text, q.end()):
        st.quarter = int(q.group(1))
        return q.end()
    return None


def _chain_month_day(text: str, j: int, st: _DateState) -> int | None:
    lex = _lex()
    mr = _MONTH_RANGE.match(text[j:j + 10])
    if mr and 1 <= int(mr.group(1)) < int(mr.group(2)) <= 12 and "월" in text[j:j + mr.end()]:
        st.m, st.m2 = int(mr.group(1)), int(mr.group(2))
        return j + mr.end()
    m = lex.month_re.match(text, j)
    if m and 1 <= int(m.group(1)) <= 12 and not text.startswith("간", m.end()):
        st.m = int(m.group(1))
        j = m.end()
        j = _chain_day(text, j, st, allow_space=True)
        return _chain_part(text, j, st, "month")
    if st.y is not None or st.yoff is not None:
        q = lex.quarter_re.match(text, j)
        if q and _ok_after(text, q.end()):
            st.quarter = int(q.group(1))
            return q.end()
        return None
    jd = _chain_day(text, j, st, allow_space=False)
    if jd != j:
        return jd
    return None


def _day_is_period(text: str, e: int) -> bool:
    """A day count rather than a day of month: 3일간, 3일 동안, 3일째, 3일 전."""
    lex = _lex()
    m = _match_sp(lex.marker_re, text, e)
    if m and (m.start() == e or lex.markers[m.group()] != "period" or m.group() == "동안"):
        if m.group() in ("간", "째") and m.start() != e:
            return False
        return _ok_after(text, m.end())
    if text.startswith("여", e) or _MAN_RE.match(text, e):
        return True
    return False


_MAN_RE = re.compile(r"[ ]?만(?:에|이|의|으로|인)")


def _chain_day(text: str, j: int, st: _DateState, allow_space: bool) -> int:
    lex = _lex()
    jj = _space(text, j) if allow_space and j > 0 and (st.m is not None or st.moff is not None) else j
    mr = _DAY_RANGE.match(text[jj:jj + 12])
    if mr and 1 <= int(mr.group(1)) < int(mr.group(2)) <= 31 and not _day_is_period(text, jj + mr.end()):
        st.d, st.d2 = int(mr.group(1)), int(mr.group(2))
        return jj + mr.end()
    m = lex.day_re.match(text, jj)
    if m and 1 <= int(m.group(1)) <= 31 and not _day_is_period(text, m.end()):
        st.d = int(m.group(1))
        e = m.end()
        w = _match_sp(lex.weekday_re, text, e)
        if w and _ok_after(text, w.end()):
            e = w.end()  # 11월 18일 목요일: the weekday restates the day
        return e
    return j


def _chain_part(text: str, j: int, st: _DateState, of: str, glued_season: bool = False) -> int:
    lex = _lex()
    if st.d is not None or st.d2 is not None or st.m2 is not None:
        return j
    p = lex.part_re.match(text, j) if glued_season else None
    if p is None:
        p = _match_sp(lex.part_re, text, j)
    if p is None:
        if of == "year" and st.quarter is None and st.m is None:
            q = _match_sp(lex.quarter_re, text, j)
            if q and _ok_after(text, q.end()):
                st.quarter = int(q.group(1))
                return q.end()
        return j
    row = lex.parts[p.group()]
    if row["of"] not in (of, "any") and not (of == "month" and row["of"] == "any"):
        if not (of == "year" and st.m is None):
            return j
        if row["of"] == "month":
            return j
    if of == "month" and st.m is None and st.moff is None:
        return j
    if not _ok_after(text, p.end()) and not lex.post_hedge_re.match(text, p.end()):
        return j
    st.part = row
    if row["of"] == "year" and row["standalone"] == "n":
        st.season = True
    return p.end()


def _resolve(text, i, j, st: _DateState, pub, ctx) -> dict:
    out = dict(start=i, end=j, label="DT", approx=bool(st.approx))
    norm = ns = ne = ""
    kind = "date"
    rel = any(v is not None for v in (st.yoff, st.moff, st.doff, st.woff)) or st.direction is not None
    if st.y is None and st.m is None and st.d is None and st.quarter is None and st.wday is None and st.part is not None:
        rel = True
    if rel:
        kind = "relative_date"
    if st.unres:
        out.update(norm="", kind="relative_date")
        return out
    if st.doff is not None:
        if pub:
            norm = (pub + _dt.timedelta(days=st.doff)).isoformat()
    elif st.woff is not None or (st.wday is not None):
        if pub:
            if st.woff is not None:
                monday, wk = _week(pub, st.woff)
                if st.wday is None:
                    norm, ns, ne = wk, monday.isoformat(), (monday + _dt.timedelta(days=6)).isoformat()
                    kind = "period"
                else:
                    norm = (monday + _dt.timedelta(days=st.wday)).isoformat()
            else:
                delta = st.wday - pub.weekday()
                if st.direction == "past":
                    delta = delta - 7 if delta >= 0 else delta
                elif st.direction == "future":
                    delta = delta + 7 if delta <= 0 else delta
                norm = (pub + _dt.timedelta(days=delta)).isoformat()
    else:
        y = st.y
        if y is None and st.yoff is not None and pub:
            y = pub.year + st.yoff
        m = st.m
        if st.moff is not None and pub:
            y, m = _add_months(pub.year, pub.month, st.moff)
        d = st.d
        if y is None and pub is not None:
            if m is not None:
                y = _year_for_month(pub, m, d, st.direction)
            elif d is not None:
                if ctx is not None and st.direction is None and i - ctx[0] <= 8:
                    y, m = ctx[1], ctx[2]
                else:
                    ym = _month_for_day(pub, d, st.direction)
                    if ym:
                        y, m = ym
            elif st.quarter is not None or st.part is not None:
                y = pub.year
        if y is not None:
            if st.y2 is not None:
                norm, ns, ne = _iso(y), _iso(y), _iso(st.y2)
                kind = "period"
            elif st.quarter is not None:
                norm, ns, ne = _iso(y), _iso(y, 3 * st.quarter - 2), _iso(y, 3 * st.quarter)
                kind = "period"
            elif m is None and d is None:
                norm = _iso(y)
                if st.part is not None:
                    kind = "period"
                    if st.part["of"] == "year" and st.part["start"]:
                        ns, ne = _iso(y, int(st.part["start"])), _iso(y, int(st.part["end"]))
            elif m is not None and 1 <= m <= 12:
                if st.m2 is not None:
                    norm, ns, ne = _iso(y, m), _iso(y, m), _iso(y, st.m2)
                    kind = "period"
                elif d is None:
                    norm = _iso(y, m)
                    if st.part is not None:
                        kind = "period"
                elif _valid(y, m, d):
                    norm = _iso(y, m, d)
                    if st.d2 is not None:
                        if _valid(y, m, st.d2):
                            ns, ne = norm, _iso(y, m, st.d2)
                            kind = "period"
                        else:
                            norm = ""
    out.update(norm=norm, norm_start=ns, norm_end=ne, kind=kind)
    out["_ym"] = (st.y, st.m, st.moff) if (st.m is not None or st.moff is not None) else None
    return out


def _period_at(text: str, i: int, pub: _dt.date | None) -> list[dict] | None:
    """Counts of days/weeks/months/years: durations (3년간, 4개월여, 16일 동안) and offsets (1년 전, 3일 전)."""
    lex = _lex()
    j = i
    approx = False
    m = lex.pre_hedge_re.match(text, j)
    if m:
        approx = True
        j = m.end()
    amount = None
    vague = False
    dw = lex.dur_word_re.match(text, j)
    if text.startswith(("수", "몇"), j) and lex.period_unit_re.match(text, _space(text, j + 1)) and not dw:
        vague = True
        k = _space(text, j + 1)
        unit = lex.period_unit_re.match(text, k).group()
        grain = {"개월": "month", "년": "year", "주": "week", "일": "day", "달": "month", "해": "year"}[unit]
        k += len(unit)
        if unit == "일" and text.startswith("수", j) and k == j + 2:
            return None  # 수일 is rare, 수일 내 ok but 수요일 etc. must not fire
    elif dw:
        row = lex.dur_words[dw.group()]
        grain, amount = row["grain"], int(row["amount"])
        k = dw.end()
    else:
        num = _scan_number(text, j)
        k = None
        if num is not None and (num.arabic or num.vague or num.has_small):
            k = num.end
            amount = _py(num.value)
            vague = num.vague
        else:
            nat = _native_at(text, j)
            if nat is None or nat[2] != "num":
                return None
            amount = nat[1]
            k = _space(text, nat[0])
            if k == nat[0]:
                return None
        mm = lex.mid_hedge_re.match(text, k)
        if mm and _lex().period_unit_re.match(text, _space(text, mm.end())):
            approx = True
            k = _space(text, mm.end())
        u = lex.period_unit_re.match(text, k)
        if not u:
            return None
        unit = u.group()
        if unit in ("달", "해") and dw is None and num is not None and num.arabic:
            return None
        grain = {"개월": "month", "년": "year", "주": "week", "일": "day", "달": "month", "해": "year"}[unit]
        k = u.end()
        if unit == "년" and text.startswith(("대", "도"), k):
            return None
    if vague:
        approx = True
    mh = lex.mid_hedge_re.match(text, k)
    if mh:
        approx = True
        k = mh.end()
    k2 = _post_hedge(text, k, False)
    if k2 != k:
        approx = True
        k = k2
    mk = _match_sp(lex.marker_re, text, k)
    role = None
    if mk and _ok_after(text, mk.end()):
        r = lex.markers[mk.group()]
        if r == "period" and mk.group() in ("간", "째") and mk.start() != k:
            mk = None
        else:
            role = r
            k = mk.end()
    if not _ok_after(text, k):
        return None
    if grain == "week" and role is None and not dw and not approx:
        return None  # 100주: shares, not weeks
    out = dict(start=i, end=k, label="DT", approx=approx)
    if role in ("before", "after") and amount is not None and not approx:
        sign = -1 if role == "before" else 1
        norm = ns = ne = ""
        if pub:
            if grain == "day":
                norm = (pub + _dt.timedelta(days=sign * amount)).isoformat()
            elif grain == "week":
                monday, wk = _week(pub, sign * amount)
                norm, ns, ne = wk, monday.isoformat(), (monday + _dt.timedelta(days=6)).isoformat()
            elif grain == "month":
                norm = _iso(*_add_months(pub.year, pub.month, sign * amount))
            else:
                norm = _iso(pub.year + sign * amount)
        out.update(norm=norm, norm_start=ns, norm_end=ne, kind="relative_date")
    else:
        out.update(norm="", kind="duration")
    return [out]


_ERA = re.compile(r"(\d{3})0년대|(\d{1,2})세기")


def _era_at(text: str, i: int) -> list[dict] | None:
    m = _ERA.match(text[i:i + 8])
    if not m or not _ok_after(text, i + m.end()):
        return None
    if m.group(1):
        a = int(m.group(1)) * 10
        ns, ne = _iso(a), _iso(a + 9)
    else:
        c = int(m.group(2))
        ns, ne = _iso((c - 1) * 100 + 1), _iso(c * 100)
    k = _post_hedge(text, i + m.end(), True)
    return [dict(start=i, end=k, label="DT", norm="", norm_start=ns, norm_end=ne, kind="period", approx=k != i + m.end())]


_SERIAL = re.compile(r"(\d{4})([-./])[ ]?(\d{1,2})\2[ ]?(\d{1,2})\.?|(\d{4})\.[ ]?(\d{1,2})\.(?!\d)")


def _serial_at(text: str, i: int) -> list[dict] | None:
    m = _SERIAL.match(text, i)
    if not m:
        return None
    end = m.end()
    if end < len(text) and (text[end].isdigit() or (text[end] in "-./" and end + 1 < len(text) and text[end + 1].isdigit())):
        return None
    if m.group(1):
        y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if not _valid(y, mo, d) or not 1000 <= y <= 2999:
            return None
        norm = _iso(y, mo, d)
    else:
        y, mo = int(m.group(5)), int(m.group(6))
        if not (1 <= mo <= 12 and 1900 <= y <= 2099):
            return None
        norm = _iso(y, mo)
    if not _ok_after(text, end):
        return None
    return [dict(start=i, end=end, label="DT", norm=norm, kind="date")]


# --------------------------------------------------------------------------- times

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


def _time_at(text: str, i: int) -> list[dict] | None:
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


# --------------------------------------------------------------------------- API

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


def _parse_date(s: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(s) if s else None


def run_cli(argv: list[str]) -> int:
    """``python -m pipeline normalize --published YYYY-MM-DD [--json] TEXT...``: one JSON line per TEXT."""
    argv = list(argv)
    if argv and argv[0] == "normalize":
        argv = argv[1:]
    ap = argparse.ArgumentParser(prog="python -m pipeline normalize",
                                 description="Normalise Korean quantities, dates and times (one JSON line per TEXT).")
    ap.add_argument("--published", help="publication date YYYY-MM-DD (relative dates resolve against it)")
    ap.add_argument("--json", action="store_true", help="JSON lines (the default and only output format)")
    ap.add_argument("--all", action="store_true", help="one JSON line per expression found, not per TEXT")
    ap.add_argument("texts", nargs="+", metavar="TEXT")
    args = ap.parse_args(argv)
    pub = _parse_date(args.published)
    for t in args.texts:
        if args.all:
            for e in find_expressions(t, pub):
                print(json.dumps({"input": t, **e.to_dict()}, ensure_ascii=False))
            continue
        e = normalize(t, pub)
        if e is None:
            rec = {"input": t, "text": t, "label": None, "value": None, "unit": "", "norm": "", "approx": False}
        else:
            rec = {"input": t, **e.to_dict()}
        print(json.dumps(rec, ensure_ascii=False))
    return 0


CASES_PATH = Path(__file__).resolve().parents[2] / "tests" / "data" / "normalise_cases.tsv"


def _benchmark_inputs() -> list[tuple[str, _dt.date | None]]:
    items = []
    if CASES_PATH.exists():
        import csv
        with open(CASES_PATH, encoding="utf-8", newline="") as fh:
            rows = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
        for r in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
            if r.get("label") in ("QT", "DT", "TI") and r.get("mode", "expr") == "expr":
                items.append((r["text"], _parse_date(r.get("published") or None)))
    if not items:
        items = [("2031만명", None), ("지난 2월", _dt.date(2025, 9, 10)), ("오후 3시 30분", None)]
    return items


def benchmark(n: int = 10_000) -> dict:
    """Normalise n expressions (cycling through the case table); returns counts and timing."""
    items = _benchmark_inputs()
    _lex()
    t0 = time.perf_counter()
    for k in range(n):
        text, pub = items[k % len(items)]
        normalize(text, pub)
    s = time.perf_counter() - t0
    return {"expressions": n, "seconds": round(s, 4), "per_second": round(n / s) if s else None}


if __name__ == "__main__":
    sys.exit(run_cli(sys.argv[1:]))
