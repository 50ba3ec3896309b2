"""Command line: ``python -m pipeline VERB ...``. A thin layer over the library functions."""
from __future__ import annotations

import argparse
import logging
import sys

EXIT_OK = 0
EXIT_FATAL = 1  # the run stopped (unexpected error); the previous tables are left as they were
EXIT_USAGE = 2  # bad command line or unreadable metadata file
EXIT_SOME_FAILED = 3  # some articles could not be processed: see articles.csv (status=error)
EXIT_INTERRUPTED = 130  # Ctrl-C; the previous tables are left as they were, finished articles are cached


def _extract(args: argparse.Namespace) -> int:
    import json
    import os

    from .reader import InputError
    from .runner import RunOptions, run_extract

    if args.scheduler and args.engine not in ("auto", "dask"):
        print("error: --scheduler needs --engine dask", file=sys.stderr)
        return EXIT_USAGE
    workers = args.workers if args.workers and args.workers > 0 else (os.cpu_count() or 1)
    show_progress = not args.quiet and (args.progress or sys.stderr.isatty())
    options = RunOptions(
        inputs=args.inputs, out=args.out, metadata=args.metadata, tokens=args.tokens, fmt=args.format,
        batch_size=max(1, args.batch_size), workers=workers, engine=args.engine, scheduler=args.scheduler,
        use_model=False if args.no_model else None, cache=not args.no_cache, force=args.force,
        progress=show_progress, part_articles=args.part_size)
    try:
        stats = run_extract(options)
    except KeyboardInterrupt:
        print("interrupted: previous tables left unchanged; finished articles are cached", file=sys.stderr)
        return EXIT_INTERRUPTED
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if stats.written:
        from .corpus import write_corpus_tables

        stats.written += [str(p) for p in write_corpus_tables(args.out, args.format)]
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as handle:
            json.dump(stats.as_dict(), handle, ensure_ascii=False, indent=1)
    rate = stats.articles / stats.seconds if stats.seconds else 0.0
    if not args.quiet or stats.failed:
        for article_id, source, error in stats.errors:
            print(f"  error {article_id} ({source}): {error}", file=sys.stderr)
        if stats.failed > len(stats.errors):
            print(f"  ... and {stats.failed - len(stats.errors)} more: see articles (status=error)", file=sys.stderr)
    print(f"{stats.articles} articles: {stats.ok} ok, {stats.failed} failed; {stats.processed} processed, "
          f"{stats.cached} from cache; {stats.entities} entities, {stats.relations} relations; "
          f"{stats.seconds:.1f} s, {rate:.1f} articles/s, {stats.engine} x{stats.workers} -> "
          + ", ".join(stats.written), file=sys.stderr)
    return EXIT_SOME_FAILED if stats.failed else EXIT_OK


# Verbs whose module parses its own arguments: python -m pipeline VERB ARGS...
DELEGATED_VERBS = {
    "normalize": ("normalize", "normalise numbers, dates and times: normalize --published YYYY-MM-DD TEXT..."),
    "report": ("report", "render the HTML report of an extraction: report INPUT... --out DIR"),
    "query": ("query", "query the corpus-level entity and relation tables"),
}


def _delegate(verb: str, argv: list[str]) -> int:
    import importlib

    module = importlib.import_module(f".{DELEGATED_VERBS[verb][0]}", __package__)
    return module.run_cli(argv)


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import GoldSplitError, ablation, run_eval

    try:
        if args.ablation:
            import pandas as pd

            with pd.option_context("display.width", 200):
                print(ablation(args.gold).to_string(index=False))
            return EXIT_OK
        return run_eval(args.gold, use_model=None if not args.no_model else False, split=args.split,
                        json_path=args.json, markdown=args.markdown)
    except GoldSplitError as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return EXIT_USAGE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)

    extract = verbs.add_parser("extract", help="extract entities, values and relations into tables")
    extract.add_argument("inputs", nargs="+", help=".txt files, folders of them, .jsonl corpora")
    extract.add_argument("--out", required=True, help="output folder for the tables")
    extract.add_argument("--metadata", help="CSV with id,published,publisher,title (default: articles.csv in an input folder)")
    extract.add_argument("--tokens", action="store_true", help="also write tokens.csv (the morphological stage)")
    extract.add_argument("--format", choices=["csv", "parquet"], default="csv",
                         help="csv files, or partitioned Parquet folders (NAME.parquet/part-NNNNN.parquet)")
    extract.add_argument("--batch-size", type=int, default=32, help="articles per batch sent to a worker")
    extract.add_argument("--no-model", action="store_true", help="rules and lexicon only, without the trained NER")
    extract.add_argument("--workers", type=int, default=0,
                         help="worker processes, each with its own Kiwi and spaCy (default 0: one per CPU core)")
    extract.add_argument("--engine", choices=["auto", "inline", "processes", "dask"], default="auto",
                         help="auto: inline for 1 worker, processes for more, dask with --scheduler")
    extract.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                         help="address of a running Dask scheduler to join (with --engine dask); "
                              "without it --engine dask starts a local cluster of --workers processes")
    extract.add_argument("--force", action="store_true", help="process every article again, ignoring the cache")
    extract.add_argument("--no-cache", action="store_true", help="neither read nor write the cache in OUT/.cache")
    extract.add_argument("--part-size", type=int, default=10_000, metavar="N",
                         help="articles per Parquet part file (--format parquet)")
    extract.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no per-article error list")
    extract.add_argument("--progress", action="store_true", help="show the progress bar even when not on a terminal")
    extract.add_argument("--stats", metavar="FILE", help="write run statistics (timings, memory) as JSON")
    extract.set_defaults(run=_extract)

    for verb, (_, help_text) in DELEGATED_VERBS.items():
        verbs.add_parser(verb, help=help_text, add_help=False)

    evaluate = verbs.add_parser("eval", help="score the pipeline against hand-labelled gold files")
    evaluate.add_argument("--gold", default="tests/gold", help="folder of gold JSON files")
    evaluate.add_argument("--no-model", action="store_true")
    evaluate.add_argument("--split", choices=["seeds", "tune", "test"],
                          help="score one set only (default: seeds, tune and test, each on its own; the Wikinews "
                               "parts come from GOLD/splits.tsv)")
    evaluate.add_argument("--json", metavar="FILE", help="also write each set's figures as JSON to FILE")
    evaluate.add_argument("--markdown", action="store_true",
                          help="print only the README Accuracy table rows, one per set")
    evaluate.add_argument("--ablation", action="store_true",
                          help="entity scores of the trained model alone, the rules alone and both combined")
    evaluate.set_defaults(run=_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if argv and argv[0] in DELEGATED_VERBS:
        return _delegate(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    return args.run(args)
