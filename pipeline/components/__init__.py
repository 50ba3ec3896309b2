"""The pipeline's stages, one registered spaCy component per module, in the order they run.

    tokenizer         Kiwi morphemes -> tokens with tags, lemmas, sentence starts (``nlp.tokenizer``)
    layout            article regions: metadata, headline block, captions, byline, body
    ner               the trained NER (``pipeline/models/ner``; sourced, with its feature component)
    model_screen      the NER's spans kept only where the conventions allow them
    lexicon_entities  lexicon names and stand-alone titles
    grammar_entities  QT / DT / TI with values (the normaliser)
    rule_entities     general rules: bylines, titles, compounds, quotes, aliases, addresses
    entity_cleanup    the conventions' exclusions; josa trimmed
    canonical_names   one norm and one entity id per entity
    relations         relations between the entities of a sentence

Each factory declares what it ``requires`` and ``assigns`` (``nlp.analyze_pipes()`` checks the
order) and whether it ``retokenizes``. ``STAGES`` is this order; ``MODEL_STAGES`` join only when the
trained NER is installed.
"""
from __future__ import annotations

from . import (  # noqa: F401  (importing a module registers its factory)
    canonical_names,
    entity_cleanup,
    grammar_entities,
    layout,
    lexicon_entities,
    model_screen,
    relations,
    rule_entities,
    tokenizer,
)

STAGES = ("layout", "ner", "model_screen", "lexicon_entities", "grammar_entities", "rule_entities",
          "entity_cleanup", "canonical_names", "relations")
MODEL_STAGES = frozenset({"ner", "model_screen"})
# Stages that read the user's lexicon (their ``lexicon`` setting).
LEXICON_STAGES = frozenset({"model_screen", "lexicon_entities", "rule_entities", "entity_cleanup",
                            "canonical_names", "relations"})
