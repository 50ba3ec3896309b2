"""What every relation pattern shares: the row builder, the sentence's entities, particles, clauses
and the sentence subject.
"""
from __future__ import annotations

import bisect
from collections.abc import Collection
from functools import lru_cache

from spacy.tokens import Doc, Span

from ..entities.lexicons import DEFAULT_LEXICON, lexicons
from ..entities.words import base_tag
from ..records import Relation, TokenColumns, entity_info, entity_spans, token_columns
from ..resources import read_tsv

SUBJECT_JOSA = {"은", "는", "이", "가", "도", "께서"}



WITH_JOSA = {"와", "과", "와의", "과의"}



PARTNER_NOUNS = {"파트너", "협력사", "동맹"}



CLAUSE_BREAK_ENDINGS = {"며", "고", "면서", "지만", "는데", "ᆫ데", "으며", "으면서"}



def words_between(tok: TokenColumns, a: Span, b: Span) -> list[str]:
    """The tokens between two spans, whitespace left out."""
    return [tok.words[k] for k in range(a.end, b.start) if not tok.is_space[k]]



def josa_after(span: Span) -> str:
    """The particle(s) right after a span (``오픈AI는`` -> ``는``), '' when none."""
    tok = token_columns(span.doc)
    n = len(tok.words)
    forms = []
    i = span.end
    while i < n and tok.base_tags[i].startswith("J") and not tok.space_after[i - 1]:
        forms.append(tok.words[i])
        i += 1
    return "".join(forms)



def only_space_between(doc: Doc, a: Span, b: Span) -> bool:
    tok = token_columns(doc)
    return a.end <= b.start and all(tok.is_space[a.end:b.start]) and (
        a.end == b.start and tok.space_after[a.end - 1] or a.end < b.start or tok.space_after[a.end - 1])



def clause_of(doc: Doc, sent: Span, index: int) -> tuple[int, int]:
    """Token range of the clause around ``index``: cut at connective endings (며, 고 ...) and ``,``."""
    tok = token_columns(doc)
    start = sent.start
    for i in range(index - 1, sent.start - 1, -1):
        if _is_clause_break(tok, i):
            start = i + 1
            break
    end = sent.end
    for i in range(index, sent.end):
        if _is_clause_break(tok, i):
            end = i + 1
            break
    return start, end



def _is_clause_break(tok: TokenColumns, i: int) -> bool:
    tags = tok.tags[i].split("+")
    forms = tok.lemmas[i].split("+")
    # A comma is no clause break: in news it mostly separates list items (스타트업, 개발자 등).
    return any(tag == "EC" and form in CLAUSE_BREAK_ENDINGS for tag, form in zip(tags, forms)) or \
        "EF" in tags or tok.words[i] == ";"



class RelationBuilder:
    """Collects relations of one Doc, one row per (subject, relation, object)."""

    def __init__(self, doc: Doc, lexicon: str = DEFAULT_LEXICON):
        self.doc = doc
        self.lex = lexicons(lexicon)
        self.name_facts = name_facts(lexicon)
        self.table = entity_info(doc)
        self.text = token_columns(doc).text
        self.rows: dict[tuple[str, str, str], Relation] = {}
        self.first_seen: dict[str, int] = {}
        for ent in entity_index(doc).ents:
            self.first_seen.setdefault(self.norm(ent), ent.start_char)

    def norm(self, span: Span) -> str:
        info = self.table.get((span.start_char, span.end_char))
        if span.label_ == "QT" or not (info and info.norm):
            return self.text[span.start_char:span.end_char]
        return info.norm

    def add(self, sentence_id: int, sent: Span, subj: Span, relation: str, obj: Span, rule: str,
            score: float = 1.0) -> None:
        if any(arg.label_ == "PS" and not plausible_person(arg, self.name_facts) for arg in (subj, obj)):
            return  # a mislabelled name (사업부, 와세다대, 이인영 더불어민주당): no fact from it
        subj_norm, obj_norm = self.norm(subj), self.norm(obj)
        if relation == "ev:date" and not obj_norm[:4].isdigit():
            return
        if subj_norm == obj_norm:
            return
        if relation == "org:partner_of" and self.first_seen.get(obj_norm, 0) < self.first_seen.get(subj_norm, 0):
            subj, obj, subj_norm, obj_norm = obj, subj, obj_norm, subj_norm
        key = (subj_norm, relation, obj_norm)
        if key in self.rows:
            return
        text = self.text  # span.text would make a Token of each of the span's tokens
        self.rows[key] = Relation(
            sentence_id=sentence_id, subj_start=subj.start_char, subj_end=subj.end_char,
            subj=text[subj.start_char:subj.end_char], subj_norm=subj_norm, subj_label=subj.label_,
            relation=relation, obj_start=obj.start_char, obj_end=obj.end_char, obj=text[obj.start_char:obj.end_char],
            obj_norm=obj_norm, obj_label=obj.label_, evidence=text[sent.start_char:sent.end_char].strip(), rule=rule,
            score=score)



# One-syllable organisation heads that end a mislabelled person (와세다대, 사업부, 더불어민주당);
# place heads (시, 구, 동 ...) are left out: Korean given names end in them (홍길동).
ORG_HEADS_ONE_SYLLABLE = frozenset({"대", "부", "청", "당", "처", "원", "회", "사"})



NameFacts = tuple[frozenset[str], tuple[str, ...], frozenset[str]]


@lru_cache(maxsize=8)
def name_facts(lexicon: str = DEFAULT_LEXICON) -> NameFacts:
    """(lexicon names that are not people, organisation/place heads of 2+ syllables, one-syllable org heads)."""
    not_people = frozenset(r["form"] for r in read_tsv(lexicon) if r.get("label") not in (None, "", "PS"))
    heads = [r["suffix"] for r in read_tsv("name_suffixes.tsv") if r["label"] in {"OG", "LC"}]
    long_heads = tuple(sorted((h for h in heads if len(h) >= 2), key=len, reverse=True))
    return not_people, long_heads, ORG_HEADS_ONE_SYLLABLE



def plausible_person(span: Span, facts: NameFacts | None = None) -> bool:
    """A PS span that can carry a fact: not an organisation, place or common noun labelled as a person.

    Rejected: common nouns (every token NNG, and two syllables or a one-syllable head: ``전통``,
    ``사업부``); a word that is a lexicon name of another label or ends in an organisation/place head of two or more syllables (``쌍용건설``, ``더본코리아``); after the
    first word, a longer word ending in a one-syllable head (``더불어민주당``); a trailing ``전``/``현``
    (former/current belongs to the title); a one-word Korean name of 5+ syllables (``국민민주당``);
    a last token ``대``/``부``... glued to a name (``와세다대``).
    """
    not_people, long_heads, short_heads = facts or name_facts()
    tokens = [t for t in span if not t.is_space]
    if not tokens:
        return False
    if all(base_tag(t) in {"NNG", "NNB"} for t in tokens) and (len(span.text) <= 2 or span.text[-1] in short_heads):
        return False  # 전통, 사업부: common nouns (Kiwi tags unknown names NNG too: 조주빈 stays)
    words = span.text.split()
    if words[-1] in {"전", "현", "前", "現"} or span.text in not_people:
        return False
    if len(tokens) > 1 and base_tag(tokens[-1]) == "NNG" and tokens[-1].text in short_heads and not tokens[-1].whitespace_ \
            and not span.doc[tokens[-1].i - 1].whitespace_:
        return False
    for n, word in enumerate(words):
        hangul = all("\uac00" <= ch <= "\ud7a3" for ch in word)
        if word in not_people or (len(word) > 2 and word.endswith(long_heads) and hangul):
            return False
        if n > 0 and hangul and len(word) >= 3 and word[-1] in short_heads:
            return False
    if len(words) == 1 and all("\uac00" <= ch <= "\ud7a3" for ch in span.text):
        if len(span.text) >= 5:
            return False
        if len(span.text) >= 3 and span.text[-2] in "구시군" and span.text[-1] in "갑을병정":
            return False  # 서구을: an electoral district, not a name
    return True



class _EntityIndex:
    """The Doc's entities in text order, with their start tokens (for bisection) and labels."""

    def __init__(self, ents: tuple[Span, ...]):
        self.ents = ents
        self.starts = [ent.start for ent in ents]
        self.ends = [ent.end for ent in ents]  # ascending too: the entities do not overlap
        self.labels = [ent.label_ for ent in ents]  # Span.label_ looks the string up on every access
        # token range -> the indices of the entities inside it: every pattern asks for the
        # entities of the same sentence
        self.inside: dict[tuple[int, int], range] = {}



def entity_index(doc: Doc) -> _EntityIndex:
    """The Doc's entities, indexed once: they are final by this stage, and the patterns ask for
    the entities of a token range hundreds of times per article. extract_relations() drops the
    index when it starts."""
    index = doc.user_data.get("_relation_entities")
    if index is None:
        index = doc.user_data["_relation_entities"] = _EntityIndex(entity_spans(doc))
    return index



def ents_in(doc: Doc, start: int, end: int, labels: Collection[str] | None = None) -> list[Span]:
    """The entities inside tokens ``start:end`` (with one of ``labels``), in text order."""
    index = entity_index(doc)
    inside = index.inside.get((start, end))
    if inside is None:
        # Entities do not overlap, so those starting at or after ``start`` and those ending at or
        # before ``end`` are each a run of the list: the answer is where the two runs meet.
        inside = index.inside[(start, end)] = range(bisect.bisect_left(index.starts, start),
                                                    bisect.bisect_right(index.ends, end))
    ents, ent_labels = index.ents, index.labels
    if labels is None:
        return [ents[i] for i in inside]
    return [ents[i] for i in inside if ent_labels[i] in labels]



def sentence_subject(doc: Doc, sent: Span, labels=frozenset({"OG"})) -> Span | None:
    """The organisation this sentence is about: topic/subject-marked, or ``X의 경우``."""
    tok = token_columns(doc)
    for ent in ents_in(doc, sent.start, sent.end, labels):
        josa = josa_after(ent)
        if josa in SUBJECT_JOSA or josa.endswith(("은", "는")):
            return ent
        nxt = tok.next_word(ent.end)
        if josa == "의" and nxt is not None:
            after = tok.next_word(nxt + 1)
            if after is not None and tok.words[after] == "경우":
                return ent
        if josa == "" and nxt is not None and tok.words[nxt] == "측":
            return ent
    return None



def is_title_word(text: str, titles: dict[str, str]) -> bool:
    return text in titles or any(text.endswith(t) for t in titles if len(t) >= 2)



def only_space_between_loose(doc: Doc, a: Span, b: Span) -> bool:
    return a.end <= b.start and all(t.is_space or (base_tag(t) == "NNG" and t.ent_type_ == "") for t in doc[a.end:b.start]) \
        and b.start - a.end <= 2 and doc[a.end - 1].whitespace_ != ""



def by_end_before(doc: Doc, ents: list[Span], index: int) -> Span | None:
    """The entity right before token ``index`` (its particle between): ``오픈AI가 개발한`` -> 오픈AI."""
    tok = token_columns(doc)
    k = index - 1
    while k >= 0 and (tok.is_space[k] or tok.base_tags[k].startswith("J")):
        k -= 1
    return next((e for e in ents if e.end == k + 1), None)



def entity_starting_at(doc: Doc, i: int) -> Span | None:
    index = entity_index(doc)
    at = bisect.bisect_left(index.starts, i)
    return index.ents[at] if at < len(index.starts) and index.starts[at] == i else None


OPENING_QUOTES = frozenset("'‘\"“「『")
CLOSING_QUOTES = frozenset("'’\"”」』")


def subject_end(doc: Doc, subj: Span, following: list[Span]) -> int:
    """Where the subject phrase ends: after a closing quote (``'아바타'는``) and, for a person, an apposed
    title (``박근혜 후보가``, ``이세돌 9단은``)."""
    tok = token_columns(doc)
    end = subj.end
    if end < len(tok.words) and tok.words[end] in CLOSING_QUOTES and not tok.space_after[end - 1]:
        end += 1
    if subj.label_ == "PS" and following and following[0].label_ == "CV" and following[0].start == end:
        end = following[0].end
    elif subj.label_ == "PS" and end < len(tok.words) and tok.space_after[end - 1] and not doc[end].ent_type_ \
            and tok.words[end] in person_cues():
        end += 1  # 문재인 후보가, 홍길동 씨는
    return end


@lru_cache(maxsize=1)
def person_cues() -> frozenset[str]:
    return frozenset(row["form"] for row in read_tsv("person_cues.tsv"))


def josa_at(tok, i: int) -> str:
    """The particle(s) written right at token ``i`` (glued to the word before it)."""
    forms = []
    while i < len(tok.words) and tok.base_tags[i].startswith("J") and not tok.space_after[i - 1]:
        forms.append(tok.words[i])
        i += 1
    return "".join(forms)


def negated(tok, verb: int, limit: int) -> bool:
    """``1위에 오르지 못한``, ``넘지 않았다``: the verb is negated."""
    k = verb + 1
    while k < limit and not tok.space_after[k - 1] and tok.words[k] != "지":
        k += 1
    nxt = tok.next_word(k + 1) if k < limit and tok.words[k] == "지" else None
    return nxt is not None and nxt < limit and tok.lemma_heads[nxt] in {"못", "못하", "않"}


SUBJECT_PARTICLES = frozenset({"은", "는", "이", "가"})


def topic_before(tok, start: int, end: int, particles: frozenset[str] = SUBJECT_PARTICLES) -> bool:
    """A topic or subject particle on a noun before ``end`` (``성 대표의 이름은 네이버 검색순위 1위``; not the
    pronoun of ``이는``)."""
    return any(tok.base_tags[k] in {"JX", "JKS"} and tok.words[k] in particles and k > 0
               and tok.base_tags[k - 1] in {"NNG", "NNP", "SL", "SN", "NNB", "XSN"} for k in range(start, end))


def part_of_total(doc: Doc, sent: Span, qt: Span, ents: list[Span]) -> Span:
    """``총 3267만 2101표 중 1342만3800표를 얻어``: the part, not the total, is what the subject reached."""
    tok = token_columns(doc)
    k = tok.next_word(qt.end)
    if k is None or k >= sent.end or tok.words[k] not in {"중", "가운데"}:
        return qt
    part = next((e for e in ents if e.start > k), None)
    return part if part is not None and part.label_ == "QT" and part.start == tok.next_word(k + 1) else qt


def gloss_after(doc: Doc, sent: Span, qt: Span, ents: list[Span]) -> Span | None:
    """``1342만3800표(41.08%)를``: a quantity alone in the parenthesis right after the quantity."""
    tok = token_columns(doc)
    if qt.end + 2 >= sent.end or tok.words[qt.end] != "(":
        return None
    inner = next((e for e in ents if e.start == qt.end + 1), None)
    if inner is None or inner.label_ != "QT" or inner.end >= sent.end or tok.words[inner.end] != ")":
        return None
    return inner


def setting_end(doc: Doc, start: int, limit: int) -> int:
    """After a subject, a setting phrase ``홍콩전에서`` / ``아프리카에서`` (one to three nouns + 에서): the token
    after it; else ``start``."""
    tok = token_columns(doc)
    k = tok.next_word(start + 1) if start < limit and tok.base_tags[start].startswith("J") else tok.next_word(start)
    nouns = 0
    while k is not None and k < limit and nouns < 3 and tok.base_tags[k] in {"NNG", "NNP", "XSN"}:
        nouns += 1
        k += 1
        if k < limit and tok.words[k] == "에서" and tok.base_tags[k] == "JKB":
            return k + 1
        while k < limit and tok.is_space[k]:
            k += 1
    return start


def clause_break(tok, start: int, end: int) -> bool:
    """A contrastive ending (시작되었지만) between two tokens: the clause after it has a subject of its own.
    (Over 고/며 the subject mostly carries on: 스페인은 ... 되었고, ... 두 번째로 ... 팀이 되었다.)"""
    return any(tok.base_tags[k] == "EC" and tok.words[k] == "지만" for k in range(start, end))


def relative_end(tok, verb: int, limit: int) -> int | None:
    """The token after the relative form of the figure verb at ``verb``: 넘은 (VV+ETM, VV ETM), 돌파한
    (NNG XSV+ETM), 기록 중인 (NNG 중 VCP+ETM); None when it is no relative form."""
    if "ETM" in tok.tags[verb]:
        return verb + 1
    nxt = verb + 1
    if nxt < limit and not tok.space_after[verb] and "ETM" in tok.tags[nxt]:
        return nxt + 1
    during = tok.next_word(nxt)
    if during is not None and during + 1 < limit and tok.words[during] == "중" \
            and tok.tags[during + 1].startswith("VCP") and "ETM" in tok.tags[during + 1]:
        return during + 2
    return None
