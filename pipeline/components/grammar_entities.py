"""Component ``grammar_entities``: QT, DT and TI mentions with their values, from the normaliser.

Runs :func:`pipeline.normalize.find_expressions` sentence by sentence against ``doc._.published``, passing
each sentence the article's last date and year so far (anaphoric 이날, 같은 날, 전날 refer back to it);
splits tokens where an expression ends inside one (``8강`` in ``8강전``) and writes ``doc.ents`` with
each expression's value, unit, norm and hedge (source ``grammar``).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..entities.spans import char_spans, commit
from ..normalize import find_expressions, earlier_dates
from ..records import EntityInfo, sentence_index, token_columns


@Language.factory("grammar_entities", assigns=["doc.ents", "doc._.entity_info"], retokenizes=True)
def make_grammar_entities(nlp, name: str):
    def annotate(doc: Doc) -> Doc:
        found = [(base + expr.start, base + expr.end, expr)
                 for base, exprs in sentence_expressions(doc) for expr in exprs]
        doc.user_data.pop("sentence_expressions", None)  # (no Python objects left in a Doc that may be serialised)
        spans = char_spans(doc, [(s, e, x.label) for s, e, x in found])
        by_key = {(s, e): x for s, e, x in found}
        new = []
        for span in spans:
            expr = by_key[(span.start_char, span.end_char)]
            new.append((span, EntityInfo.from_reading(expr, source="grammar")))
        commit(doc, new)
        return doc

    return annotate


def sentence_expressions(doc: Doc) -> list[tuple[int, list]]:
    """(sentence start offset, the normaliser's expressions of the sentence) for every sentence, each read
    against ``doc._.published`` and the article's last date and year so far (이날, 같은 날, 그해 in later
    sentences refer to them). Read once per Doc: the model screen asks first, this component after it."""
    cached = doc.user_data.get("sentence_expressions")
    if cached is not None:
        return cached
    text = token_columns(doc).text
    published = doc._.published  # read once: each ``doc._`` access builds an Underscore object
    earlier, out = None, []
    for sent in sentence_index(doc):
        exprs = find_expressions(text[sent.start_char:sent.end_char], published, earlier)
        earlier = earlier_dates(exprs, earlier)
        out.append((sent.start_char, exprs))
    doc.user_data["sentence_expressions"] = out
    return out
