#!/usr/bin/env python3
"""Completeness check for a gold set (../shared/bench/ANNOTATION.md): every quotation-mark span
of every article is a gold record or an excluded record, and every record's quote is in its
article exactly as written.

usage: check_gold.py ARTICLES_DIR GOLD.jsonl EXCLUDED.jsonl [ARTICLE ...]

Prints each uncovered span and each record whose words are not in its article; exits 1 if
there is any. Spans are found by their marks: “…”, "…", «…», „…“, and ‘…’ / '…' when the
opening mark follows a space or line start and the closing one precedes a space or punctuation
(a heuristic: apostrophes are not quotes, so single-mark spans are reported only when they look
like quotations).
"""
import json
import re
import sys
from pathlib import Path

DOUBLE = re.compile(r"“([^”“\n]{1,2000})[”\"]|\"([^\"\n]{1,2000})\"|«\s?([^»\n]{1,2000}?)\s?»|„([^“”\n]{1,2000})[“”]")
SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘']([^‘’'\n]{2,400}?)[’'](?=[\s.,;:!?)\]—–-]|$)", re.M)


def spans(text: str) -> list[tuple[int, int, str]]:
    found = []
    for pattern in (DOUBLE, SINGLE):
        for m in pattern.finditer(text):
            group = next(i for i in range(1, len(m.groups()) + 1) if m.group(i) is not None)
            words = m.group(group).strip()
            if words:
                found.append((m.start(group), m.end(group), words))
    return found


def load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str]) -> int:
    articles, gold_path, excluded_path, *only = argv
    records = load(Path(gold_path)) + load(Path(excluded_path))
    by_article: dict[str, list[str]] = {}
    problems = 0
    for r in records:
        by_article.setdefault(r["article"], []).append(r["quote"].strip())
    names = only or sorted(p.name for p in Path(articles).glob("*.txt"))
    for name in names:
        text = (Path(articles) / name).read_text(encoding="utf-8")
        quotes = by_article.get(name, [])
        for q in quotes:
            if q not in text:
                problems += 1
                print(f"{name}: record not in the article text: {q[:80]!r}")
        for start, end, words in spans(text):
            covered = any(q and (q in words or words in q) for q in quotes)
            if not covered:
                problems += 1
                print(f"{name}:{start}: span neither gold nor excluded: {words[:80]!r}")
    print(f"{len(names)} articles, {len(records)} records, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
