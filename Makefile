# Two entry points: `make run` (the whole pipeline on embedded defaults) and
# `make test`. Both build the virtualenv themselves from the pinned requirements.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv bootstrap clean

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

test: $(STAMP)
	@echo "make test: database=$${DATABASE_URL:-embedded SQLite} broker=$${CELERY_BROKER_URL:-embedded filesystem}"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
