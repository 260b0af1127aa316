#!/usr/bin/env bash
# Install, migrate, ingest the seed articles and serve on SQLite at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py ingest_articles seeds
exec .venv/bin/python manage.py runserver "${PORT:-127.0.0.1:8000}"
