"""Quoted and apposed names: a quoted name held as an event (``'파운더스 데이'를 개최``) or made as
a product (``'소라' 개발사``), and ``워크숍인 X`` / ``행사인 X``, where the copula makes X the event's name.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import EntityInfo, entity_info, entity_spans, token_columns
from .lexicons import Lexicons
from .spans import entity_tokens
from .words import (
    NAME_TAGS,
    PROPER_TAGS,
    QUOTES_CLOSE,
    QUOTES_OPEN,
    is_function_tag,
    next_content,
    suffix_label,
)

# Base tags a quoted name may be made of.
_QUOTED_NAME_TAGS = NAME_TAGS | {"NNB", "SP", "SO", "SW", "XSN", "NP", "_SP", "SSO", "SSC"}



def _quoted_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges inside quote marks, short and verb-free: candidate names."""
    tok = token_columns(doc)
    words = tok.words
    spans = []
    open_at = None
    for i, word in enumerate(words):
        if word in QUOTES_OPEN and (open_at is None or word not in QUOTES_CLOSE):
            open_at = i
        elif word in QUOTES_CLOSE and open_at is not None:
            start, end = open_at + 1, i
            open_at = None
            paren = next((k for k in range(start, end) if words[k] == "("), None)
            if paren is not None and paren > start:
                end = paren  # '데브데이 익스체인지(DevDay Exchange)': the alias is handled on its own
                while end > start and tok.is_space[end - 1]:
                    end -= 1
            if 0 < len(tok.span_text(start, end)) <= 30 and all(
                    tok.base_tags[k] in _QUOTED_NAME_TAGS for k in range(start, end)):
                spans.append((start, end))
    return spans



NAME_OR_SPACE_TAGS = NAME_TAGS | {"_SP"}



def quoted_and_apposed_names(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """Quoted names held as events or made as products, and ``워크숍인 X`` appositions."""
    found = []
    tok = token_columns(doc)
    words, tags, is_space, n = tok.words, tok.base_tags, tok.is_space, len(tok.words)
    ents = entity_spans(doc)
    taken = entity_tokens(doc, ents)
    table = entity_info(doc)
    for start, end in _quoted_spans(doc):
        inside = [e for e in ents if e.start < end and e.end > start]
        if any(table[(e.start_char, e.end_char)].source == "lexicon" and (e.start, e.end) == (start, end)
               for e in inside) or any(e.start < start or e.end > end for e in inside):
            continue
        label = ""
        after = next_content(tok, end)
        after_word = words[after] if after is not None else None
        close = end
        while close < n and (words[close] in QUOTES_CLOSE or words[close] in "()"
                             or tags[close] == "SL" or is_space[close]):
            close += 1  # past the closing quote and a parenthesised alias
        josa = "".join(words[i] for i in range(close, min(n, close + 2)) if tags[i].startswith("J"))
        window = [i for i in range(close, min(n, close + 8)) if not is_space[i]]
        if after_word in lex.event_nouns:
            label = "EV"
        elif josa[:1] in {"을", "를", "은", "는", "엔", "도"} and any(
                tok.lemma_heads[i] in lex.event_triggers for i in window[:6]):
            label = "EV"
        elif after_word in {"개발사", "제조사", "운영사", "출시"}:
            label = "AF"
        elif suffix_label(tok.span_text(start, end), lex) == "EV":
            label = "EV"
        if label:
            found.append((Span(doc, start, end, label=label), EntityInfo(source="delimited")))
    # 워크숍인 X / 행사인 X: the copula makes X the event's name.
    for noun in [i for i, word in enumerate(words) if word in lex.event_nouns]:
        if noun + 1 < n and tok.tags[noun + 1].startswith("VCP"):
            i = noun + 2
            while i < n and is_space[i]:
                i += 1
            quoted = i < n and words[i] in QUOTES_OPEN
            if quoted:
                i += 1
            j = i
            while j < n and tags[j] in NAME_OR_SPACE_TAGS and not is_function_tag(tags[j]) \
                    and words[j] not in QUOTES_CLOSE:
                j += 1
                if not quoted and tok.space_after[j - 1] and j < n and not tags[j] in PROPER_TAGS:
                    break
            if j > i and (quoted or not any(k in taken for k in range(i, j))):
                found.append((Span(doc, i, j, label="EV"), EntityInfo(source="delimited" if quoted else "rule")))
    return found
