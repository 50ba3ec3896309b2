"""What the conventions exclude, tested by the ``entity_cleanup`` component: laws, treaties and
groups named by activity (``resources/not_entity_heads.tsv``), generic phrases (``한국 정부``),
plural titles (``기자들``), and a particle Kiwi left glued to an unknown foreign name.
"""
from __future__ import annotations

from spacy.tokens import Span

from ..records import TokenColumns
from .lexicons import Lexicons


def excluded_head(text: str, lex: Lexicons) -> bool:
    """Laws, treaties and groups of people by activity (resources/not_entity_heads.tsv)."""
    last = text.split()[-1]
    if not last.endswith(lex.excluded_head_forms):
        return False  # most names: no head matches, and one C-level test says so
    for head, unless in lex.excluded_heads:  # longest head first: 금지법 decides before 법
        if last.endswith(head) and len(last) > len(head):
            return not last.endswith(unless)
    return False



def generic_compound(tok: TokenColumns, span: Span, lex: Lexicons) -> bool:
    """``한국 정부``: a name plus the next word make an excluded generic phrase."""
    n = len(tok.words)
    nxt = span.end
    while nxt < n and tok.is_space[nxt]:
        nxt += 1
    if nxt >= n or not tok.space_after[span.end - 1]:
        return False
    return f"{tok.text[span.start_char:span.end_char]} {tok.words[nxt]}" in lex.not_entities



GLUED_JOSA = ("가", "는", "은", "를", "을", "의", "와", "과", "도", "에")



def glued_josa_cut(tok: TokenColumns, span: Span) -> bool:
    """``오콘조이웨알라가``: Kiwi left a particle on an unknown foreign name. Cut it when the
    article writes the name without it elsewhere."""
    text = tok.text[span.start_char:span.end_char]
    if span.label_ not in {"PS", "OG", "LC"} or len(text) < 4 or not text.endswith(GLUED_JOSA):
        return False
    last_word = text.split()[-1]
    if len(last_word) < 3:
        return False
    bare, full_text = last_word[:-1], tok.text
    own = span.end_char - len(last_word)
    at = full_text.find(bare)
    while at >= 0:
        if at != own and full_text[at + len(bare):at + len(bare) + 1] != text[-1]:
            return True
        at = full_text.find(bare, at + 1)
    return False



def is_group(tok: TokenColumns, span: Span) -> bool:
    """``기자들``, ``최고경영자(CEO)들``: a title in the plural names a group, not a position."""
    words, n = tok.words, len(tok.words)
    i = span.end
    if i < n and words[i] == ")" and span.start > 0 and words[span.start - 1] == "(":
        i += 1  # 최고경영자(CEO)들: the alias inside the parentheses
    elif i < n and words[i] == "(":
        close = next((k for k in range(i, min(n, i + 6)) if words[k] == ")"), None)
        i = close + 1 if close is not None else i
    return i < n and not tok.space_after[i - 1] and words[i] == "들"
