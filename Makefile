# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MODEL ?= cnn

.PHONY: install install-dev run test test-fast train train-twin train-wholeness convert evaluate bench report clean

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

# MODEL=cnn (the default) trains the shipped CNN and scores the served pair it makes with its twin
# on the MNIST test set (ml/artifacts/served.json); MODEL=softmax|mlp|lenet trains a baseline.
train: install-dev
	$(PY) -m ml.train --model $(MODEL)
ifeq ($(MODEL),cnn)
	$(PY) -m ml.evaluate --output ml/artifacts/served.json
endif

# The pair's second CNN: the same network and recipe from another seed (ml.predict.Pair); then the
# pair is scored again. A training of its own, as long as the first's.
train-twin: install-dev
	$(PY) -m ml.train --member 2
	$(PY) -m ml.evaluate --output ml/artifacts/served.json

# The small model that judges the cuts of touching digits (ml.pieces); about 10 minutes.
train-wholeness: install-dev
	$(PY) -m ml.train_wholeness

# Training ends with this; alone, it re-converts the pair's .keras files to the served .tflite.
convert: install-dev
	$(PY) -m ml.convert
	$(PY) -m ml.convert --keras ml/artifacts/mnist_cnn_2.keras --metrics ml/artifacts/metrics_2.json

evaluate: install
	$(PY) -m ml.evaluate

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
