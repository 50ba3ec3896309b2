"""The resource-backed word lists and the patterns compiled from them (``num_*.tsv``, ``date_*.tsv``)."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from pipeline.resources import read_tsv

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
        self.holidays = {r["word"]: r for r in read_tsv("date_holidays.tsv")}
        self.lunar = {int(r["year"]): r for r in read_tsv("date_lunar.tsv")}
        self.holiday_re = re.compile(_alt(self.holidays))
        # 3월 마지막 월요일, 2014년 9월 셋째 화요일, 두 번째 일요일: the nth or last weekday of a month
        self.nth_weekday_re = re.compile(r"(첫째|둘째|셋째|넷째|다섯째|첫[ ]?번째|두[ ]?번째|세[ ]?번째|네[ ]?번째|"
                                         r"다섯[ ]?번째|마지막)[ ]?(?:주[ ]?)?([월화수목금토일])요일")
        ctxw = read_tsv("num_context.tsv")
        self.law_words = tuple(r["word"] for r in ctxw if r["kind"] == "law")
        self.event_words = {r["word"]: r["kind"] for r in ctxw if r["kind"] in ("event", "election")}
        self.scale_words = frozenset(r["word"] for r in ctxw if r["kind"] == "scale")
        self.season_words = tuple(r["word"] for r in ctxw if r["kind"] == "season")
        # 2010년 FIFA 월드컵, 2020 도쿄 올림픽: a year that starts a named event (up to three words before its head)
        self.named_event_heads = tuple(r["word"] for r in ctxw if r["kind"] == "named_event")
        # 6.13 지방선거, 5·18 민주화운동: a dotted month.day right before an event word
        self.dotted_event_re = re.compile(rf"(\d{{1,2}})[.·ㆍ](\d{{1,2}})[ ]?(?:{_alt(self.event_words)})")

        self.follow_re = re.compile(_alt(followers + list(self.post_hedges) + list(self.times)))
        self.pre_hedge_re = re.compile(rf"(?:{_alt(self.pre_hedges)}){_SP}(?=[\d$€£¥₩￦＄U수몇{''.join(self.sino)}"
                                       rf"{''.join(w[0] for w in list(self.native_units) + list(self.native_tens))}])")
        self.symbol_re = re.compile(rf"(?:{_alt(self.symbols)}){_SP}(?=\d)")
        # A sign before a number: -3, −3.5, 마이너스 3, 음수 일천구백, 영하 16.4도 (the value is negative)
        sino_chars = "".join(c for c, (v, k) in self.sino.items() if k != "vague")
        self.sign_re = re.compile(rf"[-−](?=\d)|(?:마이너스|음수|영하){_SP}(?=[\d{sino_chars}])")
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
        # Dates written in Sino-Korean words (이천십오년 삼월 삼일, 오월 이십일일, 이십이일 금요일): read only where
        # the chain makes them a date (a month after a year or before a day, a day after a month or before a
        # weekday), since 이월 (carried over) and 삼일 are also plain words
        self.hangul_year_re = re.compile(r"((?:[일이삼사오육칠팔구]?천)(?:[일이삼사오육칠팔구]?백)?(?:[이삼사오육칠팔구]?십)?[일이삼사오육칠팔구]?)년")
        self.hangul_month_re = re.compile(r"(십[일이]|[일이삼사오유육칠팔구시십])월")
        self.hangul_day_re = re.compile(r"((?:[이삼]?십)?[일이삼사오육칠팔구]|[이삼]?십)일")
        self.hangul_date_start_re = re.compile(r"[일이삼사오육칠팔구천]+년[ ]?[일이삼사오유육칠팔구시십]+월|"
                                               r"(?:십[일이]|[일이삼사오유육칠팔구시십])월[ ]?[일이삼사오육칠팔구십0-9]+일|"
                                               r"[일이삼사오육칠팔구십]+일[ ]?[월화수목금토일]요일")
        # 일과 사분의 일: a spelled-out whole number, 과/와 and a fraction (quantity_forms._spelled_mixed_fraction)
        # 이등으로, 일등을: a rank in Sino-Korean words before a particle (not 일등석, 이등병); 반 이상, 반이 넘는: a half
        self.hangul_rank_re = re.compile(r"([일이삼사오육칠팔구])등(?=으로|은|는|을|를|이|의|에|도|$|[ .,!?])")
        self.half_re = re.compile(r"반(?=[ ]?(?:이상|이 넘|을 넘|가량|정도|에 달|에 불과|에 그|에 못 미|에 가까))")
        self.spelled_and_fraction_re = re.compile(r"[일이삼사오육칠팔구십백천]+[과와] [일이삼사오육칠팔구십백천]+[ ]?분의")
        self.quarter_re = re.compile(r"([1-4])(?:사|/4[ ]?)?분기")  # 3분기, 3사분기, 1/4분기
        self.period_unit_re = re.compile(r"개월|년|주일|주|일|달|해")
        hz = "".join(c for c, (v, k) in self.sino.items() if k != "vague")
        self.hangul_fraction_re = re.compile(rf"([{hz}]+)[ ]?분의[ ]?([{hz}]+|\d+(?:\.\d+)?)")
        firsts = set(self.sino) | {w[0] for w in self.native_units} | {w[0] for w in self.native_tens} \
            | {w[0] for w in self.native_ord} | {w[0] for w in self.native_first} | {w[0] for w in self.pre_hedges} \
            | {w[0] for w in self.rel} | {w[0] for w in self.prefixes} | {w[0] for w in self.weekdays} \
            | {w[0] for w in self.parts if self.parts[w]["standalone"] == "y"} | {w[0] for w in self.dur_words} \
            | {w[0] for w in self.times} | {s[0] for s in self.symbols} | {"제"} | {w[0] for w in self.holidays} \
            | set("첫둘셋넷다마") | set("-−마음영") | {"반"}
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
                       self.hangul_fraction_re, self.holiday_re, self.nth_weekday_re, self.sign_re,
                       self.hangul_date_start_re, self.spelled_and_fraction_re, self.hangul_rank_re, self.half_re)
        self.word_start_re = re.compile("|".join(f"(?:{rx.pattern})" for rx in word_starts) + "|제")
        # A Sino-Korean numeral syllable where no word starts begins an expression only as a number
        # that _scan_number() reads (삼십, 이천), or as 수/몇 before a period unit (수년, 몇 주):
        # dates, periods and times otherwise need a digit or a word. Most such starts are ordinary
        # words (일본, 사업, 이어), and find_expressions() skips them after one _scan_number().
        self.vague_period_starts = ("수", "몇")
        # normalize(): a whole text of Sino-Korean numerals and digits (read greedily), and a whole text that may
        # be one spelled-out number (열, 서른다섯, 오십 이, 삼점사, 마이너스 오점 오, 반): tested before reading it
        self.sino_or_digits_re = re.compile(rf"[0-9,.{re.escape(''.join(self.sino))}]+")
        self.numberish_re = re.compile(rf"[0-9,. \u00a0{re.escape(''.join(self.sino))}]+")
        native_chars = "".join(sorted({c for w in list(self.native_units) + list(self.native_tens) for c in w}))
        self.spelled_number_re = re.compile(rf"(?:마이너스|음수|-|−)?[ ]?[{re.escape(''.join(self.sino) + native_chars)}점반 \u00a0\u202f]+")


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    return _Lex()
