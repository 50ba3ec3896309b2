"""Benchmarks and side evaluations, kept outside the installed package (``make bench``,
``python -m benchmarks.evaluate_re``). They import the package as a user would."""
