"""Bytes to text: UTF-8 when it is, otherwise the encoding charset-normalizer detects."""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

from charset_normalizer import from_bytes

MAX_FILE_BYTES = 20 * 1024 * 1024  # larger files are refused: nobody writes 20 MB articles

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# The code pages that legacy text in a language was most likely written in.
_LEGACY_CODEPAGES = {
    "Turkish": ("cp1254", "iso8859_9"),
    "Arabic": ("cp1256", "iso8859_6"),
    "Farsi": ("cp1256",),
    "Russian": ("cp1251", "koi8_r", "iso8859_5"),
    "Ukrainian": ("cp1251", "koi8_u"),
    "Bulgarian": ("cp1251",),
    "Greek": ("cp1253", "iso8859_7"),
    "Hebrew": ("cp1255", "iso8859_8"),
    "Polish": ("cp1250", "iso8859_2"),
    "Czech": ("cp1250", "iso8859_2"),
    "Hungarian": ("cp1250", "iso8859_2"),
    "Croatian": ("cp1250", "iso8859_2"),
    "Slovak": ("cp1250", "iso8859_2"),
    "Romanian": ("cp1250", "iso8859_16"),
    "Lithuanian": ("cp1257", "iso8859_13"),
    "Latvian": ("cp1257", "iso8859_13"),
    "Estonian": ("cp1257", "iso8859_15"),
}


_WIDE = {"utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be", "utf_16", "utf_32"}


def _wide_unicode(data: bytes) -> str | None:
    """UTF-16 or UTF-32 text without a byte order mark (NUL bytes in every other byte), as
    charset-normalizer detects it; None when the bytes do not read as mostly printable text."""
    best = from_bytes(data[:1_048_576]).best()
    if best is None or best.encoding not in _WIDE:
        return None
    text = data.decode(best.encoding, errors="replace")
    sample = text[:65536]
    printable = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t")
    return text if sample and printable >= 0.95 * len(sample) and "\ufffd" not in sample[:4096] else None


class InputError(ValueError):
    """A file that cannot be read as text; the message says why and what to do."""


def read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block forever, a device never end
            raise InputError("is not a regular file (a pipe, device or socket); skipped")
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(
                f"too large ({info.st_size / 1_048_576:.0f} MB, limit {MAX_FILE_BYTES // 1_048_576} MB); split it into smaller files"
            )
        with path.open("rb") as handle:  # the size stat gives can be wrong (/proc): read at most the limit
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InputError(f"too large (over {MAX_FILE_BYTES // 1_048_576} MB); split it into smaller files")
        return data
    except PermissionError:
        raise InputError("permission denied; check the file's permissions") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})") from None


def decode(data: bytes) -> str:
    """Decode article bytes; raise InputError for binary or undecodable data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        text = _wide_unicode(data)
        if text is None:
            raise InputError("looks like a binary file, not text; only text, HTML, JSONL and feeds can be added")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("could not detect its text encoding; convert it to UTF-8")
    # Single-byte Latin code pages decode most bytes alike and charset-normalizer often ranks
    # cp1252 first for Turkish text; it does get the language right, so let the language pick
    # among the candidates that decode cleanly.
    preferred = _LEGACY_CODEPAGES.get(best.language, ())
    for match in matches:
        if match.encoding in preferred and match.chaos <= best.chaos + 0.1:
            return str(match)
    return str(best)
