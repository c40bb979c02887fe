"""All configuration in one place: locations, the config file's schema, and the settings.

The config file is TOML at `config_path()` (platformdirs' user config dir, or
$NEWSREADER_CONFIG); every setting is optional. The schema is the structs below: one per
section, unknown keys refused. 0.1.0's flat top-level keys (`target_lang = "en"`...) are
still read, each into its section.

Precedence: command-line option > environment variable > config file > default;
`Settings.sources()` says which one gave each value.
"""

from __future__ import annotations

import os
import re
import tomllib
import typing
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, field
from platformdirs import PlatformDirs

from newsreader.index.langcodes import LanguageCodeError, normalize
from newsreader.index.small_files import SmallFileError, number_problem, read_small
from newsreader.index.translation import ENGINES

APP_NAME = "newsreader"
DIRS = PlatformDirs(APP_NAME, appauthor=False)
DEFAULT = "default"  # the source of a value nobody set
MAX_CONFIG_BYTES = 1024 * 1024  # a config file is a few hundred bytes; a FIFO or /dev/zero never ends


class ConfigError(ValueError):
    """The config file is unreadable or holds a bad value; the one-line message names both."""


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("NEWSREADER_CONFIG") or Path(DIRS.user_config_dir) / "config.toml")


def default_library() -> Path:
    return Path(DIRS.user_data_dir) / "library"


def cache_dir() -> Path:
    return Path(os.environ.get("NEWSREADER_CACHE") or DIRS.user_cache_dir)


def outlets_path(env: Mapping[str, str] | None = None) -> Path:
    """The reader's facts about outlets (country, owner, labels): `sources.toml` beside the
    config file."""
    return config_path(env).parent / "sources.toml"


def argos_packages_dir() -> Path:
    """Where Argos Translate packages live: shared with argostranslate/argospm on purpose."""
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


# -- the schema ------------------------------------------------------------------------------

class _Section(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class _FieldError(ValueError):
    """Raised by a section's __post_init__; msgspec keeps it as the cause, so the field is known."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


class LibrarySection(_Section):
    # None: the default library (default_library()), filled from the bundled seeds on first open
    dir: Annotated[str, Meta(pattern=r"\S")] | None = None


class TranslationSection(_Section):
    target: str = "en"  # the translation pane's language, normalised: "TR" -> "tr"
    engine: Literal[ENGINES] = "ctranslate2"  # argos needs newsreader[argos]
    cache_mb: Annotated[int, Meta(ge=1, le=1_048_576)] = 64  # at most 1 TB
    show: bool = True
    # The Argos package index for `models available` / `models install NAME`; None: the public one.
    package_index: Annotated[str, Meta(pattern=r"\S")] | None = None

    def __post_init__(self) -> None:
        try:
            self.target = normalize(self.target, allow_und=False)
        except LanguageCodeError as exc:
            raise _FieldError("target", str(exc)) from None


class UiSection(_Section):
    rtl: Literal["auto", "visual", "logical"] = "auto"  # how right-to-left text is shown (tui/rtl.py)
    # The command that opens an article's URL (O), run without a shell: its words, `{url}` where
    # the URL goes (else it is added last). None: $BROWSER, else the system's (Python's webbrowser).
    browser: list[Annotated[str, Meta(min_length=1)]] | None = None
    # Ring the terminal's bell when an add or a fetch by the app brings reports into something
    # followed: on, since it rings only for what the reader asked to be told about.
    bell: bool = True

    def __post_init__(self) -> None:
        if self.browser is not None and not self.browser:
            raise _FieldError("browser", HINTS["ui.browser"].replace("expected", "an empty command; expected"))


class EventsSection(_Section):
    # After an add, translate the new articles' titles and leads into English with the installed
    # models (index/glossing.py): an extra signal for grouping and search. No model, no cost.
    translate_leads: bool = True


class FeedsSection(_Section):
    timeout_s: Annotated[float, Meta(gt=0, le=600)] = 20.0  # the whole of each request: connecting to the last byte
    parallel: Annotated[int, Meta(ge=1, le=32)] = 4  # feeds downloaded at once
    max_mb: Annotated[int, Meta(ge=1, le=1024)] = 10  # a larger feed is refused
    mark_read_on_open: bool = True  # opening an article in the app marks it read
    fetch_pages: bool = False  # fetch the page of each item that carries only a summary
    refresh_minutes: Annotated[int, Meta(ge=0, le=10080)] = 30  # the app fetches every N minutes; 0: never


class FollowSection(_Section):
    # Run when an add or a fetch brings reports into a followed event or search: a program and
    # its arguments, never through a shell; {title}, {summary}, {count} and {followed} are filled
    # in (tui/notify.py). Empty: no command.
    notify: list[Annotated[str, Meta(max_length=4096)]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.notify and not self.notify[0].strip():
            raise _FieldError("notify", "the first item is the program to run; it cannot be empty")
        if any("\x00" in part for part in self.notify):
            raise _FieldError("notify", "an argument cannot hold a NUL character")


class Config(_Section):
    """The config file: one field per [section]."""

    library: LibrarySection = field(default_factory=LibrarySection)
    translation: TranslationSection = field(default_factory=TranslationSection)
    ui: UiSection = field(default_factory=UiSection)
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys; tui/keymap.py checks the ids
    events: EventsSection = field(default_factory=EventsSection)
    feeds: FeedsSection = field(default_factory=FeedsSection)
    follow: FollowSection = field(default_factory=FollowSection)


class Settings(Config):
    """The effective settings: the file's sections after the environment and command line."""

    # key path ("translation.target") -> where its value came from, for values not left at the default
    origins: dict[str, str] = field(default_factory=dict)

    @property
    def library_is_default(self) -> bool:
        return self.library.dir is None

    @property
    def library_dir(self) -> Path:
        return Path(self.library.dir).expanduser() if self.library.dir is not None else default_library()

    def with_library(self, folder: str | Path, source: str = "--library") -> Settings:
        return msgspec.structs.replace(self, library=LibrarySection(dir=str(folder)),
                                       origins={**self.origins, "library.dir": source})

    def places(self):
        """Where the engine's workspace keeps the library, the models and the cache."""
        from newsreader.index.workspace import Places

        return Places(library=self.library_dir, library_is_default=self.library_is_default,
                      packages=argos_packages_dir(), cache=cache_dir(),
                      cache_mb=self.translation.cache_mb, engine=self.translation.engine)

    def fetch_options(self):
        """How `fetch` downloads feeds, from the [feeds] section."""
        from newsreader.index import FetchOptions

        return FetchOptions(timeout=self.feeds.timeout_s, parallel=self.feeds.parallel,
                            max_bytes=self.feeds.max_mb * 1024 * 1024, fetch_pages=self.feeds.fetch_pages)

    def sources(self) -> dict[str, str]:
        """Every key path -> "default", the config file's path, the environment variable or the option."""
        paths = [f"{section}.{name}" for section in SECTIONS for name in SECTIONS[section].__struct_fields__]
        paths += [f"keys.{binding}" for binding in self.keys]
        return {path: self.origins.get(path, DEFAULT) for path in paths}


SECTIONS: dict[str, type[_Section]] = {
    f.name: f.type for f in msgspec.structs.fields(Config) if isinstance(f.type, type) and issubclass(f.type, _Section)
}
# 0.1.0 wrote every setting at the top level; `keys` was already a table and is unchanged.
LEGACY_KEYS = {
    "library": ("library", "dir"),
    "target_lang": ("translation", "target"),
    "engine": ("translation", "engine"),
    "translation_cache_mb": ("translation", "cache_mb"),
    "show_translation": ("translation", "show"),
    "rtl": ("ui", "rtl"),
}
# What a good value looks like, per key path; Literal fields list their values by themselves.
HINTS = {
    "library": 'expected a section: [library] with dir = "~/news"',
    "library.dir": 'expected a folder path in quotes, e.g. dir = "~/news"',
    "translation.target": 'expected a language code in quotes, e.g. target = "en"',
    "translation.cache_mb": "expected a whole number of megabytes from 1 to 1048576",
    "translation.show": "expected true or false",
    "translation.package_index": 'expected the URL of an Argos package index in quotes, e.g. "https://.../index.json"',
    "ui.bell": "expected true or false",
    "events.translate_leads": "expected true or false",
    "feeds.timeout_s": "expected a number of seconds, more than 0 and at most 600",
    "feeds.parallel": "expected a whole number from 1 to 32",
    "feeds.max_mb": "expected a whole number of megabytes from 1 to 1024",
    "feeds.mark_read_on_open": "expected true or false",
    "feeds.fetch_pages": "expected true or false",
    "follow.notify": 'expected a list of the program and its arguments, e.g. ["notify-send", "{title}", "{summary}"]',
    "feeds.refresh_minutes": "expected a whole number of minutes from 0 (never) to 10080 (a week)",
    "ui.browser": 'expected a command as a list of words in quotes, e.g. browser = ["firefox", "--new-tab", "{url}"]',
    "keys": 'expected a section: [keys] with binding id = "keys", e.g. search = "ctrl+f"',
    "keys.*": 'expected keys in quotes, e.g. search = "ctrl+f"',
}


# -- loading ---------------------------------------------------------------------------------

def load(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    path = path or config_path(env)
    settings = Settings()
    if path.exists():
        settings = _read(path)
    if env.get("NEWSREADER_LIBRARY"):
        settings = settings.with_library(env["NEWSREADER_LIBRARY"], source="NEWSREADER_LIBRARY")
    if env.get("NEWSREADER_PACKAGE_INDEX"):
        translation = msgspec.structs.replace(settings.translation, package_index=env["NEWSREADER_PACKAGE_INDEX"])
        settings = msgspec.structs.replace(settings, translation=translation, origins={
            **settings.origins, "translation.package_index": "NEWSREADER_PACKAGE_INDEX"})
    return settings


def parse(text: str, where: str) -> Settings:
    """The settings in one config file's text; `where` names the file in errors and sources()."""
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError(f"{where}: not valid TOML: nested too deeply; fix or delete the file") from None
    except ValueError as exc:  # TOMLDecodeError ends with "(at line 3, column 9)"; also the int digit limit
        raise ConfigError(f"{where}: not valid TOML: {number_problem(exc) or _one_line(str(exc))}") from None
    written_as = _move_legacy_keys(data, where)
    _dotted_key_ids(data)
    try:
        config = msgspec.convert(data, type=Config, strict=True)
    except msgspec.ValidationError as exc:
        raise ConfigError(_explain(exc, data, written_as, where)) from None
    origins = {path: where for path in _leaf_paths(data)}
    if config.keys:  # checked here so every command refuses a bad [keys], not only the app
        from .keymap import KeymapError, keymap_for

        try:
            keymap_for(config.keys)
        except KeymapError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return Settings(**msgspec.structs.asdict(config), origins=origins)


def _read(path: Path) -> Settings:
    try:
        text = read_small(path, MAX_CONFIG_BYTES, "the config file").decode("utf-8")
    except SmallFileError as exc:
        raise ConfigError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({_one_line(str(exc))}); fix or delete it") from None
    return parse(text, str(path))


def _move_legacy_keys(data: dict, where: str) -> dict[str, str]:
    """Move 0.1.0's flat keys into their sections, in place; returns key path -> the name written."""
    written_as = {}
    for flat, (section, name) in LEGACY_KEYS.items():
        if flat not in data or (flat == "library" and isinstance(data[flat], dict)):  # [library] is new
            continue
        table = {} if flat == section else data.get(section, {})  # flat `library` is not its section
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: {section} = {_show(table)}: {_section_hint(section)}")
        if name in table:
            raise ConfigError(f"{where}: {flat} and {section}.{name} are both set; keep {section}.{name}")
        table[name] = data.pop(flat)
        data[section] = table
        written_as[f"{section}.{name}"] = flat
    return written_as


def _dotted_key_ids(data: dict) -> None:
    """`compare.next = "n"` under [keys] is TOML for a table `compare` holding `next`: the binding
    id `compare.next`, as if it were written in quotes. In place."""
    keys = data.get("keys")
    if not isinstance(keys, dict):
        return
    for name, value in list(keys.items()):
        if isinstance(value, dict):
            del keys[name]
            for inner, key in value.items():
                keys[f"{name}.{inner}"] = key


def _leaf_paths(data: dict) -> list[str]:
    return [f"{section}.{name}" for section, table in data.items() if isinstance(table, dict) for name in table]


# -- error messages --------------------------------------------------------------------------

_MSGSPEC_ERROR = re.compile(r"^(?P<text>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(?P<name>[^`]*)`")


def _explain(exc: msgspec.ValidationError, data: dict, written_as: dict[str, str], where: str) -> str:
    """msgspec's "Expected `int`, got `bool` - at `$.translation.cache_mb`" -> one line for people."""
    match = _MSGSPEC_ERROR.match(str(exc))
    # "$.keys[...]": msgspec does not say which binding; the first one that is not a string
    # "$.ui.browser[0]": an item of a list setting is reported as the setting
    path = re.sub(r"\[\d+\]", "", match["path"] or "")
    text, parts = match["text"], [p for p in path.replace("[...]", ".*").split(".") if p]
    hint = None
    if isinstance(exc.__cause__, _FieldError):  # a section's __post_init__ refused one field
        parts.append(exc.__cause__.name)
        hint = str(exc.__cause__)
    elif unknown := _UNKNOWN_FIELD.match(text):
        return f"{where}: {_unknown(parts, unknown['name'], data)}"
    if parts == ["keys", "*"]:
        parts[-1] = next((k for k, v in data["keys"].items() if not isinstance(v, str)), "*")
    path = ".".join(parts)
    value = _lookup(data, parts)
    hint = hint or _hint(path) or (text[0].lower() + text[1:])
    return f"{where}: {written_as.get(path, path)} = {_show(value)}: {_one_line(hint)}"


def _unknown(parts: list[str], name: str, data: dict) -> str:
    if not parts:
        what = f"section [{name}]" if isinstance(data.get(name), dict) else f"top-level key {name}"
        return f"unknown {what}; known sections: {', '.join(sorted(f.name for f in msgspec.structs.fields(Config)))}"
    section = parts[0]
    known = ", ".join(sorted(SECTIONS[section].__struct_fields__)) or "none yet"
    return f"unknown key {section}.{name}; known keys in [{section}]: {known}"


def _hint(path: str) -> str | None:
    section, _, name = path.partition(".")
    if section == "keys" and name:
        return HINTS["keys.*"]
    if path in HINTS:
        return HINTS[path]
    if not name:
        return _section_hint(section)
    annotation = typing.get_type_hints(SECTIONS[section])[name] if section in SECTIONS else None
    if typing.get_origin(annotation) is Literal:
        return f"expected one of {', '.join(typing.get_args(annotation))}"
    return None


def _section_hint(section: str) -> str:
    return HINTS.get(section, f"expected a section: [{section}] on its own line, then its keys")


def _lookup(data: dict, parts: list[str]):
    value = data
    for part in parts:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _show(value) -> str:
    """A value as the file could have written it; repr so control characters show, never act."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, list):
        return "[...]"
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, int) and abs(value) >= 10**40:
        return f"a {len(str(abs(value)))}-digit number"
    return repr(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())
