"""The synthetic corpus of `bench_search` and its bulk loader: N quotes of Zipf-distributed
words, speakers, organisations and outlets, written straight into the tables.

Loading is bulk: COPY on PostgreSQL (the search_document row trigger fires for COPY; the
quote table's secondary indexes are dropped during the load and rebuilt after it), executemany
in large batches on SQLite (the FTS5 triggers fill quote_fts). Each quote gets its statement
keys from extraction.statements.statement_keys, as an ingested one does.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import random
import time

from django.core.management.color import no_style
from django.db import transaction
from django.utils import timezone

from quotes.extraction.names import name_key
from quotes.extraction.statements import statement_keys

WORDS = """
the of and to a in that is for it as was with be by on not he this are or his from at which
but have an they you were her she there been one all we their has would when if so no will
more can said who what about out up them into than its some could time only new like other
these two may first then do any now such people also over our well years most way state
government because after minister president country war peace talks deal security support
economy market prices inflation energy gas oil climate election vote parliament party policy
law court police military troops border sanctions trade tariffs exports growth jobs workers
health hospital vaccine schools children families budget taxes debt bank interest rates
agreement ceasefire negotiations diplomacy alliance nato union europe russia ukraine china
america britain france germany india africa region city village attack strike missile drone
forces defence aid humanitarian refugees crisis emergency disaster flood fire storm drought
water food farmers harvest prices housing rent homes crime justice rights freedom press media
journalists report evidence investigation inquiry scandal corruption reform change future
plan strategy decision response pressure responsibility leadership power control stability
development investment technology data internet companies industry jobs unemployment wages
strike union protest demonstrators streets capital officials spokesman statement announced
warned insisted believe think know want need must should cannot never always again together
important serious difficult clear strong critical necessary possible historic unprecedented
dangerous responsible fair open free safe better worse real whole full final next last early
week month year today tomorrow yesterday morning night decade century moment day hours
nation citizens voters public community society world international global national local
""".split()
FIRST = """Anna Maria Olga Elena Sofia Laura Julia Eva Ines Clara Marta Irina Nadia Leila Amira Fatima
Aisha Mei Yuki Priya Grace Emma Chloe Lucy Hannah Sarah Rachel Nina Vera Ada John James Peter
Paul Mark David Michael Thomas Robert William Charles Henry George Jean Pierre Louis Jacques
Carlos Jose Luis Miguel Pedro Juan Marco Luca Paolo Giorgio Hans Karl Otto Lars Sven Erik Jan
Piotr Pavel Sergey Dmitry Ivan Oleg Andriy Taras Mohammed Ahmed Ali Omar Hassan Kenji Hiroshi
Wei Li Chen Raj Arjun Vikram Kwame Kofi Ade Tunde Samuel Daniel Joseph Benjamin Adam Leo""".split()
LAST = """Smith Jones Brown Taylor Wilson Evans Thomas Roberts Walker Wright Green Hall Wood Clarke
Martin Bernard Dubois Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia Fernandez Lopez
Martinez Sanchez Perez Gomez Rossi Russo Ferrari Esposito Bianchi Romano Muller Schmidt Schneider
Fischer Weber Meyer Wagner Becker Hoffmann Novak Kowalski Nowak Wisniewski Ivanov Petrov Sidorov
Smirnov Kuznetsov Popov Shevchenko Bondarenko Kovalenko Tkachenko Khan Hussain Ahmed Rahman Ali
Hassan Ibrahim Yilmaz Kaya Demir Sahin Tanaka Suzuki Sato Takahashi Watanabe Wang Zhang Liu Chen
Yang Huang Zhao Kumar Singh Sharma Patel Gupta Mensah Okafor Adeyemi Nkosi Dlamini Silva Santos
Oliveira Souza Costa Pereira Andersen Nielsen Hansen Larsen Johansson Lindberg Virtanen Korhonen""".split()
ORG_PATTERNS = ["Ministry of {}", "{} Party", "{} Institute", "{} Council", "{} Bank", "{} Foundation",
                "{} Group", "Department of {}", "{} Commission", "{} Union"]
ROLES = ["minister", "spokesperson", "president", "senior official", "analyst", "director", "chairman",
         "ambassador", "mayor", "professor", "chief executive", "general secretary", "adviser", "economist"]
CUES = ["said", "told reporters", "told the BBC", "according to", "added", "warned", "insisted", "wrote"]


class Zipf:
    """Index 0..n-1 with probability ~ 1/(rank+1)^s, by bisection on the cumulative weights."""

    def __init__(self, n: int, s: float, rng: random.Random):
        self.rng, total, self.cum = rng, 0.0, []
        for k in range(1, n + 1):
            total += 1 / k**s
            self.cum.append(total)
        self.total = total

    def __call__(self) -> int:
        return bisect.bisect_left(self.cum, self.rng.random() * self.total)


class Corpus:
    """A deterministic synthetic corpus: sizes scale with the number of quotes."""

    def __init__(self, n_quotes: int, seed: int = 11):
        self.rng = rng = random.Random(seed)
        self.n_quotes = n_quotes
        self.n_articles = max(1, n_quotes // 10)
        self.n_speakers = max(50, min(20000, n_quotes // 50))
        self.n_orgs = max(20, min(2000, n_quotes // 500))
        self.n_outlets = max(5, min(300, n_quotes // 3000))
        self.word = Zipf(len(WORDS), 1.05, rng)
        self.speaker = Zipf(self.n_speakers, 1.0, rng)
        self.outlet = Zipf(self.n_outlets, 1.1, rng)
        self.org = Zipf(self.n_orgs, 1.0, rng)
        self.start_date = dt.date(2016, 1, 1)
        self.days = 365 * 9

    def sentence(self) -> str:
        n = self.rng.randint(6, 28)
        words = [WORDS[self.word()] for _ in range(n)]
        return " ".join(words).capitalize() + self.rng.choice(".....?!")

    def organisations(self):
        seen = set()
        for i in range(self.n_orgs):
            base = " ".join(w.capitalize() for w in self.rng.sample(WORDS[60:], 2))
            name = ORG_PATTERNS[i % len(ORG_PATTERNS)].format(base)
            while name in seen:
                name += f" {len(seen)}"
            seen.add(name)
            yield i + 1, name, f"org-{i + 1}", "other"

    def speakers(self):
        for i in range(self.n_speakers):
            name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
            if i >= len(FIRST) * len(LAST):
                name += f" {chr(65 + i % 26)}."
            org = self.org() + 1 if self.rng.random() < 0.7 else None
            yield i + 1, name, f"{name_key(name).replace(' ', '-')}-{i + 1}", self.rng.choice(ROLES), org

    def articles(self):
        """(article row, its quote rows, its (speaker, article) appearances) one article at a time."""
        per_article = self.n_quotes / self.n_articles
        quote_id = 0
        for a in range(self.n_articles):
            article_id = a + 1
            n = self.n_quotes - quote_id if a == self.n_articles - 1 else int(per_article * (a + 1)) - quote_id
            published = self.start_date + dt.timedelta(days=self.rng.randrange(self.days))
            outlet = f"Outlet {self.outlet() + 1}"
            parts, quotes, pairs, pos = [], [], set(), 0
            lead = self.sentence() + " " + self.sentence()
            parts.append(lead)
            pos = len(lead)
            for _ in range(n):
                quote_id += 1
                text = self.sentence()
                if self.rng.random() < 0.5:
                    text += " " + self.sentence()
                speaker = self.speaker() + 1 if self.rng.random() < 0.85 else None
                org = self.org() + 1 if (speaker is None or self.rng.random() < 0.3) else None
                cue = self.rng.choice(CUES)
                before = "\n\n“"
                start = pos + len(before)
                end = start + len(text)
                after = f",” {cue} the source."
                parts.append(before + text + after)
                pos = end + len(after)
                r = self.rng.random()
                status = "rejected" if r < 0.02 else ("verified" if r < 0.12 else "unreviewed")
                text_key, lead_key = statement_keys(text)
                quotes.append((quote_id, article_id, text, "full" if self.rng.random() < 0.8 else "partial", speaker,
                               "" if speaker else "a senior official", org, start, end, cue, "explicit",
                               round(self.rng.uniform(0.3, 1.0), 3), status, "", False, None, text_key, lead_key))
                if speaker:
                    pairs.add(speaker)
            body = "".join(parts)
            digest = hashlib.sha256(f"bench-{article_id}".encode()).hexdigest()
            article = (article_id, f"{self.sentence()[:-1]} ({article_id})", outlet, "Staff reporter", published,
                       f"https://example.org/{article_id}", body, digest, f"bench/{article_id}.txt")
            yield article, quotes, [(s, article_id) for s in sorted(pairs)]


ORG_COLS = ["id", "name", "slug", "kind", "wikidata_id", "created_at", "updated_at"]
SPEAKER_COLS = ["id", "name", "slug", "role", "organisation_id", "gender", "wikidata_id", "curated",
                "created_at", "updated_at"]
ARTICLE_COLS = ["id", "title", "outlet", "byline", "published", "url", "body", "content_hash", "source_file",
                "created_at", "updated_at"]
QUOTE_COLS = ["id", "article_id", "text", "kind", "speaker_id", "speaker_description", "organisation_id", "start",
              "end", "cue", "method", "confidence", "status", "reject_reason", "curated", "statement_group_id",
              "text_key", "lead_key", "created_at", "updated_at"]


class Loader:
    """Rows into tables: COPY on PostgreSQL, executemany in batches elsewhere."""

    def __init__(self, conn):
        self.conn = conn
        self.pg = conn.vendor == "postgresql"

    def sql_insert(self, table, cols):
        q = self.conn.ops.quote_name
        return f"INSERT INTO {q(table)} ({', '.join(q(c) for c in cols)}) VALUES ({', '.join(['%s'] * len(cols))})"

    def load(self, table: str, cols: list[str], rows) -> int:
        n = 0
        if self.pg:
            q = self.conn.ops.quote_name
            with self.conn.connection.cursor() as cursor:
                with cursor.copy(f"COPY {q(table)} ({', '.join(q(c) for c in cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        n += 1
            return n
        with self.conn.cursor() as cursor:
            sql = self.sql_insert(table, cols)
            while batch := list(itertools.islice(rows, 20000)):
                cursor.executemany(sql, batch)
                n += len(batch)
        return n


def fill(conn, n_quotes: int, out) -> dict:
    """Load a corpus of `n_quotes` quotes into the (empty, migrated) database; returns timings."""
    corpus = Corpus(n_quotes)
    loader = Loader(conn)
    now = timezone.now()
    timings = {}
    started = time.perf_counter()
    with transaction.atomic(using=conn.alias):
        secondary = _drop_secondary_indexes(conn) if loader.pg else []
        speakers = _load_people(loader, corpus, now)
        timings["people_s"] = round(time.perf_counter() - started, 1)
        _load_articles(loader, corpus, speakers, now, out, started)
        timings["quotes_s"] = round(time.perf_counter() - started, 1)
        _finish_load(conn, loader, secondary)
    with conn.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if loader.pg else "ANALYZE")
    timings["total_s"] = round(time.perf_counter() - started, 1)
    return timings


def _drop_secondary_indexes(conn) -> list[tuple[str, str]]:
    """Rebuilding an index once is much cheaper than maintaining it row by row: the quote
    table's indexes that back no constraint are dropped; returns (name, definition) of each."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'quotes_quote' "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        )
        secondary = cursor.fetchall()
        for name, _ in secondary:
            cursor.execute(f'DROP INDEX "{name}"')
    return secondary


def _load_people(loader: Loader, corpus: Corpus, now) -> list[tuple]:
    """Organisations, speakers and their aliases; returns the speaker rows."""
    from quotes.models import Organisation, Speaker, SpeakerAlias

    orgs = [(i, name, slug, kind, "", now, now) for i, name, slug, kind in corpus.organisations()]
    loader.load(Organisation._meta.db_table, ORG_COLS, iter(orgs))
    speakers = [(i, name, slug, role, org, "", "", False, now, now) for i, name, slug, role, org in corpus.speakers()]
    loader.load(Speaker._meta.db_table, SPEAKER_COLS, iter(speakers))
    loader.load(SpeakerAlias._meta.db_table, ["speaker_id", "name", "key"],
                ((s[0], s[1], name_key(s[1])) for s in speakers))
    loader.load("quotes_organisationalias", ["organisation_id", "name", "key"],
                ((o[0], o[1], name_key(o[1])) for o in orgs))
    return speakers


def _load_articles(loader: Loader, corpus: Corpus, speakers: list[tuple], now, out, started: float) -> None:
    """Articles, quotes and appearances stream together, one article's rows at a time."""
    from quotes.models import Article, Quote, SpeakerAppearance

    quote_rows, appearance_rows = [], []

    def articles():
        for article, quotes, pairs in corpus.articles():
            quote_rows.append(quotes)
            appearance_rows.append(pairs)
            yield article + (now, now)

    def drain(buffer):
        while buffer:
            yield from buffer.pop(0)

    # Three passes over one deterministic generator would triple the work; instead the
    # generator is consumed in slices and each slice's rows go to the three tables.
    gen = articles()
    loaded = 0
    roles = {s[0]: s[3] for s in speakers}
    org_of = {s[0]: s[4] for s in speakers}
    while True:
        batch = list(itertools.islice(gen, 5000))
        if not batch:
            break
        loader.load(Article._meta.db_table, ARTICLE_COLS, iter(batch))
        loaded += loader.load(Quote._meta.db_table, QUOTE_COLS, (q + (now, now) for q in drain(quote_rows)))
        loader.load(SpeakerAppearance._meta.db_table,
                    ["speaker_id", "article_id", "name_as_written", "role", "organisation_id"],
                    ((s, a, speakers[s - 1][1], roles[s], org_of[s]) for s, a in drain(appearance_rows)))
        out.write(f"  {loaded} quotes loaded ({time.perf_counter() - started:.0f} s)\n")


def _finish_load(conn, loader: Loader, secondary: list[tuple[str, str]]) -> None:
    """Sequences past the loaded ids, the dropped indexes rebuilt, the search index checked."""
    from quotes.models import Article, Organisation, Quote, Speaker, SpeakerAlias, SpeakerAppearance

    with conn.cursor() as cursor:
        for sql in conn.ops.sequence_reset_sql(no_style(), [Organisation, Speaker, SpeakerAlias, Article, Quote,
                                                            SpeakerAppearance]):
            cursor.execute(sql)
        if loader.pg:
            # Deferred foreign-key checks of the COPY must run before indexes can be built.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _, definition in secondary:
                cursor.execute(definition)
            cursor.execute("SELECT count(*) FROM quotes_quote WHERE search_document IS NULL")
            assert cursor.fetchone()[0] == 0, "search_document not filled"
        else:
            cursor.execute("SELECT (SELECT count(*) FROM quote_fts), (SELECT count(*) FROM quotes_quote)")
            fts, total = cursor.fetchone()
            assert fts == total, f"quote_fts has {fts} rows for {total} quotes"
