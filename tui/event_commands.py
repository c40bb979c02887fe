"""Event commands: `newsreader events`, `newsreader related ID`, `newsreader compare ID1 ID2`
(or `compare EVENT_ID`: where its reports disagree), `newsreader timeline EVENT_ID`, and
`newsreader gloss` (titles and leads in English, an extra signal for both).

Registered by `newsreader.tui.cli`. Everything comes from the engine's Library API.
"""

from __future__ import annotations

from rich.text import Text

from .context import EXIT_OK, EXIT_PARTIAL, Context, ProgressBar, UsageError, language_code, plural, positive_int
from .dates import date_range, said_date

LIST_MEMBERS = 6  # members shown under an event in the plain listing


def cmd_events(args, ctx: Context) -> int:
    library = ctx.library()
    library.ensure_events()
    events = library.events(lang=args.lang, min_size=args.min_size)
    if args.json:
        covered = library.coverage(events, ctx.outlets())
        ctx.print_json([{**event.to_json(), "coverage": covered[event.id].to_json()} for event in events])
        return EXIT_OK
    if not events:
        ctx.err.print(Text(f"No events with {args.min_size} or more articles"
                           + (f" in {args.lang}" if args.lang else "") + "."))
        return EXIT_OK
    titles = {s.id: s for s in library.articles()}
    for number, event in enumerate(events):
        if number:
            ctx.out.print()
        dates = date_range(event.first_date, event.last_date)
        ctx.out.print(Text.assemble((event.id, "bold"), "  ", (event.label, "bold"), "  ",
                                    (f"{plural(event.size, 'article')} · {', '.join(event.languages)} · {dates}", "dim")))
        for article_id in event.members[:LIST_MEMBERS]:
            summary = titles.get(article_id)
            role = event.roles.get(article_id)
            flag = f" ({role[0]} of {role[1]})" if role else ""
            line = Text.assemble("  ", article_id, "  ", summary.lang if summary else "", "  ",
                                 summary.title if summary else "", (flag, "dim"))
            line.truncate(ctx.out.width, overflow="ellipsis")
            ctx.out.print(line, no_wrap=True)
        if event.size > LIST_MEMBERS:
            ctx.out.print(Text(f"  … and {event.size - LIST_MEMBERS} more", style="dim"))
    return EXIT_OK


def cmd_related(args, ctx: Context) -> int:
    library = ctx.library()
    library.ensure_events()
    found = library.related(args.id, limit=args.limit)
    if args.json:
        ctx.print_json([{"id": s.id, "title": s.title, "lang": s.lang, "source": s.source, "date": s.date,
                         "similarity": r.similarity, "same_event": r.score, "score": r.score,
                         "grouped": r.same_event} for s, r in found])
        return EXIT_OK
    if not found:
        ctx.err.print(Text(f"Nothing related to {args.id}."))
        return EXIT_OK
    for summary, related in found:
        similarity = "  -  " if related.similarity is None else f"{related.similarity:.2f}"
        line = Text.assemble((f"{related.score:.2f}", "bold"), " ", similarity, " ",
                             ("=" if related.same_event else " ", "bold"),
                             " ", summary.id, "  ", summary.lang, "  ", summary.date or "-", "  ", summary.title)
        line.truncate(ctx.out.width, overflow="ellipsis")
        ctx.out.print(line, no_wrap=True)
    ctx.err.print(Text("same event (probability) · similarity · = grouped into one event", style="dim"))
    return EXIT_OK


def cmd_compare(args, ctx: Context) -> int:
    library = ctx.library()
    if args.second is None:
        return _disagreements(args, ctx, library)
    comparison = library.compare(args.first, args.second)
    if args.json:
        data = comparison.to_json()
        data["grouped"] = library.event_of(args.first).id == library.event_of(args.second).id
        ctx.print_json(data)
        return EXIT_OK
    score = "unknown" if comparison.score is None else f"{comparison.score:.2f}"
    similarity = "unknown" if comparison.similarity is None else f"{comparison.similarity:.2f}"
    ctx.out.print(Text.assemble(("Same event: ", "bold"), score, ("  Similarity: ", "bold"), similarity))
    shared = ", ".join(a if a == b else f"{a} = {b}" for a, b in comparison.shared_names[:20])
    _block(ctx, "Both name", shared)
    _block(ctx, "Both give the numbers", ", ".join(comparison.shared_numbers))
    _block(ctx, "Both give the dates", ", ".join(map(said_date, comparison.shared_dates)))
    for side in (comparison.only_first, comparison.only_second):
        ctx.out.print()
        ctx.out.print(Text(f"Only in {side.id} ({side.lang}):", style="bold"))
        _block(ctx, "  names", ", ".join(side.names[:20]))
        _block(ctx, "  numbers", ", ".join(side.numbers))
        _block(ctx, "  dates", ", ".join(map(said_date, side.dates)))
        for quote in side.quotes:
            ctx.out.print(Text(f"  quote: “{quote}”"))
        for sentence in side.sentences:
            ctx.out.print(Text(f"  + {sentence}"))
    return EXIT_OK


def _event_of(library, target: str):
    """An event by its id (any id it had), or the event of an article id."""
    from newsreader.index import NotFound

    library.ensure_events()
    try:
        return library.event(target)
    except NotFound:
        try:
            return library.event_of(target)
        except NotFound:
            raise NotFound(f"no event or article with id {target!r}; `newsreader events` lists events") from None


def _disagreements(args, ctx: Context, library) -> int:
    """`compare EVENT`: numbers, dates and quoted statements its reports give differently."""
    event = _event_of(library, args.first)
    found = library.disagreements(event.id)
    if args.json:
        ctx.print_json({"event": event.id, "label": event.label, "reports": list(event.members),
                        "disagreements": [d.to_json() for d in found]})
        return EXIT_OK
    ctx.out.print(Text.assemble((event.id, "bold"), "  ", (event.label, "bold"), "  ",
                                (plural(event.size, "report"), "dim")))
    if not found:
        ctx.out.print(Text("Its reports give no differing numbers, dates or quotes.", style="dim"))
        return EXIT_OK
    names = {"number": "Numbers", "date": "Dates", "quote": "Quoted"}
    for d in found:
        about = f" ({d.about})" if d.kind != "quote" and d.about else (f" {d.about}" if d.about else "")
        ctx.out.print()
        ctx.out.print(Text(f"{names[d.kind]}{about}:", style="bold"))
        for v in d.values:
            shown = f"“{v.value}”" if d.kind == "quote" else said_date(v.value) if d.kind == "date" else v.value
            ctx.out.print(Text.assemble("  ", (shown, "bold"), "  ", (", ".join(v.sources), "dim")))
    return EXIT_OK


def cmd_timeline(args, ctx: Context) -> int:
    library = ctx.library()
    timeline = library.timeline(_event_of(library, args.event).id, ctx.outlets())
    library.looked_at(timeline.event_id)  # the reader has seen these reports now
    if args.json:
        ctx.print_json(timeline.to_json())
        return EXIT_OK
    c = timeline.coverage
    ctx.out.print(Text.assemble((timeline.event_id, "bold"), "  ", (timeline.label, "bold"), "  ",
                                (f"{plural(len(timeline.entries), 'report')} · {date_range(c.first, c.last)}", "dim")))
    _block(ctx, "Languages", ", ".join(f"{lang} {n}" for lang, n in c.languages.items()))
    _block(ctx, "Sources", ", ".join(f"{s.name} {s.reports}" + (f" ({s.facts.country})" if s.facts and s.facts.country
                                                                   else "") for s in c.sources))
    _block(ctx, "Countries", ", ".join(f"{country} {n}" for country, n in c.countries.items()))
    _block(ctx, "Not yet covered by", "; ".join(part for part in (
        ", ".join(c.missing_feeds), "languages " + ", ".join(c.missing_languages) if c.missing_languages else "")
        if part))
    for entry in timeline.entries:
        s = entry.article
        mark = "first" if entry.first else ("new" if entry.new else "")
        flag = "*" if entry.new else " "
        ctx.out.print()
        line = Text.assemble((flag, "bold"), " ", s.date or "-", "  ", s.lang, "  ", s.source or "-", "  ",
                             (s.title, "bold"), (f"  [{mark}]" if mark else "", "dim"))
        ctx.out.print(line, no_wrap=True, overflow="ellipsis")
        adds = entry.adds
        label = "says" if entry.first else "adds"
        for kind, values in (("names", adds.names), ("numbers", adds.numbers),
                             ("dates", [said_date(d) for d in adds.dates])):
            if values:
                ctx.out.print(Text.assemble(f"    {label} {kind}: ", (", ".join(values[:15]), "")), soft_wrap=True)
        for quote in adds.quotes[:5]:
            ctx.out.print(Text(f"    {label} quote: “{quote}”"), soft_wrap=True)
        if not entry.first and not adds:
            ctx.out.print(Text("    adds nothing the earlier reports did not say", style="dim"))
    ctx.err.print(Text("* new since you last read this event", style="dim"))
    return EXIT_OK


def _block(ctx: Context, label: str, value: str) -> None:
    if value:
        ctx.out.print(Text.assemble((f"{label}: ", "dim"), value))


def gloss(ctx: Context, ids: list[str] | None = None, *, quiet: bool = False):
    """Translate the titles and leads that need it with the installed models (see
    index/glossing.py), with a progress bar on stderr; None when no model is installed."""
    translator = ctx.workspace.translator()
    if not translator.installed():
        return None
    with ProgressBar(ctx.err, "Translating titles and leads", quiet=quiet) as progress:
        return ctx.library().gloss(translator, ids=ids, progress=progress)


def cmd_gloss(args, ctx: Context) -> int:
    report = gloss(ctx, args.ids or None, quiet=args.json)
    if report is None:
        raise UsageError("no translation model is installed; `newsreader models install FILE` adds one "
                         "(grouping and search work without, on the original texts)")
    if args.json:
        ctx.print_json(report.to_json())
    else:
        ctx.out.print(Text(report.summary()), soft_wrap=True)
    return EXIT_PARTIAL if report.no_model and not report.glossed and not report.already else EXIT_OK


def register(sub, command) -> None:
    p = command("gloss", cmd_gloss, "translate titles and leads into English with the installed models, "
                "so that grouping and search reach across languages (new articles get theirs when added)")
    p.add_argument("ids", nargs="*", metavar="ID", help="only these articles (default: every one that needs it)")
    p = command("events", cmd_events, "groups of articles that report the same event, across languages")
    p.add_argument("--lang", type=language_code, help="only events with an article in this language")
    p.add_argument("--min-size", type=positive_int, default=2, metavar="N",
                   help="only events of N or more articles (default 2; 1 lists every article's event)")
    p = command("related", cmd_related, "articles by how likely they report the same event as ID")
    p.add_argument("id", metavar="ID")
    p.add_argument("--limit", type=positive_int, default=10, help="at most N (default 10)")
    p = command("compare", cmd_compare,
                "what two reports share and what each adds: names, numbers, dates, quotes, sentences; given "
                "an event's id alone, the numbers, dates and quotes its reports give differently")
    p.add_argument("first", metavar="ID1|EVENT_ID")
    p.add_argument("second", metavar="ID2", nargs="?")
    p = command("timeline", cmd_timeline, "an event's reports in time order: the first, what each later one adds, "
                "what is new since you last looked, and who covered it (and who has not yet)")
    p.add_argument("event", metavar="EVENT_ID", help="an event's id (or an article's: its event)")
