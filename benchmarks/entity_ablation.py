"""Entity ablation through ``extract``'s own pipeline: the trained model alone, the pipeline with every
rule family and screen off ("base": model + grammar QT/DT/TI), each family added to the base, each family
taken out of the full pipeline, and the full pipeline ("all").

    python -m benchmarks.entity_ablation                 # seeds, tune, NER dev news (9 and KLUE's 6 labels)
    python -m benchmarks.entity_ablation --only all      # one system
    python -m benchmarks.entity_ablation --test          # also the aggregate Wikinews test F1 (report only)

Every figure is scored on the entity table the pipeline writes (``build_tables`` over ``Extractor``), the
model alone on its own ``doc.ents``. Families: :data:`pipeline.entities.spans.FAMILIES`. The Wikinews ``test``
part is left out unless ``--test`` is given, and then only its aggregate is printed.
"""
from __future__ import annotations

import argparse
import sys

import pandas as pd

from pipeline.entities import spans as switches
from pipeline.evaluate import Gold, Report, load_gold, run_pipeline, score, split_golds
from pipeline.nlp import Extractor, build_nlp
from pipeline.reader import Article
from pipeline.tables import build_tables

GOLD_DIR = "tests/gold"


def dev_news_rows():
    from training.data import SOURCES, load_rows

    return [r for r in load_rows("dev") if r["source"] == SOURCES["news"]]


def dev_scores(predictions, rows) -> dict:
    from training.evaluate_ner import score as ner_score

    out = {}
    for layer, name in (("entities", "dev9"), ("klue", "dev6")):
        res = ner_score(None, "dev", layer, rows=rows, predictions=predictions)["news"]
        out[f"{name} P"], out[f"{name} R"], out[f"{name} F1"] = (
            round(res["ALL"]["p"], 3), round(res["ALL"]["r"], 3), round(res["ALL"]["f"], 3))
        if layer == "entities":
            for label in ("PS", "OG", "LC"):
                out[f"dev9 {label}"] = round(res[label]["f"], 3)
    # The same sentences without the PS spans the conventions exclude (a surname or a letter alone: 김 씨,
    # A씨; labelling-conventions.md, Spans), which KLUE's annotation labels: removed from gold and output.
    def bare(spans):
        return [s for s in spans if not (s[2] == "PS" and s[1] - s[0] == 1)]
    adjusted = [dict(r, entities=[e for e in r["entities"] if not (e["label"] == "PS" and e["end"] - e["start"] == 1)])
                for r in rows]
    res = ner_score(None, "dev", "entities", rows=adjusted, predictions=[bare(p) for p in predictions])["news"]
    out["dev9 conv F1"] = round(res["ALL"]["f"], 3)
    return out


def pipeline_dev_predictions(extractor: Extractor, rows) -> list[list[tuple[int, int, str]]]:
    articles = [Article(article_id=r["id"], source="dev", text=r["text"]) for r in rows]
    ents = build_tables(extractor.process(articles))["entities"]
    by_id: dict[str, list] = {r["id"]: [] for r in rows}
    for r in ents.itertuples():
        by_id[r.article_id].append((int(r.start), int(r.end), r.label))
    return [by_id[r["id"]] for r in rows]


def gold_scores(golds: dict[str, list[Gold]], tables) -> dict:
    out = {}
    for name, subset in golds.items():
        report = score(subset, tables)
        total = report.total(report.entities)
        if name == "test":
            out["test F1"] = round(total.f1, 3)
            continue
        out[f"{name} F1"] = round(total.f1, 3)
        if name == "tune":
            out["tune P"], out["tune R"] = round(total.precision, 3), round(total.recall, 3)
            for label in ("PS", "OG", "LC", "AF", "EV"):
                c = report.entities.get(label)
                out[f"tune {label}"] = round(c.f1, 3) if c else 0.0
    return out


def run_system(extractor: Extractor, disabled: set[str], golds, all_golds, rows) -> dict:
    switches.DISABLED.clear()
    switches.DISABLED.update(disabled)
    try:
        tables = run_pipeline(all_golds, extractor=extractor)
        row = gold_scores(golds, tables)
        row.update(dev_scores(pipeline_dev_predictions(extractor, rows), rows))
    finally:
        switches.DISABLED.clear()
    return row


def model_alone(golds, rows) -> dict:
    from pipeline.evaluate import _entity_prf
    from pipeline.models import load_ner_pipeline

    model = load_ner_pipeline()

    def predict(text, published=None):
        return [(e.start_char, e.end_char, e.label_) for e in model(text).ents]

    row = {}
    for name, subset in golds.items():
        c = _entity_prf(subset, predict)
        row["test F1" if name == "test" else f"{name} F1"] = round(c.f1, 3)
        if name == "tune":
            row["tune P"], row["tune R"] = round(c.precision, 3), round(c.recall, 3)
    row.update(dev_scores([predict(r["text"]) for r in rows], rows))
    return row


def systems(only: list[str] | None) -> dict[str, set[str] | None]:
    every = set(switches.FAMILIES)
    out: dict[str, set[str] | None] = {"model alone": None, "base (no family)": every}
    for fam in switches.FAMILIES:
        extra = {"model_screen"} if fam == "person_evidence" else set()
        out[f"base + {fam}"] = every - {fam} - extra
    for fam in switches.FAMILIES:
        out[f"all - {fam}"] = {fam}
    for screen in switches.SCREENS:
        out[f"all - {screen}"] = {screen}
    out["all"] = set()
    if only:
        out = {k: v for k, v in out.items() if k in only or any(o in k for o in only)}
    return out


def markdown(frame: pd.DataFrame) -> str:
    """The table as Markdown (pandas' ``to_markdown`` needs ``tabulate``, which the project does not install)."""
    cells = frame.astype(object).where(frame.notna(), "").astype(str)
    lines = ["| " + " | ".join(cells.columns) + " |", "|" + "|".join(["---"] + ["---:"] * (len(cells.columns) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="systems to run (names or names or parts of them, e.g. all, '- titles')")
    ap.add_argument("--test", action="store_true", help="also the aggregate Wikinews test F1")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    golds = {k: v for k, v in split_golds(load_gold(GOLD_DIR), GOLD_DIR).items() if v}
    if not args.test:
        golds.pop("test", None)
    all_golds = [g for subset in golds.values() for g in subset]
    rows = dev_news_rows()
    extractor = Extractor(build_nlp())
    table = []
    for name, disabled in systems(args.only).items():
        row = {"system": name}
        row.update(model_alone(golds, rows) if disabled is None else
                   run_system(extractor, disabled, golds, all_golds, rows))
        table.append(row)
        print(name, row, file=sys.stderr, flush=True)
    frame = pd.DataFrame(table)
    with pd.option_context("display.width", 250, "display.max_columns", 50):
        print(markdown(frame) if args.markdown else frame.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
