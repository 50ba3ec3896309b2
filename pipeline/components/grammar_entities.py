"""Component ``grammar_entities``: QT, DT and TI mentions with their values, from the normaliser.

Runs :func:`pipeline.normalize.find_expressions` sentence by sentence against ``doc._.published``;
splits tokens where an expression ends inside one (``8강`` in ``8강전``) and writes ``doc.ents`` with
each expression's value, unit, norm and hedge (source ``grammar``).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..entities.spans import char_spans, commit
from ..normalize import find_expressions
from ..records import EntityInfo, sentence_index, token_columns


@Language.factory("grammar_entities", assigns=["doc.ents", "doc._.entity_info"], retokenizes=True)
def make_grammar_entities(nlp, name: str):
    def annotate(doc: Doc) -> Doc:
        found = []
        text = token_columns(doc).text
        published = doc._.published  # read once: each ``doc._`` access builds an Underscore object
        for sent in sentence_index(doc):
            base = sent.start_char
            for expr in find_expressions(text[base:sent.end_char], published):
                found.append((base + expr.start, base + expr.end, expr))
        spans = char_spans(doc, [(s, e, x.label) for s, e, x in found])
        by_key = {(s, e): x for s, e, x in found}
        new = []
        for span in spans:
            expr = by_key[(span.start_char, span.end_char)]
            new.append((span, EntityInfo.from_reading(expr, source="grammar")))
        commit(doc, new)
        return doc

    return annotate
