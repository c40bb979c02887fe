"""Feed subscriptions on the command line: `newsreader feeds add|list|remove|import|export`
and `newsreader fetch [NAME...]`.

Registered by `newsreader.tui.cli`. Everything goes through the engine's Library API; how
feeds are downloaded (timeout, parallel requests, size limit) comes from the [feeds] section.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace

from rich.text import Text

from .context import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, Context, ProgressBar, plural, say_glossed


def cmd_feeds_add(args, ctx: Context) -> int:
    sub = ctx.library().subscribe(args.url, name=args.name)
    if args.json:
        ctx.print_json(sub.to_json())
    else:
        ctx.out.print(Text(f"Subscribed to {sub.url} as {sub.name!r}; `newsreader fetch` downloads it."))
    return EXIT_OK


def cmd_feeds_list(args, ctx: Context) -> int:
    subs = ctx.library().subscriptions()
    if args.json:
        ctx.print_json([s.to_json() for s in subs])
        return EXIT_OK
    if not subs:
        ctx.err.print(Text("No subscriptions yet; `newsreader feeds add URL` or `newsreader feeds import FILE.opml`."))
        return EXIT_OK
    width = max(len(s.name) for s in subs)
    for sub in subs:
        if sub.last_error:
            state = Text(f"error: {sub.last_error}", style="bold")
        elif sub.last_fetch:
            state = Text(f"fetched {sub.last_fetch}", style="dim")
        else:
            state = Text("never fetched", style="dim")
        folder = f"  [{' / '.join(sub.tags)}]" if sub.tags else ""
        head = Text.assemble((sub.name.ljust(width), "bold"), "  ",
                             f"{plural(sub.items, 'item')}, {sub.unread} unread  ", state)
        ctx.out.print(head, no_wrap=True, overflow="ellipsis")
        ctx.out.print(Text(f"  {sub.url}{folder}", style="dim"), no_wrap=True, overflow="ellipsis")
    return EXIT_OK


def cmd_feeds_remove(args, ctx: Context) -> int:
    library = ctx.library()
    removed = []
    for target in args.targets:
        sub, gone = library.unsubscribe(target, forget=args.forget)
        removed.append((sub, gone))
    if args.json:
        ctx.print_json([{"name": s.name, "url": s.url, "forgotten": gone} for s, gone in removed])
        return EXIT_OK
    for sub, gone in removed:
        kept = (f"; {plural(len(gone), 'article')} forgotten" if args.forget
                else f"; its {plural(sub.items, 'article')} stay (--forget drops them)")
        ctx.out.print(Text(f"Unsubscribed from {sub.name!r} ({sub.url}){kept}"))
    return EXIT_OK


def cmd_feeds_import(args, ctx: Context) -> int:
    added, existing, problems = ctx.library().import_opml(args.file)
    for problem in problems:
        ctx.problem(problem)
    if args.json:
        ctx.print_json({"added": [s.to_json() for s in added], "existing": existing, "problems": problems})
    else:
        for sub in added:
            folder = f"  [{' / '.join(sub.tags)}]" if sub.tags else ""
            ctx.out.print(Text(f"+ {sub.name}  {sub.url}{folder}"), no_wrap=True, overflow="ellipsis")
        ctx.out.print(Text(f"{plural(len(added), 'feed')} subscribed, {len(existing)} already were"
                           + (f", {plural(len(problems), 'problem')}" if problems else "")))
    if problems:
        return EXIT_PARTIAL if added or existing else EXIT_USAGE
    return EXIT_OK


def cmd_feeds_export(args, ctx: Context) -> int:
    from newsreader.index.output_files import write_stdout

    # Plain write: OPML must reach a pipe or file byte for byte (a full disk is one line).
    write_stdout(ctx.library().export_opml())
    return EXIT_OK


def cmd_fetch(args, ctx: Context) -> int:
    if args.every is not None:
        return _fetch_every(args, ctx)
    library = ctx.library()
    if not args.names and not library.subscriptions():
        ctx.err.print(Text("No subscriptions yet; `newsreader feeds add URL` first."))
        return EXIT_OK
    width = max((len(s.name) for s in library.subscriptions()), default=10)

    def show(outcome, done: int, total: int) -> None:
        if args.json:
            return
        style = "bold" if outcome.status == "error" else ""
        ctx.out.print(Text.assemble((outcome.name.ljust(width), "bold"), "  ", (outcome.summary(), style)),
                      no_wrap=True, overflow="ellipsis")
        for problem in outcome.problems:
            ctx.problem(problem)

    options = ctx.settings.fetch_options()
    if args.fetch_pages is not None:  # the flag over [feeds] fetch_pages
        options = replace(options, fetch_pages=args.fetch_pages)
    with ProgressBar(ctx.err, "Translating titles and leads", quiet=args.json) as glossing:
        outcomes = library.fetch(args.names or None, options=options, on_outcome=show, gloss_progress=glossing)
    say_glossed(ctx, outcomes.glossed, quiet=args.json)
    failed = [o for o in outcomes if o.status == "error"]
    from .follow_commands import announce

    announce(ctx, library, quiet=args.json)  # what came into followed events and searches
    if args.json:
        ctx.print_json([o.to_json() for o in outcomes])
    else:
        new = sum(len(o.added) for o in outcomes)
        ctx.err.print(Text(f"{plural(len(outcomes), 'feed')}: {new} new "
                           f"{'article' if new == 1 else 'articles'}"
                           + (f", {len(failed)} failed" if failed else ""), style="dim"))
    if failed:
        return EXIT_USAGE if len(failed) == len(outcomes) else EXIT_PARTIAL
    return EXIT_OK


_INTERVAL = re.compile(r"^\s*(\d{1,6})\s*([smh])\s*$", re.IGNORECASE)
_UNIT_S = {"s": 1, "m": 60, "h": 3600}


def interval(value: str) -> float:
    """argparse type: `30m`, `1s`, `2h` -> seconds."""
    found = _INTERVAL.match(value)
    if not found or int(found.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not an interval; write it as 30m, 90s or 2h")
    return float(int(found.group(1)) * _UNIT_S[found.group(2).lower()])


def _fetch_every(args, ctx: Context) -> int:
    """Fetch, wait, fetch again, until Ctrl-C or SIGTERM: each ends it between two feeds (the
    feed being stored is stored whole; the next is not started), status 0. One line a round."""
    import signal
    import threading
    import time

    library = ctx.library()
    if not args.names and not library.subscriptions():
        ctx.err.print(Text("No subscriptions yet; `newsreader feeds add URL` first."))
        return EXIT_OK
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    options = replace(ctx.settings.fetch_options(), scheduled=True)
    if args.fetch_pages is not None:
        options = replace(options, fetch_pages=args.fetch_pages)
    try:
        while not stop.is_set():
            started = time.monotonic()
            outcomes = library.fetch(args.names or None, options=options, cancelled=stop.is_set)
            if args.json:  # one JSON document a round (JSON lines)
                ctx.print_json([o.to_json() for o in outcomes])
                sys.stdout.flush()
            else:
                _round_line(ctx, outcomes, args.every, stopped=stop.is_set())
            from .follow_commands import announce

            announce(ctx, library, quiet=args.json)
            stop.wait(max(0.0, args.every - (time.monotonic() - started)))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_OK


def _round_line(ctx: Context, outcomes, every: float, *, stopped: bool) -> None:
    import datetime as dt

    counts = {status: sum(1 for o in outcomes if o.status == status) for status in ("error", "waiting")}
    new = sum(len(o.added) for o in outcomes)
    now = dt.datetime.now().astimezone()
    then = "stopped" if stopped else f"next at {(now + dt.timedelta(seconds=every)):%H:%M:%S}"
    parts = [f"{now:%Y-%m-%d %H:%M:%S}", f"{plural(len(outcomes), 'feed')}: {new} new "
             f"{'article' if new == 1 else 'articles'}"]
    if counts["error"]:
        parts.append(f"{counts['error']} failed")
    if counts["waiting"]:
        parts.append(f"{counts['waiting']} not due")
    ctx.out.print(Text(", ".join(parts) + f"; {then}"), soft_wrap=True)
    ctx.out.file.flush()
    for outcome in outcomes:
        if outcome.status == "error":
            ctx.problem(f"{outcome.name}: {outcome.error}")


def register(sub, command) -> None:
    feeds = sub.add_parser("feeds", help="feed subscriptions: add, list, remove, import, export (OPML)",
                           description="Feed subscriptions; `newsreader fetch` downloads them.")
    actions = feeds.add_subparsers(dest="action", metavar="ACTION", required=True)  # one-line errors too

    def action(name: str, handler, help: str, json_flag: bool = True):
        p = actions.add_parser(name, help=help, description=help)
        p.set_defaults(handler=handler)
        if json_flag:
            p.add_argument("--json", action="store_true", help="print one JSON document")
        return p

    p = action("add", cmd_feeds_add, "subscribe to an RSS/Atom feed URL")
    p.add_argument("url", metavar="URL")
    p.add_argument("--name", help="a short name for `fetch NAME` (default: the site's host)")
    action("list", cmd_feeds_list, "the subscriptions: items, unread, last fetch, last error")
    p = action("remove", cmd_feeds_remove, "unsubscribe; the feed's articles stay unless --forget")
    p.add_argument("targets", nargs="+", metavar="URL|NAME")
    p.add_argument("--forget", action="store_true", help="also forget the articles only this feed held")
    p = action("import", cmd_feeds_import, "subscribe to the feeds an OPML file lists (folders become tags)")
    p.add_argument("file", metavar="FILE.opml")
    action("export", cmd_feeds_export, "print every subscription as OPML 2.0", json_flag=False)

    p = command("fetch", cmd_fetch, "download the subscribed feeds (or those named) and add their new items")
    p.add_argument("names", nargs="*", metavar="NAME", help="feed names or URLs (default: every subscription)")
    p.add_argument("--fetch-pages", action=argparse.BooleanOptionalAction, default=None,
                   help="fetch the page of each item that carries only a summary and keep its full text "
                        "(default: [feeds] fetch_pages, off)")
    p.add_argument("--every", type=interval, metavar="INTERVAL",
                   help="keep fetching every INTERVAL (30m, 90s, 2h) until Ctrl-C or SIGTERM, one line a round; "
                        "a feed is fetched at most as often as its ttl, Cache-Control and Retry-After allow")
