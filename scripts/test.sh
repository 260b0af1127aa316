#!/usr/bin/env bash
# Install what the tests need and run the whole suite (DATABASE_URL selects the database).
# Browser tests drive Debian's chromium (never `playwright install`); it is installed here
# when missing so CI runs them instead of skipping them.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "== installing Debian's chromium for the browser tests"
    apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  else
    echo "!! /usr/bin/chromium is missing: the browser tests will fail (apt-get install -y chromium)" >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
