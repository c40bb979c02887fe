"""Dates as the command line and the app show them: a range at one precision.

Article dates come as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a feed gives days, a seed file a
month). A range between two of them is shown at the coarser one's precision, so it never
reads `2024-10–2024-10-11` (a month to a day): that is `2024-10`.
"""

from __future__ import annotations


def date_range(first: str | None, last: str | None) -> str:
    """`2024-10` and `2024-10-11` -> `2024-10`; `2024-10-03` and `2024-10-11` ->
    `2024-10-03–2024-10-11`; `2024-10` and `2025-06-03` -> `2024-10–2025-06`; none -> `undated`."""
    dates = sorted(d for d in (first, last) if d)
    if not dates:
        return "undated"
    precision = min(len(d.split("-")) for d in dates)
    start, end = ("-".join(d.split("-")[:precision]) for d in (dates[0], dates[-1]))
    return start if start == end else f"{start}–{end}"
