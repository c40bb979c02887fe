"""The reader's marks on the command line: `newsreader mark ID... --read|--unread`,
`newsreader star ID...`, `newsreader unstar ID...`.

Registered by `newsreader.tui.cli`. Marks are the reader's own state (the catalog's
`reader_state`): adding, fetching and rebuilding never change them.
"""

from __future__ import annotations

from rich.text import Text

from .context import EXIT_OK, Context, plural


def _report(ctx: Context, args, changed: list[str], what: str) -> int:
    if args.json:
        ctx.print_json({"changed": changed, "unchanged": sorted(set(args.ids) - set(changed))})
    else:
        ctx.out.print(Text(f"{plural(len(changed), 'article')} marked {what}"
                           + (f" ({len(set(args.ids)) - len(changed)} already were)" if len(changed) < len(set(args.ids))
                              else "")))
    return EXIT_OK


def cmd_mark(args, ctx: Context) -> int:
    changed = ctx.library().mark(args.ids, read=args.read)
    return _report(ctx, args, changed, "read" if args.read else "unread")


def cmd_star(args, ctx: Context) -> int:
    changed = ctx.library().mark(args.ids, starred=True)
    return _report(ctx, args, changed, "starred")


def cmd_unstar(args, ctx: Context) -> int:
    changed = ctx.library().mark(args.ids, starred=False)
    return _report(ctx, args, changed, "unstarred")


def register(sub, command) -> None:
    p = command("mark", cmd_mark, "mark articles read or unread")
    p.add_argument("ids", nargs="+", metavar="ID")
    state = p.add_mutually_exclusive_group(required=True)
    state.add_argument("--read", dest="read", action="store_true", default=None, help="mark them read")
    state.add_argument("--unread", dest="read", action="store_false", help="mark them unread")
    p = command("star", cmd_star, "star articles (bookmarks: `list --starred`, search is:starred)")
    p.add_argument("ids", nargs="+", metavar="ID")
    p = command("unstar", cmd_unstar, "take the star off articles")
    p.add_argument("ids", nargs="+", metavar="ID")
