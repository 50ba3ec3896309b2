"""Component ``lexicon_entities``: the lexicon's names and the stand-alone titles, matched as phrases.

Writes ``doc.ents`` and their details (source ``lexicon``, norm = the lexicon's canonical name).
The lexicon's names are the strongest source: they win every overlap but a delimited name's
(see :mod:`pipeline.entities.spans`).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..entities.lexicons import DEFAULT_LEXICON, lexicons, ruler_patterns
from ..entities.spans import commit
from ..entities.spans import enabled
from ..entities.words import followed_by_verb_suffix, glued_to_noun, suffix_label
from ..records import EntityInfo, entity_spans, token_columns

# Tags of the name material that makes a lexicon name part of a longer word (셀트리온|헬스케어, 한국경제|TV)
LONGER_WORD_TAGS = {"NNP", "NNG", "SL", "SN", "SH"}


@Language.factory("lexicon_entities", default_config={"lexicon": DEFAULT_LEXICON},
                  assigns=["doc.ents", "doc._.entity_info"])
def make_lexicon_entities(nlp, name: str, lexicon: str):
    """The lexicon and stand-alone titles as phrase patterns (spaCy's PhraseMatcher, the engine of
    the EntityRuler's phrase patterns).

    Patterns are tokenized by the pipeline's own Kiwi tokenizer, so a name matches exactly where
    Kiwi makes it a token sequence of its own (``카카오`` in ``카카오와``, not inside ``카카오톡``).
    Each pattern's key carries its label and canonical name.
    """
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    patterns = ruler_patterns(lexicon)
    keys: dict[int, tuple[str, str]] = {}
    for pattern, doc in zip(patterns, nlp.tokenizer.pipe(p["pattern"] for p in patterns)):
        key = f"{pattern['label']}\t{pattern['id']}"
        keys[nlp.vocab.strings.add(key)] = (pattern["label"], pattern["id"])
        words = [t.text for t in doc if not t.is_space]
        if words:
            matcher.add(key, [Doc(nlp.vocab, words=words)])

    def annotate(doc: Doc) -> Doc:
        if not enabled("lexicon"):
            commit(doc, [])
            return doc
        found = []
        lex = lexicons(lexicon)
        model_events = [e for e in entity_spans(doc) if e.label_ in LONGER_NAME_LABELS] if enabled("longest_name") else []
        for match_id, start, end in matcher(doc):
            label, norm = keys[match_id]
            span = Span(doc, start, end, label=label)
            if (label == "CV" and glued_to_noun(span)) or followed_by_verb_suffix(span):
                continue
            if label != "CV" and enabled("longest_name"):
                longer = longer_word(doc, span, lex)
                if longer is not None:
                    if longer:
                        found.append(longer)
                    continue
                if _inside_headed_name(span, model_events, lex):
                    continue  # FIFA in the model's FIFA 월드컵: the longer, headed name stays
            found.append((span, EntityInfo(norm=norm, source="lexicon")))
        commit(doc, found)
        return doc

    return annotate


LONGER_NAME_LABELS = frozenset({"EV"})  # a place + an organ stays two names (이란 외무부: LC + OG)


def _inside_headed_name(span: Span, names: list[Span], lex) -> bool:
    """Whether the model found a longer event name of several words around this lexicon name, whose last
    word is an event head (``FIFA 월드컵``, ``2020 도쿄 올림픽``): the longest name wins over a lexicon entry
    inside it. A place before an organisation's organ stays two names (``이란 외무부``: LC + OG)."""
    for ent in names:
        if ent.start <= span.start and span.end <= ent.end and (ent.start, ent.end) != (span.start, span.end) \
                and " " in ent.text and suffix_label(ent.text.split()[-1], lex, whole_word=True) == ent.label_:
            return True
    return False


def longer_word(doc: Doc, span: Span, lex) -> tuple[Span, EntityInfo] | tuple | None:
    """The longest name wins over a lexicon name inside it: when the name is written glued to more
    name material (``한국경제TV``, ``아이폰3GS``, ``삼성준법감시위원회``), the whole word is the name.

    None: keep the lexicon name (it stands as a word of its own; a title, branch word or one-syllable
    head follows, which the rules read apart: 서울시장, 한국지사, 서울시; a place before a common noun,
    인천지역). (): no entity (a name glued to a common noun without a head, 메타게놈, 셀트리온헬스케어
    when Kiwi reads 헬스케어 as a common noun: the trained NER's span, if any, stays). Else the whole
    word as a rule span, labelled by its head (위원회 -> OG) or the lexicon's label.
    """
    tok = token_columns(doc)
    words, tags, n = tok.words, tok.base_tags, len(tok.words)
    start, end = span.start, span.end
    while end < n and not tok.space_after[end - 1] and tags[end] in LONGER_WORD_TAGS and len(words[end]) >= 1:
        end += 1
    while start > 0 and not tok.space_after[start - 1] and tags[start - 1] in {"NNP", "SL", "SH"}:
        start -= 1
    if (start, end) == (span.start, span.end):
        return None
    rest = tok.span_text(span.end, end)
    if span.end < end and (rest in lex.titles or words[span.end] in lex.titles or rest in lex.branch_words
                           or words[span.end] in lex.branch_words or len(rest) == 1):
        return None  # 서울시장, 한국지사, 서울시: the title, branch or one-syllable head stays apart
    text = tok.span_text(start, end)
    if text in lex.not_entities:
        return ()
    head = suffix_label(text, lex, whole_word=True)
    if start == span.start and all(tags[i] == "NNG" for i in range(span.end, end)):
        # a common noun after the name: a place stays a place (인천지역) unless the head makes the word
        # another kind (서울소방재난본부); another name without a head is part of a term (메타게놈)
        if span.label_ == "LC" and head in ("", "LC"):
            return None
        if not head and all(tags[i] == "SL" for i in range(span.start, span.end)):
            return None  # EU탈퇴, EU협정: a Latin name before a Korean noun is a word of its own
        if not head:
            return ()
    return (Span(doc, start, end, label=head or span.label_), EntityInfo(source="rule"))
