"""``konne_gazetteer_feature``: marks gazetteer matches on tokens as a model input feature.

Each token inside the longest gazetteer match starting at a token boundary gets
``token.morph = "Gaz=B_<LABEL>"`` (first token) or ``"Gaz=I_<LABEL>"``; the NER's
``MultiHashEmbed`` reads ``MORPH`` as one of its attributes. The form table (entity forms of
KLUE-NER train, CC BY-SA 4.0) is stored with the component, so the model directory is
self-contained. Kiwi tokens carry no morphological features otherwise.

Optionally (``initialize(heads=True)``; no shipped model uses it, see docs/ner.md) a token whose
text ends in a *head*, a 2-3 character ending shared by many gazetteer forms of one label (위원회,
경찰서, 그룹, 병원, 공항, 대회 ...), also gets ``Head=<LABEL>``: names nobody listed (한국석유공사,
건양대병원) still end like the listed ones. The endings are learned from the form table, unlike the
rule stages' hand-written ``name_suffixes.tsv``.
"""
from __future__ import annotations

import bisect
import json
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import token_columns

MAX_TOKENS = 8
NUMERIC_LABELS = frozenset({"DT", "TI", "QT"})

# Wikidata classes of kiwipiepy_model's multi.dict (multi-word proper nouns, ``# Q5`` after each
# entry) -> the project's labels; the largest classes whose label is plain, together about 95 % of
# the entries. The other classes (cultural heritage, taxa, stars, railway lines...) are left out.
KIWI_CLASSES = {
    "Q5": "PS", "Q15632617": "PS", "Q3658341": "PS", "Q15773317": "PS", "Q1114461": "PS",
    "Q4830453": "OG", "Q891723": "OG", "Q43229": "OG", "Q476028": "OG", "Q215380": "OG",
    "Q3918": "OG", "Q9842": "OG", "Q9826": "OG", "Q7278": "OG",
    "Q34442": "LC", "Q928830": "LC", "Q55488": "LC", "Q486972": "LC",
    "Q11424": "AF", "Q7889": "AF", "Q5398426": "AF", "Q7725634": "AF", "Q15416": "AF",
    "Q134556": "AF", "Q21198342": "AF", "Q105543609": "AF", "Q3231690": "AF", "Q47461344": "AF",
    "Q482994": "AF", "Q7397": "AF", "Q3305213": "AF", "Q35127": "AF",
    "Q178561": "EV",
}
# default.dict's single-token proper nouns carry no class: marked with this label
KIWI_UNTYPED = "NP"


def kiwi_dictionary_forms(multi: bool = True, default: bool = False) -> dict[str, str]:
    """``form -> label`` from the dictionaries of the installed ``kiwipiepy_model`` (Apache-2.0):
    ``multi.dict`` through :data:`KIWI_CLASSES`, ``default.dict`` (NNP entries) as ``NP``."""
    import kiwipiepy_model

    base = Path(kiwipiepy_model.get_model_path() if hasattr(kiwipiepy_model, "get_model_path")
                else Path(kiwipiepy_model.__file__).parent)
    table: dict[str, str] = {}
    if default:
        for line in (base / "default.dict").read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and not line.startswith("#") and parts[1] == "NNP" and len(parts[0]) >= 2:
                table[parts[0].strip()] = KIWI_UNTYPED
    if multi:
        for line in (base / "multi.dict").read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or "# Q" not in line:
                continue
            label = KIWI_CLASSES.get(line.rsplit("# ", 1)[1].strip())
            form = line.split("\t", 1)[0].replace("++", "+").strip()
            if label and len(form) >= 2:
                table[form] = label
    return table


class GazetteerFeature:
    def __init__(self, nlp, name: str = "konne_gazetteer_feature", table: dict | None = None):
        self.name = name
        self.table: dict[str, str] = dict(table or {})
        self.heads: dict[str, str] = {}

    def set_table(self, table: dict[str, str]) -> None:
        self.table = dict(table)

    def initialize(self, get_examples=None, *, nlp=None, forms: str = "", min_freq: int = 1,
                   min_chars: int = 2, column: str = "label", heads: bool = False,
                   head_min_forms: int = 5, head_min_share: float = 0.6, kiwi_multi: bool = False,
                   kiwi_default: bool = False, kiwi_prefix: str = ""):
        """Read ``form<TAB>fine_label<TAB>label<TAB>train_freq`` (konne-train-forms.tsv);
        each form keeps its most frequent label (``column="fine_label"``: its 150-class label).
        ``heads``: also learn the head endings (see the module text): an ending of 2 or 3
        characters, after at least 2 more, of at least ``head_min_forms`` distinct forms, of which
        at least ``head_min_share`` have one label.
        ``kiwi_multi`` / ``kiwi_default``: add the forms of Kiwi's own dictionaries
        (:func:`kiwi_dictionary_forms`) that the KONNE forms do not list, their label prefixed with
        ``kiwi_prefix`` (``"K"``: ``Gaz=B_KPS``, so that the model can trust the two sources apart)."""
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
        if kiwi_multi or kiwi_default:
            for form, label in kiwi_dictionary_forms(kiwi_multi, kiwi_default).items():
                self.table.setdefault(form, kiwi_prefix + label)
        self.heads = head_endings(self.table, head_min_forms, head_min_share) if heads else {}

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
        if self.heads:
            return self._mark_with_heads(doc)
        return self._mark(doc)

    def _mark(self, doc: Doc) -> Doc:
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

    def _mark_with_heads(self, doc: Doc) -> Doc:
        """Gazetteer marks and head marks together (a token's morph is set once)."""
        self._mark(doc)
        gaz = [str(token.morph) for token in doc]
        columns = token_columns(doc, store=False)
        text, heads = columns.text, self.heads
        for i, (start, end) in enumerate(zip(columns.starts, columns.ends)):
            label = None
            for size in (3, 2):
                if end - start >= size:
                    label = heads.get(text[end - size:end])
                    if label:
                        break
            if label:
                doc[i].set_morph("|".join(filter(None, (gaz[i], f"Head={label}"))))
        return doc

    def pipe(self, docs, batch_size: int = 256):
        for doc in docs:
            yield self(doc)

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "forms.json").write_text(json.dumps(self.table, ensure_ascii=False, sort_keys=True),
                                         encoding="utf-8")
        if self.heads:  # models trained without heads keep their directory as it was
            (path / "heads.json").write_text(json.dumps(self.heads, ensure_ascii=False, sort_keys=True),
                                             encoding="utf-8")

    def from_disk(self, path, exclude=()):
        path = Path(path)
        self.table = json.loads((path / "forms.json").read_text(encoding="utf-8"))
        heads = path / "heads.json"
        self.heads = json.loads(heads.read_text(encoding="utf-8")) if heads.exists() else {}
        return self

    def to_bytes(self, exclude=()):
        if not self.heads:
            return json.dumps(self.table, ensure_ascii=False).encode("utf-8")
        return json.dumps({"forms": self.table, "heads": self.heads}, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data, exclude=()):
        loaded = json.loads(data.decode("utf-8"))
        if set(loaded) == {"forms", "heads"} and isinstance(loaded["forms"], dict):
            self.table, self.heads = loaded["forms"], loaded["heads"]
        else:
            self.table, self.heads = loaded, {}
        return self


def head_endings(table: dict[str, str], min_forms: int = 5, min_share: float = 0.6) -> dict[str, str]:
    """Endings of 2 or 3 characters that mark a label: ``{"경찰서": "OG", "공항": "LC", ...}``.

    Counted over distinct forms (spaces removed) that are at least 2 characters longer than the
    ending, so an ending is a head noun after a name rather than the name itself; one-character
    endings are left out (they are mostly the last syllable of a person's given name), and so are
    the numeric labels, whose endings are counters and particles (일, 부터) the grammar handles."""
    from collections import Counter

    per_ending: dict[str, Counter] = {}
    for form, label in table.items():
        if label in NUMERIC_LABELS:
            continue
        compact = form.replace(" ", "")
        for size in (2, 3):
            if len(compact) >= size + 2 and compact[-size:].isalpha():
                per_ending.setdefault(compact[-size:], Counter())[label] += 1
    heads = {}
    for ending, labels in per_ending.items():
        label, count = max(labels.items(), key=lambda kv: (kv[1], kv[0]))
        total = sum(labels.values())
        if total >= min_forms and count / total >= min_share:
            heads[ending] = label
    return heads


@Language.factory("konne_gazetteer_feature")
def make_gazetteer_feature(nlp, name: str):
    return GazetteerFeature(nlp, name)
