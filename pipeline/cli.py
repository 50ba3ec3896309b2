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
EXIT_BROKEN_PIPE = 141  # standard output closed by its reader (``| head``), as 128 + SIGPIPE


def _check_extract(args: argparse.Namespace) -> None:
    """Everything that can be checked before a run, so that a bad command line changes nothing."""
    from .checks import UsageError, check_count, check_inputs, check_metadata, check_out, check_scheduler

    if args.scheduler and args.engine not in ("auto", "dask"):
        raise UsageError("--scheduler needs --engine dask (or leave --engine out)")
    check_count("--workers", args.workers, hint=" (leave it out for one per CPU core)")
    check_count("--batch-size", args.batch_size, allow_none=False)
    check_count("--part-size", args.part_size, allow_none=False)
    check_inputs(args.inputs)
    check_out(args.out)
    check_metadata(args.metadata)
    check_scheduler(args.scheduler)


def _extract(args: argparse.Namespace) -> int:
    import json
    import os

    from .engines import EngineError
    from .reader import InputError
    from .runner import RunOptions, run_extract

    _check_extract(args)
    workers = args.workers or os.cpu_count() or 1
    show_progress = not args.quiet and (args.progress or sys.stderr.isatty())
    options = RunOptions(
        inputs=args.inputs, out=args.out, metadata=args.metadata, tokens=args.tokens, fmt=args.format,
        batch_size=args.batch_size, workers=workers, engine=args.engine, scheduler=args.scheduler,
        use_model=False if args.no_model else None, cache=not args.no_cache, force=args.force,
        progress=show_progress, part_articles=args.part_size)
    try:
        stats = run_extract(options)
    except KeyboardInterrupt:
        print("interrupted: previous tables left unchanged; finished articles are cached", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (InputError, EngineError) as exc:
        print(f"error: {exc}; previous tables left unchanged", file=sys.stderr)
        return EXIT_USAGE
    if not stats.articles:
        print(f"error: no articles in {' '.join(args.inputs)} (.txt, .html and .jsonl files are read); "
              f"nothing written, {args.out} left unchanged", file=sys.stderr)
        return EXIT_USAGE
    if stats.written:
        from .corpus import write_corpus_tables

        stats.written += [str(p) for p in write_corpus_tables(args.out, args.format)]
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as handle:
            json.dump(stats.as_dict(), handle, ensure_ascii=False, indent=1)
    _print_summary(args, stats)
    return EXIT_SOME_FAILED if stats.failed else EXIT_OK


def _print_summary(args: argparse.Namespace, stats) -> None:
    rate = stats.articles / stats.seconds if stats.seconds else 0.0
    if not args.quiet or stats.failed:
        for article_id, source, error in stats.errors:
            print(f"  error {article_id} ({source}): {error}", file=sys.stderr)
        if stats.failed > len(stats.errors):
            print(f"  ... and {stats.failed - len(stats.errors)} more: see articles (status=error)", file=sys.stderr)
    print(f"{stats.articles} articles: {stats.ok} ok, {stats.failed} failed; {stats.processed} processed, "
          f"{stats.cached} from cache; {stats.entities} entities, {stats.relations} relations; "
          f"{stats.seconds:.1f} s (+{stats.startup_seconds:.1f} s start-up), {rate:.1f} articles/s, "
          f"{stats.engine} x{stats.workers} -> " + ", ".join(stats.written), file=sys.stderr)


# Verbs whose module parses its own arguments: python -m pipeline VERB ARGS...
DELEGATED_VERBS = {
    "normalize": ("normalize", "normalise numbers, dates and times: normalize --published YYYY-MM-DD TEXT..."),
    "report": ("report", "render the HTML report of an extraction: report INPUT... --out DIR"),
    "query": ("query", "query the corpus-level entity and relation tables"),
}


def _delegate(verb: str, argv: list[str]) -> int:
    import importlib

    if verb == "normalize":
        argv = _normalize_published(argv)
    module = importlib.import_module(f".{DELEGATED_VERBS[verb][0]}", __package__)
    return module.run_cli(argv)


def _normalize_published(argv: list[str]) -> list[str]:
    """``--published`` checked and written as YYYY-MM-DD (``2025.09.10`` is accepted, ``2025-13-45`` is not)."""
    from .checks import parse_published

    argv = list(argv)
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--published" and i + 1 < len(argv):
            argv[i + 1] = parse_published(argv[i + 1]).isoformat()
        elif arg.startswith("--published="):
            argv[i] = "--published=" + parse_published(arg.split("=", 1)[1]).isoformat()
    return argv


def _eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .checks import UsageError

    gold = Path(args.gold)
    if not gold.is_dir():
        raise UsageError(f"--gold {args.gold}: no such folder; give the folder of gold JSON files (tests/gold)")
    if not any(gold.glob("*.json")):
        raise UsageError(f"--gold {args.gold}: no gold files (*.json) in it; label articles with "
                         "docs/labelling-guide.md or use tests/gold")
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
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__,
                                     epilog="--debug (anywhere): show the traceback of an error")
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
    extract.add_argument("--workers", type=int, default=None,
                         help="worker processes, each with its own Kiwi and spaCy (default: one per CPU core; "
                              "an input under 600,000 characters runs in this process whatever the number)")
    extract.add_argument("--engine", choices=["auto", "inline", "processes", "dask"], default="auto",
                         help="auto: inline for 1 worker or a small input, processes for more, dask with --scheduler")
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
    """``python -m pipeline [--debug] VERB ...`` (also the ``korean-news`` console script).

    A usage error is one line on standard error and exit 2; an unexpected error one line and exit 1;
    the traceback only with ``--debug``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from .checks import UsageError

    try:
        if argv and argv[0] in DELEGATED_VERBS:
            return _delegate(argv[0], argv[1:])
        args = build_parser().parse_args(argv)
        return args.run(args)
    except UsageError as exc:
        if debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # the reader of our output went away (``| head``): stop quietly, as other command-line tools do
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        if debug:
            raise
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - one line for the user; the traceback with --debug
        if debug:
            raise
        print(f"error: {type(exc).__name__}: {exc} (unexpected; previous tables left unchanged; "
              "run again with --debug for the traceback)", file=sys.stderr)
        return EXIT_FATAL


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush must not fail again
    except (OSError, ValueError):
        pass
