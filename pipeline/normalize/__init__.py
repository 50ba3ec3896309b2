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
  after P's month, then the year before (news mostly report the past); a forward word after it (앞두고,
  예정, 열린다) makes it the coming one; right after a date that named its month (within 8 characters) it takes
  that date's year (``2015년 11월 18일부터 12월 19일까지``; the next year when a range goes back in months).
- A bare day (``10일``) takes P's month when the day is at most P's day + 10, else the month before
  (the verb that would tell past from future is not looked at). A bare day right after a date that
  named its month (``9월 18일부터 20일까지``) takes that date's year and month.
- A bare weekday is the one of P's ISO week; ``지난주`` / ``다음 주`` are ISO weeks (norm ``2025-W37``,
  norm_start/norm_end Monday/Sunday); ``다음 주 월요일`` is a day.
- Relative words (이날, 어제, 지난달, 지난해, 1년 전, 3일 전) move P at their own grain; ``N주 전/후`` is a day
  (``2주 후`` -> P + 14 days, not an ISO week); counts of falling grains before one 전/후 are one offset
  (``2년 1개월 21일 전`` -> a day, ``1년 6개월 전`` -> a month); an offset right after a relative day counts from it
  (``어제로부터 4일 후`` -> P + 3 days). Anaphoric days (이날, 같은 날, 전날, 다음날) and years (그해, 같은 해)
  resolve against the last date the article wrote (types.Context), else P (다음날 and 그해: else empty).
- Quarters, halves, seasons and year parts (2분기, 상반기, 올여름, 연말) resolve to the year (norm YYYY),
  with norm_start/norm_end months for quarters, halves and seasons other than winter; a bare one
  takes P's year. Month parts (9월 말, 이달 중순) resolve to the month.
- Ranges (``18~20일``, ``2020~2022년``) written as one span are one DT with norm = norm_start and
  norm_end; ``18일부터 20일까지`` gives two DTs.
- Durations (3년간, 4개월여, 16일 동안, 10년째, 3년) are DT kind ``duration`` with an empty norm; after
  지난/최근/과거 they carry norm_start/norm_end ending on P (``지난 5년간``), after 앞으로/향후/다가오는 starting
  the day after P; a bare day before 간/동안 (``3일 간``) is such a period, not the day of the month;
  measured times (3시간, 30분) are QT kind ``duration``, one QT in the smallest unit when compound (5분 30초 -> 330 초).
- Times: norm HH:MM only when the clock time is explicit (오후 3시 -> 15:00, 16시 -> 16:00, 정오 -> 12:00);
  a bare hour 1-12 without 오전/오후 (``4시 13분``) keeps an empty norm.
- Without a publication date every relative expression keeps an empty norm.

QT: value is the number (int when whole), unit the counter as listed in ``num_counters.tsv``
(spelled-out and full-width variants map to one canonical unit: 퍼센트 -> %, $ -> 달러),
ranges keep the lower bound as value with value_min/value_max; hedges set approx.

Recognisers (``recognisers.RECOGNISERS``, in this order; each ``recognise_X(text, i, ctx)`` returns the
expressions starting at i or None): serial_date (2025-09-10, 2014-2018; serial_dates.py), date (dates.py), era (1990년대,
dates.py), period (3년간, 1년 전; periods.py), time (times.py), quantity (quantities.py).
find_expressions() walks the candidate starts left to right; at each it runs the recognisers that can
start there (serial_date and era only at a digit, time only at a digit or the first letter of a time
word), keeps the match that ends furthest, and continues after it. The order matters for ties only:
of two equally long matches the earlier recogniser's wins: a date beats a period (``3일`` is a day of
the month, not three days) and a period beats a quantity. On the Wikinews articles and KLUE sentences
those are the only ties (1,180 date/period, 4 period/quantity). A date that names its
month sets ``Context.month_anchor`` for a bare day right after it. Ratios (``10명 중 7명``), dollars and cents
(``1달러 20센트``) and compound durations (``3시간 50분`` -> 230 분) are merged from the QTs after the walk
(merges.py).

Modules: types (Expression, Context), lexicon (the resource TSVs), spans (boundary tests), numerals
(reading, parsing and rendering numbers), quantities, merges, dates, serial_dates, periods, times, resolve
(against the publication date), recognisers (find_expressions, normalize), cli (run_cli).
"""
from __future__ import annotations

from .cli import run_cli
from .numerals import parse_korean_number, render_korean_number
from .recognisers import find_expressions, earlier_dates, normalize
from .types import Expression

__all__ = ["Expression", "find_expressions", "earlier_dates", "normalize", "render_korean_number", "parse_korean_number",
           "run_cli"]
