"""Validate the hand-labelled gold files in tests/gold/.

Usage:
    python tests/gold/check_gold.py            # every tests/gold/*.json
    python tests/gold/check_gold.py FILE ...   # selected files
    python tests/gold/check_gold.py --counts   # also print label / relation counts

Importable:
    from tests.gold.check_gold import check_file, check_all
    problems = check_file(path)          # list of strings, empty when the file is valid

What is checked (contract: /work/shared/notes/labelling-conventions.md, procedure: docs/labelling-guide.md):
- the source text resolves (seeds/<stem>.txt, or tests/data/wikinews/<id>.txt for
  "wikinews-ko.jsonl#<id>", compared with the shared jsonl row when that file is reachable);
- every entity: start/end are Python character offsets, text == source[start:end], no surrounding
  whitespace, sorted by start, no two spans overlap, label in the vocabulary;
- norm: non-empty canonical name for PS OG LC AF EV CV, the same surface form keeps one norm per file;
  DT norm is "" or ISO YYYY / YYYY-MM / YYYY-MM-DD (a real date); TI norm is "" or HH:MM; QT norm is "";
- QT value is a number (int when whole, never bool), unit a string, approx a bool; non-QT value null,
  unit "", approx false;
- relations: relation in the vocabulary, subj/obj offsets point at entity mentions of the right labels
  (PS->OG for per:employee_of, ...), subj/obj equal those mentions' norm (qt:of: obj is the QT mention's
  text; ev:date: obj is the DT mention's ISO norm), one row per (subj, relation, obj), org:partner_of
  once per pair with the subject named first in the article.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import sys
from collections import Counter
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent
REPO = GOLD_DIR.parent.parent
WIKINEWS_DIR = REPO / "tests" / "data" / "wikinews"
SHARED_WIKINEWS = [
    REPO.parent / "shared" / "data" / "wikinews-ko" / "wikinews-ko.jsonl",
    Path("/work/shared/data/wikinews-ko/wikinews-ko.jsonl"),
]

LABELS = {"PS", "OG", "LC", "DT", "TI", "QT", "AF", "EV", "CV"}
NAME_LABELS = {"PS", "OG", "LC", "AF", "EV", "CV"}
RELATIONS = {
    "per:employee_of": ({"PS"}, {"OG"}),
    "per:title": ({"PS"}, {"CV"}),
    "org:product": ({"OG"}, {"AF"}),
    "org:branch_of": ({"OG"}, {"OG"}),
    "org:place_of_headquarters": ({"OG"}, {"LC"}),
    "org:partner_of": ({"OG"}, {"OG"}),
    "org:client_of": ({"OG"}, {"OG"}),
    "org:hosts": ({"OG"}, {"EV"}),
    "ev:date": ({"EV"}, {"DT"}),
    "ev:place": ({"EV"}, {"LC"}),
    "qt:of": ({"AF", "OG", "LC", "PS"}, {"QT"}),
}
ENTITY_KEYS = ["start", "end", "text", "label", "norm", "value", "unit", "approx"]
RELATION_KEYS = ["subj", "relation", "obj", "subj_start", "subj_end", "obj_start", "obj_end"]
TOP_KEYS = ["article_id", "source", "published", "entities", "relations"]

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def iso_ok(s: str) -> bool:
    """True for a real ISO 8601 date at year, month or day grain."""
    m = _ISO.match(s)
    if not m:
        return False
    y, mo, d = m.groups()
    try:
        _dt.date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        return False
    return True


def _shared_rows() -> dict:
    for p in SHARED_WIKINEWS:
        if p.is_file():
            rows = {}
            with open(p, encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    rows[r["id"]] = r
            return rows
    return {}


_ROWS_CACHE: dict | None = None


def load_source(source: str) -> tuple[str, dict | None]:
    """Return (text, shared row or None) for a gold file's "source"."""
    global _ROWS_CACHE
    if source.startswith("wikinews-ko.jsonl#"):
        wid = source.split("#", 1)[1]
        text = open(WIKINEWS_DIR / f"{wid}.txt", encoding="utf-8").read()
        if _ROWS_CACHE is None:
            _ROWS_CACHE = _shared_rows()
        return text, _ROWS_CACHE.get(wid)
    return open(REPO / source, encoding="utf-8").read(), None


def check_file(path) -> list[str]:
    path = Path(path)
    errs: list[str] = []

    def err(msg):
        errs.append(f"{path.name}: {msg}")

    try:
        g = json.loads(path.read_text(encoding="utf-8"))
    except Exception as e:  # noqa: BLE001
        return [f"{path.name}: not valid JSON: {e}"]
    for k in TOP_KEYS:
        if k not in g:
            err(f"missing key {k!r}")
    if errs:
        return errs

    # source text
    src = g["source"]
    try:
        text, row = load_source(src)
    except OSError as e:
        return [f"{path.name}: source {src!r} not readable: {e}"]
    if src.startswith("wikinews-ko.jsonl#"):
        wid = src.split("#", 1)[1]
        if g["article_id"] != f"wikinews-{wid}":
            err(f"article_id {g['article_id']!r} should be 'wikinews-{wid}'")
        if row is not None:
            if row["text"] != text:
                err(f"tests/data/wikinews/{wid}.txt differs from the shared jsonl row")
            if row["published"] != g["published"]:
                err(f"published {g['published']!r} != row's {row['published']!r}")
    else:
        if g["article_id"] != Path(src).stem:
            err(f"article_id {g['article_id']!r} should be the source stem {Path(src).stem!r}")
    if not (isinstance(g["published"], str) and len(g["published"]) == 10 and iso_ok(g["published"])):
        err(f"published {g['published']!r} is not YYYY-MM-DD")

    # entities
    ents = g["entities"]
    by_span = {}
    prev = None
    norms_by_form: dict[tuple, set] = {}
    for i, e in enumerate(ents):
        where = f"entity #{i} {e.get('text')!r}@{e.get('start')}"
        if list(e.keys()) != ENTITY_KEYS:
            err(f"{where}: keys {list(e.keys())} != {ENTITY_KEYS}")
            continue
        s, t, lab = e["start"], e["end"], e["label"]
        if not (isinstance(s, int) and isinstance(t, int) and 0 <= s < t <= len(text)):
            err(f"{where}: bad offsets")
            continue
        if text[s:t] != e["text"]:
            err(f"{where}: text != source[{s}:{t}] = {text[s:t]!r}")
        if e["text"] != e["text"].strip():
            err(f"{where}: surrounding whitespace")
        if lab not in LABELS:
            err(f"{where}: label {lab!r} not in {sorted(LABELS)}")
        if prev is not None:
            if (s, t) < (prev["start"], prev["end"]):
                err(f"{where}: entities not sorted by start")
            if s < prev["end"]:
                err(f"{where}: overlaps {prev['text']!r}@{prev['start']}")
        prev = e
        by_span[(s, t)] = e
        norm, val, unit, approx = e["norm"], e["value"], e["unit"], e["approx"]
        if not isinstance(norm, str):
            err(f"{where}: norm must be a string")
            continue
        if not isinstance(unit, str):
            err(f"{where}: unit must be a string")
        if not isinstance(approx, bool):
            err(f"{where}: approx must be a bool")
        if lab in NAME_LABELS:
            if not norm.strip():
                err(f"{where}: empty norm for {lab}")
            norms_by_form.setdefault((lab, e["text"]), set()).add(norm)
        elif lab == "DT":
            if norm and not iso_ok(norm):
                err(f"{where}: DT norm {norm!r} is not ISO YYYY[-MM[-DD]]")
        elif lab == "TI":
            if norm and not _HHMM.match(norm):
                err(f"{where}: TI norm {norm!r} is not HH:MM")
        elif lab == "QT":
            if norm != "":
                err(f"{where}: QT norm must be empty")
            if isinstance(val, bool) or not isinstance(val, (int, float)):
                err(f"{where}: QT value {val!r} is not a number")
            elif isinstance(val, float) and val.is_integer():
                err(f"{where}: QT value {val!r} is whole: write it as an int")
        if lab != "QT":
            if val is not None:
                err(f"{where}: value must be null for {lab}")
            if unit != "":
                err(f"{where}: unit must be empty for {lab}")
            if approx is not False:
                err(f"{where}: approx must be false for {lab}")
    for (lab, form), ns in norms_by_form.items():
        if len(ns) > 1:
            err(f"{lab} {form!r} has several norms {sorted(ns)}")

    # relations
    first_mention = {}
    for e in ents:
        first_mention.setdefault(e["norm"], e["start"])
    seen = set()
    for i, r in enumerate(g["relations"]):
        where = f"relation #{i} {r.get('subj')!r} {r.get('relation')} {r.get('obj')!r}"
        if list(r.keys()) != RELATION_KEYS:
            err(f"{where}: keys {list(r.keys())} != {RELATION_KEYS}")
            continue
        rel = r["relation"]
        if rel not in RELATIONS:
            err(f"{where}: relation not in the vocabulary")
            continue
        subj_labels, obj_labels = RELATIONS[rel]
        se = by_span.get((r["subj_start"], r["subj_end"]))
        oe = by_span.get((r["obj_start"], r["obj_end"]))
        if se is None:
            err(f"{where}: subj offsets {r['subj_start']}-{r['subj_end']} are not an entity mention")
        elif se["label"] not in subj_labels:
            err(f"{where}: subj mention is {se['label']}, expected {sorted(subj_labels)}")
        elif se["norm"] != r["subj"]:
            err(f"{where}: subj != mention norm {se['norm']!r}")
        if oe is None:
            err(f"{where}: obj offsets {r['obj_start']}-{r['obj_end']} are not an entity mention")
        elif oe["label"] not in obj_labels:
            err(f"{where}: obj mention is {oe['label']}, expected {sorted(obj_labels)}")
        elif rel == "qt:of":
            if oe["text"] != r["obj"]:
                err(f"{where}: qt:of obj must be the QT mention's text {oe['text']!r}")
        elif rel == "ev:date":
            if not iso_ok(r["obj"]) or oe["norm"] != r["obj"]:
                err(f"{where}: ev:date obj must be the DT mention's ISO norm {oe['norm']!r}")
        elif oe["norm"] != r["obj"]:
            err(f"{where}: obj != mention norm {oe['norm']!r}")
        key = (r["subj"], rel, r["obj"])
        if key in seen:
            err(f"{where}: duplicate row")
        seen.add(key)
        if rel == "org:partner_of":
            if (r["obj"], rel, r["subj"]) in seen:
                err(f"{where}: symmetric pair listed twice")
            if first_mention.get(r["subj"], 0) > first_mention.get(r["obj"], 0):
                err(f"{where}: subject must be the one named first in the article")
        if r["subj"] == r["obj"] and rel != "qt:of":
            err(f"{where}: subject and object are the same")
    return errs


def counts(path) -> tuple[Counter, Counter]:
    g = json.loads(Path(path).read_text(encoding="utf-8"))
    return Counter(e["label"] for e in g["entities"]), Counter(r["relation"] for r in g["relations"])


def check_all(gold_dir=GOLD_DIR) -> dict[str, list[str]]:
    return {p.name: check_file(p) for p in sorted(Path(gold_dir).glob("*.json"))}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    show = "--counts" in argv
    files = [a for a in argv if a != "--counts"] or sorted(GOLD_DIR.glob("*.json"))
    bad = 0
    for f in files:
        probs = check_file(f)
        bad += len(probs)
        status = "ok" if not probs else f"{len(probs)} problem(s)"
        print(f"{Path(f).name}: {status}")
        for p in probs:
            print("  " + p)
        if show:
            lab, rel = counts(f)
            print("  labels:   ", dict(sorted(lab.items())), "total", sum(lab.values()))
            print("  relations:", dict(sorted(rel.items())), "total", sum(rel.values()))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
