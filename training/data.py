"""Shared data access for NER training and evaluation.

The training file (KLUE-NER v1.1 dev + KONEC re-annotation, CC BY-SA 4.0; see
``../shared/data/ner/SOURCE.md``) is split by a hash of the sentence id:

* ``dev``   -- 10 %: reported only, never used for any decision;
* ``tune``  -- 10 % of the rest: early stopping and every modelling choice;
* ``train`` -- the remaining sentences.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import random
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NER_SHARED_DIR", REPO.parent / "shared" / "data" / "ner"))
TRAIN_FILE = SHARED / "klue-konec-train.jsonl"
FORMS_FILE = SHARED / "konne-train-forms.tsv"
RELATIONS_FILE = SHARED.parent / "klue-re" / "klue-re-train-sample3247.jsonl"
WORK = REPO / "training" / "work"

PROJECT_LABELS = ("PS", "OG", "LC", "DT", "TI", "QT", "AF", "EV", "CV")
KLUE_LABELS = ("PS", "OG", "LC", "DT", "TI", "QT")
SOURCES = {"news": "wikitree", "reviews": "nsmc"}


def _bucket(salt: str, key: str) -> int:
    return int(hashlib.sha1(f"{salt}:{key}".encode("utf-8")).hexdigest(), 16) % 100


def split_of(sentence_id: str) -> str:
    """``dev`` (10 %), ``tune`` (10 % of the rest) or ``train``: fixed by the id alone."""
    if _bucket("dev", sentence_id) < 10:
        return "dev"
    if _bucket("tune", sentence_id) < 10:
        return "tune"
    return "train"


def load_rows(split: str | None = None) -> list[dict]:
    with open(TRAIN_FILE, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    if split is None:
        return rows
    wanted = {"train+tune": {"train", "tune"}}.get(split, {split})
    return [row for row in rows if split_of(row["id"]) in wanted]


# KLUE-RE argument types that are KLUE-NER labels; POH ("other proper noun") has no counterpart.
RELATION_TYPE_TO_KLUE = {"PER": "PS", "ORG": "OG", "LOC": "LC", "DAT": "DT", "NOH": "QT"}


def load_relation_rows() -> list[dict]:
    """KLUE-RE sentences as partially annotated NER rows for the ``klue`` layer.

    Each sentence names two entities (subject and object) and nothing else is known about the
    rest of it, so a row carries ``partial: True``: its other tokens are *missing*, not outside.
    POH arguments are kept with label None (missing too). None of these sentences is in the
    NER training file (checked: no shared 30-character window), so the dev split stays unseen.
    """
    rows = []
    with open(RELATIONS_FILE, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            ex = json.loads(line)
            spans = [{"start": arg["start"], "end": arg["end"], "text": arg["text"],
                      "label": RELATION_TYPE_TO_KLUE.get(arg["type"])}
                     for arg in (ex["subject"], ex["object"])]
            rows.append({"id": ex["id"], "text": ex["text"], "source": ex["source"],
                         "klue": spans, "partial": True})
    return rows


def load_gazetteer(min_freq: int = 1) -> dict[str, dict[str, int]]:
    """form -> {project label: KLUE-train frequency} from konne-train-forms.tsv."""
    gaz: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with open(FORMS_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            form, label = row["form"].strip(), row["label"].strip()
            if form and label in PROJECT_LABELS:
                gaz[form][label] += int(row["train_freq"] or 0)
    return {f: dict(v) for f, v in gaz.items() if sum(v.values()) >= min_freq}


# ---------------------------------------------------------------------------------------------
# Aligning character spans to Kiwi tokens
# ---------------------------------------------------------------------------------------------

def token_bounds(doc) -> tuple[set[int], set[int]]:
    return {t.idx for t in doc}, {t.idx + len(t.text) for t in doc}


def misalignment_cause(doc, start: int, end: int) -> str | None:
    """None when [start, end) falls on token boundaries, else why it does not."""
    starts, ends = token_bounds(doc)
    bad_start, bad_end = start not in starts, end not in ends
    if not bad_start and not bad_end:
        return None
    text = doc.text
    if text[start:end] != text[start:end].strip():
        return "whitespace at span edge"
    if bad_start and bad_end:
        return "both edges inside a token"
    if bad_end:
        tok = next(t for t in doc if t.idx < end < t.idx + len(t.text))
        kind = "end inside token"
    else:
        tok = next(t for t in doc if t.idx < start < t.idx + len(t.text))
        kind = "start inside token"
    first_tag = tok.tag_.split("+")[0]
    if "+" in tok.tag_:
        return f"{kind}: overlapping morphemes ({tok.tag_})"
    if first_tag == "SN" or (text[start:end][-1:].isdigit() and bad_end):
        return f"{kind}: number+counter token ({first_tag})"
    return f"{kind}: {first_tag} token"


def swap_entities(row: dict, gaz_by_label: dict[str, list[tuple[str, int]]], rng: random.Random,
                  layer: str = "entities", labels=("PS", "OG", "LC", "AF", "EV"),
                  prob: float = 1.0) -> dict | None:
    """A copy of ``row`` whose name entities are replaced by other gazetteer forms of the
    same label (same final-consonant status, so the following josa still agrees)."""
    spans = sorted(row[layer], key=lambda s: s["start"])
    if not any(s["label"] in labels for s in spans):
        return None
    text, out, cursor, shift = row["text"], [], 0, 0
    pieces: list[str] = []
    changed = False
    for span in spans:
        pieces.append(text[cursor:span["start"]])
        surface = text[span["start"]:span["end"]]
        new = surface
        if span["label"] in labels and rng.random() < prob and gaz_by_label.get(span["label"]):
            want = _has_coda(surface[-1])
            for _ in range(20):
                cand = _weighted_pick(gaz_by_label[span["label"]], rng)
                if cand != surface and _has_coda(cand[-1]) == want:
                    new, changed = cand, True
                    break
        start = span["start"] + shift
        pieces.append(new)
        shift += len(new) - len(surface)
        out.append({"start": start, "end": start + len(new), "label": span["label"], "text": new})
        cursor = span["end"]
    pieces.append(text[cursor:])
    if not changed:
        return None
    new_row = dict(row)
    new_row["id"] = row["id"] + "#swap"
    new_row["text"] = "".join(pieces)
    new_row[layer] = out
    return new_row


def _has_coda(ch: str) -> bool | None:
    code = ord(ch) - 0xAC00
    if 0 <= code < 11172:
        return code % 28 != 0
    return None


def _weighted_pick(items: list[tuple[str, int, float]], rng: random.Random) -> str:
    # items: (form, freq, cumulative weight); pick by sqrt-frequency via bisection
    total = items[-1][2]
    x = rng.random() * total
    lo, hi = 0, len(items) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid][2] < x:
            lo = mid + 1
        else:
            hi = mid
    return items[lo][0]


def gazetteer_by_label(gaz: dict[str, dict[str, int]], labels=PROJECT_LABELS):
    """label -> [(form, freq, cumulative sqrt weight)] for sampling, majority label only."""
    import math

    by: dict[str, list] = defaultdict(list)
    for form, counts in sorted(gaz.items()):
        label, freq = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if label in labels and _clean_swap_form(form, label):
            by[label].append([form, freq, 0.0])
    for label, items in by.items():
        acc = 0.0
        for item in items:
            acc += math.sqrt(item[1])
            item[2] = acc
        by[label] = [tuple(i) for i in items]
    return dict(by)


_TITLE_TAILS = {"감독", "배우", "씨", "선수", "기자", "대표", "회장", "의원", "대통령", "장관", "교수",
                "작가", "가수", "군", "양", "님", "총리", "위원장", "사장", "후보"}
_PLACE_TAILS = {"앞", "뒤", "옆", "근처", "일대", "인근", "주변", "내", "안"}


def _clean_swap_form(form: str, label: str) -> bool:
    """Forms fit to paste into another sentence: no brackets, digits or trailing titles."""
    if len(form) < 2 or len(form) > 15 or any(c in form for c in "()[]<>'\"0123456789"):
        return False
    parts = form.split()
    if label == "PS" and (len(parts) > 2 or parts[-1] in _TITLE_TAILS):
        return False
    if label == "LC" and (len(parts) > 3 or parts[-1] in _PLACE_TAILS):
        return False
    return len(parts) <= 4


def count_labels(rows, layer):
    return Counter(s["label"] for r in rows for s in r[layer])
