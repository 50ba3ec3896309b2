"""Incremental runs: a result cache keyed by content hash and pipeline version.

An article's rows depend on its text, its publication date (relative dates are resolved
against it) and the pipeline: code, resource files, trained model, Kiwi and spaCy versions.
:func:`pipeline_version` hashes all of those; :func:`article_key` hashes the version with the
article's text and date. The cache (``OUT/.cache/results.sqlite``) maps that key to the
article's :class:`~pipeline.tables.DocRows`; ids, sources and titles are not part of the key,
so a renamed or moved article is still a hit, and its rows come back with the new id.

Only the process that writes the tables touches the cache (workers, local or on a Dask
cluster, never do), so one SQLite file is enough.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .reader import Article
from .rows import DocRows

PACKAGE_DIR = Path(__file__).resolve().parent
CACHE_DIR_NAME = ".cache"
# Modules that do not change what an article's rows are.
_NOT_OUTPUT_MODULES = {"cli.py", "bench.py", "report.py", "evaluate.py", "query.py", "__main__.py", "cache.py"}


def _version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


@lru_cache(maxsize=None)
def pipeline_version(use_model: bool = False) -> str:
    """A hash of everything that decides an article's rows (changes whenever any of it does)."""
    digest = hashlib.sha256()
    for package in ("korean-news-pipeline", "kiwipiepy", "kiwipiepy_model", "spacy"):
        digest.update(f"{package}={_version_of(package)}\n".encode())
    files = [p for p in PACKAGE_DIR.rglob("*.py") if p.name not in _NOT_OUTPUT_MODULES or p.parent != PACKAGE_DIR]
    files += list((PACKAGE_DIR / "resources").rglob("*.tsv"))
    if use_model:
        files += [p for p in (PACKAGE_DIR / "models").rglob("*") if p.is_file() and p.suffix != ".py"]
    for path in sorted(set(files)):
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(f"model={bool(use_model)}".encode())
    return f"{_version_of('korean-news-pipeline')}+{digest.hexdigest()[:16]}"


def article_key(article: Article, version: str) -> str:
    published = article.published.isoformat() if article.published else ""
    digest = hashlib.sha256()
    for part in (version, published, article.text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class ResultCache:
    """key -> DocRows in one SQLite file; ``put`` is buffered and committed with ``flush``."""

    def __init__(self, directory: str | Path, version: str):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.version = version
        self.db = sqlite3.connect(self.directory / "results.sqlite", timeout=60)
        self.db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, rows BLOB NOT NULL)")
        self.pending: list[tuple[str, bytes]] = []

    def key(self, article: Article) -> str:
        return article_key(article, self.version)

    def get_many(self, keys: list[str]) -> dict[str, DocRows]:
        found: dict[str, DocRows] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.db.execute(f"SELECT key, rows FROM results WHERE key IN ({marks})", chunk):
                try:
                    found[key] = DocRows.from_json(json.loads(zlib.decompress(blob)))
                except (zlib.error, ValueError, KeyError, TypeError):
                    continue  # a damaged entry is a miss
        return found

    def put(self, key: str, rows: DocRows) -> None:
        try:
            text = json.dumps(rows.to_json(), ensure_ascii=False, separators=(",", ":"), allow_nan=True)
        except (TypeError, ValueError):
            return  # a value JSON cannot hold exactly: not cached, processed again next time
        blob = zlib.compress(text.encode("utf-8", "surrogatepass"), 3)
        self.pending.append((key, blob))
        if len(self.pending) >= 1000:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO results (key, rows) VALUES (?, ?)", self.pending)
            self.pending = []

    def close(self) -> None:
        self.flush()
        self.db.close()
