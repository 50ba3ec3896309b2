"""Running the pipeline over a corpus: streaming, worker processes, Dask, cache, progress.

    read (stream) -> batches -> [cache hit?] -> engine (inline | processes | dask) -> rows
                  -> TableWriter (temporary files, renamed into place at the end)

* Articles are read lazily and processed in batches; at most a few batches per worker are in
  flight, so memory does not grow with the corpus.
* Engines: ``inline`` (this process; what ``--workers 1`` uses), ``processes`` (N spawned
  worker processes, one Kiwi with one thread and one spaCy pipeline each), ``dask`` (a
  ``dask.distributed`` cluster: an existing one at ``--scheduler tcp://HOST:PORT`` or a local one).
  Workers build the pipeline once and turn Docs into rows (:class:`~pipeline.tables.DocRows`);
  only rows travel back. Results are written in input order, so the tables are the same
  whatever the engine and the number of workers.
* Incremental: a result cache under ``OUT/.cache`` keyed by content hash and pipeline version.
* Failures: an article that breaks a stage gets status ``error`` (see :class:`~pipeline.nlp.Extractor`);
  a batch whose worker dies is retried one article at a time, and the article that kills a
  worker again is reported as failed.
"""
from __future__ import annotations

import gc
import logging
import os
import resource
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .reader import Article, read_articles
from .tables import DocRows, TableWriter, article_tables

log = logging.getLogger(__name__)

ENGINES = ("auto", "inline", "processes", "dask")
MAX_ERRORS_KEPT = 1000


# --------------------------------------------------------------------------- worker side

_WORKER: dict[str, Any] = {}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def init_worker(use_model: bool | None = None, batch_size: int = 32, warm: bool = True) -> int:
    """Build the pipeline once in this process (Kiwi with one thread, spaCy) and warm it up."""
    key = (use_model, batch_size)
    if _WORKER.get("key") != key:
        import numpy  # noqa: F401  (threadpool_limits acts on the BLAS libraries already loaded)
        from threadpoolctl import threadpool_limits

        from .nlp import Extractor, build_nlp

        # A worker is one core's worth of work (--workers N starts N of them). The NER multiplies
        # its small matrices with numpy's OpenBLAS (pipeline/nlp.py), which would otherwise run a
        # thread per core for them: on 542 articles the NER took 0.74 CPU s on one BLAS thread
        # against 1.10-1.30 s on two, for the same products.
        threadpool_limits(limits=1, user_api="blas")

        extractor = Extractor(build_nlp(use_model=use_model, num_workers=1), batch_size=batch_size)
        if warm:
            try:
                extractor.warm_up()
            except Exception:  # noqa: BLE001 - a stage that fails shows up per article, with its message
                log.warning("warm-up failed", exc_info=True)
        extractor.stage_seconds.clear()
        # The loaded pipeline (Kiwi, spaCy vocab and model, lexicons) lives as long as the worker:
        # moving it out of the collector's generations stops every full collection from walking it.
        gc.collect()
        gc.freeze()
        _WORKER.update(key=key, extractor=extractor)
    return os.getpid()


Payload = list  # [(article_id, text, published ISO or "")]


# Some stages cost more than linear time in the length of one Doc (a 420,000-character article
# took over ten minutes as one Doc); an article longer than this is processed in segments cut at
# paragraph or line breaks, and the rows are joined again (offsets into the whole text).
SEGMENT_CHARS = 20_000


def segments(text: str, limit: int = SEGMENT_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) covering ``text``, each piece at most ``limit`` characters when there is a
    paragraph break, line break, sentence end or space to cut at."""
    pieces, offset = [], 0
    while len(text) - offset > limit:
        window = text[offset:offset + limit]
        cut = -1
        for pattern in ("\n\n", "\n", ". ", " "):
            found = window.rfind(pattern)
            if found > limit // 4:
                cut = found + len(pattern)
                break
        if cut <= 0:
            cut = limit
        pieces.append((offset, text[offset:offset + cut]))
        offset += cut
    pieces.append((offset, text[offset:]))
    return pieces


def join_segments(parts: list[tuple[int, DocRows]]) -> DocRows:
    """One article's rows from the rows of its segments: offsets, sentence, token and entity ids
    continue across segments (entity ids are per segment: a name in two segments has two)."""
    entities, relations, tokens = [], [], None if parts[0][1].tokens is None else []
    sentences = token_base = 0
    entity_ids: dict[tuple[int, str], str] = {}
    for number, (offset, rows) in enumerate(parts):
        for e in rows.entities:
            new_id = entity_ids.setdefault((number, e[0]), f"E{len(entity_ids) + 1}") if e[0] else e[0]
            entities.append([new_id, e[1] + sentences, e[2] + offset, e[3] + offset, *e[4:]])
        for r in rows.relations:  # sentence_id, 7 strings, subj_start, subj_end, obj_start, obj_end, evidence
            relations.append([r[0] + sentences, *r[1:8], r[8] + offset, r[9] + offset, r[10] + offset,
                              r[11] + offset, *r[12:]])
        if tokens is not None:
            for t in rows.tokens or []:
                tokens.append([t[0] + sentences, t[1] + token_base, t[2] + offset, t[3] + offset, *t[4:]])
            token_base += max((t[1] for t in rows.tokens or []), default=-1) + 1
        sentences += rows.n_sentences
    return DocRows(entities, relations, tokens, sentences)


def process_payload(payload: Payload, tokens: bool = False, use_model: bool | None = None,
                    batch_size: int = 32) -> dict:
    """Process articles in this worker: ``{"results": [(error, DocRows json)], "stages", "pid", "rss_mb"}``."""
    import datetime as dt

    from .tables import processed_rows

    init_worker(use_model, batch_size)
    extractor = _WORKER["extractor"]
    before = dict(extractor.stage_seconds)
    pieces: list[Article] = []
    owner: list[tuple[int, int]] = []  # piece -> (article index, offset)
    for index, (aid, text, pub) in enumerate(payload):
        published = dt.date.fromisoformat(pub) if pub else None
        for offset, piece in segments(text):
            pieces.append(Article(article_id=aid, source="", text=piece, published=published))
            owner.append((index, offset))
    errors = [""] * len(payload)
    parts: list[list[tuple[int, DocRows]]] = [[] for _ in payload]
    for (index, offset), item in zip(owner, extractor.process(pieces)):
        if errors[index]:
            continue
        if item.doc is None:
            errors[index] = item.article.error or "processing failed"
            continue
        try:
            parts[index].append((offset, processed_rows(item, tokens)))
        except Exception as exc:  # noqa: BLE001 - reported per article
            log.exception("article %s: rows failed", item.article.article_id)
            errors[index] = f"writing rows failed: {type(exc).__name__}: {exc}"
    results = []
    for error, article_parts in zip(errors, parts):
        if error:
            results.append((error, None))
        else:
            rows = article_parts[0][1] if len(article_parts) == 1 else join_segments(article_parts)
            results.append(("", rows.to_json()))
    stages = {k: v - before.get(k, 0.0) for k, v in extractor.stage_seconds.items()}
    return {"results": results, "stages": stages, "pid": os.getpid(), "rss_mb": _peak_rss_mb()}


def _ping(pause: float = 0.3) -> int:
    time.sleep(pause)
    return os.getpid()


# --------------------------------------------------------------------------- engines

class _Done:
    def __init__(self, value=None, error: BaseException | None = None):
        self.value, self.error = value, error

    def result(self):
        if self.error is not None:
            raise self.error
        return self.value


class InlineEngine:
    """Everything in this process."""

    name = "inline"
    workers = 1

    def __init__(self, use_model, batch_size):
        self.args = (use_model, batch_size)

    def start(self) -> None:
        init_worker(*self.args)

    def submit(self, payload: Payload, tokens: bool):
        try:
            return _Done(process_payload(payload, tokens, *self.args))
        except Exception as exc:  # noqa: BLE001
            return _Done(error=exc)

    def close(self) -> None:
        pass


class ProcessEngine:
    """N worker processes (spawned: no state shared with this process), each with its own pipeline."""

    name = "processes"

    def __init__(self, workers: int, use_model, batch_size):
        self.workers = workers
        self.args = (use_model, batch_size)
        self.pool = None

    def start(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=init_worker, initargs=self.args)
        # Bring every worker up (and its pipeline loaded) before the clock starts.
        pids: set[int] = set()
        for _ in range(5):
            pids |= {f.result() for f in [self.pool.submit(_ping) for _ in range(self.workers)]}
            if len(pids) >= self.workers:
                break

    def submit(self, payload: Payload, tokens: bool):
        try:
            return self.pool.submit(process_payload, payload, tokens, *self.args)
        except Exception as exc:  # noqa: BLE001 - a broken pool: restarted by the retry path
            return _Done(error=exc)

    def recover(self) -> None:
        """After a worker died: a new pool (a broken pool refuses all further work)."""
        from concurrent.futures.process import BrokenProcessPool  # noqa: F401

        try:
            self.pool.shutdown(wait=False, cancel_futures=True)
        except Exception:  # noqa: BLE001
            pass
        self.start()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    """A ``dask.distributed`` cluster: ``scheduler`` is ``tcp://HOST:PORT`` of a running one, or
    None for a ``LocalCluster`` of ``workers`` processes with one thread each on this machine."""

    name = "dask"

    def __init__(self, workers: int, use_model, batch_size, scheduler: str | None = None):
        self.requested = workers
        self.scheduler = scheduler
        self.args = (use_model, batch_size)
        self.client = self.cluster = None
        self.workers = workers

    def start(self) -> None:
        from distributed import Client, LocalCluster

        if self.scheduler:
            self.client = Client(self.scheduler)
        else:
            logging.getLogger("distributed").setLevel(logging.WARNING)
            self.cluster = LocalCluster(n_workers=self.requested, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=":0")
            self.client = Client(self.cluster)
        self.client.wait_for_workers(1)
        self.client.run(init_worker, *self.args)  # every worker loads the pipeline once, now
        self.workers = max(1, sum(self.client.nthreads().values()))

    def submit(self, payload: Payload, tokens: bool):
        return self.client.submit(process_payload, payload, tokens, *self.args, pure=False)

    def recover(self) -> None:
        pass  # the scheduler reschedules work of a lost worker by itself

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(engine: str, workers: int, use_model, batch_size: int, scheduler: str | None = None):
    if engine == "auto":
        engine = "dask" if scheduler else ("inline" if workers <= 1 else "processes")
    if engine == "inline":
        return InlineEngine(use_model, batch_size)
    if engine == "processes":
        return ProcessEngine(max(1, workers), use_model, batch_size)
    if engine == "dask":
        return DaskEngine(max(1, workers), use_model, batch_size, scheduler)
    raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


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
            if tables["articles"][0][8] == "ok":
                self.stats.ok += 1
            else:
                failed += 1
                if len(self.stats.errors) < MAX_ERRORS_KEPT:
                    self.stats.errors.append((article.article_id, article.source, tables["articles"][0][9]))
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
                started = time.perf_counter()
                self.engine.start()
                self.engine_started = True
                self.stats.workers = self.engine.workers
                self.stats.startup_seconds += time.perf_counter() - started
            item.handle = self.engine.submit(_payload([batch[i] for i in item.todo]), self.o.tokens)
        return item

    def run(self) -> RunStats:
        from .cache import CACHE_DIR_NAME, ResultCache, pipeline_version

        o = self.o
        started = time.perf_counter()
        use_model = o.use_model
        if use_model is None:
            from .nlp import model_available

            use_model = model_available()
        self.engine = make_engine(o.engine, o.workers, use_model, o.batch_size, o.scheduler)
        self.stats.engine = self.engine.name
        self.cache = ResultCache(Path(o.out) / CACHE_DIR_NAME, pipeline_version(bool(use_model))) if o.cache else None
        self.writer = TableWriter(o.out, o.fmt, o.tokens, o.part_articles)
        total = None
        if o.progress and self.articles is None:
            from .reader import count_articles

            total = count_articles(o.inputs)
        self.progress = Progress(o.progress, total)
        committed = False
        self.engine_started = False
        try:
            started = time.perf_counter()
            articles = self.articles if self.articles is not None else read_articles(o.inputs, o.metadata)
            in_flight: deque[_Pending] = deque()
            read_started = time.perf_counter()
            for batch in _batches(articles, o.batch_size):
                self._add_stage("read", read_started)
                in_flight.append(self._prepare(batch))
                width = max(1, self.engine.workers)
                while len(in_flight) > 2 * width + 1 or (in_flight and _ready(in_flight[0].handle)
                                                         and len(in_flight) > width):
                    self._finish(in_flight.popleft())
                read_started = time.perf_counter()
            while in_flight:
                self._finish(in_flight.popleft())
            commit_started = time.perf_counter()
            self.stats.written = [str(p) for p in self.writer.commit()]
            committed = True
            self._add_stage("write", commit_started)
        finally:
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
        self.stats.seconds = time.perf_counter() - started - self.stats.startup_seconds
        self.stats.main_rss_mb = _peak_rss_mb()
        return self.stats


def _ready(handle) -> bool:
    if handle is None:
        return True
    done = getattr(handle, "done", None)
    return bool(done()) if callable(done) else True


def run_extract(options: RunOptions, articles: Iterable[Article] | None = None) -> RunStats:
    """Run the pipeline over ``options.inputs`` (or the given ``articles``) into ``options.out``."""
    return Runner(options, articles).run()
