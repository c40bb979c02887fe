"""What the reader knows about outlets: `sources.toml`, a file they edit (in the config folder,
tui/config.py `outlets_path`). Nothing here is guessed: an outlet not in the file has no
country, owner or labels.

    ["Daily Sabah"]          # a source's name as articles carry it, a feed's name or its URL
    country = "TR"
    owner = "Turkuvaz Media"
    labels = ["pro-government"]

A file that cannot be read, or holds an unknown key or a value of the wrong type, is one line
naming the file, the outlet and what to fix.
"""

from __future__ import annotations

import os
import tomllib

import msgspec

from .errors import NewsreaderError
from .small_files import SmallFileError, read_small

MAX_BYTES = 1024 * 1024


class OutletsError(NewsreaderError):
    """sources.toml cannot be used: one line naming the file and what to fix."""


class Outlet(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    country: str | None = None
    owner: str | None = None
    labels: list[str] = msgspec.field(default_factory=list)

    def to_json(self) -> dict:
        return {"country": self.country, "owner": self.owner, "labels": list(self.labels)}


def read_outlets(path: str | os.PathLike) -> dict[str, Outlet]:
    """The outlets a sources.toml describes ({} when there is no such file)."""
    if not os.path.lexists(path):
        return {}
    try:
        text = read_small(path, MAX_BYTES, "sources.toml").decode("utf-8")
    except SmallFileError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise OutletsError(f"{path}: cannot read it ({' '.join(str(exc).split())}); fix or delete the file") from None
    return parse(text, str(path))


def parse(text: str, where: str) -> dict[str, Outlet]:
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError) as exc:
        raise OutletsError(f"{where}: not valid TOML ({' '.join(str(exc).split())}); fix or delete the file") from None
    found = {}
    for name, value in data.items():
        if not isinstance(value, dict):
            raise OutletsError(f"{where}: {name!r} is not a table; write [\"{name}\"] on its own line, then "
                               "country = \"TR\", owner = \"...\", labels = [\"...\"]")
        try:
            found[name] = msgspec.convert(value, type=Outlet, strict=True)
        except msgspec.ValidationError as exc:
            what, _, at = str(exc).partition(" - at `$")
            key = at.rstrip("`").lstrip(".")
            hint = ("the keys an outlet may have are country, owner and labels"
                    if what.startswith("Object contains unknown field") else
                    "country and owner are text in quotes, labels a list of them: labels = [\"state media\"]")
            raise OutletsError(f"{where}: [{name!r}]{'.' + key if key else ''}: {what}; {hint}") from None
    return found


def facts_for(outlets: dict[str, Outlet], *keys: str | None) -> Outlet | None:
    """The first entry the file has for any of an outlet's names (source name, feed name, URL)."""
    for key in keys:
        if key and key in outlets:
            return outlets[key]
    return None
