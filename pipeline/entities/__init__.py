"""Entity rules, one phenomenon per module, used by the entity components (:mod:`pipeline.components`).

    spans       overlap resolution by source priority (``commit``), token splitting, trimming
    words       word-level tests over Kiwi tokens (function tags, name heads, name shapes, quotes)
    lexicons    the word lists from ``pipeline/resources`` and the user's lexicon
    bylines     ``홍길동 연합뉴스 기자``
    titles      names next to titles, short references
    compounds   branch names, proper-noun compounds with a head, address chains
    quotes      quoted event and product names, ``워크숍인 X``
    aliases     ``X(Y)``, ``X(이하 Y)`` and later mentions of the alias
    exclusions  what the conventions exclude (laws, generic phrases, plural titles, glued particles)
    canonical   one canonical name and entity id per entity of an article

Sources, strongest first when two spans overlap: delimited (a quoted or apposed name), lexicon,
grammar (QT/DT/TI), rule, model. A model span that strictly contains lexicon matches plus other
name material keeps its extent (``한국전력공사`` is not cut down to ``한국``).
"""
