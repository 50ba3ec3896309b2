"""Linguistic facts as data files (lexicon, aliases, titles, triggers, number words).

Users extend these files, not the code. Every file is UTF-8 TSV with a header row; lines
starting with ``#`` are comments.

A bare file name (``titles.tsv``) always means the packaged file in this folder, whatever the
current directory holds; a user's own file (a lexicon) is given as a path with a folder part
(``./my_lexicon.tsv``, ``/data/lexicon.tsv``) and must exist.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

RESOURCE_DIR = Path(__file__).resolve().parent


def resource_path(name: str | Path) -> Path:
    """The packaged resource ``name`` (a bare file name), or the user's file at ``name`` (a path with
    a folder part, or a ``Path``). Raises ``FileNotFoundError`` with the path when it is missing."""
    if isinstance(name, str) and "/" not in name and "\\" not in name:
        path = RESOURCE_DIR / name
    else:
        path = Path(name).expanduser()
    if not path.is_file():
        where = "packaged resource" if path.parent == RESOURCE_DIR else "file"
        raise FileNotFoundError(f"no {where} {path}")
    return path


@lru_cache(maxsize=None)
def _read_tsv_cached(path: str, mtime: float) -> tuple[dict, ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_tsv(name: str | Path) -> list[dict[str, str]]:
    """Rows of a resource TSV as dicts (header row gives the keys)."""
    path = resource_path(name)
    return [dict(row) for row in _read_tsv_cached(str(path), path.stat().st_mtime)]
