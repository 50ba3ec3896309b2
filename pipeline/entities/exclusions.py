"""What the conventions exclude, tested by the ``entity_cleanup`` component: laws, treaties and
groups named by activity (``resources/not_entity_heads.tsv``), generic phrases (``한국 정부``),
plural titles (``기자들``), pair abbreviations (``남북``, ``한미``), and a particle Kiwi left glued to
an unknown foreign name.
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



# One-syllable country abbreviations that news writes in pairs (한미, 남북, 북미, 미중, 한·일, 韓美, 한미일).
PAIR_SYLLABLES = frozenset("한미중일북남러韓美中日北朝露")
PAIR_JOINERS = "·‧・ㆍ-"
# Words of that shape that name one place (continents): a pair only when a pair's context follows.
ONE_PLACE = frozenset({"남미", "중미", "북미", "중남미"})
# Words of that shape that are one country or place, never a pair
NOT_PAIRS = frozenset({"북한", "남한", "한남", "미남", "북중미"})
PAIR_CONTEXT = ("정상", "회담", "관계", "대화", "협상", "양국", "간", "갈등", "합의", "공동", "비핵화", "교류",
                "협력", "동맹", "실무", "고위급", "국방", "외교", "외무", "군사", "무역", "경제", "적대", "수교")


def pair_abbreviation(tok: TokenColumns, span: Span) -> bool:
    """``남북``, ``한미``, ``북미 정상회담``, ``한·미``: two or three countries named by one syllable
    each are no entity (labelling guide 4.14); ``북미``, ``남미``, ``중남미`` alone are continents."""
    text = tok.text[span.start_char:span.end_char]
    if span.end - span.start > 1:  # 한미 공조, 한미동맹, 남북 관계: a pair and common nouns
        first = span.start
        while first + 1 < span.end and tok.words[first + 1] in PAIR_JOINERS:
            first += 2  # 한·미 동맹: the pair is three tokens
        rest = [k for k in range(first + 1, span.end) if not tok.is_space[k]]
        if rest:
            return all(tok.base_tags[k] == "NNG" for k in rest) \
                and pair_abbreviation(tok, span.doc[span.start:first + 1])
    letters = "".join(ch for ch in text if ch not in PAIR_JOINERS)
    if letters in NOT_PAIRS or not 2 <= len(letters) <= 3 or not all(ch in PAIR_SYLLABLES for ch in letters) \
            or len(set(letters)) < len(letters):
        return False
    if letters not in ONE_PLACE or len(letters) < len(text):
        return True
    nxt = span.end
    while nxt < len(tok.words) and tok.is_space[nxt]:
        nxt += 1
    glued = span.end < len(tok.words) and not tok.space_after[span.end - 1]
    return nxt < len(tok.words) and (tok.words[nxt].startswith(PAIR_CONTEXT) or glued and tok.words[nxt] == "관계")
