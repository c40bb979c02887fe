"""The `newsreader` command line. With no command it opens the reader app.

Every command goes through the engine's public API (the context's workspace: library and
translator); errors the engine raises on purpose (NewsreaderError) become one line on stderr
and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable

from rich.text import Text

from newsreader.index.output_files import discard_stdout, why

from . import config
from .context import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    Context,
    ProgressBar,
    UsageError,
    language_code,
    plural,
    positive_int,
    say_glossed,
)
from .terminal_text import SafeConsole, safe

PROGRESS_MIN_FILES = 20  # show a progress bar when adding more files than this
# What an add counts (Library.add's units), as the bar names it; a large file's articles always show.
ADD_PROGRESS = {"files": "Adding files", "articles": "Reading articles", "stored": "Storing articles",
                "indexing": "Updating the index and events", "glossing": "Translating titles and leads"}


# -- commands --------------------------------------------------------------------------------

def cmd_add(args, ctx: Context) -> int:
    library = ctx.library()
    with ProgressBar(ctx.err, "Adding", min_total=PROGRESS_MIN_FILES, quiet=args.json,
                     labels=ADD_PROGRESS) as progress:
        report = library.add(args.paths, lang=args.lang, progress=progress)
    for problem in report.problems:
        ctx.problem(str(problem))
    glossed = report.glossed  # the engine glossed what came in ([events] translate_leads)
    say_glossed(ctx, glossed, quiet=args.json)
    from .follow_commands import announce

    announce(ctx, library, quiet=args.json)  # what came into followed events and searches
    if args.json:
        ctx.print_json({
            "added": report.added, "updated": report.updated, "removed": report.removed,
            "unchanged": report.unchanged, "kept_out": report.kept_out,
            "problems": [str(p) for p in report.problems],
            "glossed": glossed.glossed if glossed else [],
        })
    else:
        parts = [f"{len(report.added)} added", f"{len(report.updated)} updated",
                 f"{len(report.removed)} removed", f"{report.unchanged} unchanged"]
        if report.kept_out:
            parts.append(f"{len(report.kept_out)} kept out")
        if report.problems:
            parts.append(plural(len(report.problems), "problem"))
        ctx.out.print(Text(", ".join(parts) + f" ({plural(report.files, 'file')})"))
        if report.kept_out:
            shown = " ".join(report.kept_out[:5]) + (" …" if len(report.kept_out) > 5 else "")
            ctx.err.print(Text(f"Kept out because you removed them: {shown}; "
                               f"`newsreader restore ID` brings one back."), soft_wrap=True)
    if not report.files and not report.problems:  # an empty folder, or only files of other kinds
        ctx.err.print(Text("newsreader: note: no file newsreader reads was found (it reads .txt, .md, .html, "
                           ".jsonl and RSS/Atom feeds); nothing to add"), soft_wrap=True)
        if not (report.removed or report.kept_out):
            return EXIT_USAGE
    if report.problems:
        done = report.added or report.updated or report.unchanged or report.removed or report.kept_out
        return EXIT_PARTIAL if done else EXIT_USAGE
    return EXIT_OK


SOURCE_WIDTH = 20
ID_WIDTH = 28  # a longer id (JSONL ids may have up to 200 characters) is cut on a terminal; pipes and --json have it whole


def _visual(ctx: Context) -> bool:
    """Right-to-left text is put in display order (shaped, reordered: tui/rtl.py) for a
    terminal that does not do it itself, as the app does; a pipe or file gets logical order."""
    from . import rtl

    return ctx.out.is_terminal and rtl.resolve(ctx.settings.ui.rtl) == "visual"


def print_text(ctx: Context, text: Text, indent: str = "") -> None:
    """A paragraph, wrapped to the terminal; right-to-left lines in display order, right-aligned."""
    from . import rtl

    if not (_visual(ctx) and rtl.has_rtl(text.plain)):
        ctx.out.print(Text(indent) + text if indent else text)
        return
    width = max(ctx.out.width - len(indent), 10)
    right = rtl.base_is_rtl(text.plain)
    for line in text.wrap(ctx.out, width):
        shown = rtl.visual_line(line, right)
        if right:
            shown.pad_left(max(width - shown.cell_len, 0))
        ctx.out.print(Text(indent) + shown, no_wrap=True, overflow="ignore")


def print_summaries(ctx: Context, summaries) -> None:
    """One line per article: id, lang, date, source, then the title: cut to the width of a
    terminal, whole in a pipe or file (`list | grep` finds every title)."""
    from . import rtl

    if not summaries:
        return
    terminal, visual = ctx.out.is_terminal, _visual(ctx)
    id_width = max(len(s.id) for s in summaries)
    if terminal:  # a pipe gets whole ids, for scripts
        id_width = min(ID_WIDTH, id_width)
    source_width = min(SOURCE_WIDTH, max(len(s.source or "-") for s in summaries))
    for summary in summaries:
        source = summary.source or "-"
        if len(source) > source_width:
            source = source[: source_width - 1] + "…"
        shown_id = summary.id if len(summary.id) <= id_width else summary.id[: id_width - 1] + "…"
        prefix = Text.assemble(
            (shown_id.ljust(id_width), "bold"), "  ", summary.lang.ljust(3), " ",
            (summary.date or "-").ljust(10), " ", source.ljust(source_width), "  ",
        )
        title = Text(summary.title)
        if terminal:
            title.truncate(max(ctx.out.width - prefix.cell_len, 1), overflow="ellipsis")
            if visual and rtl.has_rtl(title.plain):
                title = rtl.visual_line(title, rtl.base_is_rtl(title.plain))
            ctx.out.print(prefix + title, no_wrap=True, overflow="ellipsis")
        else:
            ctx.out.print(prefix + title, no_wrap=True, overflow="ignore", crop=False)


def cmd_search(args, ctx: Context) -> int:
    args.query = " ".join(args.query)
    if not args.query.strip():
        raise UsageError("the query is empty; give words to look for, e.g. newsreader search "
                         "'Putin Pezeshkian' (newsreader search --help shows the syntax)")
    hits = ctx.library(existing=True).find(args.query, lang=args.lang, limit=args.limit)
    results = hits.page(0, args.limit)
    for note in hits.notes:
        ctx.err.print(Text(f"newsreader: note: {note}"), soft_wrap=True)
    if args.json:
        ctx.print_json([r.to_json() for r in results])
        return EXIT_OK
    if not results:
        ctx.err.print(Text(f"No articles match {args.query!r}."))
        return EXIT_OK
    # One block per result (head line, title, snippet): readable at any terminal width.
    for number, result in enumerate(results):
        if number:
            ctx.out.print()
        summary = result.article
        how = f"  matched: {', '.join(result.matched)}" if result.across else ""
        head = Text.assemble((summary.id, "bold"), "  ", summary.lang, "  ", summary.date or "-", "  ",
                             summary.source or "-", (f"  {result.score:.2f}", "dim"), (how, "dim"))
        snippet = Text(result.snippet.text)
        for start, end in result.snippet.spans:
            snippet.stylize("bold reverse", start, end)
        ctx.out.print(head)
        print_text(ctx, Text(summary.title, style="bold"), "  ")
        print_text(ctx, (Text("en≈ ", style="dim") if result.snippet_translated else Text()) + snippet, "  ")
    return EXIT_OK


def cmd_list(args, ctx: Context) -> int:
    summaries = ctx.library(existing=True).articles(lang=args.lang, unread=args.unread, starred=args.starred)
    if args.json:
        ctx.print_json([s.to_json() for s in summaries])
        return EXIT_OK
    print_summaries(ctx, summaries)
    return EXIT_OK


def cmd_show(args, ctx: Context) -> int:
    article = ctx.library(existing=True).get(args.id)
    if args.json:
        ctx.print_json(article.to_json())
        return EXIT_OK
    print_text(ctx, Text(article.title, style="bold"))
    meta = " · ".join(part for part in (article.source, article.date, article.lang, article.url) if part)
    ctx.out.print(Text(meta, style="dim"))
    for paragraph in article.paragraphs:
        ctx.out.print()
        print_text(ctx, Text(paragraph))
    return EXIT_OK


def cmd_stats(args, ctx: Context) -> int:
    stats = ctx.library(existing=True).stats()
    if args.json:
        ctx.print_json(stats.to_json())
        return EXIT_OK
    langs = ", ".join(f"{code} {count}" for code, count in stats.languages.items()) or "-"
    ctx.out.print(Text(f"library    {stats.folder}"))
    ctx.out.print(Text(f"articles   {stats.articles} from {stats.files} files"))
    ctx.out.print(Text(f"languages  {langs}"))
    ctx.out.print(Text(f"sources    {len(stats.sources)}"))
    ctx.out.print(Text(f"on disk    {stats.disk_bytes / 1_048_576:.1f} MB"))
    return EXIT_OK


def cmd_remove(args, ctx: Context) -> int:
    library = ctx.library()
    removed = []
    for target in args.targets:
        removed += library.remove(target)
    if args.json:
        ctx.print_json({"removed": removed})
    else:
        ctx.out.print(Text(f"{len(removed)} removed"))
    return EXIT_OK


def cmd_restore(args, ctx: Context) -> int:
    library = ctx.library()
    restored = [article_id for article_id in args.ids if library.restore(article_id)]
    if args.json:
        ctx.print_json({"restored": restored})
    else:
        ctx.out.print(Text(f"{len(restored)} restored"))
    return EXIT_OK


def cmd_prune(args, ctx: Context) -> int:
    removed = ctx.library().prune()
    if args.json:
        ctx.print_json({"removed": removed})
    else:
        ctx.out.print(Text(f"{len(removed)} removed (their files no longer exist)"))
    return EXIT_OK


def cmd_rebuild(args, ctx: Context) -> int:
    """Rebuild what the engine derives from the catalog (the search index, the events)."""
    library = ctx.library()
    with ProgressBar(ctx.err, "Search index", quiet=args.json) as progress:
        library.rebuild(progress, events=lambda: progress.stage("Events"))
    articles = library.stats().articles
    if args.json:
        ctx.print_json({"rebuilt": ["search", "events"], "articles": articles})
    else:
        ctx.err.print(Text(f"Rebuilt the search index and the events of {plural(articles, 'article')} "
                           f"from the catalog in {library.folder}."), soft_wrap=True)
    return EXIT_OK


def cmd_app(args, ctx: Context) -> int:
    from .app import run_app

    ctx.check_library()  # a wrong --library is one line and status 2, before the screen changes
    # Without a terminal (cron, `newsreader </dev/null >out`) the full-screen app would write its
    # escape codes into a file and wait for keys that never come.
    if not (_is_terminal(sys.stdin) and _is_terminal(sys.stdout)):
        raise UsageError("the reader app needs a terminal (standard input and output are not one); "
                         "in scripts and cron use a command such as `newsreader list`, `newsreader search "
                         "QUERY` or `newsreader fetch` (`newsreader --help` lists them)")
    return run_app(ctx.settings)


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed
        return False


# -- parser ----------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    # search's words may start with `-` (`newsreader search -Putin` leaves Putin out): there a
    # single-dash word is part of the query, never an option (search has none but -h).
    dash_words = False

    def error(self, message: str):  # argparse prints usage + exits 2; we want one clear line
        raise UsageError(f"{message} (see `{self.prog} --help`)")

    def _parse_optional(self, arg_string):
        if self.dash_words and arg_string[:1] == "-" and arg_string[:2] != "--" and arg_string != "-h":
            return None  # argparse's own answer for a positional argument
        return super()._parse_optional(arg_string)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsreader", description="Read one news story across languages, offline.")
    parser.add_argument("--library", metavar="DIR",
                        help="library folder (default: $NEWSREADER_LIBRARY, the config file, or the user data dir)")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: Callable, help: str, json_flag: bool = True):
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(handler=handler)
        if json_flag:
            p.add_argument("--json", action="store_true", help="print one JSON document")
        return p

    p = command("add", cmd_add, "add files and folders (text, Markdown, HTML, JSONL, RSS/Atom)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--lang", type=language_code, help="language of these articles (skips detection), e.g. tr")
    p = command("search", cmd_search, "search: words, \"phrases\", AND/OR/NOT, -word, lang:tr, source:..., "
                "date:[2024-01 to 2024-06], is:unread, is:starred")
    p.dash_words = True
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help="its words (quote a query with spaces or quotes in it: 'Putin -Iran')")
    p.add_argument("--lang", type=language_code, help="only articles in this language")
    p.add_argument("--limit", type=positive_int, default=20, help="at most N results (default 20)")
    p = command("show", cmd_show, "show one article")
    p.add_argument("id")
    p = command("list", cmd_list, "list the articles, newest first")
    p.add_argument("--lang", type=language_code, help="only articles in this language")
    p.add_argument("--unread", action="store_true", help="only the articles not marked read")
    p.add_argument("--starred", action="store_true", help="only the starred articles")
    command("stats", cmd_stats, "what the library holds")
    p = command("remove", cmd_remove, "remove articles by id (restore brings them back), or forget "
                "every article from a file or folder")
    p.add_argument("targets", nargs="+", metavar="ID|PATH")
    p = command("restore", cmd_restore, "bring back articles you removed by id")
    p.add_argument("ids", nargs="+", metavar="ID")
    command("prune", cmd_prune, "forget articles whose files no longer exist")
    command("rebuild", cmd_rebuild, "rebuild the search index and the events from the catalog (they are "
            "derived; your articles and marks are untouched)")
    command("app", cmd_app, "open the reader (the default when no command is given)", json_flag=False)
    from . import (
        config_commands,
        event_commands,
        export_commands,
        feed_commands,
        follow_commands,
        reading_commands,
        translation_commands,
    )

    event_commands.register(sub, command)  # events, related, compare
    feed_commands.register(sub, command)  # feeds add|list|remove|import|export, fetch
    export_commands.register(sub, command)  # export (Markdown)
    config_commands.register(sub, command)  # config path|show
    reading_commands.register(sub, command)  # mark, star, unstar, set-lang
    follow_commands.register(sub, command)  # follow, unfollow, following
    translation_commands.register(sub, command)  # models, translate, cache

    return parser


class _VersionAction(argparse.Action):
    """--version, with the version looked up only when asked (importlib.metadata is slow)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"newsreader {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsreader")
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    from newsreader.index import NewsreaderError

    err = SafeConsole(stderr=True, highlight=False)
    try:
        argv = sys.argv[1:] if argv is None else argv
        # No arguments (the app, as most starts are): no parser of every command is built.
        args = build_parser().parse_args(argv) if argv else argparse.Namespace(library=None, command=None)
        settings = config.load()
        if args.library:
            settings = settings.with_library(args.library)
        ctx = Context(settings)
        handler = getattr(args, "handler", cmd_app)
        try:
            return handler(args, ctx)
        finally:
            ctx.close()
    except (UsageError, config.ConfigError, NewsreaderError) as exc:
        # safe() before Text: Rich would drop BEL, BS and CR silently, and a newline (in a path)
        # would make the one line two.
        err.print(Text(f"newsreader: error: {safe(str(exc), newlines=False)}"), soft_wrap=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.print(Text("newsreader: interrupted"))
        return 130
    except BrokenPipeError:  # `newsreader list | head`
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
            raise
        discard_stdout()  # a full disk or a dead terminal under standard output
        err.print(Text(f"newsreader: error: cannot write the output ({why(exc)})"), soft_wrap=True)
        return EXIT_USAGE


def entry_point() -> None:
    status = main()
    try:  # what is still buffered for a closed pipe (`list | head -1`) must not fail the exit
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = status or EXIT_OK
    except OSError as exc:  # `> /dev/full`: one line, not Python's "Exception ignored"
        discard_stdout()
        sys.stderr.write(f"newsreader: error: cannot write the output ({why(exc)})\n")
        status = EXIT_USAGE
    sys.exit(status)


if __name__ == "__main__":
    entry_point()
