"""Stage 4: relations between the entities of one sentence.

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
  figures      X [figure noun]은 QT  -> qt:of                        (챗GPT 주간 사용자 수는 7억명)

The subject of a sentence is the organisation marked with 은/는/이/가/도 (or ``X의 경우``). When a
sentence with a trigger has no subject of its own, the subject of the latest sentence that had
one carries over (Korean omits a subject that stays the same); headlines start afresh.
"""
from __future__ import annotations

import bisect
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import layout
from .entities import base_tag, is_function_token, lexicons
from .records import (
    Relation,
    TokenColumns,
    entity_info,
    entity_spans,
    sentence_index,
    token_columns,
)
from .resources import read_tsv

SUBJECT_JOSA = {"은", "는", "이", "가", "도", "께서"}
WITH_JOSA = {"와", "과", "와의", "과의"}
PARTNER_NOUNS = {"파트너", "협력사", "동맹"}
CLAUSE_BREAK_ENDINGS = {"며", "고", "면서", "지만", "는데", "ᆫ데", "으며", "으면서"}


@dataclass(frozen=True)
class Triggers:
    by_relation: dict[str, frozenset[str]]
    figure_nouns: frozenset[str]
    figure_verbs: frozenset[str]
    branch_words: dict[str, str]
    # rel_verbs.tsv: verbs (Kiwi stems / nouns taking 하다) by role, e.g. product_verb 출시, located 위치
    verbs: dict[str, frozenset[str]] = None  # type: ignore[assignment]


@lru_cache(maxsize=1)
def triggers() -> Triggers:
    by_relation: dict[str, set[str]] = {}
    for row in read_tsv("relation_triggers.tsv"):
        by_relation.setdefault(row["relation"], set()).add(row["word"])
    return Triggers(
        by_relation={k: frozenset(v) for k, v in by_relation.items()},
        figure_nouns=frozenset(r["noun"] for r in read_tsv("figure_nouns.tsv")),
        figure_verbs=frozenset(r["verb"] for r in read_tsv("figure_verbs.tsv")),
        branch_words={r["suffix"]: r["country"] for r in read_tsv("branch_words.tsv")},
        verbs=_verbs_by_role(),
    )


def _verbs_by_role() -> dict[str, frozenset[str]]:
    roles: dict[str, set[str]] = {}
    for row in read_tsv("rel_verbs.tsv"):
        roles.setdefault(row["role"], set()).add(row["word"])
    return {k: frozenset(v) for k, v in roles.items()}


def _words_between(tok: TokenColumns, a: Span, b: Span) -> list[str]:
    """The tokens between two spans, whitespace left out."""
    return [tok.words[k] for k in range(a.end, b.start) if not tok.is_space[k]]


def _josa_after(span: Span) -> str:
    """The particle(s) right after a span (``오픈AI는`` -> ``는``), '' when none."""
    tok = token_columns(span.doc)
    n = len(tok.words)
    forms = []
    i = span.end
    while i < n and tok.base_tags[i].startswith("J") and not tok.space_after[i - 1]:
        forms.append(tok.words[i])
        i += 1
    return "".join(forms)


def _only_space_between(doc: Doc, a: Span, b: Span) -> bool:
    tok = token_columns(doc)
    return a.end <= b.start and all(tok.is_space[a.end:b.start]) and (
        a.end == b.start and tok.space_after[a.end - 1] or a.end < b.start or tok.space_after[a.end - 1])


def _clause_of(doc: Doc, sent: Span, index: int) -> tuple[int, int]:
    """Token range of the clause around ``index``: cut at connective endings (며, 고 ...) and ``,``."""
    tok = token_columns(doc)
    start = sent.start
    for i in range(index - 1, sent.start - 1, -1):
        if _is_clause_break(tok, i):
            start = i + 1
            break
    end = sent.end
    for i in range(index, sent.end):
        if _is_clause_break(tok, i):
            end = i + 1
            break
    return start, end


def _is_clause_break(tok: TokenColumns, i: int) -> bool:
    tags = tok.tags[i].split("+")
    forms = tok.lemmas[i].split("+")
    # A comma is no clause break: in news it mostly separates list items (스타트업, 개발자 등).
    return any(tag == "EC" and form in CLAUSE_BREAK_ENDINGS for tag, form in zip(tags, forms)) or \
        "EF" in tags or tok.words[i] == ";"


class RelationBuilder:
    """Collects relations of one Doc, one row per (subject, relation, object)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.table = entity_info(doc)
        self.text = token_columns(doc).text
        self.rows: dict[tuple[str, str, str], Relation] = {}
        self.first_seen: dict[str, int] = {}
        for ent in _entity_index(doc).ents:
            self.first_seen.setdefault(self.norm(ent), ent.start_char)

    def norm(self, span: Span) -> str:
        info = self.table.get((span.start_char, span.end_char))
        if span.label_ == "QT" or not (info and info.norm):
            return self.text[span.start_char:span.end_char]
        return info.norm

    def add(self, sentence_id: int, sent: Span, subj: Span, relation: str, obj: Span, rule: str) -> None:
        if any(arg.label_ == "PS" and not plausible_person(arg) for arg in (subj, obj)):
            return  # a mislabelled name (사업부, 와세다대, 이인영 더불어민주당): no fact from it
        subj_norm, obj_norm = self.norm(subj), self.norm(obj)
        if relation == "ev:date" and not obj_norm[:4].isdigit():
            return
        if subj_norm == obj_norm:
            return
        if relation == "org:partner_of" and self.first_seen.get(obj_norm, 0) < self.first_seen.get(subj_norm, 0):
            subj, obj, subj_norm, obj_norm = obj, subj, obj_norm, subj_norm
        key = (subj_norm, relation, obj_norm)
        if key in self.rows:
            return
        text = self.text  # span.text would make a Token of each of the span's tokens
        self.rows[key] = Relation(
            sentence_id=sentence_id, subj_start=subj.start_char, subj_end=subj.end_char,
            subj=text[subj.start_char:subj.end_char], subj_norm=subj_norm, subj_label=subj.label_,
            relation=relation, obj_start=obj.start_char, obj_end=obj.end_char, obj=text[obj.start_char:obj.end_char],
            obj_norm=obj_norm, obj_label=obj.label_, evidence=text[sent.start_char:sent.end_char].strip(), rule=rule)


# One-syllable organisation heads that end a mislabelled person (와세다대, 사업부, 더불어민주당);
# place heads (시, 구, 동 ...) are left out: Korean given names end in them (홍길동).
ORG_HEADS_ONE_SYLLABLE = frozenset({"대", "부", "청", "당", "처", "원", "회", "사"})


@lru_cache(maxsize=1)
def _name_facts() -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    """(lexicon names that are not people, organisation/place heads of 2+ syllables, one-syllable org heads)."""
    not_people = frozenset(r["form"] for r in read_tsv("lexicon.tsv") if r.get("label") not in (None, "", "PS"))
    heads = [r["suffix"] for r in read_tsv("name_suffixes.tsv") if r["label"] in {"OG", "LC"}]
    long_heads = tuple(sorted((h for h in heads if len(h) >= 2), key=len, reverse=True))
    return not_people, long_heads, ORG_HEADS_ONE_SYLLABLE


def plausible_person(span: Span) -> bool:
    """A PS span that can carry a fact: not an organisation, place or common noun labelled as a person.

    Rejected: common nouns (every token NNG, and two syllables or a one-syllable head: ``전통``,
    ``사업부``); a word that is a lexicon name of another label or ends in an organisation/place head of two or more syllables (``쌍용건설``, ``더본코리아``); after the
    first word, a longer word ending in a one-syllable head (``더불어민주당``); a trailing ``전``/``현``
    (former/current belongs to the title); a one-word Korean name of 5+ syllables (``국민민주당``);
    a last token ``대``/``부``... glued to a name (``와세다대``).
    """
    not_people, long_heads, short_heads = _name_facts()
    tokens = [t for t in span if not t.is_space]
    if not tokens:
        return False
    if all(base_tag(t) in {"NNG", "NNB"} for t in tokens) and (len(span.text) <= 2 or span.text[-1] in short_heads):
        return False  # 전통, 사업부: common nouns (Kiwi tags unknown names NNG too: 조주빈 stays)
    words = span.text.split()
    if words[-1] in {"전", "현", "前", "現"} or span.text in not_people:
        return False
    if len(tokens) > 1 and base_tag(tokens[-1]) == "NNG" and tokens[-1].text in short_heads and not tokens[-1].whitespace_ \
            and not span.doc[tokens[-1].i - 1].whitespace_:
        return False
    for n, word in enumerate(words):
        hangul = all("\uac00" <= ch <= "\ud7a3" for ch in word)
        if word in not_people or (len(word) > 2 and word.endswith(long_heads) and hangul):
            return False
        if n > 0 and hangul and len(word) >= 3 and word[-1] in short_heads:
            return False
    if len(words) == 1 and all("\uac00" <= ch <= "\ud7a3" for ch in span.text):
        if len(span.text) >= 5:
            return False
    return True


class _EntityIndex:
    """The Doc's entities in text order, with their start tokens (for bisection) and labels."""

    def __init__(self, ents: tuple[Span, ...]):
        self.ents = ents
        self.starts = [ent.start for ent in ents]
        self.ends = [ent.end for ent in ents]  # ascending too: the entities do not overlap
        self.labels = [ent.label_ for ent in ents]  # Span.label_ looks the string up on every access
        # token range -> the indices of the entities inside it: every pattern asks for the
        # entities of the same sentence
        self.inside: dict[tuple[int, int], range] = {}


def _entity_index(doc: Doc) -> _EntityIndex:
    """The Doc's entities, indexed once: they are final by this stage, and the patterns ask for
    the entities of a token range hundreds of times per article. extract_relations() drops the
    index when it starts."""
    index = doc.user_data.get("_relation_entities")
    if index is None:
        index = doc.user_data["_relation_entities"] = _EntityIndex(entity_spans(doc))
    return index


def _ents_in(doc: Doc, start: int, end: int, labels: Collection[str] | None = None) -> list[Span]:
    """The entities inside tokens ``start:end`` (with one of ``labels``), in text order."""
    index = _entity_index(doc)
    inside = index.inside.get((start, end))
    if inside is None:
        # Entities do not overlap, so those starting at or after ``start`` and those ending at or
        # before ``end`` are each a run of the list: the answer is where the two runs meet.
        inside = index.inside[(start, end)] = range(bisect.bisect_left(index.starts, start),
                                                    bisect.bisect_right(index.ends, end))
    ents, ent_labels = index.ents, index.labels
    if labels is None:
        return [ents[i] for i in inside]
    return [ents[i] for i in inside if ent_labels[i] in labels]


def _subject(doc: Doc, sent: Span, labels=frozenset({"OG"})) -> Span | None:
    """The organisation this sentence is about: topic/subject-marked, or ``X의 경우``."""
    tok = token_columns(doc)
    for ent in _ents_in(doc, sent.start, sent.end, labels):
        josa = _josa_after(ent)
        if josa in SUBJECT_JOSA or josa.endswith(("은", "는")):
            return ent
        nxt = tok.next_word(ent.end)
        if josa == "의" and nxt is not None:
            after = tok.next_word(nxt + 1)
            if after is not None and tok.words[after] == "경우":
                return ent
        if josa == "" and nxt is not None and tok.words[nxt] == "측":
            return ent
    return None


def extract_relations(doc: Doc) -> list[Relation]:
    doc.user_data.pop("_relation_entities", None)
    builder = RelationBuilder(doc)
    trig = triggers()
    carried: Span | None = None
    figure_subject: Span | None = None
    regions = doc._.regions or []
    headline_starts = {r.start for r in regions if r.kind in (layout.HEADLINE, layout.SUBHEADLINE, layout.CAPTION)}
    for sentence_id, sent in enumerate(sentence_index(doc)):
        if sent.start_char in headline_starts:
            carried = figure_subject = None
        ents = _ents_in(doc, sent.start, sent.end)
        if not ents:
            continue  # no entity, no relation: every pattern needs one, and the carried subjects stay
        # Each pattern below relates entities of certain labels, and adds nothing to a sentence
        # without them (most sentences hold two or three labels): it is not run there.
        labels = {ent.label_ for ent in ents}
        own_subject = _subject(doc, sent) if "OG" in labels else None
        subject = own_subject or carried
        if "CV" in labels or ("OG" in labels and "PS" in labels):
            _appositions(doc, sent, sentence_id, builder)
        if "AF" in labels:
            _possessives(doc, sent, sentence_id, builder)
            if "OG" in labels:
                _named_products(doc, sent, sentence_id, builder)
        if "LC" in labels:
            if "OG" in labels:
                _place_of_headquarters(doc, sent, sentence_id, builder)
            _located_in(doc, sent, sentence_id, builder, trig)
        if "OG" in labels:
            _parenthesised_affiliations(doc, sent, sentence_id, builder)
        if "AF" in labels:
            _maker_verbs(doc, sent, sentence_id, builder, trig)
        if "OG" in labels:
            _partners(doc, sent, sentence_id, builder, subject, trig)
            _clients(doc, sent, sentence_id, builder, trig)
        if "EV" in labels:
            _hosting(doc, sent, sentence_id, builder, subject, trig)
        figure_subject = _figures(doc, sent, sentence_id, builder, trig, figure_subject)
        if own_subject is not None:
            carried = own_subject
    _short_references(doc, builder)
    _branches(doc, builder, trig)
    return list(builder.rows.values())


# --------------------------------------------------------------------------- pattern families

def _appositions(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    tok = token_columns(doc)
    ents = _ents_in(doc, sent.start, sent.end)
    for i, ent in enumerate(ents):
        if ent.label_ != "CV":
            continue
        # 삼성전자 부회장인 이재용: [organisation] title + 인, then the name
        if i < len(ents) - 1 and ents[i + 1].label_ == "PS" and ent.end < len(tok.words) \
                and tok.tags[ent.end] == "VCP+ETM" and ents[i + 1].start - ent.end <= 2:
            b.add(sid, sent, ents[i + 1], "per:title", ent, "CV인 PS")
            if i > 0 and ents[i - 1].label_ == "OG" and _only_space_between(doc, ents[i - 1], ent):
                b.add(sid, sent, ents[i + 1], "per:employee_of", ents[i - 1], "OG CV인 PS")
            continue
        # 애플 CEO 스티브 잡스: organisation (or place), title, then the name
        if 0 < i < len(ents) - 1 and ents[i + 1].label_ == "PS" and _only_space_between(doc, ent, ents[i + 1]) \
                and ents[i - 1].label_ in {"OG", "LC"} and _only_space_between(doc, ents[i - 1], ent):
            b.add(sid, sent, ents[i + 1], "per:title", ent, "OG CV PS")
            if ents[i - 1].label_ == "OG":
                b.add(sid, sent, ents[i + 1], "per:employee_of", ents[i - 1], "OG CV PS")
            continue
        # 한국표준과학연구원(원장 박상열): the organisation, then its head's title and name in parentheses
        if 0 < i < len(ents) - 1 and ents[i + 1].label_ == "PS" and ent.start > 0 and tok.words[ent.start - 1] == "(" \
                and ents[i - 1].end == ent.start - 1 and _only_space_between(doc, ent, ents[i + 1]):
            person = ents[i + 1]
            b.add(sid, sent, person, "per:title", ent, "OG(CV PS)")
            if ents[i - 1].label_ == "OG":
                b.add(sid, sent, person, "per:employee_of", ents[i - 1], "OG(CV PS)")
            continue
        prev = ents[i - 1] if i > 0 else None
        if prev is not None and prev.label_ == "OG" and _only_space_between(doc, prev, ent):
            person = ents[i - 2] if i > 1 else None
            if person is not None and person.label_ == "PS" and _only_space_between(doc, person, prev):
                b.add(sid, sent, person, "per:title", ent, "PS OG CV")
                b.add(sid, sent, person, "per:employee_of", prev, "PS OG CV")
            continue
        if prev is not None and prev.label_ == "PS" and _only_space_between(doc, prev, ent):
            b.add(sid, sent, prev, "per:title", ent, "PS CV")
            before = ents[i - 2] if i > 1 else None
            if before is not None and before.label_ == "OG":
                josa = _josa_after(before)
                if josa == "의" or _only_space_between(doc, before, prev):
                    b.add(sid, sent, prev, "per:employee_of", before, "OG의 PS CV")
    # X 측(에선) PS CV, PS CV ...: the people named for an organisation's side.
    for ent in ents:
        nxt = tok.next_word(ent.end)
        if ent.label_ == "OG" and nxt is not None and tok.words[nxt] == "측":
            for j, person in enumerate(ents):
                if person.label_ == "PS" and person.start > ent.end and j + 1 < len(ents) \
                        and ents[j + 1].label_ == "CV" and _only_space_between(doc, person, ents[j + 1]):
                    b.add(sid, sent, person, "per:employee_of", ent, "OG 측 PS CV")
    # OG의 PS (without a title): 오픈AI의 제이슨 권
    for ent, nxt in pairwise(ents):
        if ent.label_ == "OG" and nxt.label_ == "PS" and _josa_after(ent) == "의" and \
                set(_words_between(tok, ent, nxt)) <= {"의"}:
            b.add(sid, sent, nxt, "per:employee_of", ent, "OG의 PS")


def _possessives(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    tok = token_columns(doc)
    ents = _ents_in(doc, sent.start, sent.end)
    for ent, nxt in pairwise(ents):
        between = _words_between(tok, ent, nxt)
        if ent.label_ == "OG" and nxt.label_ == "AF" and nxt.start - ent.end <= 3 \
                and "의" in between and set(between) <= {"의", ")", "("}:
            b.add(sid, sent, ent, "org:product", nxt, "OG의 AF")
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


def _named_products(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    """``카카오는 카카오톡 ...``: a product named after its maker, both in one sentence."""
    ents = _ents_in(doc, sent.start, sent.end)
    for org in (e for e in ents if e.label_ == "OG"):
        for product in (e for e in ents if e.label_ == "AF"):
            org_norm, product_norm = b.norm(org), b.norm(product)
            if len(org_norm) >= 2 and product_norm.startswith(org_norm) and product_norm != org_norm:
                b.add(sid, sent, org, "org:product", product, "maker's name in the product name")


def _place_of_headquarters(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    tok = token_columns(doc)
    ents = _ents_in(doc, sent.start, sent.end)
    for ent, nxt in pairwise(ents):
        if ent.label_ != "LC" or nxt.label_ != "OG":
            continue
        if _only_space_between(doc, ent, nxt) and ent.end > 0 and tok.space_after[ent.end - 1]:
            # 미국 오픈AI; but not inside a list or a verb phrase
            b.add(sid, sent, nxt, "org:place_of_headquarters", ent, "LC OG")
        elif _words_between(tok, ent, nxt) == ["주재"]:
            b.add(sid, sent, nxt, "org:place_of_headquarters", ent, "LC 주재 OG")


def _located_in(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
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
    ents = _ents_in(doc, sent.start, sent.end)
    for i, place in enumerate(ents):
        if place.label_ != "LC":
            continue
        josa = _josa_after(place)
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
        if _josa_after(place) == "에" and verb is not None:
            verb = tok.next_word(verb + 1)
            if verb is not None and (lemmas[verb] in located or lemmas[verb] == "있"):
                b.add(sid, sent, org, "org:place_of_headquarters", place, "OG 본사는 LC에")


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
    ent = _entity_starting_at(doc, i)
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
    clause_start, _ = _clause_of(doc, sent, place.start)
    subject = _subject(doc, doc[clause_start:place.start]) if clause_start < place.start else None
    if subject is None:
        return None
    between = _ents_in(doc, subject.end, place.start)
    if any(e.label_ in {"OG", "PS", "LC"} for e in between):
        return None
    return subject


def _parenthesised_affiliations(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    """``장병완 의원(민생당, ...)``, ``서판길 위원장(한국뇌연구원 원장)``, ``홍길동(삼성전자 사장)``: per:employee_of."""
    tok = token_columns(doc)
    if "(" not in tok.words[sent.start + 1:sent.end]:
        return  # no parenthesis, no affiliation in one
    ents = _ents_in(doc, sent.start, sent.end)
    by_end = {e.end: e for e in ents}
    by_start = {e.start: e for e in ents}
    for paren in range(sent.start + 1, sent.end):
        if tok.words[paren] != "(":
            continue
        before = by_end.get(paren)
        if before is None:
            continue
        person = None
        if before.label_ == "PS":
            person = before
        elif before.label_ == "CV":
            k = before.start - 1
            # 서판길 공동위원장: at most one plain noun between the name and the title
            while k > sent.start and (tok.is_space[k] or (tok.base_tags[k] == "NNG" and doc[k].ent_type_ == ""
                                                          and before.start - k <= 2)):
                k -= 1
            candidate = by_end.get(k + 1)
            if candidate is not None and candidate.label_ == "PS" and _only_space_between_loose(doc, candidate, before):
                person = candidate
        if person is None:
            continue
        org = by_start.get(paren + 1)
        if org is None or org.label_ != "OG":
            continue
        after = tok.next_word(org.end)
        inner_title = by_start.get(after) if after is not None else None
        if after is not None and tok.words[after] in {")", ","}:
            b.add(sid, sent, person, "per:employee_of", org, "PS CV(OG)")
        elif after is not None and inner_title is None and _is_title_word(tok.words[after]):
            closing = tok.next_word(after + 1)
            if closing is not None and tok.words[closing] in {")", ","}:
                b.add(sid, sent, person, "per:employee_of", org, "PS CV(OG title)")
        elif inner_title is not None and inner_title.label_ == "CV":
            closing = tok.next_word(inner_title.end)
            if closing is not None and tok.words[closing] in {")", ","}:
                b.add(sid, sent, person, "per:employee_of", org, "PS CV(OG CV)")
                b.add(sid, sent, person, "per:title", inner_title, "PS CV(OG CV)")


def _is_title_word(text: str) -> bool:
    titles = lexicons().titles
    return text in titles or any(text.endswith(t) for t in titles if len(t) >= 2)


def _only_space_between_loose(doc: Doc, a: Span, b: Span) -> bool:
    return a.end <= b.start and all(t.is_space or (base_tag(t) == "NNG" and t.ent_type_ == "") for t in doc[a.end:b.start]) \
        and b.start - a.end <= 2 and doc[a.end - 1].whitespace_ != ""


def _maker_verbs(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """org:product from maker verbs: ``OG가 개발한 AF``, ``OG는 AF를 출시했다`` (same clause, no other maker)."""
    tok = token_columns(doc)
    lemmas = tok.lemma_heads
    verbs = trig.verbs.get("product_verb", frozenset())
    if verbs.isdisjoint(lemmas[sent.start:sent.end]):
        return
    ents = _ents_in(doc, sent.start, sent.end)
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
                if maker is not None and maker.label_ == "OG" and _josa_after(maker) in {"가", "이", "의"}:
                    b.add(sid, sent, maker, "org:product", product, "OG가 개발한 AF")
                    continue
        # OG는 ... AF를 출시했다
        if _josa_after(product) not in {"을", "를"}:
            continue
        clause_start, clause_end = _clause_of(doc, sent, product.end)
        verb = next((i for i in range(product.end, clause_end) if lemmas[i] in verbs), None)
        if verb is None or any(e.start < verb for e in ents if e.start >= product.end and e.label_ in {"AF", "OG"}):
            continue
        maker = _subject(doc, doc[clause_start:product.start]) if clause_start < product.start else None
        if maker is None and clause_start == sent.start:
            maker = _subject(doc, doc[sent.start:product.start]) if sent.start < product.start else None
        if maker is not None and not any(e.label_ == "OG" for e in ents if maker.end <= e.start < product.start):
            b.add(sid, sent, maker, "org:product", product, "OG는 AF를 출시")


_QUOTE_CHARS = set("'‘’\"“”「」『』<>《》〈〉")


def by_end_before(doc: Doc, ents: list[Span], index: int) -> Span | None:
    """The entity right before token ``index`` (its particle between): ``오픈AI가 개발한`` -> 오픈AI."""
    tok = token_columns(doc)
    k = index - 1
    while k >= 0 and (tok.is_space[k] or tok.base_tags[k].startswith("J")):
        k -= 1
    return next((e for e in ents if e.end == k + 1), None)


def _partners(doc: Doc, sent: Span, sid: int, b: RelationBuilder, subject: Span | None, trig: Triggers) -> None:
    tok = token_columns(doc)
    words = trig.by_relation.get("org:partner_of", frozenset())
    heads, forms = tok.lemma_heads[sent.start:sent.end], tok.words[sent.start:sent.end]
    if words.isdisjoint(heads) and words.isdisjoint(forms):
        return  # no trigger in the sentence (most sentences): a set test instead of a look at each token
    triggers_at = [i for i, head, form in zip(range(sent.start, sent.end), heads, forms)
                   if head in words or form in words]
    ents = _ents_in(doc, sent.start, sent.end, {"OG"})
    for ent in ents:
        josa = _josa_after(ent)
        partner_noun = None
        if josa == "의":
            following = [i for i in range(ent.end + 1, min(sent.end, ent.end + 5)) if not tok.is_space[i]]
            partner_noun = next((i for i in following if tok.lemma_heads[i] in PARTNER_NOUNS), None)
        if josa in WITH_JOSA or partner_noun is not None:
            # the trigger must come after the partner, in the same clause
            clause = _clause_of(doc, sent, ent.end)
            if not any(clause[0] <= i < clause[1] + 3 and i >= ent.end for i in triggers_at):
                continue
            own = _subject(doc, doc[clause[0]:ent.start]) if clause[0] < ent.start else None
            first = own or subject
            if partner_noun is not None:
                first = _subject(doc, doc[sent.start:ent.start]) if sent.start < ent.start else None
            if first is not None and first.start != ent.start:
                b.add(sid, sent, first, "org:partner_of", ent, "X ... Y와 제휴")


def _clients(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """``A·B 등도 Y의 Z를 활용``: A and B use Y's product."""
    tok = token_columns(doc)
    words = trig.by_relation.get("org:client_of", frozenset())
    if words.isdisjoint(tok.lemma_heads[sent.start:sent.end]):
        return  # the verb (활용 ...) must be in the sentence
    ents = _ents_in(doc, sent.start, sent.end, {"OG"})
    for provider in ents:
        if _josa_after(provider) != "의":
            continue
        clause = _clause_of(doc, sent, provider.end)
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
        last_josa = _josa_after(users[-1])
        after_last = [tok.words[i] for i in range(users[-1].end, provider.start) if not tok.is_space[i]]
        if last_josa in SUBJECT_JOSA or (after_last[:1] == ["등"] and any(j in after_last for j in ("도", "은", "는", "이", "가"))):
            for user in users:
                b.add(sid, sent, user, "org:client_of", provider, "X도 Y의 Z를 활용")


def _hosting(doc: Doc, sent: Span, sid: int, b: RelationBuilder, subject: Span | None, trig: Triggers) -> None:
    tok = token_columns(doc)
    words = trig.by_relation.get("org:hosts", frozenset())
    for ev in _ents_in(doc, sent.start, sent.end, {"EV"}):
        clause_start, clause_end = _clause_of(doc, sent, ev.end)
        verb = next((i for i in range(ev.end, clause_end)
                     if tok.lemma_heads[i] in words and tok.base_tags[i] in {"NNG", "VV"}), None)
        if verb is None:
            organiser = _organiser_in_apposition(doc, sent, ev)
            if organiser is not None:
                b.add(sid, sent, organiser, "org:hosts", ev, "OG의 ... 워크숍인 EV")
            continue
        host = _subject(doc, doc[sent.start:ev.start]) if sent.start < ev.start else None
        host = host or subject
        if host is not None:
            b.add(sid, sent, host, "org:hosts", ev, "X ... EV 개최")
        dates = [d for d in _ents_in(doc, clause_start, ev.start, {"DT"})]
        if not dates:
            # a date named at the head of the sentence (topic-marked: 11월엔 ...) scopes over it
            dates = [d for d in _ents_in(doc, sent.start, ev.start, {"DT"})
                     if _josa_after(d) in {"엔", "에는", "에"} and not any(e.label_ == "EV" for e in
                                                                        _ents_in(doc, d.end, ev.start))]
        if dates:
            b.add(sid, sent, ev, "ev:date", dates[-1], "EV date in clause")
        for place in _ents_in(doc, ev.end, clause_end, {"LC"}) + _ents_in(doc, clause_start, ev.start, {"LC"}):
            if _josa_after(place) == "에서":
                b.add(sid, sent, ev, "ev:place", place, "EV LC에서 개최")


def _organiser_in_apposition(doc: Doc, sent: Span, ev: Span) -> Span | None:
    """``오픈AI의 영상 도구 활용 워크숍인 '크리에이티브 랩 서울'``: the owner of the event noun."""
    tok = token_columns(doc)
    i = ev.start - 1
    while i > sent.start and (tok.is_space[i] or tok.words[i] in "'‘\"“"):
        i -= 1
    if not tok.tags[i].startswith("VCP"):
        return None
    for ent in reversed(_ents_in(doc, max(sent.start, i - 10), i, {"OG"})):
        if _josa_after(ent) == "의":
            return ent
    return None


def _figure_phrase_end(doc: Doc, start: int, limit: int, ents: list[Span], trig: Triggers) -> tuple[int, bool]:
    """Walk a noun phrase from ``start`` (parenthesised glosses skipped): (index after it, has a figure noun)."""
    tok = token_columns(doc)
    j, saw_figure, depth = start, False, 0
    while j < limit and j - start < 10:
        word = tok.words[j]
        if word == "(":
            depth += 1
        elif word == ")":
            depth -= 1
        elif depth == 0 and not tok.is_space[j]:
            tag = tok.base_tags[j]
            if tag.startswith("N") and tag != "NNB" or tag in {"XSN", "SL"}:
                if any(e.start <= j < e.end for e in ents):
                    break
                saw_figure = saw_figure or tok.lemma_heads[j] in trig.figure_nouns
            else:
                break
        j += 1
    return j, saw_figure


def _gap_ok(doc: Doc, start: int, end: int) -> bool:
    """Between a figure phrase and its quantity: at most a date with its particle and adverbs."""
    gap = [t for t in doc[start:end] if not t.is_space]
    content = [t for t in gap if t.ent_type_ != "DT" and not base_tag(t).startswith("J")]
    return len(content) <= 1 and all(base_tag(t) in {"MAG", "NNG"} for t in content) and len(gap) <= 8


def _measured_by(doc: Doc, qt: Span) -> bool:
    """A quantity right after a common noun measures that noun (스마트폰 사용자 5120만명)."""
    tok = token_columns(doc)
    i = qt.start - 1
    while i >= 0 and tok.is_space[i]:
        i -= 1
    return i >= 0 and tok.base_tags[i] in {"NNG", "NNP"} and doc[i].ent_type_ == ""


def _figures(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers,
             previous: Span | None) -> Span | None:
    """qt:of. Returns the subject the sentence's figures were about, for the next sentence."""
    tok = token_columns(doc)
    ents = _ents_in(doc, sent.start, sent.end)
    about = None
    for i, subj in enumerate(ents):
        if subj.label_ not in {"AF", "OG", "LC", "PS"}:
            continue
        j, saw_figure = _figure_phrase_end(doc, subj.end, sent.end, ents, trig)
        if not saw_figure or j >= sent.end:
            continue
        following = [e for e in ents[i + 1:] if e.start >= j]
        if tok.words[j] in {"은", "는", "이", "가", "도"}:
            for ent in following[:3]:
                if ent.label_ == "QT":
                    if _gap_ok(doc, j + 1, ent.start):
                        b.add(sid, sent, subj, "qt:of", ent, "X 수는 QT")
                        about = subj
                    break
                if ent.label_ != "DT":
                    break
        elif following and following[0].label_ == "QT" and following[0].start == j \
                and _josa_after(following[0]) not in SUBJECT_JOSA and _figure_verb_follows(doc, following[0], sent):
            # 사용자 2000만명 돌파; but not 사용자 10명 중 7명은 ...: a share of the group is the topic
            b.add(sid, sent, subj, "qt:of", following[0], "X 사용자 QT 돌파")
            about = subj
    if about is None and previous is not None and not _ents_in(doc, sent.start, sent.end, {"AF", "OG", "LC", "PS"}):
        # The figures go on about the same subject: 유료 구독자 수도 3배 이상 늘었다; 407만명과 비교하면 약 5배.
        first = tok.next_word(sent.start)
        opens_with_figure = first is not None and _figure_phrase_end(doc, first, sent.end, ents, trig)[1]
        for ent in _ents_in(doc, sent.start, sent.end, {"QT"}):
            if not _measured_by(doc, ent) and (opens_with_figure or ent.start > sent.start):
                b.add(sid, sent, previous, "qt:of", ent, "figures carried over")
        about = previous
    # Ordinals: 오픈AI는 아시아에서 세 번째 ...로; 세 번째 지사인 오픈AI 코리아
    subject = _subject(doc, sent, frozenset({"OG", "AF", "LC", "PS"}))
    for qt in _ents_in(doc, sent.start, sent.end, {"QT"}):
        info = b.table.get((qt.start_char, qt.end_char))
        if info is None or info.unit != "번째":
            continue
        apposed = _apposition_after(doc, qt, sent)
        target = apposed or (subject if subject is not None and subject.start < qt.start else None)
        if target is not None:
            b.add(sid, sent, target, "qt:of", qt, "ordinal of the subject")
    return about


def _figure_verb_follows(doc: Doc, qt: Span, sent: Span) -> bool:
    """The quantity is what the subject reached: a figure verb within two words after it (돌파, 넘, 기록)."""
    tok = token_columns(doc)
    verbs = triggers().figure_verbs
    following = [i for i in range(qt.end, min(sent.end, qt.end + 5))
                 if not tok.is_space[i] and not tok.base_tags[i].startswith("J")]
    return any(tok.lemma_heads[i] in verbs for i in following[:2])


def _apposition_after(doc: Doc, qt: Span, sent: Span) -> Span | None:
    """``열두 번째 지사인 오픈AI 코리아``: NOUN + 이/VCP + ᆫ, then a name."""
    tok = token_columns(doc)
    i = qt.end
    while i < sent.end and (tok.is_space[i] or tok.base_tags[i] in {"NNG"}):
        i += 1
    if i < sent.end and tok.tags[i].startswith("VCP"):
        nxt = tok.next_word(i + 1)
        if nxt is not None:
            ent = _entity_starting_at(doc, nxt)
            if ent is not None and ent.label_ in {"OG", "AF", "LC", "PS"}:
                return ent
    return None


def _entity_starting_at(doc: Doc, i: int) -> Span | None:
    index = _entity_index(doc)
    at = bisect.bisect_left(index.starts, i)
    return index.ents[at] if at < len(index.starts) and index.starts[at] == i else None


def _short_references(doc: Doc, b: RelationBuilder) -> None:
    """``권 CSO``: the title belongs to the full name ending (or starting) with that surname."""
    ents = _entity_index(doc).ents
    people = [e for e in ents if e.label_ == "PS"]
    sentences = sentence_index(doc)
    for ref in doc._.short_refs or []:
        title = next((e for e in ents if e.start_char == ref.title_start and e.label_ == "CV"), None)
        if title is None:
            continue
        candidates = {b.norm(p) for p in people
                      if b.norm(p).split()[-1] == ref.surname or (" " not in b.norm(p) and b.norm(p)[0] == ref.surname)}
        if len(candidates) != 1:
            continue  # ambiguous or unknown: no guess
        full = next(p for p in people if b.norm(p) in candidates)
        sid, sent = next((n, s) for n, s in enumerate(sentences) if s.start <= title.start < s.end)
        b.add(sid, sent, full, "per:title", title, "surname CV")


def _branches(doc: Doc, b: RelationBuilder, trig: Triggers) -> None:
    """``오픈AI 코리아`` is a branch of ``오픈AI`` when the parent is named in the article."""
    orgs = [e for e in _entity_index(doc).ents if e.label_ == "OG"]
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


# Factories leave ``nlp`` unannotated: spaCy 3.7 checks factory signatures with pydantic, which
# cannot resolve the string annotations that ``from __future__ import annotations`` makes.
@Language.factory("relations")
def make_relations(nlp, name: str):
    def annotate(doc: Doc) -> Doc:
        doc._.relations = extract_relations(doc)
        return doc

    return annotate


__all__ = ["extract_relations", "is_function_token"]
