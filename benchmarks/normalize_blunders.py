"""Issue 19's news blunders, counted over the 542 Wikinews articles (../shared/data/wikinews-ko/wikinews-ko.jsonl).

    PYTHONPATH=. python -m benchmarks.normalize_blunders [--list] [--dump FILE] [--pipeline]

Each article goes through ``find_expressions`` with its publication date, or, with ``--pipeline``, through
``pipeline.extract`` (the QT/DT/TI rows of the entity table users get, the model's quantities included). Kinds
counted (a count is a list of suspects to read, not all of them wrong):

- ``over_1e13``: a value whose absolute size is over 10^13 (real only for money: 342조원)
- ``over_1e13_not_money``: the same without a currency unit (a blunder: 무역확장법 232조 as 232 trillion)
- ``law_article``: a QT right after 법/제 or ending in ``N조`` without a currency (an article of a law)
- ``event_name``: a DT with a norm, or a QT that is no ordinal, right before an event word (2010년 FIFA 월드컵)
- ``model_version``: a bare number without a unit right after a Latin or Hangul name and one space, with no
  particle after it (새턴 5, 팰컨 9, 국방개혁 2.0)
- ``negative``: a negative value (to read: temperatures after 영하 and growth rates are right)

``--dump FILE`` writes every expression (article id, start, text, label, value, unit, norm) as TSV, so that two
versions of the normaliser can be diffed expression by expression (``diff before.tsv after.tsv``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.normalize import find_expressions

WIKINEWS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wikinews-ko" / "wikinews-ko.jsonl"
_MONEY = ("원", "달러", "유로", "엔", "위안", "파운드", "루블")
_EVENT_AFTER = re.compile(r"[ ]?(?:올림픽|월드컵|아시안게임|민주화운동|전쟁|혁명|항쟁|선언|운동)")
_NAME_BEFORE = re.compile(r"(?:[A-Za-z][A-Za-z\-]+|[가-힣]{2,}) $")
_PARTICLE_BEFORE = re.compile(r"(?:은|는|이|가|을|를|에|의|로|와|과|도|만|서|며|고|다|약|총|규모|섭씨|화씨|대) $")
_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Row:
    """One QT/DT/TI of the entity table, with the fields :func:`check` reads from an expression."""
    start: int
    end: int
    text: str
    label: str
    value: float | None
    unit: str
    norm: str
    kind: str = ""


def normaliser_rows(articles: list[dict]):
    for art in articles:
        pub = dt.date.fromisoformat(art["published"]) if art.get("published") else None
        yield art, find_expressions(art["text"], pub)


def pipeline_rows(articles: list[dict]):
    """The QT/DT/TI rows ``pipeline.extract`` writes for each article."""
    import pandas as pd

    import pipeline

    ents = pipeline.extract(articles).entities
    by_id = {aid: g for aid, g in ents[ents.label.isin(["QT", "DT", "TI"])].groupby("article_id")}
    for art in articles:
        rows = by_id.get(art["id"])
        yield art, [] if rows is None else [
            Row(int(r.start), int(r.end), r.text, r.label, None if pd.isna(r.value) else float(r.value),
                "" if pd.isna(r.unit) else str(r.unit), "" if pd.isna(r.norm) else str(r.norm))
            for r in rows.itertuples()]


def check(path: Path = WIKINEWS, use_pipeline: bool = False) -> tuple[Counter, list[tuple[str, str, str, object]], list[str]]:
    counts: Counter = Counter()
    found: list[tuple[str, str, str, object]] = []
    dump: list[str] = []
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for art, exprs in (pipeline_rows if use_pipeline else normaliser_rows)(articles):
        text = art["text"]
        for e in exprs:
            dump.append(f"{art['id']}\t{e.start}\t{e.text}\t{e.label}\t{e.value}\t{e.unit}\t{e.norm}")
            counts["expressions"] += 1
            before = text[max(0, e.start - 12):e.start]
            kinds = []
            if e.value is not None and abs(e.value) > 1e13:
                kinds.append("over_1e13")
                if e.unit not in _MONEY and not re.search(r"조\s?(?:원|달러|유로|엔|위안)", text[e.start:e.end + 3]):
                    kinds.append("over_1e13_not_money")
            if e.label == "QT" and (re.search(r"(?:법|(?:^|[ (])제)[ ]?$", before) or
                                    re.search(r"\d조$", e.text) and not re.search(r"조\s?(?:원|달러)", e.text)
                                    and not text.startswith(("원", "달러", "유로", "엔", "위안"), e.end)
                                    and not text.startswith((" 원", " 달러", " 유로", " 엔", " 위안"), e.end)):
                kinds.append("law_article")
            if _EVENT_AFTER.match(text, e.end) and (e.label == "DT" and e.norm or
                                                     e.label == "QT" and e.kind != "ordinal"):
                kinds.append("event_name")
            if e.label == "QT" and not e.unit and _BARE_NUMBER.fullmatch(e.text) and _NAME_BEFORE.search(before) \
                    and not _PARTICLE_BEFORE.search(before) and (e.end >= len(text) or not ("가" <= text[e.end] <= "힣")):
                kinds.append("model_version")
            if e.value is not None and e.value < 0:
                kinds.append("negative")
            for k in kinds:
                counts[k] += 1
                found.append((k, art["id"], before[-8:] + "[" + e.text + "]" + text[e.end:e.end + 6], e.value or e.norm))
    return counts, found, dump


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.normalize_blunders")
    ap.add_argument("--list", action="store_true", help="print every suspect")
    ap.add_argument("--dump", metavar="FILE", help="write every expression as TSV")
    ap.add_argument("--pipeline", action="store_true", help="count the entity table of pipeline.extract instead")
    args = ap.parse_args(argv)
    if not WIKINEWS.exists():
        print(f"not found: {WIKINEWS}")
        return 1
    counts, found, dump = check(use_pipeline=args.pipeline)
    for k in ("expressions", "over_1e13", "over_1e13_not_money", "law_article", "event_name", "model_version",
              "negative"):
        print(f"{k:22s} {counts.get(k, 0)}")
    if args.list:
        for k, aid, ctx, v in found:
            print(f"{k}\t{aid}\t{ctx!r}\t{v}")
    if args.dump:
        Path(args.dump).write_text("\n".join(dump) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
