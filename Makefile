# PACS Program Advisor — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   ?= .venv
BIN    := $(VENV)/bin
RASA   := $(BIN)/rasa
PY     := $(BIN)/python
# Python 3.10 (Rasa 3.6 needs it): $(PYTHON) if given, else the first candidate that really
# runs as 3.10 — python3.10 on PATH, then pyenv's 3.10 (whose shim alone may refuse to run).
PY310_CANDIDATES = python3.10 $$(pyenv root 2>/dev/null)/versions/3.10*/bin/python3.10 \
	/usr/local/bin/python3.10 /usr/bin/python3.10
PYTHON ?= $(shell for p in $(PY310_CANDIDATES); do \
	"$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1 \
	&& { command -v "$$p"; break; }; done)

RASA_PORT    ?= 5005
ACTIONS_PORT ?= 5055
WEB_PORT     ?= 8080
# Rasa worker processes of make run: one per core of a 2-core machine (locks shared through
# var/locks.db, or Redis with LOCK_STORE_URL: stores/locks.py)
SANIC_WORKERS ?= 2
MODEL        := models/current.tar.gz
TRAIN_INPUTS := config.yml domain.yml $(wildcard data/*.yml) $(wildcard components/*.py) \
	advisor/matching.py advisor/knowledge.py

export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)

.PHONY: help venv venv-dev system-deps train run run-cluster test lint unit validate story-test \
	integration chaos eval eval-diet bench report prune heldout conversations clean

help:
	@echo "make run          set up (venv, training when needed) and start the bot: REST and"
	@echo "                  socket.io on :$(RASA_PORT), actions on :$(ACTIONS_PORT), web chat on :$(WEB_PORT)"
	@echo "make test         lint, unit tests, data validation, training, story tests, live tests"
	@echo "                  (first installs Debian's chromium and nginx-light when root)"
	@echo "make run-cluster  2 Rasa + 2 action servers behind nginx, PostgreSQL + Redis"
	@echo "make eval         cross-validation, entities, stories, held-out questions, real questions"
	@echo "                  (tests/realq), parsing agreement, conversation suite -> reports/eval.md"
	@echo "make conversations  the scripted multi-turn conversations (tests/conversations) against a"
	@echo "                  fresh bot -> reports/conversations.md (URL=http://localhost:5005 for make run's)"
	@echo "make eval-diet    the same, plus the seeded DIET baseline on the same folds (~10 min more)"
	@echo "make bench        latency/throughput/memory vs a stock rasa init bot -> reports/bench.md"
	@echo "make report       unanswered questions by reason, program and library topic -> reports/unanswered.md"
	@echo "make prune        delete conversations idle for more than RETENTION_DAYS (365)"

# --- set-up: the runtime set (make run), the development set too (make test) --------------
$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" || { echo "Python 3.10 not found: install it or set PYTHON=/path/to/python3.10"; exit 1; }
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 10), sys.version' \
		|| { echo "$(PYTHON) is not Python 3.10"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps -r requirements.txt
	touch $@

# Development set on top: pytest, playwright, ruff, black, mypy (requirements-dev.txt).
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

venv-dev: $(VENV)/.installed-dev

# Debian packages of the browser and cluster tests (chromium, nginx-light): installed with
# apt-get when run as root, else the apt-get command is printed and the run stops. A no-op
# when they are there.
SYSTEM_PACKAGES := chromium nginx-light
system-deps:
	@bash scripts/system_deps.sh $(SYSTEM_PACKAGES)

$(MODEL): $(VENV)/.installed $(TRAIN_INPUTS)
	$(RASA) train --fixed-model-name current --out models
	@touch $@

train: $(MODEL)

# --- run ----------------------------------------------------------------------------------
run: $(MODEL)
	@mkdir -p var
	@$(PY) -m scripts.conversation_ids
	@creds=credentials.yml; \
	if [ -n "$$SLACK_BOT_TOKEN" ] && [ -n "$$SLACK_APP_TOKEN" ]; then \
		creds=var/credentials.yml; cp credentials.yml $$creds; \
		printf '\nchannels.slack_socket.AdvisorSlackSocketInput:\n' >> $$creds; \
		echo "Slack enabled in Socket Mode: the bot connects to Slack, no public URL needed"; \
	elif [ -n "$$SLACK_BOT_TOKEN" ] && [ -n "$$SLACK_SIGNING_SECRET" ]; then \
		creds=var/credentials.yml; cp credentials.yml $$creds; \
		printf '\nchannels.slack.AdvisorSlackInput:\n' >> $$creds; \
		echo "Slack enabled: request URL <public https URL>/webhooks/slack/webhook"; \
	fi; \
	echo "Action server :$(ACTIONS_PORT), Rasa :$(RASA_PORT), web chat http://localhost:$(WEB_PORT)/ (Ctrl-C stops all)"; \
	trap 'kill 0' EXIT INT TERM; \
	$(PY) -m actions.server --host 127.0.0.1 --port $(ACTIONS_PORT) & \
	SANIC_WORKERS=$(SANIC_WORKERS) $(PY) -m scripts.rasa_server run --model $(MODEL) \
		--port $(RASA_PORT) --credentials $$creds --endpoints endpoints.yml \
		--cors "http://localhost:$(WEB_PORT)" & \
	$(PY) -m scripts.pages $(WEB_PORT) --bind 127.0.0.1 --directory web & \
	wait

# Scale-out profile: 2 Rasa + 2 action servers behind nginx, PostgreSQL tracker store, Redis
# lock store. TRACKER_STORE_URL / LOCK_STORE_URL / PORT override the local defaults.
run-cluster: $(MODEL)
	@bash scripts/system_deps.sh nginx-light
	$(PY) -m scripts.cluster

# --- quality ------------------------------------------------------------------------------
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check advisor actions channels components stores scripts tests
	$(BIN)/black --check --quiet advisor actions channels components stores scripts tests
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/pytest -q -m "not live" tests

validate: $(VENV)/.installed
	$(RASA) data validate --fail-on-warnings

# --e2e: the user's text goes through the NLU, so the stories test understanding and rules together.
story-test: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml --e2e \
		--fail-on-prediction-errors --out reports/story-test

integration: system-deps $(VENV)/.installed-dev $(MODEL)
	$(BIN)/pytest -q -m live tests

# Fault injection alone (also part of `integration`): servers killed, hung or flooded, hostile
# bodies, takeover attempts, a Slack event replayed after a restart; -s prints the figures.
chaos: system-deps $(VENV)/.installed-dev $(MODEL)
	$(BIN)/pytest -q -s -m chaos tests

# system-deps first: a machine without chromium or nginx stops here, not after the slow steps.
test: system-deps lint unit validate story-test integration
	@echo "All checks passed."

eval: $(MODEL)
	$(PY) -m scripts.evaluate

eval-diet: $(MODEL)
	$(PY) -m scripts.evaluate --diet-baseline

bench: $(MODEL)
	$(PY) -m scripts.bench

report: $(VENV)/.installed
	$(PY) -m scripts.report

# Delete conversations idle for more than RETENTION_DAYS (default 365).
prune: $(VENV)/.installed
	$(PY) -m scripts.retention

heldout: $(VENV)/.installed
	@echo "Replaying held-out questions against http://localhost:$(RASA_PORT) (start it with make run)"
	$(PY) -m scripts.heldout --url http://localhost:$(RASA_PORT)

# The scripted conversations of tests/conversations against a freshly started bot, or against
# a running one with URL=http://localhost:5005 (make run).
conversations: $(MODEL)
	$(PY) -m scripts.conversations $(if $(URL),--url $(URL))

clean:
	rm -rf models reports/story-test results
