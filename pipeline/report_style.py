"""How the report looks: labels and their colours, the entity template, the style sheet (inline:
the report is one self-contained file), and how table cells are written (escaped, numbers as people
write them)."""
from __future__ import annotations

import html
import math
from typing import Iterable

import pandas as pd

CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #f4f5f7; color: #1d1f23; font: 15px/1.55 -apple-system, "Segoe UI", "Noto Sans CJK KR",
  "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", "NanumGothic", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 20px 24px 60px; }
h1 { font-size: 26px; margin: 8px 0 2px; }
h2 { font-size: 20px; margin: 0 0 6px; }
h3 { font-size: 15px; margin: 18px 0 6px; color: #3b4150; text-transform: uppercase; letter-spacing: .04em; }
.muted { color: #646b7a; font-size: 13px; }
.card { background: #fff; border: 1px solid #dde0e6; border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
.stats { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0 4px; }
.stat { background: #f0f2f6; border-radius: 6px; padding: 6px 14px; min-width: 90px; }
.stat b { display: block; font-size: 22px; }
.stat.bad b { color: #b3261e; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 0 28px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; }
th { background: #f7f8fa; font-weight: 600; color: #3b4150; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.chip { display: inline-block; border-radius: 4px; padding: 0 6px; font-weight: 700; font-size: 12px; color: #1d1f23; }
.legend .chip { margin: 2px 8px 2px 0; }
.error { color: #b3261e; }
.warning { background: #fff4ce; border: 1px solid #f0d98a; border-radius: 6px; padding: 6px 10px; font-size: 13px; }
.entities { line-height: 2.3; font-size: 15.5px; overflow-wrap: anywhere; }
mark.entity { color: inherit; padding: 0.2em 0.35em; margin: 0 0.1em; border-radius: 0.35em; line-height: 1;
  cursor: help; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.entity-label { font-size: 0.68em; font-weight: 700; margin-left: 0.35em; vertical-align: middle; opacity: .75; }
.evidence { color: #3b4150; }
.rel { white-space: nowrap; font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12.5px; }
a { color: #1858b8; text-decoration: none; }
a:hover { text-decoration: underline; }
"""


# label -> (what it is, highlight colour); one colour per label, light enough for black text.
LABELS: dict[str, tuple[str, str]] = {
    "PS": ("person", "#f8b4b4"),
    "OG": ("organisation", "#9fd3f5"),
    "LC": ("location", "#b5e5a4"),
    "DT": ("date", "#ffe27a"),
    "TI": ("time", "#ffc482"),
    "QT": ("quantity", "#d5bdf7"),
    "AF": ("artifact / product", "#99e2d8"),
    "EV": ("event", "#f7b3e3"),
    "CV": ("job title / position", "#d9d6b8"),
}
LABEL_COLORS = {label: color for label, (_, color) in LABELS.items()}
OTHER_COLOR = "#dddddd"
VALUE_LABELS = ("DT", "TI", "QT")  # normalised values, not canonical names: left out of the top-entities table

# displaCy fills {text} (escaped by displaCy), {label}, {bg} and {kb_link} (always "" here: no kb_id is passed);
# the other fields come from each span's "params" and are escaped by _span_params before they get here.
ENT_TEMPLATE = ('<mark class="entity" style="background: {bg}" title="{hover}" data-start="{start}" '
                'data-end="{end}" data-label="{label}" data-entity-id="{entity_id}">{text}'
                '<span class="entity-label">{label}</span></mark>')



# --------------------------------------------------------------------------- small helpers

def _str(value) -> str:
    """A table cell as text: None/NaN -> "", 2.0 -> "2"."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def esc(value) -> str:
    """Escaped for HTML text and (double- or single-quoted) attribute values."""
    return html.escape(_str(value), quote=True)


def _col(table: pd.DataFrame, name: str) -> pd.Series:
    """A text column as plain strings, missing values and a missing column as ""."""
    if name not in table:
        return pd.Series("", index=table.index, dtype=object)
    column = table[name]
    if pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:
        return column.fillna("")
    return column.astype(object).where(column.notna(), "").map(_str)


def _records(table: pd.DataFrame, ids: pd.Series, wanted: set[str]) -> dict[str, list[dict]]:
    """article id -> its rows as dicts, for the articles in ``wanted`` only (in table order)."""
    groups: dict[str, list[dict]] = {}
    keep = ids.isin(wanted)
    for key, row in zip(ids[keep], table[keep].to_dict("records")):
        groups.setdefault(key, []).append(row)
    return groups


def _truthy(value) -> bool:
    return _str(value).strip().lower() in ("true", "1", "yes")


def _int(value) -> int | None:
    try:
        return int(float(_str(value)))
    except ValueError:
        return None


def _color(label: str) -> str:
    return LABEL_COLORS.get(label.upper(), OTHER_COLOR)


def _chip(label) -> str:
    label = _str(label)
    return f'<span class="chip" style="background: {_color(label)}">{esc(label)}</span>'


def readable_number(value) -> str:
    """A value as people write it: ``20,310,000``, ``0.000000001`` (not ``1e-09``), ``2.5``; other text as is."""
    from decimal import Decimal, InvalidOperation

    text = _str(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    whole, _, fraction = format(number, "f").partition(".")
    fraction = fraction.rstrip("0")
    whole = f"{int(whole):,}" if whole.lstrip("-").isdigit() else whole
    if whole == "0" and text.startswith("-"):
        whole = "-0"
    return f"{whole}.{fraction}" if fraction else whole


def hover_text(row) -> str:
    """What the mouse shows over an entity: ``QT 20310000 명 (approx)``, ``OG → 오픈AI``, ``DT → 2025-09-11``."""
    label = _str(row.get("label"))
    value, unit, norm = _str(row.get("value")), _str(row.get("unit")), _str(row.get("norm"))
    if value:
        shown = " ".join(part for part in (label, readable_number(value), unit) if part)
        if _truthy(row.get("approx")):
            shown += " (approx)"
        if norm and norm != value:
            shown += f" → {norm}"
    else:
        shown = f"{label} → {norm or _str(row.get('text'))}"
    entity_id = _str(row.get("entity_id"))
    return f"{shown} [{entity_id}]" if entity_id else shown


def _table(headers: list[tuple[str, str]], rows: Iterable[list[str]], empty: str = "none") -> str:
    """``headers``: (title, css class); ``rows``: cells already escaped/marked up."""
    rows = list(rows)
    if not rows:
        return f'<p class="muted">{esc(empty)}</p>'
    head = "".join(f'<th class="{cls}">{esc(title)}</th>' for title, cls in headers)
    body = "".join("<tr>" + "".join(f'<td class="{cls}">{cell}</td>' for (_, cls), cell in zip(headers, row))
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
