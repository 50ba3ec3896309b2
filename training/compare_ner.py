"""Compare trained 9-label NER models: tune and dev F1, and model-alone speed on dev news.

    python -m training.compare_ner pipeline/models/ner training/work/runs/speed-nu-w32/model-best ...

F1 is the 9-label exact-span figure of ``training.evaluate_ner.score`` (news / reviews / all).
Speed is measured as in ``training.evaluate_ner.speed`` (gazetteer feature + ner on ready Docs,
dev news sentences, one thread), but for all models in one process, interleaved, best of 7, so
that load from other jobs hits them alike; ``x`` is relative to the first model given. The models are
loaded with numpy's BLAS, as the pipeline loads its NER.
Used for the "Speed: smaller configurations tried" table in docs/ner.md.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from training.data import SOURCES, load_rows  # noqa: E402
from training.evaluate_ner import load_model, model_spans, score  # noqa: E402


def _run_model(nlp, docs):
    out = docs
    for _name, proc in nlp.pipeline:
        out = list(proc.pipe(out, batch_size=256)) if hasattr(proc, "pipe") else [
            proc(doc) for doc in out]
    return out


def compare(paths: list[str], repeat: int = 7, f1: bool = True) -> dict:
    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):  # as the pipeline loads its NER (pipeline/nlp.py add_trained_ner)
        models = {p: load_model(p) for p in paths}
    splits = {"tune": load_rows("tune"), "dev": load_rows("dev")}
    res: dict[str, dict] = {p: {} for p in paths}
    if f1:
        for p, nlp in models.items():
            for split, rows in splits.items():
                s = score(None, split, "entities", rows=rows,
                          predictions=model_spans(nlp, [r["text"] for r in rows]))
                res[p][split] = {g: round(100 * s[g]["ALL"]["f"], 1) for g in ("news", "reviews", "all")}
    news = [r["text"] for r in splits["dev"] if r["source"] == SOURCES["news"]]
    docs = {p: list(nlp.tokenizer.pipe(news, batch_size=256)) for p, nlp in models.items()}
    best = {p: float("inf") for p in paths}
    for _ in range(repeat):
        for p, nlp in models.items():
            t0 = time.perf_counter()
            _run_model(nlp, docs[p])
            best[p] = min(best[p], time.perf_counter() - t0)
    chars = sum(map(len, news))
    for p in paths:
        res[p]["chars_per_s"] = round(chars / best[p])
        res[p]["x_vs_first"] = round(best[paths[0]] / best[p], 2)
        run = Path(p).parent / "run.json"
        if run.exists():
            res[p]["train_s"] = json.loads(run.read_text())["seconds"]
    return res


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="+", help="model directories; the first is the reference")
    ap.add_argument("--no-f1", action="store_true")
    args = ap.parse_args(argv)
    for p, r in compare(args.models, f1=not args.no_f1).items():
        print(p, json.dumps(r))


if __name__ == "__main__":
    main()
