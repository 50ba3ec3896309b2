"""Turn the shared NER data into spaCy DocBins on Kiwi tokens.

    python -m training.prepare [--layer entities|klue] [--align missing|expand] [--augment N]

Writes ``training/work/<name>/{train,tune}.spacy`` and ``training/work/alignment.json``.
Gold character spans that do not fall on Kiwi token boundaries (``미국인`` for 미국,
``8강전`` for 8강) cannot be predicted exactly by a token-level model. In training they are
either marked *missing* (the tokens they touch carry no gold label, so the model is neither
rewarded nor punished there; default) or *expanded* to the covering tokens.
"""
from __future__ import annotations

import argparse
import json
import os
import random
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import DocBin

import pipeline.components.tokenizer  # noqa: F401  (registers kiwi_tokenizer.v1)

from training.data import (SOURCES, WORK, gazetteer_by_label, load_gazetteer, load_relation_rows, load_rows,
                           misalignment_cause, split_of, swap_entities)


def blank_nlp():
    return spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "kiwi_tokenizer.v1"}}})


def make_docs(nlp, rows, layer: str, align: str, stats: Counter | None = None,
              causes: Counter | None = None, examples: dict | None = None, aux: str | None = None):
    """``aux="fine"``: also write the KONEC layer (``entities``) as BIO tags of its fine classes into
    the reference ``token.tag_`` (an auxiliary tagger's gold, configs/ner_multitask.cfg): ``O``
    outside, empty (missing) on tokens of a span that is not on token boundaries."""
    texts = [r["text"] for r in rows]
    for row, doc in zip(rows, nlp.tokenizer.pipe(texts, batch_size=256)):
        ents, missing = [], []
        for span in sorted(row[layer], key=lambda s: (s["start"], -s["end"])):
            if span["label"] is None:
                continue
            cause = misalignment_cause(doc, span["start"], span["end"])
            if stats is not None:
                stats["spans"] += 1
            if cause is None:
                ents.append(doc.char_span(span["start"], span["end"], label=span["label"]))
                continue
            if causes is not None:
                causes[cause] += 1
                if examples is not None and len(examples.setdefault(cause, [])) < 8:
                    tok = doc.char_span(span["start"], span["end"], alignment_mode="expand")
                    examples[cause].append(f"{span['text']} in {tok.text if tok else '?'}")
            exp = doc.char_span(span["start"], span["end"], label=span["label"],
                                alignment_mode="expand")
            if exp is None:
                continue
            (ents if align == "expand" else missing).append(exp)
        for span in row.get("uncertain", ()):  # silver rows: where the teachers disagreed
            exp = doc.char_span(span["start"], span["end"], alignment_mode="expand")
            if exp is not None:
                missing.append(exp)
        ents = _non_overlapping(ents)
        taken = {i for e in ents for i in range(e.start, e.end)}
        missing = [m for m in missing if not any(i in taken for i in range(m.start, m.end))]
        missing = _non_overlapping(missing)
        doc.set_ents(ents, missing=missing, default="missing" if row.get("partial") else "outside")
        if aux:
            set_aux_tags(doc, row.get("entities", ()), aux)
        yield doc


def set_aux_tags(doc, spans, column: str = "fine") -> None:
    """BIO tags of ``span[column]`` over Kiwi tokens; tokens of unaligned spans get no tag."""
    tags = ["O"] * len(doc)
    for span in spans:
        label = span.get(column)
        if not label:
            continue
        tokens = doc.char_span(span["start"], span["end"])
        if tokens is None:
            tokens = doc.char_span(span["start"], span["end"], alignment_mode="expand")
            for i in range(tokens.start, tokens.end) if tokens is not None else ():
                tags[i] = ""
            continue
        for i in range(tokens.start, tokens.end):
            tags[i] = ("B-" if i == tokens.start else "I-") + label
    for token, tag in zip(doc, tags):
        token.tag_ = tag


def _non_overlapping(spans):
    out, last = [], -1
    for span in sorted(spans, key=lambda s: (s.start, -len(s))):
        if span.start >= last:
            out.append(span)
            last = span.end
    return out


def alignment_report(nlp) -> dict:
    """Gold spans that do not fall on Kiwi token boundaries, by layer, source and cause."""
    report = {}
    rows = load_rows()
    for layer in ("entities", "klue"):
        layer_report = {}
        for source in ("wikitree", "nsmc", None):
            part = [r for r in rows if source is None or r["source"] == source]
            stats, causes, examples = Counter(), Counter(), {}
            for _ in make_docs(nlp, part, layer, "missing", stats, causes, examples):
                pass
            bad = sum(causes.values())
            layer_report[source or "all"] = {
                "spans": stats["spans"], "unaligned": bad,
                "unaligned_pct": round(100 * bad / max(1, stats["spans"]), 2),
                "causes": dict(causes.most_common()),
                **({"examples": examples} if source is None else {})}
        report[layer] = layer_report
    return report


def augmented_rows(rows, layer: str, copies: int, seed: int = 0):
    if copies <= 0:
        return []
    rng = random.Random(seed)
    names = ("PS", "OG", "LC", "AF", "EV") if layer == "entities" else ("PS", "OG", "LC")
    gaz = gazetteer_by_label(load_gazetteer(), labels=names)
    out = []
    for c in range(copies):
        for row in rows:
            new = swap_entities(row, gaz, rng, layer=layer, labels=names, prob=0.7)
            if new is not None:
                new["id"] += str(c)
                out.append(new)
    return out


def prepare(name: str, layer: str = "entities", align: str = "missing", augment: int = 0,
            seed: int = 0, partial: tuple[str, ...] = (), news_copies: int = 1,
            silver: str | None = None, aux: str | None = None, final: bool = False) -> dict:
    """``partial`` names extra, partially annotated training sets: ``"klue-re"`` adds the KLUE-RE
    sample's subject and object spans (klue layer only; see training.data.load_relation_rows).
    ``news_copies`` repeats the news sentences of the training split (the targets are on news).
    ``silver`` is a JSONL of teacher-voted sentences (training.silver) added to the training split.
    ``aux`` names an auxiliary tag layer written into the reference tags (see make_docs).
    ``final``: the training DocBin holds train + tune (a final fit with a step budget fixed
    beforehand; the tune DocBin is still written but no longer held out)."""
    out_dir = WORK / name
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp = blank_nlp()
    counts = {}
    for split in ("train", "tune"):
        rows = load_rows("train+tune" if final and split == "train" else split)
        if split == "train":
            news = [r for r in rows if r["source"] == SOURCES["news"]]
            rows = rows + news * (news_copies - 1) + augmented_rows(rows, layer, augment, seed)
            if "klue-re" in partial:
                assert layer == "klue", "KLUE-RE types map to KLUE's labels only"
                rows = rows + load_relation_rows()
            if silver:
                from training.silver import load_silver

                rows = rows + load_silver(Path(silver))
        db = DocBin(store_user_data=False)
        for doc in make_docs(nlp, rows, layer, align, aux=aux):
            db.add(doc)
        # written aside and renamed: a training run started earlier may be reading the old file
        target = out_dir / f"{split}.spacy"
        partial_file = target.with_name(f".{target.name}.{os.getpid()}")
        db.to_disk(partial_file)
        os.replace(partial_file, target)
        counts[split] = len(rows)
    return {"dir": str(out_dir), "sentences": counts}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", default=None)
    ap.add_argument("--layer", default="entities", choices=["entities", "klue"])
    ap.add_argument("--align", default="missing", choices=["missing", "expand"])
    ap.add_argument("--augment", type=int, default=0)
    ap.add_argument("--report", action="store_true", help="only write the alignment report")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    if args.report:
        report = alignment_report(blank_nlp())
        (WORK / "alignment.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
        print(json.dumps(report, ensure_ascii=False, indent=1))
        split_counts = Counter(split_of(r["id"]) for r in load_rows())
        print(dict(split_counts))
        return
    name = args.name or f"{args.layer}-{args.align}-aug{args.augment}"
    print(prepare(name, args.layer, args.align, args.augment))


if __name__ == "__main__":
    main()
