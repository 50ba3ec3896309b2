"""``python -m pipeline bench``: throughput and memory against raw Kiwi tokenization.

On the Wikinews corpus repeated to ``--articles`` articles (default 5,000, unique ids):

1. raw Kiwi: ``Kiwi(num_workers=W).tokenize(texts)`` with Kiwi's defaults on the same texts, for
   W = 1 and the most workers benchmarked (the baseline on the same text and cores), before and
   again after step 2; the ratios use the faster of the two runs. For reference, also once with
   the beam setting the pipeline's tokenizer uses (``pipeline.morph.KIWI_CUTOFF_THRESHOLD``);
2. the whole pipeline (``extract --no-cache``) with each ``--workers`` value, each run in its own
   process: articles/s, characters/s, per-stage time, peak RSS per worker process;
3. whether the tables of the runs are identical;
4. the normaliser's expressions/s (``benchmarks.normalize_bench.benchmark``).

Throughput is measured from the first batch to the tables in place; pipeline loading is
reported separately (``startup``). The figures the project aims at are checked at the end.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "wikinews-ko" / "wikinews-ko.jsonl"

_KIWI_SCRIPT = """
import json, resource, sys, time
from kiwipiepy import Kiwi
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
workers = int(sys.argv[2])
kiwi = Kiwi(num_workers=workers)
if len(sys.argv) > 3:
    kiwi.global_config.cutoff_threshold = float(sys.argv[3])
kiwi.tokenize("워밍업 문장이다.")
start = time.perf_counter()
n = sum(1 for _ in kiwi.tokenize(iter(texts)))
seconds = time.perf_counter() - start
print(json.dumps({"texts": n, "chars": sum(map(len, texts)), "seconds": seconds,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_corpus(source: Path, n: int, path: Path) -> tuple[int, int]:
    rows = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    rows = [r for r in rows if isinstance(r.get("text"), str) and r["text"].strip()]
    chars = 0
    with open(path, "w", encoding="utf-8") as handle:
        for k in range(n):
            row = dict(rows[k % len(rows)])
            row["id"] = f"{row.get('id', 'a')}~{k // len(rows)}"
            chars += len(row["text"])
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return n, chars


def raw_kiwi(corpus: Path, workers: int, cutoff_threshold: float | None = None) -> dict:
    setting = [] if cutoff_threshold is None else [str(cutoff_threshold)]
    out = subprocess.run([sys.executable, "-c", _KIWI_SCRIPT, str(corpus), str(workers), *setting],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["chars_per_s"] = result["chars"] / result["seconds"]
    return result


def run_pipeline(corpus: Path, out: Path, workers: int, extra: list[str]) -> dict:
    stats_file = out.with_suffix(".json")
    command = [sys.executable, "-m", "pipeline", "extract", str(corpus), "--out", str(out), "--workers",
               str(workers), "--quiet", "--no-cache", "--stats", str(stats_file), *extra]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 3):
        raise RuntimeError(f"extract failed ({done.returncode}): {done.stderr[-2000:]}")
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    stats["wall"] = wall
    return stats


def _same_tables(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.glob("*.csv"))
    return names == sorted(p.name for p in b.glob("*.csv")) and all(
        filecmp.cmp(a / n, b / n, shallow=False) for n in names)


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000, help="corpus size (Wikinews repeated)")
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="a JSONL corpus to repeat")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts to run (default 1,2)")
    parser.add_argument("--tokens", action="store_true", help="also write the tokens table")
    parser.add_argument("--normalize", type=int, default=10_000, metavar="N",
                        help="expressions for the normaliser benchmark (0 to skip)")
    parser.add_argument("--keep", metavar="DIR", help="keep corpus and outputs in DIR")
    args = parser.parse_args(argv)
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    n, chars = make_corpus(Path(args.corpus), args.articles, corpus)
    print(f"corpus: {n} articles, {chars:,} characters ({Path(args.corpus).name} repeated); "
          f"{os.cpu_count()} CPU cores")

    # The baseline runs before and again after the pipeline runs, and the ratios use the faster of
    # the two: a slow spell of the machine during one baseline run cannot flatter the pipeline.
    kiwi_counts = sorted({1, max(worker_counts)})
    kiwi: dict[int, dict] = {}

    def baseline(when: str) -> None:
        print(f"\nraw Kiwi tokenization (Kiwi().tokenize on the same texts), {when}:")
        for w in kiwi_counts:
            result = raw_kiwi(corpus, w)
            print(f"  num_workers={w}: {result['chars_per_s']:>10,.0f} chars/s  {result['seconds']:.1f} s  "
                  f"peak RSS {result['rss_mb']:.0f} MB")
            if w not in kiwi or result["chars_per_s"] > kiwi[w]["chars_per_s"]:
                kiwi[w] = result

    baseline("before the pipeline runs")

    # The pipeline's tokenizer prunes Kiwi's beam harder than Kiwi's default does (less CPU, the
    # same gold figures): how fast raw Kiwi is with that setting, so the two effects can be told apart.
    from .morph import KIWI_CUTOFF_THRESHOLD

    pruned: dict[int, dict] = {}
    if KIWI_CUTOFF_THRESHOLD is not None:
        print(f"\nfor reference, raw Kiwi with the pipeline's beam setting (cutoff_threshold "
              f"{KIWI_CUTOFF_THRESHOLD:g}; Kiwi's default is 8):")
        for w in kiwi_counts:
            result = pruned[w] = raw_kiwi(corpus, w, KIWI_CUTOFF_THRESHOLD)
            print(f"  num_workers={w}: {result['chars_per_s']:>10,.0f} chars/s  {result['seconds']:.1f} s")

    runs = {}
    extra = ["--tokens"] if args.tokens else []
    for w in worker_counts:
        stats = runs[w] = run_pipeline(corpus, work / f"out-w{w}", w, extra)
        seconds = stats["seconds"]
        rss = stats["worker_rss_mb"]
        print(f"\npipeline --workers {w} ({stats['engine']}): {stats['articles']} articles "
              f"({stats['failed']} failed) in {seconds:.1f} s + {stats['startup_seconds']:.1f} s startup "
              f"(wall {stats['wall']:.1f} s)")
        print(f"  {stats['articles'] / seconds:,.1f} articles/s   {stats['chars_processed'] / seconds:,.0f} chars/s   "
              f"peak RSS per worker: {', '.join(f'{v:.0f}' for v in rss.values())} MB "
              f"(main process {stats['main_rss_mb']:.0f} MB)")
        stage_total = sum(stats["stage_seconds"].values()) or 1.0
        print("  per-stage time (summed over workers):")
        for stage, s in sorted(stats["stage_seconds"].items(), key=lambda kv: -kv[1]):
            print(f"    {stage:<18} {s:8.2f} s  {100 * s / stage_total:5.1f}%")

    baseline("after the pipeline runs")

    print()
    if len(runs) > 1:
        first = min(runs)
        for w in runs:
            if w != first:
                print(f"tables of --workers {w} identical to --workers {first}: "
                      f"{'yes' if _same_tables(work / f'out-w{first}', work / f'out-w{w}') else 'NO'}")

    if args.normalize:
        from benchmarks.normalize_bench import benchmark

        result = benchmark(args.normalize)
        print(f"normaliser: {result['expressions']} expressions in {result['seconds']} s = "
              f"{result['per_second']:,} expressions/s")

    print("\nfigures:")
    ok = True
    for w, stats in runs.items():
        rate = stats["chars_processed"] / stats["seconds"]
        base = kiwi.get(w) or kiwi[1]
        ratio = rate / base["chars_per_s"]
        good = ratio >= 0.5
        ok &= good
        print(f"  pipeline/raw Kiwi chars/s, {w} core(s): {rate:,.0f} / {base['chars_per_s']:,.0f} (the faster "
              f"baseline) = {ratio:.2f}x (target >= 0.5x) {'ok' if good else 'MISSED'}")
        if w in pruned:
            print(f"    (for reference: {rate / pruned[w]['chars_per_s']:.2f}x raw Kiwi with the pipeline's "
                  f"beam setting, {pruned[w]['chars_per_s']:,.0f} chars/s)")
    if 1 in runs and 2 in runs:
        speedup = (runs[2]["chars_processed"] / runs[2]["seconds"]) / (runs[1]["chars_processed"] / runs[1]["seconds"])
        good = speedup >= 1.7
        ok &= good
        print(f"  --workers 2 / --workers 1 throughput: {speedup:.2f}x (target >= 1.7x) {'ok' if good else 'MISSED'}")
    peak = max(v for stats in runs.values() for v in list(stats["worker_rss_mb"].values()) or [stats["main_rss_mb"]])
    print(f"  peak RSS per worker: {peak:.0f} MB (target <= 1536 MB) {'ok' if peak <= 1536 else 'MISSED'}")
    try:
        load = os.getloadavg()[0]
        print(f"  (load average at the end: {load:.2f} on {os.cpu_count()} cores; other processes skew the figures)")
    except OSError:
        pass
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0
