"""Stage 1: the Kiwi tokenizer keeps the text, the offsets and the tags."""
from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.components.tokenizer import MAX_KIWI_CHARS, SPACE_TAG

KOREAN_NEWS_ALPHABET = (
    "가나다라마바사아자차카타파하한국오픈AI챗GPT의는이가을를에서와과도만억조원명년월일"
    + "韓美中日" + "😀👍🇰🇷" + " \n\t\r\u200b\u3000\x00\x07\x1f" + string.ascii_letters + string.digits
    + ".,!?…·'\"“”‘’()[]%~-"
)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=KOREAN_NEWS_ALPHABET, max_size=200))
def test_doc_text_and_offsets_round_trip(tokenizer, text):
    doc = tokenizer(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx:token.idx + len(token.text)] == token.text
        assert token.tag_, f"token {token.text!r} has no tag"


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=120))
def test_any_unicode_string_round_trips(tokenizer, text):
    assert tokenizer(text).text == text


def test_kiwi_tags_on_tokens(tokenizer):
    doc = tokenizer("오픈AI는 2031만명을 돌파했다.")
    tags = {t.text: t.tag_ for t in doc}
    assert tags["오픈AI"] == "NNP"  # a lexicon name stays one token
    assert tags["는"] == "JX"
    assert tags["2031"] == "SN" and tags["만"] == "NR" and tags["명"] == "NNB"
    assert tags["했"] == "XSV+EP"  # two morphemes on one character


def test_every_line_break_ends_a_sentence(tokenizer):
    text = "美 오픈AI, 한국지사 공식 출범\n제이슨 권 CSO “파트너십 중요”\n\n오픈AI는 10일 밝혔다. 이어 말했다."
    sentences = [s.text.strip() for s in tokenizer(text).sents if s.text.strip()]
    assert sentences == ["美 오픈AI, 한국지사 공식 출범", "제이슨 권 CSO “파트너십 중요”", "오픈AI는 10일 밝혔다.", "이어 말했다."]


def test_whitespace_runs_are_their_own_tokens(tokenizer):
    doc = tokenizer("가  나\n\n다")
    assert [t.text for t in doc] == ["가", " ", "나", "\n\n", "다"]
    assert [t.tag_ for t in doc if t.is_space] == [SPACE_TAG, SPACE_TAG]


def test_long_lines_are_cut_for_kiwi_but_keep_offsets(tokenizer):
    sentence = "오픈AI는 서울에서 행사를 열었다. "
    text = sentence * (3 * MAX_KIWI_CHARS // len(sentence))
    doc = tokenizer(text)
    assert doc.text == text
    assert sum(1 for t in doc if t.text == "오픈AI") == text.count("오픈AI")


def test_tokenizer_is_picklable(tokenizer):
    import pickle

    clone = pickle.loads(pickle.dumps(tokenizer))
    assert clone("한국 챗GPT 사용자").text == "한국 챗GPT 사용자"


def test_a_dotted_list_of_korean_names_keeps_each_name_whole(tokenizer):
    """Wikinews (a list of lawmakers): Kiwi alone reads 박찬 VV+ETM + 우 across the dots."""
    doc = tokenizer("새누리당 의원은 김정재ㆍ윤종필ㆍ박찬우ㆍ강석진 의원 등이다.")
    words = [(t.text, t.tag_) for t in doc if not t.is_space]
    assert words[words.index(("김정재", "NNP")):][:7] == [
        ("김정재", "NNP"), ("ㆍ", "SW"), ("윤종필", "NNP"), ("ㆍ", "SW"), ("박찬우", "NNP"), ("ㆍ", "SW"), ("강석진", "NNP")]


def test_a_dotted_list_of_common_nouns_is_left_to_kiwi(tokenizer):
    """Two-syllable items (경제·사회·문화) or items that do not start with a surname are no name list."""
    from pipeline.components.tokenizer import name_lists

    assert name_lists("경제·사회·문화 분야") == []
    assert name_lists("고용률·실업률·참여율") == []  # 실 and 참 are no surnames
    assert name_lists("김정재ㆍ윤종필ㆍ박찬우 의원") == [(0, 3, "NNP"), (4, 7, "NNP"), (8, 11, "NNP")]
