"""Parenthesised aliases: in ``X(Y)`` and ``X(이하 Y)`` the alias Y gets the label of X and vice versa
(``무역대표부(USTR)``, ``DevDay Exchange(데브데이 익스체인지)``), and later bare mentions of the alias
(``(이하 AFC)`` ... ``AFC는``) are mentions too.

``X(Y)`` is an alias only when Y can name X (:func:`can_name`): an abbreviation, a translation or a
transliteration, never a place, a side or a note (``소치(러시아)``, ``최지연(왼쪽)``, ``홍준표(대선)``).
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import EntityInfo, entity_info, entity_spans, token_columns
from .lexicons import Lexicons
from .quotes import NAME_OR_SPACE_TAGS
from .spans import entity_tokens
from .titles import title_and_name
from .spans import enabled
from .words import NAME_TAGS, QUOTES_OPEN, glued_at, is_hangul, words_before


def _hangul_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum("가" <= ch <= "힣" for ch in letters) / len(letters) if letters else 0.0


def _abbreviates(short: str, full: str) -> bool:
    """Every letter of ``short`` in ``full``, in order, and shorter (공수처 <- 고위공직자범죄수사처,
    KT <- Korea Telecom when initials: the Latin case is a translation, handled by the script test)."""
    short, full = short.replace(" ", ""), full.replace(" ", "")
    if len(short) >= len(full):
        return False
    at = 0
    for ch in short:
        at = full.find(ch, at)
        if at < 0:
            return False
        at += 1
    return True


def can_name(x: str, y: str, lex: Lexicons) -> bool:
    """Whether ``Y`` in ``X(Y)`` can be another name of ``X``: a name in another script (a translation or
    transliteration: 도쿄(東京), 무역대표부(USTR), DevDay Exchange(데브데이 익스체인지)), an abbreviation
    made of X's letters (공수처), or one name by the aliases (대한민국(한국)). Two different Hangul names
    are two things (소치(러시아), 최지연(왼쪽), 홍준표(대선)); so are two names that each have their own
    entry in the aliases or lexicon under different canonical names."""
    if not enabled("alias_check"):
        return True
    x, y = x.strip(), y.strip()
    if not x or not y or x == y:
        return False
    norm_x, norm_y = lex.aliases.get(x, x), lex.aliases.get(y, y)
    if norm_x == norm_y or norm_x == y or norm_y == x:
        return True
    if x in lex.aliases and y in lex.aliases:  # (the lexicon's forms are aliases of their own norm too)
        return False  # both known, under different names
    if y in lex.titles or x in lex.titles:
        return False
    hx, hy = _hangul_share(x), _hangul_share(y)
    if hx > 0.5 and hy > 0.5:
        return _abbreviates(y, x) or _abbreviates(x, y)
    return True


def parenthesised_aliases(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    """``X(Y)`` and ``X(이하 Y)``: an alias in parentheses gets the label and name of X, and vice versa."""
    found = []
    tok = token_columns(doc)
    words, tags, n = tok.words, tok.base_tags, len(tok.words)
    ents = entity_spans(doc)
    by_end = {ent.end: ent for ent in ents}
    by_start = {ent.start: ent for ent in ents}
    table = entity_info(doc)

    def from_model(ent: Span) -> bool:  # the model's spans give way to this rule (see commit)
        return getattr(table.get((ent.start_char, ent.end_char)), "source", "") == "model"

    taken = entity_tokens(doc, ents)
    for paren in [i for i, word in enumerate(words) if word == "("]:
        close = next((i for i in range(paren + 1, min(n, paren + 12)) if words[i] == ")"), None)
        if close is None or close == paren + 1:
            continue
        inner_start = paren + 1
        if words[inner_start] == "이하":
            inner_start += 1
            while inner_start < close and tok.is_space[inner_start]:
                inner_start += 1
        if inner_start >= close:
            continue
        outer = by_end.get(paren)
        inner = by_start.get(inner_start)
        inner_is_whole = inner is not None and inner.end == close
        head_of = title_and_name(doc, inner_start, close, lex)
        if head_of is not None:  # 포천시(시장 박윤국): a title and the person holding it
            title, person = head_of
            found.append((title, EntityInfo(norm=lex.titles.get(title.text, title.text), source="rule")))
            found.append((person, EntityInfo(source="rule")))
            continue
        inner_is_free = inner is None or (from_model(inner) and not inner_is_whole)  # DevDay| Exchange
        if outer is not None and inner_is_free and not any(i in taken for i in range(inner_start, close)):
            if len(tok.span_text(inner_start, close)) <= 30 and all(
                    tags[i] in NAME_OR_SPACE_TAGS for i in range(inner_start, close)) \
                    and (words[paren + 1] == "이하" or can_name(outer.text, tok.span_text(inner_start, close), lex)):
                found.append((Span(doc, inner_start, close, label=outer.label_),
                              EntityInfo(norm=outer._.info.norm or outer.text, source="rule")))
        elif outer is None and inner_is_whole and inner.label_ in {"OG", "EV", "AF", "LC"}:
            # Y is known, X before the parenthesis is its Korean full form.
            start = None
            for w_start, w_end in words_before(doc, paren, limit=4):
                if not all(tags[i] in NAME_TAGS for i in range(w_start, w_end)):
                    break
                start = w_start
            quote = next((i for i in range(max(0, paren - 12), paren) if words[i] in QUOTES_OPEN), None)
            if quote is not None and start is not None and quote + 1 <= paren:
                start = quote + 1
            if start is not None and start < paren:
                text = tok.span_text(start, paren)
                if text.strip() and text not in lex.not_entities and (
                        words[paren + 1] == "이하" or can_name(text, inner.text, lex)):
                    found.append((Span(doc, start, paren, label=inner.label_), EntityInfo(source="rule")))
    return found



def alias_mentions(doc: Doc) -> list[tuple[Span, EntityInfo]]:
    """Later bare mentions of an alias introduced in parentheses (``(이하 AFC)`` ... ``AFC는``)."""
    table = entity_info(doc)
    tok = token_columns(doc)
    aliases: dict[str, tuple[str, str, int]] = {}
    ents = entity_spans(doc)
    for ent in ents:
        info = table.get((ent.start_char, ent.end_char))
        if info is None or info.source != "rule" or not info.norm:
            continue
        text = tok.text[ent.start_char:ent.end_char]
        if info.norm != text and ent.start > 0 and tok.words[ent.start - 1] in ("(", "이하"):
            aliases.setdefault(text, (ent.label_, info.norm, ent.end_char))
    if not aliases:
        return []
    taken = entity_tokens(doc, ents)
    found = []
    for alias, (label, norm, after) in aliases.items():
        position = tok.text.find(alias, after)
        while position >= 0:
            span = doc.char_span(position, position + len(alias), label=label)
            if span is not None and not any(i in taken for i in range(span.start, span.end)) \
                    and not glued_at(tok, span.end):
                found.append((span, EntityInfo(norm=norm, source="rule")))
            position = tok.text.find(alias, position + len(alias))
    return found
