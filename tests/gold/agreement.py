"""Agreement between two independent readings of the same article (docs/labelling-guide.md, "Second readings
and agreement").

Every ``tests/gold/second-reading/<name>.json`` is compared with the first reading ``tests/gold/<name>.json``:

- entities: F1 between the readings on exact span + label, and on the span alone;
- norms: on the mentions both readings have with the same span, the share with the same norm, QT value and
  unit (``approx`` is not compared, as the evaluation does not score it);
- relations: F1 on (subj, relation, obj), as the evaluation scores them.

F1 between two readings is symmetric: 2 x agreed / (first's count + second's count). A figure with nothing to
compare (two empty lists, no shared span) is ``None`` (``n/a``). Totals add the counts over articles.

The disagreements are listed per article. For a ``test`` article (``tests/gold/splits.tsv``) only its figures
are printed unless ``--show-test`` is given: the test part is only scored, so people writing rules never read
its contents; labellers settling the two readings pass ``--show-test``.

Usage:
    python tests/gold/agreement.py                  # readable report
    python tests/gold/agreement.py --show-test      # also list the test articles' disagreements
    python tests/gold/agreement.py --json [FILE]    # the figures as JSON (stdout without FILE)
    python tests/gold/agreement.py --first DIR --second DIR
Exit status 1 when a second reading has no first reading.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent
SECOND_DIR = GOLD_DIR / "second-reading"


def _f1(agree: int, first: int, second: int) -> float | None:
    return 2 * agree / (first + second) if first + second else None


def _part(first: set, second: set) -> dict:
    agree = len(first & second)
    return {"first": len(first), "second": len(second), "agree": agree,
            "only_first": len(first - second), "only_second": len(second - first), "f1": _f1(agree, len(first), len(second))}


def _norm_key(entity: dict) -> tuple:
    value = entity.get("value")
    return entity.get("norm") or "", None if value is None else float(value), entity.get("unit") or ""


def _normtext(entity: dict) -> str:
    if entity.get("value") is not None:
        return f"{entity['value']:g} {entity.get('unit') or ''}".strip()
    return entity.get("norm") or ""


def _show(entity: dict) -> str:
    extra = _normtext(entity)
    return f"{entity['label']} {entity['text']!r} [{entity['start']}:{entity['end']}]" + (f" -> {extra}" if extra else "")


def compare(first: dict, second: dict) -> dict:
    """Figures and disagreements between two readings (gold file dicts) of one article."""
    ents_a = {(e["start"], e["end"], e["label"]): e for e in first["entities"]}
    ents_b = {(e["start"], e["end"], e["label"]): e for e in second["entities"]}
    spans_a = {(e["start"], e["end"]): e for e in first["entities"]}
    spans_b = {(e["start"], e["end"]): e for e in second["entities"]}
    rels_a = {(r["subj"], r["relation"], r["obj"]) for r in first["relations"]}
    rels_b = {(r["subj"], r["relation"], r["obj"]) for r in second["relations"]}

    shared = sorted(set(spans_a) & set(spans_b))
    norm_diff = [(spans_a[s], spans_b[s]) for s in shared if _norm_key(spans_a[s]) != _norm_key(spans_b[s])]
    norm = {"matched": len(shared), "same": len(shared) - len(norm_diff),
            "agreement": (len(shared) - len(norm_diff)) / len(shared) if shared else None}

    label_diff = [(spans_a[s], spans_b[s]) for s in shared if spans_a[s]["label"] != spans_b[s]["label"]]
    only_first = [spans_a[s] for s in sorted(set(spans_a) - set(spans_b))]
    only_second = [spans_b[s] for s in sorted(set(spans_b) - set(spans_a))]
    return {
        "figures": {"entities": _part(set(ents_a), set(ents_b)), "spans": _part(set(spans_a), set(spans_b)),
                    "norm": norm, "relations": _part(rels_a, rels_b)},
        "disagreements": {
            "label": label_diff, "entity_only_first": only_first, "entity_only_second": only_second,
            "norm": norm_diff,
            "relation_only_first": sorted(rels_a - rels_b), "relation_only_second": sorted(rels_b - rels_a)},
    }


def _load_splits(first_dir: Path) -> dict[str, str]:
    path = first_dir / "splits.tsv"
    if not path.exists():
        return {}
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return {row[0]: row[1].strip() for row in rows}


def _sum_parts(parts: list[dict]) -> dict:
    total = {k: sum(p[k] for p in parts) for k in ("first", "second", "agree", "only_first", "only_second")}
    total["f1"] = _f1(total["agree"], total["first"], total["second"])
    return total


def agreement(first_dir: Path = GOLD_DIR, second_dir: Path = SECOND_DIR) -> dict:
    """Per-article comparisons (``articles``: name -> compare() plus ``article_id`` and ``split``), the
    second readings with no first reading (``missing``) and the summed figures (``total``)."""
    first_dir, second_dir = Path(first_dir), Path(second_dir)
    splits = _load_splits(first_dir)
    articles, missing = {}, []
    for path in sorted(second_dir.glob("*.json")) if second_dir.is_dir() else []:
        first_path = first_dir / path.name
        if not first_path.exists():
            missing.append(path.name)
            continue
        first = json.loads(first_path.read_text(encoding="utf-8"))
        second = json.loads(path.read_text(encoding="utf-8"))
        result = compare(first, second)
        article_id = first["article_id"]
        result["article_id"] = article_id
        result["split"] = "seeds" if not article_id.startswith("wikinews") else splits.get(article_id, "?")
        articles[path.stem] = result
    figures = [a["figures"] for a in articles.values()]
    matched = sum(f["norm"]["matched"] for f in figures)
    same = sum(f["norm"]["same"] for f in figures)
    total = {"articles": len(articles),
             "entities": _sum_parts([f["entities"] for f in figures]),
             "spans": _sum_parts([f["spans"] for f in figures]),
             "norm": {"matched": matched, "same": same, "agreement": same / matched if matched else None},
             "relations": _sum_parts([f["relations"] for f in figures])}
    return {"articles": articles, "missing": missing, "total": total}


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _line(name: str, f: dict) -> str:
    e, s, n, r = f["entities"], f["spans"], f["norm"], f["relations"]
    return (f"{name:<28} entities {e['agree']:>4}/{e['first']:>4}|{e['second']:<4} F1 {_fmt(e['f1'])}   "
            f"spans F1 {_fmt(s['f1'])}   norms {n['same']:>4}/{n['matched']:<4} {_fmt(n['agreement'])}   "
            f"relations {r['agree']:>3}/{r['first']:>3}|{r['second']:<3} F1 {_fmt(r['f1'])}")


def report(result: dict, show_test: bool = False) -> str:
    out = ["Agreement between first readings (tests/gold) and second readings (tests/gold/second-reading)",
           "counts: agreed/first|second", ""]
    for name, art in result["articles"].items():
        out.append(_line(f"{name} ({art['split']})", art["figures"]))
        if art["split"] == "test" and not show_test:
            out.append("  (test article: disagreements not listed; labellers settling them pass --show-test)")
            continue
        d = art["disagreements"]
        for a, b in d["label"]:
            out.append(f"  label   {a['text']!r} [{a['start']}:{a['end']}]: first {a['label']}, second {b['label']}")
        for e in d["entity_only_first"]:
            out.append(f"  first   {_show(e)}")
        for e in d["entity_only_second"]:
            out.append(f"  second  {_show(e)}")
        for a, b in d["norm"]:
            out.append(f"  norm    {a['label']} {a['text']!r} [{a['start']}:{a['end']}]: first "
                       f"{_normtext(a) or '(none)'!r}, second {_normtext(b) or '(none)'!r}")
        for rel in d["relation_only_first"]:
            out.append(f"  first   {' | '.join(rel)}")
        for rel in d["relation_only_second"]:
            out.append(f"  second  {' | '.join(rel)}")
    out += ["", _line(f"TOTAL ({result['total']['articles']} articles)", result["total"])]
    for name in result["missing"]:
        out.append(f"MISSING first reading for second-reading/{name}")
    return "\n".join(out)


def figures(result: dict) -> dict:
    """The JSON figures: per article (id, split, figures) and the totals; no disagreement texts."""
    return {"articles": {name: {"article_id": a["article_id"], "split": a["split"], **a["figures"]}
                         for name, a in result["articles"].items()},
            "missing": result["missing"], "total": result["total"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first", default=str(GOLD_DIR), help="folder of first readings (default tests/gold)")
    parser.add_argument("--second", default=str(SECOND_DIR), help="folder of second readings")
    parser.add_argument("--json", nargs="?", const="-", metavar="FILE", help="write the figures as JSON (- for stdout)")
    parser.add_argument("--show-test", action="store_true", help="also list the disagreements of test articles")
    args = parser.parse_args(argv)
    result = agreement(Path(args.first), Path(args.second))
    if args.json:
        text = json.dumps(figures(result), indent=1, ensure_ascii=False) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
        else:
            Path(args.json).write_text(text, encoding="utf-8")
    if args.json != "-":
        print(report(result, show_test=args.show_test))
    return 1 if result["missing"] else 0


if __name__ == "__main__":
    sys.exit(main())
