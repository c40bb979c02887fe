"""Sources: finding the files to read, what kind each is, and its policy for vanished entries.

A text, HTML or JSONL file *mirrors* what it holds: an entry it no longer has is forgotten.
A feed file (RSS/Atom) *keeps* its old items: feeds rotate items out, and a reader wants the
ones already read to stay. Subscriptions (fetched feeds) are sources of the same kind, located
by their URL.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .article import Problem
from .readers import EXTENSIONS

MIRROR, KEEP = "mirror", "keep"


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

    def take(path: Path, folder: Path | None = None) -> None:
        problem = _unusable(path) or (_outside(path, folder) if folder is not None else None)
        if problem:
            problems.append(Problem(_shown(path), problem))
        else:
            files[str(path.resolve())] = None

    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            folder = path.resolve()
            folders.append(str(folder))
            for root, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if not name.startswith(".") and Path(name).suffix.lower() in EXTENSIONS:
                        take(Path(root) / name, folder)
        elif path.is_file():
            take(path)
        elif path.exists():
            problems.append(Problem(_shown(path), "is not a regular file or folder; skipped"))
        else:
            problems.append(_missing(given, path))
    return Collected(list(files), folders, problems)


def _missing(given, path: Path) -> Problem:
    """What to say of a path that is not there: a broken link, a URL, or a mistyped path."""
    if path.is_symlink():
        return Problem(_shown(path), _unusable(path) or "is a broken link; check the link")
    if re.match(r"^[a-z][a-z0-9+.-]*://", str(given), re.IGNORECASE):
        return Problem(str(given), "is a URL: add reads files and folders; a web feed is "
                       "followed with `newsreader feeds add URL`, then `newsreader fetch`")
    return Problem(_shown(path), "no such file or folder; check the path")


def check(given: str) -> Problem | None:
    """Why adding `given` would read nothing (before any work: a dialog checks what was typed),
    or None. A folder passes as soon as one file in it is of a kind newsreader reads."""
    path = Path(given).expanduser()
    if path.is_dir():
        for _, dirnames, filenames in os.walk(path):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            if any(not n.startswith(".") and Path(n).suffix.lower() in EXTENSIONS for n in filenames):
                return None
        return Problem(_shown(path), "holds no file newsreader reads (.txt, .md, .html, .jsonl, RSS/Atom "
                                     "feeds); nothing to add")
    if path.is_file():
        problem = _unusable(path)
        return Problem(_shown(path), problem) if problem else None
    if path.exists():
        return Problem(_shown(path), "is not a regular file or folder")
    return _missing(given, path)


def _outside(path: Path, folder: Path) -> str | None:
    """Why a link found in an added folder is not followed: it leads out of the folder (a
    `passwd.txt -> /etc/passwd` planted in a downloaded folder must not be read)."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    if target == folder or folder in target.parents:
        return None
    return f"links outside the added folder (to {_shown(target)}); skipped: add that file itself to include it"


def _unusable(path: Path) -> str | None:
    """Why a walked file cannot be a source, or None."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not valid UTF-8; rename the file to add it"
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symlink loop (a link that leads back to itself); skipped"
        if exc.errno == errno.ENOENT and path.is_symlink():
            return "is a broken link (what it points to does not exist); skipped"
        return f"cannot be read ({exc.strerror or exc}); check the link"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a pipe, device or socket); skipped"
    return None


def _shown(path: Path) -> str:
    """A path as it can be printed: undecodable bytes escaped."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def is_url(location: str) -> bool:
    """A fetched feed's location is its URL; every other source is a file path."""
    return location.startswith(("http://", "https://"))


def source_exists(location: str) -> bool:
    """Whether a source still holds what it held: a file on disk, or a feed (a feed's old
    items are never "gone": it keeps them)."""
    return is_url(location) or os.path.exists(location)


def source_name(url: str | None, path: str) -> str:
    """What the list shows as an article's source: the URL's domain when known, else the
    name of the folder the file sits in."""
    if url:
        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return Path(path).parent.name
