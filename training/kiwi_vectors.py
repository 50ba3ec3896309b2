"""Static word vectors from Kiwi's own language model, for the NER (``paths.vectors``).

    python -m training.kiwi_vectors [--out training/work/kiwi-vectors] [--dims 96]

Kiwi's default model (CoNg, in the ``kiwipiepy_model`` package this project already installs)
holds a 256-dimensional embedding for each of its ~70k most common morphemes; the public spaCy
Korean pipelines owe much of their gap between ``_sm`` and ``_lg`` to word vectors, and these are
the only ones on this machine (no download at run time or training time).

kiwipiepy does not hand out the embedding matrix, only cosine similarities between morphemes
(``Kiwi.morpheme_similarity``). The similarities of every morpheme to a fixed set of anchor
morphemes are a linear image of its unit-length embedding; the anchors' own similarity (Gram)
matrix turns them back into coordinates in an orthonormal basis (the embedding up to a rotation,
which a downstream linear layer does not care about). PCA then keeps ``dims`` components.

Vectors are keyed by Kiwi's morpheme form and looked up by the token's text (``ORTH``, spaCy's
default: spaCy 3.7 saves the ``attr`` of a vector table only in floret mode, so a table keyed by
``LEMMA`` would come back keyed by ``ORTH`` after loading). For nouns, names and foreign words the
token text is the form; conjugated verbs mostly miss, and their TAG feature covers them. When
several morphemes share a form (서울/NNP, 서울/NNG) the most frequent one (lowest Kiwi id) gives
the vector. Only content morphemes are kept: nouns, verbs
and adjectives, adverbs, roots, foreign and Chinese-character words; particles and endings have
their own TAG feature.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy

from training.data import WORK

DEFAULT_DIMS = 96


def vectors_dir(dims: int = DEFAULT_DIMS) -> Path:
    return WORK / ("kiwi-vectors" if dims == DEFAULT_DIMS else f"kiwi-vectors-{dims}")


DEFAULT_OUT = vectors_dir()
CONTENT_TAGS = ("NNG", "NNP", "NNB", "NR", "NP", "VV", "VA", "MAG", "MM", "XR", "SL", "SH", "XPN", "XSN")
N_ANCHORS = 400
ANCHOR_START = 200  # the first ids are symbols and the empty morpheme


def _embedded_ids(kiwi, limit: int = 200_000) -> list[int]:
    """Morpheme ids that have an embedding (similarity with themselves is 1; nan otherwise).

    The embedded morphemes are the language model's vocabulary, the first ~70k ids of Kiwi 0.24
    (of ~660k); ``limit`` stops the scan well past them rather than at the last id."""
    ids = []
    for i in range(limit):
        try:
            s = kiwi.morpheme_similarity(i, i)
        except Exception:  # noqa: BLE001 - past the last id
            break
        if s == s and abs(s - 1.0) < 1e-2:
            ids.append(i)
    return ids


def kiwi_embeddings(kiwi=None, limit: int | None = None) -> tuple[list[tuple[str, str, int]], numpy.ndarray]:
    """(form, tag, id) and unit-length 256-d coordinates of every embedded content morpheme
    (of the first ``limit`` embedded ids, for a quick check)."""
    if kiwi is None:
        from kiwipiepy import Kiwi

        kiwi = Kiwi()
    ids = _embedded_ids(kiwi)
    anchors = ids[ANCHOR_START:ANCHOR_START + N_ANCHORS]
    ids = ids[:limit] if limit else ids
    sim = kiwi.morpheme_similarity
    gram = numpy.array([[sim(a, b) for b in anchors] for a in anchors], dtype=numpy.float64)
    values, vectors = numpy.linalg.eigh((gram + gram.T) / 2)
    keep = values > values.max() * 1e-6
    to_basis = vectors[:, keep] / numpy.sqrt(values[keep])  # (anchors, rank)
    entries, rows = [], []
    for i in ids:
        morpheme = kiwi.morpheme(i)
        tag = str(morpheme.tag).split("-")[0]
        if tag not in CONTENT_TAGS or not morpheme.form:
            continue
        entries.append((morpheme.form, tag, i))
        rows.append([sim(i, a) for a in anchors])
    coords = numpy.asarray(rows, dtype=numpy.float64) @ to_basis
    return entries, coords


def build_vectors(dims: int = DEFAULT_DIMS) -> tuple[list[str], numpy.ndarray, dict]:
    entries, coords = kiwi_embeddings()
    centred = coords - coords.mean(axis=0)
    _, singular, components = numpy.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:dims].T
    reduced /= reduced.std()
    keys, rows, seen = [], [], set()
    for (form, _tag, _id), row in sorted(zip(entries, reduced), key=lambda item: item[0][2]):
        if form in seen:
            continue
        seen.add(form)
        keys.append(form)
        rows.append(row)
    explained = float((singular[:dims] ** 2).sum() / (singular ** 2).sum())
    info = {"morphemes": len(entries), "forms": len(keys), "dims": dims, "rank": coords.shape[1],
            "variance_kept": round(explained, 3)}
    return keys, numpy.asarray(rows, dtype=numpy.float32), info


def write_vectors(out: Path = DEFAULT_OUT, dims: int = DEFAULT_DIMS) -> dict:
    """A spaCy pipeline directory holding only the vectors (what ``[initialize] vectors`` loads)."""
    from spacy.vectors import Vectors

    from training.prepare import blank_nlp

    keys, data, info = build_vectors(dims)
    nlp = blank_nlp()  # the same language and tokenizer as the NER it initialises
    for key in keys:
        nlp.vocab.strings.add(key)
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=data, keys=keys, name="kiwi_cong_morphemes")
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    (out / "vectors-info.json").write_text(json.dumps(info, indent=1))
    return info


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--dims", type=int, default=DEFAULT_DIMS)
    args = ap.parse_args(argv)
    print(write_vectors(Path(args.out), args.dims))


if __name__ == "__main__":
    main()
