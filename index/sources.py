"""Sources: finding the files to read, what kind each is, and its policy for vanished entries.

A text, HTML or JSONL file *mirrors* what it holds: an entry it no longer has is forgotten.
A feed file (RSS/Atom) *keeps* its old items: feeds rotate items out, and a reader wants the
ones already read to stay. Subscriptions (fetched feeds) will be sources of the same kind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .article import Problem
from .readers import EXTENSIONS

MIRROR, KEEP = "mirror", "keep"


def kind_of(path: str) -> str:
    return EXTENSIONS.get(Path(path).suffix.lower(), "text")


def policy_of(kind: str) -> str:
    return KEEP if kind == "feed" else MIRROR


@dataclass
class Collected:
    files: list[str]  # resolved paths, in a stable order, no duplicates
    folders: list[str]  # folders given: files that vanished from them are forgotten
    problems: list[Problem]


def collect(paths) -> Collected:
    """Walk the given files and folders (recursively; hidden files and unknown types skipped)."""
    files: dict[str, None] = {}
    folders, problems = [], []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            folders.append(str(path.resolve()))
            for root, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if not name.startswith(".") and Path(name).suffix.lower() in EXTENSIONS:
                        files[str((Path(root) / name).resolve())] = None
        elif path.is_file():
            files[str(path.resolve())] = None
        elif path.exists():
            problems.append(Problem(str(given), "is not a regular file or folder; skipped"))
        else:
            problems.append(Problem(str(given), "no such file or folder; check the path"))
    return Collected(list(files), folders, problems)


def under(folder: str, locations) -> list[str]:
    """The locations inside a folder (or equal to it)."""
    prefix = folder.rstrip(os.sep) + os.sep
    return [loc for loc in locations if loc == folder or loc.startswith(prefix)]


def source_name(url: str | None, path: str) -> str:
    """What the list shows as an article's source: the URL's domain when known, else the
    name of the folder the file sits in."""
    if url:
        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return Path(path).parent.name
