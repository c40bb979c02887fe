"""Writing the files a user names (`export -o FILE`, the app's state file) and standard
output, the way `cp` and editors do, and whole or not at all:

- a link is followed: the file it points to is written, the link stays a link (a link to
  nothing is refused: where it leads is a guess);
- only a regular file is written (or a new one created): a FIFO, a device, a socket or a
  folder is refused with one line, never replaced;
- an existing file keeps its mode (a new one gets what the umask gives, as with `cp`);
- the text goes to a temporary file beside the target, which is renamed over it once
  complete: a full disk, a kill or a crash leaves the old file as it was, and one line says
  why (`the disk is full`).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import NewsreaderError
from .small_files import kind_of


class OutputError(NewsreaderError):
    """An output that cannot be written; the message is one line naming it."""


def why(exc: OSError) -> str:
    """An OSError in the words a user needs."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    return exc.strerror or str(exc)


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (threads are safe)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def target_of(path: str | os.PathLike, hint: str = "choose another file") -> Path:
    """Where writing `path` really goes (links followed), checked: a regular file or nothing
    yet, in a folder that exists. OutputError otherwise."""
    given = Path(path).expanduser()
    target = Path(os.path.realpath(given))
    if given.is_symlink() and not target.exists() and not target.is_symlink():
        raise OutputError(f"{given}: is a link to {target}, which does not exist; {hint}")
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise OutputError(f"{given}: no folder {target.parent} to write it in; {hint}") from None
        return target
    except OSError as exc:
        raise OutputError(f"{given}: cannot write it ({why(exc)}); {hint}") from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{given}: is {kind_of(info.st_mode)}, not a file; {hint}")
    return target


def write_output(path: str | os.PathLike, text: str | bytes, *, hint: str = "choose another file") -> Path:
    """Write `text` (UTF-8) to the file `path` names, whole or not at all (see the module's
    docstring); returns the file written. OutputError (one line, `hint` ending it) when it
    cannot be, and then nothing was changed."""
    target = target_of(path, hint)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        existing = os.stat(target)
        mode, owner = stat.S_IMODE(existing.st_mode), (existing.st_uid, existing.st_gid)
    except FileNotFoundError:
        mode, owner = 0o666 & ~_umask(), None
    temp = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            if owner is not None and os.geteuid() == 0:  # root writing someone's file: theirs still
                os.fchown(out.fileno(), *owner)
            os.fchmod(out.fileno(), mode)
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        raise OutputError(f"{Path(path).expanduser()}: cannot write it ({why(exc)}); nothing was written; "
                          f"{hint}") from None
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
    return target


def write_stdout(text: str) -> None:
    """`text` to standard output byte for byte (no terminal formatting); a full disk or a closed
    device is one line (OutputError). A closed pipe stays BrokenPipeError: the command line
    ends quietly on it (`newsreader feeds export | head`)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        discard_stdout()
        raise OutputError(f"cannot write to standard output ({why(exc)})") from None


def discard_stdout() -> None:
    """Send standard output to /dev/null from now on: what is still buffered for a full disk
    or a closed pipe would fail again at exit, with Python's own message."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test's capture)
        pass
