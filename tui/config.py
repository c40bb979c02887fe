"""All configuration in one place: locations, the config file, and settings with defaults.

Precedence: command-line option > environment variable > config file > default.
The config file is TOML at `newsreader config-path` (platformdirs' user config dir).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "newsreader"
DIRS = PlatformDirs(APP_NAME, appauthor=False)
RTL_MODES = ("auto", "visual", "logical")
ENGINES = ("ctranslate2", "argos")


class ConfigError(ValueError):
    """The config file is unreadable or holds a bad value; the message names both."""


def config_path() -> Path:
    return Path(os.environ.get("NEWSREADER_CONFIG") or Path(DIRS.user_config_dir) / "config.toml")


def default_library() -> Path:
    return Path(DIRS.user_data_dir) / "library"


def cache_dir() -> Path:
    return Path(os.environ.get("NEWSREADER_CACHE") or DIRS.user_cache_dir)


def argos_packages_dir() -> Path:
    """Where Argos Translate packages live: shared with argostranslate/argospm on purpose."""
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


@dataclass
class Settings:
    library: Path | None = None  # None: the default library, filled from the bundled seeds
    target_lang: str = "en"
    rtl: str = "auto"  # auto | visual | logical: how right-to-left text is shown
    engine: str = "ctranslate2"  # ctranslate2 (built in) | argos (needs newsreader[argos])
    translation_cache_mb: int = 64
    show_translation: bool = True
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, e.g. {"search": "ctrl+f"}

    @property
    def library_is_default(self) -> bool:
        return self.library is None

    @property
    def library_dir(self) -> Path:
        return self.library if self.library is not None else default_library()


def load(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    path = path or config_path()
    settings = Settings()
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the config file ({exc}); fix or delete it") from None
        _apply(settings, data, path)
    if env.get("NEWSREADER_LIBRARY"):
        settings.library = Path(env["NEWSREADER_LIBRARY"]).expanduser()
    return settings


def _apply(settings: Settings, data: dict, path: Path) -> None:
    known = {f.name for f in fields(Settings)}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown setting {key!r}; known: {', '.join(sorted(known))}")
        if key == "library":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f'{path}: library must be a folder path in quotes, e.g. library = "~/news"')
            value = Path(value).expanduser()
        elif key == "keys":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigError(f'{path}: [keys] must map binding ids to key strings, e.g. search = "ctrl+f"')
        elif key == "rtl" and value not in RTL_MODES:
            raise ConfigError(f"{path}: rtl = {value!r}; use one of {', '.join(RTL_MODES)}")
        elif key == "engine" and value not in ENGINES:
            raise ConfigError(f"{path}: engine = {value!r}; use one of {', '.join(ENGINES)}")
        elif key == "translation_cache_mb" and (not isinstance(value, int) or value < 1):
            raise ConfigError(f"{path}: translation_cache_mb must be a whole number of megabytes (1 or more)")
        elif key in ("target_lang",) and not isinstance(value, str):
            raise ConfigError(f"{path}: {key} must be a language code such as \"en\"")
        elif key == "show_translation" and not isinstance(value, bool):
            raise ConfigError(f"{path}: show_translation must be true or false")
        setattr(settings, key, value)
