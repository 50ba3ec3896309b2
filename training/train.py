"""Train the shipped NER model (``make train``) or one experimental variant.

    python -m training.train                     # prepare data, train, copy to pipeline/models/ner
    python -m training.train --variant base      # one experiment -> training/work/runs/base

Fixed seed (configs/ner.cfg [system] seed = 42), one process, CPU only. Every modelling
choice was made on the ``tune`` slice of the training file (see training/data.py); the
``dev`` slice is only reported (python -m training.evaluate_ner).
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pipeline.components.tokenizer  # noqa: E402,F401  (registers kiwi_tokenizer.v1 before spaCy needs it)
from training.data import REPO, WORK  # noqa: E402
from training.prepare import prepare  # noqa: E402

CONFIGS = REPO / "configs"
MODELS = REPO / "pipeline" / "models"

_T2V = "components.ner.model.tok2vec"


def _width(w: int) -> dict:
    return {f"{_T2V}.embed.width": w, f"{_T2V}.encode.width": w}


# configs/ner.cfg is the shipped 9-label config (summed embeddings, width 48, no upper layer).
# MHE64 turns it back into the config shipped before (MultiHashEmbed width 64, upper layer): the
# ablations and the first speed tries of docs/ner.md were made against that one.
_MHE = {f"{_T2V}.embed.@architectures": "spacy.MultiHashEmbed.v2"}
_NOUP = {"components.ner.model.use_upper": False}
MHE64 = {**_MHE, **_width(64), "components.ner.model.use_upper": True}
BIG = {**MHE64, **_width(96), f"{_T2V}.encode.depth": 4, f"{_T2V}.encode.maxout_pieces": 3}
KLUE_BIG = {**BIG, **_width(128)}
# Kiwi's own morpheme embeddings as static vectors (training/kiwi_vectors.py)
VECTORS = {f"{_T2V}.embed.include_static_vectors": True}
FINAL = {"training.max_steps": 3300, "training.patience": 0}
NOTAG = {f"{_T2V}.embed.attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE", "MORPH"],
         f"{_T2V}.embed.rows": [5000, 2500, 2500, 1000, 100]}


def _beam(width: int) -> dict:
    """spaCy's beam-search NER (``beam_ner``): keeps ``width`` parses, updates on the beam half the time."""
    return {"components.ner.factory": "beam_ner", "components.ner.beam_width": width,
            "components.ner.beam_density": 0.01, "components.ner.beam_update_prob": 0.5}


def _lstm(depth: int, window_depth: int = 0) -> dict:
    encode = f"{_T2V}.encode"
    return {f"{encode}.@architectures": "ko_news.BiLSTMEncoder.v1", f"{encode}.depth": depth,
            f"{encode}.window_depth": window_depth}


def _variant(overrides: dict, layer: str = "entities", align: str = "missing", augment: int = 0,
             config: str = "ner_transition.cfg", partial: tuple[str, ...] = (), news_copies: int = 1,
             silver: str | None = None, aux: str | None = None, final: bool = False) -> dict:
    return {"config": config, "layer": layer, "align": align, "augment": augment, "overrides": overrides,
            "partial": partial, "news_copies": news_copies, "silver": silver, "aux": aux, "final": final}


# configs/ner.cfg: the BILUO tagger (biluo_ner) shipped since spaCy 3.8 (issue 17)


_GAZ_INIT = "initialize.components.konne_gazetteer_feature"


def _kiwi(multi: bool = False, default: bool = False, prefix: str = "") -> dict:
    return {f"{_GAZ_INIT}.kiwi_multi": multi, f"{_GAZ_INIT}.kiwi_default": default,
            f"{_GAZ_INIT}.kiwi_prefix": prefix,
            f"{_T2V}.embed.rows": [5000, 2500, 2500, 1000, 500, 400]}


_W64D4 = {**_width(64), f"{_T2V}.encode.depth": 4}


def _biluo(overrides: dict | None = None, **kwargs) -> dict:
    return _variant(overrides or {}, config="ner.cfg", **kwargs)


# name -> data preparation + config overrides. SHIP (below) names what `make train` builds.
VARIANTS: dict[str, dict] = {
    # BILUO token classification (configs/ner.cfg), chosen on tune (docs/ner.md, "spaCy 3.8")
    "biluo": _biluo(),  # configs/ner.cfg as it is: summed embeddings width 48, window encoder depth 2
    "biluo-w64-d4": _biluo(_W64D4),
    "biluo-w48-d2-win2": _biluo({f"{_T2V}.encode.window_size": 2}),
    # Kiwi's dictionaries as gazetteer forms beside KONNE's (pipeline/models/gazetteer_feature.py):
    # multi.dict typed through its Wikidata classes, default.dict as untyped NP; merged (KONNE wins)
    # with the same labels, or with their own (K-prefixed) labels
    "biluo-kmulti": _biluo(_kiwi(multi=True)),
    "biluo-kmulti-K": _biluo(_kiwi(multi=True, prefix="K")),
    "biluo-kall-K": _biluo(_kiwi(multi=True, default=True, prefix="K")),
    "biluo-w64-d4-kmulti-K": _biluo({**_W64D4, **_kiwi(multi=True, prefix="K")}),
    "biluo-w64-d4-kall-K": _biluo({**_W64D4, **_kiwi(multi=True, default=True, prefix="K")}),
    # shipped until issue 17: configs/ner_transition.cfg as it is (transition-based, gazetteer
    # feature, Kiwi TAG, summed embeddings, width 48)
    "gazfeat-fast": _variant({}),
    "klue-gazfeat-w128": _variant(KLUE_BIG, layer="klue"),
    # ablations (figures in docs/ner.md), on the former MultiHashEmbed width-64 config
    "gazfeat-mhe64": _variant(MHE64),
    "gazfeat-fast-notag": _variant({**MHE64, **NOTAG}),
    "gazfeat-fast-expand": _variant(MHE64, align="expand"),
    "gazfeat-fast-aug1": _variant(MHE64, augment=1),
    "gazfeat": _variant(BIG),
    "klue-gazfeat-w128-drop2": _variant({**KLUE_BIG, "training.dropout": 0.2}, layer="klue"),
    "klue-sum-w128": _variant({**KLUE_BIG, f"{_T2V}.embed.@architectures": "ko_news.SumHashEmbed.v1"},
                              layer="klue"),
    "klue-gazfeat": _variant(BIG, layer="klue"),
    "klue-w128-re": _variant(KLUE_BIG, layer="klue", partial=("klue-re",)),
    "klue-w128-vec": _variant({**KLUE_BIG, **VECTORS}, layer="klue"),
    "klue-w128-vec-re": _variant({**KLUE_BIG, **VECTORS}, layer="klue", partial=("klue-re",)),
    "klue-w128-vec-beam4": _variant({**KLUE_BIG, **VECTORS, **_beam(4)}, layer="klue"),
    "klue-w128-vec-beam8": _variant({**KLUE_BIG, **VECTORS, **_beam(8)}, layer="klue"),
    "klue-w128-vec-news2": _variant({**KLUE_BIG, **VECTORS}, layer="klue", news_copies=2),
    "klue-w192-vec": _variant({**KLUE_BIG, **VECTORS, **_width(192)}, layer="klue"),
    "klue-w128-vec128": _variant({**KLUE_BIG, **VECTORS, "vector_dims": 128}, layer="klue"),
    # the gazetteer feature with KONEC's 150-class label of each form (OGG_SPORTS, LCP_COUNTRY, ...)
    "klue-w128-vec-finegaz": _variant({**KLUE_BIG, **VECTORS,
                                       "initialize.components.konne_gazetteer_feature.column": "fine_label",
                                       f"{_T2V}.embed.rows": [5000, 2500, 2500, 1000, 500, 1000]},
                                      layer="klue"),
    # + head endings of the gazetteer forms (위원회 -> OG, 공항 -> LC) marked as Head=<LABEL> in MORPH
    "klue-w128-vec-head": _variant({**KLUE_BIG, **VECTORS,
                                    "initialize.components.konne_gazetteer_feature.heads": True,
                                    f"{_T2V}.embed.rows": [5000, 2500, 2500, 1000, 500, 500]},
                                   layer="klue"),
    # one shared tok2vec (the KLUE config above) under two heads: the KLUE NER and an auxiliary
    # tagger of the KONEC layer's fine classes as BIO tags (configs/ner_multitask.cfg)
    "klue-w128-vec-mt": _variant({"components.tok2vec.model.embed.include_static_vectors": True}, layer="klue",
                                 config="ner_multitask.cfg", aux="fine"),
    # the window encoder replaced by a bidirectional LSTM (ko_news.BiLSTMEncoder.v1), or followed by one
    "klue-w128-vec-lstm": _variant({**KLUE_BIG, **VECTORS, **_lstm(depth=1)}, layer="klue"),
    "klue-w128-vec-cnn-lstm": _variant({**KLUE_BIG, **VECTORS, **_lstm(depth=1, window_depth=2)}, layer="klue"),
    # unknown nouns read the vector of their longest known ending (ko_news.MultiHashEmbedHeads.v1)
    "klue-w128-vec-headvec": _variant({**KLUE_BIG, **VECTORS, f"{_T2V}.embed.@architectures": "ko_news.MultiHashEmbedHeads.v1"},
                                      layer="klue"),
    # a wider state layer of the transition-based NER (hidden width 128 instead of 64)
    "klue-w128-vec-h128": _variant({**KLUE_BIG, **VECTORS, "components.ner.model.hidden_width": 128}, layer="klue"),
    # final fits on train + tune: no early stopping, the last step of a budget fixed beforehand
    # (3,000 steps x 3,590 / 3,228 sentences); chosen on nothing, reported on dev only
    "klue-w128-vec-final": _variant({**KLUE_BIG, **VECTORS, **FINAL}, layer="klue", final=True),
    "klue-w128-vec-silver3": _variant({**KLUE_BIG, **VECTORS}, layer="klue", silver="klue-3seeds"),
    "klue-w128-vec-silver3news": _variant({**KLUE_BIG, **VECTORS}, layer="klue", silver="klue-3seeds-news"),
    "gazfeat-fast-vec": _variant(VECTORS),
    "gazfeat-fast-vec-w32": _variant({**VECTORS, **_width(32)}),
    "base": _variant({}, config="ner_plain.cfg"),
    "aug1": _variant({}, config="ner_plain.cfg", augment=1),
    "expand": _variant({}, config="ner_plain.cfg", align="expand"),
}

# Speed tries for the 9-label model (docs/ner.md, "Speed"). The first eleven change the former
# MultiHashEmbed width-64 config; the sum-* ones led to the shipped config ("sum-nu-w48").
_ROWS2 = {f"{_T2V}.embed.rows": [10000, 5000, 5000, 2000, 1000, 200]}
_NOSHAPE = {f"{_T2V}.embed.attrs": ["NORM", "PREFIX", "SUFFIX", "TAG", "MORPH"],
            f"{_T2V}.embed.rows": [5000, 2500, 2500, 500, 100]}
_SUM = {f"{_T2V}.embed.@architectures": "ko_news.SumHashEmbed.v1", **_width(64),
        "components.ner.model.use_upper": True}
SPEED_TRIES = {
    "noupper": {**MHE64, **_NOUP},
    "h32": {**MHE64, "components.ner.model.hidden_width": 32},
    "h32m1": {**MHE64, "components.ner.model.hidden_width": 32, "components.ner.model.maxout_pieces": 1},
    "nu-d1": {**MHE64, **_NOUP, f"{_T2V}.encode.depth": 1},
    "nu-w48": {**MHE64, **_NOUP, **_width(48)},
    "nu-w48-d1": {**MHE64, **_NOUP, **_width(48), f"{_T2V}.encode.depth": 1},
    "nu-w48-d1-noshape": {**MHE64, **_NOUP, **_width(48), f"{_T2V}.encode.depth": 1, **_NOSHAPE},
    "nu-w32": {**MHE64, **_NOUP, **_width(32)},
    "nu-w32-r2": {**MHE64, **_NOUP, **_width(32), **_ROWS2},
    "nu-w32-d3-r2": {**MHE64, **_NOUP, **_width(32), f"{_T2V}.encode.depth": 3, **_ROWS2},
    "nu-w32-d4": {**MHE64, **_NOUP, **_width(32), f"{_T2V}.encode.depth": 4},
    "sum-nu": {**_SUM, **_NOUP},
    "sum-nu-w48": {**_SUM, **_NOUP, **_width(48)},
    "sum-nu-w48-h48": {**_SUM, **_NOUP, **_width(48), "components.ner.model.hidden_width": 48},
    "sum-nu-w32": {**_SUM, **_NOUP, **_width(32)},
}
for _name, _over in SPEED_TRIES.items():
    VARIANTS[f"speed-{_name}"] = _variant(_over)

# model directory -> (variant, seeds). `make train` builds SHIP: the runtime model, the one
# `extract` runs. KLUE_BENCHMARK is the KLUE-6 benchmark vote, no part of the package or of `extract`
# (python -m training.train --klue rebuilds it; `make eval-ner` scores it only with --klue-model).
# Several seeds make a majority-vote pipeline (training/vote.py) that stores the vectors once.
SHIP: dict[Path, tuple[str, tuple[int, ...]]] = {
    MODELS / "ner": ("biluo-kmulti-K", (42,)),
}
KLUE_BENCHMARK: dict[Path, tuple[str, tuple[int, ...]]] = {
    REPO / "training" / "models" / "ner_klue": ("klue-w128-vec-final", (42, 1, 2)),
}
# Members' weights and vectors are stored at half precision (NerVote.store_half): the same
# predictions on tune, in half the space (44 MB -> 24 MB for three members and 32,768 vectors).
VOTE_HALF_PRECISION = True
# Distinct vectors a vote pipeline keeps (None: all; else spaCy's Vocab.prune_vectors, every other
# form pointing to its nearest kept vector). At float32, 65,885 rows put the three-member KLUE model
# at 56 MB, so until half-precision storage it kept 32,768 (tune news F1 82.9 -> 82.7).
VOTE_VECTOR_ROWS = None


def _uses_vectors(overrides: dict) -> bool:
    return any(k.endswith("embed.include_static_vectors") and v for k, v in overrides.items())


def ensure_vectors(dims: int | None = None) -> tuple[int, str]:
    """The Kiwi vectors' directory, built first when missing (13 s)."""
    from training.kiwi_vectors import DEFAULT_DIMS, vectors_dir, write_vectors

    dims = dims or DEFAULT_DIMS
    vectors = vectors_dir(dims)
    if not (vectors / "vocab" / "vectors").exists():
        write_vectors(vectors, dims)
    return dims, str(vectors)


def standalone_ner(model_dir: Path, out_dir: Path) -> Path:
    """A multi-task run's pipeline reduced to what a member needs: the shared tok2vec copied into
    ``ner`` (spaCy's ``replace_listeners``), the shared tok2vec and the auxiliary heads removed."""
    import spacy

    nlp = spacy.load(model_dir)
    if "tok2vec" in nlp.pipe_names:
        nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
        for name in list(nlp.pipe_names):
            if name not in ("konne_gazetteer_feature", "ner"):
                nlp.remove_pipe(name)
    nlp.to_disk(out_dir)
    return out_dir


def _config_seed(config: Path) -> int:
    from spacy.util import load_config

    return int(load_config(config)["system"]["seed"])


def train_variant(name: str, out_dir: Path, extra_overrides: dict | None = None) -> dict:
    from spacy.cli.train import train as spacy_train

    spec = VARIANTS[name]
    news = [f"news{spec['news_copies']}"] if spec["news_copies"] != 1 else []
    silver = [f"silver-{spec['silver']}"] if spec.get("silver") else []
    extra_data = ([f"aux-{spec['aux']}"] if spec.get("aux") else []) + (["final"] if spec.get("final") else [])
    data_name = "-".join([spec["layer"], spec["align"], f"aug{spec['augment']}", *spec["partial"], *news,
                          *silver, *extra_data])
    data = prepare(data_name, spec["layer"], spec["align"], spec["augment"], partial=spec["partial"],
                   news_copies=spec["news_copies"],
                   silver=str(WORK / "silver" / f"{spec['silver']}.jsonl") if silver else None,
                   aux=spec.get("aux"), final=spec.get("final", False))
    config = CONFIGS / spec["config"]
    overrides = {"paths.train": str(Path(data["dir"]) / "train.spacy"),
                 "paths.dev": str(Path(data["dir"]) / "tune.spacy"), **spec["overrides"],
                 **(extra_overrides or {})}
    import pipeline.models.architectures  # noqa: F401  (registers ko_news.SumHashEmbed.v1)
    import pipeline.models.biluo_ner  # noqa: F401  (registers the biluo_ner factory)
    import training.tried_architectures  # noqa: F401  (the LSTM and head-vector tries)
    import pipeline.models.gazetteer_feature  # noqa: F401  (registers the factory)
    from training.data import FORMS_FILE

    overrides["paths.gazetteer"] = str(FORMS_FILE)
    dims = overrides.pop("vector_dims", None)  # not a config key: the size of the Kiwi vectors
    if _uses_vectors(overrides):
        dims, overrides["paths.vectors"] = ensure_vectors(dims)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    spacy_train(config, out_dir, overrides=overrides, use_gpu=-1)
    if spec["config"] == "ner_multitask.cfg":
        standalone_ner(out_dir / "model-best", out_dir / "model-ner")
    info = {"variant": name, "layer": spec["layer"], "config": config.name,
            "seed": overrides.get("system.seed", _config_seed(config)),
            "seconds": round(time.time() - t0, 1),
            "sentences": data["sentences"], "overrides": {k: v for k, v in overrides.items()
                                                          if not k.startswith("paths.")}}
    if dims:
        info["vector_dims"] = dims
    (out_dir / "run.json").write_text(json.dumps(info, indent=1))
    return info


MODEL_NOTE = """# NER model: data source and licence

This spaCy NER ({labels}) was trained by `make train` (training/train.py,
variant {variant}, {seed_text}) on the sentences of
`klue-konec-train.jsonl` outside the held-out dev split:

- KLUE-NER v1.1 (github.com/KLUE-benchmark/KLUE, klue_benchmark/klue-ner-v1.1/, commit 3efd987),
  fixed by github.com/korean-named-entity/konne-prep (commit 19abdc9);
- KONEC re-annotation of the same sentences (github.com/korean-named-entity/konec, commit b6c98a4),
  mapped to the project's labels;
- entity forms of KLUE-NER train (github.com/korean-named-entity/konne, commit 359e027,
  `konne-train-forms.tsv`): stored in `konne_gazetteer_feature/forms.json` (form -> most frequent
  label) and marked on tokens as an input feature of the NER.
{kiwi}{vectors}{members}
Licence of the data and therefore of this trained model: **CC BY-SA 4.0**
(https://creativecommons.org/licenses/by-sa/4.0/). Citation: Park et al. 2021, KLUE: Korean Language
Understanding Evaluation; 정유남·송영숙·유현조 2023, 국어학 105. The code of the project is MIT.

Load: `import pipeline.components.tokenizer` first (registers the Kiwi tokenizer), then `spacy.load(this_dir)`,
or use `pipeline.models.load_ner()`.
"""


KIWI_NOTE = """- the multi-word proper nouns of Kiwi's `multi.dict` (`kiwipiepy_model` 0.24, Apache-2.0, (c) Minchul
  Lee and the kiwipiepy contributors) whose Wikidata class maps to a project label
  (`pipeline.models.gazetteer_feature.KIWI_CLASSES`), added to `forms.json` where KONNE lists no
  form, with their own labels (`KPS`, `KOG`, ...: `Gaz=B_KPS`).
"""


VECTORS_NOTE = """- static vectors (`vocab/vectors`): the morpheme embeddings of Kiwi's CoNg language model
  (`cong.mdl` of the `kiwipiepy_model` 0.24 package, Apache-2.0, (c) Minchul Lee and the kiwipiepy
  contributors), recovered through `Kiwi.morpheme_similarity` and reduced by PCA
  (training/kiwi_vectors.py).
"""


ENSEMBLE_NOTE = """
The pipeline holds {n} ``ner`` components trained alike with seeds {seeds} (disabled; the
``ner_vote`` component runs them and keeps the spans most of them predict).
"""


def trained_model(run_dir: Path, variant: str) -> Path:
    """The checkpoint a run ships: the best on *tune*, or the last one of a final fit (which trained
    on tune too, so its tune scores choose nothing)."""
    if VARIANTS[variant].get("final"):
        return run_dir / "model-last"
    if (run_dir / "model-ner").exists():  # a multi-task run reduced to its ner
        return run_dir / "model-ner"
    return run_dir / "model-best"


def ship(run_dirs: list[Path], target: Path, infos: list[dict]) -> None:
    """Copy one run's best model to ``target``, or assemble several runs into a vote pipeline."""
    if target.exists():
        shutil.rmtree(target)
    models = [trained_model(d, i["variant"]) for d, i in zip(run_dirs, infos)]
    if len(run_dirs) == 1:
        shutil.copytree(models[0], target)
    else:
        import training.vote as vote

        seeds = [i["seed"] for i in infos]
        nlp = vote.assemble([str(m) for m in models], names=[f"ner_seed{seed}" for seed in seeds])
        if VOTE_VECTOR_ROWS and nlp.vocab.vectors.shape[0] > VOTE_VECTOR_ROWS:
            nlp.vocab.prune_vectors(VOTE_VECTOR_ROWS)
        if VOTE_HALF_PRECISION:
            nlp.get_pipe("ner_vote").store_half()
        nlp.to_disk(target)
    info = infos[0]
    # the run's local paths are not needed to load the model
    config_path = target / "config.cfg"
    lines = config_path.read_text(encoding="utf-8").splitlines()
    in_paths = False
    for i, line in enumerate(lines):
        if line.startswith("["):
            in_paths = line.strip() == "[paths]"
        elif in_paths and "=" in line:
            lines[i] = line.split("=", 1)[0].rstrip() + " = null"
    config_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update({"name": target.name, "version": "0.1.0", "license": "CC BY-SA 4.0",
                 "description": "NER on Kiwi tokens, trained on KLUE-NER/KONEC (see SOURCE.md)",
                 "sources": [{"name": "KLUE-NER v1.1", "url": "https://github.com/KLUE-benchmark/KLUE",
                              "license": "CC BY-SA 4.0"},
                             {"name": "KONEC", "url": "https://github.com/korean-named-entity/konec",
                              "license": "CC BY-SA 4.0"},
                             {"name": "KONNE forms",
                              "url": "https://github.com/korean-named-entity/konne",
                              "license": "CC BY-SA 4.0"}],
                 "training_seconds": round(sum(i["seconds"] for i in infos), 1),
                 "variant": info["variant"], "seeds": [i["seed"] for i in infos],
                 "trained_on": "train+tune" if VARIANTS[info["variant"]].get("final") else "train"})
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2))
    tags = next((v for k, v in meta.get("labels", {}).items() if k.startswith("ner")), [])
    labels = ", ".join(dict.fromkeys(tag.split("-", 1)[-1] for tag in tags if tag != "O"))  # BILUO tags -> labels
    vectors = VECTORS_NOTE if _uses_vectors(info["overrides"]) else ""
    kiwi = KIWI_NOTE if any(k.endswith(".kiwi_multi") and v for k, v in info["overrides"].items()) else ""
    members = ENSEMBLE_NOTE.format(n=len(infos), seeds=", ".join(str(i["seed"]) for i in infos)) \
        if len(infos) > 1 else ""
    seed_text = "seeds " + ", ".join(str(i["seed"]) for i in infos) if len(infos) > 1 else f"seed {info['seed']}"
    (target / "SOURCE.md").write_text(MODEL_NOTE.format(labels=labels, variant=info["variant"], kiwi=kiwi, vectors=vectors, members=members,
                                                         seed_text=seed_text))


def _train_job(job: tuple) -> dict:
    name, out_dir, overrides = job
    return train_variant(name, out_dir, overrides)


def _train_all(jobs: list[tuple], processes: int) -> list[dict]:
    """Train runs side by side, started last job first (so the short 9-label run goes beside the last
    KLUE seed); results come back in the order of ``jobs``. Each run is deterministic on its own.
    Processes are spawned, not forked: a forked Kiwi's worker thread does not survive (docs/scale.md).
    Each run prepares its DocBins again (6 s); they are written aside and renamed, so a run reading
    them is never disturbed."""
    if processes <= 1 or len(jobs) == 1:
        return [_train_job(job) for job in jobs]
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(min(processes, len(jobs))) as pool:
        pending = [pool.apply_async(_train_job, (job,)) for job in reversed(jobs)]
        return [result.get() for result in reversed(pending)]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", default=None, help="train one experiment (see VARIANTS)")
    ap.add_argument("--out", default=None)
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="seeds trained at once, one process (and core) each; the result does not depend on it")
    ap.add_argument("--klue", action="store_true",
                    help="rebuild the KLUE benchmark vote (training/models/ner_klue) instead of the runtime model")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                    help="extra config override, e.g. training.max_steps=2000")
    args = ap.parse_args(argv)
    extra = {}
    for item in args.set:
        key, value = item.split("=", 1)
        extra[key] = json.loads(value)
    if args.variant:
        out = Path(args.out) if args.out else WORK / "runs" / args.variant
        print(train_variant(args.variant, out, extra))
        return
    t0 = time.time()
    plan = []  # (target, variant, seeds, run_dirs): every seed of every shipped model, trained in one pool
    for target, (variant, seeds) in (KLUE_BENCHMARK if args.klue else SHIP).items():
        run_dirs = [WORK / "runs" / (f"ship-{target.name}-{variant}" + (f"-seed{seed}" if len(seeds) > 1 else ""))
                    for seed in seeds]
        plan.append((target, variant, seeds, run_dirs))
    jobs = [(variant, run_dir, {**extra, "system.seed": seed})
            for _, variant, seeds, run_dirs in plan for run_dir, seed in zip(run_dirs, seeds)]
    for variant in {v for _, v, _, _ in plan}:  # built once here, not by two runs at the same time
        spec_overrides = {**VARIANTS[variant]["overrides"], **extra}
        if _uses_vectors(spec_overrides):
            ensure_vectors(spec_overrides.get("vector_dims"))
    infos = iter(_train_all(jobs, args.jobs))
    for target, variant, seeds, run_dirs in plan:
        target_infos = [next(infos) for _ in seeds]
        ship(run_dirs, target, target_infos)
        print(f"shipped {variant} (seeds {', '.join(map(str, seeds))}) -> {target} after "
              f"{sum(i['seconds'] for i in target_infos):.0f} s of training")
    print(f"make train: {time.time() - t0:.0f} s in all")


if __name__ == "__main__":
    main()
