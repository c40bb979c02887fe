"""Following on the command line: `newsreader follow EVENT_ID`, `follow --query QUERY`,
`unfollow`, `following [--new]`; and `announce`, which the commands that bring articles (add,
fetch) call to say what came into followed items and to run the `[follow] notify` hook.

Registered by `newsreader.tui.cli`. Follows are the reader's own state (index/following.py).
"""

from __future__ import annotations

from rich.text import Text

from . import notify
from .context import EXIT_OK, Context, UsageError, plural


def announce(ctx: Context, library, *, quiet: bool = False) -> list:
    """What this process's add or fetch brought into followed items: one line each on stderr
    (not with `quiet`), and the notify hook run for each. Returns the arrivals."""
    arrivals = library.take_alerts()
    if not quiet:
        for arrival in arrivals:
            ctx.err.print(Text(f"Following: {arrival.title()}", style="bold"), soft_wrap=True)
    notify.run(ctx.settings.follow.notify, arrivals, ctx.problem)
    return arrivals


def cmd_follow(args, ctx: Context) -> int:
    if (args.event is None) == (args.query is None):
        raise UsageError("give an event id (newsreader events lists them) or --query 'WORDS', not both")
    followed = ctx.library().follow(args.event, query=args.query)
    if args.json:
        ctx.print_json(followed.to_json())
    else:
        what = f"the search {followed.target!r}" if followed.kind == "query" else \
            f"event {followed.target} ({plural(followed.reports, 'report')})"
        ctx.out.print(Text(f"Following {what}; `newsreader following --new` lists what comes in."), soft_wrap=True)
    return EXIT_OK


def cmd_unfollow(args, ctx: Context) -> int:
    gone = ctx.library().unfollow(args.target)
    if args.json:
        ctx.print_json(gone.to_json())
    else:
        ctx.out.print(Text(f"No longer following {gone.name}"), soft_wrap=True)
    return EXIT_OK


def cmd_following(args, ctx: Context) -> int:
    library = ctx.library()
    library.ensure_events()
    if args.new:
        return _new(args, ctx, library)
    followed = library.following()
    if args.json:
        ctx.print_json([f.to_json() for f in followed])
        return EXIT_OK
    if not followed:
        ctx.err.print(Text("Nothing followed yet; `newsreader follow EVENT_ID` or `newsreader follow --query WORDS`."))
        return EXIT_OK
    for f in followed:
        kind = "search" if f.kind == "query" else "event "
        new = Text(f"{f.new} new", style="bold") if f.new else Text("0 new", style="dim")
        line = Text.assemble((str(f.id).rjust(3), "bold"), "  ", kind, "  ", new,
                             f"  {plural(f.reports, 'report')}  ", f.name)
        ctx.out.print(line, no_wrap=True, overflow="ellipsis")
    return EXIT_OK


def _new(args, ctx: Context, library) -> int:
    """What came in since last asked, each report once (then seen)."""
    arrivals = library.take_new()
    if args.json:
        ctx.print_json([a.to_json() for a in arrivals])
        return EXIT_OK
    if not arrivals:
        ctx.err.print(Text("Nothing new in what you follow."))
        return EXIT_OK
    for number, arrival in enumerate(arrivals):
        if number:
            ctx.out.print()
        ctx.out.print(Text(arrival.title(), style="bold"), soft_wrap=True)
        for r in arrival.reports:
            line = Text.assemble("  ", (r.id, "bold"), "  ", r.lang, "  ", r.date or "-", "  ",
                                 r.source or "-", "  ", r.title)
            ctx.out.print(line, no_wrap=True, overflow="ellipsis")
    return EXIT_OK


def register(sub, command) -> None:
    p = command("follow", cmd_follow, "follow an event (it stays followed when it merges or grows) or a search "
                "(each new article is matched against it)")
    p.add_argument("event", nargs="?", metavar="EVENT_ID", help="an event's id (`newsreader events` lists them)")
    p.add_argument("--query", metavar="QUERY", help="follow a search instead, e.g. 'Pezeshkian lang:ar,tr'")
    p = command("unfollow", cmd_unfollow, "stop following an event or a search")
    p.add_argument("target", metavar="NUMBER|EVENT_ID|QUERY", help="as `newsreader following` lists it")
    p = command("following", cmd_following, "what you follow, each with its new reports")
    p.add_argument("--new", action="store_true",
                   help="list the reports that came in since you last asked (each once), then count them seen")
