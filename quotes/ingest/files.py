"""Reading article files from disk: text, HTML, JSON and JSONL records.

Every problem becomes a SourceError naming the file and the reason, so the ingest can report
it and go on with the next file. Nothing here touches the database.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

SUFFIXES = {".txt", ".text", ".html", ".htm", ".json", ".jsonl"}
JSON_FIELDS = {"title": str, "url": str, "published": str, "outlet": str, "text": str, "byline": str}


@dataclass
class SourceRecord:
    name: str  # file name, with "#N" for the Nth record of a JSONL file
    text: str
    meta: dict = field(default_factory=dict)  # title/url/published/outlet/byline given by the file


@dataclass
class SourceError:
    name: str
    reason: str


def iter_files(paths: list[str]) -> Iterator[Path | SourceError]:
    """Files under `paths` in a stable order, following no directory twice.

    A symlink pointing back to a folder being walked (a loop) is reported, not followed;
    a second link to a folder already read is skipped quietly (its files were read once).
    """
    seen_dirs: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_symlink() and not path.exists():
            yield SourceError(raw, "broken symlink or symlink loop")
            continue
        if not path.exists():
            yield SourceError(raw, "no such file or directory")
            continue
        if not path.is_dir():
            yield path
            continue
        errors: list[OSError] = []
        for root, dirs, files in os.walk(path, followlinks=True, onerror=errors.append):
            while errors:
                exc = errors.pop(0)
                yield SourceError(exc.filename or raw, f"cannot read folder: {exc.strerror or exc}")
            real = os.path.realpath(root)
            if real in seen_dirs:
                dirs[:] = []
                continue
            seen_dirs.add(real)
            kept = []
            for d in sorted(dirs):
                target = os.path.realpath(os.path.join(root, d))
                if os.path.islink(os.path.join(root, d)) and (real + os.sep).startswith(target + os.sep):
                    yield SourceError(os.path.join(root, d), f"symlink loop back to {target}, not followed")
                else:
                    kept.append(d)
            dirs[:] = kept
            for name in sorted(files):
                p = Path(root) / name
                if p.suffix.lower() in SUFFIXES and not name.startswith("."):
                    yield p
        while errors:
            exc = errors.pop(0)
            yield SourceError(exc.filename or raw, f"cannot read folder: {exc.strerror or exc}")


# C0 controls other than tab, newlines and form feed, and lone surrogates: PostgreSQL refuses
# NUL in text, and surrogates cannot be encoded; neither is ever part of an article.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(text: str) -> str:
    return _CONTROL.sub("", text)


def decode_bytes(data: bytes) -> str:
    """UTF-8 first; a BOM names its encoding; otherwise detect the charset. Binary is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            data = data[3:]  # a wrong BOM: detect the charset of the rest
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16(data)
    if b"\x00" in data[:4096]:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is not None:
        # Equally plausible single-byte codecs tie often; Windows-1252 is what news CMSes write.
        tied = [m for m in matches if m.chaos <= best.chaos and m.encoding in ("cp1252", "latin_1", "iso8859_15")]
        best = tied[0] if tied else best
    if best is None:
        raise ValueError("binary file or unknown text encoding")
    text = str(best)
    control = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if control > max(5, len(text) // 100):
        raise ValueError("binary file (control characters)")
    return text


def _utf16(data: bytes) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError:
        raise ValueError("UTF-16 byte order mark but the text is not valid UTF-16") from None


class _TextFromHTML(HTMLParser):
    """Visible text of a page, one block element a line; scripts, styles and frames dropped."""

    SKIP = {"script", "style", "noscript", "iframe", "frame", "object", "embed", "applet", "template", "svg",
            "math", "head", "nav", "footer", "form", "button", "select"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote", "figcaption", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _stdlib_html_to_text(html: str) -> str:
    parser = _TextFromHTML()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return "\n\n".join(line for line in lines if line)


_HTML_TAG = re.compile(r"<\s*/?\s*(?:html|body|head|p|div|br|span|a|script|style|iframe|article|section|h[1-6]|ul|ol|li|table|img|em|strong|b|i|blockquote)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_TAG.search(text))


def html_extract(html: str) -> tuple[str, dict]:
    """Article text of a page (paragraphs separated by blank lines) and its title, if any.

    trafilatura removes the page chrome (menus, footers, share boxes) as well as scripts,
    frames and attributes; the stdlib parser is the fallback when it finds no main text
    (fragments, odd markup). Only the title is taken from trafilatura's metadata: its date
    guess reads copyright lines, which is worse than the text cleaner's own date reading.
    """
    text, meta = "", {}
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False
        )
    except Exception:  # a parser bug on one page must not stop the ingest
        doc = None
    if doc is not None:
        text = "\n\n".join(" ".join(line.split()) for line in (doc.text or "").splitlines() if line.strip())
        if doc.title and doc.title.strip():
            meta["title"] = " ".join(doc.title.split())
    if not text.strip():
        text = _stdlib_html_to_text(html)
    return clean_text(text), meta



def record_from_json(obj, name: str) -> SourceRecord:
    """One article from a JSON object; a missing text or a field of the wrong type is refused."""
    if not isinstance(obj, dict):
        raise ValueError(f"JSON record is {type(obj).__name__}, not an object")
    text = obj.get("text")
    if text is None:
        raise ValueError("JSON record has no 'text' field")
    if not isinstance(text, str):
        raise ValueError(f"JSON field 'text' must be a string, not {type(text).__name__}")
    text = clean_text(text)
    if not text.strip():
        raise ValueError("JSON field 'text' is empty")
    meta = {}
    for key, kind in JSON_FIELDS.items():
        if key == "text" or obj.get(key) in (None, ""):
            continue
        if not isinstance(obj[key], kind):
            raise ValueError(f"JSON field {key!r} must be a string, not {type(obj[key]).__name__}")
        meta[key] = clean_text(obj[key]).strip()
    if "published" in meta:
        try:
            meta["published"] = dt.date.fromisoformat(meta["published"][:10])
        except ValueError:
            raise ValueError(f"JSON field 'published' is not an ISO date: {meta['published']!r}") from None
    if obj.get("format") == "html" or looks_like_html(text):
        text, page_meta = html_extract(text)
        if not text.strip():
            raise ValueError("JSON field 'text' is HTML without article text")
        meta = {**page_meta, **meta}
    return SourceRecord(name, text, meta)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB" if n >= 1e3 else f"{n} bytes"


def read_source(path: Path, max_bytes: int) -> Iterator[SourceRecord | SourceError]:
    """The records of one file (one for .txt/.html, one per line for .jsonl).

    The size limit is checked before reading, so a huge file costs nothing.
    """
    name = path.name
    data = _read_bytes(path, max_bytes)
    if isinstance(data, SourceError):
        yield data
        return
    if not data:
        yield SourceError(name, "empty file")
        return
    try:
        text = decode_bytes(data)
    except (ValueError, UnicodeDecodeError) as exc:
        yield SourceError(name, str(exc))
        return
    if not text.strip():
        yield SourceError(name, "empty file (whitespace only)")
        return
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        text, meta = html_extract(text)
        yield SourceRecord(name, text, meta) if text.strip() else SourceError(name, "HTML page has no text")
    elif suffix == ".json":
        yield from _json_records(text, name)
    elif suffix == ".jsonl":
        yield from _jsonl_records(text, name)
    else:
        yield SourceRecord(name, clean_text(text))


def _read_bytes(path: Path, max_bytes: int) -> bytes | SourceError:
    """The file's bytes, or why they are not read: not a regular file, over the size limit
    (checked before reading), or an OS error."""
    name = path.name
    limit = f"the {_size(max_bytes)} limit (--max-bytes / INGEST_MAX_BYTES)"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return SourceError(name, "not a regular file (device, pipe or socket)")
        if info.st_size > max_bytes:
            return SourceError(name, f"file is {_size(info.st_size)}, over {limit}")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat()
        if len(data) > max_bytes:
            return SourceError(name, f"file is over {limit}")
    except OSError as exc:
        return SourceError(name, f"cannot read: {exc.strerror or exc}")
    return data


def _json_records(text: str, name: str) -> Iterator[SourceRecord | SourceError]:
    """The records of a .json file: one object, or a list of them (name#1, name#2 …)."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield SourceError(name, f"malformed JSON: {exc.msg} at line {exc.lineno}")
        return
    except RecursionError:
        yield SourceError(name, "malformed JSON: nested too deeply")
        return
    records = obj if isinstance(obj, list) else [obj]
    if not records:
        yield SourceError(name, "JSON file holds an empty list, no article")
        return
    for i, item in enumerate(records, 1):
        label = name if len(records) == 1 else f"{name}#{i}"
        try:
            yield record_from_json(item, label)
        except ValueError as exc:
            yield SourceError(label, str(exc))


def _jsonl_records(text: str, name: str) -> Iterator[SourceRecord | SourceError]:
    """The records of a .jsonl file, one per non-blank line (name#line)."""
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        label = f"{name}#{i}"
        try:
            yield record_from_json(json.loads(line), label)
        except json.JSONDecodeError as exc:
            yield SourceError(label, f"malformed JSON line: {exc.msg}")
        except RecursionError:
            yield SourceError(label, "malformed JSON line: nested too deeply")
        except ValueError as exc:
            yield SourceError(label, str(exc))


def iter_records(paths: list[str], max_bytes: int) -> Iterator[SourceRecord | SourceError]:
    """Records of every file under `paths`; a reader bug on one file is reported as that file's failure."""
    for item in iter_files(paths):
        if isinstance(item, SourceError):
            yield item
            continue
        try:
            yield from read_source(item, max_bytes)
        except Exception as exc:
            yield SourceError(item.name, f"cannot read: {type(exc).__name__}: {exc}"[:300])
