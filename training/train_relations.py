"""Train the relation scorer (``pipeline/relations/scorer.py``) and choose its thresholds.

    python -m training.train_relations [--out pipeline/models/relations/scorer.json]

Data: the ``tune`` part of the Wikinews gold (never ``test``) and the ``train`` part of the KLUE-RE
sample (``benchmarks.evaluate_re.klue_part``; the ``heldout`` part is only ever scored).

* Tune: every candidate of every sentence; positive when (subject norm, relation, object norm) is in the
  article's gold.
* KLUE-RE: only the annotated pair (the other pairs of a sentence are unannotated): a candidate whose
  arguments overlap the gold subject and object is positive for the mapped project relation and negative
  for every other type; a ``no_relation`` pair and a pair of an unmapped KLUE relation are negative for all.

One logistic regression per type (numpy, L2, full-batch gradient descent). Thresholds: 4 folds over the
tune articles (by a hash of the id), each scored by a model trained on KLUE-train and the other three
folds; per type the lowest threshold at which the rows the scorer would add (candidates the patterns did
not give) keep precision >= 0.85 on these out-of-fold scores, with at least 3 right; else the type is off.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from collections import defaultdict

import numpy as np

from benchmarks.evaluate_re import load_examples
from pipeline.evaluate import load_gold, split_golds
from pipeline.records import sentence_index
from pipeline.relations import extract_relations
from pipeline.relations.base import RelationBuilder
from training.relation_scorer import CANDIDATE_TYPES, SCORER_PATH, candidates, features

TARGET_PRECISION = 0.85
TUNE_WEIGHT = 2.0  # a news candidate counts twice a KLUE one: the product is news


def _docs(nlp, items):
    return list(nlp.pipe(items, as_tuples=True))


def tune_rows(nlp, golds):
    """(article, key, relation, feats, label, by_pattern) for every candidate of the tune articles."""
    rows = []
    docs = _docs(nlp, [(g.text, {"published": g.published}) for g in golds])
    for gold, (doc, _) in zip(golds, docs):
        truth = {(r["subj"], r["relation"], r["obj"]) for r in gold.relations}
        patterns = {(r.subj_norm, r.relation, r.obj_norm) for r in extract_relations(doc)}
        b = RelationBuilder(doc)
        for sid, sent in enumerate(sentence_index(doc)):
            for subj, obj, relation in candidates(doc, sent):
                key = (b.norm(subj), relation, b.norm(obj))
                rows.append((gold.article_id, key, relation, features(doc, sent, subj, obj, sid),
                             int(key in truth), key in patterns))
    return rows


def _overlaps(span, gold) -> bool:
    return min(gold["end"], span.end_char) > max(gold["start"], span.start_char)


def klue_rows(nlp, examples):
    rows = []
    docs = _docs(nlp, [(e["text"], {"published": None}) for e in examples])
    for example, (doc, _) in zip(examples, docs):
        subj_gold, obj_gold = example["subject"], example["object"]
        if example.get("project_swap_args"):
            subj_gold, obj_gold = obj_gold, subj_gold
        project = example.get("relation_project")
        for sid, sent in enumerate(sentence_index(doc)):
            for subj, obj, relation in candidates(doc, sent):
                forward = _overlaps(subj, subj_gold) and _overlaps(obj, obj_gold)
                backward = _overlaps(subj, obj_gold) and _overlaps(obj, subj_gold)
                if not (forward or backward):
                    continue
                label = int(forward and project == relation)
                rows.append((example["id"], None, relation, features(doc, sent, subj, obj, sid), label, False))
    return rows


def fit(rows, l2: float = 1.0, steps: int = 400, lr: float = 0.5, min_count: int = 2) -> dict:
    """One logistic regression per type over the rows' features: {"types": {rel: {bias, weights}}}."""
    model = {}
    for relation in CANDIDATE_TYPES:
        part = [r for r in rows if r[2] == relation]
        counts = defaultdict(int)
        for r in part:
            for f in set(r[3]):
                counts[f] += 1
        vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
        if not part or not vocab or not any(r[4] for r in part):
            model[relation] = {"bias": -10.0, "weights": {}, "threshold": 2.0}
            continue
        n, d = len(part), len(vocab)
        X = np.zeros((n, d), dtype=np.float32)
        for i, r in enumerate(part):
            for f in set(r[3]):
                j = vocab.get(f)
                if j is not None:
                    X[i, j] = 1.0
        y = np.array([r[4] for r in part], dtype=np.float32)
        sw = np.array([1.0 if r[1] is None else TUNE_WEIGHT for r in part], dtype=np.float32)
        w, bias = np.zeros(d, dtype=np.float32), 0.0
        g2w, g2b = np.full(d, 1e-8, dtype=np.float32), 1e-8
        for _ in range(steps):  # Adagrad on the weighted log loss + L2
            p = 1.0 / (1.0 + np.exp(-(X @ w + bias)))
            err = (p - y) * sw
            gw = X.T @ err / sw.sum() + l2 * w / sw.sum()
            gb = float(err.sum() / sw.sum())
            g2w += gw * gw
            g2b += gb * gb
            w -= lr * gw / np.sqrt(g2w)
            bias -= lr * gb / np.sqrt(g2b)
        inv = {i: f for f, i in vocab.items()}
        weights = {inv[i]: round(float(v), 4) for i, v in enumerate(w) if abs(v) >= 1e-3}
        model[relation] = {"bias": round(float(bias), 4), "weights": weights, "threshold": 2.0}
    return {"types": model}


def probabilities(model: dict, rows) -> list[float]:
    from training.relation_scorer import Scorer

    scorer = Scorer(model)
    return [scorer.probability(r[2], r[3]) for r in rows]


def fold_of(article_id: str, k: int = 4) -> int:
    return int(hashlib.sha256(f"relfold:{article_id}".encode()).hexdigest(), 16) % k


def choose_thresholds(tune, klue, k: int = 4):
    """Out-of-fold probabilities of the tune candidates, then a threshold per type."""
    oof = [0.0] * len(tune)
    for fold in range(k):
        train = [r for r in tune if fold_of(r[0], k) != fold] + klue
        model = fit(train)
        idx = [i for i, r in enumerate(tune) if fold_of(r[0], k) == fold]
        for i, p in zip(idx, probabilities(model, [tune[i] for i in idx])):
            oof[i] = p
    thresholds, table = {}, {}
    for relation in CANDIDATE_TYPES:
        best: dict[tuple, tuple[float, int]] = {}  # (article, key) -> (max prob, label); only rows patterns miss
        for r, p in zip(tune, oof):
            if r[2] != relation or r[5]:
                continue
            akey = (r[0], r[1])
            if p > best.get(akey, (-1.0, 0))[0]:
                best[akey] = (p, r[4])
        ranked = sorted(best.values(), key=lambda x: -x[0])
        chosen, right, seen = 2.0, 0, 0
        stats = (0, 0)
        for p, label in ranked:
            seen += 1
            right += label
            if right >= 3 and right / seen >= TARGET_PRECISION and p >= 0.3:
                chosen, stats = p, (right, seen)
        thresholds[relation] = chosen
        table[relation] = {"threshold": round(chosen, 3), "added_right": stats[0], "added": stats[1],
                           "gold_missed_by_patterns": sum(l for _, l in best.values())}
    return thresholds, table, oof


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.train_relations")
    parser.add_argument("--out", default=str(SCORER_PATH))
    parser.add_argument("--gold", default="tests/gold")
    parser.add_argument("--dry-run", action="store_true", help="print the thresholds, write nothing")
    args = parser.parse_args(argv)
    import pipeline

    nlp = pipeline.load()
    golds = split_golds(load_gold(args.gold), args.gold)["tune"]  # never the test part
    tune = tune_rows(nlp, golds)
    klue = klue_rows(nlp, load_examples(part="train"))
    print(f"candidates: tune {len(tune)} ({sum(r[4] for r in tune)} positive), "
          f"KLUE-RE train {len(klue)} ({sum(r[4] for r in klue)} positive)")
    thresholds, table, _ = choose_thresholds(tune, klue)
    for relation, row in table.items():
        print(f"  {relation:28s} {row}")
    if args.dry_run or all(t > 1.0 for t in thresholds.values()):
        print("no type reaches the target precision on tune out-of-fold: nothing written")
        return 0
    model = fit(tune + klue)
    for relation, t in thresholds.items():
        model["types"][relation]["threshold"] = round(t, 4)
    model["trained_on"] = "Wikinews gold tune part + KLUE-RE sample train part (sha256('klue-re:'+id) mod 5 != 0)"
    from pathlib import Path

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                              encoding="utf-8")
    print(f"wrote {args.out} ({Path(args.out).stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
