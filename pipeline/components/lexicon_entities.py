"""Component ``lexicon_entities``: the lexicon's names and the stand-alone titles, matched as phrases.

Writes ``doc.ents`` and their details (source ``lexicon``, norm = the lexicon's canonical name).
The lexicon's names are the strongest source: they win every overlap but a delimited name's
(see :mod:`pipeline.entities.spans`).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..entities.lexicons import DEFAULT_LEXICON, ruler_patterns
from ..entities.spans import commit
from ..entities.spans import enabled
from ..entities.words import followed_by_verb_suffix, glued_to_noun
from ..records import EntityInfo


@Language.factory("lexicon_entities", default_config={"lexicon": DEFAULT_LEXICON},
                  assigns=["doc.ents", "doc._.entity_info"])
def make_lexicon_entities(nlp, name: str, lexicon: str):
    """The lexicon and stand-alone titles as phrase patterns (spaCy's PhraseMatcher, the engine of
    the EntityRuler's phrase patterns).

    Patterns are tokenized by the pipeline's own Kiwi tokenizer, so a name matches exactly where
    Kiwi makes it a token sequence of its own (``카카오`` in ``카카오와``, not inside ``카카오톡``).
    Each pattern's key carries its label and canonical name.
    """
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    patterns = ruler_patterns(lexicon)
    keys: dict[int, tuple[str, str]] = {}
    for pattern, doc in zip(patterns, nlp.tokenizer.pipe(p["pattern"] for p in patterns)):
        key = f"{pattern['label']}\t{pattern['id']}"
        keys[nlp.vocab.strings.add(key)] = (pattern["label"], pattern["id"])
        words = [t.text for t in doc if not t.is_space]
        if words:
            matcher.add(key, [Doc(nlp.vocab, words=words)])

    def annotate(doc: Doc) -> Doc:
        if not enabled("lexicon"):
            commit(doc, [])
            return doc
        found = []
        for match_id, start, end in matcher(doc):
            label, norm = keys[match_id]
            span = Span(doc, start, end, label=label)
            if (label == "CV" and glued_to_noun(span)) or followed_by_verb_suffix(span):
                continue
            found.append((span, EntityInfo(norm=norm, source="lexicon")))
        commit(doc, found)
        return doc

    return annotate
