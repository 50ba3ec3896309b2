"""The shortcuts the stages take for speed give what the plain way gives."""
from __future__ import annotations

import csv

from spacy.tokens import Span

from pipeline.entities.spans import _rank_and_pick, _resolve_overlaps
from pipeline.models.gazetteer_feature import MAX_TOKENS, GazetteerFeature
from pipeline.normalize import find_expressions
from pipeline.records import (
    EntityInfo,
    entity_spans,
    sentence_index,
    set_entity_spans,
    token_columns,
)
from pipeline.relations.base import entity_index, ents_in

TEXT = "美 오픈AI, 한국지사 공식 출범\n\n오픈AI는 10일 서울에서 삼성전자와 2031만명을 돌파했다고 밝혔다. 카카오도 참석했다."


def test_set_entity_spans_skips_spans_equal_to_the_current_ones(rules_nlp):
    doc = rules_nlp(TEXT)
    current = entity_spans(doc)
    assert current
    copies = [Span(doc, e.start, e.end, label=e.label_) for e in current]
    set_entity_spans(doc, copies, current)  # the same entities as new objects: nothing to assign
    assert entity_spans(doc) is current
    relabelled = [Span(doc, e.start, e.end, label="EV") for e in current]
    set_entity_spans(doc, relabelled, current)  # another label: assigned
    assert [e.label_ for e in doc.ents] == ["EV"] * len(current)


def test_entities_of_a_token_range_are_those_inside_it(rules_nlp):
    doc = rules_nlp(TEXT)
    doc.user_data.pop("_relation_entities", None)
    ents = entity_index(doc).ents
    assert ents
    n = len(doc)
    for start in range(0, n + 1, 3):
        for end in range(start, n + 1, 2):
            for labels in (None, {"OG"}, frozenset({"QT", "DT", "LC"})):
                expected = [e for e in ents if e.start >= start and e.end <= end
                            and (labels is None or e.label_ in labels)]
                assert ents_in(doc, start, end, labels) == expected
    for sent in sentence_index(doc):
        assert ents_in(doc, sent.start, sent.end) == [e for e in ents if sent.start <= e.start and e.end <= sent.end]


def _marks_the_plain_way(doc, table: dict[str, str]) -> list[str]:
    """Longest table form starting at each token boundary, tried over every token."""
    tok = token_columns(doc, store=False)
    marks = [""] * len(doc)
    i = 0
    while i < len(doc):
        for j in range(min(len(doc), i + MAX_TOKENS), i, -1):
            label = table.get(tok.text[tok.starts[i]:tok.ends[j - 1]])
            if label:
                marks[i:j] = [f"Gaz=B_{label}"] + [f"Gaz=I_{label}"] * (j - i - 1)
                i = j
                break
        else:
            i += 1
    return marks


def test_the_gazetteer_marks_the_longest_forms(rules_nlp):
    table = {"오픈AI": "OG", "삼성전자": "OG", "삼성": "OG", "서울": "LC", "한국지사": "OG", "카카오": "OG",
             "10일": "DT", "서울에서 삼성전자": "X"}
    gazetteer = GazetteerFeature(rules_nlp, table=table)
    doc = gazetteer(rules_nlp.make_doc(TEXT))
    assert [str(t.morph) for t in doc] == _marks_the_plain_way(doc, table)
    assert any(str(t.morph) == "Gaz=B_X" for t in doc)


def test_sino_korean_starts_are_read_only_where_a_number_or_word_begins():
    def found(text):
        return [(e.text, e.label) for e in find_expressions(text)]

    assert found("삼십 명이 왔다") == [("삼십 명", "QT")]
    assert found("일본 사업은 이어진다") == []
    assert found("수년 동안 이어졌다")[0][1] == "DT"
    assert found("몇 주 뒤") == [("몇 주 뒤", "DT")]


def test_the_token_columns_the_tokenizer_keeps_are_those_of_the_doc(tokenizer):
    from pipeline.records import TokenColumns

    texts = [TEXT, "  \n 앞에 공백\n\n\t탭과  두 칸, 끝에 공백 ", "", " ", "\n", "a  b\n"]
    for text, doc in zip(texts, tokenizer.pipe(texts, keep_columns=True)):
        kept, read = token_columns(doc), TokenColumns(doc)
        assert kept is not read and kept.text == text == doc.text
        for name in ("text", "words", "starts", "ends", "space_after", "tags", "lemmas", "is_space", "base_tags"):
            assert getattr(kept, name) == getattr(read, name), name
    assert tokenizer(TEXT).user_data == {}  # only when asked for: a plain Doc stays serialisable


def test_csv_cells_skip_the_formatter_only_where_it_would_change_nothing(tmp_path):
    from pipeline.tables import _CsvTable, _format_value

    rows = [["a", 1, None, 2.0, 2.5, float("nan"), True, False, "x,y", 'say "hi"', "", -3, 1e20, "줄\n바꿈"]]
    table = _CsvTable(tmp_path / "fast.csv", ["c"])
    table.write(rows)
    table.close()
    with open(tmp_path / "plain.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["c"])
        writer.writerows([[_format_value(v) for v in row] for row in rows])
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()


def test_the_ner_runs_on_numpy_blas_without_changing_the_default_ops(nlp):
    from thinc.api import get_current_ops

    assert "ner" in nlp.pipe_names  # the model ships with the package
    assert {(type(node.ops).__name__, node.ops.use_blis) for node in nlp.get_pipe("ner").model.walk()} == {
        ("NumpyOps", False)}
    assert getattr(get_current_ops(), "use_blis", True)  # other models (training) keep thinc's default


def test_a_worker_multiplies_matrices_on_one_blas_thread():
    from threadpoolctl import threadpool_info

    from pipeline.runner import init_worker

    init_worker(use_model=True, warm=False)
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_only_the_overlapping_candidates_are_ranked_and_the_winners_are_the_same(rules_nlp):
    doc = rules_nlp("오픈AI 코리아는 10일 서울 광진구에서 삼성전자 이재용 회장과 만났다고 밝혔다.")
    n = len(doc)
    sources = ["model", "lexicon", "grammar", "rule", "delimited"]
    labels = ["OG", "PS", "LC"]
    # spans of every length at every start, besides a few that overlap nothing
    candidates = [(Span(doc, start, min(n, start + length), label=labels[(start + length) % 3]),
                   EntityInfo(source=sources[(start * 7 + length) % 5]))
                  for start in range(0, n - 1, 2) for length in (1, 2, 4) if (start // 6) % 2 == 0]
    candidates += [(Span(doc, start, start + 1, label="OG"), EntityInfo(source="model"))
                   for start in range(6, n, 12)]
    expected = _rank_and_pick(list(candidates))
    assert len(expected) < len(candidates)
    assert _resolve_overlaps(list(candidates)) == expected
    # an empty span can be told no overlap: the plain way is taken
    with_empty = candidates + [(Span(doc, 3, 3, label="OG"), EntityInfo(source="rule"))]
    assert _resolve_overlaps(list(with_empty)) == _rank_and_pick(list(with_empty))


def test_a_relation_pattern_adds_nothing_to_a_sentence_without_its_labels(rules_nlp):
    """extract_relations() runs a pattern only on sentences holding the labels it relates."""
    from pipeline.relations import base, events, partners, persons, places, products
    from pipeline.relations.triggers import triggers

    trig = triggers()
    patterns = {  # what each pattern needs, as extract_relations() tests it
        "appositions": (lambda labels: "CV" in labels or {"OG", "PS"} <= labels,
                        lambda doc, sent, b, subject: persons.appositions(doc, sent, 0, b)),
        "possessives": (lambda labels: "AF" in labels, lambda doc, sent, b, subject: products.possessives(doc, sent, 0, b)),
        "named_products": (lambda labels: {"AF", "OG"} <= labels,
                           lambda doc, sent, b, subject: products.named_products(doc, sent, 0, b)),
        "place_of_headquarters": (lambda labels: {"LC", "OG"} <= labels,
                                  lambda doc, sent, b, subject: places.place_of_headquarters(doc, sent, 0, b)),
        "located_in": (lambda labels: "LC" in labels, lambda doc, sent, b, subject: places.located_in(doc, sent, 0, b, trig)),
        "affiliations": (lambda labels: "OG" in labels,
                         lambda doc, sent, b, subject: persons.parenthesised_affiliations(doc, sent, 0, b)),
        "maker_verbs": (lambda labels: "AF" in labels, lambda doc, sent, b, subject: products.maker_verbs(doc, sent, 0, b, trig)),
        "partners": (lambda labels: "OG" in labels,
                     lambda doc, sent, b, subject: partners.partners(doc, sent, 0, b, subject, trig)),
        "clients": (lambda labels: "OG" in labels, lambda doc, sent, b, subject: partners.clients(doc, sent, 0, b, trig)),
        "hosting": (lambda labels: "EV" in labels,
                    lambda doc, sent, b, subject: events.hosting(doc, sent, 0, b, subject, trig)),
    }
    texts = ["삼성전자 이재용 회장은 10일 서울에서 열린 '갤럭시 언팩' 행사에서 갤럭시 S25를 공개했다.",
             "미국 오픈AI는 카카오와 제휴를 맺었다. 오픈AI의 챗GPT 주간 사용자 수는 7억명이다.",
             "서울 소재 카카오는 판교에 본사를 둔 네이버와 협력한다. 김철수 대표(카카오 사장)가 말했다.",
             "'크리에이티브 랩 서울'은 오픈AI가 개최했다. 오픈AI가 개발한 소라를 쓴다."]
    skipped = 0
    for text in texts:
        doc = rules_nlp(text)
        doc.user_data.pop("_relation_entities", None)
        for sent in sentence_index(doc):
            labels = {ent.label_ for ent in ents_in(doc, sent.start, sent.end)}
            for name, (runs, pattern) in patterns.items():
                if runs(labels):
                    continue
                builder = base.RelationBuilder(doc)
                # a subject carried from another sentence: an organisation of the article
                carried = next((e for e in entity_index(doc).ents if e.label_ == "OG"), None)
                pattern(doc, sent, builder, carried)
                assert not builder.rows, (name, sent.text)
                skipped += 1
    assert skipped


def test_head_endings_are_the_endings_many_forms_of_one_label_share():
    from pipeline.models.gazetteer_feature import head_endings

    table = {f"{name}경찰서": "OG" for name in ("서울", "부산", "대구", "광주", "대전")}
    table.update({"서울공항": "LC", "김포공항": "LC", "무안공항": "LC", "청주공항": "OG", "제주공항": "LC"})
    table.update({"2019년": "DT", "2020년": "DT", "2021년": "DT", "2022년": "DT", "2023년": "DT"})
    heads = head_endings(table, min_forms=5, min_share=0.6)
    assert heads["경찰서"] == "OG" and heads["찰서"] == "OG"
    assert heads["공항"] == "LC"  # 4 of 5 forms
    assert "서" not in heads  # one character: the last syllable of too many names
    assert not any(ending.endswith("년") for ending in heads)  # numeric labels are the grammar's
    assert head_endings(table, min_forms=5, min_share=0.9).get("공항") is None


def test_the_gazetteer_marks_heads_only_when_asked_and_keeps_them_when_saved(rules_nlp, tmp_path):
    table = {"서울": "LC", **{f"{name}공사": "OG" for name in ("한국전력", "한국가스", "한국도로", "대한석탄", "한국수자원")}}
    plain = GazetteerFeature(rules_nlp, table=table)
    with_heads = GazetteerFeature(rules_nlp, table=table)
    with_heads.heads = {"공사": "OG"}
    text = "서울 한국석유공사는 공사를 시작했다"
    plain_marks = [str(t.morph) for t in plain(rules_nlp.make_doc(text))]
    doc = with_heads(rules_nlp.make_doc(text))
    marks = {t.text: str(t.morph) for t in doc}
    assert not any("Head=" in m for m in plain_marks)
    assert marks["서울"] == "Gaz=B_LC"  # gazetteer marks stay
    assert all("Head=OG" in marks[t.text] for t in doc if t.text.endswith("공사"))
    assert any(t.text.endswith("공사") for t in doc)
    restored = GazetteerFeature(rules_nlp).from_bytes(with_heads.to_bytes())
    assert (restored.table, restored.heads) == (table, {"공사": "OG"})
    with_heads.to_disk(tmp_path / "with")
    plain.to_disk(tmp_path / "plain")
    assert GazetteerFeature(rules_nlp).from_disk(tmp_path / "with").heads == {"공사": "OG"}
    assert not (tmp_path / "plain" / "heads.json").exists()  # models trained without heads are unchanged
    assert GazetteerFeature(rules_nlp).from_bytes(plain.to_bytes()).table == table


def test_the_pipeline_runs_kiwi_with_its_beam_setting_and_training_with_kiwis_default(tokenizer):
    import pickle

    import spacy
    from spacy.vocab import Vocab

    from pipeline.components.tokenizer import KIWI_CUTOFF_THRESHOLD, KiwiTokenizer

    assert KIWI_CUTOFF_THRESHOLD is not None
    assert tokenizer.cutoff_threshold == KIWI_CUTOFF_THRESHOLD  # the pipeline's (build_nlp)
    assert tokenizer.kiwi.global_config.cutoff_threshold == KIWI_CUTOFF_THRESHOLD
    assert pickle.loads(pickle.dumps(tokenizer)).cutoff_threshold == KIWI_CUTOFF_THRESHOLD  # to workers
    # kiwi_tokenizer.v1 (training, the model directories' configs) keeps Kiwi's own default
    blank = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "kiwi_tokenizer.v1"}}})
    assert blank.tokenizer.cutoff_threshold is None
    assert KiwiTokenizer(Vocab(), cutoff_threshold=None).kiwi.global_config.cutoff_threshold == 8.0
