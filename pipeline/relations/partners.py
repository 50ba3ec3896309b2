"""Partners and clients: ``X ... Y와 제휴/MOU/협약`` -> org:partner_of (symmetric, one row per pair);
``X도 Y의 Z를 활용`` -> org:client_of.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import token_columns
from .base import (
    PARTNER_NOUNS,
    SUBJECT_JOSA,
    WITH_JOSA,
    RelationBuilder,
    clause_of,
    ents_in,
    josa_after,
    sentence_subject,
)
from .triggers import Triggers


def partners(doc: Doc, sent: Span, sid: int, b: RelationBuilder, subject: Span | None, trig: Triggers) -> None:
    tok = token_columns(doc)
    words = trig.by_relation.get("org:partner_of", frozenset())
    heads, forms = tok.lemma_heads[sent.start:sent.end], tok.words[sent.start:sent.end]
    if words.isdisjoint(heads) and words.isdisjoint(forms):
        return  # no trigger in the sentence (most sentences): a set test instead of a look at each token
    triggers_at = [i for i, head, form in zip(range(sent.start, sent.end), heads, forms)
                   if head in words or form in words]
    ents = ents_in(doc, sent.start, sent.end, {"OG"})
    for ent in ents:
        josa = josa_after(ent)
        partner_noun = None
        if josa == "의":
            following = [i for i in range(ent.end + 1, min(sent.end, ent.end + 5)) if not tok.is_space[i]]
            partner_noun = next((i for i in following if tok.lemma_heads[i] in PARTNER_NOUNS), None)
        if josa in WITH_JOSA or partner_noun is not None:
            # the trigger must come after the partner, in the same clause
            clause = clause_of(doc, sent, ent.end)
            if not any(clause[0] <= i < clause[1] + 3 and i >= ent.end for i in triggers_at):
                continue
            own = sentence_subject(doc, doc[clause[0]:ent.start]) if clause[0] < ent.start else None
            first = own or subject
            if partner_noun is not None:
                first = sentence_subject(doc, doc[sent.start:ent.start]) if sent.start < ent.start else None
            if first is not None and first.start != ent.start:
                b.add(sid, sent, first, "org:partner_of", ent, "X ... Y와 제휴")



def clients(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """``A·B 등도 Y의 Z를 활용``: A and B use Y's product."""
    tok = token_columns(doc)
    words = trig.by_relation.get("org:client_of", frozenset())
    if words.isdisjoint(tok.lemma_heads[sent.start:sent.end]):
        return  # the verb (활용 ...) must be in the sentence
    ents = ents_in(doc, sent.start, sent.end, {"OG"})
    for provider in ents:
        if josa_after(provider) != "의":
            continue
        clause = clause_of(doc, sent, provider.end)
        object_tokens = range(provider.end, clause[1])
        verb = next((i for i in object_tokens if tok.lemma_heads[i] in words), None)
        if verb is None:
            continue
        object_josa = any(tok.words[i] in {"을", "를"} and i < verb for i in object_tokens)
        if not object_josa:
            continue
        users = [e for e in ents if e.start < provider.start and e.start >= clause[0]]
        if not users:
            continue
        last_josa = josa_after(users[-1])
        after_last = [tok.words[i] for i in range(users[-1].end, provider.start) if not tok.is_space[i]]
        if last_josa in SUBJECT_JOSA or (after_last[:1] == ["등"] and any(j in after_last for j in ("도", "은", "는", "이", "가"))):
            for user in users:
                b.add(sid, sent, user, "org:client_of", provider, "X도 Y의 Z를 활용")
