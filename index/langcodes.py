"""Language codes: the one place that says what a code is and how one is written.

Every input path (`--lang`, JSONL `lang`, the config, the query's `lang:`, a package's
metadata) goes through `normalize`, so `TR`, `tr_TR` and `tr-TR` all become `tr` everywhere.
The engine keys on the primary subtag: langdetect says `zh-cn`, packages say `zh`.
A code must be in ISO 639 (parts 1, 2 and 3, as the IANA language subtag registry lists them,
read with the `langcodes` package): `zz` is refused like `klingon`, `tlh` is Klingon. Argos
Translate's own `pb` (Brazilian Portuguese) and `zt` (traditional Chinese) are accepted too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import NewsreaderError

UNDETERMINED = "und"  # BCP 47 for "language not determined"
PIVOT = "en"  # Argos Translate routes through English when there is no direct package
CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")  # lower-case BCP 47-ish: tr, pt-br, zh-hant
_UNKNOWN = ("", UNDETERMINED, "unknown", "none")
ARGOS_CODES = frozenset({"pb", "zt"})  # Argos Translate's package codes that ISO 639 does not have


class LanguageCodeError(NewsreaderError, ValueError):
    """A value that is not a language code; the message says what one looks like."""


def normalize(code: str | None, *, allow_und: bool = True) -> str:
    """'TR', 'tr_TR', 'pt-BR' -> 'tr', 'tr', 'pt'. Empty or 'und' -> 'und' (or an error when
    `allow_und` is false). Anything else that is not a code raises LanguageCodeError."""
    raw = (code or "").strip()
    value = raw.lower().replace("_", "-")
    if value in _UNKNOWN:
        if allow_und:
            return UNDETERMINED
        raise LanguageCodeError("the language is undetermined (und); give a code such as tr, en or de")
    primary = value.split("-")[0]
    if not CODE.match(value) or not _registered(primary):
        # repr: a hostile value (escapes, newlines) is shown, never interpreted
        raise LanguageCodeError(f"{raw[:40]!r} is not a language code; use an ISO 639 code such as tr, en or de")
    return primary


@lru_cache(maxsize=1024)
def _registered(code: str) -> bool:
    """Whether ISO 639 has the code (or Argos Translate uses it). langcodes is imported on
    first use: its registry costs about 15 ms to load, which a command that never reads a
    code need not pay."""
    if code in ARGOS_CODES:
        return True
    import langcodes

    return langcodes.tag_is_valid(code)


def is_undetermined(code: str | None) -> bool:
    """'', 'und', 'unknown' or 'none', in any case."""
    return (code or "").strip().lower() in _UNKNOWN


def is_code(value: str | None) -> bool:
    try:
        normalize(value, allow_und=False)
    except LanguageCodeError:
        return False
    return True


def declared(value: str | None) -> str | None:
    """A language a feed or page declares (`en-US`, `de_DE`, `EN`), as a code; None for
    nothing, `und` or anything that is not a code: a declaration is only ever a hint."""
    try:
        code = normalize((value or "").strip()[:40], allow_und=True)
    except LanguageCodeError:
        return None
    return None if code == UNDETERMINED else code


@lru_cache(maxsize=256)
def name(code: str) -> str:
    """A language's English name (`tr` -> `Turkish`), from the CLDR data `language_data` ships;
    "" for a code it does not name. Loaded on first use, like the registry."""
    if is_undetermined(code):
        return ""
    import langcodes

    try:
        language = langcodes.Language.get(code)
        shown = language.display_name()
    except (LookupError, ValueError, ImportError):
        return ""
    return "" if shown.startswith("Unknown language") else shown
