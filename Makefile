# Every target creates .venv and installs what it needs: nothing by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS ?= dev,postgres
comma := ,
STAMP := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
DB ?= sqlite:///demo.db

.PHONY: demo test bench lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[$(EXTRAS)]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newsfuse digest examples/corpus --db $(DB)
	@echo
	@echo "Serve these stories in a browser with:"
	@echo "  $(BIN)/newsfuse serve --db $(DB)"

test: $(STAMP)
	bash scripts/test-deps.sh
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m newsfuse.eval.bench

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) demo.db .pytest_cache .mypy_cache .ruff_cache
