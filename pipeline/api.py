"""The pipeline from Python: ``pipeline.load()``, ``pipeline.extract(...)``, ``pipeline.normalize(...)``.

    import pipeline
    nlp = pipeline.load()                    # the spaCy Language, built once per process
    doc, _ = next(nlp.pipe([(text, {"published": "2025-09-10"})], as_tuples=True))
    result = pipeline.extract(["...", {"id": "a1", "text": "...", "published": "2025-09-10"}])
    result.entities, result.relations, result.articles   # pandas DataFrames, the CSV columns
    pipeline.normalize("지난 2월", published="2025-09-10")  # [Expression(... norm='2025-02' ...)]

Nothing is written to disk. The rows are the ones ``python -m pipeline extract`` writes (the same
reader rules for dates and titles, the same segmentation of long articles).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

import pandas as pd

CONTEXT_COMPONENT = "article_context"


@dataclass
class Extraction:
    """What :func:`extract` returns: one DataFrame per table, columns as in the CSV files."""

    entities: pd.DataFrame
    relations: pd.DataFrame
    articles: pd.DataFrame
    tokens: pd.DataFrame | None = None


def _register_context_component() -> None:
    from spacy.language import Language

    if Language.has_factory(CONTEXT_COMPONENT):
        return

    @Language.component(CONTEXT_COMPONENT, assigns=["doc._.published"])
    def article_context(doc):
        """The publication date from ``nlp.pipe([(text, {"published": ...})], as_tuples=True)``,
        else the one already set, else the text's header line (as the reader does)."""
        from . import layout
        from .checks import parse_published

        context = getattr(doc, "_context", None)
        if isinstance(context, dict) and context.get("published") not in (None, ""):
            doc._.published = parse_published(context["published"], "published")
        elif doc._.published is None:
            doc._.published = layout.header_date(doc.text)
        return doc


@lru_cache(maxsize=None)
def load(use_model: bool | None = None):
    """The pipeline as a spaCy ``Language`` (built once per process and setting; ``use_model=False``:
    rules and lexicon without the trained NER). ``nlp(text)`` resolves relative dates against a
    header line of the text (``date 2025-09-10``); give the date with ``nlp.pipe([(text, {"published":
    "2025-09-10"})], as_tuples=True)``."""
    from .nlp import build_nlp

    _register_context_component()
    nlp = build_nlp(use_model=use_model)
    nlp.add_pipe(CONTEXT_COMPONENT, first=True)
    return nlp


@lru_cache(maxsize=None)
def _extractor(use_model: bool | None):
    from .nlp import Extractor

    return Extractor(load(use_model))


def _articles(items: Iterable[str | dict[str, Any]]) -> list:
    from .reader import Article, _finish, unsafe_id_reason

    articles, seen = [], set()
    for number, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise TypeError(f"article {number}: expected a string or a dict with a 'text' string, got {item!r:.80}")
        article_id = str(item.get("id") or number)
        if unsafe_id_reason(article_id) or article_id in seen:
            raise ValueError(f"article {number}: id {article_id!r} is " +
                             (unsafe_id_reason(article_id) or "used twice"))
        seen.add(article_id)
        title = item.get("title") if isinstance(item.get("title"), str) else ""
        article = Article(article_id=article_id, source=f"<python #{number}>", text=item["text"], title=title)
        published = item.get("published")
        articles.append(_finish(article, None, published.isoformat() if hasattr(published, "isoformat") else published))
    return articles


def extract(articles: Iterable[str | dict[str, Any]], tokens: bool = False, use_model: bool | None = None) -> Extraction:
    """Entities, relations and the articles table of ``articles`` (strings, or dicts with ``id``,
    ``text`` and optional ``title`` and ``published``), in memory. An article that cannot be
    processed has status ``error`` in ``articles``, as on the command line."""
    from .tables import COLUMNS, _frame, article_tables
    from .worker import article_results

    records = _articles(articles)
    good = [a for a in records if a.ok]
    results = dict(zip(map(id, good), article_results(_extractor(use_model), good, tokens)))
    collected: dict[str, list] = {name: [] for name in COLUMNS if name != "tokens" or tokens}
    for article in records:
        error, rows = results.get(id(article), ("", None))
        if error:
            article.error = error
        for name, table_rows in article_tables(article, rows, tokens).items():
            collected[name] += table_rows
    frames = {name: _frame(name, rows) for name, rows in collected.items()}
    return Extraction(frames["entities"], frames["relations"], frames["articles"], frames.get("tokens"))


def normalize(text: str, published=None) -> list:
    """Every quantity, date and time in ``text`` (:class:`pipeline.normalize.Expression`), relative
    dates resolved against ``published`` (``"2025-09-10"`` or a ``datetime.date``)."""
    from importlib import import_module

    from .checks import parse_published

    find_expressions = import_module("pipeline.normalize").find_expressions  # a module or a package
    return list(find_expressions(text, parse_published(published, "published")))


__all__ = ["Extraction", "extract", "load", "normalize"]
