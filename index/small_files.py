"""Reading the small files newsreader is handed (the config, an OPML list, the app's state
file, a package's metadata.json): regular files only, bounded in size, parsed with bounded
nesting. Whatever is wrong (a FIFO that would block forever, a link to /dev/zero that never
ends, a 300 MB file of whitespace, JSON nested 100,000 deep, a 5,000-digit number) is one
line naming the file, never a hang, a traceback or gigabytes of memory.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from .errors import NewsreaderError

_KINDS = {stat.S_IFIFO: "a pipe (FIFO)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


class SmallFileError(NewsreaderError):
    """A small file that cannot be read; the message is one line naming it."""


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words ("a pipe (FIFO)", "a device")."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_small(path: str | os.PathLike, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; links are followed. `what` names
    the file in errors ("the config file"). FileNotFoundError is left to the caller (a missing
    file is often no error at all)."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO would otherwise wait for a writer, forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise SmallFileError(f"{path}: {what} is a folder, not a file") from None
    except OSError as exc:
        raise SmallFileError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SmallFileError(f"{path}: {what} is {kind_of(info.st_mode)}, not a regular file; give a file")
        if info.st_size > limit:
            raise SmallFileError(f"{path}: {what} is larger than {_size(limit)} ({_size(info.st_size)}); "
                                 "not a file newsreader reads")
        chunks, size = [], 0
        while size <= limit:  # what stat says can be wrong (/proc): read at most the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise SmallFileError(f"{path}: {what} is larger than {_size(limit)}; not a file newsreader reads")
        return b"".join(chunks)
    except OSError as exc:
        raise SmallFileError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def parse_json(data: bytes | str, where: str):
    """JSON, with one line for what Python's parser would raise anything else for: bad syntax,
    bad UTF-8, nesting past the recursion limit, integers past Python's 4,300 digits."""
    try:
        # UTF-8, strictly: json.loads would take bytes holding an encoded surrogate (ED A0 80)
        return json.loads(data.decode("utf-8-sig") if isinstance(data, bytes) else data)
    except RecursionError:
        raise SmallFileError(f"{where} is nested too deeply to read") from None
    except UnicodeDecodeError:
        raise SmallFileError(f"{where} is not UTF-8 text") from None
    except ValueError as exc:  # JSONDecodeError, and the int digit limit
        raise SmallFileError(f"{where} is not valid JSON ({number_problem(exc) or one_line(str(exc))})") from None


def number_problem(exc: ValueError) -> str | None:
    """Python's message for a number of too many digits, said for people (it suggests a
    Python call), or None for any other ValueError."""
    text = str(exc)
    return "a number of more than 4,300 digits" if "digits" in text and "limit" in text else None


def one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _size(count: int) -> str:
    if count >= 1 << 20:
        return f"{count / (1 << 20):.0f} MB"
    return f"{max(1, count // 1024)} KB"
