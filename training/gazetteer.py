"""The KONNE entity forms (KLUE-NER train) as a gazetteer next to the model: ablation only.

``add_gazetteer(nlp, "before")`` sets gazetteer matches as entities before the NER (which then
keeps them and labels the rest); ``"after"`` adds matches only where the model found nothing;
``"alone"`` replaces the model by the gazetteer. Matches are longest-first over Kiwi token
boundaries; a form is used when its majority label has at least ``min_share`` of its
occurrences and it occurred ``min_freq`` times.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from training.data import load_gazetteer

NAME_LABELS = ("PS", "OG", "LC", "AF", "EV")
MAX_TOKENS = 8


def gazetteer_table(min_freq: int = 2, min_share: float = 0.8, labels=NAME_LABELS) -> dict[str, str]:
    table = {}
    for form, counts in load_gazetteer().items():
        total = sum(counts.values())
        label, freq = max(counts.items(), key=lambda kv: kv[1])
        if label in labels and total >= min_freq and freq / total >= min_share and len(form) >= 2:
            table[form] = label
    return table


def match(doc: Doc, table: dict[str, str]):
    text, spans, i, n = doc.text, [], 0, len(doc)
    while i < n:
        found = None
        if not doc[i].is_space:
            for j in range(min(n, i + MAX_TOKENS), i, -1):
                label = table.get(text[doc[i].idx:doc[j - 1].idx + len(doc[j - 1].text)])
                if label:
                    found = doc[i:j]
                    found.label_ = label
                    break
        if found is not None:
            spans.append(found)
            i = found.end
        else:
            i += 1
    return spans


def add_gazetteer(nlp, mode: str, min_freq: int = 2, min_share: float = 0.8, labels=NAME_LABELS):
    table = gazetteer_table(min_freq, min_share, labels)
    name = f"konne_gazetteer_{mode}"

    @Language.component(name)
    def component(doc: Doc) -> Doc:
        found = match(doc, table)
        if mode in ("before", "alone"):
            doc.set_ents(filter_spans(found), default="unmodified")
        else:
            taken = {i for e in doc.ents for i in range(e.start, e.end)}
            extra = [s for s in found if not any(i in taken for i in range(s.start, s.end))]
            doc.ents = filter_spans(list(doc.ents) + extra)
        return doc

    if mode == "alone":
        for pipe_name in list(nlp.pipe_names):
            nlp.remove_pipe(pipe_name)
        nlp.add_pipe(name)
    elif mode == "before":
        nlp.add_pipe(name, first=True)
    else:
        nlp.add_pipe(name, last=True)
    return nlp
