"""HTML report of an extraction: ``python -m pipeline report INPUT... --out DIR [--report-limit N]``.

One self-contained file (inline CSS, no scripts, no network) for people checking what the pipeline found:
a corpus summary (articles, entities per label, most frequent canonical entities, relation counts, failed
articles and why), then each article's text with its entities highlighted by label (spaCy's displaCy entity
renderer; the normalised value or canonical name is the hover text) and its relations as a table.

Everything that comes from the data (article text, titles, ids, sources, errors, norms, evidence) is escaped:
displaCy escapes the text it renders (``spacy.util.escape_html``); titles, attributes and table cells are
escaped here with :func:`html.escape` (quotes included). displaCy does *not* escape a ``title``, ``kb_id``
or ``kb_url``, so none of those are passed to it.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd
from spacy import displacy

from .report_style import (CSS, ENT_TEMPLATE, LABEL_COLORS, LABELS, OTHER_COLOR, VALUE_LABELS,  # noqa: F401
                           _chip, _col, _int, _records, _str, _table, esc, hover_text, readable_number)

REPORT_NAME = "report.html"
TOP_ENTITIES = 15

# --------------------------------------------------------------------------- article text

def entity_spans(text: str, entities: Iterable[Mapping]) -> tuple[list[dict], list[str]]:
    """displaCy spans for one article's entity rows, and the problems with rows that cannot be shown
    (offsets outside the text, text that differs from ``text[start:end]``, overlaps)."""
    spans, problems = [], []
    rows = sorted(entities,
                  key=lambda r: (_int(r.get("start")) or 0, _int(r.get("end")) or 0))
    last_end = 0
    for row in rows:
        start, end = _int(row.get("start")), _int(row.get("end"))
        label = _str(row.get("label"))
        if start is None or end is None or not 0 <= start < end <= len(text):
            problems.append(f"{_str(row.get('text'))!r} at {start}-{end}: offsets outside the text")
            continue
        if text[start:end] != _str(row.get("text")):
            problems.append(f"{_str(row.get('text'))!r} at {start}-{end}: the text there is {text[start:end]!r}")
            continue
        if start < last_end:
            problems.append(f"{_str(row.get('text'))!r} at {start}-{end}: overlaps the entity before it")
            continue
        last_end = end
        spans.append({
            "start": start, "end": end, "label": esc(label),
            "params": {"hover": esc(hover_text(row)), "start": start, "end": end,
                       "entity_id": esc(row.get("entity_id"))},
        })
    return spans, problems


def render_text(text: str, entities: Iterable[Mapping]) -> tuple[str, list[str]]:
    """The article text with highlighted entities (displaCy markup), and the rows it could not show."""
    spans, problems = entity_spans(text, entities)
    markup = displacy.render({"text": text, "ents": spans}, style="ent", manual=True, jupyter=False,
                             options={"colors": LABEL_COLORS, "template": ENT_TEMPLATE})
    return markup, problems


def _relations_table(relations: list[Mapping]) -> str:
    def argument(row, prefix: str) -> str:
        surface, norm, label = _str(row.get(prefix)), _str(row.get(f"{prefix}_norm")), _str(row.get(f"{prefix}_label"))
        cell = f"{_chip(label)} {esc(surface)}" if label else esc(surface)
        if norm and norm != surface:
            cell += f' <span class="muted">→ {esc(norm)}</span>'
        return cell

    rows = [[argument(row, "subj"), f'<span class="rel">{esc(row.get("relation"))}</span>', argument(row, "obj"),
             f'<span class="evidence">{esc(row.get("evidence"))}</span>'] for row in relations]
    return _table([("subject", ""), ("relation", ""), ("object", ""), ("evidence", "")], rows,
                  empty="no relations found in this article")


def _article_section(number: int, article: Mapping, text: str | None, entities: list[Mapping],
                     relations: list[Mapping]) -> str:
    title = _str(article.get("title")) or _str(article.get("article_id"))
    meta = " · ".join(part for part in (
        esc(article.get("article_id")), esc(article.get("source")),
        f"published {esc(article.get('published'))}" if _str(article.get("published")) else "",
        f"{len(entities)} entities", f"{len(relations)} relations") if part)
    out = [f'<article class="card" id="article-{number}"><h2>{esc(title)}</h2><p class="muted">{meta}</p>']
    note = _str(article.get("error"))
    if note:  # ok articles carry their warnings in the error column
        out.append(f'<p class="warning">{esc(note)}</p>')
    if text is None:
        out.append('<p class="warning">Text not available: this article is not among the inputs given to the report, '
                   'so its entities cannot be shown on the text.</p>')
    else:
        markup, problems = render_text(text, entities)
        if problems:
            items = "".join(f"<li>{esc(p)}</li>" for p in problems[:20])
            more = f"<li>… and {len(problems) - 20} more</li>" if len(problems) > 20 else ""
            out.append(f'<div class="warning">{len(problems)} entities of the tables are not highlighted: does the '
                       f'text still match the extraction?<ul>{items}{more}</ul></div>')
        out.append(markup)
    out.append(f"<h3>Relations ({len(relations)})</h3>")
    out.append(_relations_table(relations))
    out.append("</article>")
    return "\n".join(out)


# --------------------------------------------------------------------------- corpus summary

def _summary(articles: pd.DataFrame, entities: pd.DataFrame, relations: pd.DataFrame) -> str:
    failed = articles[_col(articles, "status") == "error"]
    n_chars = int(pd.to_numeric(articles["n_chars"], errors="coerce").fillna(0).sum()) if "n_chars" in articles else 0
    stats = [("articles", len(articles), ""), ("ok", len(articles) - len(failed), ""),
             ("failed", len(failed), " bad" if len(failed) else ""), ("entities", len(entities), ""),
             ("relations", len(relations), ""), ("characters", n_chars, "")]
    out = ['<section class="card" id="summary"><h2>Corpus summary</h2><div class="stats">']
    out += [f'<div class="stat{cls}"><b>{value:,}</b>{esc(name)}</div>' for name, value, cls in stats]
    out.append("</div>")

    norm, text = _col(entities, "norm"), _col(entities, "text")
    ents = pd.DataFrame({"_label": _col(entities, "label"), "_canon": norm.where(norm != "", text),
                         "_article": _col(entities, "article_id")})
    counts = ents.groupby("_label").agg(mentions=("_article", "size"), distinct=("_canon", "nunique"),
                                        articles=("_article", "nunique"))
    labels = [label for label in LABELS if label in counts.index] + sorted(set(counts.index) - set(LABELS))
    per_label = [[_chip(label), esc(LABELS.get(label, ("", ""))[0]), f"{counts.at[label, 'mentions']:,}",
                  f"{counts.at[label, 'distinct']:,}", f"{counts.at[label, 'articles']:,}"] for label in labels]
    out.append('<div class="grid"><div><h3>Entities per label</h3>')
    out.append(_table([("label", ""), ("", ""), ("mentions", "n"), ("distinct", "n"), ("articles", "n")], per_label,
                      empty="no entities"))
    out.append("</div><div>")

    named = ents[~ents["_label"].isin(VALUE_LABELS)]
    top = (named.groupby(["_label", "_canon"]).agg(mentions=("_article", "size"), articles=("_article", "nunique"))
           .reset_index().sort_values(["mentions", "articles", "_label", "_canon"], ascending=[False, False, True, True])
           .head(TOP_ENTITIES))
    out.append(f"<h3>Top {TOP_ENTITIES} canonical entities</h3>")
    out.append(_table([("label", ""), ("canonical name", ""), ("mentions", "n"), ("articles", "n")],
                      ([_chip(r["_label"]), esc(r["_canon"]), f"{r['mentions']:,}", f"{r['articles']:,}"]
                       for _, r in top.iterrows()), empty="no named entities"))
    out.append(f'<p class="muted">Named entities only ({", ".join(VALUE_LABELS)} are values); canonical name = norm, '
               f"else the text.</p></div><div>")

    rels = pd.DataFrame({"_relation": _col(relations, "relation"), "_article": _col(relations, "article_id")})
    counts = (rels.groupby("_relation").agg(count=("_article", "size"), articles=("_article", "nunique"))
              .reset_index().sort_values(["count", "_relation"], ascending=[False, True]))
    out.append("<h3>Relations</h3>")
    out.append(_table([("relation", ""), ("count", "n"), ("articles", "n")],
                      ([f'<span class="rel">{esc(r["_relation"])}</span>', f"{r['count']:,}", f"{r['articles']:,}"]
                       for _, r in counts.iterrows()), empty="no relations"))
    out.append("</div></div><div>")
    out.append(f"<h3>Failed articles ({len(failed)})</h3>")
    out.append(_table([("article", ""), ("source", ""), ("error", "")],
                      ([esc(r.get("article_id")), esc(r.get("source")), f'<span class="error">{esc(r.get("error"))}</span>']
                       for r in failed.to_dict("records")), empty="none: every article was processed"))
    out.append("</div>")
    legend = "".join(f'<span title="{esc(name)}">{_chip(label)}{esc(name)}</span> ' for label, (name, _) in LABELS.items())
    out.append(f'<p class="legend muted">{legend}<br>Hover over a highlighted entity to see its normalised value or '
               f"canonical name and its entity id.</p></section>")
    return "\n".join(out)


# --------------------------------------------------------------------------- the page

def rendered_ids(articles: pd.DataFrame, limit: int | None = None) -> list[str]:
    """The ids of the articles that get a section: readable ones, in table order, at most ``limit``."""
    ids = _col(articles, "article_id")[_col(articles, "status") != "error"].tolist()
    return ids if limit is None else ids[:max(limit, 0)]


def render_report(articles: pd.DataFrame, entities: pd.DataFrame, relations: pd.DataFrame, texts: Mapping[str, str],
                  limit: int | None = None) -> str:
    """The whole report as one HTML page. ``texts``: article id -> text as read (the offsets' reference);
    ``limit``: at most this many article sections (the summary always covers every article)."""
    show = rendered_ids(articles, limit)
    readable = len(rendered_ids(articles))
    wanted = set(show)
    by_id = {key: rows[0] for key, rows in _records(articles, _col(articles, "article_id"), wanted).items()}
    ent_groups = _records(entities, _col(entities, "article_id"), wanted)
    rel_groups = _records(relations, _col(relations, "article_id"), wanted)

    out = ["<!DOCTYPE html>", '<html lang="ko"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Extraction report: {len(articles):,} articles</title>", f"<style>{CSS}</style></head>",
           "<body><main>", "<h1>Extraction report</h1>",
           f'<p class="muted">{len(articles):,} articles · {len(entities):,} entities · {len(relations):,} relations'
           "</p>",  # no time stamp: the same tables give the same page (outputs/report.html is tracked)
           _summary(articles, entities, relations)]

    index_rows = []
    for number, article_id in enumerate(show, start=1):
        row = by_id[article_id]
        index_rows.append([f"{number}", f'<a href="#article-{number}">{esc(article_id)}</a>', esc(row.get("title")),
                           esc(row.get("published")), f"{len(ent_groups.get(article_id, [])):,}",
                           f"{len(rel_groups.get(article_id, [])):,}"])
    shown = (f"all {readable:,} readable articles" if len(show) == readable
             else f"the first {len(show):,} of {readable:,} readable articles (--report-limit {limit})")
    out.append(f'<section class="card" id="articles"><h2>Articles</h2><p class="muted">Showing {shown}.</p>')
    out.append(_table([("#", "n"), ("article", ""), ("title", ""), ("published", ""), ("entities", "n"),
                       ("relations", "n")], index_rows, empty="no readable articles"))
    out.append("</section>")
    for number, article_id in enumerate(show, start=1):
        out.append(_article_section(number, by_id[article_id], texts.get(article_id),
                                    ent_groups.get(article_id, []), rel_groups.get(article_id, [])))
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- command line

def read_table(out_dir: Path, name: str) -> pd.DataFrame:
    """``DIR/name.csv`` (or ``.parquet``) as strings, empty cells as ""."""
    from .corpus import read_table as read_output_table

    table = read_output_table(out_dir, name)
    if table is None:
        raise FileNotFoundError(f"no {name}.csv in {out_dir}: run `python -m pipeline extract INPUT... --out {out_dir}` first")
    return table


def write_text_atomic(content: str, path: Path) -> None:
    """Write to a temporary file beside ``path`` and rename it: readers never see half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.read_text(encoding="utf-8") == content:
            return  # unchanged: leave the file (and its time stamp) alone
    except (OSError, UnicodeDecodeError):
        pass
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file: readable by a web server or a colleague
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_report(inputs: list[str], out_dir: str | Path, limit: int | None = None,
                 metadata: str | None = None) -> Path:
    """Read DIR's tables and the inputs' texts, write DIR/report.html; returns its path."""
    from .reader import read_articles

    out = Path(out_dir)
    articles, entities, relations = (read_table(out, name) for name in ("articles", "entities", "relations"))
    wanted = set(rendered_ids(articles, limit))
    texts = {a.article_id: a.text for a in read_articles(inputs, metadata_path=metadata) if a.article_id in wanted}
    path = out / REPORT_NAME
    write_text_atomic(render_report(articles, entities, relations, texts, limit=limit), path)
    return path


def run_cli(argv: list[str]) -> int:
    """``python -m pipeline report INPUT... --out DIR [--report-limit N] [--metadata F]``."""
    argv = list(argv)
    if argv and argv[0] == "report":
        argv = argv[1:]
    ap = argparse.ArgumentParser(
        prog="python -m pipeline report",
        description="Render DIR/report.html from the tables `extract` wrote to DIR; the inputs are read again for "
                    "the article texts (give the same INPUTs and --metadata as to extract).")
    ap.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt files, folders of them, .jsonl corpora")
    ap.add_argument("--out", required=True, metavar="DIR", help="folder with entities/relations/articles tables")
    ap.add_argument("--report-limit", type=int, metavar="N", help="render at most N articles (the summary covers all)")
    ap.add_argument("--metadata", metavar="F", help="metadata CSV, as given to extract")
    args = ap.parse_args(argv)
    if args.report_limit is not None and args.report_limit < 0:
        ap.error("--report-limit must be 0 or more")
    try:
        path = build_report(args.inputs, args.out, limit=args.report_limit, metadata=args.metadata)
    except FileNotFoundError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    print(f"report -> {path}", file=sys.stderr)
    return 0
