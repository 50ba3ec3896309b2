"""One canonical name (norm) and one ``entity_id`` per entity of an article.

Mentions of one entity are grouped, and the group gets one norm and one ``entity_id``:
* the alias resources (``aliases.tsv``, lexicon norms, title norms): 韓 / 대한민국 -> 한국, CSO -> 최고전략책임자;
* parenthesised aliases, ``X(Y)`` and ``X(이하 Y)``: both spans, and every later mention written like
  either of them, take one name: the alias resource's norm if one has it, else the Korean (Hangul)
  form, else the form written first (``DevDay Exchange(데브데이 익스체인지)`` -> 데브데이 익스체인지);
* a person's shorter mention that is the start or end of a full name introduced in the article.
Different names stay different entities: a branch (``오픈AI 코리아``) is not its parent (``오픈AI``).
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..records import EntityInfo, entity_info, entity_spans, token_columns
from .lexicons import Lexicons
from .words import is_hangul_name

Key = tuple[str, str]  # (label, written form)


def assign_canonical_names(doc: Doc, lex: Lexicons) -> None:
    """Set ``norm`` and ``entity_id`` in the details of every entity of ``doc``."""
    table = entity_info(doc)
    ents = entity_spans(doc)
    text = token_columns(doc).text
    group_name = _alias_group_names(doc, ents, table, lex)
    all_people = {group_name.get(("PS", _text(text, e))) or getattr(table.get((e.start_char, e.end_char)), "norm", "")
                  or _text(text, e) for e in ents if e.label_ == "PS"}
    people: list[str] = []
    ids: dict[Key, str] = {}
    for ent in ents:
        info = table.get((ent.start_char, ent.end_char))
        if info is None:  # (cleanup left an info for every entity: build a new one only when missing)
            info = table[(ent.start_char, ent.end_char)] = EntityInfo()
        written = _text(text, ent)
        if ent.label_ in {"QT", "DT", "TI"}:
            key = (ent.label_, info.norm or written)
        else:
            info.norm = _name_norm(ent.label_, written, info, group_name, lex)
            if ent.label_ == "PS":
                info.norm = _full_person_name(info.norm, people, all_people)
            key = (ent.label_, info.norm)
        info.entity_id = ids.setdefault(key, f"E{len(ids) + 1}")


def _text(text: str, ent: Span) -> str:
    return text[ent.start_char:ent.end_char]


def _name_norm(label: str, written: str, info: EntityInfo, group_name: dict[Key, str], lex: Lexicons) -> str:
    grouped = group_name.get((label, written))
    if grouped:
        return grouped
    if info.norm:
        return info.norm
    return (lex.titles.get(written) if label == "CV" else None) or lex.aliases.get(written) or written


def _full_person_name(norm: str, people: list[str], all_people: set[str]) -> str:
    """잡스 -> 스티브 잡스, but only when one full name in the article fits (트럼프 with both
    이방카 트럼프 and 에릭 트럼프 named stays 트럼프). ``people`` collects the names seen so far."""
    fits = {p for p in all_people if p != norm and (p.endswith(" " + norm) or p.startswith(norm + " "))}
    full = next((p for p in people if p in fits), None)
    if full and len(fits) == 1:
        return full
    if norm not in people:
        people.append(norm)
    return norm


def _alias_group_names(doc: Doc, ents: tuple[Span, ...], table: dict, lex: Lexicons) -> dict[Key, str]:
    """In-article alias groups from parentheses: (label, written form) -> canonical name."""
    text = token_columns(doc).text
    parent: dict[Key, Key] = {}

    def find(key: Key) -> Key:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    members: dict[Key, list[str]] = {}
    for outer, inner in _alias_pairs(doc, ents, lex):
        a, b = (outer.label_, _text(text, outer)), (inner.label_, _text(text, inner))
        for key, ent in ((a, outer), (b, inner)):
            parent.setdefault(key, key)
            members.setdefault(key, [])
            form = _base_form(ent, text, table, lex)
            if form not in members[key]:
                members[key].append(form)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    groups: dict[Key, list[str]] = {}
    for key, forms in members.items():
        groups.setdefault(find(key), [])
        groups[find(key)] += [f for f in forms if f not in groups[find(key)]]
    return {key: _canonical_form(groups[find(key)], lex) for key in members}


def _base_form(ent: Span, text: str, table: dict, lex: Lexicons) -> str:
    info = table.get((ent.start_char, ent.end_char))
    written = _text(text, ent)
    if ent.label_ == "CV":
        return lex.titles.get(written) or written
    return (info.norm if info and info.norm else None) or lex.aliases.get(written) or written


def _canonical_form(forms: list[str], lex: Lexicons) -> str:
    for form in forms:
        if form in lex.aliases:
            return lex.aliases[form]
    hangul = [f for f in forms if is_hangul_name(f)]
    return (hangul or forms)[0]


def _alias_pairs(doc: Doc, ents: tuple[Span, ...], lex: Lexicons) -> list[tuple[Span, Span]]:
    """(outer, inner) entity pairs written ``X(Y)`` or ``X(이하 Y)`` with one label, names only, where
    Y can name X (:func:`pipeline.entities.aliases.can_name`; always after 이하)."""
    from .aliases import can_name

    tok = token_columns(doc)
    words, n = tok.words, len(tok.words)
    starts = {e.start: e for e in ents}
    ends = {e.end: e for e in ents}
    pairs = []
    for paren in [i for i, word in enumerate(words) if word == "(" and i in ends]:
        outer = ends[paren]
        i = paren + 1
        if i < n and words[i] == "이하":
            i += 1
            while i < n and tok.is_space[i]:
                i += 1
        inner = starts.get(i)
        if inner is None or inner.end >= n or words[inner.end] != ")":
            continue
        if words[paren + 1] != "이하" and not can_name(_text(tok.text, outer), _text(tok.text, inner), lex):
            continue
        if inner.label_ == outer.label_ and inner.label_ not in {"QT", "DT", "TI", "PS"}:
            pairs.append((outer, inner))
    return pairs
