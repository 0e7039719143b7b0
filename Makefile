# Pôle social — the entry points. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.txt | sha1sum | cut -c1-12)
CHROMIUM ?= /usr/bin/chromium
# Services, rules and the privacy core are type-checked (STYLE.md: type hints on services).
TYPED := $(filter-out polesocial/privacy/%,$(wildcard polesocial/*/services.py polesocial/*/services/*.py polesocial/*/rules.py)) polesocial/privacy
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install demo demo-code serve test test-fast quality format lock bench stress browser system-demo clean backup restore

help:
	@echo "make demo     installe, migre, charge la démo et sert http://127.0.0.1:8000"
	@echo "make serve    réglages de production, PostgreSQL, gunicorn et worker (essai local)"
	@echo "make test     installe et lance toute la suite de tests"
	@echo "make quality  ruff, djlint, migrations à jour"
	@echo "make bench    mesures de performance"
	@echo "make backup FICHIER=…   sauvegarde chiffrée (BACKUP_ENCRYPTION_KEY)"
	@echo "make restore FICHIER=…  simulation ; RESTORE_ARGS=--wet-run pour restaurer"
	@echo "make stress   charge (50 ASS) et pannes (kill -9) sur un PostgreSQL jetable"

$(STAMP): requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Debian packages: Pango for WeasyPrint's PDF (demo and tests), Chromium for the browser
# tests (never a browser download of Playwright's own), poppler-utils to read PDFs in tests.
DEMO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(DEMO_PACKAGES) chromium poppler-utils

define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installation des paquets Debian : $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-demo:
	$(call apt_install,$(DEMO_PACKAGES))

browser:
	$(call apt_install,$(TEST_PACKAGES))

demo: install system-demo
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo
	@echo "Serveur : http://127.0.0.1:8000 — arrêt avec Ctrl+C."
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:8000

# The production settings (config.settings.base) served by gunicorn with the task worker,
# on http://127.0.0.1:$(SERVE_PORT), for a smoke test before a deployment (README
# « Déploiement »). Needs DATABASE_URL (PostgreSQL), DJANGO_SECRET_KEY,
# FIELD_ENCRYPTION_KEYS, AUDIT_HMAC_KEY and BLIND_INDEX_KEY in the environment; plain http
# on the loopback only, so HTTPS redirection and HSTS are off unless set.
SERVE_PORT ?= 8000
serve: export DJANGO_SETTINGS_MODULE = config.settings.base
serve: export SECURE_SSL_REDIRECT ?= false
serve: export SECURE_HSTS_SECONDS ?= 0
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export GUNICORN_BIND = 127.0.0.1:$(SERVE_PORT)
serve: install system-demo
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make serve essaie la production : DATABASE_URL=postgres://utilisateur:motdepasse@hote:5432/base"; exit 2;; esac
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py check --deploy --database default
	@echo "Serveur : http://127.0.0.1:$(SERVE_PORT) (santé : /sante/) — arrêt avec Ctrl+C."
	@$(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn -c deploy/gunicorn.conf.py

demo-code: install
	@$(BIN)/python manage.py demo_totp $(EMAIL)

test: install browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not e2e" -x

quality: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djlint --check polesocial
	$(BIN)/djlint --lint polesocial
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy $(TYPED)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djlint --reformat polesocial || true

# Regenerate the lock files (needs uv: pip install uv).
lock:
	cd requirements && uv pip compile --python-version 3.11 --universal --generate-hashes -q base.in -o base.txt
	cd requirements && uv pip compile --python-version 3.11 --universal --generate-hashes -q dev.in -o dev.txt

# Encrypted backup and restore (README « Sauvegardes »); BACKUP_ENCRYPTION_KEY in the
# environment. `make restore` is a dry run unless RESTORE_ARGS=--wet-run.
backup: install
	@test -n "$(FICHIER)" || { echo "Indiquez le fichier : make backup FICHIER=chemin"; exit 2; }
	$(BIN)/python manage.py backup "$(FICHIER)"

restore: install
	@test -n "$(FICHIER)" || { echo "Indiquez le fichier : make restore FICHIER=chemin [RESTORE_ARGS=--wet-run]"; exit 2; }
	$(BIN)/python manage.py restore "$(FICHIER)" $(RESTORE_ARGS)

# The micro-bench (bench/results-micro.json, not kept), the statistical secret's measure on
# the demo (bench/results-disclosure.json, not kept), then the product at region and
# national size on SQLite and a throwaway PostgreSQL (bench/results.json, committed).
# BENCH_ARGS, e.g. "--sizes region --databases sqlite" for a shorter run. See bench/README.md.
bench: install
	$(call apt_install,postgresql)
	$(BIN)/python -m bench --output bench/results-micro.json
	$(BIN)/python -m bench.disclosure
	$(BIN)/python -m bench.scale $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3*

# Load and crash drills on a throwaway PostgreSQL cluster (never part of `make test`):
# STRESS_USERS (50), STRESS_DURATION (seconds, 300 at most). See README « Charge et pannes ».
# PostgreSQL from Debian when absent (its initdb and postgres binaries; no cluster of its own used).
stress: install
	$(call apt_install,postgresql)
	$(BIN)/python -m stress $(STRESS_ARGS)
