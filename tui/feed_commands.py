"""Feed subscriptions on the command line: `newsreader feeds add|list|remove|import|export`
and `newsreader fetch [NAME...]`.

Registered by `newsreader.tui.cli`. Everything goes through the engine's Library API; how
feeds are downloaded (timeout, parallel requests, size limit) comes from the [feeds] section.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from rich.text import Text

from .context import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, Context, plural


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
    outcomes = library.fetch(args.names or None, options=options, on_outcome=show)
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
