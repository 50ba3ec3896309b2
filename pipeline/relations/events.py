"""Events: ``X ... EV 개최/열다`` -> org:hosts, with the clause's nearest date and place -> ev:date,
ev:place.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import token_columns
from .base import RelationBuilder, clause_of, entity_starting_at, ents_in, josa_after, sentence_subject
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
        event_nouns = trig.event_words.get("noun", frozenset())
        if tok.next_word(ev.end) != verb and not _heads_its_phrase(doc, sent, ev, event_nouns):
            continue  # 제21대 국회의원 선거 사전 투표가 진행중: the vote is held, not the election
        host = sentence_subject(doc, doc[sent.start:ev.start]) if sent.start < ev.start else None
        host = host or subject
        if host is not None and _event_particle(doc, sent, ev) not in {"은", "는", "이", "가", "도"}:
            # not 평창 동계올림픽은 ... 진행된다: the event is the subject, the host is not said
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
            if josa_after(place) == "에서" and not (place.end <= ev.start and any(
                    "ETM" in tok.tags[i] for i in range(place.end, ev.start))):
                # (취리히에서 열린 집행위원회에서 ... 월드컵을 개최: the place of another noun's relative clause)
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


SETTING_JOSA = frozenset({"에", "에서", "부터", "까지", "께", "경"})
BACK_OFF = frozenset({"은", "는", "이", "가", "을", "를", "의", "도", "와", "과"})


def event_settings(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """The clause that says an event took place gives its date and place (``event_verb`` in rel_verbs.tsv):
    ``2015년 11월 14일 서울 도심에서 열린 민중총궐기``, ``21대 총선이 지난 15일 치러졌다``, ``2022년 10월 29일에
    이태원 참사가 일어났을`` -> ev:date (every dated DT of the clause), ev:place (an LC marked 에서)."""
    verbs = trig.verbs.get("event_verb", frozenset())
    for ev in ents_in(doc, sent.start, sent.end, {"EV"}):
        settings = _predicate_setting(doc, sent, ev, verbs)
        if _heads_its_phrase(doc, sent, ev, trig.event_words.get("noun", frozenset())):
            settings += _relative_setting(doc, sent, ev, verbs)
        for start, end in settings:
            for date in ents_in(doc, start, end, {"DT"}):
                b.add(sid, sent, ev, "ev:date", date, "DT LC에서 열린 EV")
            for place in ents_in(doc, start, end, {"LC"}):
                if _place_josa(doc, place) == "에서":
                    b.add(sid, sent, ev, "ev:place", place, "DT LC에서 열린 EV")


PURPOSE_VERBS = frozenset({"위하", "앞두", "대비하", "겨냥하"})
AREA_NOUNS = frozenset({"일대", "도심", "인근", "일원", "시내"})


def _heads_its_phrase(doc: Doc, sent: Span, ev: Span, event_nouns: frozenset[str]) -> bool:
    """A relative clause before the event says where and when the event itself took place only when the
    event heads its noun phrase: a particle (or an event noun: ``'로드FC 017' 대회에서``) follows it, not a
    plain noun (``2014 브라질월드컵 개막전``) nor 을 위한 / 을 앞둔 (``회담을 위한 실무접촉``)."""
    tok = token_columns(doc)
    i = ev.end
    while i < sent.end and tok.words[i] in "'’\"”":
        i += 1
    if i < sent.end and tok.base_tags[i] == "NNG" and tok.words[i] in event_nouns:
        i += 1
    if i >= sent.end or tok.is_punct[i] or doc[i].ent_type_ == "DT" or tok.words[i] in {"당시", "때", "기간"}:
        return True  # 열린 민중총궐기 당일
    if tok.words[i] == "및":
        return True  # 정상회의 및 동아시아정상회의
    if not tok.base_tags[i].startswith("J"):
        return False
    nxt = tok.next_word(i + 1)
    return nxt is None or tok.lemma_heads[nxt] not in PURPOSE_VERBS


def _event_particle(doc: Doc, sent: Span, ev: Span) -> str:
    """The particle after an event (past a closing quote and an event noun: ``'쏘나타 모터쇼’를``, ``EV 행사를``)."""
    tok = token_columns(doc)
    i = ev.end
    while i < sent.end and tok.words[i] in "'’\"”":
        i += 1
    if i < sent.end and tok.base_tags[i] == "NNG" and not doc[i].ent_type_ and tok.space_after[i - 1]:
        i += 1  # 행사를
    return tok.words[i] if i < sent.end and tok.base_tags[i].startswith("J") else ""


def _place_josa(doc: Doc, place: Span) -> str:
    """The particle of a place, across one area noun (``서울 도심에서``, ``광화문 일대에서``)."""
    tok = token_columns(doc)
    josa = josa_after(place)
    nxt = tok.next_word(place.end)
    if not josa and nxt is not None and tok.words[nxt] in AREA_NOUNS and nxt + 1 < len(tok.words):
        return tok.words[nxt + 1] if tok.base_tags[nxt + 1].startswith("J") else ""
    return josa


def _event_verb_at(tok, i: int, verbs: frozenset[str]) -> bool:
    """Token ``i`` is an event verb, or an ending or the 하/되/지 glued to one (개최된, 치러진, 있었던)."""
    if tok.lemma_heads[i] in verbs:
        return True
    while i > 0 and not tok.space_after[i - 1] and tok.base_tags[i] in {"XSV", "VX", "EP", "ETM", "EC"}:
        i -= 1
        if tok.lemma_heads[i] in verbs:
            return True
    return False


def _setting_token(doc: Doc, tok, i: int, nouns_left: list[int]) -> bool:
    """A token of a date/place setting: inside a DT, LC or TI, a setting particle, or (twice) a plain noun
    such as 도심."""
    ent = doc[i].ent_type_
    if ent in {"DT", "LC", "TI"}:
        return True
    if ent or tok.is_space[i]:
        return bool(tok.is_space[i])
    if tok.base_tags[i].startswith("J"):
        return tok.words[i] in SETTING_JOSA
    if tok.base_tags[i] == "NNG" and nouns_left[0] > 0:
        nouns_left[0] -= 1
        return True
    return False


def _relative_setting(doc: Doc, sent: Span, ev: Span, verbs: frozenset[str]) -> list[tuple[int, int]]:
    """``DT LC에서 열린 EV``: the setting right before a relative event verb that modifies the event."""
    tok = token_columns(doc)
    v = ev.start - 1
    while v > sent.start and tok.words[v] in "'‘\"“":
        v -= 1
    if v <= sent.start or "ETM" not in tok.tags[v] or not _event_verb_at(tok, v, verbs):
        return []
    k = v - 1
    while k >= sent.start and (tok.base_tags[k] in {"XSV", "VX", "NNG", "VV", "EP", "EC"} and k >= v - 3
                               and not tok.space_after[k] and not doc[k].ent_type_):
        k -= 1  # the rest of the verb: 개최+된, 치르+어+지+ᆫ, 있+었+던
    nouns_left = [2]
    start = k + 1
    while k >= sent.start:
        if tok.words[k] == ")":  # 지난 8일(한국 시각) 크로아티아에서
            opening = next((j for j in range(k - 1, max(sent.start, k - 8) - 1, -1) if tok.words[j] == "("), None)
            if opening is None:
                break
            k = opening - 1
            continue
        if not _setting_token(doc, tok, k, nouns_left):
            break
        start = k
        k -= 1
    return [(start, v)] if start < v else []


def _predicate_setting(doc: Doc, sent: Span, ev: Span, verbs: frozenset[str]) -> list[tuple[int, int]]:
    """``EV이 DT LC에서 열렸다``: the event marked as subject, then only a setting up to an event verb; a
    setting right before the event (``2022년 10월 29일에 이태원 참사가``) belongs to it too."""
    tok = token_columns(doc)
    if josa_after(ev) not in {"이", "가", "은", "는"}:
        return []
    k = tok.next_word(ev.end + 1)
    nouns_left = [2]
    start = k
    while k is not None and k < sent.end and not _event_verb_at(tok, k, verbs):
        if not _setting_token(doc, tok, k, nouns_left):
            return []
        k += 1
    if k is None or k >= sent.end:
        return []
    settings = [(start, k)]
    back, no_nouns = ev.start - 1, [0]
    while back >= sent.start and _setting_token(doc, tok, back, no_nouns):
        back -= 1
    if back + 1 < ev.start:
        settings.append((back + 1, ev.start))
    return settings


def hosts_before(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """The organiser written before the event: ``OG가 주최한 'EV'``, ``OG 주최로 열린 EV``, ``OG 주최 'EV'``
    -> org:hosts; and the venue after it: ``'EV'가 열린 LC`` -> ev:place."""
    tok = token_columns(doc)
    hosting_words = trig.by_relation.get("org:hosts", frozenset())
    ents = ents_in(doc, sent.start, sent.end)
    for i, ev in enumerate(ents):
        if ev.label_ != "EV":
            continue
        k = ev.start - 1
        while k > sent.start and tok.words[k] in "'‘\"“":
            k -= 1
        host = _host_before(doc, sent, ents[:i], k, hosting_words, trig)
        if host is not None:
            b.add(sid, sent, host, "org:hosts", ev, "OG가 주최한 EV")
        venue = _venue_after(doc, sent, ev, trig.verbs.get("event_verb", frozenset()))
        if venue is not None:
            b.add(sid, sent, ev, "ev:place", venue, "EV가 열린 LC")


def _host_before(doc: Doc, sent: Span, before: list[Span], k: int, words: frozenset[str],
                 trig: Triggers) -> Span | None:
    """``OG가 주최한`` / ``OG 주최(로 열린)`` ending at token ``k``: the organisation."""
    tok = token_columns(doc)
    if k <= sent.start or not before or before[-1].label_ != "OG":
        return None
    org = before[-1]
    if "ETM" in tok.tags[k] and _event_verb_at(tok, k, trig.verbs.get("event_verb", frozenset())):
        k = tok.previous_word(k - 1)  # 주최로 열린
        while k is not None and k > sent.start and tok.base_tags[k].startswith("J") and tok.words[k] == "로":
            k = tok.previous_word(k - 1)
        if k is None or tok.words[k] != "주최":
            return None
    elif "ETM" in tok.tags[k]:  # 주최한, 개최한, 마련한
        k -= 1
        if k <= sent.start or tok.lemma_heads[k] not in words or tok.base_tags[k] != "NNG":
            return None
    elif tok.words[k] != "주최":
        return None
    m = tok.previous_word(k - 1)
    while m is not None and m > org.end - 1 and tok.base_tags[m].startswith("J") and tok.words[m] in {"이", "가", "의"}:
        m = tok.previous_word(m - 1)
    return org if m == org.end - 1 else None


def _venue_after(doc: Doc, sent: Span, ev: Span, verbs: frozenset[str]) -> Span | None:
    """``'퀴어 퍼레이드'가 열린 서울광장``: the event as subject of a relative event verb right before a place."""
    tok = token_columns(doc)
    k = ev.end
    while k < sent.end and tok.words[k] in "'’\"”":
        k += 1
    if k >= sent.end or tok.words[k] not in {"이", "가"} or tok.space_after[k - 1]:
        return None
    while k is not None and k < sent.end and (tok.words[k] in "'’\"”" or tok.base_tags[k].startswith("J")):
        k = tok.next_word(k + 1)
    if k is None or k >= sent.end or not _event_verb_at(tok, k, verbs):
        return None
    while k + 1 < sent.end and "ETM" not in tok.tags[k] and not tok.space_after[k]:
        k += 1
    if "ETM" not in tok.tags[k]:
        return None
    nxt = tok.next_word(k + 1)
    place = entity_starting_at(doc, nxt) if nxt is not None else None
    return place if place is not None and place.label_ == "LC" else None
