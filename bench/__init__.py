"""Benchmarks: each ``bench/<topic>.py`` with ``run(quick: bool = True) -> dict`` is a figure set.

``python -m bench`` (``make bench``) discovers them, runs each, prints every figure with its
ratio against a baseline measured in the same run, and writes ``bench/results.json``.
Modules whose name starts with ``_`` are helpers, never run as benchmarks.
"""
