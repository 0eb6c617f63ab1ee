# `make demo` and `make test` work on a fresh machine: they create .venv and install the
# hash-pinned dependencies of requirements.lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := ../shared/examples/zh-microsoft-capex-2025-02-25.txt
GOLD := ../shared/gold/zh-microsoft-capex-2025-02-25.yaml

.PHONY: install demo test lock clean ner-model ner-eval

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

demo: install
	$(BIN)/kg build $(EXAMPLE) -o outputs
	$(BIN)/kg query --saved relations-with-evidence
	@if [ -f $(GOLD) ]; then $(BIN)/kg eval $(GOLD) outputs/graph.trig; fi
	@# the same story from an English outlet joins the same nodes
	$(BIN)/kg build tests/data/en-microsoft-leases.html -o outputs
	$(BIN)/kg query --saved bilingual-entities
	$(BIN)/kg validate
	@echo "→ open outputs/graph.html in a browser; .venv/bin/kg serve for the SPARQL endpoint (README: The three uses)"

test: install
	$(BIN)/python -m pytest -q

# Re-pin every dependency with hashes after changing pyproject.toml (needs network).
lock:
	$(PYTHON) -m venv /tmp/kg-lock && /tmp/kg-lock/bin/pip install --quiet uv==0.13.9
	/tmp/kg-lock/bin/uv pip compile pyproject.toml --extra test --generate-hashes \
	    --python-version 3.11 --python-platform x86_64-manylinux_2_28 -o requirements.lock

# Train the Chinese NER (CPU, one core, about 20 min) into kg/nlp/models/zh_ner from CLUENER2020:
# CLUENER_DIR holds train.json and dev.json of cluener_public.zip (training/zh_ner/README.md);
# FINRE_TRAIN is FinRE's train.txt (github.com/thunlp/Chinese_NRE, MIT).
CLUENER_DIR ?= training/zh_ner/data
FINRE_TRAIN ?= ../shared/data/finre/train.txt
NER_WORK := training/zh_ner/work

ner-model: install
	$(BIN)/python training/zh_ner/convert.py $(CLUENER_DIR) $(NER_WORK)
	mkdir -p $(NER_WORK)/train && mv $(NER_WORK)/train.spacy $(NER_WORK)/train/cluener.spacy
	$(BIN)/python training/zh_ner/finre.py $(FINRE_TRAIN) $(NER_WORK)/train/finre.spacy
	OMP_NUM_THREADS=1 $(BIN)/python -m spacy train training/zh_ner/config.cfg --code kg/nlp/zh_ner.py \
	    --paths.train $(NER_WORK)/train --paths.dev $(NER_WORK)/dev.spacy -o $(NER_WORK)/output
	rm -rf kg/nlp/models/zh_ner && cp -r $(NER_WORK)/output/model-best kg/nlp/models/zh_ner

# Score the NER alone, as kg runs it (windows only) and with the knowledge base and rules.
ner-eval: install
	for system in model gated kg; do $(BIN)/python benchmarks/zh_ner.py $(CLUENER_DIR)/dev.json --system $$system; done

clean:
	rm -rf $(VENV) outputs/graph.* .pytest_cache
