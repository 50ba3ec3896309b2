"""Command line: ``python -m pipeline VERB ...``. A thin layer over the library functions."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_SOME_FAILED = 3  # some articles could not be processed: see articles.csv (status=error)
EXIT_USAGE = 2


def _extract(args: argparse.Namespace) -> int:
    from .nlp import Extractor, build_nlp
    from .reader import read_articles
    from .tables import build_tables, write_tables

    extractor = Extractor(build_nlp(use_model=None if not args.no_model else False), batch_size=args.batch_size)
    articles = read_articles(args.inputs, metadata_path=args.metadata)
    tables = build_tables(extractor.process(articles), tokens=args.tokens)
    written = write_tables(tables, args.out, fmt=args.format)
    summary = tables["articles"]
    failed = int((summary["status"] == "error").sum())
    print(f"{len(summary)} articles: {len(summary) - failed} ok, {failed} failed; "
          f"{len(tables['entities'])} entities, {len(tables['relations'])} relations -> "
          + ", ".join(str(p) for p in written), file=sys.stderr)
    for _, row in summary[summary["status"] == "error"].iterrows():
        print(f"  error {row['article_id']} ({row['source']}): {row['error']}", file=sys.stderr)
    return EXIT_SOME_FAILED if failed else EXIT_OK


# Verbs whose module parses its own arguments: python -m pipeline VERB ARGS...
DELEGATED_VERBS = {
    "normalize": ("normalize", "normalise numbers, dates and times: normalize --published YYYY-MM-DD TEXT..."),
    "report": ("report", "render the HTML report of an extraction: report INPUT... --out DIR"),
    "bench": ("bench", "throughput and memory benchmark against raw Kiwi tokenization"),
    "query": ("query", "query the corpus-level entity and relation tables"),
}


def _delegate(verb: str, argv: list[str]) -> int:
    import importlib

    module = importlib.import_module(f".{DELEGATED_VERBS[verb][0]}", __package__)
    return module.run_cli(argv)


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import run_eval

    return run_eval(args.gold, use_model=None if not args.no_model else False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)

    extract = verbs.add_parser("extract", help="extract entities, values and relations into tables")
    extract.add_argument("inputs", nargs="+", help=".txt files, folders of them, .jsonl corpora")
    extract.add_argument("--out", required=True, help="output folder for the tables")
    extract.add_argument("--metadata", help="CSV with id,published,publisher,title (default: articles.csv in an input folder)")
    extract.add_argument("--tokens", action="store_true", help="also write tokens.csv (the morphological stage)")
    extract.add_argument("--format", choices=["csv", "parquet"], default="csv")
    extract.add_argument("--batch-size", type=int, default=32)
    extract.add_argument("--no-model", action="store_true", help="rules and lexicon only, without the trained NER")
    extract.set_defaults(run=_extract)

    for verb, (_, help_text) in DELEGATED_VERBS.items():
        verbs.add_parser(verb, help=help_text, add_help=False)

    evaluate = verbs.add_parser("eval", help="score the pipeline against hand-labelled gold files")
    evaluate.add_argument("--gold", default="tests/gold", help="folder of gold JSON files")
    evaluate.add_argument("--no-model", action="store_true")
    evaluate.set_defaults(run=_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if argv and argv[0] in DELEGATED_VERBS:
        return _delegate(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    return args.run(args)
