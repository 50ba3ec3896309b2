"""Names built from parts: a branch word after an organisation (``오픈AI 코리아``), proper-noun
compounds whose head names their kind (``SK텔레콤``, ``파이팩토리 스튜디오``, ``광진구``;
``resources/name_suffixes.tsv``), address chains (``서울 광진구``) made one LC, and event names with
their year (``2018 평창 동계올림픽``, one EV).
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import EntityInfo, TokenColumns, entity_spans, token_columns
from .lexicons import Lexicons
from .spans import commit, entity_tokens
from .words import PROPER_TAGS, is_hangul, is_suffix, suffix_label, words_before


def branch_names(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """``오픈AI 코리아``: an organisation followed by a branch word names the branch, a new OG."""
    tok = token_columns(doc)
    n = len(tok.words)
    found = []
    for ent in entity_spans(doc):
        if ent.label_ != "OG":
            continue
        i = ent.end
        while i < n and tok.is_space[i]:
            i += 1
        if i < n and tok.words[i] in lex.branch_words \
                and (i == ent.end + 1 or tok.space_after[ent.end - 1] or i == ent.end):
            found.append((Span(doc, ent.start, i + 1, label="OG"), EntityInfo(source="lexicon")))
    return found



_PROPER_OR_NOUN = PROPER_TAGS | {"NNG"}



_HEAD_NOUN_TAGS = frozenset({"NNG", "NNP"})



def compound_names(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Proper-noun compounds whose head names their kind: ``SK텔레콤``, ``파이팩토리 스튜디오``, ``광진구``."""
    tok = token_columns(doc)
    words, tags, space_after, n = tok.words, tok.base_tags, tok.space_after, len(tok.words)
    ents = entity_spans(doc)
    taken = entity_tokens(doc, ents)
    entity_at = {i: ent for ent in ents for i in range(ent.start, ent.end)}
    found = []
    # the nouns outside the entities, in text order (one pass over the tags, fewer hits)
    for head in [i for i, tag in enumerate(tags) if tag in _HEAD_NOUN_TAGS and i not in taken]:
        tag = tags[head]
        if head + 1 < n and not space_after[head] and tags[head + 1] in {"NNG", "NNP", "XSN"}:
            continue  # not the head yet
        head_word = words[head]
        if head_word[-1:] not in lex.suffix_last_chars:
            continue  # no name suffix ends the head word, nor the word it ends (most nouns): no label
        word_start = head
        while word_start > 0 and not space_after[word_start - 1] and tags[word_start - 1] in _PROPER_OR_NOUN \
                and (word_start - 1 not in taken or _glued_place(tok, entity_at.get(word_start - 1), word_start - 1)):
            word_start -= 1
        head_text = tok.span_text(word_start, head + 1)
        if head_word in lex.not_entities:
            continue  # 문재인 정부: an excluded generic head
        label = suffix_label(head_text, lex) or suffix_label(head_word, lex, whole_word=word_start == head)
        if label == "EV" and word_start < head:
            continue  # 머니투데이: an event head must stand as a word of its own (파운더스 데이)
        if not label or (len(head_text) == len(head_word) and is_suffix(head_word, lex) and word_start < head):
            continue
        if tag != "NNP" and head_text.endswith(lex.one_syllable_suffixes) \
                and not head_text.endswith(lex.longer_suffixes):
            continue  # 방면, 국면: a one-syllable head counts only on a proper noun
        # The name part: proper material inside the word, or proper words right before it.
        start = word_start
        has_proper = any(tags[i] in PROPER_TAGS for i in range(word_start, head + (len(head_word) > 2)))
        if word_start == head or not has_proper:
            for w_start, w_end in words_before(doc, word_start, limit=2):
                word = tok.span_text(w_start, w_end)
                if any(i in taken for i in range(w_start, w_end)) or not all(
                        tags[i] in PROPER_TAGS for i in range(w_start, w_end)) \
                        or word in lex.not_entities or suffix_label(word, lex):
                    break  # a place or organisation of its own (광진구 before 파이팩토리 스튜디오)
                start = w_start
            has_proper = start < word_start or (tag == "NNP" and len(head_word) >= 3
                                                and word_start == head and not is_suffix(head_word, lex))
        if not has_proper:
            continue
        text = tok.span_text(start, head + 1)
        if text in lex.not_entities or len(text) < 2:
            continue
        if label == "LC" and _model_person(entity_at.get(start), start, head + 1) \
                and text.endswith(lex.chain_suffixes) and not text.endswith(lex.longer_suffixes):
            continue  # 차두리 씨, 김경도는: an administrative head (리, 도) does not outweigh the model's person
        glued_over_name = any(i in taken for i in range(start, head + 1))
        found.append((Span(doc, start, head + 1, label=label),
                      EntityInfo(source="lexicon" if glued_over_name else "rule")))
    return found



def _model_person(ent: Span | None, start: int, end: int) -> bool:
    """Whether the trained NER found exactly tokens ``start:end`` as a person."""
    return ent is not None and ent.label_ == "PS" and ent.start == start and ent.end == end



def _glued_place(tok: TokenColumns, ent: Span | None, index: int) -> bool:
    """A lexicon place glued to the next noun (한국 in 한국일보): the compound names something else.
    ``ent`` is the entity that holds token ``index``, if any."""
    return ent is not None and ent.label_ == "LC" and ent.end == index + 1 and not tok.space_after[index]



def address_chains(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Adjacent places written as one address (``서울 광진구``) are one LC; a venue stays separate."""
    found = []
    admin = lex.chain_suffixes
    tok = token_columns(doc)
    n = len(tok.words)
    ents = entity_spans(doc)
    taken = entity_tokens(doc, ents)
    for ent in [e for e in ents if e.label_ == "LC"]:
        # 서울 중구: a short administrative name right after a place joins it
        i = ent.end
        if i < n and tok.space_after[i - 1] and i not in taken and tok.base_tags[i] == "NNP" \
                and 2 <= len(tok.words[i]) <= 4 and tok.words[i].endswith(admin) and is_hangul(tok.words[i]):
            found.append((Span(doc, ent.start, i + 1, label="LC"), EntityInfo(source="lexicon")))
    commit(doc, found)
    found = []
    ents = sorted((e for e in entity_spans(doc) if e.label_ == "LC"), key=lambda e: e.start)
    i = 0
    while i < len(ents):
        j = i
        while j + 1 < len(ents) and ents[j + 1].start == ents[j].end and ents[j].end > 0 \
                and tok.space_after[ents[j].end - 1] \
                and tok.span_text(ents[j + 1].start, ents[j + 1].end).endswith(admin):
            j += 1
        if j > i:
            found.append((Span(doc, ents[i].start, ents[j].end, label="LC"), EntityInfo(source="lexicon")))
        i = j + 1
    return found



def event_years(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """An event keeps its year: ``2018 평창 동계올림픽`` is one EV, not a QT 2018 and a name. A name
    whose head names an event (resources/name_suffixes.tsv: 올림픽, 월드컵, 박람회 ...) is an EV,
    and a bare four-digit year right before it (``2018``, not ``2018년``) belongs to it. The span is
    delimited (it holds a number of its own, which the grammar would otherwise take)."""
    tok = token_columns(doc)
    words, tags = tok.words, tok.base_tags
    found = []
    for ent in entity_spans(doc):
        if ent.label_ in {"QT", "DT", "TI", "PS", "CV"}:
            continue
        text = tok.text[ent.start_char:ent.end_char]
        if suffix_label(text.split()[-1], lex, whole_word=True) != "EV":
            continue
        start = ent.start
        i = start - 1
        while i >= 0 and tok.is_space[i]:
            i -= 1
        if i >= 0 and i < start and tok.space_after[i] and tags[i] == "SN" and len(words[i]) == 4 \
                and words[i][:2] in ("19", "20") and (i == 0 or tok.space_after[i - 1] or tags[i - 1] in {"SF", "SP", "SS", "SSO", "SSC"}):
            start = i
        if start == ent.start and ent.label_ == "EV":
            continue
        info = EntityInfo(source="delimited" if start < ent.start else "rule")
        found.append((Span(doc, start, ent.end, label="EV"), info))
    return found
