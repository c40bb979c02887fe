"""`newsreader config path` and `newsreader config show`: where the config file is, and
every effective setting with where its value came from (default, config file, environment,
command line), plus the locations in use and the choices the app remembers.

Registered by `newsreader.tui.cli`.
"""

from __future__ import annotations

import os

from rich.text import Text

from . import config, remembered
from .context import EXIT_OK, Context, UsageError

# What a setting left unset (None) means.
_DEFAULTS = {"library.dir": "(the user data folder)", "translation.package_index": "(the public Argos index)"}


def _kind(origin: str) -> str:
    if origin == config.DEFAULT:
        return "default"
    if origin.startswith("--"):
        return f"command line ({origin})"
    if origin.isupper():  # an environment variable's name
        return f"environment ({origin})"
    return f"config file ({origin})"


def _value(settings: config.Settings, path: str):
    section, name = path.split(".", 1)
    if section == "keys":
        return settings.keys.get(name)
    return getattr(getattr(settings, section), name)


def _locations(ctx: Context) -> list[tuple[str, str, str]]:
    """(what, path, where the path came from)."""
    def env_or_default(name: str) -> str:
        return f"environment ({name})" if os.environ.get(name) else "default"

    settings = ctx.settings
    places = settings.places()
    return [
        ("config file", str(config.config_path()), env_or_default("NEWSREADER_CONFIG")),
        ("state file", str(remembered.state_path()), env_or_default("NEWSREADER_STATE")),
        ("library", str(places.library), _kind(settings.origins.get("library.dir", config.DEFAULT))),
        ("models", str(places.packages), env_or_default("ARGOS_PACKAGES_DIR")),
        ("cache", str(places.cache), env_or_default("NEWSREADER_CACHE")),
    ]


def cmd_config(args, ctx: Context) -> int:
    raise UsageError("choose what to do: newsreader config path | show")


def cmd_config_path(args, ctx: Context) -> int:
    path = config.config_path()
    if args.json:
        ctx.print_json({"path": str(path), "exists": path.exists()})
    else:
        ctx.out.print(Text(str(path)), soft_wrap=True)
        if not path.exists():
            ctx.err.print(Text("(no file there yet: every setting is at its default)", style="dim"))
    return EXIT_OK


def cmd_config_show(args, ctx: Context) -> int:
    settings = ctx.settings
    sources = settings.sources()
    choices, problem = remembered.load()
    if problem:
        ctx.problem(problem)
    if args.json:
        ctx.print_json({
            "settings": {path: {"value": _value(settings, path), "source": _kind(origin)}
                         for path, origin in sources.items()},
            "locations": {what: {"path": path, "source": source} for what, path, source in _locations(ctx)},
            "remembered": choices.to_json(),
        })
        return EXIT_OK
    width = max(len(path) for path in sources)
    for path, origin in sources.items():
        value = _value(settings, path)
        shown = _DEFAULTS.get(path, "(none)") if value is None else _toml(value)
        ctx.out.print(Text.assemble(path.ljust(width), " = ", shown.ljust(12), "  ", (_kind(origin), "dim")),
                      soft_wrap=True)
    ctx.out.print()
    for what, path, source in _locations(ctx):
        ctx.out.print(Text.assemble(what.ljust(width), "   ", path, "  ", (source, "dim")), soft_wrap=True)
    ctx.out.print()
    chosen = choices.to_json()
    if chosen:
        ctx.out.print(Text("Remembered by the app (the state file; used by the app over the config):", style="bold"))
        for name, value in chosen.items():
            ctx.out.print(Text(f"  {name} = {_toml(value)}"))
    else:
        ctx.out.print(Text("Nothing remembered by the app yet.", style="dim"))
    return EXIT_OK


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def register(sub, command) -> None:
    p = command("config", cmd_config, "the configuration: config path, config show", json_flag=False)
    actions = p.add_subparsers(dest="action", metavar="ACTION")

    def action(name: str, handler, help: str):
        q = actions.add_parser(name, help=help, description=help)
        q.set_defaults(handler=handler)
        q.add_argument("--json", action="store_true", help="print one JSON document")
        return q

    action("path", cmd_config_path, "where the config file is (or would be)")
    action("show", cmd_config_show, "every effective setting and where it came from, the locations in use, "
           "and what the app remembers")
