#!/usr/bin/env python3
"""Split the whole-article set into a development part and a held-back part.

Articles whose number is a multiple of 3 (003, 006, …) are held back: scored only when a piece
of work is done. The rest are the development set. Each part gets `articles/` (links to
../../articles/), `gold.jsonl` and `excluded.jsonl` gathered from the annotators' files in
gold/. Run it again after any change to gold/: it rewrites both parts.
"""
import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent


def held_back(article: str) -> bool:
    return int(article[:3]) % 3 == 0


def records(pattern: str) -> list[dict]:
    rows = []
    for path in sorted((HERE / "gold").glob(pattern)):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(rows, key=lambda r: r["article"])  # stable: annotation order within an article


def main() -> None:
    articles = sorted(p.name for p in (HERE / "articles").glob("*.txt"))
    gold, excluded = records("gold_*.jsonl"), records("excluded_*.jsonl")
    for part, wanted in (("dev", False), ("heldout", True)):
        folder = HERE / part
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "articles").mkdir(parents=True)
        names = [a for a in articles if held_back(a) == wanted]
        for name in names:
            (folder / "articles" / name).symlink_to(Path("../../articles") / name)
        for filename, rows in (("gold.jsonl", gold), ("excluded.jsonl", excluded)):
            kept = [r for r in rows if held_back(r["article"]) == wanted]
            (folder / filename).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept),
                                           encoding="utf-8")
        n_gold = sum(1 for r in gold if held_back(r["article"]) == wanted)
        print(f"{part}: {len(names)} articles, {n_gold} gold quotes")


if __name__ == "__main__":
    main()
