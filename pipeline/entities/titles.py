"""Titles next to names: the person, the organisation and the title, and short references.

``이재용 삼성전자 회장`` -> PS 이재용, OG 삼성전자, CV 회장; ``제이슨 권 CSO`` -> PS 제이슨 권; ``권 CSO`` -> a
short reference (a surname alone is no person); ``애플 CEO 스티브 잡스가`` and ``삼성전자 부회장인 이재용``
-> the name after the title; ``포천시(시장 박윤국)`` -> CV and PS inside parentheses.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import (
    EntityInfo,
    ShortReference,
    TokenColumns,
    entity_spans,
    token_columns,
)
from .lexicons import Lexicons
from .spans import entity_tokens
from .words import (
    PROPER_TAGS,
    gazetteer_label,
    glued_at,
    is_hangul,
    looks_korean_name,
    suffix_label,
    words_before,
)


def _name_word_ok(tok: TokenColumns, start: int, end: int, taken: set[int], lex: Lexicons) -> bool:
    text = tok.span_text(start, end)
    return (is_hangul(text) and 1 <= len(text.replace(" ", "")) <= (9 if " " in text else 6)
            and all(tok.base_tags[i] in {"NNP", "NNG", "NNB", "XSN", "XPN", "MM", "NR"} for i in range(start, end))
            and (len(text) != 2 or any(tok.base_tags[i] == "NNP" for i in range(start, end)))
            and not any(i in taken for i in range(start, end))
            and text not in lex.not_entities and text not in lex.titles and text not in lex.title_prefixes
            and suffix_label(text, lex) not in {"OG", "LC", "EV"})



def person_before(doc: Doc, index: int, lex: Lexicons, ents_by_end: dict[int, Span], taken: set[int]
                  ) -> tuple[tuple[int, int] | None, tuple[int, int] | None, tuple[int, int] | None]:
    """(person, organisation, surname) token ranges before the title starting at token ``index``.

    ``이재용 삼성전자 회장`` -> person 이재용, organisation 삼성전자; ``제이슨 권 CSO`` -> person
    제이슨 권; ``권 CSO`` -> surname 권 only (a short reference, not a person mention).
    ``ents_by_end`` maps the end token of each entity to it; ``taken`` is :func:`entity_tokens`.
    """
    tok = token_columns(doc)
    is_space, space_after = tok.is_space, tok.space_after
    cursor = index
    while cursor > 0 and is_space[cursor - 1]:
        cursor -= 1
    if cursor > 1 and tok.words[cursor - 1] in lex.title_prefixes and space_after[cursor - 2] \
            and space_after[cursor - 1]:
        cursor -= 1  # 만델라 전 대통령
        while cursor > 0 and is_space[cursor - 1]:
            cursor -= 1
    org = None
    ent = ents_by_end.get(cursor)
    if ent is not None and ent.label_ == "OG" and ent.start not in taken and gazetteer_label(ent) != "OG" \
            and looks_korean_name(tok.span_text(ent.start, ent.end), lex):
        return (ent.start, ent.end), None, None  # 현오석 경제부총리: the model's "organisation" has a person's name
    if ent is not None and ent.label_ == "OG" and space_after[cursor - 1]:
        org = (ent.start, ent.end)
        cursor = ent.start
    elif ent is not None and ent.label_ == "LC" and gazetteer_label(ent) == "LC":
        return None, None, None  # 몰디브 대통령: a place the model and the gazetteer agree on heads no person
    elif ent is not None and ent.label_ == "PS" and ent.start in taken:
        name = tok.span_text(ent.start, ent.end)
        if len(name) >= 2 and name not in lex.surnames:
            return (ent.start, ent.end), None, None  # a person the lexicon or a rule already found
    if cursor == index and index > 0 and not (space_after[index - 1] or is_space[index - 1]):
        return None, None, None  # the title is glued to the word before it (e.g. 지사장 inside a compound)
    words = words_before(doc, cursor, limit=3)
    if words and org is None and suffix_label(tok.span_text(*words[0]), lex) == "OG" \
            and all(tok.base_tags[i] in PROPER_TAGS | {"NNG"} for i in range(*words[0])):
        org = words[0]  # 이인영 더불어민주당 원내대표: an unlisted party or company between name and title
        words = words[1:]
    words = words[:2]
    if not words:
        return None, org, None
    near = words[0]
    near_text = tok.span_text(*near)
    model_ps = ents_by_end.get(near[1])
    if model_ps is not None and model_ps.label_ == "PS" and model_ps.start <= near[0]:
        name = tok.span_text(model_ps.start, model_ps.end)
        if len(name) >= 2 and name not in lex.surnames:
            return (model_ps.start, model_ps.end), org, None  # the trained NER read the whole name
    if not _name_word_ok(tok, *near, taken, lex):
        return None, org, None
    far = words[1] if len(words) > 1 else None
    far_ok = (far is not None and _name_word_ok(tok, *far, taken, lex) and far[1] - far[0] == 1
              and tok.base_tags[far[0]] == "NNP" and 2 <= len(tok.span_text(*far)) <= 5)
    if " " in near_text:  # Kiwi's multi-word proper noun: a full foreign name in one token
        return near, org, None
    if len(near_text) == 1:
        if near_text in lex.surnames:
            if far_ok:
                return (far[0], near[1]), org, None
            return None, org, near
        return None, org, None
    if looks_korean_name(near_text, lex) and len(near_text) == 3:
        return near, org, None
    if far_ok:
        return (far[0], near[1]), org, None
    if looks_korean_name(near_text, lex) or tok.base_tags[near[0]] == "NNP":
        return near, org, None
    return None, org, None



def title_entities(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Titles next to a name: the person, the organisation, the title, and short references."""
    found: list[tuple[Span, EntityInfo]] = []
    short_refs: list[ShortReference] = []
    tok = token_columns(doc)
    ents = entity_spans(doc)
    cv_spans = {ent.start: ent for ent in ents if ent.label_ == "CV"}
    ents_by_end = {ent.end: ent for ent in ents}
    taken = entity_tokens(doc, ents)
    titles = lex.titles
    # the title entities and the title words, in text order (one pass over the words, few hits)
    for i in [i for i, word in enumerate(tok.words) if word in titles or i in cv_spans]:
        title = cv_spans.get(i)
        if title is None:
            if i in taken or glued_at(tok, i + 1):
                continue  # inside a name, or the front of a compound (기자 in 기자회견)
            title = Span(doc, i, i + 1, label="CV")
        person, org, surname = person_before(doc, title.start, lex, ents_by_end, taken)
        standalone = title.start in cv_spans
        if person is None and surname is None and org is None:
            # up to two modifier words before the title head: 글로벌 비즈니스 총괄
            for w_start, _ in words_before(doc, title.start, limit=2):
                modifier = range(w_start, title.start)
                if not all(tok.base_tags[k] in {"NNG", "SL"} for k in modifier if not tok.is_space[k]) \
                        or any(k in taken for k in modifier):
                    break
                person, org, surname = person_before(doc, w_start, lex, ents_by_end, taken)
                if person is not None and tok.base_tags[person[0]] == "NNP":
                    title = Span(doc, w_start, title.end, label="CV")
                    standalone = False
                    break
                person = org = surname = None
        if person is None and surname is None and not standalone and org is None:
            continue
        if person is not None:
            found.append((Span(doc, person[0], person[1], label="PS"), EntityInfo(source="rule")))
            if org is not None and not any(k in taken for k in range(*org)):
                found.append((Span(doc, org[0], org[1], label="OG"), EntityInfo(source="rule")))
        if surname is not None:
            short_refs.append(ShortReference(tok.starts[surname[0]], tok.ends[surname[1] - 1],
                                             tok.span_text(*surname), title.start_char, title.end_char))
        if not standalone:
            found.append((title, EntityInfo(norm=lex.titles.get(title.text, title.text), source="rule")))
    doc._.short_refs = short_refs
    return found + _names_after_titles(doc, lex, ents, taken)



def _names_after_titles(doc: Doc, lex: Lexicons, ents: tuple[Span, ...], taken: set[int]
                        ) -> list[tuple[Span, EntityInfo]]:
    """``애플 CEO 스티브 잡스가``: ORG/PLACE + title + proper name; the name follows the title.

    Only after an organisation or place and a title, and only for one or two proper-noun
    words closed by a particle or punctuation, so that ``대통령 취임식`` stays what it is.
    ``ents`` are the Doc's entities (in text order) and ``taken`` their :func:`entity_tokens`,
    which :func:`title_entities` has read already."""
    found = []
    tok = token_columns(doc)
    tags, space_after, n = tok.base_tags, tok.space_after, len(tok.words)
    for i, title in enumerate(ents):
        if title.label_ != "CV":
            continue
        j = title.end
        copula = j < n and tok.tags[j] == "VCP+ETM" and not space_after[j - 1]
        if copula:
            j += 1  # 삼성전자 부회장인 이재용: the title, 이/VCP + ᆫ, then the name
        elif i == 0 or ents[i - 1].label_ not in {"OG", "LC"} or ents[i - 1].end != title.start \
                and not all(tok.is_space[ents[i - 1].end:title.start]):
            continue
        if j >= n or not space_after[j - 1]:
            continue
        start, words = j, 0
        while j < n and words < 2 and tags[j] == "NNP" and is_hangul(tok.words[j]) \
                and j not in taken and tok.words[j] not in lex.titles:
            j += 1
            words += 1
            if j < n and not space_after[j - 1]:
                break
        if words == 0 or j >= n:
            continue
        closer_is_punct = tok.is_punct[j]
        if not (tags[j].startswith("J") or closer_is_punct) or space_after[j - 1] and not closer_is_punct:
            continue
        if 2 <= len(tok.span_text(start, j).replace(" ", "")) <= 10:
            found.append((Span(doc, start, j, label="PS"), EntityInfo(source="rule")))
    return found



def title_and_name(doc: Doc, start: int, end: int, lex: Lexicons) -> tuple[Span, Span] | None:
    """Inside parentheses: ``시장 박윤국`` / ``원장 박상열`` -> (CV span, PS span)."""
    tok = token_columns(doc)
    content = [i for i in range(start, end) if not tok.is_space[i]]
    if len(content) < 2 or tok.words[content[0]] not in lex.titles:
        return None
    title, name_start = content[0], content[1]
    text = tok.span_text(name_start, end).strip()
    if not (looks_korean_name(text, lex) or (" " in text and is_hangul(text) and len(text) <= 10)):
        return None
    return Span(doc, title, title + 1, label="CV"), Span(doc, name_start, end, label="PS")
