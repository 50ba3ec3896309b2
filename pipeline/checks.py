"""Checks of what a user asked for, made before anything is read or written.

Each raises :class:`UsageError` with one line that says what is wrong and what to do; the command
line prints it and exits 2 (nothing in ``--out`` has changed at that point).
"""
from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path
from urllib.parse import urlsplit

ENTITY_LABELS = ("PS", "OG", "LC", "DT", "TI", "QT", "AF", "EV", "CV")
RELATION_TYPES = ("per:employee_of", "per:title", "org:product", "org:branch_of", "org:place_of_headquarters",
                  "org:partner_of", "org:client_of", "org:hosts", "ev:date", "ev:place", "qt:of")


class UsageError(ValueError):
    """A request that cannot be carried out as given; the message is the one line the user reads."""


def check_inputs(inputs: list[str]) -> None:
    for item in inputs:
        path = Path(item)
        if not path.exists():
            hint = f" (did you mean {path.parent / _closest(path)}?)" if _closest(path) else ""
            raise UsageError(f"input {item} does not exist{hint}: give .txt/.html files, folders of them "
                             "or .jsonl corpora")


def _closest(path: Path) -> str:
    import difflib

    parent = path.parent if str(path.parent) else Path(".")
    try:
        names = [p.name for p in parent.iterdir()]
    except OSError:
        return ""
    found = difflib.get_close_matches(path.name, names, n=1, cutoff=0.75)
    return found[0] if found else ""


def check_out(out: str) -> None:
    path = Path(out)
    for folder in (path, *path.parents):
        if folder.exists():
            if not folder.is_dir():
                what = "is a file" if folder == path else f"is inside {folder}, which is a file"
                raise UsageError(f"--out {out} {what}: give a folder (it is created when missing)")
            return


def check_metadata(metadata: str | None) -> None:
    """The file must exist and be a CSV with an ``id`` column (as :func:`pipeline.reader.read_metadata` reads it)."""
    if not metadata:
        return
    from .reader import InputError, read_metadata_header

    path = Path(metadata)
    if not path.is_file():
        raise UsageError(f"--metadata {metadata}: {'is a folder' if path.is_dir() else 'no such file'}; "
                         "give a CSV file with the columns id,published,publisher,title")
    try:
        columns = read_metadata_header(path)
    except (InputError, OSError) as exc:
        raise UsageError(f"--metadata {metadata}: cannot read it ({exc}); give a UTF-8 or CP949 CSV file") from None
    if "id" not in columns:
        raise UsageError(f"--metadata {metadata}: no 'id' column (found {', '.join(columns) or 'none'}); "
                         "the header must be id,published,publisher,title")


def parse_published(value: str | dt.date | None, what: str = "--published") -> dt.date | None:
    """``2025-09-10`` (also ``2025.09.10``, ``2025/9/10``) or a date -> date; None stays None."""
    if value is None or isinstance(value, dt.date):
        return value
    from .reader import InputError, parse_date

    try:
        return parse_date(value)
    except InputError as exc:
        reason = str(exc).rsplit(": ", 1)[-1]
        raise UsageError(f"{what} {value}: {reason}; write the date as YYYY-MM-DD, e.g. 2025-09-10") from None


def check_count(name: str, value: int | None, allow_none: bool = True, hint: str = "") -> None:
    if value is None and allow_none:
        return
    if value is None or value < 1:
        raise UsageError(f"{name} {value}: must be 1 or more{hint}")


def check_choice(name: str, value: str | None, choices: tuple[str, ...]) -> None:
    if value is None or value in choices:
        return
    import difflib

    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5) or [c for c in choices if value in c][:1]
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise UsageError(f"{name} {value}: unknown{hint}; choose one of {', '.join(choices)}")


def check_scheduler(address: str | None, timeout: float = 5.0) -> None:
    """``tcp://HOST:PORT`` that accepts a connection."""
    if not address:
        return
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "tcp" or not parts.hostname or not port:
        raise UsageError(f"--scheduler {address}: expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786")
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            pass
    except OSError as exc:
        raise UsageError(f"--scheduler {address}: cannot reach a Dask scheduler there ({exc.strerror or exc}); "
                         "start one with `dask scheduler`, or leave out --scheduler for a local cluster") from None


__all__ = ["ENTITY_LABELS", "RELATION_TYPES", "UsageError", "check_choice", "check_count", "check_inputs",
           "check_metadata", "check_out", "check_scheduler", "parse_published"]
