"""The shipped NER model and its evaluation function (issue 3)."""
from __future__ import annotations

from pathlib import Path

import pytest

import pipeline.morph  # noqa: F401
from pipeline import models

PROJECT_LABELS = {"PS", "OG", "LC", "DT", "TI", "QT", "AF", "EV", "CV"}
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ner" / "klue-konec-train.jsonl"
needs_data = pytest.mark.skipif(not SHARED.exists(), reason="shared NER data not available")


@pytest.fixture(scope="module")
def nlp():
    return models.load_ner_pipeline()


def test_model_is_shipped_small_and_licensed():
    size = sum(p.stat().st_size for p in models.NER_DIR.rglob("*") if p.is_file())
    assert size < 50e6
    note = (models.NER_DIR / "SOURCE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in note and "KLUE" in note


def test_loads_offline_with_the_project_labels(nlp):
    assert set(nlp.get_pipe("ner").labels) == PROJECT_LABELS
    assert nlp.tokenizer.__class__.__name__ == "KiwiTokenizer"


def test_finds_entities_on_exact_text(nlp):
    text = "이재용 삼성전자 회장은 지난 3일 서울에서 기자회견을 열었다."
    doc = nlp(text)
    assert doc.text == text
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("지난 3일", "DT") in found
    assert any(label == "PS" for _, label in found)


def test_components_can_be_sourced_into_another_pipeline():
    import spacy

    host = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "kiwi_tokenizer.v1"}}})
    models.add_ner(host)
    assert host.pipe_names == [models.GAZETTEER, "ner"]
    doc = host("오늘 서울 날씨는 맑다.")
    assert all(e.label_ in PROJECT_LABELS for e in doc.ents)
    stage = models.load_ner(host.vocab)
    doc = stage(host.make_doc("지난 3일 서울에서 만났다."))
    assert ("지난 3일", "DT") in {(e.text, e.label_) for e in doc.ents}


@needs_data
def test_score_counts_exact_spans_per_source():
    from training.data import load_rows, split_of
    from training.evaluate_ner import score

    rows = load_rows("dev")
    assert rows and all(split_of(r["id"]) == "dev" for r in rows)
    gold = {r["text"]: [(s["start"], s["end"], s["label"]) for s in r["entities"]] for r in rows}
    perfect = score(lambda text: gold[text], split="dev", layer="entities")
    assert perfect["news"]["ALL"]["f"] == 1.0 and perfect["reviews"]["ALL"]["f"] == 1.0
    shifted = score(lambda text: [(s, e + 1, lab) for s, e, lab in gold[text]], split="dev")
    assert shifted["all"]["ALL"]["tp"] == 0
    empty = score(lambda text: [], split="dev", layer="klue")
    assert empty["all"]["ALL"]["fn"] == sum(len(r["klue"]) for r in rows)
