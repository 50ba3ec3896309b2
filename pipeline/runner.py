"""Running the pipeline over a corpus: streaming, engines, cache, progress.

    read (stream) -> batches -> [cache hit?] -> engine (inline | processes | dask) -> rows
                  -> TableWriter (temporary files, renamed into place at the end)

* Articles are read lazily and processed in batches; at most a few batches per worker are in
  flight, so memory does not grow with the corpus.
* Engines (:mod:`pipeline.engines`): ``inline`` (this process; what ``--workers 1`` and small
  inputs use), ``processes``, ``dask``. Workers (:mod:`pipeline.worker`) build the pipeline once and
  turn Docs into rows; only rows travel back. Results are written in input order, so the tables are
  the same whatever the engine and the number of workers.
* Small inputs: with ``--engine auto`` a run whose input holds less than :data:`SMALL_INPUT_CHARS`
  characters runs inline, whatever ``--workers`` says: starting a pool of processes, each loading
  the model, costs more than it saves (``docs/scale.md``).
* Incremental: a result cache under ``OUT/.cache`` keyed by content hash and pipeline version.
* Failures: an article that breaks a stage gets status ``error`` (see :class:`~pipeline.nlp.Extractor`);
  a batch whose worker dies is retried one article at a time, and the article that kills a
  worker again is reported as failed.
* Nothing is written when the run read no article: the previous tables stay as they were.
"""
from __future__ import annotations

import itertools
import logging
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .engines import ENGINES, DaskEngine, EngineError, InlineEngine, ProcessEngine, make_engine  # noqa: F401
from .reader import Article, read_articles
from .rows import DocRows
from .tables import TableWriter, article_tables
from .worker import (SEGMENT_CHARS, Payload, _peak_rss_mb, init_worker, join_segments,  # noqa: F401
                     process_payload, segments)

log = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 1000
# Below this many characters of input a pool of worker processes costs more than it saves: each
# worker spawns and loads the model before its first article. Measured on Wikinews, 2 cores: start-up
# 2.3-2.6 s inline against 4.3-5.8 s for 2 processes; 400 articles (210,000 characters) took 8.1 s
# wall inline and 10.4 s with 2 processes. With the throughputs of `make bench` (79,000 characters/s
# inline, 136,500 with 2 workers) the 2-3 s more start-up is won back from about 600,000 characters.
SMALL_INPUT_CHARS = 600_000


# --------------------------------------------------------------------------- progress

class Progress:
    """A progress bar on standard error (articles/s, ETA); silent when disabled."""

    def __init__(self, enabled: bool, total: int | None):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="art", file=sys.stderr, dynamic_ncols=True, smoothing=0.1,
                            desc="extract")

    def update(self, n: int, failed: int) -> None:
        if self.bar is not None:
            self.bar.update(n)
            if failed:
                self.bar.set_postfix(failed=failed, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --------------------------------------------------------------------------- the run

@dataclass
class RunOptions:
    inputs: list[str]
    out: str
    metadata: str | None = None
    tokens: bool = False
    fmt: str = "csv"
    batch_size: int = 32
    workers: int = 1
    engine: str = "auto"
    scheduler: str | None = None
    use_model: bool | None = None
    cache: bool = True
    force: bool = False
    progress: bool = False
    part_articles: int = 10_000


@dataclass
class RunStats:
    articles: int = 0
    ok: int = 0
    failed: int = 0
    processed: int = 0  # went through the pipeline in this run
    cached: int = 0  # rows taken from the cache
    chars_processed: int = 0
    entities: int = 0
    relations: int = 0
    startup_seconds: float = 0.0
    seconds: float = 0.0  # from the first batch to the tables in place
    stage_seconds: dict[str, float] = field(default_factory=dict)
    worker_rss_mb: dict[int, float] = field(default_factory=dict)
    main_rss_mb: float = 0.0
    engine: str = ""
    workers: int = 1
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = dict(self.__dict__)
        data["worker_rss_mb"] = {str(k): v for k, v in self.worker_rss_mb.items()}
        return data


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _payload(articles: list[Article]) -> Payload:
    return [(a.article_id, a.text, a.published.isoformat() if a.published else "") for a in articles]


@dataclass
class _Pending:
    batch: list[Article]
    rows: dict[int, DocRows | None]  # index in batch -> rows (cache hits filled in)
    todo: list[int]  # indexes sent to the engine
    keys: dict[int, str]
    handle: Any = None


class Runner:
    def __init__(self, options: RunOptions, articles: Iterable[Article] | None = None):
        self.o = options
        self.articles = articles
        self.stats = RunStats()

    # The engine call for one pending batch, with recovery from a dead worker.
    def _results(self, item: _Pending) -> list[tuple[str, Any]]:
        if not item.todo:
            return []
        try:
            return self._absorb(item.handle.result())
        except Exception as exc:  # noqa: BLE001 - a lost worker or a broken pool
            log.warning("batch failed in the engine (%s: %s); retrying its articles one by one",
                        type(exc).__name__, exc)
        results = []
        for index in item.todo:
            article = item.batch[index]
            for attempt in range(2):
                if hasattr(self.engine, "recover") and attempt:
                    self.engine.recover()
                try:
                    results += self._absorb(self.engine.submit(_payload([article]), self.o.tokens).result())
                    break
                except Exception as exc:  # noqa: BLE001
                    if attempt:
                        results.append((f"worker failed on this article: {type(exc).__name__}: {exc}", None))
                    elif hasattr(self.engine, "recover"):
                        continue
        return results

    def _absorb(self, answer: dict) -> list[tuple[str, Any]]:
        for stage, seconds in answer["stages"].items():
            self.stats.stage_seconds[stage] = self.stats.stage_seconds.get(stage, 0.0) + seconds
        pid = answer["pid"]
        self.stats.worker_rss_mb[pid] = max(self.stats.worker_rss_mb.get(pid, 0.0), answer["rss_mb"])
        return answer["results"]

    def _finish(self, item: _Pending) -> None:
        results = self._results(item)
        started = time.perf_counter()
        for index, (error, data) in zip(item.todo, results):
            article = item.batch[index]
            self.stats.processed += 1
            self.stats.chars_processed += len(article.text)
            if error:
                article.error = error
                item.rows[index] = None
                continue
            rows = DocRows.from_json(data)
            item.rows[index] = rows
            if self.cache is not None:
                self.cache.put(item.keys[index], rows)
        failed = 0
        for index, article in enumerate(item.batch):
            tables = article_tables(article, item.rows.get(index), self.o.tokens)
            self.writer.write_article(tables)
            self.stats.articles += 1
            row = tables["articles"][0]
            if row.status == "ok":
                self.stats.ok += 1
            else:
                failed += 1
                if len(self.stats.errors) < MAX_ERRORS_KEPT:
                    self.stats.errors.append((article.article_id, article.source, row.error))
            self.stats.entities += len(tables["entities"])
            self.stats.relations += len(tables["relations"])
        self.stats.failed += failed
        self._add_stage("write", started)
        self.progress.update(len(item.batch), self.stats.failed)

    def _add_stage(self, stage: str, started: float) -> None:
        self.stats.stage_seconds[stage] = self.stats.stage_seconds.get(stage, 0.0) + time.perf_counter() - started

    def _prepare(self, batch: list[Article]) -> _Pending:
        item = _Pending(batch, {}, [], {})
        candidates = [i for i, a in enumerate(batch) if a.ok]
        if self.cache is None and self._open_cache is not None:
            self.cache = self._open_cache()
        if self.cache is not None and candidates:
            item.keys = {i: self.cache.key(batch[i]) for i in candidates}
            hits = {} if self.o.force else self.cache.get_many(list(set(item.keys.values())))
            for i in candidates:
                rows = hits.get(item.keys[i])
                if rows is not None and (rows.tokens is not None or not self.o.tokens):
                    item.rows[i] = rows
                    self.stats.cached += 1
                else:
                    item.todo.append(i)
        else:
            item.todo = candidates
        if item.todo:
            if not self.engine_started:  # lazily: a run served from the cache loads no pipeline
                self._start_engine()
            item.handle = self.engine.submit(_payload([batch[i] for i in item.todo]), self.o.tokens)
        return item

    def _start_engine(self) -> None:
        started = time.perf_counter()
        self.engine.start()
        self.engine_started = True
        self.stats.workers = self.engine.workers
        self.stats.startup_seconds += time.perf_counter() - started

    def _choose_engine(self, articles: Iterable[Article], use_model) -> Iterable[Article]:
        """The engine for this run; with ``--engine auto`` and more than one worker, the input is read
        ahead up to :data:`SMALL_INPUT_CHARS` characters and a smaller one runs inline."""
        o = self.o
        engine, workers = o.engine, o.workers
        if engine == "auto" and not o.scheduler and workers > 1:
            head, rest, small = _read_ahead(articles, SMALL_INPUT_CHARS)
            articles = itertools.chain(head, rest)
            if small:
                engine, workers = "inline", 1
        self.engine = make_engine(engine, workers, use_model, o.batch_size, o.scheduler)
        self.stats.engine = self.engine.name
        return articles

    def _stream(self, articles: Iterable[Article]) -> None:
        in_flight: deque[_Pending] = deque()
        read_started = time.perf_counter()
        for batch in _batches(articles, self.o.batch_size):
            self._add_stage("read", read_started)
            in_flight.append(self._prepare(batch))
            width = max(1, self.engine.workers)
            while len(in_flight) > 2 * width + 1 or (in_flight and _ready(in_flight[0].handle)
                                                     and len(in_flight) > width):
                self._finish(in_flight.popleft())
            read_started = time.perf_counter()
        while in_flight:
            self._finish(in_flight.popleft())

    def _close(self, committed: bool) -> None:
        if not committed:
            self.writer.abort()
        self.progress.close()
        if self.cache is not None:
            try:
                self.cache.close()
            except Exception:  # noqa: BLE001
                log.exception("could not save the cache")
        if self.engine_started:
            self.engine.close()

    def run(self) -> RunStats:
        from .cache import CACHE_DIR_NAME, ResultCache, pipeline_version

        o = self.o
        use_model = o.use_model
        if use_model is None:
            from .nlp import model_available

            use_model = model_available()
        self.engine_started = False
        started = time.perf_counter()
        articles = self.articles if self.articles is not None else read_articles(o.inputs, o.metadata)
        articles = self._choose_engine(articles, use_model)
        total = None
        if o.progress and self.articles is None:
            from .reader import count_articles

            total = count_articles(o.inputs)
        # Opened with the first batch: a run that reads nothing leaves OUT as it was, cache included.
        self.cache = None
        self._open_cache = (lambda: ResultCache(Path(o.out) / CACHE_DIR_NAME, pipeline_version(bool(use_model)))) \
            if o.cache else None
        self.writer = TableWriter(o.out, o.fmt, o.tokens, o.part_articles)
        self.progress = Progress(o.progress, total)
        committed = False
        try:
            self._stream(articles)
            if self.stats.articles:  # a run that read nothing leaves the previous tables alone
                commit_started = time.perf_counter()
                self.stats.written = [str(p) for p in self.writer.commit()]
                committed = True
                self._add_stage("write", commit_started)
        finally:
            self._close(committed)
        self.stats.seconds = time.perf_counter() - started - self.stats.startup_seconds
        self.stats.main_rss_mb = _peak_rss_mb()
        return self.stats


def _read_ahead(articles: Iterable[Article], limit_chars: int) -> tuple[list[Article], Iterator[Article], bool]:
    """(the articles read, the rest, whether the input ended before ``limit_chars`` characters)."""
    rest = iter(articles)
    head: list[Article] = []
    chars = 0
    for article in rest:
        head.append(article)
        chars += len(article.text)
        if chars >= limit_chars:
            return head, rest, False
    return head, rest, True


def _ready(handle) -> bool:
    if handle is None:
        return True
    done = getattr(handle, "done", None)
    return bool(done()) if callable(done) else True


def run_extract(options: RunOptions, articles: Iterable[Article] | None = None) -> RunStats:
    """Run the pipeline over ``options.inputs`` (or the given ``articles``) into ``options.out``."""
    return Runner(options, articles).run()
