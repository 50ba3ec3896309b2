"""Query the corpus tables: ``python -m pipeline query --out DIR NAME [--relation R] [--label L]``.

Reads ``entities_canonical.csv`` and ``relations_canonical.csv`` from DIR (the extract output
folder); when they are not there it builds them from ``entities.csv``, ``relations.csv`` and
``articles.csv`` (CSV or ``.parquet``) with :mod:`pipeline.corpus`.

NAME matches a canonical name or any of its written forms (aliases), case-insensitively; with
``--contains`` a substring is enough. It prints the matching canonical entities, then every
canonical relation with a matching entity on either side (the other side first when it is the
object): count of articles, first/last publication date and one evidence sentence.

    python -m pipeline query --out out "오픈AI" --relation org:partner_of   # OpenAI's partners
    python -m pipeline query --out out 韓 --label LC                         # aliases resolve: 한국

The same from pandas::

    from pipeline.query import load_corpus, query
    ents, rels = load_corpus("out")
    hits = query(ents, rels, "오픈AI", relation="org:partner_of")
    hits["relations"][["subj", "relation", "obj", "n_articles"]]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from .corpus import canonical_entities, canonical_relations, evidence_items, read_article_tables, read_table


def load_corpus(out_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(entities_canonical, relations_canonical) of an output folder, built on the fly if missing."""
    out = Path(out_dir)
    ents, rels = read_table(out, "entities_canonical"), read_table(out, "relations_canonical")
    if ents is None or rels is None:
        entities, relations, articles = read_article_tables(out)
        ents = canonical_entities(entities, articles)
        rels = canonical_relations(relations, articles, entities)
    for frame in (ents, rels):
        for col in ("n_articles", "n_mentions"):
            if col in frame:
                frame[col] = pd.to_numeric(frame[col], errors="coerce").fillna(0).astype(int)
    return ents, rels


def matching_entities(ents: pd.DataFrame, name: str, label: str | None = None, contains: bool = False) -> pd.DataFrame:
    """Canonical entities whose name or one of whose aliases is ``name`` (case-insensitive)."""
    wanted = name.strip().casefold()

    def hit(row) -> bool:
        forms = [str(row["name"])] + [a.strip() for a in str(row.get("aliases", "") or "").split(";") if a.strip()]
        forms = [f.casefold() for f in forms]
        return any(wanted in f for f in forms) if contains else wanted in forms

    mask = ents.apply(hit, axis=1) if len(ents) else pd.Series([], dtype=bool)
    found = ents[mask]
    if label:
        found = found[found["label"] == label]
    return found


def query(ents: pd.DataFrame, rels: pd.DataFrame, name: str, relation: str | None = None,
          label: str | None = None, contains: bool = False) -> dict[str, pd.DataFrame]:
    """``{"entities": ..., "relations": ...}``: the matching entities and the relations they take part in."""
    found = matching_entities(ents, name, label, contains)
    keys = set(zip(found["name"], found["label"]))
    if not keys:  # a name that is no canonical entity may still be a relation's value (ISO date ...)
        keys = {(name, lab) for lab in set(rels.get("obj_label", pd.Series(dtype=str)))}
    subj_hit = pd.Series([(s, l) in keys for s, l in zip(rels["subj"], rels["subj_label"])], index=rels.index,
                         dtype=bool)
    obj_hit = pd.Series([(o, l) in keys for o, l in zip(rels["obj"], rels["obj_label"])], index=rels.index,
                        dtype=bool)
    hits = rels[subj_hit | obj_hit]
    if relation:
        hits = hits[hits["relation"] == relation]
    return {"entities": found.reset_index(drop=True), "relations": hits.reset_index(drop=True)}


def _print(result: dict[str, pd.DataFrame], name: str, limit: int) -> None:
    ents, rels = result["entities"], result["relations"]
    print(f"== entities matching {name!r}: {len(ents)}")
    for row in ents.head(limit).to_dict("records"):
        dates = f"{row['first_published']} .. {row['last_published']}" if row.get("first_published") else "dates unknown"
        aliases = f"  aliases: {row['aliases']}" if row.get("aliases") else ""
        print(f"  {row['label']} {row['name']}  ({row['n_articles']} articles, {row['n_mentions']} mentions, "
              f"{dates}){aliases}")
    names = set(ents["name"])
    print(f"== relations: {len(rels)}")
    for row in rels.head(limit).to_dict("records"):
        items = evidence_items(row)
        first = items[0] if items else {}
        other = row["obj"] if row["subj"] in names else row["subj"]
        print(f"  {row['subj']} --{row['relation']}--> {row['obj']}   [{other}; {row['n_articles']} articles]")
        if first:
            print(f"      {first['article_id']}#{first['sentence_id']}: {first['evidence'][:160]}")
    if len(rels) > limit:
        print(f"  ... {len(rels) - limit} more (use --limit)")


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline query", description=__doc__.split("\n")[0])
    parser.add_argument("name", help="an entity name or alias (오픈AI, 韓, CSO ...)")
    parser.add_argument("--out", required=True, help="the extract output folder")
    parser.add_argument("--relation", help="only this relation (org:partner_of, per:employee_of ...)")
    parser.add_argument("--label", help="only entities with this label (OG, PS, LC ...)")
    parser.add_argument("--contains", action="store_true", help="match a part of the name")
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print the matches as JSON records")
    args = parser.parse_args(argv)
    from .checks import ENTITY_LABELS, RELATION_TYPES, check_choice

    args.label = args.label.upper() if args.label else None
    check_choice("--relation", args.relation, RELATION_TYPES)
    check_choice("--label", args.label, ENTITY_LABELS)
    try:
        ents, rels = load_corpus(args.out)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = query(ents, rels, args.name, args.relation, args.label, args.contains)
    if args.json:
        json.dump({k: v.head(args.limit).to_dict("records") for k, v in result.items()}, sys.stdout,
                  ensure_ascii=False, indent=1, default=str)
        print()
    else:
        _print(result, args.name, args.limit)
    return 0 if len(result["entities"]) or len(result["relations"]) else 1


if __name__ == "__main__":
    from .cli import main

    sys.exit(main(["query", *sys.argv[1:]]))
