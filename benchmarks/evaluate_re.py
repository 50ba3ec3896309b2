"""Relation extraction measured on the KLUE-RE sample (``../shared/data/klue-re``).

    python -m benchmarks.evaluate_re [--data FILE] [--part heldout|train|all] [--limit N] [--model] [--show-errors K]

The sample is split once, by a hash of each example's id (:func:`klue_part`), into a ``train`` part
(about four fifths) and a ``heldout`` part (about one fifth); figures are reported on ``heldout``.

Each KLUE-RE example is one sentence with a gold subject and object span and one relation. The
pipeline runs on the sentence alone (publication date unknown). Then:

* **argument matching** (overlap): a gold span is *found* when at least one pipeline entity
  shares a character with it; every such entity is a candidate for that argument (``보건복지부
  장관`` in KLUE is our OG ``보건복지부`` + CV ``장관``). ``both_exact`` counts the examples whose two
  arguments are also pipeline entities with identical offsets. KLUE-RE spans often differ from
  ours (``POH`` spans that are not names in our conventions), so relation recall is given both
  over all examples and over the examples whose two arguments were found.
* **the predicted relation** between the pair is every pipeline relation from a candidate of one
  argument to a candidate of the other, in either direction. A mapped example
  (``relation_project`` set) is *right* when ``relation_project`` is among them, from the subject to
  the object in the project's order (``project_swap_args`` swaps KLUE's subject and object:
  ``org:top_members/employees`` becomes ``per:employee_of`` from the person to the organisation).
* **precision** (per example) = right examples / mapped and ``no_relation`` examples on which the
  pipeline asserted any relation between the pair (a KLUE pair has one gold relation; asserting
  only another one counts as wrong). An assertion on a ``no_relation`` pair is a false positive
  (``fp_no_relation``). Examples whose KLUE relation has no project equivalent
  (``org:member_of``, ``per:origin`` ...) are reported apart (``asserted_on_unmapped``) and also
  folded into ``strict_precision``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "klue-re" / "klue-re-train-sample3247.jsonl"


PARTS = ("heldout", "train", "all")


def klue_part(example_id: str) -> str:
    """The fixed part of a KLUE-RE example, decided by its id alone before anything is trained on it:
    ``heldout`` when sha256("klue-re:" + id) mod 5 == 0 (about a fifth), else ``train``. Figures are
    reported on ``heldout`` only; a relation model may learn from ``train`` only."""
    digest = hashlib.sha256(f"klue-re:{example_id}".encode("utf-8")).hexdigest()
    return "heldout" if int(digest, 16) % 5 == 0 else "train"


def load_examples(path: str | Path = DEFAULT_DATA, limit: int | None = None, every: int = 1,
                  part: str = "all") -> list[dict]:
    """The examples of ``part`` (``heldout``, ``train`` or ``all``), optionally every ``every``-th one
    (a fixed, spread-out subset) up to ``limit``."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    rows = []
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if not line.strip() or n % every:
                continue
            example = json.loads(line)
            if part != "all" and klue_part(example["id"]) != part:
                continue
            rows.append(example)
            if limit is not None and len(rows) >= limit:
                break
    return rows


@dataclass
class Outcome:
    """What the pipeline did with one example."""

    example_id: str
    relation: str  # the KLUE relation
    project: str | None
    subj_found: bool
    obj_found: bool
    exact: bool
    predicted: list[tuple[str, str, str]]  # (relation, subj text, obj text) between the pair
    right: bool


@dataclass
class KlueReport:
    outcomes: list[Outcome] = field(default_factory=list)

    # --- per-relation figures over mapped examples
    def per_relation(self) -> list[dict]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for o in self.outcomes:
            if o.project:
                groups[o.project].append(o)
        rows = []
        for rel in sorted(groups):
            rows.append(self._row(rel, groups[rel]))
        rows.append(self._row("ALL", [o for o in self.outcomes if o.project]))
        return rows

    @staticmethod
    def _row(name: str, group: list[Outcome]) -> dict:
        n = len(group)
        found = [o for o in group if o.subj_found and o.obj_found]
        right = sum(o.right for o in group)
        return {"relation": name, "n": n, "both_found": len(found), "both_exact": sum(o.exact for o in group),
                "right": right, "recall": round(right / n, 3) if n else 0.0,
                "recall_given_found": round(sum(o.right for o in found) / len(found), 3) if found else 0.0}

    @property
    def predictions(self) -> int:
        """Mapped and no_relation examples on which the pipeline asserted a relation between the pair."""
        return sum(1 for o in self.outcomes if o.predicted and (o.project or o.relation == "no_relation"))

    @property
    def true_positives(self) -> int:
        return sum(o.right for o in self.outcomes if o.project)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predictions if self.predictions else 1.0

    @property
    def strict_precision(self) -> float:
        total = self.predictions + self.asserted_on_unmapped
        return self.true_positives / total if total else 1.0

    @property
    def recall(self) -> float:
        mapped = [o for o in self.outcomes if o.project]
        return self.true_positives / len(mapped) if mapped else 0.0

    @property
    def no_relation(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.relation == "no_relation"]

    @property
    def fp_no_relation(self) -> int:
        """no_relation examples on which the pipeline asserted a relation between the pair."""
        return sum(1 for o in self.no_relation if o.predicted)

    @property
    def asserted_on_unmapped(self) -> int:
        return sum(1 for o in self.outcomes if o.predicted and not o.project and o.relation != "no_relation")

    def figures(self) -> dict:
        nr = self.no_relation
        return {
            "examples": len(self.outcomes),
            "mapped": sum(1 for o in self.outcomes if o.project),
            "predictions": self.predictions,
            "true_positives": self.true_positives,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "no_relation": len(nr),
            "no_relation_both_found": sum(1 for o in nr if o.subj_found and o.obj_found),
            "fp_no_relation": self.fp_no_relation,
            "fp_rate_no_relation": round(self.fp_no_relation / len(nr), 3) if nr else 0.0,
            "asserted_on_unmapped": self.asserted_on_unmapped,
            "strict_precision": round(self.strict_precision, 3),
            "per_relation": self.per_relation(),
        }


def _overlapping(ents: list, start: int, end: int) -> list:
    """Pipeline entities sharing a character with the gold span, exact match first, then by overlap."""
    found = [e for e in ents if min(end, e.end_char) > max(start, e.start_char)]
    return sorted(found, key=lambda e: (not (e.start_char == start and e.end_char == end),
                                        -(min(end, e.end_char) - max(start, e.start_char))))


def judge(example: dict, doc) -> Outcome:
    subj_gold, obj_gold = example["subject"], example["object"]
    ents = list(doc.ents)
    subj = _overlapping(ents, subj_gold["start"], subj_gold["end"])
    obj = _overlapping(ents, obj_gold["start"], obj_gold["end"])
    exact = bool(subj) and bool(obj) and (subj[0].start_char, subj[0].end_char) == (subj_gold["start"], subj_gold["end"]) \
        and (obj[0].start_char, obj[0].end_char) == (obj_gold["start"], obj_gold["end"])
    project = example.get("relation_project")
    if example.get("project_swap_args"):
        subj, obj = obj, subj
    subj_keys = {(e.start_char, e.end_char) for e in subj}
    obj_keys = {(e.start_char, e.end_char) for e in obj}
    predicted, right = [], False
    for rel in doc._.relations or []:
        a, b = (rel.subj_start, rel.subj_end), (rel.obj_start, rel.obj_end)
        if a == b:
            continue
        forward = a in subj_keys and b in obj_keys
        if forward or (a in obj_keys and b in subj_keys):
            predicted.append((rel.relation, rel.subj, rel.obj))
            if project and rel.relation == project and forward:
                right = True
    return Outcome(example["id"], example["relation"], project, bool(subj), bool(obj), exact, predicted, right)


def evaluate_klue(examples: list[dict], nlp=None, use_model: bool = False) -> KlueReport:
    """Run the pipeline on each example's sentence and judge it."""
    from pipeline.nlp import build_nlp

    nlp = nlp or build_nlp(use_model=use_model)
    report = KlueReport()
    texts = [e["text"] for e in examples]
    docs = list(nlp.tokenizer.pipe(texts)) if hasattr(nlp.tokenizer, "pipe") else [nlp.tokenizer(t) for t in texts]
    for doc in docs:
        doc._.published = None
    for _, proc in nlp.pipeline:
        docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(doc) for doc in docs]
    for example, doc in zip(examples, docs):
        report.outcomes.append(judge(example, doc))
    return report


def klue_figures(data: str | Path = DEFAULT_DATA, limit: int | None = None, every: int = 1,
                 use_model: bool = False, nlp=None, part: str = "heldout") -> dict:
    """The figures as a dict (see :meth:`KlueReport.figures`), on the held-out part by default."""
    return evaluate_klue(load_examples(data, limit, every, part), nlp=nlp, use_model=use_model).figures()


def _print(report: KlueReport, show_errors: int, examples: dict[str, dict], part: str = "heldout") -> None:
    import pandas as pd

    fig = report.figures()
    per = pd.DataFrame(fig.pop("per_relation"))
    print(f"KLUE-RE ({part} part): {fig['examples']} examples, {fig['mapped']} with a project relation")
    print("-- mapped relations (arguments matched by overlap; 'both_exact' = identical offsets)")
    print(per.to_string(index=False))
    print(f"-- precision {fig['precision']:.3f} ({fig['true_positives']} right of {fig['predictions']} asserted on "
          f"mapped + no_relation pairs); recall {fig['recall']:.3f}")
    print(f"-- no_relation: {fig['no_relation']} examples, both arguments found in {fig['no_relation_both_found']}, "
          f"a relation asserted on {fig['fp_no_relation']} ({fig['fp_rate_no_relation']:.3f})")
    print(f"-- other KLUE relations (no project equivalent): {fig['asserted_on_unmapped']} asserted; "
          f"strict precision {fig['strict_precision']:.3f}")
    if show_errors:
        wrong = [o for o in report.outcomes if o.predicted and not o.right]
        missed = [o for o in report.outcomes if o.project and not o.right and o.subj_found and o.obj_found]
        for title, items in (("asserted, not gold", wrong), ("missed with both arguments found", missed)):
            print(f"\n== {title}: {len(items)}")
            for o in items[:show_errors]:
                ex = examples[o.example_id]
                print(f"  [{o.relation}] {ex['subject']['text']} -> {ex['object']['text']}: {o.predicted}\n"
                      f"     {ex['text']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.evaluate_re", description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--every", type=int, default=1, help="take every N-th example (a spread-out subset)")
    parser.add_argument("--model", action="store_true", help="use the trained NER when installed (default: rules)")
    parser.add_argument("--show-errors", type=int, default=0, metavar="K")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--part", choices=PARTS, default="heldout",
                        help="heldout (default: the part no model learns from), train or all (klue_part())")
    args = parser.parse_args(argv)
    examples = load_examples(args.data, args.limit, args.every, args.part)
    report = evaluate_klue(examples, use_model=args.model)
    if args.json:
        json.dump(report.figures(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        _print(report, args.show_errors, {e["id"]: e for e in examples}, args.part)
    return 0


if __name__ == "__main__":
    sys.exit(main())
