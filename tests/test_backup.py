"""Backup and restore: `export_quotes --with-articles` then `load_export` into an empty
database gives back the same articles, quotes, attributions, statuses, speakers and aliases."""
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection


from quotes import curation
from quotes.models import Article, Organisation, Quote, Speaker, SpeakerAlias, StatementGroup

pytestmark = pytest.mark.django_db

STATE_SQL = {
    "articles": "SELECT content_hash, title, outlet, byline, published, url, body, source_file FROM quotes_article",
    "quotes": """SELECT a.content_hash, q.start, q."end", q.text, q.kind, s.slug, o.slug, q.speaker_description,
                        q.cue, q.method, q.confidence, q.status, q.reject_reason, q.curated, q.text_key
                 FROM quotes_quote q JOIN quotes_article a ON a.id = q.article_id
                 LEFT JOIN quotes_speaker s ON s.id = q.speaker_id
                 LEFT JOIN quotes_organisation o ON o.id = q.organisation_id""",
    "speakers": """SELECT s.slug, s.name, s.role, o.slug, s.gender, s.curated FROM quotes_speaker s
                   LEFT JOIN quotes_organisation o ON o.id = s.organisation_id""",
    "speaker_aliases": "SELECT s.slug, a.name, a.key FROM quotes_speakeralias a JOIN quotes_speaker s ON s.id = a.speaker_id",
    "organisations": "SELECT slug, name, kind FROM quotes_organisation",
    "organisation_aliases": """SELECT o.slug, a.name FROM quotes_organisationalias a
                               JOIN quotes_organisation o ON o.id = a.organisation_id""",
    "appearances": """SELECT s.slug, a.content_hash, p.name_as_written, p.role, o.slug FROM quotes_speakerappearance p
                      JOIN quotes_speaker s ON s.id = p.speaker_id JOIN quotes_article a ON a.id = p.article_id
                      LEFT JOIN quotes_organisation o ON o.id = p.organisation_id""",
}


def state():
    with connection.cursor() as cursor:
        result = {}
        for name, sql in STATE_SQL.items():
            cursor.execute(sql)
            result[name] = Counter(tuple(row) for row in cursor.fetchall())
    # Statement groups by membership, since their ids change.
    groups = {}
    for quote in Quote.objects.filter(statement_group__isnull=False).select_related("article"):
        groups.setdefault(quote.statement_group_id, set()).add((quote.article.content_hash, quote.start))
    result["statement_groups"] = sorted(sorted(g) for g in groups.values())
    return result


def export_backup() -> str:
    out = io.StringIO()
    call_command("export_quotes", "--per-article", "--format", "jsonl", "--with-articles", stdout=out)
    return out.getvalue()


def load(path, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("load_export", str(path), stdout=out, stderr=err, **kwargs)
        return 0, out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()


def empty_the_database():
    Article.objects.all().delete()
    Speaker.objects.all().delete()
    Organisation.objects.all().delete()
    StatementGroup.objects.all().delete()
    assert not Quote.objects.exists() and not SpeakerAlias.objects.exists()


@pytest.fixture
def curated_db(seeded_db, django_user_model):
    """The seeds after a curator's day: verified, rejected, reassigned quotes, an edited speaker."""
    editor = django_user_model.objects.create_user("ed")
    quotes = list(Quote.objects.order_by("pk"))
    curation.quotes_verify(quotes[:3], user=editor)
    curation.quotes_reject(quotes[3:5], user=editor, reason=Quote.RejectReason.NOT_A_QUOTE)
    psaki = Speaker.objects.get(name="Jen Psaki")
    curation.quotes_reassign(quotes[5:6], speaker=psaki, user=editor, with_organisation=True)
    psaki.role, psaki.curated = "White House press secretary", True
    psaki.save()
    SpeakerAlias.objects.create(speaker=psaki, name="Jennifer Psaki")
    assert Quote.objects.filter(statement_group__isnull=False).exists()


def test_backup_restored_into_an_empty_database_gives_back_the_same_data(curated_db, tmp_path):
    before = state()
    backup = tmp_path / "backup.jsonl"
    backup.write_text(export_backup(), encoding="utf-8")
    kinds = Counter(json.loads(line)["type"] for line in backup.read_text().splitlines())
    assert kinds == {"organisation": Organisation.objects.count(), "speaker": Speaker.objects.count(),
                     "article": 5, "quote": Quote.objects.count()}

    empty_the_database()
    code, out, err = load(backup)
    assert code == 0, err
    assert f"articles: 5 new, 0 unchanged; quotes: {sum(before['quotes'].values())} new; 0 record(s) failed" in out
    assert state() == before
    assert Speaker.objects.get(name="Jen Psaki").aliases.filter(name="Jennifer Psaki").exists()

    code, out, _ = load(backup)  # loading twice changes nothing
    assert code == 0 and "articles: 0 new, 5 unchanged" in out
    assert state() == before


def test_a_plain_export_is_refused_with_a_hint(tmp_path):
    from tests.factories import QuoteFactory

    QuoteFactory()
    plain = io.StringIO()
    call_command("export_quotes", "--per-article", "--format", "jsonl", stdout=plain)
    (tmp_path / "plain.jsonl").write_text(plain.getvalue())
    empty_the_database()
    code, _, err = load(tmp_path / "plain.jsonl")
    assert code == 1
    assert err.splitlines()[0] == (
        "FAILED line 1: not a backup record (no 'type'); write backups with `export_quotes --with-articles`"
    )
    assert not Article.objects.exists()


def test_a_damaged_article_fails_alone(curated_db, tmp_path):
    lines = export_backup().splitlines()
    first_article = next(i for i, line in enumerate(lines) if json.loads(line)["type"] == "article")
    record = json.loads(lines[first_article])
    record["body"] = "Text edited by hand after the export."
    lines[first_article] = json.dumps(record)
    lines.insert(1, "{truncated")
    (tmp_path / "damaged.jsonl").write_text("\n".join(lines) + "\n")
    empty_the_database()
    code, out, err = load(tmp_path / "damaged.jsonl")
    assert code == 1
    assert err.splitlines()[0] == "FAILED line 2: malformed JSON: Expecting property name enclosed in double quotes"
    assert "does not match the article text" in err.splitlines()[1]
    assert "articles: 4 new, 0 unchanged;" in out and "2 record(s) failed" in out
    assert Article.objects.count() == 4
    assert not Article.objects.filter(content_hash=record["content_hash"]).exists()
