# `make run`: set up and serve the site on SQLite. `make test`: set up and run the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format migrate superuser bench bench-import bench-http bench-cards bench-tasks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A stamp per requirements file, so an edited file reinstalls and an unchanged one is quick.
$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

migrate: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

superuser: migrate
	$(BIN)/python manage.py createsuperuser

# Coverage of the project's code is printed after the tests; below COVERAGE_FLOOR fails
# (96: the figure on SQLite and PostgreSQL when it was set, rounded down).
COVERAGE_FLOOR ?= 96
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR) $(PYTEST_ARGS)

# What CI checks before the tests: lint, formatting, and no model change without its migration.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmarks; each prints its table (they are not tests: nothing here is asserted in CI).
bench: bench-import bench-http bench-cards bench-tasks

# Bulk import vs per-row create_user, and the student changelist at 100 and 100,000
# students. `DATABASE_URL=postgres://… make bench-import` for PostgreSQL. BENCH_ARGS="--per-row 100"
# for a shorter run (1,000 Argon2 hashes take about 3 minutes).
bench-import: $(VENV)/.installed-run
	$(BIN)/python bench/import_bench.py $(BENCH_ARGS)

# HTTP throughput of the main pages under gunicorn + production settings (needs Debian's wrk).
bench-http: $(VENV)/.installed-test
	$(BIN)/python bench/http_bench.py $(HTTP_BENCH_ARGS)

# One POST of "Create student accounts" with 60 names, production hasher (Argon2): the time,
# and the share spent hashing. `DATABASE_URL=postgres://… make bench-cards` for PostgreSQL.
bench-cards: $(VENV)/.installed-run
	$(BIN)/python bench/cards_bench.py $(CARDS_BENCH_ARGS)

# The admin's "Send password reset emails" and "Approve" on 5,000 students with production's
# task backend: the POST (enqueues only) and `db_worker --batch` sending. Or with DATABASE_URL.
bench-tasks: $(VENV)/.installed-run
	$(BIN)/python bench/tasks_bench.py $(TASKS_BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache artifacts
