# `make demo` and `make test` work on a fresh machine: they create .venv and install the
# hash-pinned dependencies of requirements.lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := ../shared/examples/zh-microsoft-capex-2025-02-25.txt
GOLD := ../shared/gold/zh-microsoft-capex-2025-02-25.yaml

.PHONY: install demo test lock clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

demo: install
	$(BIN)/kg build $(EXAMPLE) -o outputs
	$(BIN)/kg query -g outputs/graph.trig -f kg/queries/relations-with-evidence.rq
	@if [ -f $(GOLD) ]; then $(BIN)/kg eval $(GOLD) outputs/graph.trig; fi

test: install
	$(BIN)/python -m pytest -q

# Re-pin every dependency with hashes after changing pyproject.toml (needs network).
lock:
	$(PYTHON) -m venv /tmp/kg-lock && /tmp/kg-lock/bin/pip install --quiet uv==0.13.9
	/tmp/kg-lock/bin/uv pip compile pyproject.toml --extra test --generate-hashes \
	    --python-version 3.11 --python-platform x86_64-manylinux_2_28 -o requirements.lock

clean:
	rm -rf $(VENV) outputs/graph.* .pytest_cache
