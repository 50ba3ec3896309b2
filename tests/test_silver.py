"""Silver data for self-training: the teachers' vote and how a silver sentence becomes a training Doc."""
from training.prepare import blank_nlp, make_docs
from training.silver import vote


def test_vote_keeps_the_majority_and_leaves_disagreement_uncertain():
    teachers = [[(0, 3, "PS"), (5, 7, "OG")], [(0, 3, "PS"), (5, 8, "OG")], [(0, 3, "LC")]]
    kept, uncertain = vote(teachers, min_votes=2)
    assert kept == [(0, 3, "PS")]
    assert uncertain == [(0, 3), (5, 7), (5, 8)]  # (0, 3) lost as LC: its tokens carry the PS label anyway


def test_a_silver_sentence_is_entity_where_voted_missing_where_disputed_outside_elsewhere():
    text = "김철수 씨가 삼성전자에 갔다."
    row = {"id": "s", "text": text, "source": "wikitree",
           "klue": [{"start": 0, "end": 3, "label": "PS", "text": "김철수"}],
           "uncertain": [{"start": 7, "end": 11}]}
    doc = next(make_docs(blank_nlp(), [row], "klue", "missing"))
    iob = {t.text: t.ent_iob_ for t in doc}
    assert [(e.text, e.label_) for e in doc.ents] == [("김철수", "PS")]
    assert iob["삼성전자"] == ""  # missing: no loss either way
    assert iob["갔"] == "O"  # nobody tagged it: outside
