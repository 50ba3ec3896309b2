"""The per-Doc caches the stages share: token columns and entity spans say what the Doc says."""
from __future__ import annotations

from spacy.tokens import Span

from pipeline.entities.spans import split_tokens_at
from pipeline.records import entity_spans, set_entity_spans, token_columns

TEXT = "美 오픈AI, 한국지사 공식 출범\n\n오픈AI는 10일 서울에서  2031만명을 돌파했다고 밝혔다."


def test_token_columns_match_the_tokens(rules_nlp):
    doc = rules_nlp(TEXT)
    tok = token_columns(doc)
    assert tok.text == doc.text
    assert tok.words == [t.text for t in doc]
    assert tok.tags == [t.tag_ for t in doc]
    assert tok.base_tags == [t.tag_.split("+")[0] for t in doc]
    assert tok.lemmas == [t.lemma_ for t in doc]
    assert tok.lemma_heads == [t.lemma_.split("+")[0] for t in doc]
    assert tok.space_after == [bool(t.whitespace_) for t in doc]
    assert tok.is_space == [t.is_space for t in doc]
    assert tok.is_punct == [t.is_punct for t in doc]
    assert tok.starts == [t.idx for t in doc]
    assert tok.ends == [t.idx + len(t) for t in doc]
    assert tok.span_text(3, 7) == doc[3:7].text and tok.span_text(4, 4) == ""


def test_token_columns_follow_a_split(rules_nlp):
    doc = rules_nlp.make_doc("8강전에서 이겼다")
    before = token_columns(doc)
    assert token_columns(doc) is before and before.words[:3] == ["8", "강전", "에서"]
    split_tokens_at(doc, [2])  # 8강 | 전
    assert token_columns(doc) is not before
    assert token_columns(doc).words == [t.text for t in doc] == ["8", "강", "전", "에서", "이겼", "다"]


def test_entity_spans_follow_any_change_of_the_entities(rules_nlp):
    doc = rules_nlp(TEXT)
    assert [(e.start, e.end, e.label_) for e in entity_spans(doc)] == [(e.start, e.end, e.label_) for e in doc.ents]
    assert entity_spans(doc) is entity_spans(doc)
    doc.ents = [Span(doc, 0, 1, label="LC")]  # set by someone else: the cache notices
    assert [(e.start, e.end, e.label_) for e in entity_spans(doc)] == [(0, 1, "LC")]


def test_set_entity_spans(rules_nlp):
    doc = rules_nlp(TEXT)
    current = entity_spans(doc)
    set_entity_spans(doc, list(current), current)  # nothing new: nothing to do
    assert entity_spans(doc) == current
    set_entity_spans(doc, [])  # without ``current``, an empty list clears the entities
    assert doc.ents == () and entity_spans(doc) == ()
    set_entity_spans(doc, [Span(doc, 2, 3, label="OG"), Span(doc, 0, 1, label="LC")])
    assert [(e.start, e.label_) for e in entity_spans(doc)] == [(0, "LC"), (2, "OG")]
    assert [(e.start, e.label_) for e in doc.ents] == [(0, "LC"), (2, "OG")]


def test_the_gazetteer_feature_leaves_user_data_alone(nlp):
    if "konne_gazetteer_feature" not in nlp.pipe_names:
        return
    doc = nlp.make_doc(TEXT)
    nlp.get_pipe("konne_gazetteer_feature")(doc)
    assert doc.user_data == {}  # a Doc of the NER's own pipeline stays serialisable


def test_names_added_to_the_gazetteer_at_run_time_are_marked(nlp):
    gazetteer = nlp.get_pipe("konne_gazetteer_feature")
    text = "쿼크바이오텍은 신약을 냈다."
    assert not any(str(t.morph) for t in gazetteer(nlp.make_doc(text)))
    gazetteer.table.update({"쿼크바이오텍": "OG"})
    try:
        doc = gazetteer(nlp.make_doc(text))
        assert str(doc[0].morph) == "Gaz=B_OG"
    finally:
        del gazetteer.table["쿼크바이오텍"]


def test_an_expression_becomes_entity_details_field_for_field():
    from dataclasses import fields

    from pipeline.normalize import find_expressions
    from pipeline.normalize.types import READING_FIELDS, Expression
    from pipeline.records import EntityInfo

    shared = {f.name for f in fields(Expression)} & {f.name for f in fields(EntityInfo)}
    assert shared == set(READING_FIELDS)
    (expr,) = find_expressions("약 3~5배")
    info = EntityInfo.from_reading(expr, source="grammar")
    assert [getattr(info, name) for name in READING_FIELDS] == [getattr(expr, name) for name in READING_FIELDS]
    assert (info.source, info.entity_id) == ("grammar", "")
