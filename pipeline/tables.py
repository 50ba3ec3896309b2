"""Stage 5: tables. Processed Docs -> rows -> CSV (or partitioned Parquet), written atomically.

Two ways in:

* :func:`build_tables` turns a stream of :class:`~pipeline.nlp.Processed` into pandas DataFrames
  (small runs, evaluation, tests);
* :class:`TableWriter` streams rows batch by batch into files under a temporary folder inside
  the output folder and renames them into place on :meth:`TableWriter.commit`, so memory stays
  flat for any corpus size and an interrupted run leaves the previous tables untouched.

Per article, :func:`doc_rows` computes everything that depends on the Doc (:class:`DocRows`,
without the article id); :func:`article_tables` adds the article id and the ``articles`` row.
Worker processes send ``DocRows`` back, and the result cache stores them, so a cached article
comes back through exactly the same function as a freshly processed one.
"""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

import pandas as pd
from spacy.attrs import ENT_TYPE

from .nlp import Processed
from .reader import Article
from .records import entity_info, entity_spans, sentence_index, token_columns
from .rows import ArticleRow, DocRows, EntityRow, RelationRow, TokenRow

ENTITY_COLUMNS = ["article_id", "entity_id", "sentence_id", "start", "end", "text", "label", "norm", "value",
                  "unit", "approx"]
RELATION_COLUMNS = ["article_id", "sentence_id", "subj", "subj_norm", "subj_label", "relation", "obj", "obj_norm",
                    "obj_label", "subj_start", "subj_end", "obj_start", "obj_end", "evidence", "score"]
ARTICLE_COLUMNS = ["article_id", "source", "published", "title", "n_chars", "n_sentences", "n_entities",
                   "n_relations", "status", "error"]
TOKEN_COLUMNS = ["article_id", "sentence_id", "token_id", "start", "end", "form", "tag", "lemma", "entity"]

assert ENTITY_COLUMNS[1:] == list(EntityRow._fields) and RELATION_COLUMNS[1:] == list(RelationRow._fields)
assert TOKEN_COLUMNS[1:] == list(TokenRow._fields) and ARTICLE_COLUMNS == list(ArticleRow._fields)

COLUMNS = {"entities": ENTITY_COLUMNS, "relations": RELATION_COLUMNS, "articles": ARTICLE_COLUMNS,
           "tokens": TOKEN_COLUMNS}
# Written in this order; ``articles`` last, so that its presence means the run completed.
TABLE_ORDER = ["entities", "relations", "tokens", "articles"]


def _sentence_ids(doc) -> list[int]:
    """token index -> sentence id (whitespace-only sentences get the id of the sentence before)."""
    ids, current = [0] * len(doc), 0
    numbered = {sent.start: n for n, sent in enumerate(sentence_index(doc))}
    for sent in doc.sents:
        current = numbered.get(sent.start, current)
        ids[sent.start:sent.end] = [current] * (sent.end - sent.start)
    return ids


# --------------------------------------------------------------------------- rows

def doc_rows(doc, tokens: bool = False) -> DocRows:
    sentence_of = _sentence_ids(doc)
    table = entity_info(doc)
    tok = token_columns(doc)
    entities = []
    for ent in entity_spans(doc):
        info = table[(ent.start_char, ent.end_char)]
        entities.append(EntityRow(info.entity_id, sentence_of[ent.start], ent.start_char, ent.end_char,
                                  tok.text[ent.start_char:ent.end_char], ent.label_, info.norm, info.value,
                                  info.unit, info.approx if ent.label_ == "QT" else None))
    relations = [RelationRow(*(getattr(r, c) for c in RelationRow._fields)) for r in doc._.relations or []]
    token_table = None
    if tokens:
        strings = doc.vocab.strings
        entity_types = [strings[key] for key in doc.to_array(ENT_TYPE).tolist()]
        token_table = [TokenRow(sentence_of[i], i, tok.starts[i], tok.ends[i], tok.words[i], tok.tags[i],
                                tok.lemmas[i], entity_types[i]) for i in range(len(tok.words)) if not tok.is_space[i]]
    return DocRows(entities, relations, token_table, len(sentence_index(doc)))


def article_row(article: Article, rows: DocRows | None, n_entities: int = 0, n_relations: int = 0) -> ArticleRow:
    ok = article.ok and rows is not None
    return ArticleRow(article.article_id, article.source, article.published.isoformat() if article.published else "",
                      article.title, len(article.text), rows.n_sentences if ok else 0, n_entities, n_relations,
                      "ok" if ok else "error", article.error or "; ".join(article.warnings))


def article_tables(article: Article, rows: DocRows | None, tokens: bool = False) -> dict[str, list[tuple]]:
    """The rows (tuples in column order, the article id first) one article adds to each table."""
    aid = article.article_id
    ok = article.ok and rows is not None
    ents = [(aid, *r) for r in rows.entities] if ok else []
    rels = [(aid, *r) for r in rows.relations] if ok else []
    out = {"entities": ents, "relations": rels, "articles": [article_row(article, rows, len(ents), len(rels))]}
    if tokens:
        out["tokens"] = [(aid, *r) for r in rows.tokens or []] if ok else []
    return out


def processed_rows(item: Processed, tokens: bool = False) -> DocRows | None:
    return doc_rows(item.doc, tokens) if item.doc is not None else None


def _frame(name: str, rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS[name])
    if name == "entities":
        frame["value"] = frame["value"].astype("object")
    return frame


def build_tables(processed: Iterable[Processed], tokens: bool = False) -> dict[str, pd.DataFrame]:
    """All output tables for a stream of processed articles, as DataFrames."""
    collected: dict[str, list[tuple]] = {name: [] for name in COLUMNS if name != "tokens" or tokens}
    for item in processed:
        for name, rows in article_tables(item.article, processed_rows(item, tokens), tokens).items():
            collected[name] += rows
    return {name: _frame(name, collected[name]) for name in ("entities", "relations", "articles", "tokens")
            if name in collected}


# --------------------------------------------------------------------------- writing

def _format_value(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_cell = _format_value  # one formatting rule for every CSV cell, whatever the batch it came in


def _parquet_schema(name: str):
    import pyarrow as pa

    ints = {"sentence_id", "start", "end", "token_id", "subj_start", "subj_end", "obj_start", "obj_end",
            "n_chars", "n_sentences", "n_entities", "n_relations"}
    fields = []
    for column in COLUMNS[name]:
        if column in ints:
            kind = pa.int64()
        elif column in ("value", "score"):
            kind = pa.float64()
        elif column == "approx":
            kind = pa.bool_()
        else:
            kind = pa.string()
        fields.append(pa.field(column, kind))
    return pa.schema(fields)


class _CsvTable:
    def __init__(self, path: Path, columns: list[str]):
        self.handle = open(path, "w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(columns)

    def write(self, rows: list[tuple]) -> None:
        # The csv module writes None as "" and any other value as str(value), which is what _cell
        # gives for everything but floats: only those need the call (a few per hundred cells).
        self.writer.writerows([[_cell(v) if isinstance(v, float) else v for v in row] for row in rows])

    def close(self) -> None:
        self.handle.close()


class _ParquetTable:
    """A folder ``NAME.parquet/`` of ``part-NNNNN.parquet`` files (a partitioned dataset that
    pandas, pyarrow, Dask and Spark read as one table); a new part starts with every
    ``part_articles`` articles, so part N of every table covers the same articles."""

    FLUSH_ROWS = 50_000

    def __init__(self, path: Path, name: str):
        self.path, self.name = path, name
        self.path.mkdir()
        self.schema = _parquet_schema(name)
        self.part, self.writer, self.buffer = -1, None, []
        self.new_part()

    def new_part(self) -> None:
        import pyarrow.parquet as pq

        if self.writer is not None:
            self._flush()
            self.writer.close()
        self.part += 1
        self.writer = pq.ParquetWriter(self.path / f"part-{self.part:05d}.parquet", self.schema)

    def _flush(self) -> None:
        import pyarrow as pa

        columns = list(zip(*self.buffer)) if self.buffer else [[] for _ in self.schema]
        arrays = [pa.array(list(values), type=field.type) for values, field in zip(columns, self.schema)]
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self.buffer = []

    def write(self, rows: list[tuple]) -> None:
        self.buffer += rows
        if len(self.buffer) >= self.FLUSH_ROWS:
            self._flush()

    def close(self) -> None:
        if self.buffer or self.writer is not None:
            self._flush()
            self.writer.close()
            self.writer = None


class TableWriter:
    """Streams rows into the output tables; nothing in ``out_dir`` changes before :meth:`commit`.

    Files grow in ``out_dir/.tmp-extract-XXXX/``; ``commit`` renames each into place (one
    ``os.replace`` per table), ``abort`` removes the temporary folder.
    """

    def __init__(self, out_dir: str | Path, fmt: str = "csv", tokens: bool = False, part_articles: int = 10_000):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.fmt = fmt
        self.part_articles = max(1, part_articles)
        self.tmp = Path(tempfile.mkdtemp(prefix=".tmp-extract-", dir=self.out))
        self.names = [n for n in TABLE_ORDER if n != "tokens" or tokens]
        self.suffix = ".parquet" if fmt == "parquet" else ".csv"
        self.tables = {}
        for name in self.names:
            path = self.tmp / f"{name}{self.suffix}"
            self.tables[name] = _ParquetTable(path, name) if fmt == "parquet" else _CsvTable(path, COLUMNS[name])
        self.articles_in_part = 0
        self.counts = {name: 0 for name in self.names}

    def write_article(self, tables: dict[str, list[tuple]]) -> None:
        if self.fmt == "parquet" and self.articles_in_part >= self.part_articles:
            for table in self.tables.values():
                table.new_part()
            self.articles_in_part = 0
        for name in self.names:
            rows = tables.get(name, [])
            if rows:
                self.tables[name].write(rows)
                self.counts[name] += len(rows)
        self.articles_in_part += 1

    def commit(self) -> list[Path]:
        for table in self.tables.values():
            table.close()
        written = []
        for name in self.names:
            source, target = self.tmp / f"{name}{self.suffix}", self.out / f"{name}{self.suffix}"
            _replace(source, target, self.tmp)
            written.append(target)
        shutil.rmtree(self.tmp, ignore_errors=True)
        return written

    def abort(self) -> None:
        for table in self.tables.values():
            try:
                table.close()
            except Exception:  # noqa: BLE001 - cleaning up after a failure already reported
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def _replace(source: Path, target: Path, scratch: Path) -> None:
    """Move ``source`` onto ``target``: one atomic rename for a file; for a folder (or a file
    replaced by a folder) the old one is moved aside first and removed after."""
    if source.is_dir() or target.is_dir():
        old = scratch / f".old-{target.name}"
        if target.exists():
            os.replace(target, old)
        os.replace(source, target)
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
    else:
        os.replace(source, target)


def _new_file_mode() -> int:
    """The mode ``open(path, "w")`` gives a new file: 0666 less the process umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(frame: pd.DataFrame, path: Path, fmt: str = "csv") -> None:
    """Write to a temporary file beside ``path`` and rename it, so a crash never leaves half a table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        if fmt == "parquet":
            frame.to_parquet(tmp, index=False)
        else:
            out = frame.copy()
            if "value" in out.columns:
                out["value"] = out["value"].map(_format_value)
            out.to_csv(tmp, index=False, encoding="utf-8")
        os.chmod(tmp, _new_file_mode())  # mkstemp makes 0600; the tables are ordinary files (0644 under umask 022)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path, fmt: str = "csv") -> list[Path]:
    out = Path(out_dir)
    written = []
    for name, frame in tables.items():
        path = out / f"{name}.{'parquet' if fmt == 'parquet' else 'csv'}"
        write_atomic(frame, path, fmt)
        written.append(path)
    return written
