# Gongkai: `make run` sets everything up and serves the demo with gunicorn (the production server);
# `make dev` serves it with Django's development server instead; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# gunicorn worker processes for `make run` (production: about 2 × CPU cores + 1; README, Deploying).
GUNICORN_WORKERS ?= 2
STAMP := $(VENV)/.installed

.PHONY: run dev static test test-fast test-browser lint format install migrate demo serve clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The demo signs in with a password alone unless GONGKAI_2FA_REQUIRED=1 is given (load_demo says so);
# production's default is to require the second factor.
demo run dev: export GONGKAI_2FA_REQUIRED ?= 0
# The footer identifiers of a government website, with demo values marked 演示 (README, Configuration).
run dev: export GONGKAI_SITE_SPONSOR ?= 示范县人民政府办公室（演示）
run dev: export GONGKAI_SITE_CODE ?= 0000000000（演示）
run dev: export GONGKAI_ICP ?= 示ICP备00000000号（演示）
run dev: export GONGKAI_PSB ?= 示公网安备 00000000000000号（演示）

demo: migrate
	$(BIN)/python manage.py load_demo

static: demo
	$(BIN)/python manage.py collectstatic --noinput -v 0

# gunicorn, as in production: static files from WhiteNoise, the access log on stdout.
run: static
	@echo "Gongkai: http://127.0.0.1:$(PORT)/  (staff: /staff/, admin: /admin/)"
	$(BIN)/gunicorn gongkai.wsgi:application --bind 127.0.0.1:$(PORT) \
		--workers $(GUNICORN_WORKERS) --timeout 60 --access-logfile - --error-logfile -

# Django's development server for developers: reloads on code changes.
dev: static
	@echo "Gongkai (development server): http://127.0.0.1:$(PORT)/  (staff: /staff/, admin: /admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

chromium:
	@bash scripts/ensure-chromium

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

# The whole suite: lint, unit and integration tests, then the browser journeys.
test: lint chromium
	$(BIN)/python -m pytest -p no:cacheprovider

test-fast: install
	$(BIN)/python -m pytest -p no:cacheprovider -m "not browser"

test-browser: install chromium
	$(BIN)/python -m pytest -p no:cacheprovider -m browser

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var
