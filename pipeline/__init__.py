"""Korean news extraction pipeline: entities, normalised values and relations from Korean news.

From Python (nothing heavy is imported until one of these is called)::

    import pipeline
    nlp = pipeline.load()                           # the spaCy Language
    result = pipeline.extract(["삼성전자는 ..."])   # .entities, .relations, .articles DataFrames
    pipeline.normalize("지난 2월", published="2025-09-10")

Command line: ``python -m pipeline`` or the ``korean-news`` console script.
"""
from __future__ import annotations

import sys
import types

__all__ = ["extract", "load", "normalize"]


def load(use_model=None):
    """The pipeline as a spaCy ``Language`` (see :func:`pipeline.api.load`)."""
    from .api import load as _load

    return _load(use_model)


def extract(articles, tokens=False, use_model=None):
    """Tables of ``articles`` as DataFrames, in memory (see :func:`pipeline.api.extract`)."""
    from .api import extract as _extract

    return _extract(articles, tokens=tokens, use_model=use_model)


class _Normalize:
    """``pipeline.normalize(text, published=...)`` -> the expressions in ``text``; attributes are the
    ``pipeline.normalize`` module's (``pipeline.normalize.find_expressions`` ...), whichever way it is laid out."""

    def __call__(self, text, published=None):
        from .api import normalize as _normalize

        return _normalize(text, published)

    def __getattr__(self, name):
        import importlib

        return getattr(importlib.import_module(f"{__name__}.normalize"), name)

    def __setattr__(self, name, value):  # monkeypatching pipeline.normalize.X patches the module
        import importlib

        setattr(importlib.import_module(f"{__name__}.normalize"), name, value)

    def __delattr__(self, name):
        import importlib

        delattr(importlib.import_module(f"{__name__}.normalize"), name)

    def __repr__(self) -> str:
        return "<function pipeline.normalize(text, published=None)>"


class _Package(types.ModuleType):
    # Importing the submodule ``pipeline.normalize`` sets the package attribute of that name; this
    # property keeps ``pipeline.normalize`` the callable (the module stays in sys.modules).
    normalize = property(lambda self: _NORMALIZE, lambda self, value: None)


_NORMALIZE = _Normalize()
sys.modules[__name__].__class__ = _Package
