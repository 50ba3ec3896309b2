"""The worker side of a run: build the pipeline once per process, turn articles into rows.

Every engine (:mod:`pipeline.engines`) runs :func:`process_payload` in its workers: the pipeline is
built once per process (:func:`init_worker`, cached in ``_WORKER``), a long article is cut into
segments and joined back (:func:`segments`, :func:`join_segments`), and only rows
(:class:`~pipeline.rows.DocRows`, as JSON-able lists) travel back.
"""
from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import resource
import time
from typing import Any, Iterable

from .reader import Article
from .rows import DocRows

log = logging.getLogger(__name__)

_WORKER: dict[str, Any] = {}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def init_worker(use_model: bool | None = None, batch_size: int = 32, warm: bool = True) -> int:
    """Build the pipeline once in this process (Kiwi with one thread, spaCy) and warm it up.

    Called again with the same settings it does nothing: the model is loaded once per process."""
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
            new_id = entity_ids.setdefault((number, e.entity_id), f"E{len(entity_ids) + 1}") if e.entity_id \
                else e.entity_id
            entities.append(e.shifted(new_id, sentences, offset))
        relations += [r.shifted(sentences, offset) for r in rows.relations]
        if tokens is not None:
            tokens += [t.shifted(sentences, token_base, offset) for t in rows.tokens or []]
            token_base += max((t.token_id for t in rows.tokens or []), default=-1) + 1
        sentences += rows.n_sentences
    return DocRows(entities, relations, tokens, sentences)


def article_results(extractor, articles: Iterable[Article], tokens: bool = False) -> list[tuple[str, DocRows | None]]:
    """(error, rows) for each article, in order: long ones processed in segments and joined again."""
    from .tables import processed_rows

    articles = list(articles)
    pieces: list[Article] = []
    owner: list[tuple[int, int]] = []  # piece -> (article index, offset)
    for index, article in enumerate(articles):
        for offset, piece in segments(article.text):
            pieces.append(Article(article_id=article.article_id, source="", text=piece, published=article.published))
            owner.append((index, offset))
    errors = [""] * len(articles)
    parts: list[list[tuple[int, DocRows]]] = [[] for _ in articles]
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
    return [(error, None) if error else ("", parts_[0][1] if len(parts_) == 1 else join_segments(parts_))
            for error, parts_ in zip(errors, parts)]


def process_payload(payload: Payload, tokens: bool = False, use_model: bool | None = None,
                    batch_size: int = 32) -> dict:
    """Process articles in this worker: ``{"results": [(error, DocRows json)], "stages", "pid", "rss_mb"}``."""
    init_worker(use_model, batch_size)
    extractor = _WORKER["extractor"]
    before = dict(extractor.stage_seconds)
    articles = [Article(article_id=aid, source="", text=text, published=dt.date.fromisoformat(pub) if pub else None)
                for aid, text, pub in payload]
    results = [(error, rows.to_json() if rows is not None else None)
               for error, rows in article_results(extractor, articles, tokens)]
    stages = {k: v - before.get(k, 0.0) for k, v in extractor.stage_seconds.items()}
    return {"results": results, "stages": stages, "pid": os.getpid(), "rss_mb": _peak_rss_mb()}


def _ping(pause: float = 0.3) -> int:
    time.sleep(pause)
    return os.getpid()
