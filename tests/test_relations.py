"""Stage 4: what the relation corpora (tests/corpus/relations/, run by test_corpus_rules.py) do not check:
the evidence and offsets of each row, and the partial facts of corpus lines that are known gaps."""
from __future__ import annotations

from tests.conftest import relation_rows, run_text


def test_relation_rows_carry_evidence_and_offsets(nlp):
    text = "앞서 이재용 삼성전자 회장 등과의 만남에 대해선 말했다."
    doc = run_text(nlp, text)
    assert doc._.relations
    for rel in doc._.relations:
        assert text[rel.subj_start:rel.subj_end] == rel.subj
        assert text[rel.obj_start:rel.obj_end] == rel.obj
        assert rel.evidence == text


def test_found_part_of_a_known_gap(nlp):
    # relations/persons:11 is an xfail (the parenthesised 원장 gets no per:title): the rest is checked here
    found = relation_rows(run_text(nlp, "서판길 공동위원장(한국뇌연구원 원장)은 말했다."))
    assert {("서판길", "per:employee_of", "한국뇌연구원"), ("서판길", "per:title", "공동위원장")} <= found
