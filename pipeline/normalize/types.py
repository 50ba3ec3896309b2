"""The normaliser's types: its result (``Expression``) and what a recogniser reads besides the text
(``Context``). No spaCy, no Kiwi: safe to import anywhere."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass


# What a mention means, beside where it is: the fields an Expression and an entity's details
# (records.EntityInfo) share, so that a recognised expression becomes an entity's details in one step.
READING_FIELDS = ("value", "unit", "norm", "approx", "value_min", "value_max", "norm_start", "norm_end")


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


@dataclass(slots=True)
class Context:
    """What a recogniser may read besides the text, for one find_expressions() call.

    ``month_anchor`` is (end offset, year, month) of the last DT that named a month (set by
    find_expressions() after each accepted match): a bare day right after it (``9월 18일부터 20일까지``)
    takes that year and month.

    ``last_date`` / ``last_year``: the last day-grain date and the last year the text wrote before the current
    position (set after each accepted DT; ``find_expressions(last_date=...)`` carries the article's earlier
    dates across sentences). Anaphoric words (이날, 같은 날, 전날, 다음날, 그해; ``anchor`` in
    date_relative.tsv) resolve against them (labelling guide §4.14)."""

    published: _dt.date | None = None
    month_anchor: tuple[int, int, int] | None = None
    last_date: _dt.date | None = None
    last_year: int | None = None
