"""``konne_gazetteer_feature``: marks gazetteer matches on tokens as a model input feature.

Each token inside the longest gazetteer match starting at a token boundary gets
``token.morph = "Gaz=B_<LABEL>"`` (first token) or ``"Gaz=I_<LABEL>"``; the NER's
``MultiHashEmbed`` reads ``MORPH`` as one of its attributes. The form table (entity forms of
KLUE-NER train, CC BY-SA 4.0) is stored with the component, so the model directory is
self-contained. Kiwi tokens carry no morphological features otherwise.
"""
from __future__ import annotations

import bisect
import json
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import token_columns

MAX_TOKENS = 8


class GazetteerFeature:
    def __init__(self, nlp, name: str = "konne_gazetteer_feature", table: dict | None = None):
        self.name = name
        self.table: dict[str, str] = dict(table or {})

    def set_table(self, table: dict[str, str]) -> None:
        self.table = dict(table)

    def initialize(self, get_examples=None, *, nlp=None, forms: str = "", min_freq: int = 1,
                   min_chars: int = 2, column: str = "label"):
        """Read ``form<TAB>fine_label<TAB>label<TAB>train_freq`` (konne-train-forms.tsv);
        each form keeps its most frequent label (``column="fine_label"``: its 150-class label)."""
        if not forms:
            return
        import csv

        counts: dict[str, dict[str, int]] = {}
        with open(forms, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                form = row["form"].strip()
                if len(form) >= min_chars:
                    per = counts.setdefault(form, {})
                    per[row[column]] = per.get(row[column], 0) + int(row["train_freq"] or 0)
        self.table = {form: max(per.items(), key=lambda kv: (kv[1], kv[0]))[0]
                      for form, per in counts.items() if sum(per.values()) >= min_freq}

    def _index(self) -> dict[str, int]:
        """The first two characters of the forms -> the length of the longest form that starts
        with them: a token whose text starts otherwise begins no match, and longer candidates
        need no look-up. Rebuilt when the table is replaced or grows (``table.update({...})`` is the
        documented way to add names at run time)."""
        state = (id(self.table), len(self.table))
        if getattr(self, "_indexed", None) != state:
            longest: dict[str, int] = {}
            for form in self.table:
                head = form[:2]
                longest[head] = max(longest.get(head, 0), len(form))
            self._longest = longest
            self._indexed = state
        return self._longest

    def __call__(self, doc: Doc) -> Doc:
        if not self.table:
            return doc
        longest = self._index()
        columns = token_columns(doc, store=False)  # token offsets as lists: no Token object per token
        text, table = columns.text, self.table
        starts, ends = columns.starts, columns.ends
        n = len(starts)
        # Only a token whose first two characters begin a form can begin a match: find those in
        # one pass, then try them in order, skipping tokens inside the match before.
        heads = [i for i, start in enumerate(starts) if text[start:start + 2] in longest]
        after_match = 0
        for i in heads:
            if i < after_match:
                continue
            start = starts[i]
            # The longest candidate first, from the last token that still ends within the longest
            # form's length (token ends ascend, so bisection finds it).
            last = bisect.bisect_right(ends, start + longest[text[start:start + 2]], i, min(n, i + MAX_TOKENS))
            for j in range(last, i, -1):
                label = table.get(text[start:ends[j - 1]])
                if label:
                    doc[i].set_morph(f"Gaz=B_{label}")
                    inside = f"Gaz=I_{label}"
                    for k in range(i + 1, j):
                        doc[k].set_morph(inside)
                    after_match = j
                    break
        return doc

    def pipe(self, docs, batch_size: int = 256):
        for doc in docs:
            yield self(doc)

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "forms.json").write_text(json.dumps(self.table, ensure_ascii=False, sort_keys=True),
                                         encoding="utf-8")

    def from_disk(self, path, exclude=()):
        self.table = json.loads((Path(path) / "forms.json").read_text(encoding="utf-8"))
        return self

    def to_bytes(self, exclude=()):
        return json.dumps(self.table, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data, exclude=()):
        self.table = json.loads(data.decode("utf-8"))
        return self


@Language.factory("konne_gazetteer_feature")
def make_gazetteer_feature(nlp, name: str):
    return GazetteerFeature(nlp, name)
