# healthqa: `make serve` and `make test` work from a fresh clone.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup serve test index eval bench load lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned: the CPU build on this machine's disk, never a CUDA download
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# browser tests drive Debian's Chromium (never a browser download)
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	touch $(STAMP)

index: setup
	$(BIN)/healthqa index

serve: setup
	$(BIN)/healthqa index
	$(BIN)/healthqa serve --host 127.0.0.1 --port 8000

test: setup
	$(BIN)/python -m pytest

eval: setup
	$(BIN)/healthqa index --quiet
	$(BIN)/healthqa eval --ablation --report eval/reports/dev

bench: setup
	$(BIN)/healthqa index --quiet
	$(BIN)/healthqa bench --out var/bench/latest
	$(BIN)/healthqa bench --scale 10000 --out var/bench/scale-10000

load: setup
	$(BIN)/healthqa index --quiet
	$(BIN)/python -m eval.load --out var/load

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var
