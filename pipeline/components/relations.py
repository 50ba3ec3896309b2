"""Component ``relations``: the relations each sentence states between its entities
(:mod:`pipeline.relations`). Writes ``doc._.relations``, a list of :class:`pipeline.records.Relation`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..entities.lexicons import DEFAULT_LEXICON
from ..relations import extract_relations


@Language.factory("relations", default_config={"lexicon": DEFAULT_LEXICON},
                  requires=["doc.ents", "doc._.entity_info", "doc._.regions", "doc._.short_refs"],
                  assigns=["doc._.relations"])
def make_relations(nlp, name: str, lexicon: str):
    def annotate(doc: Doc) -> Doc:
        doc._.relations = extract_relations(doc, lexicon)
        return doc

    return annotate
