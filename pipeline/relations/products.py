"""Products: possessives (``마이크로소프트의 애저``), ``AF 개발사 [LC] OG``, and maker or launch verbs
(``OG가 AF를 출시``) -> org:product.
"""
from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Doc, Span

from ..records import token_columns
from .base import (
    RelationBuilder,
    by_end_before,
    clause_of,
    ents_in,
    josa_after,
    sentence_subject,
    words_between,
)
from .triggers import Triggers, triggers


def possessives(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    tok = token_columns(doc)
    ents = ents_in(doc, sent.start, sent.end)
    kinds = triggers().verbs.get("product_kind", frozenset())
    for i, (ent, nxt) in enumerate(pairwise(ents)):
        between = words_between(tok, ent, nxt)
        if ent.label_ != "OG" or nxt.label_ != "AF" or not between:
            continue
        possessive = between[0] == "의"
        rest = [w for w in between[possessive:] if w not in _QUOTE_CHARS]
        while rest and rest[0] in NEW_WORDS:
            rest = rest[1:]  # 애플 차세대 스마트폰 '아이폰6', 삼성전자 새 스마트폰 '갤럭시S5'
        if possessive and set(rest) <= {")", "("} and nxt.start - ent.end <= 3 \
                or 0 < len(rest) <= 2 and "".join(rest) in kinds:
            b.add(sid, sent, ent, "org:product", nxt, "OG의 [kind] AF")
            for later in _coordinated(doc, ents[i + 2:], nxt):
                b.add(sid, sent, ent, "org:product", later, "OG의 AF와 AF")
    trig = triggers().by_relation.get("org:product", frozenset())
    for i, ent in enumerate(ents):
        if ent.label_ != "AF":
            continue
        nxt = tok.next_word(ent.end)
        while nxt is not None and tok.words[nxt] in "’'\"”)":
            nxt = tok.next_word(nxt + 1)
        if nxt is None or tok.words[nxt] not in trig:
            continue
        for later in ents[i + 1:i + 3]:
            if later.label_ == "OG" and later.start - nxt <= 4:
                b.add(sid, sent, later, "org:product", ent, "AF 개발사 OG")
                break



def _coordinated(doc: Doc, following: list[Span], first: Span) -> list[Span]:
    """The products joined to ``first`` by 와/과/, (``'아이폰6'와 '애플워치'``)."""
    tok = token_columns(doc)
    out, prev = [], first
    for ent in following:
        between = [w for w in words_between(tok, prev, ent) if w not in _QUOTE_CHARS]
        if ent.label_ != "AF" or between not in (["와"], ["과"], [","]):
            break
        out.append(ent)
        prev = ent
    return out


def named_products(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    """``카카오는 카카오톡 ...``: a product named after its maker, both in one sentence."""
    ents = ents_in(doc, sent.start, sent.end)
    for org in (e for e in ents if e.label_ == "OG"):
        for product in (e for e in ents if e.label_ == "AF"):
            org_norm, product_norm = b.norm(org), b.norm(product)
            if len(org_norm) >= 2 and product_norm.startswith(org_norm) and product_norm != org_norm:
                b.add(sid, sent, org, "org:product", product, "maker's name in the product name")



def maker_verbs(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """org:product from maker verbs: ``OG가 개발한 AF``, ``OG는 AF를 출시했다`` (same clause, no other maker)."""
    tok = token_columns(doc)
    lemmas = tok.lemma_heads
    verbs = trig.verbs.get("product_verb", frozenset())
    if verbs.isdisjoint(lemmas[sent.start:sent.end]):
        return
    ents = ents_in(doc, sent.start, sent.end)
    for product in (e for e in ents if e.label_ == "AF"):
        # OG가/이/의 개발한 AF: the modifier right before the product
        k = product.start - 1
        while k > sent.start and (tok.is_space[k] or tok.words[k] in _QUOTE_CHARS):
            k -= 1
        if "ETM" in tok.tags[k].split("+"):
            v = k
            while v > sent.start and lemmas[v] not in verbs and tok.base_tags[v] in {"XSV", "EP", "ETM", "VX"}:
                v -= 1
            if lemmas[v] in verbs:
                maker = by_end_before(doc, ents, v)
                if maker is not None and maker.label_ == "OG" and josa_after(maker) in {"가", "이", "의"}:
                    b.add(sid, sent, maker, "org:product", product, "OG가 개발한 AF")
                    continue
        # OG는 ... AF를 출시했다
        if josa_after(product) not in {"을", "를"}:
            continue
        clause_start, clause_end = clause_of(doc, sent, product.end)
        verb = next((i for i in range(product.end, clause_end) if lemmas[i] in verbs), None)
        if verb is None or any(e.start < verb for e in ents if e.start >= product.end and e.label_ in {"AF", "OG"}) \
                or not _verb_takes_object(tok, product.end, verb):
            continue
        maker = sentence_subject(doc, doc[clause_start:product.start]) if clause_start < product.start else None
        if maker is None and clause_start == sent.start:
            maker = sentence_subject(doc, doc[sent.start:product.start]) if sent.start < product.start else None
        if maker is not None and not any(e.label_ == "OG" for e in ents if maker.end <= e.start < product.start):
            b.add(sid, sent, maker, "org:product", product, "OG는 AF를 출시")



def _verb_takes_object(tok, start: int, verb: int) -> bool:
    """The maker verb at ``verb`` is a verb (출시/NNG needs its 하/되) whose object is the product: no relative
    form or other object between (``아이폰 4를 예약한 가입자 ... 출시행사를 개최``)."""
    is_verb = tok.base_tags[verb] in {"VV", "VX"} or (
        verb + 1 < len(tok.words) and not tok.space_after[verb] and tok.base_tags[verb + 1] in {"XSV", "XSA"})
    between = range(start + 1, verb)
    return is_verb and not any("ETM" in tok.tags[k] or tok.words[k] in {"을", "를"} for k in between)


# Modifiers of a product kind noun between a maker and its product (``애플 차세대 스마트폰 '아이폰6'``).
NEW_WORDS = frozenset({"새", "신", "신형", "차세대", "차기", "최신", "신규", "전략"})
_QUOTE_CHARS = set("'‘’\"“”「」『』<>《》〈〉")
