# Quick start: `make demo` builds the demo production, `make test` runs the suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
STAMP  := $(VENV)/.installed
PO     := $(wildcard radio/locale/*/LC_MESSAGES/radio.po)
MO     := $(PO:.po=.mo)

.PHONY: demo test bench assets venv clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python setup.cfg setup.py pyproject.toml constraints.txt
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

# The installed package reads the compiled catalogs (setup.py compiles them too).
$(MO): %.mo: %.po | $(STAMP)
	$(BIN)/python tools/messages.py compile

venv: $(STAMP) $(MO)

demo: $(STAMP) $(MO)
	$(BIN)/radio build --all
	$(BIN)/radio disc

test: $(STAMP) $(MO)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# The message catalog: extract every message (ours and click's) into radio/locale/radio.pot,
# merge it into radio/locale/vi/LC_MESSAGES/radio.po, compile the .mo (tools/messages.py).
messages: $(STAMP)
	$(BIN)/python tools/messages.py extract update compile

assets: $(STAMP)
	$(BIN)/python tools/make_assets.py

clean:
	rm -rf output/*/ .radio/build
