"""What a query probably got wrong, said before the reader wonders why nothing matched: an
operator with nothing after it (`Putin AND`), a phrase never closed (`"Putin`), a language the
library has no article in (`lang:de`). The engine still runs the query; these are hints, shown
by the app's search box and by `newsreader search`."""

from __future__ import annotations

import re
from collections.abc import Collection

_TRAILING_OPERATOR = re.compile(r"(?:^|\s)(AND|OR|NOT)\s*$")
_LEADING_OPERATOR = re.compile(r"^\s*(AND|OR)(?:\s|$)")
_LANG = re.compile(r"(?:^|\s)-?lang:([^\s\"]+)", re.IGNORECASE)


def hints(query: str, languages: Collection[str] | None = None) -> list[str]:
    found = []
    if query.count('"') % 2:
        found.append('a phrase is not closed: add the closing "')
    trailing = _TRAILING_OPERATOR.search(query)
    if trailing:
        found.append(f"{trailing.group(1)} needs a word after it")
    leading = _LEADING_OPERATOR.match(query)
    if leading:
        found.append(f"{leading.group(1)} needs a word before it")
    if languages is not None:
        known = {code.lower() for code in languages}
        for code in _LANG.findall(query):
            if code.lower() not in known:
                listed = ", ".join(sorted(known)) or "none yet"
                found.append(f"no article in the library is in {code!r} (languages: {listed})")
    return found
