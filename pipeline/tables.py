"""Stage 5: tables. Processed Docs -> pandas DataFrames -> CSV (or Parquet), written atomically."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

import pandas as pd

from .nlp import Processed
from .records import entity_info, sentence_index

ENTITY_COLUMNS = ["article_id", "entity_id", "sentence_id", "start", "end", "text", "label", "norm", "value",
                  "unit", "approx"]
RELATION_COLUMNS = ["article_id", "sentence_id", "subj", "subj_norm", "subj_label", "relation", "obj", "obj_norm",
                    "obj_label", "subj_start", "subj_end", "obj_start", "obj_end", "evidence"]
ARTICLE_COLUMNS = ["article_id", "source", "published", "title", "n_chars", "n_sentences", "n_entities",
                   "n_relations", "status", "error"]
TOKEN_COLUMNS = ["article_id", "sentence_id", "token_id", "start", "end", "form", "tag", "lemma", "entity"]


def _sentence_ids(doc) -> dict[int, int]:
    """token index -> sentence id (whitespace-only sentences get the id of the sentence before)."""
    ids, current = {}, 0
    numbered = {sent.start: n for n, sent in enumerate(sentence_index(doc))}
    for sent in doc.sents:
        current = numbered.get(sent.start, current)
        for token in sent:
            ids[token.i] = current
    return ids


def entity_rows(item: Processed) -> list[dict]:
    doc = item.doc
    sentence_of = _sentence_ids(doc)
    table = entity_info(doc)
    rows = []
    for ent in doc.ents:
        info = table[(ent.start_char, ent.end_char)]
        rows.append({
            "article_id": item.article.article_id, "entity_id": info.entity_id, "sentence_id": sentence_of[ent.start],
            "start": ent.start_char, "end": ent.end_char, "text": ent.text, "label": ent.label_, "norm": info.norm,
            "value": info.value, "unit": info.unit, "approx": info.approx if ent.label_ == "QT" else None,
        })
    return rows


def relation_rows(item: Processed) -> list[dict]:
    return [{"article_id": item.article.article_id, **{c: getattr(r, c) for c in RELATION_COLUMNS[1:]}}
            for r in item.doc._.relations or []]


def token_rows(item: Processed) -> list[dict]:
    doc = item.doc
    sentence_of = _sentence_ids(doc)
    return [{"article_id": item.article.article_id, "sentence_id": sentence_of[t.i], "token_id": t.i,
             "start": t.idx, "end": t.idx + len(t.text), "form": t.text, "tag": t.tag_, "lemma": t.lemma_,
             "entity": t.ent_type_} for t in doc if not t.is_space]


def article_row(item: Processed, n_entities: int, n_relations: int) -> dict:
    article, doc = item.article, item.doc
    return {
        "article_id": article.article_id, "source": article.source,
        "published": article.published.isoformat() if article.published else "",
        "title": article.title, "n_chars": len(article.text),
        "n_sentences": len(sentence_index(doc)) if doc is not None else 0,
        "n_entities": n_entities, "n_relations": n_relations,
        "status": "ok" if article.ok and doc is not None else "error",
        "error": article.error or "; ".join(article.warnings),
    }


def build_tables(processed: Iterable[Processed], tokens: bool = False) -> dict[str, pd.DataFrame]:
    """All output tables for a stream of processed articles."""
    entities, relations, articles, token_table = [], [], [], []
    for item in processed:
        ents = entity_rows(item) if item.doc is not None else []
        rels = relation_rows(item) if item.doc is not None else []
        entities += ents
        relations += rels
        articles.append(article_row(item, len(ents), len(rels)))
        if tokens and item.doc is not None:
            token_table += token_rows(item)
    tables = {
        "entities": pd.DataFrame(entities, columns=ENTITY_COLUMNS),
        "relations": pd.DataFrame(relations, columns=RELATION_COLUMNS),
        "articles": pd.DataFrame(articles, columns=ARTICLE_COLUMNS),
    }
    tables["entities"]["value"] = tables["entities"]["value"].astype("object")
    if tokens:
        tables["tokens"] = pd.DataFrame(token_table, columns=TOKEN_COLUMNS)
    return tables


def _format_value(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
