# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MODEL ?= cnn

.PHONY: install install-dev run test test-fast train train-wholeness convert evaluate bench report clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-local.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -r requirements-local.txt
	touch $@

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

bench: install-dev
	$(PY) -m bench.run $(BENCH_ARGS)

run: install
	PORT=$(PORT) $(PY) -m mnistsite.stack

test: install-dev
	$(PY) -m pytest

# The edit-test loop: everything but the tests marked slow (browser, faults, full test set).
test-fast: install-dev
	$(PY) -m pytest -m "not slow" -q

# Rewrites README.md's figure tables from the JSON artifacts that the measuring commands wrote.
report: install
	$(PY) -m ml.report

train: install-dev
	$(PY) -m ml.train --model $(MODEL)

# The small model that judges the cuts of touching digits (ml.pieces); about 10 minutes.
train-wholeness: install-dev
	$(PY) -m ml.train_wholeness

# Training ends with this; alone, it re-converts the shipped .keras to the served .tflite.
convert: install-dev
	$(PY) -m ml.convert

evaluate: install
	$(PY) -m ml.evaluate

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
