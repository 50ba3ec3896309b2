"""Article layout: header lines, headline block, captions, byline."""
from __future__ import annotations

import datetime as dt

from pipeline import layout
from tests.conftest import SEEDS


def kinds(text: str) -> list[tuple[str, str]]:
    return [(r.kind, text[r.start:r.end].strip()) for r in layout.article_regions(text)]


def test_header_date_forms():
    assert layout.parse_header_date("date 2025-09-10") == dt.date(2025, 9, 10)
    assert layout.parse_header_date("입력 2025.09.10 14:03") == dt.date(2025, 9, 10)
    assert layout.parse_header_date("수정 2024. 2. 3. 오후 3:10") == dt.date(2024, 2, 3)
    assert layout.parse_header_date("입력") is None
    assert layout.parse_header_date("입력 2025.02.30") is None  # no such day


def test_header_prefix_on_the_headline_line():
    text = " date 2025-09-10 美 오픈AI, 한국지사 10일 공식 출범\n\n본문이다."
    assert kinds(text)[:2] == [("meta", "date 2025-09-10"), ("headline", "美 오픈AI, 한국지사 10일 공식 출범")]
    assert layout.header_date(text) == dt.date(2025, 9, 10)


def test_headline_block_byline_and_caption():
    text = ("제목 한 줄\n부제 한 줄\n입력\n수정\n본문 첫 문장이다. 둘째 문장이다.\n"
            "사진 설명 문장으로 행사장을 보여 준다 연합뉴스\n김철수 한경닷컴 기자 kcs@hankyung.com")
    assert kinds(text) == [("headline", "제목 한 줄"), ("subheadline", "부제 한 줄"), ("meta", "입력"), ("meta", "수정"),
                           ("body", "본문 첫 문장이다. 둘째 문장이다."), ("caption", "사진 설명 문장으로 행사장을 보여 준다 연합뉴스"),
                           ("byline", "김철수 한경닷컴 기자 kcs@hankyung.com")]


def test_seed_bylines_and_titles():
    hankyung = (SEEDS / "000_10e54bcd19c753c1.txt").read_text(encoding="utf-8")
    assert kinds(hankyung)[-1] == ("byline", "김대영 한경닷컴 기자 kdy@hankyung.com")
    assert layout.header_date(hankyung) is None  # its 입력/수정 lines are empty
    assert layout.headline(hankyung).startswith('"韓, 아태지역서 챗GPT')


def test_a_body_sentence_is_not_a_byline():
    assert not layout.is_byline("기자들은 그 자리에서 질문을 이어 갔다.")
    assert layout.is_byline("홍길동 기자")
