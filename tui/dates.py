"""Dates as the command line and the app show them: a range at one precision.

Article dates come as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a feed gives days, a seed file a
month). A range between two of them is shown at the coarser one's precision, so it never
reads `2024-10–2024-10-11` (a month to a day): that is `2024-10`.

Dates named in an article's text (what `compare` and the timeline list) come from the engine as
a year (`2024`) or a day of a month in ISO 8601's form without a year (`--10-11`), which is
what `--json` keeps; people read the latter as `11 Oct`.
"""

from __future__ import annotations

import re

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_DAY = re.compile(r"--(\d\d)-(\d\d)")


def date_range(first: str | None, last: str | None) -> str:
    """`2024-10` and `2024-10-11` -> `2024-10`; `2024-10-03` and `2024-10-11` ->
    `2024-10-03–2024-10-11`; `2024-10` and `2025-06-03` -> `2024-10–2025-06`; none -> `undated`."""
    dates = sorted(d for d in (first, last) if d)
    if not dates:
        return "undated"
    precision = min(len(d.split("-")) for d in dates)
    start, end = ("-".join(d.split("-")[:precision]) for d in (dates[0], dates[-1]))
    return start if start == end else f"{start}–{end}"


def said_date(value: str) -> str:
    """A date named in a text, for people: `--10-11` -> `11 Oct`; a year (`2024`) as it is."""
    found = _MONTH_DAY.fullmatch(value)
    if found is None or not 1 <= int(found.group(1)) <= 12:
        return value
    return f"{int(found.group(2))} {MONTHS[int(found.group(1)) - 1]}"
