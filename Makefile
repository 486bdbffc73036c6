# Blog Post: every target sets up what it needs. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := bash

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# MkDocs prints a banner about its next major version on every run; we stay on 1.x.
export NO_MKDOCS_2_WARNING := 1

HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help serve build test test-fast clean post urls lighthouse links pins

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

# Every install is checked against the hashes of the pin files, which pip-tools generates
# from the requirements*.in files (see requirements-tools.in). First pip itself, one exact
# version (the venv's bundled pip checks its hash), with the two build backends: feedgen
# (source only) and the site's own plugins are built with --no-build-isolation, so pip
# downloads nothing unhashed. A stamp per pin file: the venv is (re)installed when a pin
# changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.pip: requirements-pip.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-pip.txt
	@touch $@

# The site's own plugins (blogpost/, declared in pyproject.toml) are installed in editable
# mode, from this tree alone (--no-index, --no-deps): an editable install has no hash.
$(VENV)/.site: requirements.txt pyproject.toml $(VENV)/.pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-build-isolation -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-index --no-deps --no-build-isolation -e .
	@touch $@

# The link checker, next to the site's packages, for `make links` only (the tests have it too).
$(VENV)/.links: requirements-links.txt $(VENV)/.pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-build-isolation -r requirements-links.txt
	@touch $@

$(VENV)/.test: requirements-test.txt requirements.txt pyproject.toml $(VENV)/.pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-build-isolation -r requirements-test.txt
	$(BIN)/python -m pip install --quiet --no-index --no-deps --no-build-isolation -e .
	@touch $@ $(VENV)/.site $(VENV)/.links

# Node packages, exactly as each package-lock.json pins them; reinstalled when a lock changes.
# No install scripts are needed or run. The tests' checkers (axe-core, the Nu HTML Checker)
# are at the top; Lighthouse, which only `make lighthouse` runs, has a folder of its own.
LIGHTHOUSE_DIR := scripts/lighthouse-cli

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

$(LIGHTHOUSE_DIR)/node_modules/.package-lock.json: $(LIGHTHOUSE_DIR)/package.json $(LIGHTHOUSE_DIR)/package-lock.json
	npm ci --prefix $(LIGHTHOUSE_DIR) --ignore-scripts --no-audit --no-fund
	@touch $@

# Each rebuild renders again only what the save changed (blogpost/speed/incremental.py: the
# speed plugin makes serve's builds dirty and decides itself which pages are stale).
serve: $(VENV)/.site ## Live preview on http://127.0.0.1:8000 (drafts and scheduled posts shown)
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

build: $(VENV)/.site ## Strict production build into site/
	$(BIN)/mkdocs build --strict --clean

test: $(VENV)/.test node_modules/.package-lock.json ## Set up and run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The unit and site tests: no browser, no Java, no large corpus; on every core (about 40 s
# on 2 cores).
test-fast: $(VENV)/.test ## The fast tier: everything but browser, Java and large-corpus tests
	$(BIN)/python -m pytest -n auto -m "not browser and not java and not corpus" $(PYTEST_ARGS)

# Offline, every link and resource on this site; LINKS_ARGS="--external" checks the links to other
# hosts too (network; the weekly links workflow does), and --help lists the other options.
links: build $(VENV)/.links ## Build, then check every link on the site (LINKS_ARGS="--external": other hosts too)
	$(BIN)/python scripts/check_links.py $(LINKS_ARGS)

# TITLE, TAGS (and optional AUTHORS, DESCRIPTION, DATE) reach the script through the environment.
post: $(VENV)/.site ## New draft post: make post TITLE="..." TAGS="AI,Learning"
	@$(BIN)/python scripts/new_post.py

# Builds the site into a temporary folder; keeps the listed addresses that still redirect or
# belong to a draft, and prints what it adds and drops (tests/test_urls.py holds builds to the list).
urls: $(VENV)/.site ## Rewrite docs/.urls.txt, every address the site publishes, from a clean build
	$(BIN)/python scripts/urls.py

lighthouse: build $(LIGHTHOUSE_DIR)/node_modules/.package-lock.json ## Lighthouse scores (mobile) for home, a post, a tag page
	$(BIN)/python scripts/lighthouse.py

.PHONY: bench
bench: $(VENV)/.test ## Build benchmark: ours vs bare Material at 100/1000/3000 posts (BENCH_ARGS="--sizes 100,1000 --runs 3 --patch-shares")
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

.PHONY: bench-search
bench-search: $(VENV)/.test ## Search benchmark: our box vs Material's search, 1000 synthetic posts (BENCH_SEARCH_ARGS="--posts 300 --runs 3")
	$(BIN)/python scripts/bench_search.py $(BENCH_SEARCH_ARGS)

# Headless Chromium over a fresh strict build; PNGs reduced to 256 colours (scripts/screenshots.py).
.PHONY: screenshots
screenshots: $(VENV)/.test ## Regenerate the README's screenshots in .github/screenshots/ (phone and desktop, light and dark)
	$(BIN)/python scripts/screenshots.py $(SCREENSHOTS_ARGS)

# The pin files are generated, never edited: pip-tools runs from its own throwaway venv,
# itself installed from hashed pins (requirements-tools.in says more).
PINS := .pins
PIN_FILES := requirements-pip requirements-tools requirements requirements-links requirements-test
pins: ## Regenerate the hashed requirements*.txt from the requirements*.in files
	$(PYTHON) -m venv $(PINS)
	$(PINS)/bin/python -m pip install --quiet --require-hashes -r requirements-pip.txt
	$(PINS)/bin/python -m pip install --quiet --require-hashes -r requirements-tools.txt
	for name in $(PIN_FILES); do \
	  $(PINS)/bin/pip-compile --quiet --allow-unsafe --generate-hashes --no-emit-options \
	    --output-file=$$name.txt --strip-extras $$name.in || exit 1; \
	done

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf site .pytest_cache .cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
