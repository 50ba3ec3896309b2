"""Component ``canonical_names``: one canonical name and one ``entity_id`` per entity of the article
(:mod:`pipeline.entities.canonical`). Writes ``norm`` and ``entity_id`` into every entity's details.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..entities.canonical import assign_canonical_names
from ..entities.lexicons import DEFAULT_LEXICON, lexicons


@Language.factory("canonical_names", default_config={"lexicon": DEFAULT_LEXICON},
                  requires=["doc.ents", "doc._.entity_info"], assigns=["doc._.entity_info"])
def make_canonical_names(nlp, name: str, lexicon: str):
    def annotate(doc: Doc) -> Doc:
        assign_canonical_names(doc, lexicons(lexicon))
        return doc

    return annotate
