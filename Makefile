# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint clean bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) run_bot.py

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -q -ra

bench: $(STAMP)
	$(PY) run_bot.py bench

clean:
	rm -rf $(VENV) var/*.db var/model var/jieba
