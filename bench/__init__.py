"""Benchmarks: each bench/<topic>.py has run(quick=True) -> dict of figures."""
