"""Candidates, then a learned decision.

Every pair of entities of one sentence whose labels fit a relation type is a *candidate*
(``CANDIDATE_TYPES``: PS-CV per:title, PS-OG per:employee_of, OG-LC org:place_of_headquarters, OG-AF
org:product). A linear model (one logistic regression per relation type, over sparse string features:
both labels, the words and Kiwi tags between, the particle after each argument, distance, apposition,
trigger words, position) gives each candidate a probability. The patterns run first and stay overrides
(score 1.0); a candidate the patterns did not give becomes a row when its probability reaches the
type's threshold, which was chosen on the tune gold (out-of-fold scores) for precision >= 0.85.

An experiment that did not ship, so it lives in ``training/``: ``python -m training.train_relations``
trains it on the tune gold and the ``train`` part of the KLUE-RE sample, but on the tune gold's
out-of-fold scores no threshold keeps the added rows at precision 0.85 for any type (the highest-scored
extra candidates are pairs the sentence names but does not relate, and entity-stage mistakes), so the
relations component runs the patterns alone (``docs/relations.md``, section 2b). To ship a model that
passes: move this module into ``pipeline/relations/``, write the weights to ``SCORER_PATH`` and call
:func:`learned_relations` per sentence at the end of ``extract_relations``.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span

from pipeline.records import entity_info, entity_spans, token_columns
from pipeline.relations.base import RelationBuilder, ents_in, josa_after

SCORER_PATH = Path(__file__).resolve().parent.parent / "pipeline" / "models" / "relations" / "scorer.json"

# relation -> (subject labels, object labels)
CANDIDATE_TYPES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "per:title": (frozenset({"PS"}), frozenset({"CV"})),
    "per:employee_of": (frozenset({"PS"}), frozenset({"OG"})),
    "org:place_of_headquarters": (frozenset({"OG"}), frozenset({"LC"})),
    "org:product": (frozenset({"OG"}), frozenset({"AF"})),
}
MAX_GAP = 20  # tokens between the two arguments; farther pairs are no candidates


def candidates(doc: Doc, sent: Span) -> list[tuple[Span, Span, str]]:
    """(subject, object, relation) for every pair of the sentence's entities whose labels fit a type."""
    ents = ents_in(doc, sent.start, sent.end)
    out = []
    for a in ents:
        for b in ents:
            if a is b or a.start == b.start:
                continue
            if max(a.start, b.start) - min(a.end, b.end) > MAX_GAP:
                continue
            for relation, (subj_labels, obj_labels) in CANDIDATE_TYPES.items():
                if a.label_ in subj_labels and b.label_ in obj_labels:
                    out.append((a, b, relation))
    return out


def _bucket(n: int) -> str:
    return str(n) if n <= 2 else "3-4" if n <= 4 else "5-8" if n <= 8 else "9+"


def features(doc: Doc, sent: Span, subj: Span, obj: Span, sentence_id: int) -> list[str]:
    """Sparse string features of one candidate (the relation type is the model's, not a feature)."""
    tok = token_columns(doc)
    first, second = (subj, obj) if subj.start < obj.start else (obj, subj)
    between = [k for k in range(first.end, second.start) if not tok.is_space[k]]
    order = "S<O" if subj.start < obj.start else "O<S"
    feats = [f"order={order}", f"dist={_bucket(len(between))}", f"order_dist={order}:{_bucket(len(between))}",
             f"josa_s={josa_after(subj) or '-'}", f"josa_o={josa_after(obj) or '-'}",
             f"josa_first={order}:{josa_after(first) or '-'}",
             f"sent={_bucket(sentence_id)}"]
    inner = ents_in(doc, first.end, second.start)
    feats.append(f"ents_between={_bucket(len(inner))}")
    feats.extend(f"ent_between={e.label_}" for e in inner)
    if not between:
        feats.append(f"adjacent={order}")
    if len(between) <= 8:
        # the exact pattern of what stands between: labels of entities, else Kiwi tags
        shape, k = [], first.end
        while k < second.start:
            e = next((e for e in inner if e.start == k), None)
            if e is not None:
                shape.append(e.label_)
                k = e.end
                continue
            if not tok.is_space[k]:
                shape.append(tok.base_tags[k] if tok.base_tags[k] not in {"JKG", "JX", "JKS", "SP", "SSO", "SSC"}
                             else tok.words[k])
            k += 1
        feats.append(f"shape={order}:{'_'.join(shape)}")
    for k in between[:10]:
        feats.append(f"w={tok.lemmas[k].split('+')[0]}")
        feats.append(f"t={tok.base_tags[k]}")
    if len(between) > 10:
        feats.append("long")
    # words right around the pair
    k = first.start - 1
    while k >= sent.start and tok.is_space[k]:
        k -= 1
    feats.append(f"prev={tok.lemmas[k].split('+')[0] if k >= sent.start else '<s>'}")
    k = second.end
    while k < sent.end and (tok.is_space[k] or tok.base_tags[k].startswith("J")):
        k += 1
    feats.append(f"next={tok.lemmas[k].split('+')[0] if k < sent.end else '</s>'}")
    feats.append(f"next_tag={tok.base_tags[k] if k < sent.end else '</s>'}")
    feats.append(f"obj_text={obj.text}" if obj.label_ == "CV" else f"obj_len={min(len(obj.text), 6)}")
    # how sure the entity stage was of each argument: who found it, and whether a person has a title
    # (or a person cue) next to one of their mentions in the document
    table = entity_info(doc)
    for role, span in (("s", subj), ("o", obj)):
        info = table.get((span.start_char, span.end_char))
        feats.append(f"src_{role}={info.source if info is not None else '-'}")
    if subj.label_ == "PS":
        feats.append(f"titled={_titled_people(doc).get(subj.text, False)}")
    return feats


def _titled_people(doc: Doc) -> dict[str, bool]:
    """Person mention text -> whether some mention of it stands right next to a CV."""
    cached = doc.user_data.get("_titled_people")
    if cached is not None:
        return cached
    tok = token_columns(doc)
    ents = list(entity_spans(doc))
    out: dict[str, bool] = {}
    for i, e in enumerate(ents):
        if e.label_ != "PS":
            continue
        near = [x for x in ents[max(0, i - 1):i + 2] if x.label_ == "CV"]
        titled = any(0 <= (x.start - e.end if x.start >= e.end else e.start - x.end) <= 1 for x in near)
        k = tok.next_word(e.end)
        out[e.text] = out.get(e.text, False) or titled or (k is not None and tok.words[k] in {"씨", "선수", "후보"})
    doc.user_data["_titled_people"] = out
    return out


class Scorer:
    """One logistic regression per relation type, with its threshold."""

    def __init__(self, model: dict):
        self.types = model["types"]

    def probability(self, relation: str, feats: list[str]) -> float:
        spec = self.types.get(relation)
        if spec is None:
            return 0.0
        weights = spec["weights"]
        z = spec["bias"] + sum(weights.get(f, 0.0) for f in set(feats))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def threshold(self, relation: str) -> float:
        spec = self.types.get(relation)
        return spec["threshold"] if spec else 2.0


@lru_cache(maxsize=4)
def load_scorer(path: str = str(SCORER_PATH)) -> Scorer | None:
    if not Path(path).exists():
        return None
    return Scorer(json.loads(Path(path).read_text(encoding="utf-8")))


def learned_relations(doc: Doc, sent: Span, sentence_id: int, b: RelationBuilder, scorer: Scorer) -> None:
    """Rows for the candidates the patterns did not give, scored at or above their type's threshold."""
    best: dict[tuple[str, str, str], tuple[float, Span, Span]] = {}
    for subj, obj, relation in candidates(doc, sent):
        key = (b.norm(subj), relation, b.norm(obj))
        if key in b.rows:
            continue
        p = scorer.probability(relation, features(doc, sent, subj, obj, sentence_id))
        if p >= scorer.threshold(relation) and p > best.get(key, (0.0,))[0]:
            best[key] = (p, subj, obj)
    for (_, relation, _), (p, subj, obj) in best.items():
        b.add(sentence_id, sent, subj, relation, obj, "learned", score=round(p, 3))
