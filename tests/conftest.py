import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from quotes.extraction import load_nlp

    return load_nlp()


@pytest.fixture
def seed_dir(tmp_path):
    """A private copy of the seed articles."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def seeded_db(db, nlp):
    """The database after ingesting seeds/ once."""
    from django.core.management import call_command

    call_command("ingest_articles", str(SEEDS), stdout=open("/dev/null", "w"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request):
    """On PostgreSQL the test database is `<name>_test` (not Django's `test_<name>`), so it
    keeps the prefix of the database it belongs to (e.g. quotes_web -> quotes_web_test)."""
    from django.conf import settings

    for db in settings.DATABASES.values():
        if db["ENGINE"].endswith("postgresql") and not db.get("TEST", {}).get("NAME"):
            db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_test"
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(autouse=True)
def empty_cache():
    """The local-memory cache outlives each test's database transaction: start every test empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
