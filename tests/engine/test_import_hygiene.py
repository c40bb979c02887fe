"""The engine is headless and the command line starts fast: check what importing pulls in."""

import subprocess
import sys

import pytest

HEAVY = ("textual", "ctranslate2", "argostranslate", "torch", "stanza")


def _imported_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in out.split()}


@pytest.mark.parametrize("module", ["newsreader.index", "newsreader.index.library"])
def test_engine_never_imports_textual_or_translation_runtimes(module):
    loaded = _imported_after(f"import {module}")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_command_line_module_does_not_import_the_app_or_models():
    loaded = _imported_after("import newsreader.tui.cli")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_package_import_defers_the_search_engine():
    # The app paints its first frame while the library opens in a worker: the package's
    # import must not pull Whoosh, langdetect or lxml into the main thread's start-up.
    loaded = _imported_after("import newsreader.index; from newsreader.index import NewsreaderError")
    assert not loaded & {"whoosh", "langdetect", "lxml", "trafilatura", "anyascii"}


def test_listing_a_library_defers_search_events_and_ingest(tmp_path):
    # The app's list at start-up needs only the catalog: Whoosh, numpy and scipy (the events)
    # and the ingest pipeline load when a search, the events or an add first need them.
    (tmp_path / "a.txt").write_text("Summit in Ashgabat\n\nLeaders met in Ashgabat for talks on energy.\n",
                                    encoding="utf-8")
    library = tmp_path / "library"
    subprocess.run([sys.executable, "-c", "from newsreader.index import Library; "
                    f"Library({str(library)!r}).add([{str(tmp_path / 'a.txt')!r}])"], check=True)
    opened = f"from newsreader.index import Library; library = Library({str(library)!r})"
    listed = _imported_after(f"{opened}; assert len(library.articles()) == 1; library.languages(); "
                             "library.revision(); library.articles(limit=1); library.close()")
    assert not listed & {"whoosh", "numpy", "scipy", "charset_normalizer", "langdetect"}, listed
    searched = _imported_after(f"{opened}; assert library.search('ashgabat')")
    assert "whoosh" in searched
    grouped = _imported_after(f"{opened}; library.events()")
    assert {"numpy", "scipy"} <= grouped


def test_reading_an_article_with_its_event_defers_numpy_and_scipy(tmp_path):
    # `newsreader show ID` and the app's opening of an article read one article and the id of
    # its event (one row of the catalog): importing the events' numpy and scipy for that cost
    # more than the rest of the command (0.45 s of 0.75 s measured).
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Summit in Ashgabat\n\nLeaders met in Ashgabat on Friday for talks on "
                                     "energy, trade and gas exports.\n", encoding="utf-8")
    library = tmp_path / "library"
    subprocess.run([sys.executable, "-c", "from newsreader.index import Library; "
                    f"Library({str(library)!r}).add([{str(tmp_path)!r}])"], check=True)
    opened = f"from newsreader.index import Library; library = Library({str(library)!r})"
    grouped = subprocess.run([sys.executable, "-c", f"{opened}; print(' '.join(a.id + '=' + str(library.event_of(a.id).id) "
                              "for a in library.articles()))"], capture_output=True, text=True, check=True).stdout
    events = dict(pair.split("=") for pair in grouped.split())
    assert len(events) == 2
    read = _imported_after(f"{opened}; events = {events!r}; "
                           "assert all(library.get(i).event == e for i, e in events.items()), events; "
                           "library.marks(next(iter(events))); library.close()")
    assert not read & {"numpy", "scipy"}, read & {"numpy", "scipy"}


def test_opening_the_app_builds_no_parser_of_every_command(tmp_path):
    # `newsreader` with no arguments (the app) goes straight to it: the subcommands' modules,
    # which only their parsers need, are not imported before the first frame.
    code = ("import sys; import newsreader.tui.cli as cli; opened = []; "
            "cli.cmd_app = lambda args, ctx: opened.append(args.library) or 0; "
            "status = cli.main([]); print(status, opened, ' '.join(sys.modules))")
    env = {"NEWSREADER_CONFIG": str(tmp_path / "none.toml"), "NEWSREADER_LIBRARY": str(tmp_path / "library"),
           "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    status, opened, modules = out.split(" ", 2)
    assert (status, opened) == ("0", "[None]")
    assert not {"newsreader.tui.feed_commands", "newsreader.tui.event_commands"} & set(modules.split())
