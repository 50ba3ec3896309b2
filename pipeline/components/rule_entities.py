"""Component ``rule_entities``: general rules over Kiwi tags, one family per module of
:mod:`pipeline.entities`, run in this order (each family sees what the ones before it committed):

  bylines      ``홍길동 연합뉴스 기자``: person, outlet and title of the byline
  titles       a name before (or after) a title: ``이재용 삼성전자 회장``, ``애플 CEO 스티브 잡스``
  compounds    a branch word after an organisation (``오픈AI 코리아``); proper-noun compounds whose
               head names their kind (``SK텔레콤``, ``파이팩토리 스튜디오``)
  quotes       quoted names held as events or made as products, ``워크숍인 X``
  aliases      ``X(Y)``, ``X(이하 Y)`` and later bare mentions of the alias
  compounds    address chains (``서울 광진구``); an event keeps its year (``2018 평창 동계올림픽``)
  events       an ordinal or a date before an election (``21대 총선``, ``5·9 대선``), a name or a date
               before a crisis (``이태원 참사``, ``9·11 테러``)

Writes ``doc.ents`` (source ``rule``, ``lexicon`` or ``delimited``) and ``doc._.short_refs`` (a
surname with a title, ``권 CSO``).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..entities.aliases import alias_mentions, parenthesised_aliases
from ..entities.bylines import byline_entities
from ..entities.compounds import address_chains, branch_names, compound_names, event_years
from ..entities.events import event_names
from ..entities.lexicons import DEFAULT_LEXICON, lexicons
from ..entities.quotes import quoted_and_apposed_names
from ..entities.spans import commit
from ..entities.spans import enabled
from ..entities.titles import title_entities
from ..records import EntityInfo


@Language.factory("rule_entities", default_config={"lexicon": DEFAULT_LEXICON},
                  requires=["doc._.regions"], assigns=["doc.ents", "doc._.entity_info", "doc._.short_refs"],
                  retokenizes=True)
def make_rule_entities(nlp, name: str, lexicon: str):
    def annotate(doc: Doc) -> Doc:
        lex = lexicons(lexicon)
        new: list[tuple[Span, EntityInfo]] = []
        if enabled("bylines"):
            new += byline_entities(doc, lex)
        if enabled("titles"):
            new += title_entities(doc, lex)
        commit(doc, new)
        if enabled("branches"):
            commit(doc, branch_names(doc, lex))
        if enabled("compounds"):
            commit(doc, compound_names(doc, lex))
        if enabled("quotes"):
            commit(doc, quoted_and_apposed_names(doc, lex))
        if enabled("aliases"):
            commit(doc, parenthesised_aliases(doc, lex))
        if enabled("alias_mentions"):
            commit(doc, alias_mentions(doc))
        if enabled("addresses"):
            commit(doc, address_chains(doc, lex))
        if enabled("event_years"):
            commit(doc, event_years(doc, lex))
        if enabled("events"):
            commit(doc, event_names(doc, lex))
        return doc

    return annotate
