"""The reader's marks on the command line: `newsreader mark ID... --read|--unread`, `newsreader
mark --all-read [--feed NAME] [--before DATE]`,
`newsreader star ID...`, `newsreader unstar ID...`, and the language the reader sets for
articles detection got wrong or could not tell: `newsreader set-lang ID... LANG|auto`.

Registered by `newsreader.tui.cli`. Marks are the reader's own state (the catalog's
`reader_state`): adding, fetching and rebuilding never change them.
"""

from __future__ import annotations

from rich.text import Text

from .context import EXIT_OK, Context, UsageError, plural

AUTO = "auto"  # set-lang's word for "back to what detection said"


def _report(ctx: Context, args, changed: list[str], what: str) -> int:
    if args.json:
        ctx.print_json({"changed": changed, "unchanged": sorted(set(args.ids) - set(changed))})
    else:
        ctx.out.print(Text(f"{plural(len(changed), 'article')} marked {what}"
                           + (f" ({len(set(args.ids)) - len(changed)} already were)" if len(changed) < len(set(args.ids))
                              else "")))
    return EXIT_OK


def cmd_mark(args, ctx: Context) -> int:
    if args.all_read:
        if args.ids or args.read is not None:
            raise UsageError("--all-read marks every unread article (with --feed, --before); give no ids and "
                             "no --read/--unread with it")
        changed = ctx.library().mark_all_read(feed=args.feed, before=args.before)
        if args.json:
            ctx.print_json({"changed": changed})
        else:
            ctx.out.print(Text(f"{plural(len(changed), 'article')} marked read"))
        return EXIT_OK
    if args.feed or args.before:
        raise UsageError("--feed and --before go with --all-read")
    if not args.ids or args.read is None:
        raise UsageError("give article ids and --read or --unread, or --all-read (see `newsreader mark --help`)")
    changed = ctx.library().mark(args.ids, read=args.read)
    return _report(ctx, args, changed, "read" if args.read else "unread")


def cmd_star(args, ctx: Context) -> int:
    changed = ctx.library().mark(args.ids, starred=True)
    return _report(ctx, args, changed, "starred")


def cmd_unstar(args, ctx: Context) -> int:
    changed = ctx.library().mark(args.ids, starred=False)
    return _report(ctx, args, changed, "unstarred")


def cmd_set_lang(args, ctx: Context) -> int:
    from newsreader.index.langcodes import LanguageCodeError, normalize

    word = args.lang.strip().lower()
    try:
        code = None if word == AUTO else normalize(args.lang, allow_und=False)
    except LanguageCodeError as exc:
        raise UsageError(f"{exc} (or `auto` for the detected language)") from None
    library = ctx.library()
    changed = library.set_language(args.ids, code)
    if args.json:
        ctx.print_json({"lang": code, "changed": changed, "unchanged": sorted(set(args.ids) - set(changed))})
        return EXIT_OK
    for article_id in args.ids:
        article = library.get(article_id)
        how = "set by you" if code else "detected"
        ctx.out.print(Text(f"{article.id}: {article.lang} ({how})"
                           + ("" if article.id in changed else "; it already was")))
    return EXIT_OK


def register(sub, command) -> None:
    p = command("mark", cmd_mark, "mark articles read or unread, or every unread one read (--all-read)")
    p.add_argument("ids", nargs="*", metavar="ID")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--read", dest="read", action="store_true", default=None, help="mark them read")
    state.add_argument("--unread", dest="read", action="store_false", help="mark them unread")
    p.add_argument("--all-read", action="store_true", help="mark every unread article read (with --feed, --before)")
    p.add_argument("--feed", metavar="NAME", help="with --all-read: only this subscription's articles (name or URL)")
    p.add_argument("--before", metavar="DATE", help="with --all-read: only articles dated before DATE (2024-10-07)")
    p = command("star", cmd_star, "star articles (bookmarks: `list --starred`, search is:starred)")
    p.add_argument("ids", nargs="+", metavar="ID")
    p = command("unstar", cmd_unstar, "take the star off articles")
    p.add_argument("ids", nargs="+", metavar="ID")
    p = command("set-lang", cmd_set_lang, "set the language of articles (search, events and translation follow it)")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("lang", metavar="LANG", help="a language code such as en or tr, or `auto` for the detected one")
