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
