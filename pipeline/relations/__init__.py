"""Relations between the entities of one sentence, one pattern family per module.

Patterns over Kiwi tokens and entity labels, with trigger words from ``resources/``:

  apposition   PS [OG] CV            -> per:title, per:employee_of   (이재용 삼성전자 회장)
               OG의 PS               -> per:employee_of              (오픈AI의 제이슨 권)
               surname + CV          -> per:title of the full name   (권 CSO -> 제이슨 권)
  possessive   OG의 AF               -> org:product                  (마이크로소프트의 애저)
               AF 개발사 [LC] OG     -> org:product                  (챗GPT 개발사 오픈AI)
  names        PARENT + branch word  -> org:branch_of                (오픈AI 코리아 -> 오픈AI)
               LC OG / LC 주재 OG    -> org:place_of_headquarters    (미국 오픈AI)
  triggers     X ... Y와 제휴/MOU     -> org:partner_of               (symmetric, one row per pair)
               X도 Y의 Z를 활용       -> org:client_of
               X ... EV 개최/열       -> org:hosts, ev:date (nearest date of the clause), ev:place
               OG가 주최한 EV         -> org:hosts
  events       DT LC에서 열린 EV      -> ev:date, ev:place              (2015년 11월 14일 서울 도심에서 열린 EV)
  figures      X [figure noun]은 QT  -> qt:of                        (챗GPT 주간 사용자 수는 7억명)
               X는 QT를 기록/QT를 기록한 X/N위인 X -> qt:of          (docs/relations.md 2c)
  glosses      PS(69), X(QT)         -> qt:of                        (백남기 농민(69))

The subject of a sentence is the organisation marked with 은/는/이/가/도 (or ``X의 경우``). When a
sentence with a trigger has no subject of its own, the subject of the latest sentence that had
one carries over (Korean omits a subject that stays the same); headlines start afresh.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from .. import layout
from ..entities.lexicons import DEFAULT_LEXICON
from ..records import Relation, sentence_index
from .base import RelationBuilder, ents_in, sentence_subject
from .events import event_settings, hosting, hosts_before
from .figures import chances, figures, ranked_as, reached, reached_by
from .glosses import ages, glossed_figures
from .partners import clients, partners
from .persons import agencies, appositions, parenthesised_affiliations, short_references
from .places import branches, kind_of_place, located_in, place_of_headquarters, units
from .products import maker_verbs, named_products, possessives
from .triggers import triggers

__all__ = ["extract_relations"]


def extract_relations(doc: Doc, lexicon: str = DEFAULT_LEXICON) -> list[Relation]:
    """The relations the sentences of ``doc`` state, one row per (subject, relation, object)."""
    doc.user_data.pop("_relation_entities", None)
    builder = RelationBuilder(doc, lexicon)
    trig = triggers()
    carried: Span | None = None
    figure_subject: Span | None = None
    regions = doc._.regions or []
    headline_starts = {r.start for r in regions if r.kind in (layout.HEADLINE, layout.SUBHEADLINE, layout.CAPTION)}
    for sentence_id, sent in enumerate(sentence_index(doc)):
        if sent.start_char in headline_starts:
            carried = figure_subject = None
        ents = ents_in(doc, sent.start, sent.end)
        if not ents:
            continue  # no entity, no relation: every pattern needs one, and the carried subjects stay
        # Each pattern below relates entities of certain labels, and adds nothing to a sentence
        # without them (most sentences hold two or three labels): it is not run there.
        labels = {ent.label_ for ent in ents}
        own_subject = sentence_subject(doc, sent) if "OG" in labels else None
        subject = own_subject or carried
        if "CV" in labels or ("OG" in labels and "PS" in labels):
            appositions(doc, sent, sentence_id, builder)
        if "AF" in labels:
            possessives(doc, sent, sentence_id, builder)
            if "OG" in labels:
                named_products(doc, sent, sentence_id, builder)
        if "LC" in labels:
            if "OG" in labels:
                place_of_headquarters(doc, sent, sentence_id, builder)
                kind_of_place(doc, sent, sentence_id, builder, trig)
            located_in(doc, sent, sentence_id, builder, trig)
        if "OG" in labels:
            parenthesised_affiliations(doc, sent, sentence_id, builder)
            if "PS" in labels:
                agencies(doc, sent, sentence_id, builder, trig.by_relation.get("per:employee_of", frozenset()))
            units(doc, sent, sentence_id, builder, trig)
        if "AF" in labels:
            maker_verbs(doc, sent, sentence_id, builder, trig)
        if "OG" in labels:
            partners(doc, sent, sentence_id, builder, subject, trig)
            clients(doc, sent, sentence_id, builder, trig)
        if "EV" in labels:
            hosting(doc, sent, sentence_id, builder, subject, trig)
            event_settings(doc, sent, sentence_id, builder, trig)
            hosts_before(doc, sent, sentence_id, builder, trig)
        figure_subject = figures(doc, sent, sentence_id, builder, trig, figure_subject)
        if "QT" in labels:
            reached(doc, sent, sentence_id, builder, trig)
            glossed_figures(doc, sent, sentence_id, builder)
            chances(doc, sent, sentence_id, builder, trig)
            reached_by(doc, sent, sentence_id, builder, trig)
            ranked_as(doc, sent, sentence_id, builder)
            if "PS" in labels:
                ages(doc, sent, sentence_id, builder)
        if own_subject is not None:
            carried = own_subject
    short_references(doc, builder)
    branches(doc, builder, trig)
    return list(builder.rows.values())
