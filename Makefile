# 昌平区“科技副总”平台 — one command to run, one to test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every package pinned with its hashes (issue 18 item 8): the dev lock for make/CI, the runtime lock for
# the Docker image. `make lock` refreshes both after pyproject.toml changes (keeping the other pins);
# `make lock UPGRADE=1` moves every package to its newest allowed version.
LOCK := requirements.lock
PROD_LOCK := requirements-prod.lock
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	--python-platform linux --no-header --quiet $(if $(UPGRADE),--upgrade)

# `make test` talks to the real services; override these for another server.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kjfz
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test system-packages install lock backup migrate seed messages lint audit worker beat check-deploy bench clean

# Reinstalls (in place, never recreating the virtualenv) when the lock or pyproject.toml is newer.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	touch $(STAMP)

install: $(STAMP)

lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet uv
	$(UV_COMPILE) --extra dev -o $(LOCK)
	$(UV_COMPILE) -c $(LOCK) -o $(PROD_LOCK)

messages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then \
		DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --verbosity 0; \
	else echo "msgfmt not found: using the committed .mo catalogues"; fi

migrate: $(STAMP)
	mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput

seed: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo

run: messages seed
	@echo ""
	@echo "  昌平区“科技副总”平台 running at http://127.0.0.1:8000/  (Ctrl-C to stop)"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The Debian packages first (installed when root, else one line naming them and the command): the
# suite never runs half-equipped (fonts missing, browser journeys skipped).
system-packages:
	@scripts/system-packages.sh

test: system-packages messages
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-not-for-production-use} $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

# Security audit (issue 9 item 18): known vulnerabilities of the installed packages (PyPI's advisory
# data) and bandit's medium/high findings in our code (justified exceptions carry `# nosec <id>`).
audit: $(STAMP)
	$(VENV)/bin/pip-audit --vulnerability-service pypi --progress-spinner off
	$(VENV)/bin/bandit -ll -q -r . -x ./.venv,./tests,./var,./node_modules,./static 2>/dev/null

worker: $(STAMP)
	$(VENV)/bin/celery -A config worker --loglevel=info

beat: $(STAMP)
	$(VENV)/bin/celery -A config beat --loglevel=info --schedule var/celerybeat-schedule

# Throwaway secrets for the check only (random SECRET_KEY, Fernet, blind-index and audit keys each run).
check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-string-for-the-check-only \
		FIELD_ENCRYPTION_KEYS=$$($(PY) -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
		BLIND_INDEX_KEY=check-deploy-blind-index-$$($(PY) -c 'import secrets; print(secrets.token_hex(16))') \
		AUDIT_HMAC_KEYS=check:$$($(PY) -c 'import secrets; print(secrets.token_hex(32))') \
		ALLOWED_HOSTS=kjfz.example.gov.cn SECURE_SSL_REDIRECT=1 \
		$(PY) manage.py check --deploy --fail-level WARNING

# Backup (issue 18 item 7): pg_dump of DATABASE_URL and a tar of MEDIA_ROOT into var/backups/<time>/;
# restore with scripts/restore.sh. Escrow the encryption, blind-index and audit keys separately.
backup:
	DATABASE_URL=$${DATABASE_URL:?set DATABASE_URL to the database to back up} scripts/backup.sh

# Benchmarks (not tests): every bench/bench_*.py against PostgreSQL; results in var/bench/results.json.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kjfz_bench
# Generates the province-scale data once (generate_bench_data), starts gunicorn and a Celery worker on
# loopback for the load and letters figures, and needs wrk for the load test (apt-get install -y wrk).
# The letters are signed with the demo certificate (the one seed_demo makes, under its demo passphrase).
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || echo "wrk not found: the load figures will fail — install it with: apt-get install -y wrk"
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		SECRET_KEY=$${SECRET_KEY:-bench-only-secret-key} DEBUG=0 CONN_MAX_AGE=$${CONN_MAX_AGE:-60} \
		FIELD_ENCRYPTION_KEYS=$${FIELD_ENCRYPTION_KEYS:-YmVuY2gtb25seS1maWVsZC1lbmNyeXB0aW9uLWtleTA=} \
		BLIND_INDEX_KEY=$${BLIND_INDEX_KEY:-bench-only-blind-index-key} \
		DOCUMENT_SIGNING_PASSPHRASE=$${DOCUMENT_SIGNING_PASSPHRASE:-kjfz-demo-signing-only} \
		$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/db.sqlite3
