"""Which Wikinews articles are in the gold set, and which part (tune or test) each belongs to.

The choice is a fixed rule, not a person's (docs/labelling-guide.md, "Choosing and splitting"):

1. Read every row of ``../shared/data/wikinews-ko/wikinews-ko.jsonl``.
2. Skip stubs under 600 characters of ``text`` and long pieces over 3,000 characters (so a labeller can
   read an article in one sitting).
3. Sort the rest by ``sha256(id)`` and take the first ``N_NEW`` (46: 36 in the first batch, 10 more
   when the first batch held too few relations) not yet labelled (the three articles
   labelled before this rule existed, 0247, 0397 and 0555, stay in the set).
4. Split every Wikinews gold article by ``sha256("split:" + id)``: the last digit of the number modulo 10
   below 4 is ``test`` (about 40 %), the rest ``tune``.

``test`` articles are only ever scored: nobody reads them, or their errors, while writing rules.

Usage: ``python tests/gold/select_articles.py [--write]`` prints the choice; ``--write`` saves each chosen
article's exact text as ``tests/data/wikinews/<id>.txt`` and the split as ``tests/gold/splits.tsv``.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
JSONL = REPO.parent / "shared" / "data" / "wikinews-ko" / "wikinews-ko.jsonl"
MIN_CHARS, MAX_CHARS, N_NEW = 600, 3000, 46
LABELLED_BEFORE = ("kowikinews-0247", "kowikinews-0397", "kowikinews-0555")


def _hash(s: str) -> int:
    return int(hashlib.sha256(s.encode("utf-8")).hexdigest(), 16)


def split_of(row_id: str) -> str:
    """'test' or 'tune' for a Wikinews row id (``kowikinews-0555``)."""
    return "test" if _hash("split:" + row_id) % 10 < 4 else "tune"


def choose(rows: list[dict]) -> list[dict]:
    fits = [r for r in rows if MIN_CHARS <= len(r["text"]) <= MAX_CHARS and r["id"] not in LABELLED_BEFORE]
    fits.sort(key=lambda r: _hash(r["id"]))
    return fits[:N_NEW]


def main(argv: list[str]) -> int:
    rows = [json.loads(line) for line in JSONL.open(encoding="utf-8")]
    chosen = choose(rows)
    by_id = {r["id"]: r for r in rows}
    ids = sorted([*LABELLED_BEFORE, *(r["id"] for r in chosen)])
    for i in ids:
        print(f"{i}\t{split_of(i)}\t{len(by_id[i]['text'])}\t{by_id[i]['title']}")
    if "--write" in argv:
        out = REPO / "tests" / "data" / "wikinews"
        for r in chosen:
            path = out / f"{r['id']}.txt"
            if not path.exists():
                path.write_text(r["text"], encoding="utf-8")
        lines = ["article_id\tsplit"] + [f"wikinews-{i}\t{split_of(i)}" for i in ids]
        (REPO / "tests" / "gold" / "splits.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
