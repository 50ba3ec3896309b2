"""The pipeline as one spaCy ``Language``: Kiwi tokenizer, then the named stages in order.

    layout -> [ner] -> lexicon_entities -> grammar_entities -> rule_entities
           -> entity_cleanup -> canonical_names -> relations

Each stage is a registered spaCy component (see ``entities.py`` and ``relations.py``); the
trained NER joins when ``pipeline/models/ner`` is present. :class:`Extractor` runs the pipeline
over :class:`~pipeline.reader.Article` records in batches, isolating an article that fails.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import entities as _entities  # noqa: F401  (registers the entity components)
from . import relations as _relations  # noqa: F401  (registers the relations component)
from .morph import KiwiTokenizer, read_user_words
from .reader import Article
from .resources import resource_path

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent / "models" / "ner"
STAGES = ["layout", "ner", "lexicon_entities", "grammar_entities", "rule_entities", "entity_cleanup",
          "canonical_names", "relations"]


def model_available(model_dir: Path = MODEL_DIR) -> bool:
    return (model_dir / "meta.json").exists() or (model_dir / "config.cfg").exists()


def build_nlp(lexicon: str = "lexicon.tsv", use_model: bool | None = None, num_workers: int = 1) -> Language:
    """The full pipeline. ``use_model=None`` uses the trained NER when it is installed."""
    nlp = spacy.blank("xx")
    user_words = read_user_words(resource_path(lexicon))
    nlp.tokenizer = KiwiTokenizer(nlp.vocab, user_words, num_workers=num_workers)
    if use_model is None:
        use_model = model_available()
    for stage in STAGES:
        if stage == "ner":
            if use_model:
                add_trained_ner(nlp, MODEL_DIR)
            continue
        config = {"lexicon": lexicon} if stage == "lexicon_entities" else {}
        nlp.add_pipe(stage, config=config)
    return nlp


def add_trained_ner(nlp: Language, model_dir: Path = MODEL_DIR) -> None:
    """Source every component of the trained pipeline (tok2vec and ner) into ``nlp``."""
    if not model_available(model_dir):
        raise FileNotFoundError(f"no trained NER at {model_dir}: run `make train` to build it")
    trained = spacy.load(model_dir)
    for name in trained.pipe_names:
        nlp.add_pipe(name, source=trained)


@dataclass
class Processed:
    article: Article
    doc: Doc | None


class Extractor:
    """Articles in, (article, Doc) out; errors stay with their article."""

    def __init__(self, nlp: Language | None = None, batch_size: int = 32):
        self.nlp = nlp or build_nlp()
        self.batch_size = batch_size

    def process(self, articles: Iterable[Article]) -> Iterator[Processed]:
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.batch_size:
                yield from self._process_batch(batch)
                batch = []
        if batch:
            yield from self._process_batch(batch)

    def _prepare(self, articles: list[Article]) -> list[Doc]:
        docs = list(self.nlp.tokenizer.pipe([a.text for a in articles]))
        for article, doc in zip(articles, docs):
            doc._.article_id = article.article_id
            doc._.published = article.published
        return docs

    def _process_batch(self, batch: list[Article]) -> Iterator[Processed]:
        good = [a for a in batch if a.ok]
        results: dict[int, Doc | None] = {}
        try:
            for article, doc in zip(good, self.nlp.pipe(self._prepare(good))):
                results[id(article)] = doc
        except Exception:  # one bad article must not sink the batch: redo one by one
            for article in good:
                try:
                    results[id(article)] = next(iter(self.nlp.pipe(self._prepare([article]))))
                except Exception as exc:  # noqa: BLE001 - reported per article
                    log.exception("article %s failed", article.article_id)
                    article.error = f"processing failed: {type(exc).__name__}: {exc}"
                    results[id(article)] = None
        for article in batch:
            yield Processed(article, results.get(id(article)))
