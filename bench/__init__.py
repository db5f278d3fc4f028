"""Benchmarks: each bench/<topic>.py has run(quick) -> figures and a __main__."""
