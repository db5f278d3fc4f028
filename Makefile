# The commands the README names. Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv test test-slow test-all demo lint clean bench bench-full

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# The system pip 23.2 fails to resolve lxml extras: upgrade pip inside the venv first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# The suite runs in 4 workers (pytest-xdist): crawl tests spend much of their time waiting on
# their subprocesses, so 4 workers keep 2 cores busy. --dist loadscope keeps a module on one
# worker, so its module-scoped crawl fixtures are built once, not once per worker. `test` is everything but the long
# end-to-end variants (marker `slow`: soak, storage stress, kill -9 of distributed workers),
# which `test-slow` runs; CI (.ci/run) runs both.
PYTEST := $(BIN)/python -m pytest -n 4 --dist loadscope

test: $(STAMP)
	$(PYTEST) -m "not slow"

test-slow: $(STAMP)
	$(PYTEST) -m slow

test-all: $(STAMP)
	$(PYTEST)

demo: $(STAMP)
	$(BIN)/newsarchive demo

# Benchmarks: the comparison tools live in the `bench` extra. Quick sizes, a few minutes;
# bench-full adds the 50,000-page memory crawl. Both write bench/results.json.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench

bench-full: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	BENCH_FULL=1 $(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data .pytest_cache
