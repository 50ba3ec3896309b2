"""Component ``entity_cleanup``: the conventions' exclusions over every entity found so far.

Trims josa and punctuation off spans, drops mentions in metadata lines, e-mail and web addresses,
words the conventions exclude (``resources/not_entities.tsv``), generic phrases (``한국 정부``),
plural titles (``기자들``), laws and treaties (``resources/not_entity_heads.tsv``), and cuts a
particle Kiwi left glued to an unknown foreign name when the article writes the name without it.
Splits a token where it cuts a particle off; writes ``doc.ents`` and their details.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import layout
from ..entities.exclusions import (
    excluded_head,
    generic_compound,
    glued_josa_cut,
    is_group,
    pair_abbreviation,
)
from ..entities.lexicons import DEFAULT_LEXICON, Lexicons, lexicons
from ..entities.spans import enabled
from ..entities.spans import char_spans, trim_function_tokens
from ..records import (
    EntityInfo,
    TokenColumns,
    entity_info,
    entity_spans,
    set_entity_spans,
    token_columns,
)


@Language.factory("entity_cleanup", default_config={"lexicon": DEFAULT_LEXICON},
                  requires=["doc.ents", "doc._.regions", "doc._.entity_info"],
                  assigns=["doc.ents", "doc._.entity_info"], retokenizes=True)
def make_entity_cleanup(nlp, name: str, lexicon: str):
    def annotate(doc: Doc) -> Doc:
        clean_entities(doc, lexicons(lexicon))
        return doc

    return annotate


def clean_entities(doc: Doc, lex: Lexicons) -> None:
    table = entity_info(doc)
    ents, n_tokens = entity_spans(doc), len(doc)
    kept = _kept(doc, ents, table, lex)
    if all(end_char == span.end_char for span, end_char, _ in kept):
        # No particle to cut off (most articles): no token to split, and the kept spans are
        # those char_spans() would make again from their offsets.
        spans = [span for span, _, _ in kept]
        infos = {(span.start_char, span.end_char): info for span, _, info in kept}
    else:
        spans = char_spans(doc, [(span.start_char, end_char, span.label_) for span, end_char, _ in kept])
        infos = {(span.start_char, end_char): info for span, end_char, info in kept}
    table.clear()
    for span in spans:
        table[(span.start_char, span.end_char)] = infos[(span.start_char, span.end_char)]
    # ``ents`` are still the Doc's entities unless char_spans() split tokens: then their token
    # offsets are out of date, and the new spans must be assigned whatever they are.
    set_entity_spans(doc, spans, ents if len(doc) == n_tokens else None)


def _kept(doc: Doc, ents, table: dict, lex: Lexicons) -> list[tuple[Span, int, EntityInfo]]:
    """(trimmed span, its end offset after a glued particle is cut, details) of every entity kept."""
    meta = [(r.start, r.end) for r in doc._.regions or [] if r.kind == layout.META]
    tok = token_columns(doc)
    # Web addresses, e-mails and hashtags (Kiwi's W_ tags) are rare: one test on the joined
    # tags tells that most articles have none.
    web_tokens = [i for i, tag in enumerate(tok.base_tags) if tag.startswith("W_")] \
        if "W_" in "\n".join(tok.base_tags) else []
    kept = []
    for ent in ents:
        info = table.get((ent.start_char, ent.end_char))
        if info is None:  # (not a default argument to get(): that is built for every entity)
            info = EntityInfo()
        span = trim_function_tokens(ent)
        if span is None or (enabled("cleanup") and _excluded(tok, span, lex, meta, web_tokens)):
            continue
        end_char = span.end_char
        if info.source in ("model", "rule") and glued_josa_cut(tok, span):
            end_char -= 1
        kept.append((span, end_char, info))
    return kept


def _excluded(tok: TokenColumns, span: Span, lex: Lexicons, meta: list, web_tokens: list[int]) -> bool:
    text = tok.text[span.start_char:span.end_char]
    if meta and any(s <= span.start_char < e for s, e in meta):
        return True
    if text in lex.not_entities or (web_tokens and any(span.start <= i < span.end for i in web_tokens)):
        return True
    if span.label_ == "PS" and len(text) < 2:
        return True
    if span.label_ in {"OG", "LC"} and enabled("pair_abbreviations") and pair_abbreviation(tok, span):
        return True
    if generic_compound(tok, span, lex) or (span.label_ == "CV" and is_group(tok, span)):
        return True
    # 차별금지법, 파리협정: laws and treaties are not entities
    return span.label_ in {"PS", "OG", "LC", "AF", "EV"} and excluded_head(text, lex)
