#!/usr/bin/env bash
# Fuzz the JSON API from its own OpenAPI schema with schemathesis, against the app under
# gunicorn on loopback (production settings, page cache off so every request reaches the code).
#
#   ./scripts/fuzz_api.sh                 # 200 examples per operation on quotes_web_load
#   MAX_EXAMPLES=1000 FUZZ_DB=quotes_web_fuzz ./scripts/fuzz_api.sh
#
# The database is migrated and, when empty, gets the seed articles. Exits non-zero on any
# server error or response that does not match the schema.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_DB="${FUZZ_DB:-quotes_web_load}"
MAX_EXAMPLES="${MAX_EXAMPLES:-200}"
CHECKS="${CHECKS:-not_a_server_error,response_schema_conformance}"
PY=.venv/bin/python
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${FUZZ_DB}"
export DEBUG=0 SECRET_KEY="fuzz-throwaway-$RANDOM$RANDOM$RANDOM" ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0
export PAGE_CACHE_SECONDS=0 LOG_LEVEL=ERROR
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='${FUZZ_DB}'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${FUZZ_DB}"
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
[ "$($PY manage.py shell -v 0 -c 'from quotes.models import Quote; print(Quote.objects.exists())')" = True ] \
  || $PY manage.py ingest_articles seeds >/dev/null
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" --workers 2 --threads 4 \
  --worker-class gthread --log-level warning 2>>"${FUZZ_LOG:-/tmp/quotes_fuzz_gunicorn.log}" &
GUNICORN_PID=$!
trap 'kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "gunicorn did not start" >&2; exit 1; }
  curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/api/openapi.json" 2>/dev/null && break
  sleep 0.5
done
.venv/bin/schemathesis run "http://127.0.0.1:${PORT}/api/openapi.json" --url "http://127.0.0.1:${PORT}" \
  --checks "$CHECKS" --max-examples "$MAX_EXAMPLES" --workers 2 --no-color "$@"
