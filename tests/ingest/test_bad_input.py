"""ingest_articles on messy input: each bad file is named on stderr with its reason, the good
file beside it is stored, nothing of the bad one is stored, and the exit status is 1."""
import json
import os
import time

import pytest

from quotes.ingest import store
from quotes.models import Article, Quote
from tests.ingest.test_command import run_ingest

pytestmark = pytest.mark.django_db

GOOD = (
    "Port strike ends after three weeks\n\n"
    "The strike at the harbour ended on Sunday after three weeks of talks.\n\n"
    "“We won,” union leader Maria Costa said on Sunday.\n"
)


@pytest.fixture
def folder(tmp_path, nlp):
    """A folder holding one good article, to which each test adds its bad input."""
    target = tmp_path / "in"
    target.mkdir()
    (target / "good.txt").write_text(GOOD, encoding="utf-8")
    return target


def assert_only_good_stored():
    article = Article.objects.get()
    assert article.source_file == "good.txt"
    assert list(Quote.objects.values_list("article_id", flat=True)) == [article.pk]


def failure_lines(err):
    return [line for line in err.splitlines() if line.startswith("FAILED ")]


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "FAILED empty.txt: empty file"),
        ("blank.txt", b"  \n\t\r\n   \n", "FAILED blank.txt: empty file (whitespace only)"),
        ("photo.txt", bytes(range(256)) * 64, "FAILED photo.txt: binary file"),
        ("archive.html", b"PK\x03\x04" + os.urandom(2048), "FAILED archive.html: binary file"),
        ("blank.html", b"<html><body><script>x()</script></body></html>", "FAILED blank.html: HTML page has no text"),
    ],
)
def test_unreadable_file_fails_alone(folder, name, content, reason):
    (folder / name).write_bytes(content)
    code, out, err = run_ingest(folder)
    assert code == 1
    assert failure_lines(err) == [line for line in failure_lines(err) if line.startswith(reason)] != []
    assert "1 new, 0 unchanged, 1 failed" in out
    assert_only_good_stored()


@pytest.mark.parametrize(
    "encoding, prefix",
    [("latin-1", b""), ("cp1252", b""), ("utf-16", b""), ("utf-8", b"\xef\xbb\xbf")],
    ids=["latin-1", "windows-1252", "utf-16-bom", "utf-8-bom"],
)
def test_non_utf8_text_is_decoded(folder, encoding, prefix):
    text = (
        "Négociations à Genève\n\n"
        "Les discussions ont repris lundi à Genève après une longue pause.\n\n"
        "\"Nous sommes prêts à négocier,\" said the French minister Hélène Dupré on Monday.\n"
    )
    data = prefix + text.encode(encoding)
    if encoding == "utf-16":
        assert data[:2] in (b"\xff\xfe", b"\xfe\xff")  # Python writes the BOM
    (folder / "french.txt").write_bytes(data)
    code, out, err = run_ingest(folder)
    assert code == 0, err
    stored = Article.objects.get(source_file="french.txt")
    assert "prêts à négocier" in stored.body and "Genève" in (stored.title + stored.body)
    assert "\ufeff" not in stored.body and "Ã" not in stored.body
    assert Quote.objects.filter(article=stored, speaker__name="Hélène Dupré").exists()


def test_nul_bytes_deep_in_a_text_file_are_dropped_not_stored(folder):
    """PostgreSQL refuses NUL in text; a stray one far into a file must not fail the article."""
    body = GOOD + "\n" + "Filler sentence for the archive. " * 200 + "\x00\x07The end.\n"
    assert body.index("\x00") > 4096  # past the binary sniffing window
    (folder / "stray.txt").write_bytes(body.encode("utf-8"))
    code, out, err = run_ingest(folder)
    assert code == 0, err
    stored = Article.objects.get(source_file="stray.txt")
    assert "\x00" not in stored.body and "\x07" not in stored.body


def test_fifty_megabyte_file_is_refused_by_size_before_reading(folder):
    line = "The minister said the talks would go on. " * 24 + "\n"
    with (folder / "dump.txt").open("w", encoding="utf-8") as fh:
        for _ in range(50 * 1024 * 1024 // len(line)):
            fh.write(line)
        fh.write("x" * (50 * 1024 * 1024 % len(line)))
    started = time.monotonic()
    code, out, err = run_ingest(folder)
    assert time.monotonic() - started < 10
    assert code == 1
    assert failure_lines(err) == [
        "FAILED dump.txt: file is 52.4 MB, over the 5.2 MB limit (--max-bytes / INGEST_MAX_BYTES)"
    ]
    assert_only_good_stored()


def test_size_limit_is_configurable(folder, settings):
    (folder / "long.txt").write_text(GOOD.replace("Port strike", "Dock strike") + "More text. " * 200)
    code, _, err = run_ingest(folder, max_bytes=1000)
    assert code == 1 and "FAILED long.txt: file is 2.4 kB, over the 1.0 kB limit" in err
    assert_only_good_stored()
    settings.INGEST_MAX_BYTES = 500
    code, _, err = run_ingest(folder)
    assert code == 1 and "FAILED long.txt" in err and "FAILED good.txt" not in err  # good.txt is stored


def test_html_page_keeps_article_text_and_drops_scripts_frames_and_handlers(folder):
    page = """<!doctype html><html><head><title>Port strike ends - Harbour Post</title>
    <script>var token = "SCRIPT-SECRET"; alert(1)</script><style>body{color:red}</style></head>
    <body onload="stealCookies()"><nav><a href="/">Home</a> | <a href="/world">World news</a></nav>
    <article><h1>Dock strike ends after three weeks</h1>
    <p>The strike at the harbour ended on Sunday after three weeks of talks between the union and the port.</p>
    <p onclick="evilHandler()">“We won,” union leader Maria Costa said.<script>document.write('INJECTED')</script>
    “This is a good day for every worker.”</p>
    <iframe src="https://evil.example/frame">IFRAME-FALLBACK</iframe>
    <p>The port authority said it “welcomed the agreement” and expected traffic to return to normal.</p>
    <img src="x" onerror="alert('xss')"><a href="javascript:alert(2)">SHARE-LINK</a>
    </article><footer>© Harbour Post 2023. All rights reserved.</footer></body></html>"""
    (folder / "page.html").write_text(page, encoding="utf-8")
    code, out, err = run_ingest(folder)
    assert code == 0, err
    stored = Article.objects.get(source_file="page.html")
    for leftover in ["SCRIPT-SECRET", "alert", "INJECTED", "IFRAME-FALLBACK", "evilHandler", "stealCookies",
                     "onerror", "onclick", "javascript:", "<", ">", "color:red", "Home |", "All rights reserved"]:
        assert leftover not in stored.body, leftover
    paragraphs = stored.body.split("\n\n")
    assert any(p.startswith("The strike at the harbour ended on Sunday") for p in paragraphs)
    assert any(p.startswith("“We won,” union leader Maria Costa said.") for p in paragraphs)
    assert stored.quotes.filter(text__startswith="This is a good day", speaker__name="Maria Costa").exists()


def test_html_fragment_falls_back_to_the_stdlib_parser(monkeypatch):
    """When trafilatura finds no main text, the plain parser still drops scripts and frames."""
    import trafilatura

    from quotes.ingest import files as sources

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    text, _ = sources.html_extract('<p onclick="x()">One <b>two</b></p><script>bad()</script><iframe>f</iframe><p>Three</p>')
    assert text == "One two\n\nThree"


def test_json_record_whose_text_is_html_is_extracted(folder):
    record = {"title": "Dock strike ends", "outlet": "Harbour Post", "published": "2023-04-02",
              "text": "<p>The strike ended on Sunday after three weeks of talks.</p>"
                      "<p onmouseover=\"pwn()\">“We won,” union leader Maria Costa said.</p>"
                      "<script>steal()</script><iframe src=//evil.example></iframe>"}
    (folder / "record.json").write_text(json.dumps(record), encoding="utf-8")
    code, out, err = run_ingest(folder)
    assert code == 0, err
    stored = Article.objects.get(source_file="record.json")
    assert stored.title == "Dock strike ends" and stored.outlet == "Harbour Post"
    assert "<" not in stored.body and "steal" not in stored.body and "pwn" not in stored.body
    assert "“We won,” union leader Maria Costa said." in stored.body.split("\n\n")


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("broken.json", '{"title": "x", "text": "unterminated', "FAILED broken.json: malformed JSON: Unterminated string"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "FAILED deep.json: malformed JSON: nested too deeply"),
        ("list.json", "[]", "FAILED list.json: JSON file holds an empty list, no article"),
        ("scalar.json", "42", "FAILED scalar.json: JSON record is int, not an object"),
        ("notext.json", '{"title": "No body here"}', "FAILED notext.json: JSON record has no 'text' field"),
        ("numtext.json", '{"text": 12345}', "FAILED numtext.json: JSON field 'text' must be a string, not int"),
        ("emptytext.json", '{"text": "   "}', "FAILED emptytext.json: JSON field 'text' is empty"),
        ("listtitle.json", json.dumps({"title": ["a"], "text": GOOD}), "FAILED listtitle.json: JSON field 'title' must be a string, not list"),
        ("baddate.json", json.dumps({"published": "yesterday", "text": GOOD}), "FAILED baddate.json: JSON field 'published' is not an ISO date"),
    ],
)
def test_bad_json_file_fails_alone(folder, name, content, reason):
    (folder / name).write_text(content, encoding="utf-8")
    code, out, err = run_ingest(folder)
    assert code == 1
    assert len(failure_lines(err)) == 1 and failure_lines(err)[0].startswith(reason), err
    assert_only_good_stored()


def test_jsonl_bad_lines_fail_alone_and_good_lines_are_stored(folder):
    good = {"title": "Ferry service resumes", "outlet": "Harbour Post", "text":
            "Ferries sailed again on Monday.\n\n“The sea is calm,” captain Ola Nordmann said."}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"title": 5, "text": "x y z"}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"title": "Missing text"}),
        json.dumps({"text": None}),
    ]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_ingest(folder)
    assert code == 1
    assert failure_lines(err) == [
        "FAILED batch.jsonl#2: malformed JSON line: Expecting property name enclosed in double quotes",
        "FAILED batch.jsonl#3: JSON field 'title' must be a string, not int",
        "FAILED batch.jsonl#4: JSON record is list, not an object",
        "FAILED batch.jsonl#6: JSON record has no 'text' field",
        "FAILED batch.jsonl#7: JSON record has no 'text' field",
    ]
    assert set(Article.objects.values_list("source_file", flat=True)) == {"good.txt", "batch.jsonl#1"}
    assert Quote.objects.filter(article__source_file="batch.jsonl#1", speaker__name="Ola Nordmann").exists()


def test_symlink_loop_is_reported_and_not_followed(folder):
    sub = folder / "sub"
    sub.mkdir()
    (sub / "other.txt").write_text(GOOD.replace("Port strike", "Rail strike").replace("harbour", "station"))
    (sub / "loop").symlink_to(folder, target_is_directory=True)  # sub/loop -> .. -> sub/loop ...
    (folder / "self.txt").symlink_to(folder / "self.txt")  # a file link to itself
    started = time.monotonic()
    code, out, err = run_ingest(folder)
    assert time.monotonic() - started < 30
    assert code == 1
    lines = failure_lines(err)
    assert len(lines) == 2, err
    assert f"FAILED {sub / 'loop'}: symlink loop back to {folder.resolve()}, not followed" in lines
    assert "FAILED self.txt: cannot read: Too many levels of symbolic links" in lines
    assert sorted(Article.objects.values_list("source_file", flat=True)) == ["good.txt", "other.txt"]


def test_a_pipe_named_like_an_article_is_refused_without_blocking(folder):
    os.mkfifo(folder / "pipe.txt")
    code, out, err = run_ingest(folder)
    assert code == 1
    assert failure_lines(err) == ["FAILED pipe.txt: not a regular file (device, pipe or socket)"]
    assert_only_good_stored()


def test_same_article_under_two_file_names_is_stored_once_and_named(folder):
    (folder / "zz-copy.txt").write_text(GOOD, encoding="utf-8")
    code, out, err = run_ingest(folder)
    assert code == 0
    assert "DUPLICATE zz-copy.txt: same article as good.txt, stored once" in err
    assert "1 new, 1 unchanged, 0 failed" in out
    assert_only_good_stored()
    (folder / "again.txt").write_text(GOOD.replace("\n\n", "\n\n\n"), encoding="utf-8")  # same words, other spacing
    code, out, err = run_ingest(folder)
    assert code == 0 and "DUPLICATE again.txt: same article as good.txt, stored once" in err
    assert "0 new, 3 unchanged" in out
    assert_only_good_stored()


def test_a_database_error_on_one_article_leaves_nothing_of_it(folder, monkeypatch):
    """The article row and its quotes are written in one transaction: all or nothing."""


    (folder / "second.txt").write_text(GOOD.replace("Port", "Rail").replace("Maria Costa", "Ana Lima"))
    real = store._store_quotes

    def failing(article, result, *args, **kwargs):
        real(article, result, *args, **kwargs)
        if article.source_file == "second.txt":
            raise RuntimeError("disk full")
        return 1, 1

    monkeypatch.setattr(store, "_store_quotes", failing)
    code, out, err = run_ingest(folder)
    assert code == 1
    assert failure_lines(err) == ["FAILED second.txt: disk full"]
    assert_only_good_stored()
    assert not Quote.objects.filter(speaker__name="Ana Lima").exists()
