# 校园后勤 — the two commands of the README, and the steps they share.
# make run   set up, load the demo school once, serve it on http://127.0.0.1:$(PORT)
# make test  set up with test tools and Chromium, check the import contracts, run the whole suite
#            ($DATABASE_URL picks the database)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := logistics.settings

.PHONY: run test bench setup setup-test system-deps system-deps-test venv dotenv migrate messages lint clean

run: setup
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-true} $(PY) manage.py collectstatic --noinput -v 0
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl-C stops), with the background-job worker beside it"
	@# The worker (manage.py db_worker) runs the background jobs (the register's PDF, Excel, labels); it stops when
	@# gunicorn stops, however gunicorn stops.
	DEBUG=$${DEBUG:-true} $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	DEBUG=$${DEBUG:-true} $(VENV)/bin/gunicorn logistics.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

test: setup-test
	$(VENV)/bin/lint-imports --no-cache
	TESTING=true $(PY) -m pytest $(PYTEST_ARGS)

# The benchmark (README, "Performance"): against $DATABASE_URL (PostgreSQL, the demo or the large data),
# served by gunicorn with DEBUG off; writes bench/latest.json and bench/latest.md. BENCH_SECONDS, BENCH_N, … in
# scripts/bench/__main__.py.
bench: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) -m scripts.bench

# Backups (README, "Backups"): one dated folder under $BACKUP_DIR (backups/) with the database, the uploaded files
# and a manifest; `make restore BACKUP=folder` restores into $DATABASE_URL and $MEDIA_ROOT and checks them (FORCE=1
# to overwrite). The soak (README, "Load and soak"): SOAK_SECONDS (600) of several roles' reads and writes through
# gunicorn with wrk. Both need PostgreSQL's client programs (pg_dump, pg_restore) and wrk from Debian.
.PHONY: backup restore soak system-deps-ops
backup: setup system-deps-ops
	$(PY) -m scripts.backup backup

restore: setup system-deps-ops
	$(PY) -m scripts.backup restore "$(BACKUP)"

soak: setup system-deps-ops
	$(PY) manage.py migrate --noinput -v 0
	$(PY) -m scripts.soak

system-deps-ops:
	@command -v pg_dump >/dev/null && command -v pg_restore >/dev/null || bash scripts/apt-install.sh postgresql-client
	@command -v wrk >/dev/null || bash scripts/apt-install.sh wrk

setup: system-deps venv dotenv
	$(VENV)/bin/pip install -q -e .
	-$(MAKE) -s messages

setup-test: system-deps system-deps-test system-deps-ops venv dotenv
	$(VENV)/bin/pip install -q -e '.[test]'
	-$(MAKE) -s messages

# A checkout for trying and developing runs in DEBUG, so manage.py works without a SECRET_KEY;
# production never has this file (it sets real environment variables).
dotenv:
	@test -f .env || printf 'DEBUG=true\n' > .env

venv:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --upgrade pip

# What WeasyPrint needs to print Chinese: a CJK font, and harfbuzz's subsetter (it makes fonts small and fast).
SYSTEM_PACKAGES := fonts-wqy-microhei libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext
system-deps:
	@bash scripts/apt-install.sh $(SYSTEM_PACKAGES)

system-deps-test:
	@bash scripts/apt-install.sh chromium poppler-utils

messages:
	@if command -v msgfmt >/dev/null; then DEBUG=true $(PY) manage.py compilemessages -v 0 --ignore=.venv; \
	else echo "msgfmt not found: using the committed .mo files"; fi

lint:
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
