"""Relation precision on a fixed KLUE-RE subset, and the pattern families added for it on real-style sentences."""
from __future__ import annotations

import pytest

from benchmarks.evaluate_re import DEFAULT_DATA, evaluate_klue, load_examples

pytestmark = pytest.mark.skipif(not DEFAULT_DATA.exists(), reason="KLUE-RE sample not available")


def relations(nlp, text: str) -> set[tuple[str, str, str]]:
    doc = nlp.tokenizer(text)
    doc._.published = None
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {(r.subj_norm, r.relation, r.obj_norm) for r in doc._.relations}


def test_klue_subset_precision(rules_nlp):
    # a fixed subset: every 10th of the examples that are mapped or no_relation (about 210)
    examples = [e for e in load_examples() if e["relation_project"] or e["relation"] == "no_relation"][::10]
    assert len(examples) >= 200
    figures = evaluate_klue(examples, nlp=rules_nlp).figures()
    assert figures["predictions"] >= 3, figures
    assert figures["precision"] >= 0.80, figures
    assert figures["fp_rate_no_relation"] <= 0.02, figures


@pytest.mark.parametrize("text, expected", [
    ("장병완 의원(민생당, 광주 동구남구갑)이 지난 20일 만났다.", ("장병완", "per:employee_of", "민생당")),
    ("서판길 공동위원장(한국뇌연구원 원장)은 말했다.", ("서판길", "per:employee_of", "한국뇌연구원")),
    ("카카오는 서울 강남구에 위치해 있다.", ("카카오", "org:place_of_headquarters", "서울 강남구")),
    ("판교에 본사를 둔 카카오는 새 서비스를 발표했다.", ("카카오", "org:place_of_headquarters", "판교")),
    ("카카오 본사는 제주에 있다.", ("카카오", "org:place_of_headquarters", "제주")),
    ("오픈AI가 개발한 챗GPT는 인기다.", ("오픈AI", "org:product", "챗GPT")),
])
def test_new_pattern_families(rules_nlp, text, expected):
    assert expected in relations(rules_nlp, text)


@pytest.mark.parametrize("text, unexpected", [
    # the place modifies a building, not the company
    ("서울에 위치한 카카오 사옥을 찾았다.", "org:place_of_headquarters"),
    # a place named in the subject's clause is no seat without a location verb
    ("카카오는 제주에서 행사를 열었다.", "org:place_of_headquarters"),
])
def test_no_relation_without_the_words(rules_nlp, text, unexpected):
    assert not any(rel == unexpected for _, rel, _ in relations(rules_nlp, text))


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
