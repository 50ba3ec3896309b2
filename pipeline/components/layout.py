"""Component ``layout``: which parts of the article are metadata, headline block, captions, byline, body.

Reads the Doc's text; writes ``doc._.regions`` (:class:`pipeline.layout.Region` list) and the span
group ``doc.spans["layout"]``. The entity rules read the regions (bylines, metadata lines), the
relations read them to start every headline afresh.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .. import layout
from ..records import token_columns


# Factories leave ``nlp`` unannotated: spaCy 3.7 checks factory signatures with pydantic, which
# cannot resolve the string annotations that ``from __future__ import annotations`` makes.
@Language.factory("layout", assigns=["doc._.regions", "doc.spans"])
def make_layout(nlp, name: str):
    def annotate(doc: Doc) -> Doc:
        regions = layout.article_regions(token_columns(doc).text)
        doc._.regions = regions
        doc.spans["layout"] = [s for s in (doc.char_span(r.start, r.end, label=r.kind, alignment_mode="expand")
                                           for r in regions) if s is not None]
        return doc

    return annotate
