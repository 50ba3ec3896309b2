"""The relation patterns' trigger words, loaded from ``pipeline/resources`` once per process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..resources import read_tsv


@dataclass(frozen=True)
class Triggers:
    by_relation: dict[str, frozenset[str]]
    figure_nouns: frozenset[str]
    figure_verbs: frozenset[str]
    branch_words: dict[str, str]
    branch_units: tuple[str, ...] = ()
    # rel_verbs.tsv: verbs (Kiwi stems / nouns taking 하다) by role, e.g. product_verb 출시, located 위치
    verbs: dict[str, frozenset[str]] = None  # type: ignore[assignment]
    # figure_roles.tsv: nouns that change what a figure measures, by role (group, chance)
    figure_roles: dict[str, frozenset[str]] = None  # type: ignore[assignment]
    # event_words.tsv: event nouns (행사, 대회 ...) and hosting verbs, by role
    event_words: dict[str, frozenset[str]] = None  # type: ignore[assignment]



@lru_cache(maxsize=1)
def triggers() -> Triggers:
    by_relation: dict[str, set[str]] = {}
    for row in read_tsv("relation_triggers.tsv"):
        by_relation.setdefault(row["relation"], set()).add(row["word"])
    return Triggers(
        by_relation={k: frozenset(v) for k, v in by_relation.items()},
        figure_nouns=frozenset(r["noun"] for r in read_tsv("figure_nouns.tsv")),
        figure_verbs=frozenset(r["verb"] for r in read_tsv("figure_verbs.tsv")),
        branch_words={r["suffix"]: r["country"] for r in read_tsv("branch_words.tsv")},
        branch_units=tuple(sorted((r["head"] for r in read_tsv("branch_units.tsv")), key=len, reverse=True)),
        verbs=_verbs_by_role(),
        figure_roles=_by_role("figure_roles.tsv", "noun"),
        event_words=_by_role("event_words.tsv", "form"),
    )



def _verbs_by_role() -> dict[str, frozenset[str]]:
    return _by_role("rel_verbs.tsv", "word")


def _by_role(name: str, column: str) -> dict[str, frozenset[str]]:
    roles: dict[str, set[str]] = {}
    for row in read_tsv(name):
        roles.setdefault(row["role"], set()).add(row[column])
    return {k: frozenset(v) for k, v in roles.items()}


def is_figure_noun(tok, j: int, trig: Triggers) -> bool:
    """The noun at ``j`` is a figure noun, alone or as the end of a compound Kiwi split (시가+총액, 영업+이익)."""
    if tok.lemma_heads[j] in trig.figure_nouns:
        return True
    k, word = j, tok.words[j]
    while k > 0 and not tok.space_after[k - 1] and tok.base_tags[k - 1] in {"NNG", "NNP"}:
        k -= 1
        word = tok.words[k] + word
        if word in trig.figure_nouns:
            return True
    return False


def figure_object_end(tok, k: int, limit: int, trig: Triggers) -> int | None:
    """The object particle closing a figure right after a quantity: ``300억원을``, or ``2억 명의 사용자를``
    across 의 and a figure noun; None when there is none."""
    if k < limit and tok.words[k] == "의" and not tok.space_after[k - 1] and tok.space_after[k]:
        k += 1
        while k < limit and tok.base_tags[k] in {"NNG", "XSN"} and not tok.space_after[k]:
            k += 1
        if k >= limit or not is_figure_noun(tok, k - 1, trig):
            return None
    elif k < limit and tok.space_after[k - 1]:
        return None
    return k if k < limit and tok.words[k] in {"을", "를"} else None
