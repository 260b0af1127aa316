"""Reading article files from disk: text, HTML, JSON and JSONL records.

Every problem becomes a SourceError naming the file and the reason, so the ingest can report
it and go on with the next file. Nothing here touches the database.
"""
from __future__ import annotations

import datetime as dt
import json
import os
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
    """Files under `paths` in a stable order, following no directory twice (symlink loops)."""
    seen_dirs: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield SourceError(raw, "no such file or directory")
            continue
        if path.is_file():
            yield path
            continue
        for root, dirs, files in os.walk(path, followlinks=True):
            real = os.path.realpath(root)
            if real in seen_dirs:
                dirs[:] = []
                continue
            seen_dirs.add(real)
            dirs.sort()
            for name in sorted(files):
                p = Path(root) / name
                if p.suffix.lower() in SUFFIXES and not name.startswith("."):
                    yield p


def decode_bytes(data: bytes) -> str:
    """UTF-8 first; a BOM names its encoding; otherwise detect the charset. Binary is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
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


class _TextFromHTML(HTMLParser):
    """Visible text of a page, one block element a line; scripts, styles and frames dropped."""

    SKIP = {"script", "style", "noscript", "iframe", "template", "svg", "head", "nav", "footer", "form", "button"}
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


def html_to_text(html: str) -> str:
    parser = _TextFromHTML()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return "\n\n".join(line for line in lines if line)


def record_from_json(obj, name: str) -> SourceRecord:
    if not isinstance(obj, dict):
        raise ValueError("JSON record is not an object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("JSON record has no 'text' string")
    meta = {}
    for key, kind in JSON_FIELDS.items():
        if key == "text" or obj.get(key) in (None, ""):
            continue
        if not isinstance(obj[key], kind):
            raise ValueError(f"JSON field {key!r} must be a string")
        meta[key] = obj[key].strip()
    if "published" in meta:
        try:
            meta["published"] = dt.date.fromisoformat(meta["published"][:10])
        except ValueError:
            raise ValueError(f"JSON field 'published' is not an ISO date: {meta['published']!r}") from None
    if "<" in text and ">" in text and obj.get("format") == "html":
        text = html_to_text(text)
    return SourceRecord(name, text, meta)


def read_source(path: Path, max_bytes: int) -> Iterator[SourceRecord | SourceError]:
    """The records of one file (one for .txt/.html, one per line for .jsonl)."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield SourceError(name, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield SourceError(name, f"cannot read: {exc.strerror or exc}")
        return
    try:
        text = decode_bytes(data)
    except (ValueError, UnicodeDecodeError) as exc:
        yield SourceError(name, str(exc))
        return
    if not text.strip():
        yield SourceError(name, "empty file")
        return
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        text = html_to_text(text)
        if not text.strip():
            yield SourceError(name, "HTML page has no text")
            return
        yield SourceRecord(name, text)
    elif suffix == ".json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield SourceError(name, f"malformed JSON: {exc.msg} at line {exc.lineno}")
            return
        records = obj if isinstance(obj, list) else [obj]
        for i, item in enumerate(records, 1):
            label = name if len(records) == 1 else f"{name}#{i}"
            try:
                yield record_from_json(item, label)
            except ValueError as exc:
                yield SourceError(label, str(exc))
    elif suffix == ".jsonl":
        for i, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            label = f"{name}#{i}"
            try:
                yield record_from_json(json.loads(line), label)
            except json.JSONDecodeError as exc:
                yield SourceError(label, f"malformed JSON line: {exc.msg}")
            except ValueError as exc:
                yield SourceError(label, str(exc))
    else:
        yield SourceRecord(name, text)
