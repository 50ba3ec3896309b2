"""Trained models shipped inside the package (no download at run time).

``ner/``      spaCy pipeline (Kiwi tokenizer + ``ner``), the project's 9 labels. CC BY-SA 4.0 (see
              ner/SOURCE.md). Trained by ``make train``; scored by ``make eval-ner``.
(The KLUE benchmark model, a vote of three seeds, is no part of the package: it lives in
``training/models/ner_klue`` with its recipe; ``make eval-ner`` scores it.)

Ways to use the NER model at run time (all offline):

    import pipeline.components.tokenizer, spacy                 # the tokenizer must be registered first
    nlp = spacy.load(pipeline.models.NER_DIR)    # whole pipeline: Kiwi tokenizer + ner

    pipeline.models.add_ner(nlp)                 # source gazetteer feature + ner into your nlp
    ner = pipeline.models.load_ner(nlp.vocab)    # or one Doc -> Doc callable on your vocab

The ``ner`` component owns its tok2vec (no listener). It reads ``token.morph`` set by the
``konne_gazetteer_feature`` component (pipeline/models/gazetteer_feature.py) that runs before it:
source both (``add_ner`` does), never ``ner`` alone, or it loses its gazetteer input.
Extra names (e.g. the user lexicon) can be added to the feature at run time:
``nlp.get_pipe("konne_gazetteer_feature").table.update({"오픈AI": "OG"})``.
"""
from __future__ import annotations

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
NER_DIR = MODELS_DIR / "ner"


def load_ner_pipeline(path: str | Path = NER_DIR, vocab=True):
    """The shipped NER pipeline (Kiwi tokenizer + ner) as a spaCy ``Language``."""
    import spacy

    import pipeline.components.tokenizer  # noqa: F401  (registers kiwi_tokenizer.v1; else spaCy error E893)
    from pipeline.models import architectures, biluo_ner, gazetteer_feature  # noqa: F401  (register the NER's parts)

    return spacy.load(path, vocab=vocab)


GAZETTEER = "konne_gazetteer_feature"


class NerStage:
    """``Doc -> Doc``: the gazetteer feature, then the trained ``ner`` (what ``load_ner`` gives)."""

    def __init__(self, nlp):
        self.components = [proc for _name, proc in nlp.pipeline]
        self.ner = nlp.get_pipe("ner")

    def __call__(self, doc):
        for proc in self.components:
            doc = proc(doc)
        return doc

    def pipe(self, docs, batch_size: int = 256):
        for proc in self.components:
            docs = proc.pipe(docs, batch_size=batch_size)
        yield from docs


def load_ner(vocab, path: str | Path = NER_DIR) -> NerStage:
    """The trained stage on ``vocab``: gazetteer feature + ``ner``, as one callable."""
    return NerStage(load_ner_pipeline(path, vocab=vocab))


def add_ner(nlp, name: str = "ner", path: str | Path = NER_DIR, **add_pipe_kwargs):
    """Add the trained ``ner`` to ``nlp``, preceded by the gazetteer feature it was trained with
    (``before=``/``after=``/``first=`` as for ``nlp.add_pipe``; both go there, in order)."""
    source = load_ner_pipeline(path)
    if GAZETTEER in source.pipe_names and GAZETTEER not in nlp.pipe_names:
        nlp.add_pipe(GAZETTEER, source=source, **add_pipe_kwargs)
        return nlp.add_pipe("ner", name=name, source=source, after=GAZETTEER)
    return nlp.add_pipe("ner", name=name, source=source, **add_pipe_kwargs)
