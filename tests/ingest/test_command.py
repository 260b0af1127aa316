"""ingest_articles: seeds in, a consistent database out; bad files reported, never fatal."""
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quotes.models import Article, Quote, Speaker, SpeakerAlias

pytestmark = pytest.mark.django_db


def run_ingest(*paths, **kwargs):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("ingest_articles", *map(str, paths), stdout=out, stderr=err, **kwargs)
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return code, out.getvalue(), err.getvalue()


def snapshot():
    return (
        list(Article.objects.order_by("id").values_list("id", "content_hash", "title", "updated_at")),
        list(Quote.objects.order_by("id").values_list("id", "text", "speaker_id", "start", "end", "updated_at")),
        list(Speaker.objects.order_by("id").values_list("id", "name", "role", "updated_at")),
        list(SpeakerAlias.objects.order_by("id").values_list("id", "name")),
    )


def test_seeds_give_five_articles_with_titles_and_outlets(seed_dir, nlp):
    code, out, err = run_ingest(seed_dir)
    assert code == 0, err
    outlets = dict(Article.objects.values_list("source_file", "outlet"))
    assert outlets == {
        "000_4dce86006e9b6926.txt": "Euronews",
        "001_7429759a337c281e.txt": "AFP",
        "002_9e79dd330fdc0e79.txt": "DW",
        "003_a34abba263e9470d.txt": "Luxembourg Times",
        "004_d8a42f506f14660f.txt": "Al Jazeera",
    }
    titles = set(Article.objects.values_list("title", flat=True))
    assert "Biden and Putin to discuss Ukraine by phone" in titles
    assert "Putin happy with results of Biden security call, Kremlin says" in titles
    assert "articles: 5 new, 0 unchanged, 0 failed" in out


def test_second_ingest_changes_no_row(seed_dir, nlp):
    run_ingest(seed_dir)
    before = snapshot()
    code, out, _ = run_ingest(seed_dir)
    assert code == 0
    assert "0 new, 5 unchanged" in out
    assert snapshot() == before


def test_same_article_under_two_names_is_stored_once(seed_dir, nlp):
    (seed_dir / "copy.txt").write_bytes((seed_dir / "002_9e79dd330fdc0e79.txt").read_bytes())
    code, out, _ = run_ingest(seed_dir)
    assert code == 0
    assert Article.objects.count() == 5
    assert "5 new, 1 unchanged" in out


def test_bad_files_are_reported_and_good_ones_stored(seed_dir, nlp):
    (seed_dir / "empty.txt").write_bytes(b"")
    (seed_dir / "binary.txt").write_bytes(bytes(range(256)) * 20)
    latin1 = "Talks in Genève\n\n\"Nous sommes prêts à négocier,\" said the French minister Hélène Dupré on Monday.\n"
    (seed_dir / "latin1.txt").write_bytes(latin1.encode("latin-1"))
    code, out, err = run_ingest(seed_dir)
    assert code == 1
    assert "FAILED empty.txt: empty file" in err
    assert "FAILED binary.txt: binary file" in err
    assert Article.objects.count() == 6
    stored = Article.objects.get(source_file="latin1.txt")
    assert "Genève" in stored.title or "Genève" in stored.body
    assert "prêts à négocier" in stored.body


def test_malformed_json_records_fail_alone(tmp_path, nlp):
    good = {"title": "Port strike ends", "outlet": "Harbour Post", "published": "2023-04-02",
            "url": "https://harbour.example/strike", "text": "The strike ended on Sunday.\n\n“We won,” union leader Maria Costa said."}
    (tmp_path / "batch.jsonl").write_text(
        json.dumps(good) + "\n{not json\n" + json.dumps({"title": 5, "text": "x y z"}) + "\n", encoding="utf-8"
    )
    code, out, err = run_ingest(tmp_path)
    assert code == 1
    assert "batch.jsonl#2: malformed JSON line" in err
    assert "batch.jsonl#3: JSON field 'title' must be a string" in err
    article = Article.objects.get()
    assert (article.title, article.outlet, str(article.published), article.url) == (
        "Port strike ends", "Harbour Post", "2023-04-02", "https://harbour.example/strike")


def test_dry_run_stores_nothing(seed_dir, nlp):
    code, out, _ = run_ingest(seed_dir, dry_run=True)
    assert code == 0
    assert "Dry run, nothing stored" in out and "5 new" in out
    assert Article.objects.count() == 0 and Quote.objects.count() == 0


def test_the_report_says_how_much_prose_was_dropped_and_flags_a_mostly_lost_article(tmp_path, nlp):
    teasers = "\n\n".join(
        f"Related: Another long teaser sentence number {n} that points readers to a different story." for n in range(6)
    )
    (tmp_path / "boxed.txt").write_text(
        f"Harbour meeting moved\n\n{teasers}\n\nThe harbour board said its meeting would move to Tuesday next week.\n"
    )
    (tmp_path / "clean.txt").write_text(
        "Bridge reopens\n\nThe old bridge reopened on Monday after six months of repairs, the town council said.\n"
    )
    code, out, err = run_ingest(tmp_path)
    assert code == 0
    boxed, clean = Article.objects.get(source_file="boxed.txt"), Article.objects.get(source_file="clean.txt")
    assert boxed.lost_most_prose and boxed.prose_kept_percent < 50 and boxed.dropped_prose_chars > 0
    assert not clean.lost_most_prose and clean.dropped_prose_chars == 0 and clean.prose_kept_percent == 100
    assert f"{100 - boxed.prose_kept_percent}% of its prose dropped as page furniture" in out
    assert f"WARNING boxed.txt: the article kept only {boxed.prose_kept_percent}% of the page's prose" in err
    assert "clean.txt" not in err
