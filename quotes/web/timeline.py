"""The bar chart of a speaker's quotes by publication date: bar geometry for the template."""
from __future__ import annotations

import datetime as dt
from collections import Counter


def quote_timeline(dates: Counter, max_bars: int = 36) -> dict:
    """Quote counts by publication date (by month when there are many dates), for a bar chart;
    `dates` maps a date (None for undated quotes) to its number of quotes."""
    rows = sorted((d, n) for d, n in dates.items() if d)
    undated = dates.get(None, 0)
    bars = [{"start": d, "end": d, "n": n} for d, n in rows]
    by_month = len(bars) > max_bars
    if by_month:
        months: dict[tuple[int, int], dict] = {}
        for d, n in rows:
            bar = months.setdefault((d.year, d.month), {"start": d.replace(day=1), "n": 0})
            bar["n"] += n
        bars = []
        for (year, month), bar in months.items():
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            bar["end"] = nxt - dt.timedelta(days=1)
            bars.append(bar)
        bars = bars[-max_bars * 4:]
    peak = max((b["n"] for b in bars), default=0)
    width = 100 / max(len(bars), 1)
    for i, bar in enumerate(bars):
        bar["height"] = round(100 * bar["n"] / peak, 1) if peak else 0
        bar["y"] = round(100 - bar["height"], 1)
        bar["x"] = round(i * width + width * 0.1, 3)
        bar["width"] = round(width * 0.8, 3)
        start = bar["start"]
        bar["title"] = f"{start:%B %Y}" if by_month else f"{start.day} {start:%B %Y}"
        bar["label"] = f"{start:%b %Y}" if by_month else f"{start.day} {start:%b}"
    return {"bars": bars, "by_month": by_month, "peak": peak, "undated": undated}
