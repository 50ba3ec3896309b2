"""Word-level tests over Kiwi tokens that the entity rules share: function tags, glued words,
whitespace-separated words before a token, name heads (suffix labels), Korean name shapes, quotes.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..records import TokenColumns, token_columns
from .lexicons import Lexicons

NAME_TAGS = {"NNP", "SL", "SH", "NNG", "SN", "USER0"}



PROPER_TAGS = {"NNP", "SL", "SH", "USER0"}



QUOTES_OPEN = "'‘\"“「『<《〈"



QUOTES_CLOSE = "'’\"”」』>》〉"



def base_tag(token: Token) -> str:
    return token.tag_.split("+")[0]



_FUNCTION_TAGS = frozenset({"VCP", "XSV", "XSA", "_SP", "SF", "SP", "SE", "SO"})



def is_function_tag(tag: str) -> bool:
    """Josa, endings, copula and suffixes (by base tag) never start or end an entity span."""
    return tag.startswith(("J", "E")) or tag in _FUNCTION_TAGS



def is_function_token(token: Token) -> bool:
    return is_function_tag(base_tag(token))  # see is_function_tag



def followed_by_verb_suffix(span: Span) -> bool:
    """``인도했다``: a noun made a verb by 하다 is no name."""
    tok = token_columns(span.doc)
    return span.end < len(tok.words) and not tok.space_after[span.end - 1] and \
        tok.base_tags[span.end] in {"XSV", "XSA", "VV", "VA"}



def glued_to_noun(span: Span) -> bool:
    """A match that is only the front of a longer noun compound (``기자`` in ``기자회견``)."""
    return glued_at(token_columns(span.doc), span.end)



def glued_at(tok: TokenColumns, end: int) -> bool:
    """:func:`glued_to_noun` for the token range ending before token ``end``."""
    if end >= len(tok.words) or tok.space_after[end - 1]:
        return False
    return tok.base_tags[end] in {"NNG", "NNP", "XSN"}



def quoted(tok: TokenColumns, start: int, end: int) -> bool:
    """Whether quote marks enclose tokens ``start:end``."""
    return start > 0 and end < len(tok.words) and tok.words[start - 1] in QUOTES_OPEN \
        and tok.words[end] in QUOTES_CLOSE



def words_before(doc: Doc, index: int, limit: int = 3) -> list[tuple[int, int]]:
    """Token ranges of up to ``limit`` whitespace-separated words ending right before token ``index``
    (the first range is the nearest word). A word is a run of tokens with no whitespace between."""
    tok = token_columns(doc)
    is_space, space_after = tok.is_space, tok.space_after
    result = []
    end = index
    while end > 0 and len(result) < limit:
        j = end - 1
        if is_space[j]:
            j -= 1
        elif not space_after[j] and end != index:
            break
        if j < 0:
            break
        if end != index and not (space_after[j] or is_space[j + 1]):
            break
        start = j
        while start > 0 and not space_after[start - 1] and not is_space[start - 1]:
            start -= 1
        result.append((start, j + 1))
        end = start
        if start == 0:
            break
    return result



def is_hangul(text: str) -> bool:
    return bool(text) and all("가" <= ch <= "힣" or ch == " " for ch in text)



def looks_korean_name(text: str, lex: Lexicons) -> bool:
    """A surname and a given name of two syllables (김정재), or a two-syllable surname and one or two
    (남궁민, 황보승희). Three syllables after a one-syllable surname is a word (진핵생물), not a name."""
    if not is_hangul(text):
        return False
    return (len(text) == 3 and text[0] in lex.surnames) or (3 <= len(text) <= 4 and text[:2] in lex.surnames)



# Cached: the compound rule asks for every noun of an article, most of them more than once.
@lru_cache(maxsize=1 << 16)
def suffix_label(text: str, lex: Lexicons, whole_word: bool = False) -> str:
    """The label a name's head gives it. One-syllable heads (구, 시, 부 ...) only end short names
    (광진구, 수원시), so that 파이팩토리 is not read as a 리."""
    for length in lex.suffix_lengths:
        suffix = text[-length:]
        label = lex.suffix_labels.get(suffix)
        if label is None or len(text) < length:
            continue
        if len(text) == len(suffix) and not whole_word:
            continue
        if len(suffix) == 1 and not (is_hangul(text) and (2 <= len(text) <= 4 or not lex.chain_suffix(suffix))):
            continue
        return label
    return ""



def is_suffix(text: str, lex: Lexicons) -> bool:
    return text in lex.suffix_labels



def next_content(tok: TokenColumns, index: int) -> int | None:
    """The first token at or after ``index`` that is not whitespace, josa or closing punctuation."""
    i = index
    n = len(tok.words)
    while i < n and (tok.is_space[i] or tok.base_tags[i].startswith("J") or tok.words[i] in QUOTES_CLOSE):
        i += 1
    return i if i < n else None



def is_hangul_name(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)



def gazetteer_label(span: Span) -> str:
    """The label the gazetteer feature (``konne_gazetteer_feature``) gives exactly this span: its first
    token ``Gaz=B_X``, the others ``Gaz=I_X``, the next token not ``Gaz=I_``; or ``""``."""
    morphs = [str(t.morph) for t in span]
    after = str(span.doc[span.end].morph) if span.end < len(span.doc) else ""
    if morphs and morphs[0].startswith("Gaz=B_") and all(m.startswith("Gaz=I_") for m in morphs[1:]) \
            and not after.startswith("Gaz=I_"):
        return morphs[0][len("Gaz=B_"):]
    return ""
