"""``python -m pipeline query``: canonical tables in an output folder, or built from the per-article ones."""
from __future__ import annotations


from pipeline.corpus import canonical_entities, canonical_relations
from pipeline.query import load_corpus, query, run_cli
from tests.test_corpus import ARTICLES, ENTS, _relations

RELS = _relations([
    ["a", 1, "오픈AI", "오픈AI", "OG", "org:partner_of", "카카오", "카카오", "OG", 40, 44, 70, 73, "오픈AI는 카카오와 제휴했다."],
    ["b", 1, "오픈AI", "오픈AI", "OG", "org:partner_of", "서울대학교", "서울대학교", "OG", 20, 23, 30, 34, "서울대와 MOU를 맺었다."],
    ["b", 2, "오픈AI", "오픈AI", "OG", "org:product", "챗GPT", "챗GPT", "AF", 20, 23, 30, 34, "오픈AI의 챗GPT."],
])


def _write_per_article(out):
    ENTS.to_csv(out / "entities.csv", index=False)
    RELS.to_csv(out / "relations.csv", index=False)
    ARTICLES.to_csv(out / "articles.csv", index=False)


def test_query_builds_canonical_tables_when_missing(tmp_path, capsys):
    _write_per_article(tmp_path)
    assert run_cli(["--out", str(tmp_path), "오픈AI", "--relation", "org:partner_of"]) == 0
    printed = capsys.readouterr().out
    assert "카카오" in printed and "서울대학교" in printed and "챗GPT" not in printed


def test_query_reads_canonical_csvs_and_resolves_aliases(tmp_path):
    canonical_entities(ENTS, ARTICLES).to_csv(tmp_path / "entities_canonical.csv", index=False)
    canonical_relations(RELS, ARTICLES, ENTS).to_csv(tmp_path / "relations_canonical.csv", index=False)
    ents, rels = load_corpus(tmp_path)
    hit = query(ents, rels, "대한민국", label="LC")
    assert list(hit["entities"]["name"]) == ["한국"]
    partners = query(ents, rels, "오픈ai", relation="org:partner_of")["relations"]
    assert set(partners["obj"]) | set(partners["subj"]) >= {"카카오", "서울대학교"}
    assert query(ents, rels, "오픈", contains=True)["entities"]["name"].tolist()[:1] == ["오픈AI"]


def test_query_missing_folder(tmp_path, capsys):
    assert run_cli(["--out", str(tmp_path / "nothing"), "오픈AI"]) == 2
