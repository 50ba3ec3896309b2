"""Scoring against hand-labelled gold files (``tests/gold/*.json``, see docs/labelling-guide.md).

Entities match on exact character span and label. Normalisation is scored on the gold QT/DT/TI
mentions the pipeline found with the right span: QT value and unit, DT and TI norm. Relations
match per article on (subject norm, relation, object norm), as in ``relations.csv``.

The gold articles are scored as three sets, never pooled: ``seeds`` (read while the rules were written),
and the Wikinews articles' ``tune`` and ``test`` parts (``tests/gold/splits.tsv``). Test is only scored:
its wrong normalisations are counted, not listed.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .nlp import Extractor, build_nlp
from .reader import Article
from .tables import build_tables

REPO_ROOT = Path(__file__).resolve().parent.parent
WIKINEWS_TEXTS = REPO_ROOT / "tests" / "data" / "wikinews"


@dataclass
class Gold:
    article_id: str
    text: str
    published: dt.date | None
    entities: list[dict]
    relations: list[dict]


def _gold_text(record: dict, gold_dir: Path) -> str:
    source = record["source"]
    if "#" in source:  # wikinews-ko.jsonl#ID: the text is kept beside the tests
        ident = source.split("#", 1)[1]
        return (WIKINEWS_TEXTS / f"{ident}.txt").read_text(encoding="utf-8")
    for base in (REPO_ROOT, gold_dir, gold_dir.parent.parent):
        path = base / source
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"gold source text not found: {source}")


def load_gold(gold_dir: str | Path) -> list[Gold]:
    gold_dir = Path(gold_dir)
    golds = []
    for path in sorted(gold_dir.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        published = dt.date.fromisoformat(record["published"]) if record.get("published") else None
        golds.append(Gold(record["article_id"], _gold_text(record, gold_dir), published,
                          record["entities"], record["relations"]))
    return golds


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    entities: dict[str, Counts] = field(default_factory=dict)
    relations: dict[str, Counts] = field(default_factory=dict)
    normalisation: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def total(self, table: dict[str, Counts]) -> Counts:
        return Counts(sum(c.tp for c in table.values()), sum(c.fp for c in table.values()),
                      sum(c.fn for c in table.values()))

    @staticmethod
    def frame(table: dict[str, Counts], total: Counts) -> pd.DataFrame:
        rows = [{"label": k, "gold": c.tp + c.fn, "pred": c.tp + c.fp, "tp": c.tp, "precision": round(c.precision, 3),
                 "recall": round(c.recall, 3), "f1": round(c.f1, 3)} for k, c in sorted(table.items())]
        rows.append({"label": "ALL", "gold": total.tp + total.fn, "pred": total.tp + total.fp, "tp": total.tp,
                     "precision": round(total.precision, 3), "recall": round(total.recall, 3),
                     "f1": round(total.f1, 3)})
        return pd.DataFrame(rows)

    @property
    def entity_f1(self) -> float:
        return self.total(self.entities).f1

    @property
    def relation_f1(self) -> float:
        return self.total(self.relations).f1

    @property
    def normalisation_accuracy(self) -> float:
        n = self.normalisation["checked"]
        return self.normalisation["right"] / n if n else 0.0


def _same_value(gold, pred) -> bool:
    if gold is None or pred is None or (isinstance(pred, float) and math.isnan(pred)):
        return gold is None and (pred is None or (isinstance(pred, float) and math.isnan(pred)))
    return abs(float(gold) - float(pred)) <= 1e-9 * max(1.0, abs(float(gold)))


def _tally(table: dict[str, Counts], truth: set[tuple], guess: set[tuple], label_at: int) -> None:
    """Count true/false positives and misses per label (the tuple's element ``label_at``)."""
    for key in truth | guess:
        counts = table.setdefault(key[label_at], Counts())
        if key in truth and key in guess:
            counts.tp += 1
        elif key in truth:
            counts.fn += 1
        else:
            counts.fp += 1


def score(golds: list[Gold], tables: dict[str, pd.DataFrame]) -> Report:
    report = Report()
    ents, rels = tables["entities"], tables["relations"]
    for gold in golds:
        pred = ents[ents["article_id"] == gold.article_id]
        pred_keys = {(int(r.start), int(r.end), r.label): r for r in pred.itertuples()}
        gold_keys = {(e["start"], e["end"], e["label"]): e for e in gold.entities}
        _tally(report.entities, set(gold_keys), set(pred_keys), label_at=2)
        for key, g in gold_keys.items():
            if g["label"] not in {"QT", "DT", "TI"}:
                continue
            report.normalisation["gold"] += 1
            p = pred_keys.get(key)
            if p is None:
                continue
            report.normalisation["checked"] += 1
            if g["label"] == "QT":
                right = _same_value(g.get("value"), p.value) and (g.get("unit") or "") == (p.unit or "")
            else:
                right = (g.get("norm") or "") == (p.norm or "")
            if right:
                report.normalisation["right"] += 1
            else:
                report.errors.append(f"{gold.article_id} {g['label']} {g['text']!r}: gold "
                                     f"{g.get('value')!r} {g.get('unit')!r} {g.get('norm')!r} / got "
                                     f"{p.value!r} {p.unit!r} {p.norm!r}")
        pred_rel = rels[rels["article_id"] == gold.article_id]
        pred_set = {(r.subj_norm, r.relation, r.obj_norm) for r in pred_rel.itertuples()}
        gold_set = {(r["subj"], r["relation"], r["obj"]) for r in gold.relations}
        _tally(report.relations, gold_set, pred_set, label_at=1)
    return report


def run_pipeline(golds: list[Gold], use_model: bool | None = None, extractor: Extractor | None = None):
    extractor = extractor or Extractor(build_nlp(use_model=use_model))
    articles = [Article(article_id=g.article_id, source=f"gold:{g.article_id}", text=g.text, published=g.published)
                for g in golds]
    return build_tables(extractor.process(articles))


def evaluate(gold_dir: str | Path, use_model: bool | None = None, extractor: Extractor | None = None) -> Report:
    golds = load_gold(gold_dir)
    return score(golds, run_pipeline(golds, use_model, extractor))


SETS = ("seeds", "tune", "test")
SPLITS_FILE = "splits.tsv"


class GoldSplitError(ValueError):
    """A Wikinews gold file has no (or an unknown) part in ``splits.tsv``."""


def load_splits(gold_dir: str | Path) -> dict[str, str]:
    """article_id -> 'tune' or 'test', from ``GOLD_DIR/splits.tsv`` (made by tests/gold/select_articles.py)."""
    path = Path(gold_dir) / SPLITS_FILE
    if not path.exists():
        return {}
    splits = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            article_id, part = line.split("\t")[:2]
            splits[article_id.strip()] = part.strip()
    return splits


def split_golds(golds: list[Gold], gold_dir: str | Path) -> dict[str, list[Gold]]:
    """The gold articles in three sets: ``seeds`` (article ids not starting with "wikinews"), and the
    Wikinews articles' ``tune`` and ``test`` parts as ``splits.tsv`` gives them. A Wikinews gold file the
    split file does not name is an error: its part is fixed by a rule, not chosen when scoring."""
    splits = load_splits(gold_dir)
    sets: dict[str, list[Gold]] = {name: [] for name in SETS}
    missing, unknown = [], []
    for gold in golds:
        if not gold.article_id.startswith("wikinews"):
            sets["seeds"].append(gold)
        elif gold.article_id not in splits:
            missing.append(gold.article_id)
        elif splits[gold.article_id] not in ("tune", "test"):
            unknown.append(f"{gold.article_id} ({splits[gold.article_id]!r})")
        else:
            sets[splits[gold.article_id]].append(gold)
    where = Path(gold_dir) / SPLITS_FILE
    if missing:
        state = "" if where.exists() else " (the file does not exist)"
        raise GoldSplitError(
            f"{len(missing)} Wikinews gold file(s) not in {where}{state}: {', '.join(missing)}. A Wikinews "
            f"article's part is fixed by tests/gold/select_articles.py (sha256('split:' + id) mod 10 < 4 is test, "
            f"the rest tune): extend the selection there and run it with --write to rewrite splits.tsv.")
    if unknown:
        raise GoldSplitError(f"{where}: split must be 'tune' or 'test', not: {', '.join(unknown)}")
    return sets


def _counts_json(table: dict[str, Counts], total: Counts) -> dict[str, dict]:
    def one(c: Counts) -> dict:
        return {"gold": c.tp + c.fn, "pred": c.tp + c.fp, "tp": c.tp, "precision": c.precision,
                "recall": c.recall, "f1": c.f1}
    return {**{k: one(c) for k, c in sorted(table.items())}, "ALL": one(total)}


def report_json(report: Report, articles: list[str]) -> dict:
    """A report's figures (no error texts): per-label and ALL counts and P/R/F1, the normalisation counts."""
    n = report.normalisation
    return {"articles": articles,
            "entities": _counts_json(report.entities, report.total(report.entities)),
            "relations": _counts_json(report.relations, report.total(report.relations)),
            "normalisation": {"gold": n["gold"], "checked": n["checked"], "right": n["right"],
                              "wrong": n["checked"] - n["right"], "accuracy": report.normalisation_accuracy}}


def markdown_rows(figures: dict[str, dict]) -> list[str]:
    """The README's Accuracy table rows, one per set, from ``report_json`` figures."""
    rows = []
    for name, f in figures.items():
        e, r, n = f["entities"]["ALL"], f["relations"]["ALL"], f["normalisation"]
        head = "seeds" if name == "seeds" else f"Wikinews {name}"
        rows.append(f"| {head} ({len(f['articles'])} articles, {e['gold']} mentions, {r['gold']} relations) | "
                    f"{e['precision']:.3f} | {e['recall']:.3f} | {e['f1']:.3f} | {r['precision']:.3f} | "
                    f"{r['recall']:.3f} | {r['f1']:.3f} | {n['right']}/{n['checked']} |")
    return rows


def run_eval(gold_dir: str | Path, use_model: bool | None = None, split: str | None = None,
             json_path: str | Path | None = None, markdown: bool = False) -> int:
    """Print the seeds, tune and test reports (or the one ``split``). Wrong normalisations are listed for
    seeds and tune only: test is scored, never read, so only its count is shown."""
    golds = load_gold(gold_dir)
    sets = split_golds(golds, gold_dir)
    if split is not None:
        sets = {split: sets[split]}
    sets = {name: subset for name, subset in sets.items() if subset}
    extractor = Extractor(build_nlp(use_model=use_model))
    tables = run_pipeline([g for subset in sets.values() for g in subset], extractor=extractor)
    figures = {}
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        for name, subset in sets.items():
            report = score(subset, tables)
            ids = [g.article_id for g in subset]
            figures[name] = report_json(report, ids)
            if markdown:
                continue
            print(textwrap.fill(f"== {name}: {len(subset)} articles ({', '.join(ids)})", width=110,
                                subsequent_indent="   "))
            print("-- entities (exact span + label)")
            print(Report.frame(report.entities, report.total(report.entities)).to_string(index=False))
            print("-- relations (subject norm, relation, object norm)")
            print(Report.frame(report.relations, report.total(report.relations)).to_string(index=False))
            n = report.normalisation
            print(f"-- normalisation: {n['right']}/{n['checked']} right of the gold QT/DT/TI found "
                  f"({report.normalisation_accuracy:.3f}); {n['gold']} in gold")
            if name == "test":
                if report.errors:
                    print(f"   wrong: {len(report.errors)} (not listed: the test set is only scored, never read)")
            else:
                for line in report.errors:
                    print("   wrong:", line)
            print()
    if markdown:
        print("\n".join(markdown_rows(figures)))
    if json_path is not None:
        Path(json_path).write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def _entity_prf(golds: list[Gold], predict) -> Counts:
    table: dict[str, Counts] = {}
    for gold in golds:
        _tally(table, {(e["start"], e["end"], e["label"]) for e in gold.entities},
               set(predict(gold.text, gold.published)), label_at=2)
    return Report().total(table)


def ablation(gold_dir: str | Path) -> pd.DataFrame:
    """Entity P/R/F1 of the trained model alone, the rules alone and the combined pipeline, on the
    project's gold (seeds, Wikinews tune and test) and on the NER dev split (KONEC labels, news sentences)."""
    from .models import load_ner_pipeline

    model = load_ner_pipeline()
    systems = {"model alone": None, "rules alone": build_nlp(use_model=False), "combined": build_nlp(use_model=True)}

    def predictor(nlp):
        def predict(text, published=None):
            if nlp is None:
                return [(e.start_char, e.end_char, e.label_) for e in model(text).ents]
            doc = nlp.tokenizer(text)
            doc._.published = published
            for _, proc in nlp.pipeline:
                doc = proc(doc)
            return [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        return predict

    sets = {name: subset for name, subset in split_golds(load_gold(gold_dir), gold_dir).items() if subset}
    rows = []
    for name, nlp in systems.items():
        predict = predictor(nlp)
        row = {"system": name}
        for set_name, subset in sets.items():
            c = _entity_prf(subset, predict)
            row[f"{set_name} P"], row[f"{set_name} R"], row[f"{set_name} F1"] = (
                round(c.precision, 3), round(c.recall, 3), round(c.f1, 3))
        try:
            from training.evaluate_ner import score

            result = score(lambda text: predict(text), split="dev", layer="entities")
            row["NER dev news F1"] = round(result["news"]["ALL"]["f"], 3)
        except (ImportError, FileNotFoundError):
            row["NER dev news F1"] = None
        rows.append(row)
    return pd.DataFrame(rows)
