# Two entry points: `make run` (the whole pipeline on embedded defaults) and
# `make test`. Both build the virtualenv themselves from the pinned requirements.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv bootstrap clean chromium

venv: $(STAMP)

$(STAMP): requirements/base.txt requirements/dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

bootstrap: $(STAMP)
	$(BIN)/python manage.py bootstrap

# honcho runs web, worker, beat, flower and the mail sink; Ctrl-C stops them all.
run: bootstrap
	PATH="$(CURDIR)/$(BIN):$$PATH" exec $(BIN)/honcho --procfile Procfile start

# The browser tests drive Debian's chromium (never a browser downloaded by
# `playwright install`). Installed here when missing and we may; otherwise we
# say how, and the browser tests fail naming this target.
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "chromium: $(CHROMIUM) present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "chromium: $(CHROMIUM) missing; installing Debian's chromium with apt-get (1-2 min)"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && \
		echo "chromium: installed $$($(CHROMIUM) --version 2>/dev/null)"; \
	else \
		echo "chromium: $(CHROMIUM) missing and not root: run 'sudo apt-get install -y chromium'" \
			"(the browser tests fail until it is there)"; \
	fi

test: $(STAMP) chromium
	@echo "make test: database=$${DATABASE_URL:-embedded SQLite} broker=$${CELERY_BROKER_URL:-embedded filesystem}"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
