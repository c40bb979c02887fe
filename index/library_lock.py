"""The library's write lock: one process at a time changes a library.

Every change (an add, a remove, a mark, a rebuild of the derived views) holds an exclusive
`flock` on `library.lock` in the library folder for its whole length; readers never take it.
A second writer either waits for it (the command line, saying so on stderr) or is told at
once that the library is busy (the app, whose screen must not freeze). Whoever holds the
lock is the only process that may write anything in the folder, the derived views included:
a reader that finds them stale rebuilds only if it can take the lock without waiting.
The kernel drops the lock when its process dies, also on SIGKILL, so it never goes stale.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import LibraryBusy, LibraryError

FILENAME = "library.lock"


class LibraryLock:
    """Re-entrant within a process (a rebuild inside an add takes it once)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / FILENAME
        self._fd: int | None = None
        self._depth = 0
        self._mutex = threading.RLock()  # threads of one process take turns too

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise read_only(self.folder) from None
            raise LibraryError(f"cannot lock the library at {self.folder}: {exc.strerror or exc}") from None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; False at once otherwise."""
        if not self._mutex.acquire(blocking=False):
            return False
        try:
            if self._depth == 0:
                fd = self._open()
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    self._mutex.release()
                    return False
                self._fd = fd
            self._depth += 1
            return True
        except BaseException:
            self._mutex.release()
            raise

    def acquire(self, *, wait: bool, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the lock; when another process holds it, wait (telling `on_wait` once) or,
        with `wait=False`, raise LibraryBusy."""
        if self.try_acquire():
            return
        if not wait:
            raise LibraryBusy(f"the library at {self.folder} is being changed by another newsreader "
                              "(an add or a rebuild); try again when it finishes")
        if on_wait is not None:
            on_wait(f"waiting for another newsreader to finish changing the library at {self.folder}…")
        self._mutex.acquire()
        try:
            if self._depth == 0:
                fd = self._open()
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
                self._fd = fd
            self._depth += 1
        except BaseException:
            self._mutex.release()
            raise

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None
        self._mutex.release()

    @contextmanager
    def held(self, *, wait: bool, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        self.acquire(wait=wait, on_wait=on_wait)
        try:
            yield
        finally:
            self.release()

    @property
    def depth(self) -> int:
        """How many times this process holds the lock now (read it while holding it: only the
        thread that holds it can have raised it above one)."""
        return self._depth

    @property
    def mine(self) -> bool:
        """Whether this process holds the lock now."""
        return self._depth > 0


def read_only(folder: Path) -> LibraryError:
    return LibraryError(f"the library at {folder} is read-only: reading works, but adding, removing, marking "
                        "and rebuilding need a folder you can write to")
