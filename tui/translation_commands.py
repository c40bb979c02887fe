"""Translation commands: `newsreader models ...`, `newsreader translate`, `newsreader cache ...`.

Registered by `newsreader.tui.cli` (it imports `register` from here). Everything goes through
the context's workspace: its translator, its cache and its packages folder (where
argostranslate keeps them: ARGOS_PACKAGES_DIR, else $XDG_DATA_HOME/argos-translate/packages).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from rich.text import Text

from .context import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, UsageError, language_code


def _packages_dir(ctx) -> Path:
    return ctx.workspace.places.packages


def _table(*columns: str):
    from rich.table import Table

    table = Table(box=None, show_edge=False, pad_edge=False)
    for name in columns:
        table.add_column(name, no_wrap=name not in ("title", "folder"), overflow="fold")
    return table


# -- models ------------------------------------------------------------------------------------

def cmd_models(args, ctx) -> int:
    raise UsageError("choose what to do: newsreader models list | install FILE.argosmodel | "
                       "remove FROM-TO | available")


def cmd_models_list(args, ctx) -> int:
    from newsreader.index.translation import list_packages

    folder = _packages_dir(ctx)
    problems: list[str] = []
    packages = list_packages(folder, problems)
    if args.json:
        ctx.print_json({"packages_dir": str(folder), "packages": [p.to_json() for p in packages],
                        "problems": problems})
        return EXIT_OK
    for problem in problems:
        ctx.problem(f"skipping a broken package folder: {problem}")
    if not packages:
        ctx.err.print(Text(f"No translation models installed in {folder}. Install one with "
                           f"`newsreader models install FILE.argosmodel`."))
        return EXIT_OK
    table = _table("name", "from", "to", "version", "folder")
    for package in packages:
        table.add_row(Text(package.name, style="bold"), Text(package.from_code), Text(package.to_code),
                      Text(package.version), Text(package.path.name))
    ctx.out.print(table)
    ctx.err.print(Text(f"in {folder}", style="dim"))
    return EXIT_OK


def cmd_models_install(args, ctx) -> int:
    from newsreader.index import NewsreaderError
    from newsreader.index.translation import install_package, list_packages

    folder = _packages_dir(ctx)
    installed, problems = [], []
    for source in args.sources:
        try:
            before = {(p.name, p.version) for p in list_packages(folder)} if folder.is_dir() else set()
            path = Path(source).expanduser()
            if path.exists() or source.lower().endswith(".argosmodel") or "/" in source:
                package = install_package(path, folder)
            else:  # a package name from the package index, downloaded with httpx
                package = _install_from_index(ctx, source, folder, quiet=args.json)
        except NewsreaderError as exc:
            if len(args.sources) == 1:
                raise
            problems.append(str(exc))
            continue
        installed.append(package)
        if not args.json:  # soft_wrap: a path is never broken onto a line of its own
            done = "Already installed:" if (package.name, package.version) in before else "Installed"
            ctx.out.print(Text(f"{done} {package.label} ({package.from_code}→{package.to_code}) "
                               f"in {package.path}"), soft_wrap=True)
    for problem in problems:
        ctx.problem(problem)
    if args.json:
        ctx.print_json({"installed": [p.to_json() for p in installed], "problems": problems})
    if problems:
        return EXIT_PARTIAL if installed else EXIT_USAGE
    return EXIT_OK


def cmd_models_remove(args, ctx) -> int:
    from newsreader.index.translation import remove_package

    removed = remove_package(_packages_dir(ctx), args.package)
    if args.json:
        ctx.print_json({"removed": [p.to_json() for p in removed]})
    else:
        for package in removed:
            ctx.out.print(Text(f"Removed {package.label} ({package.from_code}→{package.to_code}) "
                               f"from {package.path.parent}"))
    return EXIT_OK


_index_cache: dict[str, list] = {}


def _index(ctx) -> list:
    """The package index at the configured URL (once per command)."""
    from newsreader.index.translation.package_index import DEFAULT_INDEX_URL, fetch_index

    url = ctx.settings.translation.package_index or DEFAULT_INDEX_URL
    if url not in _index_cache:
        _index_cache.clear()
        _index_cache[url] = fetch_index(url)
    return _index_cache[url]


def _install_from_index(ctx, spec: str, folder: Path, quiet: bool):
    """Download a package named in the index (with a progress bar), then install it safely."""
    from newsreader.index.translation import package_index

    from . import config

    package = package_index.find(_index(ctx), spec)
    downloads = config.cache_dir() / "downloads"
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    with Progress(TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), console=ctx.err, transient=True,
                  disable=quiet or not ctx.err.is_terminal) as bar:
        task = bar.add_task(package.name, total=package.size)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        return package_index.install(package, folder, downloads, progress)


def _pivots(package, installed: set[tuple[str, str]]) -> list[str]:
    """Pairs this package would add through English, with what is installed."""
    if package.to_code == "en":
        found = {(package.from_code, to) for frm, to in installed if frm == "en"}
    elif package.from_code == "en":
        found = {(frm, package.to_code) for frm, to in installed if to == "en"}
    else:
        return []
    return [f"{a}→{b}" for a, b in sorted(found - installed) if a != b]


def cmd_models_available(args, ctx) -> int:
    from newsreader.index.translation import list_packages

    packages = _index(ctx)
    installed = {(p.from_code, p.to_code): p.version for p in list_packages(_packages_dir(ctx))}
    if args.json:
        ctx.print_json([dict(p.to_json(), installed=installed.get((p.from_code, p.to_code)),
                             pivots=_pivots(p, set(installed))) for p in packages])
        return EXIT_OK
    table = _table("name", "version", "size", "installed", "title", "through English")
    for package in packages:
        size = f"{package.size / 1_048_576:.0f} MB" if package.size else "-"
        table.add_row(Text(package.name, style="bold"), Text(package.version), Text(size),
                      Text(installed.get((package.from_code, package.to_code), "-")),
                      Text(package.title), Text(", ".join(_pivots(package, set(installed))) or "-"))
    ctx.out.print(table)
    ctx.err.print(Text("Install one with `newsreader models install NAME`; \"through English\": the pairs it "
                       "would add by pivoting through English with the models installed.", style="dim"),
                  soft_wrap=True)
    return EXIT_OK


# -- translate ---------------------------------------------------------------------------------

def _source(args, ctx):
    """(label, title, paragraphs, lang) of the article id or file to translate."""
    from newsreader.index.translation import TranslationError, read_documents

    forced = args.source_lang
    path = Path(args.target).expanduser()
    if path.is_file():
        try:
            empty = not path.read_bytes().strip()
        except OSError as exc:
            raise TranslationError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        if empty:
            raise TranslationError(f"{path} is empty: nothing to translate")
        documents, skipped = read_documents(path, forced)
        if len(documents) != 1:
            raise UsageError(f"{path} holds {len(documents)} articles; add it with `newsreader add` "
                               f"and translate them by id")
        doc = documents[0]
        return str(path), doc.title, list(doc.paragraphs), doc.lang, skipped
    if path.exists():
        raise UsageError(f"{path} is not a file; give an article id or a file")
    article = ctx.library().get(args.target)
    return article.id, article.title, list(article.paragraphs), forced or article.lang, []


def cmd_translate(args, ctx) -> int:
    from newsreader.index.translation import ArgosMissing, NoRoute, TranslationError, UndeterminedLanguage

    label, title, paragraphs, lang, skipped = _source(args, ctx)
    for problem in skipped:  # e.g. a bad line of a JSONL file: said, not silently dropped
        ctx.problem(problem)
    target = args.to or ctx.settings.translation.target
    if not any(p.strip() for p in paragraphs):
        raise TranslationError(f"{label} has no text to translate")
    translator = ctx.workspace.translator()
    try:
        route = translator.route(lang, target)
        if None in translator.cached(paragraphs, route):
            translator.ready()  # a model is needed: can its engine load?
    except UndeterminedLanguage as exc:
        how = ("give it with --from LANG" if Path(args.target).expanduser().is_file()
               else f"set it with `newsreader set-lang {shlex.quote(label)} LANG` (or give it with --from LANG)")
        raise TranslationError(f"{label}: {exc}; {how}") from None
    except (NoRoute, ArgosMissing) as exc:  # no model can run: what the cache holds still shows
        code = _translate_from_cache(args, ctx, translator, (label, title, paragraphs, lang, target), exc)
        return max(code, EXIT_PARTIAL if skipped else EXIT_OK)
    if not args.json:
        ctx.err.print(Text(f"{label}: {route.description}", style="dim"), soft_wrap=True)
    items, problems = [], []
    for item in translator.translate(paragraphs, route):
        items.append(item)
        if item.problem:
            problems.append(item)
            ctx.problem(f"paragraph {item.index + 1}: {item.problem}")
        if not args.json:
            if item.index:
                ctx.out.print()
            ctx.out.print(Text(item.translation))
    if args.json:
        ctx.print_json({"source": label, "title": title, "from": route.from_code, "to": route.to_code,
                        "engine": translator.engine_name, "route": route.to_json(),
                        "paragraphs": [item.to_json() for item in items]})
    _cache_notice(ctx, translator.cache)
    readable = [item for item in items if item.source.strip()]
    if problems and len(problems) == len(readable):
        raise TranslationError(f"{label} is in a script the {route.description} route does not know; "
                               f"is it really {route.from_code}? (give the language with --from)")
    return EXIT_PARTIAL if problems or skipped else EXIT_OK


def _translate_from_cache(args, ctx, translator, source, why) -> int:
    """`translate` when no model can run (none installed for the pair, or the engine cannot
    load): the cached paragraphs (by language pair and text, whatever model made them), and
    which ones are missing and what would translate them. Nothing cached: the error itself."""
    from newsreader.index.translation import normalize_lang

    from .context import plural

    label, title, paragraphs, lang, target = source
    cached = translator.cached_text(paragraphs, lang, target)
    readable = [i for i, p in enumerate(paragraphs) if p.strip()]
    missing = [i for i in readable if cached[i] is None]
    if len(missing) == len(readable):
        raise why
    if args.json:
        ctx.print_json({"source": label, "title": title, "from": normalize_lang(lang), "to": normalize_lang(target),
                        "engine": None, "route": None, "from_cache": True, "no_model": str(why),
                        "paragraphs": [{"index": i, "source": p, "translation": cached[i], "cached": cached[i] is not None,
                                        **({"problem": "not in the translation cache"} if cached[i] is None else {})}
                                       for i, p in enumerate(paragraphs)]})
    else:
        ctx.err.print(Text(f"{label}: from the translation cache ({str(why).split(';')[0]})", style="dim"),
                      soft_wrap=True)
        for i in range(len(paragraphs)):
            if i:
                ctx.out.print()
            if cached[i] is None:
                ctx.out.print(Text(f"[paragraph {i + 1} is not in the translation cache]", style="dim"))
            else:
                ctx.out.print(Text(cached[i]))
    _cache_notice(ctx, translator.cache)
    if missing:
        numbers = ", ".join(str(i + 1) for i in missing)
        ctx.problem(f"{plural(len(missing), 'paragraph')} ({numbers}) of {label} not in the translation cache; "
                    f"translating {'it' if len(missing) == 1 else 'them'} needs a model: {why}")
        return EXIT_PARTIAL
    return EXIT_OK


# -- cache -------------------------------------------------------------------------------------

def _cache_notice(ctx, cache) -> None:
    """Say so when the cache file was damaged and has been reset (it is derived: nothing is lost
    that cannot be translated again)."""
    if cache.notice:
        ctx.err.print(Text(f"newsreader: {cache.notice}", style="dim"), soft_wrap=True)


def cmd_cache(args, ctx) -> int:
    raise UsageError("choose what to do: newsreader cache clear | info")


def cmd_cache_clear(args, ctx) -> int:
    cache = ctx.workspace.translation_cache()
    try:
        entries, size = cache.clear()
        where = cache.path
    finally:
        cache.close()
    _cache_notice(ctx, cache)
    if args.json:
        ctx.print_json({"cleared": entries, "bytes": size, "path": str(where) if where else None})
    else:
        ctx.out.print(Text(f"Cleared the translation cache: {entries} paragraph{'s' if entries != 1 else ''}, "
                           f"{size / 1_048_576:.1f} MB ({where})"), soft_wrap=True)
    return EXIT_OK


def cmd_cache_info(args, ctx) -> int:
    cache = ctx.workspace.translation_cache()
    try:
        stats = cache.stats()
    finally:
        cache.close()
    _cache_notice(ctx, cache)
    stats["max_bytes"] = ctx.settings.translation.cache_mb * 1024 * 1024
    if args.json:
        ctx.print_json(stats)
    else:
        ctx.out.print(Text(f"{stats['entries']} translated paragraphs, {stats['bytes'] / 1_048_576:.1f} MB "
                           f"of {ctx.settings.translation.cache_mb} MB, in {stats['path']}"), soft_wrap=True)
    return EXIT_OK


# -- registration ------------------------------------------------------------------------------

def register(sub, command) -> None:
    p = command("models", cmd_models, "translation models (Argos Translate packages): list, install, remove, "
                "available", json_flag=False)
    actions = p.add_subparsers(dest="models_action", metavar="ACTION", parser_class=type(p))

    def action(group, name: str, handler, help: str):
        q = group.add_parser(name, help=help, description=help)
        q.set_defaults(handler=handler)
        q.add_argument("--json", action="store_true", help="print one JSON document")
        return q

    action(actions, "list", cmd_models_list, "list the installed translation models")
    q = action(actions, "install", cmd_models_install,
               "install .argosmodel files, or packages by name from the package index (e.g. translate-tr_en)")
    q.add_argument("sources", nargs="+", metavar="FILE|NAME")
    q = action(actions, "remove", cmd_models_remove, "remove an installed model, e.g. tr-en")
    q.add_argument("package", metavar="FROM-TO")
    action(actions, "available", cmd_models_available,
           "list the models in the Argos package index ([translation] package_index, $NEWSREADER_PACKAGE_INDEX)")

    p = command("translate", cmd_translate, "translate an article (by id) or a file, offline")
    p.add_argument("target", metavar="ID|FILE")
    p.add_argument("--to", metavar="LANG", type=language_code, help="target language (default: [translation] target in the config, en)")
    p.add_argument("--from", dest="source_lang", metavar="LANG", type=language_code,
                   help="source language, when detection got it wrong or could not tell")

    p = command("cache", cmd_cache, "the translation cache: clear, info", json_flag=False)
    cache_actions = p.add_subparsers(dest="cache_action", metavar="ACTION", parser_class=type(p))
    action(cache_actions, "clear", cmd_cache_clear, "forget every cached translation")
    action(cache_actions, "info", cmd_cache_info, "how much the translation cache holds")
