"""A small generated corpus for tests that run the ingest as a subprocess.

Twenty articles, six people across four organisations, each person quoted in several
articles, so that speaker and organisation resolution is exercised across articles.
"""
from pathlib import Path

PEOPLE = [
    ("Maria Costa", "union leader", "Harbour Workers Union"),
    ("John Reed", "spokesman", "Ministry of Labour"),
    ("Amina Yusuf", "chief executive", "Port Authority"),
    ("Lars Eriksen", "economist", "Nordic Trade Institute"),
    ("Chen Wei", "minister", "Ministry of Labour"),
    ("Ana Lima", "deputy leader", "Harbour Workers Union"),
]
TOPICS = [
    "night shifts", "crane safety", "pension rules", "overtime pay", "container fees", "pilot training",
    "winter schedules", "dock repairs", "ferry routes", "cargo checks", "harbour dredging", "fuel prices",
    "shift rotas", "apprentice wages", "storm damage", "berth fees", "customs delays", "rail links",
    "port security", "holiday cover",
]


def article_text(i: int) -> str:
    topic = TOPICS[i]
    a = PEOPLE[i % len(PEOPLE)]
    b = PEOPLE[(i + 2) % len(PEOPLE)]
    return (
        f"Talks on {topic} continue at the harbour\n\n"
        f"Negotiators met again on day {i + 1} of the dispute over {topic}, with no agreement in sight.\n\n"
        f"“We will not accept any deal on {topic} that leaves workers worse off,” said {a[0]}, "
        f"the {a[1]} of the {a[2]}.\n\n"
        f"{b[0]}, {b[1]} at the {b[2]}, said the offer on {topic} was fair. "
        f"“Our proposal on {topic} is the best one on the table,” {b[0].split()[-1]} told reporters.\n"
    )


def write_corpus(folder: Path, n: int = 20, prefix: str = "", reverse: bool = False) -> Path:
    """`n` article files in `folder`; `reverse` names them so that they sort in reverse order."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        rank = n - 1 - i if reverse else i
        (folder / f"{prefix}{rank:03d}.txt").write_text(article_text(i), encoding="utf-8")
    return folder
