"""Figures: ``X [figure noun]은 QT`` -> qt:of (``챗GPT 주간 사용자 수는 7억명``), with the subject
carried over to the next sentences that measure the same thing.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..entities.words import base_tag
from ..records import token_columns
from .base import (
    OPENING_QUOTES,
    SUBJECT_JOSA,
    RelationBuilder,
    clause_break,
    entity_starting_at,
    ents_in,
    gloss_after,
    josa_after,
    josa_at,
    negated,
    part_of_total,
    relative_end,
    sentence_subject,
    setting_end,
    subject_end,
    topic_before,
)
from .triggers import Triggers, figure_object_end, is_figure_noun, triggers


def _figure_phrase_end(doc: Doc, start: int, limit: int, ents: list[Span], trig: Triggers) -> tuple[int, bool]:
    """Walk a noun phrase from ``start`` (parenthesised glosses and a date before the figure noun skipped):
    (index after it, has a figure noun and no group noun such as 확진자)."""
    tok = token_columns(doc)
    j, saw_figure, saw_group, depth = start, False, False, 0
    while j < limit and j - start < 10:
        word = tok.words[j]
        if word == "(":
            depth += 1
        elif word == ")":
            depth -= 1
        elif depth == 0 and not tok.is_space[j] and tok.words[j] not in {"현재", "기준"}:  # 작년 말 현재 인구는
            tag = tok.base_tags[j]
            if tag.startswith("N") and tag != "NNB" or tag in {"XSN", "SL"}:
                ent = next((e for e in ents if e.start <= j < e.end), None)
                if ent is not None and not (ent.label_ == "DT" and not saw_figure and ent.start == j):
                    break
                if ent is not None:  # 삼성전자의 올해 1분기 영업이익은
                    j = ent.end
                    continue
                saw_figure = saw_figure or is_figure_noun(tok, j, trig)
                saw_group = saw_group or tok.lemma_heads[j] in trig.figure_roles.get("group", ())
            else:
                break
        j += 1
    return j, saw_figure and not saw_group


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



def figures(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers,
             previous: Span | None) -> Span | None:
    """qt:of. Returns the subject the sentence's figures were about, for the next sentence."""
    tok = token_columns(doc)
    ents = ents_in(doc, sent.start, sent.end)
    about = None
    for i, subj in enumerate(ents):
        if subj.label_ not in {"AF", "OG", "LC", "PS"}:
            continue
        start, josa = subj.end, josa_after(subj)
        if josa in {"의", "은", "는"} and tok.space_after[subj.end]:  # 삼성전자의 매출은 ...; 서울은 인구가 ...
            start = subj.end + 1
        j, saw_figure = _figure_phrase_end(doc, start, sent.end, ents, trig)
        if not saw_figure or j >= sent.end or (josa in {"은", "는"} and tok.words[j] not in {"이", "가"}):
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
                and josa_after(following[0]) not in SUBJECT_JOSA and _figure_verb_follows(doc, following[0], sent) \
                and not topic_before(tok, sent.start, subj.start):
            # 사용자 2000만명 돌파; but not 사용자 10명 중 7명은 ...: a share of the group is the topic
            b.add(sid, sent, subj, "qt:of", following[0], "X 사용자 QT 돌파")
            about = subj
    named = ents_in(doc, sent.start, sent.end, {"AF", "OG", "LC", "PS"})
    first = tok.next_word(sent.start)
    opens_with_figure = first is not None and _figure_phrase_end(doc, first, sent.end, ents, trig)[1]
    if about is None and previous is not None and (not named or opens_with_figure):
        # The figures go on about the same subject: 유료 구독자 수도 3배 이상 늘었다; 407만명과 비교하면 약 5배;
        # a sentence that opens with the figure keeps it up to its first name (... 3배 이상 늘면서 아태 지역 ...)
        limit = named[0].start if named else sent.end
        for ent in ents_in(doc, sent.start, limit, {"QT"}):
            if not _measured_by(doc, ent) and (opens_with_figure or ent.start > sent.start):
                b.add(sid, sent, previous, "qt:of", ent, "figures carried over")
        about = previous
    # Ordinals: 오픈AI는 아시아에서 세 번째 ...로; 세 번째 지사인 오픈AI 코리아
    subject = sentence_subject(doc, sent, frozenset({"OG", "AF", "LC", "PS"}))
    for qt in ents_in(doc, sent.start, sent.end, {"QT"}):
        info = b.table.get((qt.start_char, qt.end_char))
        if info is None or info.unit not in {"번째", "위"}:
            continue
        apposed = _apposition_after(doc, qt, sent)
        if info.unit == "위":  # 시가총액 1위인 셀트리온, 제1야당인 자유한국당: a rank only in apposition
            if apposed is not None:
                b.add(sid, sent, apposed, "qt:of", qt, "N위인 X")
            continue
        target = apposed or (subject if subject is not None and subject.start < qt.start
                             and not topic_before(tok, subject.end + 1, qt.start, TOPIC)  # 테드는 뉴욕 포스트는
                             and not clause_break(tok, subject.end, qt.start) else None)
        if target is not None:
            b.add(sid, sent, target, "qt:of", qt, "ordinal of the subject")
    return about



def _figure_verb_follows(doc: Doc, qt: Span, sent: Span) -> bool:
    """The quantity is what the subject reached: a figure verb within two words after it (돌파, 넘, 기록)."""
    tok = token_columns(doc)
    verbs = triggers().figure_verbs
    following = [i for i in range(qt.end, min(sent.end, qt.end + 5))
                 if not tok.is_space[i] and not tok.base_tags[i].startswith("J")]
    hit = next((i for i in following[:2] if tok.lemma_heads[i] in verbs), None)
    if hit is not None:
        return not negated(tok, hit, sent.end)
    # QT의 [figure noun]을 VERB: 48.0%의 지지율(지지+율)을 얻었고 -- the noun may be split in two tokens
    k = qt.end
    if k >= sent.end or tok.words[k] != "의" or not tok.space_after[k]:
        return False
    k += 1
    nouns = 0
    while k < sent.end and tok.base_tags[k] in {"NNG", "XSN"} and nouns < 3:
        k, nouns = k + 1, nouns + 1
    if not nouns or not is_figure_noun(tok, k - 1, triggers()) and tok.words[k - 1] != "율" and \
            tok.base_tags[k - 1] != "XSN":
        return False
    while k < sent.end and tok.base_tags[k].startswith("J"):
        k += 1
    verb = tok.next_word(k)
    return verb is not None and verb < sent.end and tok.lemma_heads[verb] in verbs and not negated(tok, verb, sent.end)


def _apposition_after(doc: Doc, qt: Span, sent: Span) -> Span | None:
    """``열두 번째 지사인 오픈AI 코리아``: NOUN + 이/VCP + ᆫ, then a name."""
    tok = token_columns(doc)
    i = qt.end
    while i < sent.end and (tok.is_space[i] or tok.base_tags[i] in {"NNG"}):
        i += 1
    if i < sent.end and tok.tags[i].startswith("VCP"):
        nxt = tok.next_word(i + 1)
        if nxt is not None:
            ent = entity_starting_at(doc, nxt)
            if ent is not None and ent.label_ in {"OG", "AF", "LC", "PS"}:
                return ent
        if i + 1 < sent.end and tok.words[i + 1] == "자":  # 세 번째 지사이자 ... 열두 번째 지사인 X
            later = next((e for e in ents_in(doc, i + 2, min(sent.end, i + 10), {"QT"})), None)
            return _apposition_after(doc, later, sent) if later is not None else None
    return None


TOPIC = frozenset({"은", "는"})
CHANGE_UNITS = frozenset({"%", "%p", "포인트", "배"})


def reached(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """``삼성전자는 올해 매출 300조원을 기록했다``, ``삼성물산이 10.61% 상승``, ``X는 1위를 차지``: a named subject
    (subject particle, or none) and, after at most a date, adverbs and a figure noun, a quantity that a figure
    verb (``figure_verbs.tsv``: 기록, 돌파, 상승 ...) takes right after it -> qt:of."""
    tok = token_columns(doc)
    ents = ents_in(doc, sent.start, sent.end)
    for i, subj in enumerate(ents[:-1]):
        if subj.label_ not in {"AF", "OG", "LC", "PS"}:
            continue
        end = subject_end(doc, subj, ents[i + 1:])
        josa = josa_at(tok, end)
        bare = josa == "" and end == subj.end and tok.space_after[subj.end - 1]
        if josa not in SUBJECT_JOSA and not bare:
            continue
        setting = setting_end(doc, end, sent.end) if not bare else end
        qt = next((e for e in ents[i + 1:] if e.label_ not in {"DT", "TI"} and e.start >= setting), None)
        info = b.table.get((qt.start_char, qt.end_char)) if qt is not None else None
        if qt is None or qt.label_ != "QT" or info is None \
                or any(e.label_ not in {"DT", "TI", "LC"} for e in ents_in(doc, end, setting)):
            continue
        gap = [k for k in range(setting, qt.start) if not tok.is_space[k] and doc[k].ent_type_ not in {"DT", "TI"}]
        if not _figure_gap(tok, gap, trig, rank=info.unit == "위"):
            continue
        qt = part_of_total(doc, sent, qt, ents)
        glossed = gloss_after(doc, sent, qt, ents)
        tail = doc[qt.start:glossed.end + 1] if glossed is not None else qt
        shared = None if _figure_verb_follows(doc, tail, sent) else _gapped_verb_follows(doc, sent, tail, ents, trig)
        if josa_after(tail) in SUBJECT_JOSA or _relative_subject(doc, sent, tail, trig) is not None \
                or (shared is None and not _figure_verb_follows(doc, tail, sent)):
            continue  # 한양대부속고가 260점을 기록한 전북과학고를: the figure is the next name's
        shared = (shared or []) + ([glossed] if glossed is not None else [])
        if bare and (josa_after(qt) or gap or (info.unit or "") not in CHANGE_UNITS):
            continue  # 삼성물산 10.61% 상승 (a list of changes), not 빌보드 1위(를) 달성 (the chart is no subject)
        for figure in [qt] + (shared or []):
            b.add(sid, sent, subj, "qt:of", figure, "X는 QT 기록")


GAP_TAGS = frozenset({"MAG", "VA", "ETM", "NNG"})


def _gapped_verb_follows(doc: Doc, sent: Span, qt: Span, ents: list[Span], trig: Triggers) -> list[Span] | None:
    """``알파고는 5분 30초, 이세돌 9단은 28분 28초를 남겼다``, ``서울은 32.6도, 강릉은 32.3도를 기록``, ``X는 매출
    10조원, 영업이익 1조원을 기록``: the quantity ends a conjunct (``,``) and every following conjunct is
    ``named subject + particle + QT`` or ``figure noun + QT``, the last one with a figure verb: the verb is
    shared. Returns the quantities of the conjuncts without a subject of their own (the same subject's), or
    None when the verb is not shared."""
    tok = token_columns(doc)
    comma, own = tok.next_word(qt.end), []
    while comma is not None and comma < sent.end and tok.words[comma] == ",":
        rest = [e for e in ents if e.start > comma and e.label_ not in {"DT", "TI"}]
        if not rest:
            return None
        if rest[0].label_ == "QT":  # 영업이익 1조원
            nouns = [k for k in range(comma + 1, rest[0].start) if not tok.is_space[k]]
            if not nouns or any(tok.base_tags[k] != "NNG" for k in nouns) or not is_figure_noun(tok, nouns[-1], trig):
                return None
            nxt = rest[0]
            own.append(nxt)
        else:
            if len(rest) > 1 and rest[0].label_ == "OG" and rest[1].label_ == "PS" and rest[1].start == rest[0].end:
                rest = rest[1:]  # 국민의당 안철수 후보는
            if rest[0].label_ not in {"AF", "OG", "LC", "PS"}:
                return None
            end = subject_end(doc, rest[0], rest[1:])
            nxt = next((e for e in rest[1:] if e.start >= end), None)
            if josa_at(tok, end) not in SUBJECT_JOSA or nxt is None or nxt.label_ != "QT" \
                    or any(not tok.is_space[k] and tok.base_tags[k] != "NNG" for k in range(end + 1, nxt.start)):
                return None
        glossed = gloss_after(doc, sent, nxt, ents)
        if glossed is not None:  # 785만2849표(23.03%),
            nxt = doc[nxt.start:glossed.end + 1]
            if rest[0].label_ == "QT":
                own.append(glossed)
        if _figure_verb_follows(doc, nxt, sent):
            return own
        comma = tok.next_word(nxt.end)
    return None


def _figure_gap(tok, gap: list[int], trig: Triggers, rank: bool = False) -> bool:
    """Between the subject and its quantity: particles, adverbs (``가장 많은``), ``총``, and at most one run of
    nouns that ends in a figure noun (``예약 가입자만 총``, ``3분기 영업이익``, ``시가총액``); before a rank,
    any one run of nouns (``박스 오피스 1위``)."""
    if len(gap) > 6 or not all(tok.base_tags[k].startswith("J") or tok.base_tags[k] in GAP_TAGS
                               or tok.words[k] == "총" for k in gap):
        return False
    nouns = [k for k in gap if tok.base_tags[k] == "NNG"]
    if not nouns:
        return True
    contiguous = all(b - a == 1 for a, b in zip(nouns, nouns[1:]))
    return contiguous and (rank or is_figure_noun(tok, nouns[-1], trig)) and \
        not any(tok.lemma_heads[k] in trig.figure_roles.get("group", ()) for k in nouns)


def chances(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """``일본이 승리할 확률이 35%``, ``민주당이 과반을 차지할 가능성은 70%``: a named subject (이/가), a short
    verb phrase ending in ``-ㄹ``, a chance noun (``figure_roles.tsv``) and its percentage -> qt:of."""
    tok = token_columns(doc)
    chance = trig.figure_roles.get("chance", frozenset())
    for qt in ents_in(doc, sent.start, sent.end, {"QT"}):
        info = b.table.get((qt.start_char, qt.end_char))
        if info is None or info.unit != "%":
            continue
        k = tok.previous_word(qt.start - 1)
        if k is None or tok.words[k] not in {"이", "가", "은", "는"}:
            continue
        noun = tok.previous_word(k - 1)
        if noun is None or noun <= sent.start:
            continue
        word = tok.words[noun - 1] + tok.words[noun] if tok.base_tags[noun] == "XSN" else tok.words[noun]
        start = noun - 1 if tok.base_tags[noun] == "XSN" else noun
        verb = tok.previous_word(start - 1)
        if word not in chance or verb is None or "ETM" not in tok.tags[verb] or "ᆯ" not in tok.lemmas[verb]:
            continue
        subj = _clause_subject_before(doc, sent, verb)
        if subj is not None:
            b.add(sid, sent, subj, "qt:of", qt, "X가 V-ㄹ 확률이 QT")


def _clause_subject_before(doc: Doc, sent: Span, verb: int) -> Span | None:
    """The named entity marked 이/가 that opens the verb phrase ending at ``verb`` (at most four words,
    no other entity between)."""
    tok = token_columns(doc)
    ents = ents_in(doc, sent.start, verb)
    if not ents or ents[-1].label_ not in {"AF", "OG", "LC", "PS"} or josa_after(ents[-1]) not in {"이", "가"}:
        return None
    words = [k for k in range(ents[-1].end, verb) if not tok.is_space[k] and not tok.base_tags[k].startswith("J")]
    return ents[-1] if len(words) <= 4 and all(tok.base_tags[k] in {"NNG", "VV", "MAG"} for k in words) else None


def reached_by(doc: Doc, sent: Span, sid: int, b: RelationBuilder, trig: Triggers) -> None:
    """``16위를 기록 중인 왓포드는``, ``매출 300억원을 돌파한 카카오는``, ``관객 1000만명을 넘은 영화 '명량'이``: a
    quantity with its object particle, a figure verb in a relative form, at most one kind noun, then the named
    subject with its particle -> qt:of."""
    for qt in ents_in(doc, sent.start, sent.end, {"QT"}):
        subj = _relative_subject(doc, sent, qt, trig)
        if subj is not None:
            b.add(sid, sent, subj, "qt:of", qt, "QT를 기록한 X")


def _relative_subject(doc: Doc, sent: Span, qt: Span, trig: Triggers) -> Span | None:
    """The named entity a relative figure clause ending in ``qt`` + 을/를 + figure verb modifies, or None."""
    tok = token_columns(doc)
    k = figure_object_end(tok, qt.end, sent.end, trig)
    if k is None:
        return None
    verb = tok.next_word(k + 1)
    if verb is None or tok.lemma_heads[verb] not in trig.figure_verbs:
        return None
    n = relative_end(tok, verb, sent.end)
    n = tok.next_word(n) if n is not None else None
    if n is not None and tok.base_tags[n] == "NNG" and not doc[n].ent_type_ and tok.space_after[n]:
        n = tok.next_word(n + 1)  # a kind noun: 영화 '명량'
    while n is not None and n < sent.end and tok.words[n] in OPENING_QUOTES:
        n += 1
    subj = entity_starting_at(doc, n) if n is not None and n < sent.end else None
    if subj is None or subj.label_ not in {"AF", "OG", "LC", "PS"}:
        return None
    end = subject_end(doc, subj, [])
    if not josa_at(tok, end) and end < sent.end and tok.words[end] in trig.verbs.get("product_kind", frozenset()):
        end += 1  # '스냅쳇' 메신저에서
        return subj if josa_at(tok, end) else None
    # not 의: 2위를 차지한 러시아의 (선수)
    return subj if josa_at(tok, end) in SUBJECT_JOSA | {"을", "를", "와", "과"} else None


def ranked_as(doc: Doc, sent: Span, sid: int, b: RelationBuilder) -> None:
    """``X는 ... 확진자 1위 국가가 되었다``, ``한국은 ... 자살률 1위 국가다``, ``삼성전자는 세계 1위다``: a rank that
    the sentence predicates of its named subject (the nearest one before it marked 은/는/이/가/도) -> qt:of."""
    tok = token_columns(doc)
    for qt in ents_in(doc, sent.start, sent.end, {"QT"}):
        info = b.table.get((qt.start_char, qt.end_char))
        if info is None or info.unit != "위" or not _predicated(tok, qt.end - 1, sent.end):
            continue
        named = [e for e in ents_in(doc, sent.start, qt.start, {"AF", "OG", "LC", "PS"})
                 if josa_at(tok, subject_end(doc, e, [])) in SUBJECT_JOSA]
        if named:
            b.add(sid, sent, named[-1], "qt:of", qt, "X는 ... N위 NOUN이 되다")


def _predicated(tok, last: int, limit: int) -> bool:
    """The rank ending at token ``last`` is the predicate: 1위다 (위+이), 1위 국가다, 1위 국가가 되었다."""
    if "VCP" in tok.tags[last]:
        return True
    noun = tok.next_word(last + 1)
    if noun is None or noun >= limit or tok.base_tags[noun] != "NNG":
        return False
    if "VCP" in tok.tags[noun] or noun + 1 < limit and tok.tags[noun + 1].startswith("VCP"):
        return True
    verb = tok.next_word(noun + 2) if noun + 1 < limit and tok.words[noun + 1] in {"이", "가"} else None
    return verb is not None and verb < limit and tok.lemma_heads[verb] == "되"
