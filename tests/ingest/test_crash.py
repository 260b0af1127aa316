"""Crash safety: an ingest killed half-way and run again ends exactly where one clean run
ends, and two ingests of the same articles at the same time store everything once.

The ingests run as real `manage.py ingest_articles` processes, against file databases of
their own (SQLite) or against the test database (PostgreSQL), so a SIGKILL is a real kill.
"""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.corpus import write_corpus

ROOT = Path(__file__).resolve().parents[2]
N_ARTICLES = 20

SNAPSHOT_SQL = {
    "articles": "SELECT content_hash, title, outlet, body FROM quotes_article",
    "quotes": """SELECT a.content_hash, q.start, q."end", q.text, q.kind, s.name, o.name, q.status
                 FROM quotes_quote q JOIN quotes_article a ON a.id = q.article_id
                 LEFT JOIN quotes_speaker s ON s.id = q.speaker_id
                 LEFT JOIN quotes_organisation o ON o.id = q.organisation_id""",
    "speakers": """SELECT s.name, s.role, o.name FROM quotes_speaker s
                   LEFT JOIN quotes_organisation o ON o.id = s.organisation_id""",
    "speaker_aliases": """SELECT s.name, a.key FROM quotes_speakeralias a
                          JOIN quotes_speaker s ON s.id = a.speaker_id""",
    "organisations": "SELECT name, kind FROM quotes_organisation",
    "organisation_aliases": """SELECT o.name, a.key FROM quotes_organisationalias a
                               JOIN quotes_organisation o ON o.id = a.organisation_id""",
}


def snapshot(cursor) -> dict[str, Counter]:
    """Every row that matters, by content rather than by id (a Counter keeps duplicates visible)."""
    result = {}
    for name, sql in SNAPSHOT_SQL.items():
        cursor.execute(sql)
        result[name] = Counter(tuple(row) for row in cursor.fetchall())
    return result


def sqlite_snapshot(path: Path) -> dict[str, Counter]:
    with sqlite3.connect(path) as db:
        return snapshot(db.cursor())


def sqlite_count(path: Path, table: str) -> int:
    db = sqlite3.connect(path, timeout=5)
    try:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        db.close()


def ingest(database_url: str, folder: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "ingest_articles", str(folder)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(proc: subprocess.Popen, timeout=120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """An empty, migrated SQLite database file to copy (migrating once saves seconds per test)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return path


def fresh_sqlite(template: Path, target: Path) -> str:
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def test_ingest_killed_half_way_then_rerun_equals_one_clean_run(tmp_path, migrated_sqlite):
    corpus = write_corpus(tmp_path / "articles", N_ARTICLES)
    clean_url = fresh_sqlite(migrated_sqlite, tmp_path / "clean.sqlite3")
    crash_db = tmp_path / "crash.sqlite3"
    crash_url = fresh_sqlite(migrated_sqlite, crash_db)

    clean = ingest(clean_url, corpus)
    victim = ingest(crash_url, corpus)
    deadline = time.monotonic() + 90
    while sqlite_count(crash_db, "quotes_article") < 2:  # kill once the first articles are stored
        assert victim.poll() is None, "the ingest finished before it could be killed"
        assert time.monotonic() < deadline, "no article stored within 90 s"
        time.sleep(0.005)
    victim.send_signal(signal.SIGKILL)
    victim.communicate()
    assert victim.returncode == -signal.SIGKILL

    code, out, err = finish(clean)
    assert code == 0, err
    expected = sqlite_snapshot(tmp_path / "clean.sqlite3")
    assert sum(expected["articles"].values()) == N_ARTICLES

    after_kill = sqlite_snapshot(crash_db)
    stored = sum(after_kill["articles"].values())
    assert 2 <= stored < N_ARTICLES, "the kill must land half-way"
    # No half-stored article: each stored article has all of its quotes, and no other rows.
    hashes = {row[0] for row in after_kill["articles"]}
    assert after_kill["quotes"] == Counter({q: n for q, n in expected["quotes"].items() if q[0] in hashes})
    assert all(row in expected["articles"] for row in after_kill["articles"])

    code, out, err = finish(ingest(crash_url, corpus))
    assert code == 0, err
    assert f"articles: {N_ARTICLES - stored} new, {stored} unchanged, 0 failed" in out
    assert sqlite_snapshot(crash_db) == expected


@pytest.mark.django_db(transaction=True)
def test_two_ingests_of_the_same_articles_at_once_store_each_thing_once(tmp_path, migrated_sqlite):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises write transactions")
    s = connection.settings_dict
    pg_url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    forward = write_corpus(tmp_path / "forward", N_ARTICLES)
    backward = write_corpus(tmp_path / "backward", N_ARTICLES, prefix="copy-", reverse=True)
    reference_db = tmp_path / "reference.sqlite3"
    reference = ingest(fresh_sqlite(migrated_sqlite, reference_db), forward)

    # The second ingest reads the same articles in the opposite order under other file names,
    # so the two meet both on the same article and on the same new speakers.
    first, second = ingest(pg_url, forward), ingest(pg_url, backward)
    results = [finish(first), finish(second)]
    for code, out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "FAILED" not in err
    assert sum(int(out.split("articles: ")[1].split(" new")[0]) for _, out, _ in results) == N_ARTICLES

    code, _, err = finish(reference)
    assert code == 0, err
    expected = sqlite_snapshot(reference_db)
    with connection.cursor() as cursor:
        got = snapshot(cursor)
    for table in ("speakers", "speaker_aliases", "organisations", "organisation_aliases"):
        duplicates = [row for row, n in got[table].items() if n > 1]
        assert not duplicates, f"duplicate {table}: {duplicates}"
    assert Counter(r[0] for r in got["speakers"]) == Counter(r[0] for r in expected["speakers"])
    assert got["articles"] == expected["articles"]
    # Each article keeps exactly its quotes (spans and words) whoever stored it.
    spans = lambda snap: Counter(q[:5] for q in snap["quotes"].elements())  # noqa: E731
    assert spans(got) == spans(expected)


def _result(body_word: str, name: str, organisation: str):
    from quotes.extraction.types import ArticleMeta, ExtractedQuote, ExtractionResult, SpeakerMention

    body = f"“We will not accept {body_word},” said {name}, the union leader of the Harbour Workers Union."
    start = 1
    end = body.index("”")
    return ExtractionResult(
        meta=ArticleMeta(title=f"On {body_word}"),
        body=body,
        quotes=[ExtractedQuote(body[start:end], start, end, speaker=name,
                               organisation=organisation, cue="said", method="explicit", confidence=0.9)],
        speakers=[SpeakerMention(name, role="union leader", organisation=organisation)],
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_name, second_name", [
    ("Maria Costa", "Maria Costa"),  # same slug: the unique index alone would catch this one
    ("Sergei Lavrenko", "Sergey Lavrenko"),  # same person, other slug: only the ingest lock does
])
def test_a_new_speaker_stored_by_two_transactions_at_once_is_one_speaker(monkeypatch, first_name, second_name):
    """The first article's transaction is held open after it created the speaker; the second,
    for another article naming the same person, must wait for it and then reuse that speaker."""
    import threading

    from django.db import connections


    from quotes.models import Organisation, OrganisationAlias, Speaker, SpeakerAlias
    from quotes.ingest import pipeline, speakers as ingest_speakers, store

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises write transactions")
    reached, release = threading.Event(), threading.Event()
    refresh = ingest_speakers.speaker_refresh_profile

    def hold_first_transaction(speaker, *args, **kwargs):
        refresh(speaker, *args, **kwargs)
        if threading.current_thread().name == "first":
            reached.set()
            release.wait(10)

    monkeypatch.setattr(store, "speaker_refresh_profile", hold_first_transaction)
    outcomes, errors = {}, []

    def store_article(word, name, organisation):
        try:
            result = _result(word, name, organisation)
            outcomes[word] = store.article_store(result, pipeline.content_hash(word), f"{word}.txt")
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=store_article, args=("cuts", first_name, "Harbour Workers Union"), name="first")
    second = threading.Thread(target=store_article, args=("delays", second_name, ""), name="second")
    first.start()
    assert reached.wait(10)
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second transaction must wait for the first"
    release.set()
    first.join(10)
    second.join(10)
    assert not errors, errors
    assert {o.status for o in outcomes.values()} == {"new"}
    assert list(Speaker.objects.values_list("name", flat=True)) == [first_name]
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Harbour Workers Union"]
    assert set(SpeakerAlias.objects.values_list("name", flat=True)) == {first_name, second_name}
    assert OrganisationAlias.objects.count() == 1
    assert Speaker.objects.get().quotes.count() == 2
