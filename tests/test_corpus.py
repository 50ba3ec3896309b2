"""Corpus tables (pipeline.corpus) and the in-article grouping of mentions (canonical_names)."""
from __future__ import annotations

import json

import pandas as pd

from pipeline.corpus import canonical_entities, canonical_relations, corpus_aliases
from pipeline.tables import ENTITY_COLUMNS, RELATION_COLUMNS


def _entities(rows):
    return pd.DataFrame([dict(zip(ENTITY_COLUMNS, r)) for r in rows], columns=ENTITY_COLUMNS)


def _relations(rows):
    return pd.DataFrame([dict(zip(RELATION_COLUMNS, r)) for r in rows], columns=RELATION_COLUMNS)


ENTS = _entities([
    # article a: the full name with its alias; b: the alias alone; both write Korea differently
    ["a", "E1", 0, 0, 7, "아시아축구연맹", "OG", "아시아축구연맹", None, "", None],
    ["a", "E1", 0, 11, 14, "AFC", "OG", "아시아축구연맹", None, "", None],
    ["a", "E2", 1, 30, 32, "韓", "LC", "한국", None, "", None],
    ["a", "E3", 1, 40, 44, "오픈AI", "OG", "오픈AI", None, "", None],
    ["a", "E4", 1, 50, 58, "오픈AI 코리아", "OG", "오픈AI 코리아", None, "", None],
    ["a", "E5", 2, 60, 63, "7억명", "QT", "", 7e8, "명", False],
    ["b", "E1", 0, 0, 3, "AFC", "OG", "AFC", None, "", None],
    ["b", "E2", 0, 10, 14, "대한민국", "LC", "한국", None, "", None],
    ["b", "E3", 1, 20, 23, "카카오", "OG", "카카오", None, "", None],
    ["b", "E4", 1, 30, 34, "오픈AI", "OG", "오픈AI", None, "", None],
])
ARTICLES = pd.DataFrame({"article_id": ["a", "b"], "published": ["2025-09-10", "2025-10-01"]})


def test_canonical_entities_join_aliases_across_articles():
    table = canonical_entities(ENTS, ARTICLES).set_index("entity_key")
    afc = table.loc["OG:아시아축구연맹"]
    assert afc["n_articles"] == 2 and afc["n_mentions"] == 3
    assert afc["aliases"] == "AFC"
    assert afc["first_published"] == "2025-09-10" and afc["last_published"] == "2025-10-01"
    korea = table.loc["LC:한국"]
    assert korea["n_articles"] == 2 and set(korea["aliases"].split("; ")) == {"韓", "대한민국"}
    # a branch stays its own entity; numbers are no canonical entities
    assert "OG:오픈AI 코리아" in table.index and table.loc["OG:오픈AI", "n_articles"] == 2
    assert not any(k.startswith("QT:") for k in table.index)
    assert "OG:AFC" not in table.index


def test_ambiguous_alias_is_not_joined():
    ents = pd.concat([ENTS, _entities([["c", "E1", 0, 0, 3, "AFC", "OG", "아프리카축구연맹", None, "", None]])])
    assert ("OG", "AFC") not in corpus_aliases(ents)


def test_canonical_relations_one_row_per_fact_with_evidence_per_article():
    rels = _relations([
        ["a", 1, "오픈AI", "오픈AI", "OG", "org:partner_of", "카카오", "카카오", "OG", 40, 44, 70, 73, "오픈AI는 카카오와 제휴했다."],
        ["a", 3, "오픈AI", "오픈AI", "OG", "org:partner_of", "카카오", "카카오", "OG", 90, 94, 95, 98, "오픈AI는 카카오와 또 손잡았다."],
        ["b", 1, "카카오", "카카오", "OG", "org:partner_of", "오픈AI", "오픈AI", "OG", 20, 23, 30, 34, "카카오는 오픈AI와 협약을 맺었다."],
        ["b", 0, "AFC", "AFC", "OG", "org:hosts", "아시안컵", "아시안컵", "EV", 0, 3, 5, 9, "AFC는 아시안컵을 연다."],
    ])
    table = canonical_relations(rels, ARTICLES, ENTS)
    partner = table[table["relation"] == "org:partner_of"]
    assert len(partner) == 1
    row = partner.iloc[0]
    assert row["n_articles"] == 2 and row["n_mentions"] == 3
    evidence = json.loads(row["evidence"])
    assert [e["article_id"] for e in evidence] == ["a", "b"]
    assert evidence[0]["evidence"] == "오픈AI는 카카오와 제휴했다."
    # the subject's offsets follow the (reordered) subject
    by_article = {e["article_id"]: e for e in evidence}
    assert by_article["b"]["subj"] == row["subj"] == "오픈AI" and by_article["b"]["subj_start"] == 30
    hosts = table[table["relation"] == "org:hosts"].iloc[0]
    assert hosts["subj"] == "아시아축구연맹"  # the alias learnt in article a


def test_empty_inputs():
    assert canonical_entities(ENTS.iloc[0:0], ARTICLES).empty
    assert canonical_relations(_relations([]), ARTICLES, ENTS).empty


def _canonical(nlp, text, spans):
    """Run canonical_names on a Doc whose entities are given (independent of the entity stages)."""
    doc = nlp.tokenizer(text)
    ents = []
    for form, label, nth in spans:
        start = -1
        for _ in range(nth + 1):
            start = text.index(form, start + 1)
        ents.append(doc.char_span(start, start + len(form), label=label, alignment_mode="expand"))
    doc.ents = ents
    doc = nlp.get_pipe("canonical_names")(doc)
    return [(e.text, e._.info.norm, e._.info.entity_id) for e in doc.ents]


def test_parenthesised_aliases_group_mentions(rules_nlp):
    text = "아시아축구연맹(이하 AFC)은 발표했다. AFC는 또 DevDay Exchange(데브데이 익스체인지)를 연다. DevDay Exchange는 크다."
    out = _canonical(rules_nlp, text, [("아시아축구연맹", "OG", 0), ("AFC", "OG", 0), ("AFC", "OG", 1),
                                        ("DevDay Exchange", "EV", 0), ("데브데이 익스체인지", "EV", 0),
                                        ("DevDay Exchange", "EV", 1)])
    assert {norm for _, norm, _ in out[:3]} == {"아시아축구연맹"} and len({i for *_, i in out[:3]}) == 1
    assert {norm for _, norm, _ in out[3:]} == {"데브데이 익스체인지"} and len({i for *_, i in out[3:]}) == 1


def test_hanja_aliases_and_branches(rules_nlp):
    text = "韓 기업과 대한민국 정부, 한국. 오픈AI는 오픈AI 코리아를 세웠다."
    out = _canonical(rules_nlp, text, [("韓", "LC", 0), ("대한민국", "LC", 0), ("한국", "LC", 0),
                                        ("오픈AI", "OG", 0), ("오픈AI 코리아", "OG", 0)])
    assert [n for _, n, _ in out[:3]] == ["한국"] * 3 and len({i for *_, i in out[:3]}) == 1
    assert out[3][1] == "오픈AI" and out[4][1] == "오픈AI 코리아" and out[3][2] != out[4][2]
