"""Entity spans on the Doc: overlap resolution by source priority (``commit``), character ranges to
token spans, trimming function tokens.
"""
from __future__ import annotations

import bisect
from typing import Iterable

from spacy.tokens import Doc, Span

from ..records import (
    EntityInfo,
    entity_info,
    entity_spans,
    set_entity_spans,
    token_columns,
)
from .words import is_function_tag, is_function_token

# "delimited": a name marked off by quotes or an apposition (``워크숍인 '크리에이티브 랩 서울'``),
# which may contain lexicon names and dates of its own.
PRIORITY = {"delimited": 5, "lexicon": 4, "grammar": 3, "rule": 2, "model": 1, "": 0}



def split_tokens_at(doc: Doc, offsets: Iterable[int]) -> None:
    """Split tokens so that every offset falls on a token boundary (grammar spans such as
    ``8강`` inside ``8강전`` need it). Tags are copied to the pieces."""
    offsets = list(offsets)
    if not offsets:
        return
    columns = token_columns(doc)
    starts, ends = columns.starts, columns.ends
    cuts: dict[int, set[int]] = {}
    for offset in offsets:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            continue
        if starts[i] < offset < ends[i]:
            cuts.setdefault(i, set()).add(offset - starts[i])
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for i, rel in cuts.items():
            token = doc[i]
            bounds = [0, *sorted(rel), len(token.text)]
            orths = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
            n = len(orths)
            retokenizer.split(token, orths, heads=[(token, 0)] * n,
                              attrs={"TAG": [token.tag_] * n, "POS": [token.pos_] * n, "LEMMA": orths})



def char_spans(doc: Doc, candidates: list[tuple[int, int, str]]) -> list[Span]:
    """Spans for character ranges, splitting tokens where a range cuts through one."""
    offsets = [o for start, end, _ in candidates for o in (start, end)]
    split_tokens_at(doc, offsets)
    text = token_columns(doc).text
    spans = []
    for start, end, label in candidates:
        span = doc.char_span(start, end, label=label)
        if span is not None and text[span.start_char:span.end_char].strip():
            spans.append(span)
    return spans



def _uncovered_name_material(outer: Span, inner: list[tuple[int, int]]) -> bool:
    """Whether tokens of ``outer`` outside the token ranges ``inner`` hold name material."""
    covered = set()
    for start, end in inner:
        covered.update(range(start, end))
    return any(t.i not in covered and not t.is_space and not is_function_token(t) and not t.is_punct
               for t in outer)



def commit(doc: Doc, new: list[tuple[Span, EntityInfo]]) -> None:
    """Add spans to ``doc.ents``, resolving overlaps by source priority, then length.

    Each candidate keeps its own source: the trained NER's ``오픈AI``/PS and the lexicon's
    ``오픈AI``/OG cover the same characters, and the lexicon must win."""
    table = entity_info(doc)
    current = entity_spans(doc)
    keys = [(ent.start_char, ent.end_char) for ent in current]
    if not new and list(table) == keys:
        # Nothing new (most rules in most articles), and the table already holds exactly the
        # entities' infos, in their order: the table would be rebuilt as it is.
        set_entity_spans(doc, current, current)
        return
    chosen: list[tuple[Span, EntityInfo]] = [
        (ent, table.get(key) or EntityInfo(source="model")) for ent, key in zip(current, keys)]
    # The current entities never overlap one another: without new spans they all stay as they are.
    if new:
        chosen = _resolve_overlaps(chosen + new)
    set_entity_spans(doc, [span for span, _ in chosen], current)
    table.clear()
    for span, info in chosen:
        table[(span.start_char, span.end_char)] = info



def _resolve_overlaps(candidates: list[tuple[Span, EntityInfo]]) -> list[tuple[Span, EntityInfo]]:
    """The candidates that win against those they overlap, in text order (see :func:`commit`).

    Most candidates are entities that overlap nothing (the current ones, besides the few new
    spans): they win whatever their rank, so only the candidates that share tokens with another
    are ranked."""
    contested = _contested(candidates)
    if contested is None:
        return _rank_and_pick(candidates)
    chosen = [item for item, disputed in zip(candidates, contested) if not disputed]
    if len(chosen) < len(candidates):
        chosen += _rank_and_pick([item for item, disputed in zip(candidates, contested) if disputed])
    chosen.sort(key=lambda item: item[0].start)  # (the starts differ: the spans do not overlap)
    return chosen



def _contested(candidates: list[tuple[Span, EntityInfo]]) -> list[bool] | None:
    """For each candidate, whether it shares tokens with another one, directly or through a chain
    of overlapping candidates; None when a candidate is empty (no tokens, so no overlap to tell)."""
    bounds = [(span.start, span.end) for span, _ in candidates]
    contested = [False] * len(bounds)
    group: list[int] = []  # the candidates, in text order, that overlap one after another
    reach = 0  # the end of the group's last token
    for k in sorted(range(len(bounds)), key=bounds.__getitem__):
        start, end = bounds[k]
        if start >= end:
            return None
        if group and start < reach:
            group.append(k)
            reach = max(reach, end)
            continue
        if len(group) > 1:
            for member in group:
                contested[member] = True
        group, reach = [k], end
    if len(group) > 1:
        for member in group:
            contested[member] = True
    return contested



def _rank_and_pick(candidates: list[tuple[Span, EntityInfo]]) -> list[tuple[Span, EntityInfo]]:
    """Greedy choice in rank order: a candidate wins unless a better one took one of its tokens."""
    # (start, end, label id) of the lexicon's spans: plain ints, compared for every model span
    lexicon_spans = [(span.start, span.end, span.label) for span, info in candidates if info.source == "lexicon"]

    def rank(item: tuple[Span, EntityInfo]) -> tuple:
        span, info = item
        start, end = span.start, span.end
        priority = PRIORITY[info.source]
        if info.source == "model" and lexicon_spans:
            inside = [(s, e, label) for s, e, label in lexicon_spans if s >= start and e <= end and (s, e) != (start, end)]
            if inside and all(label == span.label for _, _, label in inside) \
                    and _uncovered_name_material(span, [(s, e) for s, e, _ in inside]):
                priority = PRIORITY["lexicon"] + 1
        return (-priority, -(end - start), start)

    chosen: list[tuple[Span, EntityInfo]] = []
    taken: set[int] = set()
    for span, info in sorted(candidates, key=rank):
        if taken.isdisjoint(range(span.start, span.end)):
            chosen.append((span, info))
            taken.update(range(span.start, span.end))
    chosen.sort(key=lambda item: item[0].start)
    return chosen



def trim_function_tokens(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    tok = token_columns(doc)

    def trimmed(i: int, brackets: str) -> bool:
        return is_function_tag(tok.base_tags[i]) or tok.is_space[i] or tok.words[i] in brackets

    while start < end and trimmed(start, "([{"):
        start += 1
    while end > start and trimmed(end - 1, ")]},."):
        end -= 1
    if start == end:
        return None
    if (start, end) == (span.start, span.end):
        return span  # nothing to trim (most entities): no new Span
    return Span(doc, start, end, label=span.label_)



def entity_tokens(doc: Doc, ents: Iterable[Span]) -> set[int]:
    """Tokens inside the Doc's entities ``ents`` that the rules must respect. The trained NER's
    spans are soft: a rule may build over them (``제이슨`` from the model, ``제이슨 권`` from the
    title rule), and ``commit`` then prefers the rule."""
    table = entity_info(doc)
    taken: set[int] = set()
    for ent in ents:
        info = table.get((ent.start_char, ent.end_char))
        if info is None or info.source != "model":
            taken.update(range(ent.start, ent.end))
    return taken


# Switches for the entity rule families and screens, for ablation only (benchmarks/entity_ablation.py).
#
# Every family is on in the shipped pipeline. ``DISABLED`` names the families a measurement turns off;
# the entity components ask :func:`enabled` before they run one. Nothing in ``extract`` changes them.
#
#     lexicon          the lexicon's names (lexicon_entities)
#     bylines titles branches compounds quotes aliases alias_mentions addresses   (rule_entities)
#     model_screen     every screen over the trained NER's spans (off: the model's spans pass as they are)
#     person_evidence  the model's person needs evidence in the article (part of model_screen)
#     cleanup          the conventions' exclusions (entity_cleanup)

FAMILIES = ("lexicon", "bylines", "titles", "branches", "compounds", "quotes", "aliases", "alias_mentions",
            "addresses", "model_screen", "person_evidence", "cleanup", "longest_name", "alias_check",
            "pair_abbreviations", "event_years", "product_persons", "glued_names", "foreign_names",
            "person_brackets", "person_lists", "events",
            "person_name_words", "given_names")
# the parts of model_screen, for "all - X" only
SCREENS = ("screen_labels", "screen_ps_shape", "screen_cv_title", "screen_not_entities", "screen_common_noun", "screen_abbreviation",
           "screen_ps_proper", "screen_particle", "screen_brackets", "screen_cut_word")

DISABLED: set[str] = set()


def enabled(family: str) -> bool:
    return family not in DISABLED
