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
