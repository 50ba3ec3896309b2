"""Training data preparation: the auxiliary KONEC tag layer and the final-fit split."""
from pathlib import Path

import pytest

from training.prepare import blank_nlp, make_docs

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ner" / "klue-konec-train.jsonl"


def test_auxiliary_tags_are_bio_fine_classes_missing_where_a_span_splits_a_token():
    text = "미국인 김철수 씨가 삼성전자에 갔다."
    row = {"id": "a", "text": text, "source": "wikitree",
           "klue": [{"start": 4, "end": 7, "label": "PS", "text": "김철수"}],
           "entities": [{"start": 0, "end": 2, "label": "LC", "fine": "LCP_COUNTRY", "text": "미국"},
                        {"start": 4, "end": 7, "label": "PS", "fine": "PS_NAME", "text": "김철수"},
                        {"start": 11, "end": 15, "label": "OG", "fine": "OGG_ECONOMY", "text": "삼성전자"}]}
    doc = next(make_docs(blank_nlp(), [row], "klue", "missing", aux="fine"))
    tags = {t.text: t.tag_ for t in doc}
    assert [(e.text, e.label_) for e in doc.ents] == [("김철수", "PS")]  # the NER's gold is untouched
    assert tags["김철수"] == "B-PS_NAME" and tags["삼성전자"] == "B-OGG_ECONOMY" and tags["갔"] == "O"
    unaligned = doc.char_span(0, 2, alignment_mode="expand")  # 미국 inside the token 미국인
    assert unaligned is not None and all(t.tag_ == "" for t in unaligned)
    plain = next(make_docs(blank_nlp(), [row], "klue", "missing"))
    assert plain[0].tag_.startswith("N")  # without aux the reference keeps Kiwi's tags


@pytest.mark.skipif(not SHARED.exists(), reason="shared NER data not available")
def test_final_fit_trains_on_train_and_tune_never_dev():
    from training.data import load_rows

    ids = {split: {r["id"] for r in load_rows(split)} for split in ("train", "tune", "dev", "train+tune")}
    assert ids["train+tune"] == ids["train"] | ids["tune"]
    assert not ids["train+tune"] & ids["dev"] and ids["dev"]
