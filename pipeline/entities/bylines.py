"""Bylines: ``홍길동 연합뉴스 기자``, ``김대영 한경닷컴 기자 kdy@hankyung.com``.

In a byline region (:mod:`pipeline.layout`), a two-to-four-syllable name, an optional outlet and a
byline title (``resources/byline_titles.tsv``) give PS, OG and CV.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from .. import layout
from ..records import EntityInfo, token_columns
from .lexicons import Lexicons
from .spans import char_spans


@lru_cache(maxsize=8)
def _byline_pattern(lex: Lexicons) -> re.Pattern:
    titles = "|".join(sorted(map(re.escape, lex.byline_titles), key=len, reverse=True))
    return re.compile(rf"(?P<name>[가-힣]{{2,4}})\s+(?:(?P<outlet>[^\s@]+?)\s+)?(?P<title>{titles})(?=\s|$|[=/])")



def byline_entities(doc: Doc, lex: Lexicons) -> list[tuple[Span, EntityInfo]]:
    pattern = _byline_pattern(lex)
    text = token_columns(doc).text
    found = []
    for region in doc._.regions or []:
        if region.kind != layout.BYLINE:
            continue
        match = pattern.search(text, region.start, region.end)
        if not match:
            continue
        for group, label in (("name", "PS"), ("outlet", "OG"), ("title", "CV")):
            if match.group(group):
                found.append((match.start(group), match.end(group), label))
    spans = char_spans(doc, found)
    return [(span, EntityInfo(norm=lex.titles.get(span.text, span.text), source="rule")) for span in spans]
