"""``python -m pipeline normalize``: one JSON line per expression found in each TEXT (``--first``: one per TEXT)."""
from __future__ import annotations

import argparse
import datetime as _dt
import json

from .recognisers import find_expressions, normalize


def _parse_date(s: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(s) if s else None


def _none_record(t: str) -> dict:
    return {"input": t, "text": t, "label": None, "value": None, "unit": "", "norm": "", "approx": False}


def run_cli(argv: list[str]) -> int:
    """``python -m pipeline normalize --published YYYY-MM-DD [--first] TEXT...``.

    By default every expression found in each TEXT is printed, one JSON line each (``오는 11일 오후 3시`` gives
    the DT and the TI); a TEXT with none gives one line with label null. ``--first`` prints one line per
    TEXT: the expression covering it, or its longest (the behaviour before issue 19). ``--all`` is accepted
    for old scripts and is the default."""
    argv = list(argv)
    if argv and argv[0] == "normalize":
        argv = argv[1:]
    ap = argparse.ArgumentParser(prog="python -m pipeline normalize",
                                 description="Normalise Korean quantities, dates and times "
                                             "(one JSON line per expression found in each TEXT).")
    ap.add_argument("--published", help="publication date YYYY-MM-DD (relative dates resolve against it)")
    ap.add_argument("--json", action="store_true", help="JSON lines (the default and only output format)")
    ap.add_argument("--first", action="store_true",
                    help="one JSON line per TEXT: the expression covering it or its longest, not every expression")
    ap.add_argument("--all", action="store_true", help=argparse.SUPPRESS)  # the default since issue 19
    ap.add_argument("texts", nargs="+", metavar="TEXT")
    args = ap.parse_args(argv)
    pub = _parse_date(args.published)
    for t in args.texts:
        if not args.first:
            found = find_expressions(t, pub)
            if not found:
                e = normalize(t, pub)  # a whole Sino-Korean numeral (이천칠백삼십오만) is read as one number
                found = [e] if e is not None else []
            for e in found:
                print(json.dumps({"input": t, **e.to_dict()}, ensure_ascii=False))
            if not found:
                print(json.dumps(_none_record(t), ensure_ascii=False))
            continue
        e = normalize(t, pub)
        rec = _none_record(t) if e is None else {"input": t, **e.to_dict()}
        print(json.dumps(rec, ensure_ascii=False))
    return 0
