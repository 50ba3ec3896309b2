"""The file tree is the pipeline: one registered component per file, each declaring its contract."""
from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from pipeline.components import MODEL_STAGES, STAGES

COMPONENTS_DIR = Path(__file__).resolve().parents[1] / "pipeline" / "components"


@pytest.mark.parametrize("fixture", ["nlp", "rules_nlp"])
def test_the_pipeline_runs_the_stages_in_order_with_no_contract_problem(fixture, request):
    nlp = request.getfixturevalue(fixture)
    own = [name for name in nlp.pipe_names if name != "konne_gazetteer_feature"]
    expected = [s for s in STAGES if fixture == "nlp" or s not in MODEL_STAGES]
    assert own == expected
    analysis = nlp.analyze_pipes(pretty=False)
    assert analysis["problems"] == {name: [] for name in nlp.pipe_names}


def test_every_own_component_declares_what_it_assigns_and_lives_in_its_own_file():
    files = {p.stem for p in COMPONENTS_DIR.glob("*.py") if p.stem not in {"__init__", "tokenizer"}}
    own = [s for s in STAGES if s != "ner"]
    assert files == set(own)
    for name in own:
        meta = Language.get_factory_meta(name)
        assert meta.assigns, name
        make = spacy.registry.factories.get(name)
        assert (make.__module__, make.__name__) == (f"pipeline.components.{name}", f"make_{name}")


def test_every_factory_is_a_spacy_entry_point():
    points = {ep.name: ep.value for ep in metadata.entry_points(group="spacy_factories")}
    for name in STAGES:
        if name == "ner":
            continue
        assert points.get(name) == f"pipeline.components.{name}:make_{name}", name
