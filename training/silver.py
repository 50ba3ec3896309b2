"""Silver KLUE annotations: unlabelled news sentences tagged by a vote of trained models.

    python -m training.silver klue-3seeds --teachers RUN/model-best RUN-seed1/model-best ...
    python -m training.silver klue-3seeds-news --sources wikitree policy_briefing --teachers ...

write ``training/work/silver/<name>.jsonl``, which the ``klue-w128-vec-silver3*`` variants of
training/train.py read (docs/ner.md, "Seed vote, and silver data that did not pay").

Self-training (a teacher committee labels raw text, a student learns from gold + silver): the
KLUE NER training split has 3,228 sentences, and the committee's majority vote is more accurate
than any one member (docs/ner.md, "Ensembles and silver data"). Where the committee agrees the
silver sentence says so; where it disagrees nothing is claimed:

* a span predicted by at least ``min_votes`` teachers (exact span and label) is an entity;
* tokens no teacher tagged are outside any entity;
* tokens some teacher tagged that are not in a kept span are *missing* (no loss either way).

Texts: the KLUE-RE sample's sentences (wikitree news, policy briefings, Wikipedia) and the
Wikinews articles split into sentences, except the Wikinews articles with hand-labelled gold
(tests/gold), so the end-to-end Wikinews evaluation never sees text it was trained on. None of
these texts is in the NER training file, so the dev split stays unseen.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from training.vote import majority
from training.data import RELATIONS_FILE, REPO, SHARED

WIKINEWS_FILE = SHARED.parent / "wikinews-ko" / "wikinews-ko.jsonl"
GOLD_DIR = REPO / "tests" / "gold"

Span = tuple[int, int, str]


def gold_wikinews_ids() -> set[str]:
    """Wikinews ids with a hand-labelled gold file (``wikinews-<id>.json``)."""
    return {p.stem.removeprefix("wikinews-") for p in GOLD_DIR.glob("wikinews-*.json")}


RELATION_SOURCES = ("wikitree", "policy_briefing", "wikipedia")


def raw_texts(sources: Sequence[str] = (*RELATION_SOURCES, "wikinews"), split_sentences=None) -> list[dict]:
    """Unlabelled sentences as ``{"id", "text", "source"}``. ``sources``: the KLUE-RE sample's
    ``wikitree``, ``policy_briefing``, ``wikipedia`` sentences and ``wikinews`` (articles cut by
    ``split_sentences(text) -> [str]``, default Kiwi's sentence splitter)."""
    rows: list[dict] = []
    if set(sources) & set(RELATION_SOURCES):
        seen = set()
        with open(RELATIONS_FILE, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    ex = json.loads(line)
                    if ex["source"] in sources and ex["text"] not in seen:  # one sentence can carry several relation pairs
                        seen.add(ex["text"])
                        rows.append({"id": f"re:{ex['id']}", "text": ex["text"], "source": ex["source"]})
    if "wikinews" in sources:
        split_sentences = split_sentences or _kiwi_sentences()
        skip = gold_wikinews_ids()
        with open(WIKINEWS_FILE, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                art = json.loads(line)
                if art["id"] in skip:
                    continue
                for i, sent in enumerate(split_sentences(art["text"])):
                    if len(sent) >= 10:
                        rows.append({"id": f"wn:{art['id']}:{i}", "text": sent, "source": "wikinews"})
    return rows


def _kiwi_sentences():
    from kiwipiepy import Kiwi

    kiwi = Kiwi()

    def split(text: str) -> list[str]:
        return [s.text.strip() for para in text.split("\n") if para.strip()
                for s in kiwi.split_into_sents(para)]

    return split


def vote(predictions: Sequence[Sequence[Span]], min_votes: int) -> tuple[list[Span], list[tuple[int, int]]]:
    """Kept spans (``training.vote.majority`` on character spans) and the uncertain
    character ranges: every other span some teacher predicted."""
    kept = majority(predictions, min_votes)
    kept_set = set(kept)
    uncertain = sorted({(s, e) for spans in predictions for (s, e, lab) in spans if (s, e, lab) not in kept_set})
    return kept, uncertain


def silver_rows(teachers: Sequence[Path | str], rows: list[dict], min_votes: int | None = None,
                layer: str = "klue") -> list[dict]:
    """``rows`` with ``layer`` spans voted by the teacher models and ``uncertain`` ranges."""
    from training.evaluate_ner import load_model, model_spans

    texts = [r["text"] for r in rows]
    per_teacher = [model_spans(load_model(path), texts) for path in teachers]
    need = min_votes or len(teachers) // 2 + 1
    out = []
    for i, row in enumerate(rows):
        kept, uncertain = vote([preds[i] for preds in per_teacher], need)
        out.append({**row, layer: [{"start": s, "end": e, "label": lab, "text": row["text"][s:e]}
                                   for s, e, lab in kept],
                    "uncertain": [{"start": s, "end": e} for s, e in uncertain]})
    return out


def write_silver(path: Path, teachers: Sequence[Path | str], sources: Sequence[str],
                 min_votes: int | None = None) -> dict:
    rows = silver_rows(teachers, raw_texts(sources), min_votes)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {"sentences": len(rows), "spans": sum(len(r["klue"]) for r in rows),
            "uncertain": sum(len(r["uncertain"]) for r in rows)}


def load_silver(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv=None) -> None:
    import argparse

    from training.data import WORK

    ap = argparse.ArgumentParser()
    ap.add_argument("name", help="written to training/work/silver/<name>.jsonl")
    ap.add_argument("--teachers", nargs="+", required=True, help="trained model directories")
    ap.add_argument("--sources", nargs="+", default=[*RELATION_SOURCES, "wikinews"])
    ap.add_argument("--min-votes", type=int, default=None, help="default: a majority of the teachers")
    args = ap.parse_args(argv)
    print(write_silver(WORK / "silver" / f"{args.name}.jsonl", args.teachers, args.sources, args.min_votes))


if __name__ == "__main__":
    main()
