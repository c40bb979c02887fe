"""What the operating system and SQLite say when something outside the program goes wrong
(a full disk, a read-only folder, a damaged catalog, another process holding the library),
turned into the one-line errors the engine promises, each naming the file and what to do.

`guarded` wraps the library's public methods; a failure it does not recognise is left alone
(a bug should show as one).
"""

from __future__ import annotations

import errno
import functools
import sqlite3
from pathlib import Path

from .errors import LibraryBusy, LibraryDamaged, LibraryError, NewsreaderError
from .library_lock import read_only

_FULL = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def disk_full(folder: Path) -> LibraryError:
    return LibraryError(f"the disk holding {folder} is full; free some space and run the command again "
                        "(this change was not kept; what the library held before is intact)")


def damaged_catalog(path: Path, detail: str) -> LibraryDamaged:
    return LibraryDamaged(
        f"the catalog {path} is damaged ({detail}); it holds what your sources said and your marks, so "
        f"it is left as it is: restore it from a backup, or try `sqlite3 {path.name} .recover` on a copy; "
        "to start over, move the library folder aside and add your files again")


def translate(exc: BaseException, folder: Path, catalog: Path) -> NewsreaderError | None:
    """The user-facing error for `exc`, or None when it is not a fault of the surroundings."""
    if isinstance(exc, NewsreaderError):
        return None
    if isinstance(exc, sqlite3.DatabaseError):
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        if name.startswith("SQLITE_FULL") or "disk is full" in text:
            return disk_full(folder)
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
            return LibraryBusy(f"the library at {folder} is busy: another newsreader is changing it; "
                               "try again when it finishes")
        if name.startswith("SQLITE_READONLY") or "readonly database" in text:
            return read_only(folder)
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
            return damaged_catalog(catalog, text)
        if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
            return LibraryError(f"cannot read or write the library at {folder} ({text}); check the disk it is on")
        return None
    if isinstance(exc, OSError) and exc.errno in _FULL:
        return disk_full(folder)
    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return read_only(folder)
    return None


def guarded(method):
    """Decorate a Library method: environmental failures become one-line LibraryErrors."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            mapped = translate(exc, self.folder, self.folder / "catalog.sqlite")
            if mapped is None:
                raise
            raise mapped from None

    return wrapper
