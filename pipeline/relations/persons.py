"""People: appositions (``이재용 삼성전자 회장`` -> per:title, per:employee_of; ``오픈AI의 제이슨 권``),
parenthesised affiliations (``홍길동(삼성전자 회장)``), agencies and teams named as such (``강예빈 씨 소속사
투이컴퍼니``), and short references (``권 CSO`` -> the full name's per:title).
"""
from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Doc, Span

from ..records import sentence_index, token_columns
from .base import (
    RelationBuilder,
    entity_index,
    ents_in,
    is_title_word,
    josa_after,
    only_space_between,
    only_space_between_loose,
    words_between,
)


FORMER_CURRENT = frozenset({"전", "현", "前", "現"})


def next_to(doc: Doc, a: Span, b: Span) -> bool:
    """``a`` and ``b`` in apposition: only space between them, or one 전/현 (``정운찬 전 국무총리``:
    a former title is still the person's title, guide 4.14)."""
    if only_space_between(doc, a, b):
        return True
    tok = token_columns(doc)
    between = [k for k in range(a.end, b.start) if not tok.is_space[k]]
    return len(between) == 1 and tok.words[between[0]] in FORMER_CURRENT and tok.space_after[a.end - 1] \
        and tok.space_after[between[0]]


ACTING = frozenset({"권한대행", "권한", "대행", "직무대행", "직무"})


def acting(doc: Doc, title: Span) -> bool:
    """``대통령 권한대행``: the person acts for the office, which is not their title."""
    tok = token_columns(doc)
    nxt = tok.next_word(title.end)
    return nxt is not None and tok.words[nxt] in ACTING


def byline_outlet(doc: Doc, sent: Span, person: Span, ents: list[Span]) -> Span | None:
    """``(서울=연합뉴스) 홍길동 기자 =``: the outlet named in the dateline parenthesis right before the reporter."""
    tok = token_columns(doc)
    k = person.start - 1
    while k >= sent.start and tok.is_space[k]:
        k -= 1
    if k < sent.start or tok.words[k] not in {")", "]"}:
        return None
    outlet = next((e for e in ents if e.end == k and e.label_ == "OG"), None)
    if outlet is None:
        return None
    j = outlet.start - 1
    while j >= sent.start and tok.is_space[j]:
        j -= 1
    return outlet if j >= sent.start and tok.words[j] in {"=", "(", "[", "·"} else None


def _aliased(doc: Doc, ents: list[Span], k: int) -> tuple[int, Span] | None:
    """``OG(ALIAS) CV``: when ``ents[k]`` is an alias in parentheses right after another organisation and
    the title follows the closing parenthesis, (index, span) of the full name; else None."""
    tok = token_columns(doc)
    alias = ents[k]
    if k < 1 or ents[k - 1].label_ != "OG" or ents[k - 1].end != alias.start - 1 or tok.words[alias.start - 1] != "(":
        return None
    if alias.end >= len(tok.words) or tok.words[alias.end] != ")" or k + 1 >= len(ents):
        return None
    nxt = tok.next_word(alias.end + 1)
    if nxt is None or nxt != ents[k + 1].start or not tok.space_after[alias.end]:
        return None
    return k - 1, ents[k - 1]


def appositions(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    tok = token_columns(doc)
    ents = ents_in(doc, sent.start, sent.end)
    for i, ent in enumerate(ents):
        if ent.label_ != "CV" or acting(doc, ent):
            continue
        second = _second_office(doc, ents, i)
        if second is not None:  # 황교안 대통령 권한대행 겸 국무총리; 최경환 부총리 겸 기획재정부 장관
            b.add(sid, sent, second[0], "per:title", ent, "PS CV 겸 CV")
            if second[1] is not None:
                b.add(sid, sent, second[0], "per:employee_of", second[1], "PS CV 겸 OG CV")
            continue
        # 삼성전자 부회장인 이재용: [organisation] title + 인, then the name
        if i < len(ents) - 1 and ents[i + 1].label_ == "PS" and ent.end < len(tok.words) \
                and tok.tags[ent.end] == "VCP+ETM" and ents[i + 1].start - ent.end <= 2:
            b.add(sid, sent, ents[i + 1], "per:title", ent, "CV인 PS")
            if i > 0 and ents[i - 1].label_ == "OG" and only_space_between(doc, ents[i - 1], ent):
                b.add(sid, sent, ents[i + 1], "per:employee_of", ents[i - 1], "OG CV인 PS")
            continue
        # 애플 CEO 스티브 잡스: organisation (or place), title, then the name
        if 0 < i < len(ents) - 1 and ents[i + 1].label_ == "PS" and only_space_between(doc, ent, ents[i + 1]) \
                and ents[i - 1].label_ in {"OG", "LC"} and only_space_between(doc, ents[i - 1], ent):
            b.add(sid, sent, ents[i + 1], "per:title", ent, "OG CV PS")
            if ents[i - 1].label_ == "OG":
                b.add(sid, sent, ents[i + 1], "per:employee_of", ents[i - 1], "OG CV PS")
            continue
        # 한국표준과학연구원(원장 박상열): the organisation, then its head's title and name in parentheses
        if 0 < i < len(ents) - 1 and ents[i + 1].label_ == "PS" and ent.start > 0 and tok.words[ent.start - 1] == "(" \
                and ents[i - 1].end == ent.start - 1 and only_space_between(doc, ent, ents[i + 1]):
            person = ents[i + 1]
            b.add(sid, sent, person, "per:title", ent, "OG(CV PS)")
            if ents[i - 1].label_ == "OG":
                b.add(sid, sent, person, "per:employee_of", ents[i - 1], "OG(CV PS)")
            continue
        prev = ents[i - 1] if i > 0 else None
        # 세계보건기구(WHO) 사무총장: the name with its alias in parentheses stands as one
        aliased = _aliased(doc, ents, i - 1) if prev is not None and prev.label_ == "OG" else None
        if aliased is not None:
            j, name = aliased
            person = ents[j - 1] if j > 0 else None
            if person is not None and person.label_ == "PS" and next_to(doc, person, name):
                b.add(sid, sent, person, "per:title", ent, "PS OG(ALIAS) CV")
                b.add(sid, sent, person, "per:employee_of", name, "PS OG(ALIAS) CV")
            continue
        if prev is not None and prev.label_ in {"OG", "LC"} and only_space_between(doc, prev, ent):
            person = ents[i - 2] if i > 1 else None
            if person is not None and person.label_ == "LC" and prev.label_ == "OG" and i > 2 \
                    and only_space_between(doc, person, prev):
                person = ents[i - 3]  # 김관진 대한민국 국방부 장관: the place names the organisation's country
                if person.label_ == "PS" and next_to(doc, person, ents[i - 2]):
                    b.add(sid, sent, person, "per:title", ent, "PS LC OG CV")
                    b.add(sid, sent, person, "per:employee_of", prev, "PS LC OG CV")
                continue
            if person is not None and person.label_ == "PS" and next_to(doc, person, prev):
                # 이재용 삼성전자 회장; 이명박 대한민국 대통령 (a place gives the title only)
                b.add(sid, sent, person, "per:title", ent, f"PS {prev.label_} CV")
                if prev.label_ == "OG":
                    b.add(sid, sent, person, "per:employee_of", prev, "PS OG CV")
            continue
        if prev is not None and prev.label_ == "QT" and i > 1 and ents[i - 2].label_ == "PS" \
                and _age_between(doc, ents[i - 2], prev, ent):
            b.add(sid, sent, ents[i - 2], "per:title", ent, "PS(age) CV")  # 정홍원(69) 국무총리
            continue
        if prev is not None and prev.label_ == "PS" and next_to(doc, prev, ent):
            b.add(sid, sent, prev, "per:title", ent, "PS CV")
            # 김해영·박주민·강창일 의원, 이명박·박근혜 전 대통령: the title (and party) of a list of names
            people, first_token, before = _name_list(doc, sent, ents, i - 1)
            for person in people[1:]:
                b.add(sid, sent, person, "per:title", ent, "PS·PS CV")
            party = _list_party(doc, before, first_token, ent)
            if party is not None:
                for person in people:
                    b.add(sid, sent, person, "per:employee_of", party, "OG의 PS CV")
            elif ent.text in b.lex.byline_titles:
                outlet = byline_outlet(doc, sent, prev, ents)
                if outlet is not None:
                    b.add(sid, sent, prev, "per:employee_of", outlet, "(LC=OG) PS 기자")
            continue
        # 리더 아이린, 유럽 챔피언 판 후이, 대변인 스가 요시히데: a title right before a name, when the
        # title is not already the previous name's (홍길동 회장 김철수 ...)
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if nxt is not None and nxt.label_ == "PS" and only_space_between(doc, ent, nxt) \
                and not (prev is not None and prev.label_ == "PS" and only_space_between(doc, prev, ent)):
            b.add(sid, sent, nxt, "per:title", ent, "CV PS")
    # X 측(에선) PS CV, PS CV ...: the people named for an organisation's side.
    for ent in ents:
        nxt = tok.next_word(ent.end)
        if ent.label_ == "OG" and nxt is not None and tok.words[nxt] == "측":
            for j, person in enumerate(ents):
                if person.label_ == "PS" and person.start > ent.end and j + 1 < len(ents) \
                        and ents[j + 1].label_ == "CV" and only_space_between(doc, person, ents[j + 1]):
                    b.add(sid, sent, person, "per:employee_of", ent, "OG 측 PS CV")
    # OG의 PS (without a title): 오픈AI의 제이슨 권; OG PS: 아스널 조 윌록에게, 삼성 이재용은
    for n, (ent, nxt) in enumerate(pairwise(ents)):
        if ent.label_ != "OG" or nxt.label_ != "PS":
            continue
        if josa_after(ent) == "의" and set(words_between(tok, ent, nxt)) <= {"의"}:
            b.add(sid, sent, nxt, "per:employee_of", ent, "OG의 PS")
        elif words_between(tok, ent, nxt) in (["소속"], ["소속", "의"], ["소속", "인"]):
            b.add(sid, sent, nxt, "per:employee_of", ent, "OG 소속 PS")  # 새누리당 소속 심재철 위원장
        elif only_space_between(doc, ent, nxt) and tok.space_after[ent.end - 1] and _stands_alone(doc, ents, n + 1):
            b.add(sid, sent, nxt, "per:employee_of", ent, "OG PS")



LIST_MARKS = frozenset({"·", "ㆍ", "‧", "・"})


def _name_list(doc: Doc, sent: Span, ents: list[Span], k: int) -> tuple[list[Span], int, Span | None]:
    """``김정재ㆍ윤종필ㆍ...ㆍ홍철호 의원``: the people of the ``·`` list ending with ``ents[k]``, the list's
    first token and the entity before it. An item that is no person (a name the entity stage missed or read
    as a place: ``경대수``) is stepped over when it is one Hangul word of 2-4 syllables, but gets no fact."""
    tok = token_columns(doc)
    by_end = {e.end: e for e in ents}
    people, start = [ents[k]], ents[k].start
    while True:
        mark = _prev_word(tok, start - 1, sent.start)
        if mark is None or tok.words[mark] not in LIST_MARKS:
            break
        end = _prev_word(tok, mark - 1, sent.start)
        if end is None:
            break
        item = by_end.get(end + 1)
        if item is not None and item.label_ == "PS":
            people.append(item)
            start = item.start
            continue
        item_start = item.start if item is not None else end
        while item is None and item_start > sent.start and not tok.is_space[item_start - 1] \
                and not tok.space_after[item_start - 1] and tok.words[item_start - 1] not in LIST_MARKS \
                and end + 1 - item_start < 4:
            item_start -= 1
        text = "".join(tok.words[item_start:end + 1])
        if not (2 <= len(text) <= 4 and all("\uac00" <= ch <= "\ud7a3" for ch in text)) or \
                any(e.start < end + 1 and e.end > item_start and e.label_ not in {"PS", "LC"} for e in ents):
            break
        start = item_start
    before = next((e for e in reversed(ents) if e.end <= start), None)
    return people, start, before


def _prev_word(tok, i: int, floor: int) -> int | None:
    while i >= floor and tok.is_space[i]:
        i -= 1
    return i if i >= floor else None


def _list_party(doc: Doc, before: Span | None, first_token: int, title: Span) -> Span | None:
    """The organisation of a name (list) before its title: ``OG의 PS CV``, ``OG PS CV``, or the list as the
    complement of its own title: ``새누리당 의원은 김정재ㆍ...ㆍ홍철호 의원``."""
    if before is None:
        return None
    tok = token_columns(doc)
    gap = [tok.words[k] for k in range(before.end, first_token) if not tok.is_space[k]]
    if before.label_ == "OG" and (gap == ["의"] or (not gap and tok.space_after[before.end - 1])):
        return before
    if before.label_ == "CV" and before.text == title.text and gap in (["은"], ["는"]):
        org = next((e for e in reversed(ents_in(doc, max(0, before.start - 3), before.start)) if e.label_ == "OG"), None)
        if org is not None and only_space_between(doc, org, before) and tok.space_after[org.end - 1]:
            return org
    return None


def _second_office(doc: Doc, ents: list[Span], i: int) -> tuple[Span, Span | None] | None:
    """``PS [OG] CV [권한대행] 겸 [OG] CV``: the person who holds the office before ``겸`` holds ``ents[i]``
    too; (person, the second office's organisation or None)."""
    tok = token_columns(doc)
    j, org = i - 1, None
    if j > 0 and ents[j].label_ == "OG" and only_space_between(doc, ents[j], ents[i]):
        org, j = ents[j], j - 1
    if j < 1 or ents[j].label_ != "CV":
        return None
    after = org or ents[i]
    between = [tok.words[k] for k in range(ents[j].end, after.start) if not tok.is_space[k]]
    if not between or between[-1] != "겸" or not set(between[:-1]) <= ACTING:
        return None
    first, k = ents[j], j - 1
    if ents[k].label_ == "OG" and k > 0 and only_space_between(doc, ents[k], first):
        first, k = ents[k], k - 1
    person = ents[k]
    return (person, org) if person.label_ == "PS" and next_to(doc, person, first) else None


def _age_between(doc: Doc, person: Span, age: Span, title: Span) -> bool:
    """``PS(69) CV``: only the parenthesised number stands between the name and the title."""
    tok = token_columns(doc)
    return person.end == age.start - 1 and tok.words[person.end] == "(" and age.end < len(tok.words) \
        and tok.words[age.end] == ")" and tok.next_word(age.end + 1) == title.start and tok.space_after[age.end]


def _stands_alone(doc: Doc, ents: list[Span], k: int) -> bool:
    """The person ``ents[k]`` stands alone after the organisation: 씨/선수/감독/코치 or a list (``·``) follows,
    or a full name of two words ends the phrase; not another name (``삼성 이재용 회장`` is the PS OG CV
    pattern's)."""
    tok = token_columns(doc)
    person = ents[k]
    if k + 1 < len(ents) and ents[k + 1].start == tok.next_word(person.end):
        return False
    nxt = tok.next_word(person.end)
    if nxt is not None and tok.words[nxt] in {"씨", "선수", "감독", "코치"}:
        return True
    if nxt is not None and tok.words[nxt] == "·":
        return True  # 더불어민주당 박주민·정재호 의원: a list of the party's people
    # without a cue, only a full name of two words (조 윌록): one word after an organisation is as
    # often a mislabelled name of its own (한화 이글스, 아이돌그룹 빅뱅)
    if len(person.text.split()) < 2:
        return False
    return person.end >= len(tok.words) or tok.base_tags[person.end].startswith("J") or tok.words[person.end] in {",", ")"}


def parenthesised_affiliations(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    """``장병완 의원(민생당, ...)``, ``서판길 위원장(한국뇌연구원 원장)``, ``홍길동(삼성전자 사장)``: per:employee_of."""
    tok = token_columns(doc)
    if "(" not in tok.words[sent.start + 1:sent.end]:
        return  # no parenthesis, no affiliation in one
    ents = ents_in(doc, sent.start, sent.end)
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
            if candidate is not None and candidate.label_ == "PS" and only_space_between_loose(doc, candidate, before):
                person = candidate
        if person is None:
            continue
        org = by_start.get(paren + 1)
        if org is None or org.label_ != "OG":
            continue
        if person is before and not any("\uac00" <= ch <= "\ud7a3" for ch in org.text):
            continue  # 앤써니 캐스트로라니(Anthony Castorani): the name's own spelling, read as an organisation
        after = tok.next_word(org.end)
        inner_title = by_start.get(after) if after is not None else None
        if after is not None and tok.words[after] in {")", ","}:
            b.add(sid, sent, person, "per:employee_of", org, "PS CV(OG)")
        elif after is not None and inner_title is None and is_title_word(tok.words[after], b.lex.titles):
            closing = tok.next_word(after + 1)
            if closing is not None and tok.words[closing] in {")", ","}:
                b.add(sid, sent, person, "per:employee_of", org, "PS CV(OG title)")
        elif inner_title is not None and inner_title.label_ == "CV":
            closing = tok.next_word(inner_title.end)
            if closing is not None and tok.words[closing] in {")", ","}:
                b.add(sid, sent, person, "per:employee_of", org, "PS CV(OG CV)")
                b.add(sid, sent, person, "per:title", inner_title, "PS CV(OG CV)")



def short_references(doc: Doc, b: RelationBuilder) -> None:
    """``권 CSO``: the title belongs to the full name ending (or starting) with that surname."""
    ents = entity_index(doc).ents
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



# Between a person and the word that names the person's agency or team: the person cue and the particles
# of the person (강예빈 씨 소속사, 김상경 씨는 소속사, 아이유의 소속사).
_BEFORE_AGENCY = frozenset({"씨", "의", "은", "는", "이", "가", "측"})


def agencies(doc: Doc, sent: Span, sid: int, b: RelationBuilder, words: frozenset[str]) -> None:
    """``PS [씨][의/는] 소속사 OG``, ``PS의 소속팀 OG``: the organisation the word names right after it
    is the person's employer (relation_triggers.tsv, per:employee_of)."""
    tok = token_columns(doc)
    ents = ents_in(doc, sent.start, sent.end)
    by_start, by_end = {e.start: e for e in ents}, {e.end: e for e in ents}
    for i in range(sent.start, sent.end):
        if tok.words[i] not in words:
            continue
        after = tok.next_word(i + 1)
        org = by_start.get(after) if after is not None else None
        if org is None or org.label_ != "OG":
            continue
        k = i - 1
        while k >= sent.start and (tok.is_space[k] or tok.words[k] in _BEFORE_AGENCY):
            k -= 1
        person = by_end.get(k + 1)
        if person is not None and person.label_ == "PS":
            b.add(sid, sent, person, "per:employee_of", org, "PS 소속사 OG")
