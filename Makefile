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

.PHONY: extract test eval train eval-ner bench bench-dates setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --no-cache-dir --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# The report is written even when some articles failed (extract exits 3); make still reports the failure.
extract: $(STAMP)
	$(BIN)/python -m pipeline extract $(SEEDS) --out $(OUT) --tokens; status=$$?; \
	$(BIN)/python -m pipeline report $(SEEDS) --out $(OUT) && exit $$status

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python -m pipeline eval --gold tests/gold

train: $(STAMP)
	$(BIN)/python -m training.train

eval-ner: $(STAMP)
	$(BIN)/python -m training.evaluate_ner

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench

# Dates side by side with korean-datetime (a benchmark-only package: the bench extra) and the normaliser's throughput.
bench-dates: $(STAMP)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[bench]'
	$(BIN)/python -m benchmarks.dates_side_by_side
	$(BIN)/python -c "from benchmarks.normalize_bench import benchmark; print(benchmark(50_000))"

clean:
	rm -rf $(VENV) build *.egg-info

# The HTML report checked in a real browser: renders outputs/report.html for the seeds, runs the report tests
# (they include a headless-chromium check that no script from article text runs), then takes a headless screenshot
# of the page, outputs/report.png, to look at. Needs chromium on PATH (Debian: apt-get install chromium
# fonts-noto-cjk; without the CJK fonts Hangul shows as boxes). CHROMIUM=... picks another binary.
CHROMIUM ?= chromium
CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --hide-scrollbars --log-level=3
.PHONY: report-check
report-check: extract
	$(BIN)/python -m pipeline report $(SEEDS) --out $(OUT)
	$(BIN)/python -m pytest -q tests/test_report.py
	rm -f $(OUT)/report.png
	profile=$$(mktemp -d) && trap 'rm -rf "$$profile"' EXIT && \
	$(CHROMIUM) $(CHROMIUM_FLAGS) --user-data-dir="$$profile" --window-size=1280,2000 \
		--screenshot=$(abspath $(OUT))/report.png file://$(abspath $(OUT))/report.html
	test -s $(OUT)/report.png
	@echo "report: file://$(abspath $(OUT))/report.html  screenshot: $(OUT)/report.png"
