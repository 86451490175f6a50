# cchc — make targets document themselves: `make help`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help install demo test mutate lab clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	bash scripts/system-packages.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install cchc into it

demo: $(STAMP) ## Set up if needed, then run the main job (cchc demo)
	$(BIN)/cchc demo

test: $(STAMP) ## Set up if needed, then run the test suite
	$(BIN)/python -m pytest

mutate: $(STAMP) ## Mutation testing of the pure core, by hand (slow; never in CI)
	$(BIN)/python -m pip install --quiet -e '.[test,mutate]'
	rm -rf mutants
	$(BIN)/mutmut run --max-children 1 || true
	$(BIN)/python benchmarks/mutation_score.py

lab: $(STAMP) ## Open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

clean: ## Remove the virtual environment and generated outputs
	rm -rf $(VENV) outputs/*/ outputs/index.html
