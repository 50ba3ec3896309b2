"""Benchmarks and side evaluations, kept outside the installed package (``make bench``,
``python -m benchmarks.evaluate_re``, the normaliser's speed). They import the package as a user
would; run them from the repository root."""
