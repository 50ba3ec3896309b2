"""Stage 2: entity spans, labels and canonical names on real news sentences."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.entities.words import is_function_token
from pipeline.records import entity_info
from tests.conftest import SEEDS

WIKINEWS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wikinews-ko" / "wikinews-ko.jsonl"


def ents(nlp, text: str, published=None) -> list[tuple[str, str, str]]:
    doc = nlp.tokenizer(text)
    doc._.published = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    table = entity_info(doc)
    return [(e.text, e.label_, table[(e.start_char, e.end_char)].norm) for e in doc.ents]


@pytest.mark.parametrize("text, expected", [
    ("오픈AI는 한국에 지사를 설립했다.", [("오픈AI", "OG", "오픈AI"), ("한국", "LC", "한국")]),
    ("카카오와 전략적 제휴를 맺었다.", [("카카오", "OG", "카카오")]),
    ("韓 시장 중요", [("韓", "LC", "한국")]),
    ("마이크로소프트의 애저에서 모델을 돌린다.", [("마이크로소프트", "OG", "마이크로소프트"), ("애저", "AF", "애저")]),
])
def test_lexicon_names_without_josa(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_person_organisation_title_apposition(nlp):
    found = ents(nlp, "앞서 이재용 삼성전자 회장 등과의 만남에 대해 말했다.")
    assert found == [("이재용", "PS", "이재용"), ("삼성전자", "OG", "삼성전자"), ("회장", "CV", "회장")]


def test_foreign_name_with_korean_surname_and_parenthesised_alias(nlp):
    found = ents(nlp, "오픈AI의 제이슨 권 최고전략책임자(CSO)가 답하고 있다.")
    assert ("제이슨 권", "PS", "제이슨 권") in found
    assert ("최고전략책임자", "CV", "최고전략책임자") in found
    assert ("CSO", "CV", "최고전략책임자") in found


def test_surname_with_title_is_no_person(nlp):
    found = ents(nlp, "권 CSO는 시간이 오래 걸릴 것 같다고 했다.")
    assert ("CSO", "CV", "최고전략책임자") in found
    assert not [e for e in found if e[1] == "PS"]


def test_byline_person_outlet_title_and_no_email(nlp):
    found = ents(nlp, "본문이다.\n김대영 한경닷컴 기자 kdy@hankyung.com")
    assert found[-3:] == [("김대영", "PS", "김대영"), ("한경닷컴", "OG", "한경닷컴"), ("기자", "CV", "기자")]
    assert not [e for e in found if "@" in e[0]]


def test_branch_is_its_own_organisation(nlp):
    assert ("오픈AI 코리아", "OG", "오픈AI 코리아") in ents(nlp, "오픈AI 코리아는 비전을 제시했다.")


def test_address_chain_and_venue(nlp):
    found = ents(nlp, "10일 오전 서울 광진구 파이팩토리 스튜디오에서 열린 기자회견")
    assert ("서울 광진구", "LC", "서울 광진구") in found
    assert ("파이팩토리 스튜디오", "LC", "파이팩토리 스튜디오") in found
    assert not [e for e in found if e[0] in ("기자", "기자회견")]  # unnamed events are no entities


def test_quoted_event_names_and_alias(nlp):
    found = ents(nlp, "오는 11월에는 ‘데브데이 익스체인지(DevDay Exchange)’를 국내에서 개최한다.")
    assert ("데브데이 익스체인지", "EV", "데브데이 익스체인지") in found
    assert ("DevDay Exchange", "EV", "데브데이 익스체인지") in found


def test_event_in_apposition(nlp):
    found = ents(nlp, "오픈AI는 지난 2월 국내 최초 개발자 워크숍인 빌더랩을 개최했다.")
    assert ("빌더랩", "EV", "빌더랩") in found


def test_quantities_and_dates_carry_values(nlp):
    import datetime as dt

    doc = nlp.tokenizer("국내 챗GPT 월간활성사용자 수는 지난달 2031만명으로 역대 최대치를 기록했다.")
    doc._.published = dt.date(2025, 9, 10)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    table = entity_info(doc)
    values = {e.text: (e.label_, table[(e.start_char, e.end_char)]) for e in doc.ents}
    assert values["지난달"][0] == "DT" and values["지난달"][1].norm == "2025-08"
    assert values["2031만명"][0] == "QT" and values["2031만명"][1].value == 20310000 and values["2031만명"][1].unit == "명"


@pytest.mark.parametrize("text", ["한국 정부와의 협력도 강화할 예정이다.", "기자들 질의에 답하고 있다.", "AI 대전환을 위한 파트너"])
def test_conventions_exclusions(nlp, text):
    assert ents(nlp, text) == []


def test_no_span_starts_or_ends_with_josa_on_real_news(nlp):
    """Over the seeds and 40 Wikinews articles: spans never begin or end on a particle or ending."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if WIKINEWS.exists():
        with open(WIKINEWS, encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for _, line in zip(range(40), handle)]
    checked = 0
    for doc in nlp.pipe(nlp.tokenizer.pipe(texts)):
        for ent in doc.ents:
            assert not is_function_token(ent[0]) and not is_function_token(ent[-1]), (ent.text, ent.label_)
            assert ent.text == ent.text.strip()
            checked += 1
    assert checked > 500


def test_unlisted_party_between_name_and_title(nlp):
    found = ents(nlp, "이인영 더불어민주당 원내대표는 말했다.")
    assert [(t, label) for t, label, _ in found] == [("이인영", "PS"), ("더불어민주당", "OG"), ("원내대표", "CV")]


def test_later_mentions_of_a_parenthesised_alias(nlp):
    found = ents(nlp, "아시아축구연맹(이하 AFC)은 10일 발표했다. AFC는 또 밝혔다.")
    assert [e for e in found if e[0] == "AFC"] == [("AFC", "OG", "아시아축구연맹"), ("AFC", "OG", "아시아축구연맹")]


def test_short_person_name_takes_the_full_name_only_when_unambiguous(nlp):
    def norms(text: str, names: list[str]) -> dict[str, str]:
        doc = nlp.tokenizer(text)
        spans, at = [], 0
        for name in names:
            at = text.index(name, at)
            spans.append(doc.char_span(at, at + len(name), label="PS"))
            at += len(name)
        doc.ents = spans
        doc = nlp.get_pipe("canonical_names")(doc)
        table = entity_info(doc)
        return [table[(e.start_char, e.end_char)].norm for e in doc.ents]

    assert norms("스티브 잡스가 사임했다. 잡스는 말했다.", ["스티브 잡스", "잡스"]) == ["스티브 잡스", "스티브 잡스"]
    assert norms("이방카 트럼프와 에릭 트럼프가 왔다. 트럼프는 말했다.", ["이방카 트럼프", "에릭 트럼프", "트럼프"]) == [
        "이방카 트럼프", "에릭 트럼프", "트럼프"]


@pytest.mark.parametrize("text, expected", [
    ("아시아나 항공 보잉 777기가 추락했다.", ("아시아나 항공", "OG")),
    ("부상자들은 세브란스병원으로 옮겨졌다.", ("세브란스병원", "OG")),
    ("서울중앙지방법원은 10일 판결했다.", ("서울중앙지방법원", "OG")),
])
def test_organisation_heads(nlp, text, expected):
    assert expected in [(t, label) for t, label, _ in ents(nlp, text)]


def test_laws_are_no_entities_but_courts_are(nlp):
    found = ents(nlp, "차별금지법 제정을 촉구했다. 서울중앙지법은 10일 판결했다. 표시광고법 위반이다.")
    assert [(t, label) for t, label, _ in found if label in {"OG", "PS", "AF", "EV"}] == [("서울중앙지법", "OG")]


@pytest.mark.parametrize("name, excluded", [
    ("월간활성사용자", True), ("유료가입자", True), ("신규이용자", True),
    ("한국소비자원", False), ("서울고법", False), ("카카오", False),
])
def test_groups_of_people_by_activity_are_no_names(name, excluded):
    from pipeline.entities.exclusions import excluded_head
    from pipeline.entities.lexicons import lexicons

    assert excluded_head(name, lexicons()) is excluded


def test_an_unknown_user_group_compound_is_no_name(nlp):
    # Kiwi reads the unknown compound 월간활성사용자 as one NNP token, which the NER may take for an
    # organisation.
    found = ents(nlp, "국내 넷플릭스 월간활성사용자(MAU) 수는 1200만명이다.")
    assert "월간활성사용자" not in [t for t, _, _ in found]


def test_a_model_person_needs_evidence_somewhere_in_the_article(rules_nlp):
    """The NER calls loanwords persons (Kiwi tags them NNP like names); a model person is kept when
    a title or person cue stands next to one of its mentions, or it has a Korean name's shape."""

    from pipeline.components.model_screen import screen_model_entities
    from pipeline.entities.lexicons import lexicons

    text = ("트럼프 대통령은 코로나 확진 뒤 퇴원했다. 트럼프는 블록체인 업계를 비판했다. "
            "사무총장 오콘조이웨알라가 왔고, 이세돌도, 이탈리아의 베를루스코니도 왔다.")
    doc = rules_nlp.make_doc(text)
    names = ["트럼프", "코로나", "트럼프", "블록체인", "오콘조이웨알라", "이세돌", "베를루스코니"]
    spans, at = [], 0
    for name in names:
        start = text.index(name, at)
        at = start + len(name)
        spans.append(doc.char_span(start, at, label="PS"))
    doc.ents = spans
    screen_model_entities(doc, lexicons())
    # 트럼프: 대통령 after its first mention vouches for the second; 오콘조이웨알라: a title before;
    # 이세돌: a surname and two syllables; 베를루스코니 has nothing here and goes with 코로나, 블록체인
    assert [e.text for e in doc.ents] == ["트럼프", "트럼프", "오콘조이웨알라", "이세돌"]
