# healthqa: `make serve` and `make test` work from a fresh clone.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
CHROMIUM := /usr/bin/chromium

.PHONY: setup serve test browser index eval bench load lint clean

# Serving needs only the package and its runtime dependencies.
setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned: the CPU build on this machine's disk, never a CUDA download
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

# Tests, evaluation and linting add the test extras (pytest, Playwright, a PostgreSQL server…).
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# The browser tests drive Debian's Chromium (never a browser download): installed when missing
# and we are root; otherwise those tests are skipped with the reason (tests/conftest.py).
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "$(CHROMIUM) is missing and installing it needs root: the browser tests will be skipped"; \
	fi

index: setup
	$(BIN)/healthqa index

serve: setup
	$(BIN)/healthqa index
	$(BIN)/healthqa serve --host 127.0.0.1 --port 8000

test: $(TEST_STAMP) browser
	$(BIN)/python -m pytest

eval: $(TEST_STAMP)
	$(BIN)/healthqa index --quiet
	$(BIN)/healthqa eval --ablation --cross-validate --report eval/reports/dev

bench: $(TEST_STAMP)
	$(BIN)/healthqa index --quiet
	$(BIN)/healthqa bench --out var/bench/latest
	$(BIN)/healthqa bench --scale 10000 --out var/bench/scale-10000

load: $(TEST_STAMP)
	$(BIN)/healthqa index --quiet
	$(BIN)/healthqa load --out var/load

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var
