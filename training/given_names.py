"""Build ``pipeline/resources/given_names.tsv``: foreign given names written in Hangul.

    python -m training.given_names          # rewrites the resource from the installed kiwipiepy_model

The first word of the multi-word person entries (Wikidata class Q5) of ``kiwipiepy_model``'s ``multi.dict``
(Apache-2.0), kept when it starts at least ``MIN_NAMES`` persons (도널드 145, 마이클 741), is Hangul of two or
more syllables, is no title (교황) and Kiwi alone does not read it as a common noun or a word of another kind
(사이, 'between', starts 10 entries). The model screen uses it to give a foreign person the given name the
tagger left out (도널드 + 트럼프).
"""
from __future__ import annotations

import collections
from pathlib import Path

MIN_NAMES = 5
OUT = Path(__file__).resolve().parent.parent / "pipeline" / "resources" / "given_names.tsv"


def given_names(min_names: int = MIN_NAMES) -> list[tuple[str, int]]:
    import kiwipiepy_model
    from kiwipiepy import Kiwi

    from pipeline.entities.lexicons import lexicons

    base = Path(kiwipiepy_model.get_model_path() if hasattr(kiwipiepy_model, "get_model_path")
                else Path(kiwipiepy_model.__file__).parent)
    counts: collections.Counter = collections.Counter()
    for line in (base / "multi.dict").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.rstrip().endswith("# Q5"):
            continue
        words = line.split("\t")[0].split()
        if len(words) >= 2 and len(words[0]) >= 2 and all("가" <= ch <= "힣" for ch in words[0]):
            counts[words[0]] += 1
    kiwi, titles = Kiwi(), lexicons().titles
    kept = []
    for word, n in counts.most_common():
        if n < min_names or word in titles:
            continue
        tokens = kiwi.tokenize(word)
        if len(tokens) == 1 and tokens[0].tag == "NNP":
            kept.append((word, n))
    return sorted(kept)


def main() -> int:
    rows = given_names()
    header = ("# Foreign given names in Hangul: the first word of at least 5 multi-word persons (Wikidata Q5) of\n"
              "# kiwipiepy_model's multi.dict (Apache-2.0), not a title, read by Kiwi alone as one proper noun.\n"
              "# Built by `python -m training.given_names`; n: the number of such persons.\n")
    OUT.write_text("form\tn\n" + header + "".join(f"{w}\t{n}\n" for w, n in rows), encoding="utf-8")
    print(f"{len(rows)} given names -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
