"""Corpus tables: the per-article entity and relation rows joined up across articles.

    canonical_entities(entities, articles)  -> entities_canonical.csv
    canonical_relations(relations, articles, entities) -> relations_canonical.csv

Both are pure functions over the per-article DataFrames of :mod:`pipeline.tables` (``entities``,
``relations``, ``articles``; the ``entities`` frame is optional for relations but lets aliases learnt
in one article join mentions of another, see below).

One canonical entity is one (label, canonical name). Within an article the canonical name is
the ``norm`` the pipeline gave the mention (alias resources, parenthesised aliases, full names,
see ``canonical_names`` in :mod:`pipeline.entities`). Across articles one more join is made: a
name that some article wrote as an alias of exactly one canonical name of the same label
(``아시아축구연맹(이하 AFC)`` -> AFC is 아시아축구연맹) is that entity in every article, also where
the full name is not written. People are not joined this way (a short name is ambiguous across
articles), and a branch keeps its own name (``오픈AI 코리아`` is not ``오픈AI``). Only names are
canonical entities (PS OG LC AF EV CV); numbers, dates and times (QT DT TI) are not.
"""
from __future__ import annotations

import json

from pathlib import Path

import pandas as pd

NAME_LABELS = ("PS", "OG", "LC", "AF", "EV", "CV")
# Relations whose two arguments can be written in either order: one row per unordered pair.
SYMMETRIC = {"org:partner_of"}

ENTITY_CANONICAL_COLUMNS = ["entity_key", "name", "label", "aliases", "n_articles", "n_mentions",
                            "first_published", "last_published", "article_ids"]
RELATION_CANONICAL_COLUMNS = ["subj", "subj_label", "relation", "obj", "obj_label", "n_articles", "n_mentions",
                              "first_published", "last_published", "article_ids", "evidence"]


def entity_key(label: str, name: str) -> str:
    """The corpus-wide id of a canonical entity: ``OG:오픈AI``."""
    return f"{label}:{name}"


def _published(articles: pd.DataFrame | None) -> dict[str, str]:
    if articles is None or articles.empty or "published" not in articles:
        return {}
    return {str(a): ("" if pd.isna(p) else str(p)) for a, p in zip(articles["article_id"], articles["published"])}


def corpus_aliases(entities: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(label, name) -> canonical name, for names some article wrote as an alias of exactly one name.

    A written form counts as an alias when its norm differs from it in some article
    (``AFC`` -> 아시아축구연맹). Ambiguous forms (two canonical names) and people are left alone.
    """
    if entities is None or entities.empty:
        return {}
    names = entities[entities["label"].isin(NAME_LABELS) & (entities["label"] != "PS")]
    names = names[names["text"].astype(str) != names["norm"].astype(str)]
    targets: dict[tuple[str, str], set[str]] = {}
    for label, text, norm in zip(names["label"], names["text"].astype(str), names["norm"].astype(str)):
        if norm and norm != "nan":
            targets.setdefault((label, text), set()).add(norm)
    mapping = {key: next(iter(norms)) for key, norms in targets.items() if len(norms) == 1}
    # follow chains (A -> B -> C) without loops
    for key in list(mapping):
        seen, name = {key[1]}, mapping[key]
        while (key[0], name) in mapping and name not in seen:
            seen.add(name)
            name = mapping[(key[0], name)]
        mapping[key] = name
    return {key: name for key, name in mapping.items() if key[1] != name}


def _resolve(label: str, norm: str, aliases: dict[tuple[str, str], str]) -> str:
    return aliases.get((label, norm), norm)


def _names(entities: pd.DataFrame, aliases: dict[tuple[str, str], str]) -> pd.Series:
    norm = entities["norm"].where(entities["norm"].notna() & (entities["norm"].astype(str) != ""), entities["text"])
    return pd.Series([_resolve(l, str(n), aliases) for l, n in zip(entities["label"], norm)], index=entities.index)


def canonical_entities(entities: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per canonical entity across the corpus (names only; see the module docstring).

    Columns: entity_key (``LABEL:name``), name, label, aliases (the other written forms, ``; ``-joined),
    n_articles, n_mentions, first_published, last_published (ISO dates, '' when unknown),
    article_ids (``;``-joined). Sorted by n_articles, n_mentions (descending), then key.
    """
    if entities is None or entities.empty:
        return pd.DataFrame(columns=ENTITY_CANONICAL_COLUMNS)
    ents = entities[entities["label"].isin(NAME_LABELS)].copy()
    if ents.empty:
        return pd.DataFrame(columns=ENTITY_CANONICAL_COLUMNS)
    ents["name"] = _names(ents, corpus_aliases(entities))
    ents["article_id"] = ents["article_id"].astype(str)
    published = _published(articles)
    rows = []
    for (label, name), group in ents.groupby(["label", "name"], sort=False):
        article_ids = sorted(set(group["article_id"]))
        dates = sorted(d for d in (published.get(a, "") for a in article_ids) if d)
        forms = sorted({str(t) for t in group["text"]} - {name})
        rows.append({"entity_key": entity_key(label, name), "name": name, "label": label,
                     "aliases": "; ".join(forms), "n_articles": len(article_ids), "n_mentions": len(group),
                     "first_published": dates[0] if dates else "", "last_published": dates[-1] if dates else "",
                     "article_ids": ";".join(article_ids)})
    frame = pd.DataFrame(rows, columns=ENTITY_CANONICAL_COLUMNS)
    return frame.sort_values(["n_articles", "n_mentions", "entity_key"], ascending=[False, False, True],
                             ignore_index=True)


def canonical_relations(relations: pd.DataFrame, articles: pd.DataFrame | None = None,
                        entities: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per distinct (subject, relation, object) across the corpus.

    Subject and object are canonical names (the aliases learnt from ``entities`` applied); a
    symmetric relation (org:partner_of) has its pair in name order, so ``A-B`` in one article and
    ``B-A`` in another are one row. ``evidence`` is a JSON list with one item per article:
    ``{"article_id", "sentence_id", "evidence", "subj", "subj_start", "subj_end", "obj", "obj_start",
    "obj_end"}`` (the first row of that article, offsets into the article text).
    """
    if relations is None or relations.empty:
        return pd.DataFrame(columns=RELATION_CANONICAL_COLUMNS)
    aliases = corpus_aliases(entities) if entities is not None else {}
    published = _published(articles)
    keyed: dict[tuple, list[dict]] = {}
    for r in relations.to_dict("records"):
        subj = _resolve(r["subj_label"], str(r["subj_norm"]), aliases)
        obj = _resolve(r["obj_label"], str(r["obj_norm"]), aliases) if r["obj_label"] in NAME_LABELS \
            else str(r["obj_norm"])
        subj_label, obj_label = r["subj_label"], r["obj_label"]
        evidence = {"article_id": str(r["article_id"]), "sentence_id": int(r["sentence_id"]),
                    "evidence": r["evidence"], "subj": r["subj"], "subj_start": int(r["subj_start"]),
                    "subj_end": int(r["subj_end"]), "obj": r["obj"], "obj_start": int(r["obj_start"]),
                    "obj_end": int(r["obj_end"])}
        if r["relation"] in SYMMETRIC and (obj, obj_label) < (subj, subj_label):
            subj, obj, subj_label, obj_label = obj, subj, obj_label, subj_label
            evidence.update(subj=r["obj"], subj_start=int(r["obj_start"]), subj_end=int(r["obj_end"]),
                            obj=r["subj"], obj_start=int(r["subj_start"]), obj_end=int(r["subj_end"]))
        keyed.setdefault((subj, subj_label, r["relation"], obj, obj_label), []).append(evidence)
    rows = []
    for (subj, subj_label, relation, obj, obj_label), items in keyed.items():
        per_article: dict[str, dict] = {}
        for item in items:
            per_article.setdefault(item["article_id"], item)
        article_ids = sorted(per_article)
        dates = sorted(d for d in (published.get(a, "") for a in article_ids) if d)
        rows.append({"subj": subj, "subj_label": subj_label, "relation": relation, "obj": obj, "obj_label": obj_label,
                     "n_articles": len(article_ids), "n_mentions": len(items),
                     "first_published": dates[0] if dates else "", "last_published": dates[-1] if dates else "",
                     "article_ids": ";".join(article_ids),
                     "evidence": json.dumps([per_article[a] for a in article_ids], ensure_ascii=False)})
    frame = pd.DataFrame(rows, columns=RELATION_CANONICAL_COLUMNS)
    return frame.sort_values(["n_articles", "relation", "subj", "obj"], ascending=[False, True, True, True],
                             ignore_index=True)


def corpus_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Both corpus tables from the per-article tables of :func:`pipeline.tables.build_tables`."""
    entities, relations, articles = tables.get("entities"), tables.get("relations"), tables.get("articles")
    return {"entities_canonical": canonical_entities(entities, articles),
            "relations_canonical": canonical_relations(relations, articles, entities)}


def read_table(out: Path, name: str) -> pd.DataFrame | None:
    """One table of an output folder, CSV or partitioned Parquet, as strings; None when absent."""
    csv_path, parquet_path = out / f"{name}.csv", out / f"{name}.parquet"
    if csv_path.exists():
        return pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    if parquet_path.exists():
        return pd.read_parquet(parquet_path).astype(str)
    return None


def read_article_tables(out_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """(entities, relations, articles) of an extraction folder, offsets as integers."""
    out = Path(out_dir)
    entities, relations, articles = (read_table(out, n) for n in ("entities", "relations", "articles"))
    if entities is None or relations is None:
        raise FileNotFoundError(f"{out}: no entities / relations table to build the corpus tables from")
    for frame, cols in ((entities, ["sentence_id", "start", "end"]),
                        (relations, ["sentence_id", "subj_start", "subj_end", "obj_start", "obj_end"])):
        for col in cols:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").fillna(-1).astype(int)
    return entities, relations, articles


def write_corpus_tables(out_dir: str | Path, fmt: str = "csv") -> list[Path]:
    """Build ``entities_canonical`` and ``relations_canonical`` from an extraction folder and
    write them beside the per-article tables (atomically, like them)."""
    from .tables import write_tables

    entities, relations, articles = read_article_tables(out_dir)
    tables = {"entities_canonical": canonical_entities(entities, articles),
              "relations_canonical": canonical_relations(relations, articles, entities)}
    return write_tables(tables, out_dir, fmt="parquet" if fmt == "parquet" else "csv")


def evidence_items(row) -> list[dict]:
    """The per-article evidence of one ``relations_canonical`` row, decoded."""
    value = row["evidence"] if not isinstance(row, str) else row
    return json.loads(value) if isinstance(value, str) and value else []


__all__ = ["canonical_entities", "canonical_relations", "corpus_tables", "corpus_aliases", "entity_key",
           "read_article_tables", "read_table", "write_corpus_tables",
           "evidence_items", "NAME_LABELS", "SYMMETRIC"]
