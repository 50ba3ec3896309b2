"""``python -m pipeline normalize``: one JSON line per TEXT (or per expression with ``--all``)."""
from __future__ import annotations

import argparse
import datetime as _dt
import json

from .recognisers import find_expressions, normalize


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
