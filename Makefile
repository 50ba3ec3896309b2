# Korean news extraction pipeline. Two commands are all a fresh machine needs:
#   make extract   -> tables for seeds/ in outputs/
#   make test      -> the whole test suite
# Both create the local virtual environment (.venv) with the project installed when it is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SEEDS  := seeds
OUT    := outputs
WIKINEWS := ../shared/data/wikinews-ko/wikinews-ko.jsonl

.PHONY: extract test eval train eval-ner bench setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --no-cache-dir --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

extract: $(STAMP)
	$(BIN)/python -m pipeline extract $(SEEDS) --out $(OUT) --tokens

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python -m pipeline eval --gold tests/gold

train: $(STAMP)
	$(BIN)/python -m training.train

eval-ner: $(STAMP)
	$(BIN)/python -m training.evaluate_ner

bench: $(STAMP)
	$(BIN)/python -m pipeline bench

clean:
	rm -rf $(VENV) build *.egg-info
