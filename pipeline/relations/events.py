"""Events: ``X ... EV 개최/열다`` -> org:hosts, with the clause's nearest date and place -> ev:date,
ev:place.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import token_columns
from .base import RelationBuilder, clause_of, ents_in, josa_after, sentence_subject
from .triggers import Triggers


def hosting(doc: Doc, sent: Span, sid: int, b: RelationBuilder, subject: Span | None, trig: Triggers) -> None:
    tok = token_columns(doc)
    words = trig.by_relation.get("org:hosts", frozenset())
    for ev in ents_in(doc, sent.start, sent.end, {"EV"}):
        clause_start, clause_end = clause_of(doc, sent, ev.end)
        verb = next((i for i in range(ev.end, clause_end)
                     if tok.lemma_heads[i] in words and tok.base_tags[i] in {"NNG", "VV"}), None)
        if verb is None:
            organiser = _organiser_in_apposition(doc, sent, ev)
            if organiser is not None:
                b.add(sid, sent, organiser, "org:hosts", ev, "OG의 ... 워크숍인 EV")
            continue
        host = sentence_subject(doc, doc[sent.start:ev.start]) if sent.start < ev.start else None
        host = host or subject
        if host is not None:
            b.add(sid, sent, host, "org:hosts", ev, "X ... EV 개최")
        dates = [d for d in ents_in(doc, clause_start, ev.start, {"DT"})]
        if not dates:
            # a date named at the head of the sentence (topic-marked: 11월엔 ...) scopes over it
            dates = [d for d in ents_in(doc, sent.start, ev.start, {"DT"})
                     if josa_after(d) in {"엔", "에는", "에"} and not any(e.label_ == "EV" for e in
                                                                        ents_in(doc, d.end, ev.start))]
        if dates:
            b.add(sid, sent, ev, "ev:date", dates[-1], "EV date in clause")
        for place in ents_in(doc, ev.end, clause_end, {"LC"}) + ents_in(doc, clause_start, ev.start, {"LC"}):
            if josa_after(place) == "에서":
                b.add(sid, sent, ev, "ev:place", place, "EV LC에서 개최")



def _organiser_in_apposition(doc: Doc, sent: Span, ev: Span) -> Span | None:
    """``오픈AI의 영상 도구 활용 워크숍인 '크리에이티브 랩 서울'``: the owner of the event noun."""
    tok = token_columns(doc)
    i = ev.start - 1
    while i > sent.start and (tok.is_space[i] or tok.words[i] in "'‘\"“"):
        i -= 1
    if not tok.tags[i].startswith("VCP"):
        return None
    for ent in reversed(ents_in(doc, max(sent.start, i - 10), i, {"OG"})):
        if josa_after(ent) == "의":
            return ent
    return None
