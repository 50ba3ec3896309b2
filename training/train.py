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

import pipeline.morph  # noqa: E402,F401  (registers kiwi_tokenizer.v1 before spaCy needs it)
from training.data import REPO, WORK  # noqa: E402
from training.prepare import prepare  # noqa: E402

CONFIGS = REPO / "configs"
MODELS = REPO / "pipeline" / "models"

# name -> data preparation + config overrides. "ship" is what `make train` builds.
BIG = {"components.ner.model.tok2vec.embed.width": 96, "components.ner.model.tok2vec.encode.width": 96,
       "components.ner.model.tok2vec.encode.depth": 4,
       "components.ner.model.tok2vec.encode.maxout_pieces": 3}
NOTAG = {"components.ner.model.tok2vec.embed.attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE", "MORPH"],
         "components.ner.model.tok2vec.embed.rows": [5000, 2500, 2500, 1000, 100]}
VARIANTS: dict[str, dict] = {
    # shipped: configs/ner.cfg as it is (gazetteer feature, Kiwi TAG, small fast tok2vec)
    "gazfeat-fast": {"config": "ner.cfg", "layer": "entities", "align": "missing", "augment": 0,
                     "overrides": {}},
    "klue-gazfeat-w128": {"config": "ner.cfg", "layer": "klue", "align": "missing", "augment": 0,
                          "overrides": {**BIG, "components.ner.model.tok2vec.embed.width": 128,
                                        "components.ner.model.tok2vec.encode.width": 128}},
    # ablations (figures in docs/ner.md)
    "gazfeat-fast-notag": {"config": "ner.cfg", "layer": "entities", "align": "missing",
                           "augment": 0, "overrides": NOTAG},
    "gazfeat-fast-expand": {"config": "ner.cfg", "layer": "entities", "align": "expand",
                            "augment": 0, "overrides": {}},
    "gazfeat-fast-aug1": {"config": "ner.cfg", "layer": "entities", "align": "missing",
                          "augment": 1, "overrides": {}},
    "gazfeat": {"config": "ner.cfg", "layer": "entities", "align": "missing", "augment": 0,
                "overrides": BIG},
    "klue-gazfeat-w128-drop2": {"config": "ner.cfg", "layer": "klue", "align": "missing", "augment": 0,
                                "overrides": {**BIG, "components.ner.model.tok2vec.embed.width": 128,
                                              "components.ner.model.tok2vec.encode.width": 128,
                                              "training.dropout": 0.2}},
    "klue-gazfeat": {"config": "ner.cfg", "layer": "klue", "align": "missing", "augment": 0,
                     "overrides": BIG},
    "base": {"config": "ner_plain.cfg", "layer": "entities", "align": "missing", "augment": 0,
             "overrides": {}},
    "aug1": {"config": "ner_plain.cfg", "layer": "entities", "align": "missing", "augment": 1,
             "overrides": {}},
    "expand": {"config": "ner_plain.cfg", "layer": "entities", "align": "expand", "augment": 0,
               "overrides": {}},
}
# speed tries for the 9-label model (docs/ner.md, "Speed: what was tried"); none shipped
_T2V = "components.ner.model.tok2vec"
_NOUP = {"components.ner.model.use_upper": False}


def _width(w: int) -> dict:
    return {f"{_T2V}.embed.width": w, f"{_T2V}.encode.width": w}


_ROWS2 = {f"{_T2V}.embed.rows": [10000, 5000, 5000, 2000, 1000, 200]}
_NOSHAPE = {f"{_T2V}.embed.attrs": ["NORM", "PREFIX", "SUFFIX", "TAG", "MORPH"],
            f"{_T2V}.embed.rows": [5000, 2500, 2500, 500, 100]}
SPEED_TRIES = {
    "noupper": _NOUP,
    "h32": {"components.ner.model.hidden_width": 32},
    "h32m1": {"components.ner.model.hidden_width": 32, "components.ner.model.maxout_pieces": 1},
    "nu-d1": {**_NOUP, f"{_T2V}.encode.depth": 1},
    "nu-w48": {**_NOUP, **_width(48)},
    "nu-w48-d1": {**_NOUP, **_width(48), f"{_T2V}.encode.depth": 1},
    "nu-w48-d1-noshape": {**_NOUP, **_width(48), f"{_T2V}.encode.depth": 1, **_NOSHAPE},
    "nu-w32": {**_NOUP, **_width(32)},
    "nu-w32-r2": {**_NOUP, **_width(32), **_ROWS2},
    "nu-w32-d3-r2": {**_NOUP, **_width(32), f"{_T2V}.encode.depth": 3, **_ROWS2},
    "nu-w32-d4": {**_NOUP, **_width(32), f"{_T2V}.encode.depth": 4},
}
for _name, _over in SPEED_TRIES.items():
    VARIANTS[f"speed-{_name}"] = {"config": "ner.cfg", "layer": "entities", "align": "missing",
                                  "augment": 0, "overrides": _over}

# model directory under pipeline/models -> variant. `make train` builds these.
SHIP = {"ner": "gazfeat-fast", "ner_klue": "klue-gazfeat-w128"}


def train_variant(name: str, out_dir: Path, extra_overrides: dict | None = None) -> dict:
    from spacy.cli.train import train as spacy_train

    spec = VARIANTS[name]
    data = prepare(f"{spec['layer']}-{spec['align']}-aug{spec['augment']}", spec["layer"],
                   spec["align"], spec["augment"])
    config = CONFIGS / spec["config"]
    overrides = {"paths.train": str(Path(data["dir"]) / "train.spacy"),
                 "paths.dev": str(Path(data["dir"]) / "tune.spacy"), **spec["overrides"],
                 **(extra_overrides or {})}
    import pipeline.models.gazetteer_feature  # noqa: F401  (registers the factory)
    from training.data import FORMS_FILE

    overrides["paths.gazetteer"] = str(FORMS_FILE)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    spacy_train(config, out_dir, overrides=overrides, use_gpu=-1)
    info = {"variant": name, "layer": spec["layer"], "config": config.name,
            "seconds": round(time.time() - t0, 1),
            "sentences": data["sentences"], "overrides": {k: v for k, v in overrides.items()
                                                          if not k.startswith("paths.")}}
    (out_dir / "run.json").write_text(json.dumps(info, indent=1))
    return info


MODEL_NOTE = """# NER model: data source and licence

This spaCy NER component ({labels}) was trained by `make train` (training/train.py,
configs/ner.cfg, seed 42) on the sentences of
`klue-konec-train.jsonl` outside the held-out dev split:

- KLUE-NER v1.1 (github.com/KLUE-benchmark/KLUE, klue_benchmark/klue-ner-v1.1/, commit 3efd987),
  fixed by github.com/korean-named-entity/konne-prep (commit 19abdc9);
- KONEC re-annotation of the same sentences (github.com/korean-named-entity/konec, commit b6c98a4),
  mapped to the project's labels;
- entity forms of KLUE-NER train (github.com/korean-named-entity/konne, commit 359e027,
  `konne-train-forms.tsv`): stored in `konne_gazetteer_feature/forms.json` (form -> most frequent
  label) and marked on tokens as an input feature of the NER.

Licence of the data and therefore of this trained model: **CC BY-SA 4.0**
(https://creativecommons.org/licenses/by-sa/4.0/). Citation: Park et al. 2021, KLUE: Korean Language
Understanding Evaluation; 정유남·송영숙·유현조 2023, 국어학 105. The code of the project is MIT.

Load: `import pipeline.morph` first (registers the Kiwi tokenizer), then `spacy.load(this_dir)`,
or use `pipeline.models.load_ner()`.
"""


def ship(run_dir: Path, target: Path, info: dict) -> None:
    best = run_dir / "model-best"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(best, target)
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
                 "training_seconds": info["seconds"], "variant": info["variant"]})
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2))
    labels = ", ".join(meta.get("labels", {}).get("ner", []))
    (target / "SOURCE.md").write_text(MODEL_NOTE.format(labels=labels))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", default=None, help="train one experiment (see VARIANTS)")
    ap.add_argument("--out", default=None)
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
    for target, variant in SHIP.items():
        run_dir = WORK / "runs" / f"ship-{target}-{variant}"
        info = train_variant(variant, run_dir, extra)
        ship(run_dir, MODELS / target, info)
        print(f"shipped {variant} -> {MODELS / target} in {info['seconds']} s")
    print(f"make train: {time.time() - t0:.0f} s in all")


if __name__ == "__main__":
    main()
