"""The shipped NER model and its evaluation function (issue 3)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.components.tokenizer  # noqa: F401
from pipeline import models

PROJECT_LABELS = {"PS", "OG", "LC", "DT", "TI", "QT", "AF", "EV", "CV"}
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ner" / "klue-konec-train.jsonl"
needs_data = pytest.mark.skipif(not SHARED.exists(), reason="shared NER data not available")


@pytest.fixture(scope="module")
def nlp():
    return models.load_ner_pipeline()


def test_model_is_shipped_small_and_licensed():
    size = sum(p.stat().st_size for p in models.NER_DIR.rglob("*") if p.is_file())
    assert size < 50e6
    note = (models.NER_DIR / "SOURCE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in note and "KLUE" in note


def test_loads_offline_with_the_project_labels(nlp):
    ner = nlp.get_pipe("ner")
    # the transition-based ner lists its labels; biluo_ner (the candidate, docs/ner.md) its BILUO tags
    assert set(getattr(ner, "entity_labels", ner.labels)) == PROJECT_LABELS
    assert nlp.tokenizer.__class__.__name__ == "KiwiTokenizer"


def test_finds_entities_on_exact_text(nlp):
    text = "이재용 삼성전자 회장은 지난 3일 서울에서 기자회견을 열었다."
    doc = nlp(text)
    assert doc.text == text
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("지난 3일", "DT") in found
    assert any(label == "PS" for _, label in found)


def test_components_can_be_sourced_into_another_pipeline():
    import spacy

    host = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "kiwi_tokenizer.v1"}}})
    models.add_ner(host)
    assert host.pipe_names == [models.GAZETTEER, "ner"]
    doc = host("오늘 서울 날씨는 맑다.")
    assert all(e.label_ in PROJECT_LABELS for e in doc.ents)
    stage = models.load_ner(host.vocab)
    doc = stage(host.make_doc("지난 3일 서울에서 만났다."))
    assert ("지난 3일", "DT") in {(e.text, e.label_) for e in doc.ents}


@needs_data
def test_score_counts_exact_spans_per_source():
    from training.data import load_rows, split_of
    from training.evaluate_ner import score

    rows = load_rows("dev")
    assert rows and all(split_of(r["id"]) == "dev" for r in rows)
    gold = {r["text"]: [(s["start"], s["end"], s["label"]) for s in r["entities"]] for r in rows}
    perfect = score(lambda text: gold[text], split="dev", layer="entities")
    assert perfect["news"]["ALL"]["f"] == 1.0 and perfect["reviews"]["ALL"]["f"] == 1.0
    shifted = score(lambda text: [(s, e + 1, lab) for s, e, lab in gold[text]], split="dev")
    assert shifted["all"]["ALL"]["tp"] == 0
    empty = score(lambda text: [], split="dev", layer="klue")
    assert empty["all"]["ALL"]["fn"] == sum(len(r["klue"]) for r in rows)


def test_summed_embedding_adds_static_vectors():
    import numpy
    import spacy
    from spacy.vectors import Vectors

    from pipeline.models.architectures import sum_hash_embed

    nlp = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "kiwi_tokenizer.v1"}}})
    keys = ["서울", "만났다"]
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=numpy.eye(2, 5, dtype="f"), keys=keys)
    docs = [nlp("서울에서 만났다."), nlp("부산에서 만났다.")]
    model = sum_hash_embed(width=8, attrs=["NORM", "TAG"], rows=[50, 20], include_static_vectors=True)
    model.initialize(X=docs)
    out, backprop = model.begin_update(docs)
    assert [o.shape for o in out] == [(len(d), 8) for d in docs]
    backprop([numpy.ones_like(o) for o in out])
    static = next(node for node in model.walk() if node.name == "static_vectors")
    assert static.get_dim("nM") == 5
    # a token's output follows its own vector only: 서울 has one, 부산 has none
    before = model.predict(docs)
    nlp.vocab.vectors.data[0] *= 3
    after = model.predict(docs)
    assert not numpy.allclose(before[0][0], after[0][0])
    assert numpy.allclose(before[1][0], after[1][0])
    plain = sum_hash_embed(width=8, attrs=["NORM", "TAG"], rows=[50, 20])
    assert "static_vectors" not in {node.name for node in plain.walk()}


def test_klue_benchmark_model_is_a_seed_vote_with_kiwi_vectors():
    import spacy

    klue_dir = Path(__file__).resolve().parents[1] / "training" / "models" / "ner_klue"
    size = sum(p.stat().st_size for p in klue_dir.rglob("*") if p.is_file())
    assert size < 50e6
    note = (klue_dir / "SOURCE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in note and "kiwipiepy_model" in note and "Apache-2.0" in note
    nlp = models.load_ner_pipeline(klue_dir)
    vote = nlp.get_pipe("ner_vote")
    assert nlp.pipe_names[-1] == "ner_vote" and len(vote.members) == 3 and vote.min_votes == 2
    assert set(vote.members) == set(nlp.disabled)  # members run only through the vote
    for member in vote.members:
        assert set(nlp.get_pipe(member).labels) == {"PS", "OG", "LC", "DT", "TI", "QT"}
    vectors = nlp.vocab.vectors
    assert vectors.shape[1] == 96 and len(vectors.key2row) > 50_000 and vectors.data.dtype == "float32"
    # stored at half precision (NerVote.store_half), widened on load
    assert (klue_dir / "ner_vote" / "cfg").read_text().count("float16") == 1
    assert all((klue_dir / m / "model").stat().st_size < 6e6 for m in vote.members)
    assert nlp.meta["trained_on"] == "train+tune"  # a final fit: its figures are on dev only
    doc = nlp("구글과 네이버가 서울에서 만났다.")
    with_vector = {t.text for t in doc if vectors.find(key=t.text) >= 0}
    assert {"구글", "네이버", "서울"} <= with_vector and "에서" not in with_vector  # particles: none
    assert spacy.load(klue_dir).pipe_names == nlp.pipe_names  # loads like any spaCy pipeline


def test_vote_stored_at_half_precision_predicts_like_float32(tmp_path):
    import spacy

    import training.vote as vote

    members = [str(models.NER_DIR)] * 2
    texts = ["이재용 삼성전자 회장은 지난 3일 서울에서 기자회견을 열었다.",
             "한국석유공사는 2025년 9월 울산에서 신임 사장 김철수(58)를 선임했다고 밝혔다."]
    full = vote.assemble(members, names=["a", "b"])
    expected = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in full.pipe(texts)]
    full.to_disk(tmp_path / "full")
    half = vote.assemble(members, names=["a", "b"])
    half.get_pipe("ner_vote").store_half()
    half.to_disk(tmp_path / "half")

    def weights(name):
        return (tmp_path / name / "a" / "model").stat().st_size

    assert weights("half") < 0.6 * weights("full")
    loaded = spacy.load(tmp_path / "half")
    for member in ("a", "b"):  # widened back on load
        assert {n.get_param(p).dtype.name for n in loaded.get_pipe(member).model.walk()
                for p in n.param_names if n.has_param(p)} == {"float32"}
    got = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in loaded.pipe(texts)]
    assert got == expected and any(expected)


class _FixedNer:
    """A stand-in member: predicts the given token spans where no entity is preset."""

    def __init__(self, spans):
        self.spans = spans

    def pipe(self, docs, batch_size=256):
        from spacy.tokens import Span

        for doc in docs:
            taken = {t.i for t in doc if t.ent_iob_ in ("B", "I")}
            doc.ents = list(doc.ents) + [Span(doc, s, e, label=lab) for s, e, lab in self.spans
                                         if not taken & set(range(s, e))]
            yield doc


def test_vote_keeps_majority_spans_and_upstream_entities():
    from types import SimpleNamespace

    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

    from training.vote import NerVote

    members = {"a": _FixedNer([(0, 1, "PS"), (2, 3, "OG")]), "b": _FixedNer([(0, 1, "PS"), (2, 4, "OG")]),
               "c": _FixedNer([(0, 1, "LC"), (4, 5, "DT")])}
    vote = NerVote(SimpleNamespace(get_pipe=members.__getitem__), "ner_vote", ["a", "b", "c"])
    words = "김 씨 와 삼성 전자 어제 갔다".split()
    voted = vote(Doc(Vocab(), words=words))
    assert [(e.start, e.end, e.label_) for e in voted.ents] == [(0, 1, "PS")]
    # an entity set upstream (e.g. by an EntityRuler) is a constraint every member sees, and stays
    doc = Doc(Vocab(), words=words)
    doc.ents = [Span(doc, 2, 4, label="OG")]
    voted = vote(doc)
    assert {(e.start, e.end, e.label_) for e in voted.ents} == {(0, 1, "PS"), (2, 4, "OG")}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 8), st.integers(1, 4), st.sampled_from(["PS", "OG"])),
                         max_size=5), min_size=1, max_size=5), st.integers(1, 5))
def test_majority_vote_properties(members, min_votes):
    from collections import Counter

    from training.vote import majority

    predictions = [[(s, s + n, lab) for s, n, lab in spans] for spans in members]
    kept = majority(predictions, min_votes)
    votes = Counter(span for spans in predictions for span in set(spans))
    assert all(votes[span] >= min_votes for span in kept)
    assert all(a[1] <= b[0] for a, b in zip(kept, kept[1:]))  # sorted, no overlaps
    for span, n in votes.items():  # a span left out lost to an overlapping one with as many votes
        if n >= min_votes and span not in kept:
            assert any(k[0] < span[1] and span[0] < k[1] and votes[k] >= n for k in kept)


@pytest.mark.parametrize("window_depth", [0, 2])
def test_bilstm_encoder_keeps_one_row_per_token(window_depth):
    import numpy

    from training.tried_architectures import bilstm_encoder

    encoder = bilstm_encoder(width=8, depth=1, window_depth=window_depth)
    sentences = [numpy.random.default_rng(i).normal(size=(n, 8)).astype("float32") for i, n in enumerate((5, 1, 9))]
    encoder.initialize(X=sentences)
    out = encoder.predict(sentences)
    assert [o.shape for o in out] == [(5, 8), (1, 8), (9, 8)]
    # bidirectional: the first token's output depends on the last token
    changed = [s.copy() for s in sentences]
    changed[0][-1] += 1.0
    assert not numpy.allclose(encoder.predict(changed)[0][0], out[0][0])


def test_unknown_nouns_read_the_vector_of_their_longest_known_ending():
    import numpy
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from training.tried_architectures import _vector_rows

    vocab = Vocab()
    for i, form in enumerate(["공사", "석유공사", "회관", "가"]):
        vocab.set_vector(form, numpy.full(4, i, dtype="float32"))
    words = ["한국석유공사", "가", "문화회관", "김철수", "공사", "ABC공사"]
    tags = ["NNP", "JKS", "NNG", "NNP", "NNG", "SL"]
    doc = Doc(vocab, words=words, tags=tags)
    rows = _vector_rows(vocab.vectors, [doc], {})
    row = {form: vocab.vectors.find(key=form) for form in ["공사", "석유공사", "회관", "가"]}
    assert list(rows) == [row["석유공사"], row["가"], row["회관"], -1, row["공사"], -1]


# ---------------------------------------------------------------------------------------------
# biluo_ner: BILUO tags decoded into entities (pipeline/models/biluo_ner.py)
# ---------------------------------------------------------------------------------------------

def _biluo_pipe(labels=("OG", "PS")):
    import spacy

    from pipeline.models.biluo_ner import biluo_labels

    nlp = spacy.blank("xx")
    ner = nlp.add_pipe("biluo_ner")
    for tag in biluo_labels(labels):
        ner.add_label(tag)
    return nlp, ner


def _scores(ner, tags, others=0.0):
    import numpy

    out = numpy.full((len(tags), len(ner.labels)), others, dtype="float32")
    for i, tag in enumerate(tags):
        if isinstance(tag, dict):
            for name, value in tag.items():
                out[i, list(ner.labels).index(name)] = value
        else:
            out[i, list(ner.labels).index(tag)] = 5.0
    return out


def test_biluo_decoding_keeps_valid_argmax_runs():
    _nlp, ner = _biluo_pipe()
    tags = ["B-PS", "L-PS", "O", "U-OG", "O", "B-OG", "I-OG", "L-OG"]
    assert ner.decode(_scores(ner, tags)) == [(0, 2, "PS"), (3, 4, "OG"), (5, 8, "OG")]


def test_biluo_decoding_repairs_an_invalid_run_with_the_best_valid_path():
    _nlp, ner = _biluo_pipe()
    # argmax B-PS I-OG L-PS: not valid; the second token also likes I-PS, so the best valid path
    # is one PS entity over the three tokens
    scores = _scores(ner, [{"B-PS": 5.0}, {"I-OG": 5.0, "I-PS": 4.5}, {"L-PS": 5.0}, "O"])
    assert ner.decode(scores) == [(0, 3, "PS")]
    # an I- after O: the run is re-decoded and yields a whole entity, never a dangling tag
    spans = ner.decode(_scores(ner, ["O", {"I-OG": 5.0, "U-OG": 4.0}, "O"]))
    assert spans == [(1, 2, "OG")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.floats(-5, 5), min_size=9, max_size=9), min_size=0, max_size=12))
def test_biluo_decoding_always_gives_disjoint_entities_inside_the_doc(rows):
    import numpy

    _nlp, ner = _biluo_pipe()
    scores = numpy.array(rows, dtype="float32").reshape(len(rows), len(ner.labels))
    spans = ner.decode(scores)
    covered = [i for start, end, _ in spans for i in range(start, end)]
    assert len(covered) == len(set(covered))
    assert all(0 <= start < end <= len(rows) and label in ("OG", "PS") for start, end, label in spans)


def test_biluo_ner_sets_entities_and_leaves_kiwi_tags(nlp):
    doc = nlp("이재용 삼성전자 회장은 지난 3일 서울에서 기자회견을 열었다.")
    assert doc.ents and all(token.tag_ for token in doc)  # Kiwi's tags are still there
