# Two commands: `make demo` and `make test`. Each creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint serve clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/esgledger demo --db sqlite:///demo/esgledger-demo.db --out demo
	$(BIN)/esgledger report build --year 2024 --db sqlite:///demo/esgledger-demo.db \
		--factors demo/demo_factors.yaml --targets src/esgledger/demo/data/targets.yaml \
		--published src/esgledger/demo/data/published_figures.csv --out demo/report

# -n auto: one pytest-xdist worker per core (CONTRIBUTING.md, "Tests").
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/pytest -n auto

serve: $(STAMP)
	$(BIN)/esgledger serve --db sqlite:///demo/esgledger-demo.db --factors demo/demo_factors.yaml \
		--targets src/esgledger/demo/data/targets.yaml --scenarios src/esgledger/demo/data/scenarios

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) demo/esgledger-demo.db
