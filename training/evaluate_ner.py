"""Score any entity predictor on the held-out dev split (exact character span + label).

    python -m training.evaluate_ner                  # the shipped model, dev, both layers, speed
    python -m training.evaluate_ner --split tune     # the slice used for choices

From code, for the model alone, rules alone or the combined system:

    from training.evaluate_ner import score, format_table
    result = score(predict, split="dev", layer="entities")   # predict: str -> [(start, end, label)]
    print(format_table(result))

``layer="klue"`` scores against KLUE's 6 labels; predicted labels outside them (AF, EV, CV) are
ignored. Results are split by source: ``news`` (wikitree), ``reviews`` (nsmc) and ``all``.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Sequence

from training.data import KLUE_LABELS, PROJECT_LABELS, REPO, SOURCES, load_rows

Span = tuple[int, int, str]
Predict = Callable[[str], Sequence[Span]]
MODEL_DIR = REPO / "pipeline" / "models" / "ner"
KLUE_MODEL_DIR = REPO / "training" / "models" / "ner_klue"  # the benchmark vote: --klue-model


def layer_labels(layer: str) -> tuple[str, ...]:
    return PROJECT_LABELS if layer == "entities" else KLUE_LABELS


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def score(predict: Predict, split: str = "dev", layer: str = "entities",
          rows: list[dict] | None = None, predictions: Iterable[Sequence[Span]] | None = None) -> dict:
    """P/R/F1 per label and overall, for news, reviews and all sentences of ``split``.

    ``predict`` maps a text to ``(start, end, label)`` character spans (end exclusive).
    Pass ``predictions`` (one list per row, in order) instead to score precomputed output.
    """
    labels = layer_labels(layer)
    rows = load_rows(split) if rows is None else rows
    preds = iter(predictions) if predictions is not None else (predict(r["text"]) for r in rows)
    counts = {group: {lab: Counter() for lab in labels} for group in ("news", "reviews", "all")}
    for row, pred in zip(rows, preds):
        gold = {(s["start"], s["end"], s["label"]) for s in row[layer]}
        guess = {(int(s), int(e), lab) for s, e, lab in pred if lab in labels}
        group = "news" if row["source"] == SOURCES["news"] else "reviews"
        for g in (group, "all"):
            for span in guess & gold:
                counts[g][span[2]]["tp"] += 1
            for span in guess - gold:
                counts[g][span[2]]["fp"] += 1
            for span in gold - guess:
                counts[g][span[2]]["fn"] += 1
    result = {"split": split, "layer": layer}
    for group, per_label in counts.items():
        table = {lab: _prf(c["tp"], c["fp"], c["fn"]) for lab, c in per_label.items()}
        total = Counter()
        for c in per_label.values():
            total.update(c)
        table["ALL"] = _prf(total["tp"], total["fp"], total["fn"])
        result[group] = table
    return result


def format_table(result: dict, groups=("news", "reviews")) -> str:
    """Markdown: one row per label, P/R/F1 (%) and support for each source group."""
    labels = [k for k in result[groups[0]] if k != "ALL"] + ["ALL"]
    head = "| label | " + " | ".join(f"{g} P | {g} R | {g} F1 | {g} n" for g in groups) + " |"
    sep = "|---|" + "---:|" * (4 * len(groups))
    lines = [head, sep]
    for lab in labels:
        cells = []
        for g in groups:
            m = result[g][lab]
            cells += [f"{100 * m['p']:.1f}", f"{100 * m['r']:.1f}", f"{100 * m['f']:.1f}",
                      str(m["support"])]
        name = "**all**" if lab == "ALL" else lab
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Predictors built from the trained model (and the gazetteer, for the ablation)
# ---------------------------------------------------------------------------------------------

KLUE_FROM_PROJECT = {"PS": "PS", "OG": "OG", "LC": "LC", "DT": "DT", "TI": "TI", "QT": "QT"}


def load_model(path: str | Path = MODEL_DIR):
    import spacy

    import pipeline.models.architectures  # noqa: F401  (architectures of the shipped model)
    import pipeline.models.gazetteer_feature  # noqa: F401  (factory used by the shipped model)
    import pipeline.models.biluo_ner  # noqa: F401  (factory of the shipped model's ner)
    import training.vote  # noqa: F401  (factory of the KLUE model's seed vote)
    import pipeline.components.tokenizer  # noqa: F401

    return spacy.load(path)


def model_spans(nlp, texts: list[str], batch_size: int = 256) -> list[list[Span]]:
    """Run tokenizer (Kiwi, batched) + NER over texts; return character spans."""
    docs = list(nlp.tokenizer.pipe(texts, batch_size=batch_size))
    for _name, proc in nlp.pipeline:
        docs = list(proc.pipe(docs, batch_size=batch_size)) if hasattr(proc, "pipe") else [
            proc(doc) for doc in docs]
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


def pipeline_spans(texts: list[str], use_model: bool = True) -> list[list[Span]]:
    """What ``python -m pipeline extract`` writes for each text (``build_nlp``: the trained NER and the
    rules), as character spans: the figure users get."""
    from pipeline.nlp import build_nlp

    nlp = build_nlp(use_model=use_model)
    out = []
    for text in texts:  # as pipeline.evaluate.ablation runs it: no publication date
        doc = nlp.tokenizer(text)
        doc._.published = None
        for _name, proc in nlp.pipeline:
            doc = proc(doc)
        out.append([(e.start_char, e.end_char, e.label_) for e in doc.ents])
    return out


def model_predictor(nlp) -> Predict:
    def predict(text: str) -> list[Span]:
        return [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]

    return predict


def speed(nlp, texts: list[str], repeat: int = 7) -> dict:
    """Characters/s of raw Kiwi, of Kiwi tokenizer + model, and sentences/s of the model alone."""
    chars = sum(len(t) for t in texts)
    kiwi = nlp.tokenizer.kiwi
    kiwi.tokenize(texts[:5])
    docs = list(nlp.tokenizer.pipe(texts, batch_size=256))

    def run_model():
        out = docs
        for _name, proc in nlp.pipeline:
            out = list(proc.pipe(out, batch_size=256)) if hasattr(proc, "pipe") else [
                proc(doc) for doc in out]
        return out

    # interleaved best-of-N: the machine is shared, so take each stage's fastest pass
    jobs = {"kiwi": lambda: list(kiwi.tokenize(texts)),
            "tokenizer": lambda: list(nlp.tokenizer.pipe(texts, batch_size=256)),
            "model": run_model}
    best = {key: float("inf") for key in jobs}
    for _ in range(repeat):
        for key, fn in jobs.items():
            t0 = time.perf_counter()
            fn()
            best[key] = min(best[key], time.perf_counter() - t0)
    return {"sentences": len(texts), "chars": chars,
            "kiwi_chars_per_s": round(chars / best["kiwi"]),
            "tokenizer_chars_per_s": round(chars / best["tokenizer"]),
            "model_sentences_per_s": round(len(texts) / best["model"]),
            "model_chars_per_s": round(chars / best["model"]),
            "pipeline_chars_per_s": round(chars / (best["tokenizer"] + best["model"])),
            "pipeline_vs_kiwi": round(best["kiwi"] / (best["tokenizer"] + best["model"]), 3)}


def dir_size_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6, 2)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(MODEL_DIR))
    ap.add_argument("--klue-model", default=None,
                    help="also score this KLUE-6 model (e.g. the benchmark vote training/models/ner_klue); "
                         "by default the KLUE layer scores the runtime model's and the pipeline's output, mapped")
    ap.add_argument("--split", default="dev", choices=["dev", "tune", "train"])
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-pipeline", action="store_true", help="skip the whole pipeline's output")
    ap.add_argument("--json", default=None, help="write all figures here")
    ap.add_argument("--gazetteer", default="none", choices=["none", "before", "after", "alone"],
                    help="add the KONNE-form gazetteer (ablation; see training.gazetteer)")
    args = ap.parse_args(argv)
    nlp = load_model(args.model)
    rows = load_rows(args.split)
    texts = [r["text"] for r in rows]
    if args.gazetteer != "none":
        from training.gazetteer import add_gazetteer

        add_gazetteer(nlp, args.gazetteer)
    preds = model_spans(nlp, texts)
    out = {"model": args.model, "size_mb": dir_size_mb(Path(args.model)), "gazetteer": args.gazetteer}
    systems = {"model": preds}
    if not args.no_pipeline and args.gazetteer == "none" and Path(args.model) == MODEL_DIR:
        systems["pipeline"] = pipeline_spans(texts)
    if args.klue_model:
        try:
            klue_nlp = load_model(args.klue_model)
        except Exception as error:  # noqa: BLE001  (a model of another spaCy version: say so, go on)
            print(f"note: skipped the KLUE model {args.klue_model}: it does not load here "
                  f"({type(error).__name__}: {str(error).splitlines()[0][:160]})")
        else:
            systems["klue-model"] = model_spans(klue_nlp, texts)
            out["klue_model"] = args.klue_model
            if args.split != "dev" and args.split in klue_nlp.meta.get("trained_on", "train").split("+"):
                print(f"note: {args.klue_model} was trained on the {args.split} split (a final fit); "
                      f"its {args.split} figures are not held out")
    titles = {"model": "the NER model alone (pipeline/models/ner)",
              "pipeline": "the pipeline's output (build_nlp: model + rules, what extract writes)",
              "klue-model": f"KLUE model {args.klue_model}"}
    for system, spans in systems.items():
        for layer in ("entities", "klue"):
            if system == "klue-model" and layer == "entities":
                continue
            mapped = spans if layer == "entities" or system == "klue-model" else [
                [(s, e, KLUE_FROM_PROJECT[lab]) for s, e, lab in p if lab in KLUE_FROM_PROJECT] for p in spans]
            res = score(None, args.split, layer, rows=rows, predictions=mapped)
            out[layer if system == "model" else f"{system}:{layer}"] = res
            title = "project 9 labels" if layer == "entities" else "KLUE 6 labels"
            print(f"\n### {args.split}, {title}, {titles[system]} (exact character span + label)\n")
            print(format_table(res))
            print(f"\nF1 news {100 * res['news']['ALL']['f']:.1f}  reviews "
                  f"{100 * res['reviews']['ALL']['f']:.1f}  all {100 * res['all']['ALL']['f']:.1f}")
    if not args.no_speed:
        news = [r["text"] for r in rows if r["source"] == SOURCES["news"]]
        out["speed_news"] = speed(nlp, news)
        print("\nspeed on", args.split, "news sentences:", out["speed_news"])
    print("model size MB:", out["size_mb"])
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
