"""Stage 4: each relation pattern family on a real news sentence (seeds and Korean Wikinews)."""
from __future__ import annotations

import datetime as dt

import pytest

PUBLISHED = dt.date(2025, 9, 10)


def relations(nlp, text: str, published=PUBLISHED) -> set[tuple[str, str, str]]:
    doc = nlp.tokenizer(text)
    doc._.published = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {(r.subj_norm, r.relation, r.obj_norm) for r in doc._.relations}


@pytest.mark.parametrize("text, expected", [
    # apposition PS OG CV
    ("앞서 이재용 삼성전자 회장 등과의 만남에 대해선 말했다.",
     {("이재용", "per:title", "회장"), ("이재용", "per:employee_of", "삼성전자")}),
    # OG의 PS CV(alias): the alias folds into the canonical title
    ("오픈AI의 제이슨 권 최고전략책임자(CSO)가 10일 기자들 질의에 답하고 있다.",
     {("제이슨 권", "per:title", "최고전략책임자"), ("제이슨 권", "per:employee_of", "오픈AI")}),
    # byline
    ("본문이다.\n김대영 한경닷컴 기자 kdy@hankyung.com",
     {("김대영", "per:title", "기자"), ("김대영", "per:employee_of", "한경닷컴")}),
    # OG 측 PS CV list
    ("오픈AI 측에선 제이슨 권 최고전략책임자(CSO), 브래드 라이트캡 최고운영책임자(COO)가 참여한다.",
     {("제이슨 권", "per:employee_of", "오픈AI"), ("브래드 라이트캡", "per:employee_of", "오픈AI"),
      ("제이슨 권", "per:title", "최고전략책임자"), ("브래드 라이트캡", "per:title", "최고운영책임자")}),
])
def test_people_titles_and_employers(nlp, text, expected):
    assert expected <= relations(nlp, text)


def test_short_reference_gets_the_full_name(nlp):
    text = "제이슨 권 CSO는 말했다. 권 CSO는 \"단계적으로 발표할 것\"이라고 했다."
    assert ("제이슨 권", "per:title", "최고전략책임자") in relations(nlp, text)


def test_ambiguous_short_reference_is_left_alone(nlp):
    text = "김철수 회장과 김영희 사장이 만났다. 김 회장은 말했다."
    found = relations(nlp, text)
    assert ("김영희", "per:title", "회장") not in found


@pytest.mark.parametrize("text, expected", [
    ("클라우드 서비스 제공기업과 관련해선 (마이크로소프트의) 애저에서 보통 모델을 돌리는데", ("마이크로소프트", "org:product", "애저")),
    ("생성형 인공지능(AI) ‘챗GPT’ 개발사 미국 오픈AI는 10일 밝혔다.", ("오픈AI", "org:product", "챗GPT")),
    ("카카오는 카카오톡 채팅 탭 안에 챗GPT를 탑재하는 방안을 추진한다.", ("카카오", "org:product", "카카오톡")),
])
def test_products(nlp, text, expected):
    assert expected in relations(nlp, text)


def test_place_of_headquarters_and_branch(nlp):
    found = relations(nlp, "생성형 인공지능(AI) ‘챗GPT’ 개발사 미국 오픈AI는 오픈AI 코리아를 출범했다.")
    assert ("오픈AI", "org:place_of_headquarters", "미국") in found
    assert ("오픈AI 코리아", "org:branch_of", "오픈AI") in found


def test_partner_with_omitted_subject_carried_over(nlp):
    text = "오픈AI는 이미 한국 기업들과 협력하고 있다.\n실제로 지난 2월 카카오와 전략적 제휴를 맺기도 했다."
    assert ("오픈AI", "org:partner_of", "카카오") in relations(nlp, text)


def test_partner_mou(nlp):
    assert ("오픈AI", "org:partner_of", "서울대학교") in relations(nlp, "오픈AI는 오는 11일 서울대학교와 MOU도 체결한다.")


def test_clients(nlp):
    found = relations(nlp, "GS건설·토스 등도 오픈AI의 엔터프라이즈를 활용하고 있다.")
    assert {("GS건설", "org:client_of", "오픈AI"), ("토스", "org:client_of", "오픈AI")} <= found


def test_hosting_with_event_date(nlp):
    found = relations(nlp, "오픈AI는 오는 12일엔 파운더스 데이를 열어 네트워킹의 장을 마련한다.")
    assert ("오픈AI", "org:hosts", "파운더스 데이") in found
    assert ("파운더스 데이", "ev:date", "2025-09-12") in found


def test_figures_about_a_product(nlp):
    text = ("오픈AI에 따르면 전 세계 챗GPT 주간활성사용자(WAU) 수는 최근 7억명을 돌파했다. "
            "국내에선 챗GPT 주간 사용자가 1년 전보다 4배 증가했다.")
    found = relations(nlp, text)
    assert {("챗GPT", "qt:of", "7억명"), ("챗GPT", "qt:of", "4배")} <= found


def test_figures_about_a_group_are_not_qt_of(nlp):
    found = relations(nlp, "한국인 스마트폰 사용자 5120만명 가운데 약 40%에 이르는 수준이다.")
    assert not [r for r in found if r[1] == "qt:of"]


def test_ordinal_of_the_subject(nlp):
    found = relations(nlp, "오픈AI는 아시아에서 세 번째, 전 세계에서 열두 번째로 한국에 지사를 설립했다.")
    assert {("오픈AI", "qt:of", "세 번째"), ("오픈AI", "qt:of", "열두 번째")} <= found


def test_relation_rows_carry_evidence_and_offsets(nlp):
    text = "앞서 이재용 삼성전자 회장 등과의 만남에 대해선 말했다."
    doc = nlp.tokenizer(text)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    for rel in doc._.relations:
        assert text[rel.subj_start:rel.subj_end] == rel.subj
        assert text[rel.obj_start:rel.obj_end] == rel.obj
        assert rel.evidence == text


def test_head_of_an_organisation_in_parentheses(nlp):
    found = relations(nlp, "한국표준과학연구원(원장 박상열)은 10일 새 장비를 공개했다.")
    assert {("박상열", "per:title", "원장"), ("박상열", "per:employee_of", "한국표준과학연구원")} <= found


def test_title_before_the_name(nlp):
    found = relations(nlp, "애플 CEO 스티브 잡스가 사임했다.")
    assert {("스티브 잡스", "per:title", "최고경영자"), ("스티브 잡스", "per:employee_of", "애플")} <= found
    assert relations(nlp, "대통령 취임식이 열렸다.") == set()


def test_survey_sample_is_no_figure_of_the_product(nlp):
    found = relations(nlp, "두잇서베이가 아이폰 사용자 300명을 대상으로 조사한 결과를 발표했다.")
    assert not [r for r in found if r[1] == "qt:of"]
    assert ("챗GPT", "qt:of", "2000만명") in relations(nlp, "국내 챗GPT 사용자 2000만명 돌파")


def test_title_with_copula_before_the_name(nlp):
    found = relations(nlp, "삼성전자 부회장인 이재용은 말했다.")
    assert {("이재용", "per:title", "부회장"), ("이재용", "per:employee_of", "삼성전자")} <= found
