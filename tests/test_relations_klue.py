"""Relation precision on a fixed KLUE-RE subset (the sentences of the pattern families added for it are in
tests/corpus/relations/)."""
from __future__ import annotations

import pytest

from benchmarks.evaluate_re import DEFAULT_DATA, evaluate_klue, load_examples
from tests.conftest import relation_rows, run_text

pytestmark = pytest.mark.skipif(not DEFAULT_DATA.exists(), reason="KLUE-RE sample not available")


def relations(nlp, text: str) -> set[tuple[str, str, str]]:
    return relation_rows(run_text(nlp, text))


def test_klue_subset_precision(rules_nlp):
    # a fixed subset: every 10th of the examples that are mapped or no_relation (about 210)
    examples = [e for e in load_examples() if e["relation_project"] or e["relation"] == "no_relation"][::10]
    assert len(examples) >= 200
    figures = evaluate_klue(examples, nlp=rules_nlp).figures()
    assert figures["predictions"] >= 3, figures
    assert figures["precision"] >= 0.80, figures
    assert figures["fp_rate_no_relation"] <= 0.02, figures


def test_no_seat_for_a_building_with_the_rules_alone(rules_nlp):
    # the place modifies a building, not the company. With the NER model 카카오 사옥 becomes an OG
    # (relations/places:6 is a known gap); the rules alone find nothing
    found = relations(rules_nlp, "서울에 위치한 카카오 사옥을 찾았다.")
    assert not [r for r in found if r[1] == "org:place_of_headquarters"]


def test_mislabelled_person_gives_no_fact():
    from pipeline.relations.base import plausible_person
    from pipeline.nlp import build_nlp

    nlp = build_nlp(use_model=False)
    doc = nlp.tokenizer("이인영 더불어민주당 원내대표와 마이크로소프트의 사업부 사장 조주빈 씨")
    def span(text):
        start = doc.text.index(text)
        return doc.char_span(start, start + len(text), label="PS")
    assert not plausible_person(span("이인영 더불어민주당"))
    assert not plausible_person(span("사업부"))
    assert plausible_person(span("이인영"))
    assert plausible_person(span("조주빈"))
