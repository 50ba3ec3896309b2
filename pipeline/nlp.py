"""The pipeline as one spaCy ``Language``: Kiwi tokenizer, then the stages of
:mod:`pipeline.components` in order (``STAGES``); the trained NER and its screen join when
``pipeline/models/ner`` is present. :class:`Extractor` runs the pipeline
over :class:`~pipeline.reader.Article` records in batches, isolating an article that fails.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .components import LEXICON_STAGES, MODEL_STAGES, STAGES
from .components.tokenizer import KIWI_CUTOFF_THRESHOLD, KiwiTokenizer, read_user_words
from .reader import Article
from .resources import resource_path

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent / "models" / "ner"


def model_available(model_dir: Path = MODEL_DIR) -> bool:
    return (model_dir / "meta.json").exists() or (model_dir / "config.cfg").exists()


def build_nlp(lexicon: str = "lexicon.tsv", use_model: bool | None = None, num_workers: int = 1,
              kiwi_cutoff: float | None = KIWI_CUTOFF_THRESHOLD) -> Language:
    """The full pipeline. ``use_model=None`` uses the trained NER when it is installed;
    ``kiwi_cutoff``: Kiwi's beam pruning (see :data:`pipeline.components.tokenizer.KIWI_CUTOFF_THRESHOLD`)."""
    nlp = spacy.blank("xx")
    user_words = read_user_words(resource_path(lexicon))
    nlp.tokenizer = KiwiTokenizer(nlp.vocab, user_words, num_workers=num_workers, cutoff_threshold=kiwi_cutoff)
    if use_model is None:
        use_model = model_available()
    for stage in STAGES:
        if stage in MODEL_STAGES and not use_model:
            continue
        if stage == "ner":
            add_trained_ner(nlp, MODEL_DIR)
            continue
        nlp.add_pipe(stage, config={"lexicon": lexicon} if stage in LEXICON_STAGES else {})
    return nlp


def add_trained_ner(nlp: Language, model_dir: Path = MODEL_DIR) -> None:
    """Source every component of the trained pipeline (tok2vec and ner) into ``nlp``."""
    if not model_available(model_dir):
        raise FileNotFoundError(f"no trained NER at {model_dir}: run `make train` to build it")
    from thinc.api import use_ops

    from .models import load_ner_pipeline

    # thinc multiplies matrices with BLIS by default. BLIS 0.7 does not know every x86 CPU (not
    # the AVX-512 AMD EPYC this runs on) and falls back to its reference kernel, which made half
    # of the NER's time; numpy's BLAS does the same products about 2.5 times faster. The models
    # built while loading take the current ops. (The last bits of the scores can differ: the
    # entities found were the same on 7,791 texts, Wikinews, KLUE NER and KLUE RE.)
    with use_ops("numpy", use_blis=False):
        trained = load_ner_pipeline(model_dir)
    for name in trained.pipe_names:  # feature components first, then ner, as trained
        nlp.add_pipe(name, source=trained)


@dataclass
class Processed:
    article: Article
    doc: Doc | None


TOKENIZER_STAGE = "morph"


class Extractor:
    """Articles in, (article, Doc) out, in input order; errors stay with their article.

    Components run batch by batch (the tokenizer's own ``pipe`` first, so Kiwi sees a batch),
    and the time spent in each stage is summed in :attr:`stage_seconds` (``morph`` is the
    tokenizer). An article that makes a stage fail is redone alone and gets the error.
    """

    def __init__(self, nlp: Language | None = None, batch_size: int = 32):
        self.nlp = nlp or build_nlp()
        self.batch_size = batch_size
        self.stage_seconds: dict[str, float] = {}

    def process(self, articles: Iterable[Article]) -> Iterator[Processed]:
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.batch_size:
                yield from self._process_batch(batch)
                batch = []
        if batch:
            yield from self._process_batch(batch)

    def warm_up(self) -> None:
        """Load Kiwi and run every stage once, so that timing starts on a warm pipeline."""
        self._run([Article(article_id="warm-up", source="", text="서울=연합뉴스 김철수 기자 2025년 1월 2일 삼성전자는 10억원을 투자했다.\n")])

    def _time(self, stage: str, started: float) -> None:
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + time.perf_counter() - started

    def _run(self, articles: list[Article]) -> list[Doc]:
        started = time.perf_counter()
        texts = [a.text for a in articles]
        tokenizer = self.nlp.tokenizer
        # The Kiwi tokenizer can hand the token columns it built the Doc from to the rule stages.
        docs = list(tokenizer.pipe(texts, keep_columns=True) if isinstance(tokenizer, KiwiTokenizer)
                    else tokenizer.pipe(texts))
        for article, doc in zip(articles, docs):
            doc._.article_id = article.article_id
            doc._.published = article.published
        self._time(TOKENIZER_STAGE, started)
        for name, proc in self.nlp.pipeline:
            started = time.perf_counter()
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs))
            else:
                docs = [proc(doc) for doc in docs]
            self._time(name, started)
        return docs

    def _process_batch(self, batch: list[Article]) -> Iterator[Processed]:
        good = [a for a in batch if a.ok]
        results: dict[int, Doc | None] = {}
        try:
            for article, doc in zip(good, self._run(good) if good else []):
                results[id(article)] = doc
        except Exception:  # one bad article must not sink the batch: redo one by one
            for article in good:
                try:
                    results[id(article)] = self._run([article])[0]
                except Exception as exc:  # noqa: BLE001 - reported per article
                    log.warning("article %s failed: %s: %s", article.article_id, type(exc).__name__, exc)
                    log.debug("article %s failed", article.article_id, exc_info=True)
                    article.error = f"processing failed: {type(exc).__name__}: {exc}"
                    results[id(article)] = None
        for article in batch:
            yield Processed(article, results.get(id(article)))
