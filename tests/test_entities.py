"""Stage 2: entity spans, labels and canonical names: what the rule corpora (tests/corpus/entities/, run by
test_corpus_rules.py) do not check: values, offsets over whole articles, hand-made spans, unit tests."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.entities.words import is_function_token
from pipeline.records import entity_info
from tests.conftest import SEEDS, entity_rows, run_text

WIKINEWS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wikinews-ko" / "wikinews-ko.jsonl"


def ents(nlp, text: str, published=None) -> list[tuple[str, str, str]]:
    return entity_rows(run_text(nlp, text, published))


def test_quantities_and_dates_carry_values(nlp):
    doc = run_text(nlp, "국내 챗GPT 월간활성사용자 수는 지난달 2031만명으로 역대 최대치를 기록했다.", "2025-09-10")
    table = entity_info(doc)
    values = {e.text: (e.label_, table[(e.start_char, e.end_char)]) for e in doc.ents}
    assert values["지난달"][0] == "DT" and values["지난달"][1].norm == "2025-08"
    assert values["2031만명"][0] == "QT" and values["2031만명"][1].value == 20310000 and values["2031만명"][1].unit == "명"


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


def test_organisation_head_in_a_sentence_with_a_known_gap(nlp):
    # entities/compounds:3 is an xfail (보잉 777 missed): its organisation is still checked here
    assert ("아시아나 항공", "OG") in [(t, label) for t, label, _ in ents(nlp, "아시아나 항공 보잉 777기가 추락했다.")]


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


@pytest.mark.parametrize("text, expected", [
    ("프로젝트의 수석 연구자인 크리스토프 로비스는 이 발견을 강조했다.",
     [("크리스토프 로비스", "PS", "크리스토프 로비스")]),
    ("트럼프 대통령의 차남 에릭 트럼프도 이날 트위터에서 말했다.",
     [("트럼프", "PS", "트럼프"), ("대통령", "CV", "대통령"), ("에릭 트럼프", "PS", "에릭 트럼프"),
      ("이날", "DT", "2020-10-02"), ("트위터", "AF", "트위터")]),
    # a whole known name does not grow into the next word (자민단 is the tagger's error, kept apart)
    ("일본의 한 언론은 21일 아베 신조 자민단 총재가 박근혜 대통령 당선자를 위해 특사를 파견할 예정이라고 밝혔다.",
     [("일본", "LC", "일본"), ("21일", "DT", "2020-10-21"), ("아베 신조", "PS", "아베 신조"), ("자민단", "PS", "자민단"),
      ("총재", "CV", "총재"), ("박근혜", "PS", "박근혜"), ("대통령", "CV", "대통령")]),
])
def test_a_foreign_name_cut_by_the_tagger_is_joined(nlp, text, expected):
    """Wikinews sentences: adjacent model persons with one space between, neither shaped like a Korean
    name, are one foreign name (``_joined_foreign_names``)."""
    assert ents(nlp, text, "2020-10-02") == expected


@pytest.mark.parametrize("text, expected", [
    ("김정재", True), ("남궁민", True), ("황보승희", True),
    ("진핵생물", False),  # one-syllable surname + three syllables: a word (Wikinews: 진핵생물과 고세균)
    ("김정", False), ("Kim", False),
])
def test_a_korean_name_has_the_shape_of_one(text, expected):
    from pipeline.entities.lexicons import lexicons
    from pipeline.entities.words import looks_korean_name

    assert looks_korean_name(text, lexicons()) is expected


def test_a_short_mention_of_a_vouched_for_person_is_the_person(nlp):
    """Wikinews kowikinews-0005: the model reads the later 엔케 as an organisation; after 골키퍼 로베르트
    엔케 (a multi-word person) it is the person again. Every person mention of the text, in order."""
    text = ("하노버 경찰에 따르면, 현지 시간으로 10일 밤 독일 축구 국가대표팀의 골키퍼 로베르트 엔케가 사망하였다. "
            "엔케는 노이슈타트-엘리베제 철도 건널목에서 열차에 치여 숨졌으며, 경찰은 엔케의 사망 원인을 자살로 추정하였다.")
    persons = [row for row in ents(nlp, text, "2009-11-11") if row[1] == "PS"]
    assert persons == [("로베르트 엔케", "PS", "로베르트 엔케"), ("엔케", "PS", "로베르트 엔케"), ("엔케", "PS", "로베르트 엔케")]



@pytest.mark.parametrize("text, published", [
    ("대한제국의 비자주적 외교를 비판하며 국정개혁안인 《헌의6조》를 고종에게 제출하기도 한 인물이다.", "2011-01-29"),
    ("전기통신기본법 2조 1항 \"전기통신\"이라 함은 유선ㆍ무선ㆍ광선 및 기타의 전자적 방식에 의하여 부호ㆍ문자를 송신하는 것을 말한다.",
     "2020-10-08"),
])
def test_a_model_quantity_is_read_in_its_sentence(nlp, text, published):
    """Wikinews: the model tags 6조 and 2조 as quantities; read alone they are six and two trillion, read in
    their sentence they are a title's part and a law's article: no QT at all."""
    assert [row for row in ents(nlp, text, published) if row[1] == "QT"] == []


def test_a_model_date_is_read_in_its_sentence(nlp):
    """Wikinews kowikinews-0112 (2011-04-07): 4월 7일 and 3월 24일 before 혁명 name revolutions, not days
    of 2011; the days written alone (3월 24일 사건, 4월 7일 사건) are dates. Every DT of the text, in order."""
    text = ("3월 24일 사건이 없이는 4월 7일 혁명이 일어나지 않았을 것이며, 반대로 4월 7일 사건이 없었다면 "
            "3월 24일 혁명 또한 없었을 것이다,\"라고 알름쿨로브가 인터뷰에서 밝혔다.")
    dates = [row for row in ents(nlp, text, "2011-04-07") if row[1] == "DT"]
    assert dates == [("3월 24일", "DT", "2011-03-24"), ("4월 7일", "DT", "2011-04-07")]


def test_a_foreign_person_takes_the_given_name_the_tagger_left_out(nlp):
    """Wikinews kowikinews-0543: the tagger finds 트럼프 alone; 도널드 starts 145 persons' names in
    kiwipiepy_model's dictionary (resources/given_names.tsv). Every person of the text, in order."""
    text = "2020년 10월 2일, 도널드 트럼프와 그 영부인인 멜라니아 트럼프가 코로나바이러스-19 양성 판정을 받았다."
    persons = [row for row in ents(nlp, text, "2020-10-04") if row[1] == "PS"]
    assert persons == [("도널드 트럼프", "PS", "도널드 트럼프"), ("멜라니아 트럼프", "PS", "멜라니아 트럼프")]


def test_a_council_glued_to_its_city_is_one_organisation(nlp):
    """KLUE-RE train sentence: 고양시의회 is one OG (head 의회), not the lexicon's place 고양시 with a common
    noun after it. Every organisation of the text, in order."""
    text = ("이날 개통식에는 이재준 시장, 이윤승 고양시의회 의장, 정의당 고양갑 심상정 국회의원, 더불어민주당 고양갑 "
            "문명순 위원장, 이길용 고양시의회 건설교통위원장, 신재호 선진버스 회장을 비롯한 100여 명이 참석했다.")
    organisations = [row[0] for row in ents(nlp, text) if row[1] == "OG"]
    assert organisations == ["고양시의회", "정의당", "더불어민주당", "고양시의회", "선진버스"]


@pytest.mark.parametrize("text, events", [
    ("극작가 존 카메론 미첼이 직접 감독과 주연을 맡았으며 2001년 선댄스 영화제에서 최우수 감독상과 관객상을 수상했다.",
     ["선댄스 영화제"]),
    ("칸영화제 조직·집행위원회는 프랑스 칸에서 14일(현지시간) 열린 기자회견에서 공식·비공식 부문 초청작을 발표했다.",
     ["칸영화제"]),
    # the lexicon's place 부산 no longer cuts the festival's name
    ("영화 '친구2'로 부산국제영화제를 찾은 한수아가 황금빛 화려한 드레스로 3일 오후 실시간 검색어에 오르며 화제가 됐다.",
     ["부산국제영화제"]),
    ("이날 개막하는 제20회 부산국제영화제는 오는 10일까지 이어진다.", ["부산국제영화제"]),
])
def test_a_festival_head_makes_an_event(nlp, text, events):
    """KLUE-NER train sentences: 영화제 (like 가요제, 비엔날레, 선수권대회, 정상회의, 시상식) is an event head
    (resources/name_suffixes.tsv). Every EV of the text."""
    assert [row[0] for row in ents(nlp, text) if row[1] == "EV"] == events


@pytest.mark.parametrize("text, published, events", [
    ("해당 방송에서는 2020 도쿄 올림픽이 확정된 이후 올림픽이 어떻게 개최될 것인지 알려주는 내용을 전하고 있었다.",
     "2013-10-05", ["2020 도쿄 올림픽"]),
    ("JR동일본은 2020 도쿄 올림픽 개최로 인한 수송력 부족을 우려하여 하네다 공항으로 향하는 신선을 만들 계획을 고려하고 있다고 밝혔다.",
     "2013-11-11", ["2020 도쿄 올림픽"]),
])
def test_the_longest_event_name_wins_over_a_lexicon_place_inside_it(nlp, text, published, events):
    """Wikinews: the lexicon's 도쿄 (LC) cut the model's event 2020 도쿄 올림픽. Every EV of the text."""
    assert [row[0] for row in ents(nlp, text, published) if row[1] == "EV"] == events
