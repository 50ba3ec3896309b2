"""Places: ``미국 오픈AI``, ``LC 주재 OG`` and ``X에 위치한 OG`` -> org:place_of_headquarters; a parent
named with a branch word (``오픈AI 코리아``) -> org:branch_of.
"""
from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Doc, Span

from ..records import TokenColumns, sentence_index, token_columns
from .base import (
    RelationBuilder,
    clause_of,
    entity_index,
    entity_starting_at,
    ents_in,
    josa_after,
    only_space_between,
    sentence_subject,
    words_between,
)
from .triggers import Triggers


def place_of_headquarters(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    tok = token_columns(doc)
    ents = ents_in(doc, sent.start, sent.end)
    for ent, nxt in pairwise(ents):
        if ent.label_ != "LC" or nxt.label_ != "OG":
            continue
        if only_space_between(doc, ent, nxt) and ent.end > 0 and tok.space_after[ent.end - 1]:
            # 미국 오픈AI; but not inside a list or a verb phrase
            b.add(sid, sent, nxt, "org:place_of_headquarters", ent, "LC OG")
        elif words_between(tok, ent, nxt) == ["주재"]:
            b.add(sid, sent, nxt, "org:place_of_headquarters", ent, "LC 주재 OG")



def located_in(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """org:place_of_headquarters from location verbs and nouns:

    ``LC 소재 OG`` / ``LC에 위치한 OG`` / ``LC에 본사를 둔 OG`` (the clause modifies the name right after it),
    ``OG는 LC에 위치해 있다`` / ``OG는 LC에 본사를 두고`` / ``OG 본사는 LC에 있다`` (the organisation is the subject).
    """
    tok = token_columns(doc)
    lemmas = tok.lemma_heads
    located = trig.verbs.get("located", frozenset())
    seat_nouns = trig.verbs.get("seat_noun", frozenset())
    heads = lemmas[sent.start:sent.end]
    if located.isdisjoint(heads) and seat_nouns.isdisjoint(heads):
        return  # every pattern below needs a location verb or seat noun in the sentence
    ents = ents_in(doc, sent.start, sent.end)
    for i, place in enumerate(ents):
        if place.label_ != "LC":
            continue
        josa = josa_after(place)
        k = place.end
        while k < sent.end and (tok.is_space[k] or tok.base_tags[k].startswith("J")):
            k += 1
        if k >= sent.end:
            continue
        word = lemmas[k]
        org = None
        if josa == "" and word in located and _ETM_or_noun_modifier(tok, k):
            org = _name_right_after(doc, sent, k)  # 서울 소재 OG / 서울 소재의 OG
        elif josa == "에" and word in located:
            org = _name_right_after(doc, sent, k) if _ends_in_modifier(tok, k) else \
                _clause_subject_before(doc, sent, place, k)
        elif josa == "에" and word in seat_nouns:
            # LC에 본사를 둔 OG / OG는 LC에 본사를 두고
            verb = tok.next_word(k + 1)
            while verb is not None and verb < sent.end and tok.base_tags[verb].startswith("J"):
                verb = tok.next_word(verb + 1)
            if verb is not None and lemmas[verb] == "두":
                org = _name_right_after(doc, sent, verb) if _ends_in_modifier(tok, verb) else \
                    _clause_subject_before(doc, sent, place, verb)
        if org is not None and org.label_ == "OG":
            b.add(sid, sent, org, "org:place_of_headquarters", place, "LC에 위치한 OG")
    # OG 본사는 LC에 (있다|위치)
    for org in (e for e in ents if e.label_ == "OG"):
        nxt = tok.next_word(org.end)
        if nxt is None or nxt >= sent.end or lemmas[nxt] not in seat_nouns or not tok.space_after[org.end - 1]:
            continue
        after = tok.next_word(nxt + 1)
        if after is None or tok.words[after] not in {"는", "은", "가", "이"}:
            continue
        place = next((e for e in ents if e.start > after and e.label_ == "LC"), None)
        if place is None or any(e.label_ in {"OG", "PS"} for e in ents if after < e.start < place.start):
            continue
        verb = tok.next_word(place.end)
        if josa_after(place) == "에" and verb is not None:
            verb = tok.next_word(verb + 1)
            if verb is not None and (lemmas[verb] in located or lemmas[verb] == "있"):
                b.add(sid, sent, org, "org:place_of_headquarters", place, "OG 본사는 LC에")



KIND_TAGS = frozenset({"MAG", "NNG", "NNB", "MM", "NR", "SN", "XSN", "JKG"})


def kind_of_place(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """``대한민국의 주요 포털 사이트 중 하나인 네이버``, ``대한민국에서 가장 큰 인터넷 통신 기업 두 곳인 네이버와
    카카오``: a place, then a kind of organisation (``company_noun`` in rel_verbs.tsv) and ``인``, then the
    organisation(s) -> org:place_of_headquarters. Only plain words stand between (no other name)."""
    tok = token_columns(doc)
    kinds = trig.verbs.get("company_noun", frozenset())
    if kinds.isdisjoint(tok.lemma_heads[sent.start:sent.end]):
        return
    ents = ents_in(doc, sent.start, sent.end)
    for place in (e for e in ents if e.label_ == "LC"):
        if josa_after(place) not in {"의", "에서"}:
            continue
        k, saw_kind = tok.next_word(place.end + 1), False
        while k is not None and k < min(sent.end, place.end + 14):
            inside = entity_starting_at(doc, k) if not tok.is_space[k] else None
            if inside is not None and inside.label_ != "QT" and k > place.end + 1:
                break
            if tok.tags[k].startswith("VCP") and "ETM" in tok.tags[k]:
                break
            tags = set(tok.tags[k].split("+"))
            if not tok.is_space[k] and not (tags <= KIND_TAGS | {"VA", "ETM", "JKB", "JX"} and
                                            ("VA" not in tags or "ETM" in tags)):
                k = None
                break
            saw_kind = saw_kind or tok.lemma_heads[k] in kinds
            k += 1
        if k is None or k >= sent.end or not saw_kind or not tok.tags[k].startswith("VCP"):
            continue
        org = entity_starting_at(doc, tok.next_word(k + 1) or k)
        while org is not None and org.label_ == "OG":
            b.add(sid, sent, org, "org:place_of_headquarters", place, "LC의 기업인 OG")
            if josa_after(org) not in {"와", "과"}:
                break
            org = entity_starting_at(doc, tok.next_word(org.end + 1) or org.end)


def _ETM_or_noun_modifier(tok: TokenColumns, k: int) -> bool:
    """``소재`` used as a noun modifier (서울 소재 기업, 서울 소재의 기업)."""
    nxt = k + 1
    return nxt >= len(tok.words) or tok.is_space[nxt] or tok.words[nxt] == "의" or tok.space_after[k]



def _ends_in_modifier(tok: TokenColumns, k: int) -> bool:
    """The verb at ``k`` (or its 하다) ends in a noun-modifying ending (위치한, 둔, 있는)."""
    for i in range(k, min(len(tok.words), k + 4)):
        tags = tok.tags[i].split("+")
        if "ETM" in tags:
            return True
        if tok.is_space[i] or any(t.startswith(("EC", "EF")) for t in tags):
            return False
    return False



def _name_right_after(doc: Doc, sent: Span, k: int) -> Span | None:
    """The entity that starts right after the modifier ending at ``k`` (skipping 의 and spaces)."""
    tok = token_columns(doc)
    i = k + 1
    while i < sent.end and (tok.is_space[i] or tok.words[i] == "의" or "ETM" in tok.tags[i].split("+")
                            or tok.base_tags[i] in {"XSV", "XSA", "VX"}):
        i += 1
    ent = entity_starting_at(doc, i)
    if ent is None:
        return None
    # the name must be the head: 서울에 위치한 삼성전자 사옥 is about a building, not the company
    after = tok.next_word(ent.end)
    if after is not None and after < sent.end and tok.base_tags[after] in {"NNG", "NNP"} \
            and tok.space_after[ent.end - 1]:
        return None
    return ent



def _clause_subject_before(doc: Doc, sent: Span, place: Span, verb_index: int) -> Span | None:
    """``OG는 LC에 위치해 있다``: the subject-marked organisation of the clause, verb not a modifier."""
    clause_start, _ = clause_of(doc, sent, place.start)
    subject = sentence_subject(doc, doc[clause_start:place.start]) if clause_start < place.start else None
    if subject is None:
        return None
    between = ents_in(doc, subject.end, place.start)
    if any(e.label_ in {"OG", "PS", "LC"} for e in between):
        return None
    return subject



def units(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """``국회 법제사법위원회``, ``서울소방재난본부 용산소방서``: an organisation right after another one, whose
    name ends in a unit head (``branch_units.tsv``), is a unit of it -> org:branch_of."""
    tok = token_columns(doc)
    for parent, unit in pairwise(ents_in(doc, sent.start, sent.end)):
        if parent.label_ != "OG" or unit.label_ != "OG" or not only_space_between(doc, parent, unit) \
                or not tok.space_after[parent.end - 1] or josa_after(parent):
            continue
        name = b.norm(unit)
        if any(name.endswith(h) and len(name) > len(h) for h in trig.branch_units) or name in trig.branch_units:
            b.add(sid, sent, unit, "org:branch_of", parent, "OG OG-unit")


def branches(doc: Doc, b: RelationBuilder, trig: Triggers) -> None:
    """``오픈AI 코리아`` is a branch of ``오픈AI`` when the parent is named in the article."""
    orgs = [e for e in entity_index(doc).ents if e.label_ == "OG"]
    norms = {b.norm(o): o for o in orgs}
    sentences = sentence_index(doc)
    for org in orgs:
        name = b.norm(org)
        for suffix in trig.branch_words:
            if name.endswith(suffix) and len(name) > len(suffix):
                parent_name = name[: -len(suffix)].strip()
                parent = norms.get(parent_name)
                if parent is not None:
                    sid, sent = next((n, s) for n, s in enumerate(sentences) if s.start <= org.start < s.end)
                    b.add(sid, sent, org, "org:branch_of", parent, "PARENT + branch word")
