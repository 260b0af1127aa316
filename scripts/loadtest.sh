#!/usr/bin/env bash
# Load test on this machine only (loopback): the site under gunicorn on PostgreSQL, driven by
# locust (headless) with a mix of search, speaker, quote and API requests. Prints requests/s,
# p50/p95/p99 and the error count; exits 1 on any error or when p99 is over P99_LIMIT_MS.
#
#   ./scripts/loadtest.sh            # 50 users for 60 s against quotes_web_load
#   USERS=20 DURATION=30s QUOTES=20000 ./scripts/loadtest.sh
#
# The database (LOAD_DB, default quotes_web_load) gets the seed articles plus QUOTES synthetic
# quotes the first time; later runs reuse it. Settings are the production ones (DEBUG=0) with a
# throwaway SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and no HTTPS redirect (plain HTTP on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."

LOAD_DB="${LOAD_DB:-quotes_web_load}"
PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
QUOTES="${QUOTES:-100000}"
USERS="${USERS:-50}" SPAWN_RATE="${SPAWN_RATE:-25}" DURATION="${DURATION:-60s}"
WORKERS="${WORKERS:-2}" THREADS="${THREADS:-6}"
P99_LIMIT_MS="${P99_LIMIT_MS:-500}"
OUT="${OUT:-/tmp/quotes_loadtest}"

case "$PGHOST" in 127.*|localhost|::1) ;; *) echo "loadtest runs against loopback only" >&2; exit 2 ;; esac

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt

export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${LOAD_DB}"
export DEBUG=0 SECRET_KEY="loadtest-throwaway-$(date +%s)-$RANDOM$RANDOM" ALLOWED_HOSTS=127.0.0.1
# One page cache for all workers (the Redis server of this machine), unless told otherwise.
export CACHE_URL="${CACHE_URL-redis://127.0.0.1:6379/3}"
export SECURE_SSL_REDIRECT=0 CONN_MAX_AGE="${CONN_MAX_AGE:-600}" LOG_LEVEL=ERROR
PY=.venv/bin/python

psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -tAc "SELECT 1 FROM pg_database WHERE datname='${LOAD_DB}'" | grep -q 1 \
  || psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qc "CREATE DATABASE ${LOAD_DB}"
echo "== preparing ${LOAD_DB}"
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
seeded=$($PY manage.py shell -v 0 -c "from quotes.models import Article; print(Article.objects.exclude(source_file__startswith='synthetic/').exists())")
[ "$seeded" = True ] || $PY manage.py ingest_articles seeds >/dev/null
have=$($PY manage.py shell -v 0 -c "from quotes.models import Quote; print(Quote.objects.filter(method='synthetic').count())")
if [ "$have" -lt "$QUOTES" ]; then
  $PY manage.py fill_synthetic --quotes $((QUOTES - have)) --seed "$(date +%s)"
fi
psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$LOAD_DB" -qc "VACUUM ANALYZE" >/dev/null
mkdir -p "$OUT"
$PY manage.py shell -v 0 -c "
import json
from quotes.models import Article, Quote, Speaker
public = Quote.objects.exclude(status='rejected')
print(json.dumps({
    'quotes': list(public.order_by('?').values_list('pk', flat=True)[:500]),
    'speakers': list(Speaker.objects.filter(quotes__in=public.values('pk')).distinct().values_list('slug', flat=True)[:100]),
    'articles': list(Article.objects.order_by('?').values_list('pk', flat=True)[:200]),
}))" > "$OUT/samples.json"

# A free loopback port (another server may hold any fixed one).
PORT="${PORT:-$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" --workers "$WORKERS" --threads "$THREADS" \
  --worker-class gthread --max-requests 0 --timeout 30 --log-level warning --error-logfile "$OUT/gunicorn.log" &
GUNICORN_PID=$!
trap 'kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "gunicorn did not start:" >&2; tail -5 "$OUT/gunicorn.log" >&2; exit 1; }
  curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/api/openapi.json" 2>/dev/null && break
  sleep 0.5
done
echo "== $($PY manage.py shell -v 0 -c "from quotes.models import Quote; print(Quote.objects.count())") quotes; gunicorn ${WORKERS} workers x ${THREADS} threads on 127.0.0.1:${PORT}"

echo "== locust: ${USERS} users, ${DURATION}"
SAMPLES="$OUT/samples.json" .venv/bin/locust -f scripts/locustfile.py --headless --host "http://127.0.0.1:${PORT}" \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$DURATION" --stop-timeout 10 \
  --csv "$OUT/locust" --only-summary --loglevel WARNING > "$OUT/locust.out" 2>&1 || true
[ -s "$OUT/locust_stats.csv" ] || { tail -20 "$OUT/locust.out"; exit 1; }

$PY - "$OUT/locust_stats.csv" "$P99_LIMIT_MS" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
limit = float(sys.argv[2])
print(f"{'request':38} {'count':>7} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
for r in rows:
    print(f"{r['Name'][:38]:38} {r['Request Count']:>7} {r['Failure Count']:>5} {r['50%']:>6} {r['95%']:>6} {r['99%']:>6}")
total = next(r for r in rows if r["Name"] == "Aggregated")
errors = int(total["Failure Count"])
p99 = float(total["99%"])
print(f"\nrequests/s: {float(total['Requests/s']):.1f}  requests: {total['Request Count']}  "
      f"p50: {total['50%']} ms  p95: {total['95%']} ms  p99: {total['99%']} ms  errors: {errors}")
ok = errors == 0 and p99 <= limit
print("PASS" if ok else f"FAIL (target: no errors, p99 <= {limit:.0f} ms)")
sys.exit(0 if ok else 1)
PY
