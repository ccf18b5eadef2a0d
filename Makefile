# Two commands on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run   - set everything up and serve on 127.0.0.1:8000 with embedded workers
#   make test  - set everything up, then ruff, mypy and pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa \
                tesseract-ocr-nld tesseract-ocr-ita

.PHONY: run test install sysdeps lint typecheck unit bench clean

install: sysdeps $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Python 3.11+ is required (found: $$($(PYTHON) --version 2>&1)); set PYTHON=python3.X"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "venv support missing; installing python3-venv via apt-get"; rm -rf $(VENV); \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-venv >/dev/null \
	  && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# System packages (Tesseract and its languages) via apt when missing and we are allowed to install.
sysdeps:
	@missing=""; \
	command -v tesseract >/dev/null 2>&1 || missing="yes"; \
	for l in eng deu fra spa nld ita; do \
	  tesseract --list-langs 2>/dev/null | grep -qx $$l || missing="yes"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
	    echo "installing $(APT_PACKAGES) via apt-get"; \
	    ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) >/dev/null ) \
	      || echo "WARNING: could not install Tesseract; OCR falls back to RapidOCR"; \
	  else \
	    echo "WARNING: apt-get not available; install Tesseract 5 yourself or OCR falls back to RapidOCR"; \
	  fi; \
	fi

run: install
	$(PY) -m ledgerlens db upgrade
	$(PY) -m ledgerlens keys ensure-local
	$(PY) -m ledgerlens serve

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy src

unit: $(STAMP)
	OMP_THREAD_LIMIT=1 $(PY) -m pytest -q -p no:cacheprovider

test: install lint typecheck unit

bench: install
	$(PY) bench/ingest.py
	$(PY) bench/speed.py
	$(PY) bench/accuracy.py
	$(PY) bench/api_load.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
