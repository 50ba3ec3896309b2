"""Stage 1: morphology. Kiwi morphemes become the tokens of a spaCy ``Doc``.

The Doc's text is exactly the input text; every token carries Kiwi's tag (``token.tag_``,
``+``-joined when Kiwi put several morphemes on the same characters, e.g. ``했`` = ``VV+EP``)
and Kiwi's normalised form (``token.lemma_``). Sentences come from Kiwi, but every line break
ends a sentence first: Kiwi alone merges the headline block of an article into one sentence.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy
from spacy.attrs import LEMMA, POS, SENT_START, TAG
from spacy.parts_of_speech import IDS as UPOS_IDS
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from ..records import seed_token_columns

# Kiwi's cost grows faster than the length of one string: long lines are cut into pieces of
# about this size at a sentence-like boundary before they reach Kiwi.
MAX_KIWI_CHARS = 3000

# Kiwi (Sejong) tags -> Universal POS, so spaCy's own tools (displaCy, Matcher on POS) work.
KIWI_TO_UPOS = {
    "NNG": "NOUN", "NNP": "PROPN", "NNB": "NOUN", "NR": "NUM", "NP": "PRON",
    "VV": "VERB", "VA": "ADJ", "VX": "AUX", "VCP": "AUX", "VCN": "ADJ",
    "MM": "DET", "MAG": "ADV", "MAJ": "CCONJ", "IC": "INTJ",
    "JKS": "ADP", "JKC": "ADP", "JKG": "ADP", "JKO": "ADP", "JKB": "ADP", "JKV": "ADP",
    "JKQ": "ADP", "JX": "ADP", "JC": "CCONJ",
    "EP": "PART", "EF": "PART", "EC": "PART", "ETN": "PART", "ETM": "PART",
    "XPN": "X", "XSN": "X", "XSV": "X", "XSA": "X", "XSM": "X", "XR": "X",
    "SF": "PUNCT", "SP": "PUNCT", "SS": "PUNCT", "SSO": "PUNCT", "SSC": "PUNCT", "SE": "PUNCT",
    "SO": "PUNCT", "SW": "SYM", "SL": "X", "SH": "X", "SN": "NUM", "SB": "X",
    "W_URL": "X", "W_EMAIL": "X", "W_HASHTAG": "X", "W_MENTION": "X", "W_SERIAL": "NUM",
    "W_EMOJI": "SYM", "Z_CODA": "X", "Z_SIOT": "X", "USER0": "PROPN",
}
SPACE_TAG = "_SP"
UNKNOWN_TAG = "UNK"

_SENTENCE_CUT = re.compile(r"[.!?。…]\s|\s")

# A list of three or more Korean names joined by a middle dot with no space (김정재ㆍ윤종필ㆍ박찬우):
# Kiwi alone cuts the names across the dots (박찬 VV+ETM, 우). Each item of three syllables that
# starts with a surname (resources/surnames.tsv) is handed to Kiwi as one proper noun.
_DOT_LIST = re.compile(r"(?<![가-힣])[가-힣]{3}(?:[ㆍ·][가-힣]{3}){2,}(?![가-힣])")
_DOT_ITEM = re.compile(r"[가-힣]{3}")


def _surnames() -> frozenset[str]:
    from ..entities.lexicons import lexicons

    return lexicons().surnames


def name_lists(text: str) -> list[tuple[int, int, str]]:
    """Kiwi ``pretokenized`` spans: the items of the dotted name lists of ``text``, as NNP."""
    if "ㆍ" not in text and "·" not in text:
        return []
    surnames, spans = _surnames(), []
    for match in _DOT_LIST.finditer(text):
        items = list(_DOT_ITEM.finditer(match.group()))
        if all(item.group()[0] in surnames for item in items):
            spans.extend((match.start() + item.start(), match.start() + item.end(), "NNP") for item in items)
    return spans


# One surface token of the Doc, built from one or more overlapping Kiwi morphemes:
# (start, end, tag, form, sent_start) with offsets in the whole text. A plain tuple: an article
# has thousands of them, and they live only while its Doc is built.
Morpheme = tuple[int, int, str, str, bool]


# A slightly negative score keeps a lexicon name whole (마이크로소프트의 -> 마이크로소프트 + 의)
# without letting it win inside common words (대전환 stays 대 + 전환 rather than 대전 + 환).
USER_WORD_SCORE = -1.0


@dataclass(frozen=True)
class UserWord:
    form: str
    tag: str = "NNP"
    score: float = USER_WORD_SCORE


def _line_pieces(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, piece): the non-blank lines of ``text``, long ones cut for Kiwi."""
    for match in re.finditer(r"[^\n]+", text):
        line, offset = match.group(), match.start()
        if not line.strip():
            continue
        while len(line) > MAX_KIWI_CHARS:
            window = line[: MAX_KIWI_CHARS]
            cuts = [m.end() for m in _SENTENCE_CUT.finditer(window)]
            cut = cuts[-1] if cuts and cuts[-1] > MAX_KIWI_CHARS // 2 else MAX_KIWI_CHARS
            yield offset, line[:cut]
            offset, line = offset + cut, line[cut:]
        if line.strip():
            yield offset, line


def _merge_morphemes(sentences, offset: int) -> list[Morpheme]:
    """Kiwi sentences (token lists) of one piece -> non-overlapping surface tokens with absolute offsets."""
    merged: list[Morpheme] = []
    last_end = -1
    for sentence in sentences:
        first = True
        for tok in sentence:
            length = tok.len
            start = offset + tok.start
            end = start + length
            if merged and (start < last_end or (length == 0 and start <= last_end)):
                prev_start, prev_end, prev_tag, prev_form, prev_first = merged[-1]
                last_end = max(prev_end, end)
                merged[-1] = (prev_start, last_end, f"{prev_tag}+{tok.tag}", f"{prev_form}+{tok.form}", prev_first)
                continue
            if length == 0:
                continue
            merged.append((start, end, tok.tag, tok.form, first))
            last_end = end
            first = False
    return merged


def morphemes_to_doc(vocab: Vocab, text: str, morphemes: Sequence[Morpheme], keep_columns: bool = False) -> Doc:
    """Build a Doc whose text is exactly ``text`` from non-overlapping morphemes.

    Characters Kiwi did not cover become tokens of their own: whitespace (spaCy keeps one
    trailing space on a token and makes any other whitespace a token) and, should Kiwi ever
    skip a visible character, an ``UNK`` token so that no character is lost.

    With ``keep_columns`` the token texts, tags and lemmas built here are also stored as the Doc's
    :class:`~pipeline.records.TokenColumns` (in ``doc.user_data``), so that the rule stages do
    not read them back from the Doc string by string.
    """
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    lemmas: list[str] = []
    starts: list[bool] = []

    def add_gap(gap: str) -> None:
        if words and not spaces[-1] and gap[0] == " " and tags[-1] != SPACE_TAG:
            spaces[-1] = True
            gap = gap[1:]
            if not gap:
                return
        for piece in _GAP_PIECE.findall(gap):
            words.append(piece)
            spaces.append(False)
            tags.append(SPACE_TAG if piece.isspace() else UNKNOWN_TAG)
            lemmas.append(piece)
            starts.append(False)

    cursor = 0
    for start, end, tag, form, sent_start in morphemes:
        if start > cursor:
            if start == cursor + 1 and text[cursor] == " " and words and not spaces[-1] and tags[-1] != SPACE_TAG:
                spaces[-1] = True  # the gap between most words: what add_gap(" ") does, without the call
            else:
                add_gap(text[cursor:start])
        words.append(text[start:end])
        spaces.append(False)
        tags.append(tag)
        lemmas.append(form)
        starts.append(sent_start)
        cursor = end
    if cursor < len(text):
        add_gap(text[cursor:])

    # Leading whitespace belongs to the first sentence rather than forming one of its own.
    for i, tag in enumerate(tags):
        if tag != SPACE_TAG:
            starts[i] = True
            for j in range(i):
                starts[j] = j == 0
            if i > 0:
                starts[i] = False
            break
    if starts:
        starts[0] = True
    doc = _annotated_doc(vocab, words, spaces, tags, lemmas, starts)
    if keep_columns:
        seed_token_columns(doc, text=text, words=words, space_after=spaces, tags=tags, lemmas=lemmas)
    return doc


_GAP_PIECE = re.compile(r"\s+|\S+")
_ANNOTATIONS = [TAG, POS, LEMMA, SENT_START]


def _annotated_doc(vocab: Vocab, words: list[str], spaces: list[bool], tags: list[str], lemmas: list[str],
                   starts: list[bool]) -> Doc:
    """The same Doc as ``Doc(vocab, words, spaces, tags=, pos=, lemmas=, sent_starts=)``, but with the
    annotations set in one ``from_array`` call: the keyword arguments are converted value by value
    in Python, which took as long as the rest of the Doc building."""
    doc = Doc(vocab, words=words, spaces=spaces)
    values = numpy.empty((len(words), len(_ANNOTATIONS)), dtype=numpy.uint64)
    distinct_tags, tag_numbers = _distinct(tags)
    values[:, 0] = _string_ids(vocab, distinct_tags)[tag_numbers]
    values[:, 1] = numpy.array([_upos_id(tag) for tag in distinct_tags], dtype=numpy.uint64)[tag_numbers]
    distinct_lemmas, lemma_numbers = _distinct(lemmas)
    values[:, 2] = _string_ids(vocab, distinct_lemmas)[lemma_numbers]
    # SENT_START is 1 for a sentence start and -1 for "not a start", stored as uint64 like the rest.
    values[:, 3] = numpy.where(starts, 1, -1).astype(numpy.int64).view(numpy.uint64)
    return doc.from_array(_ANNOTATIONS, values)


def _distinct(values: list[str]) -> tuple[list[str], numpy.ndarray]:
    """(the distinct values in order of first occurrence, each value's number in that list).

    A Doc has a few dozen distinct tags and repeats many lemmas: converting each distinct string
    once, then indexing by these numbers, costs less than a StringStore call per token."""
    number_of: dict[str, int] = {}
    numbers = [number_of.setdefault(value, len(number_of)) for value in values]
    return list(number_of), numpy.array(numbers, dtype=numpy.intp)


def _string_ids(vocab: Vocab, strings: list[str]) -> numpy.ndarray:
    """The StringStore ids of ``strings``, added to the store in this order (as one add per token would)."""
    return numpy.array([vocab.strings.add(string) for string in strings], dtype=numpy.uint64)


@cache
def _upos_id(tag: str) -> int:
    """The Universal POS id (``token.pos``) of a Kiwi tag; a merged tag takes its first part's."""
    return UPOS_IDS[KIWI_TO_UPOS.get(tag.split("+")[0], "SPACE" if tag == SPACE_TAG else "X")]


# The beam pruning the extraction pipeline runs Kiwi with (KiwiConfig.cutoff_threshold; Kiwi's own
# default is 8): analyses scoring this much below the best one are dropped early. At 6 Kiwi needs
# 8-13 % less CPU on Wikinews, 44 of its 2,293 lines come out differently, and 8 of 13,459 entity
# mentions of the pipeline change; the gold figures and the trained models' dev scores are the same
# under both (docs/scale.md). A KiwiTokenizer built otherwise (training, the model directories'
# configs) keeps Kiwi's default, so that `make train` rebuilds the shipped models unchanged.
KIWI_CUTOFF_THRESHOLD: float | None = 6.0


class KiwiTokenizer:
    """A spaCy tokenizer backed by one Kiwi instance per process.

    ``user_words`` (e.g. the entity lexicon) are added to Kiwi so that names such as
    ``오픈AI`` stay one NNP token instead of ``오픈/NNG + AI/SL``.
    """

    def __init__(self, vocab: Vocab, user_words: Iterable[UserWord] = (), num_workers: int = 1,
                 cutoff_threshold: float | None = None):
        self.vocab = vocab
        self.user_words = tuple(user_words)
        self.num_workers = num_workers
        self.cutoff_threshold = cutoff_threshold
        self._kiwi = None
        self._lock = threading.Lock()

    @property
    def kiwi(self):
        if self._kiwi is None:
            with self._lock:
                if self._kiwi is None:
                    self._kiwi = _load_kiwi(self.user_words, self.num_workers, self.cutoff_threshold)
        return self._kiwi

    def __call__(self, text: str) -> Doc:
        return next(iter(self.pipe([text])))

    def pipe(self, texts: Iterable[str], batch_size: int = 64, keep_columns: bool = False) -> Iterator[Doc]:
        """Docs for ``texts``; ``keep_columns``: see :func:`morphemes_to_doc` (the pipeline's
        :class:`~pipeline.nlp.Extractor` asks for them; a plain Doc keeps its ``user_data`` empty)."""
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                yield from self._tokenize_batch(batch, keep_columns)
                batch = []
        if batch:
            yield from self._tokenize_batch(batch, keep_columns)

    def _tokenize_batch(self, texts: list[str], keep_columns: bool = False) -> Iterator[Doc]:
        pieces = [(i, offset, piece) for i, text in enumerate(texts)
                  for offset, piece in _line_pieces(text)]
        # tokenize(split_sents=True) gives what split_into_sents(return_tokens=True) does, without
        # building Sentence objects (and their sub-sentences) token by token in Python.
        analysed = self.kiwi.tokenize((p for _, _, p in pieces), split_sents=True, pretokenized=name_lists)
        per_text: list[list[Morpheme]] = [[] for _ in texts]
        for (i, offset, _), sentences in zip(pieces, analysed):
            per_text[i].extend(_merge_morphemes(sentences, offset))
        for text, morphemes in zip(texts, per_text):
            yield morphemes_to_doc(self.vocab, text, morphemes, keep_columns)

    # A tokenizer is serialised with the pipeline; Kiwi itself is rebuilt from the config.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, _bytes_data: bytes, **kwargs) -> "KiwiTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs) -> "KiwiTokenizer":
        return self

    def __reduce__(self):
        return (KiwiTokenizer, (self.vocab, self.user_words, self.num_workers, self.cutoff_threshold))


_KIWI_CACHE: dict[tuple, object] = {}


def _load_kiwi(user_words: tuple[UserWord, ...], num_workers: int, cutoff_threshold: float | None = None):
    """One Kiwi per process, user-word set and setting: each instance costs about 430 MB."""
    key = (user_words, num_workers, cutoff_threshold)
    if key not in _KIWI_CACHE:
        from kiwipiepy import Kiwi

        kiwi = Kiwi(num_workers=num_workers)
        if cutoff_threshold is not None:
            kiwi.global_config.cutoff_threshold = float(cutoff_threshold)
        for word in user_words:
            kiwi.add_user_word(word.form, word.tag, word.score)
        _KIWI_CACHE[key] = kiwi
    return _KIWI_CACHE[key]


def read_user_words(path: str | Path) -> list[UserWord]:
    """The forms of a lexicon TSV (``form<TAB>label...``) as Kiwi NNP user words."""
    from ..resources import read_tsv

    return [UserWord(row["form"]) for row in read_tsv(path) if row.get("form")]


@registry.tokenizers("kiwi_tokenizer.v1")
def create_kiwi_tokenizer(lexicon: str = "", num_workers: int = 1, cutoff_threshold: float | None = None):
    def make(nlp):
        from ..resources import resource_path

        words = read_user_words(resource_path(lexicon)) if lexicon else []
        return KiwiTokenizer(nlp.vocab, words, num_workers=num_workers, cutoff_threshold=cutoff_threshold)

    return make
