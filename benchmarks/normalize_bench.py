"""The normaliser's throughput: ``benchmark(n)`` normalises n expressions cycling through the case corpus."""
from __future__ import annotations

import csv
import datetime as _dt
import time
from pathlib import Path

from pipeline.normalize import normalize
from pipeline.normalize.cli import _parse_date
from pipeline.normalize.lexicon import _lex

CASES_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "normalise"


def _benchmark_inputs() -> list[tuple[str, _dt.date | None]]:
    items = []
    for path in sorted(CASES_DIR.glob("*.tsv")):
        with open(path, encoding="utf-8", newline="") as fh:
            rows = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
        for r in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
            if r.get("label") in ("QT", "DT", "TI") and r.get("mode", "expr") == "expr":
                items.append((r["text"], _parse_date(r.get("published") or None)))
    if not items:
        items = [("2031만명", None), ("지난 2월", _dt.date(2025, 9, 10)), ("오후 3시 30분", None)]
    return items


def benchmark(n: int = 10_000) -> dict:
    """Normalise n expressions (cycling through the case corpus); returns counts and timing."""
    items = _benchmark_inputs()
    _lex()
    t0 = time.perf_counter()
    for k in range(n):
        text, pub = items[k % len(items)]
        normalize(text, pub)
    s = time.perf_counter() - t0
    return {"expressions": n, "seconds": round(s, 4), "per_second": round(n / s) if s else None}
