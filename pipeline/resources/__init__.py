"""Linguistic facts as data files (lexicon, aliases, titles, triggers, number words).

Users extend these files, not the code. Every file is UTF-8 TSV with a header row; lines
starting with ``#`` are comments.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

RESOURCE_DIR = Path(__file__).resolve().parent


def resource_path(name: str | Path) -> Path:
    """A path as given if it exists, else the file of that name in ``pipeline/resources``."""
    path = Path(name)
    return path if path.exists() else RESOURCE_DIR / path


@lru_cache(maxsize=None)
def _read_tsv_cached(path: str, mtime: float) -> tuple[dict, ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_tsv(name: str | Path) -> list[dict[str, str]]:
    """Rows of a resource TSV as dicts (header row gives the keys)."""
    path = resource_path(name)
    return [dict(row) for row in _read_tsv_cached(str(path), path.stat().st_mtime)]
