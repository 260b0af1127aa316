"""Search latency at scale: fill a separate benchmark database with N synthetic quotes, then
time the public pages and the API through Django's test client.

The benchmark database is never the developer's: `<db>_bench` on PostgreSQL (created and
migrated here), `<db file>_bench.sqlite3` next to the SQLite file. `--keep` reuses it when it
already holds N quotes, so a million-quote fill is paid once.

The corpus and its bulk loading are quotes/management/search_corpus.py.
"""
from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django.test import Client

from quotes.management.search_corpus import WORDS, fill

REQUEST_NAMES = ["search_word", "search_phrase", "search_speaker", "speaker_page", "quote_list_facets", "api_search"]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Command(BaseCommand):
    help = "Fill a separate benchmark database with N synthetic quotes and time search pages and the API."

    def add_arguments(self, parser):
        parser.add_argument("--quotes", type=int, default=100000)
        parser.add_argument("--requests", type=int, default=200, help="requests per kind (after 5 warm-up requests)")
        parser.add_argument("--keep", action="store_true", help="reuse the benchmark database when it holds N quotes")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--only", default="", help="comma-separated request names to time")
        parser.add_argument("--profile", default="", metavar="NAME",
                            help="instead of timing, print a pyinstrument profile of NAME's requests")
        parser.add_argument("--profile-all", action="store_true", help="show library frames in the profile")

    def handle(self, *args, quotes, requests, keep, **options):
        from quotes.models import Quote

        conn = connections["default"]
        out = self.stderr if options["json"] else self.stdout
        name = self.use_bench_database(conn)
        present = Quote.objects.count() if self.migrated(conn) else -1
        fill_timings = {}
        if not (keep and present == quotes):
            out.write(f"Filling {name} with {quotes} quotes ({conn.vendor})…\n")
            self.reset(conn)
            call_command("migrate", verbosity=0, interactive=False)
            fill_timings = fill(conn, quotes, out)
            out.write(f"  filled in {fill_timings['total_s']} s {fill_timings}\n")
        else:
            out.write(f"Reusing {name} ({present} quotes)\n")
            call_command("migrate", verbosity=0, interactive=False)  # indexes added since the fill
        if requests <= 0:
            return
        from django.test.utils import override_settings

        from config.runtime import prepare_for_serving

        # Timed as served in production: DEBUG off (no query log, no template debug data), and
        # the process prepared as config/wsgi.py prepares a server's.
        with override_settings(DEBUG=False):
            prepare_for_serving()
            if options["profile"]:
                self.show_all = options["profile_all"]
                self.stdout.write(self.profile(conn, options["profile"], requests))
                return
            latency, explain = self.measure(conn, requests, [n for n in options["only"].split(",") if n])
        result = {"quotes": quotes, "database": conn.vendor, "database_name": name, "requests": requests,
                  "fill": fill_timings, "latency_ms": latency}
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(f"\n{quotes} quotes on {conn.vendor} ({name}), {requests} requests each\n")
        self.stdout.write(f"{'request':<20}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}\n")
        for key, row in latency.items():
            self.stdout.write(f"{key:<20}{row['p50']:>10}{row['p95']:>10}{row['p99']:>10}\n")
        self.stdout.write("\nMain search query plan:\n" + explain + "\n")

    # Database handling -------------------------------------------------------------------------

    def use_bench_database(self, conn) -> str:
        settings = conn.settings_dict
        if conn.vendor == "sqlite":
            path = Path(str(settings["NAME"]))
            name = str(path.with_name(path.stem + "_bench.sqlite3"))
        else:
            name = f"{settings['NAME']}_bench"
            self.ensure_pg_database(conn, name)
        conn.close()
        settings["NAME"] = name
        return name

    def ensure_pg_database(self, conn, name: str) -> None:
        with conn._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{name}"')

    def migrated(self, conn) -> bool:
        return "quotes_quote" in conn.introspection.table_names()

    def reset(self, conn) -> None:
        if conn.vendor == "sqlite":
            conn.close()
            for suffix in ("", "-wal", "-shm"):
                Path(conn.settings_dict["NAME"] + suffix).unlink(missing_ok=True)
            return
        with conn.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")

    # Measuring ---------------------------------------------------------------------------------

    def request_plan(self, conn, rng: random.Random) -> dict[str, list]:
        from quotes.models import Quote, Speaker

        ids = list(Quote.objects.order_by("?").values_list("text", flat=True)[:300]) if conn.vendor != "postgresql" \
            else [row[0] for row in self.sample_texts(conn)]
        words = [w for w in WORDS[15:400] if len(w) > 3]
        phrases = []
        for text in ids:
            tokens = text.rstrip(".?!").lower().split()
            if len(tokens) >= 3:
                i = rng.randrange(len(tokens) - 1)
                phrases.append(f'"{tokens[i]} {tokens[i + 1]}"')
        top = list(Speaker.objects.order_by("id").values_list("name", "slug")[:1000])
        plan = {
            "search_word": [("/quotes/", {"q": rng.choice(words)}) for _ in range(50)],
            "search_phrase": [("/quotes/", {"q": rng.choice(phrases)}) for _ in range(50)],
            "search_speaker": [("/quotes/", {"q": rng.choice(words), "speaker": rng.choice(top[:200])[0]})
                               for _ in range(50)],
            "speaker_page": [(f"/speakers/{rng.choice(top)[1]}/", {}) for _ in range(50)],
            "quote_list_facets": [("/quotes/", rng.choice([{}, {"page": str(rng.randint(2, 20))},
                                                           {"outlet": f"Outlet {rng.randint(1, 5)}"},
                                                           {"kind": "partial", "sort": "oldest"}]))
                                  for _ in range(50)],
            "api_search": [("/api/quotes/", {"q": rng.choice(words)}) for _ in range(50)],
        }
        return plan

    def sample_texts(self, conn):
        with conn.cursor() as cursor:
            cursor.execute("SELECT text FROM quotes_quote TABLESAMPLE SYSTEM (1) LIMIT 300")
            return cursor.fetchall()

    def measure(self, conn, requests: int, only: list[str]):
        rng = random.Random(5)
        plan = self.request_plan(conn, rng)
        client = Client()
        latency = {}
        for name in REQUEST_NAMES:
            if only and name not in only:
                continue
            cases = plan[name]
            for path, params in cases[:5]:  # warm-up
                client.get(path, params)
            times = []
            for i in range(requests):
                path, params = cases[i % len(cases)]
                start = time.perf_counter()
                response = client.get(path, params)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, params, response.status_code)
            latency[name] = {f"p{p}": round(percentile(times, p), 1) for p in (50, 95, 99)}
        words = [params["q"] for _, params in plan["search_word"]]
        if conn.vendor != "postgresql":
            return latency, self.explain(conn, words[0])
        # The plan depends on how many quotes match: the most and the least common searched
        # word (stop words, which match nothing, left out).
        counted = sorted((n, w) for w in set(words) if (n := self.estimate(w)) >= 10)
        explain = "\n\n".join(self.explain(conn, w) for _, w in [counted[-1], counted[0]]) if counted else ""
        return latency, explain

    def estimate(self, word: str) -> int:
        from quotes import search, selectors
        from quotes.search.counting import estimated_count

        return estimated_count(search.match(selectors.public_quotes(), search.parse_query(word)))[0]

    def profile(self, conn, name: str, requests: int) -> str:
        """Where the time of one request kind goes (pyinstrument, from requirements-dev.txt)."""
        from pyinstrument import Profiler

        cases = self.request_plan(conn, random.Random(5))[name]
        client = Client()
        for path, params in cases[:5]:
            client.get(path, params)
        profiler = Profiler(interval=0.0005)
        with profiler:
            for i in range(requests):
                path, params = cases[i % len(cases)]
                client.get(path, params)
        return profiler.output_text(unicode=True, color=False, show_all=self.show_all)

    def explain(self, conn, word: str) -> str:
        """The plan of the candidate statement as the /quotes/ page runs it for `word`."""
        from quotes import search, selectors
        from quotes.search.ranking import explain_candidates

        found = search.quote_search({"q": word}, base=selectors.public_quotes())
        estimate = f" (estimated matches: {self.estimate(word)})" if conn.vendor == "postgresql" else ""
        return f"q={word!r}{estimate}\n" + explain_candidates(found.matched, found.parsed)
