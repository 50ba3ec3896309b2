"""Where the pipeline's word lists come from: the package, or a path the user gives."""
from __future__ import annotations

import pytest

from pipeline.entities.lexicons import lexicons
from pipeline.nlp import build_nlp
from pipeline.relations.base import name_facts
from pipeline.resources import RESOURCE_DIR, read_tsv, resource_path


def test_a_bare_name_is_the_packaged_file_even_when_the_current_folder_has_one(tmp_path, monkeypatch):
    (tmp_path / "titles.tsv").write_text("form\tnorm\n가짜직함\t\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert resource_path("titles.tsv") == RESOURCE_DIR / "titles.tsv"
    assert "가짜직함" not in {row["form"] for row in read_tsv("titles.tsv")}


def test_a_path_with_a_folder_is_the_users_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.tsv").write_text("form\tlabel\tnorm\n쿼카랩스\tOG\t\n", encoding="utf-8")
    assert resource_path("./mine.tsv").resolve() == (tmp_path / "mine.tsv").resolve()
    assert [row["form"] for row in read_tsv("./mine.tsv")] == ["쿼카랩스"]


def test_a_missing_file_says_which(tmp_path):
    with pytest.raises(FileNotFoundError, match="no packaged resource .*nothing.tsv"):
        resource_path("nothing.tsv")
    with pytest.raises(FileNotFoundError, match="missing.tsv"):
        resource_path(str(tmp_path / "missing.tsv"))


@pytest.fixture(scope="module")
def user_lexicon(tmp_path_factory):
    path = tmp_path_factory.mktemp("lexicon") / "lexicon.tsv"
    rows = (RESOURCE_DIR / "lexicon.tsv").read_text(encoding="utf-8")
    path.write_text(rows + "쿼카랩스\tOG\t쿼카 연구소\n나래온\tOG\t\n", encoding="utf-8")
    return str(path)


def test_a_user_lexicon_reaches_every_stage_that_reads_names(user_lexicon):
    # the alias table (canonical names) and the relations' person filter read the same file
    assert lexicons(user_lexicon).aliases["쿼카랩스"] == "쿼카 연구소"
    assert "쿼카랩스" not in lexicons().aliases
    assert "나래온" in name_facts(user_lexicon)[0] and "나래온" not in name_facts()[0]

    nlp = build_nlp(lexicon=user_lexicon, use_model=False)
    for name in ("model_screen", "lexicon_entities", "rule_entities", "entity_cleanup", "canonical_names", "relations"):
        if name in nlp.pipe_names:
            assert nlp.get_pipe_config(name)["lexicon"] == user_lexicon, name
    doc = nlp("쿼카랩스는 10일 새 제품을 공개했다. 쿼카랩스의 대표가 말했다.")
    assert [(e.text, e.label_, e._.info.norm) for e in doc.ents if e.label_ == "OG"] == [
        ("쿼카랩스", "OG", "쿼카 연구소"), ("쿼카랩스", "OG", "쿼카 연구소")]
