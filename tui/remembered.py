"""The reader's remembered choices: what the app was left showing (theme, target language,
translation shown or not, language filter, sort order, right-to-left mode), restored at the
next start.

Kept in a state file of its own (platformdirs' user state dir, or $NEWSREADER_STATE), never
in the config file the user edits: the app writes it, the user need not look at it. A missing,
damaged or outdated state file is never an error: what cannot be read is left at the config's
value, and the next save writes a good file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import msgspec

from newsreader.index import NewsreaderError
from newsreader.index.langcodes import LanguageCodeError, normalize
from newsreader.index.output_files import write_output
from newsreader.index.small_files import SmallFileError, parse_json, read_small

from .config import DIRS
from .terminal_text import is_safe, safe

SORTS = ("date", "source", "language")
MAX_STATE_BYTES = 64 * 1024  # a state file is a few hundred bytes


class Remembered(msgspec.Struct, kw_only=True, omit_defaults=True):
    """None: not chosen in the app (the config file's value, or the default, applies)."""

    theme: str | None = None
    target: str | None = None  # translation target language
    show_translation: bool | None = None
    language_filter: str | None = None  # "" for all languages
    sort: Literal["date", "source", "language"] | None = None
    rtl: Literal["auto", "visual", "logical"] | None = None

    def to_json(self) -> dict:
        return msgspec.to_builtins(self)


def state_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("NEWSREADER_STATE") or Path(DIRS.user_state_dir) / "state.json")


def load(path: Path | None = None) -> tuple[Remembered, str | None]:
    """The remembered choices, and why the file could not be read (None when it could, or
    when there is none yet); an unreadable value alone is dropped, never the whole file."""
    path = path or state_path()
    try:
        data = parse_json(read_small(path, MAX_STATE_BYTES, "the state file"), str(path))
    except FileNotFoundError:
        return Remembered(), None
    except SmallFileError as exc:  # a FIFO, /dev/zero, deep nesting, huge numbers: one line
        return Remembered(), safe(f"cannot read the remembered settings ({exc}); starting from the config",
                                  newlines=False)
    if not isinstance(data, dict):
        return Remembered(), safe(f"{path}: not a JSON object; starting from the config", newlines=False)
    values, dropped = {}, []
    for name in Remembered.__struct_fields__:
        if name not in data:
            continue
        try:
            one = msgspec.convert({name: data[name]}, type=Remembered, strict=True)
        except (msgspec.ValidationError, UnicodeEncodeError):  # a lone surrogate ("\ud800") is no text
            dropped.append(name)
            continue
        value = getattr(one, name)
        if isinstance(value, str) and not _plain(value):
            dropped.append(name)  # a theme's name is a short name, never a control sequence
            continue
        values[name] = value
    for name in ("target", "language_filter"):
        if values.get(name):
            try:
                values[name] = normalize(values[name], allow_und=(name == "language_filter"))
            except LanguageCodeError:
                values.pop(name)
                dropped.append(name)
    problem = safe(f"{path}: ignored bad remembered values: {', '.join(dropped)}", newlines=False) if dropped else None
    return Remembered(**values), problem


def _plain(value: str) -> bool:
    """Short, printable, storable text (no control, bidi override or lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return len(value) <= 100 and is_safe(value) and "\t" not in value


def save(choices: Remembered, path: Path | None = None) -> None:
    """Write whole or not at all, through a link, never over a pipe or device (output_files.py).
    Failing to remember is not worth stopping the reader for: OSError (OutputError is one) is
    left to the caller."""
    path = path or state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_output(path, json.dumps(choices.to_json(), indent=2, ensure_ascii=False) + "\n",
                     hint="check NEWSREADER_STATE")
    except NewsreaderError as exc:
        raise OSError(str(exc)) from None


def update(path: Path | None = None, **changes) -> Remembered:
    """Load, change some choices, save; returns what was saved."""
    current, _ = load(path)
    updated = msgspec.structs.replace(current, **changes)
    save(updated, path)
    return updated
