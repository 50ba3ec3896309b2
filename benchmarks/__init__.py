"""Benchmarks kept out of the installed package."""
