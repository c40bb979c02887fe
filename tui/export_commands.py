"""`newsreader export ID|EVENT --format md [--to LANG] [-o FILE]`: an article beside its
translation, or a whole event's coverage, as Markdown (the engine's index/export.py).

Registered by `newsreader.tui.cli`. Translations come from the installed models (the same
translator and cache as `newsreader translate`); without a model for a language the report
is exported untranslated and the reason is printed on stderr.
"""

from __future__ import annotations

from rich.text import Text

from newsreader.index.output_files import write_output, write_stdout

from .context import EXIT_OK, EXIT_PARTIAL, Context, language_code


def translator_for(ctx: Context, target: str):
    """A `Translate` for the engine's export: the installed models, or the reason there are none."""

    def translate(paragraphs, lang):
        from newsreader.index.translation import TranslationError

        translator = ctx.workspace.translator()
        try:
            route = translator.route(lang, target)
            return [item.translation for item in translator.translate(list(paragraphs), route)]
        except TranslationError as exc:
            return str(exc)

    return translate


def cmd_export(args, ctx: Context) -> int:
    target = None if args.no_translation else (args.to or ctx.settings.translation.target)
    document = ctx.library().export_markdown(args.id, target=target,
                                             translate=translator_for(ctx, target) if target else None)
    for problem in document.problems:
        ctx.problem(problem)
    if args.output:  # whole or not at all, through links, never over a pipe or device (output_files.py)
        write_output(args.output, document.text, hint="choose another -o FILE")
        ctx.err.print(Text(f"Wrote {args.output}", style="dim"))
    else:
        write_stdout(document.text)  # plain write: Markdown reaches a pipe byte for byte
    return EXIT_PARTIAL if document.problems else EXIT_OK


def register(sub, command) -> None:
    p = command("export", cmd_export, "an article beside its translation, or an event's whole coverage "
                "(each report, its source, language, date, translation and what it adds), as Markdown",
                json_flag=False)
    p.add_argument("id", metavar="ID|EVENT", help="an article id or an event id (`newsreader events`)")
    p.add_argument("--format", choices=["md"], default="md", help="md (Markdown): the only format so far")
    p.add_argument("--to", type=language_code, help="translate into this language (default: the configured target)")
    p.add_argument("--no-translation", action="store_true", help="export the text alone")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
