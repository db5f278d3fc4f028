"""Benchmarks: one module per topic, each with ``run(quick: bool = True) -> dict``."""
