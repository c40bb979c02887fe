"""Cold start to the first painted frame: `newsreader` on an N-article library (default 10k) vs an empty
Textual app, measured in the same run, each in a fresh process on a pseudo-terminal.

    .venv/bin/python bench/bench_startup.py [--runs 7] [--articles N] [--library DIR] [--size 160x48]

The clock starts just before the process is spawned and stops when the terminal has received
a frame holding the marker text: the Footer's "^p" (command palette key) for both apps (the first painted
frame), and for newsreader also the time until the list's first rows are on screen (the newest
articles, shown while the rest is read) and until it is filled (the status bar's article count;
the list is made in a worker after the first frame). The N-article library (synthetic English
articles, JSONL) is built once into --library (default: a folder per N in the temp dir) and reused.

Before timing, newsreader's bytecode is written (compileall), as installing a package does:
an editable install run with PYTHONDONTWRITEBYTECODE set would otherwise compile every one of
its modules at each start (about 50 ms of the first frame here), which the empty app, whose
Textual was installed compiled, never pays.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import random
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_=>()][0-9A-Za-z]?)")
EMPTY_APP = """
from textual.app import App
from textual.widgets import Footer, Static
class Empty(App):
    def compose(self):
        yield Static("empty")
        yield Footer()
Empty().run()
"""
PREVIEW = b"reading the list"  # the status line while the newest articles show and the rest is read
ARTICLES_PER_FILE = 5000
WORDS = ("iran russia putin talks energy forum ashgabat leaders meeting trade summit minister "
         "oil gas sanctions region cooperation kazan brics visit").split()


def build_library(folder: Path, count: int) -> int:
    """Build (once) a library of `count` articles; returns how many it holds."""
    from newsreader.index import Library

    with Library(folder) as library:
        held = len(library.articles())
        if held == count:
            return held
        if held:
            raise SystemExit(f"{folder} holds {held} articles, not {count}; pass another --library")
        source = folder.parent / f"{folder.name}-source"
        source.mkdir(parents=True, exist_ok=True)
        rnd = random.Random(7)
        out = None
        for i in range(count):
            if i % ARTICLES_PER_FILE == 0:  # files stay far below the 20 MB a file may hold
                if out:
                    out.close()
                out = open(source / f"articles-{i // ARTICLES_PER_FILE:03d}.jsonl", "w", encoding="utf-8")
            title = " ".join(rnd.choice(WORDS) for _ in range(6)).capitalize()
            text = "\n\n".join(" ".join(rnd.choice(WORDS) for _ in range(40)) for _ in range(4))
            out.write(json.dumps({
                "id": f"a{i}", "lang": "en", "title": title, "text": text,
                "date": f"20{rnd.randint(10, 24)}-{rnd.randint(1, 12):02d}",
                "source": f"source{i % 37}.example", "url": f"https://source{i % 37}.example/{i}",
            }) + "\n")
        if out:
            out.close()
        print(f"building a {count}-article library in {folder} …", file=sys.stderr)
        report = library.add([source])
        if report.problems or len(library.articles()) != count:
            raise SystemExit(f"building the library failed: {report.problems[:3]}")
        return len(library.articles())


def compile_bytecode() -> None:
    """newsreader's modules compiled to bytecode, as an installed package has them."""
    import compileall

    import newsreader.index
    import newsreader.tui

    for package in (newsreader.index, newsreader.tui):
        compileall.compile_dir(Path(package.__file__).parent, quiet=1)


def time_to(argv: list[str], markers: list[bytes], env: dict, size: tuple[int, int], timeout=30.0,
            optional: tuple[bytes, ...] = ()) -> list[float | None]:
    """Seconds from spawn until each marker has appeared on the (ANSI-stripped) screen output
    (None for an `optional` one that never did)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                               start_new_session=True)
    os.close(slave)
    seen: dict[bytes, float] = {}
    buffer = b""
    try:
        required = [m for m in markers if m not in optional]
        while any(m not in seen for m in required) and time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            now = time.perf_counter()
            buffer += chunk
            plain = ANSI.sub(b"", buffer)
            for marker in markers:
                if marker not in seen and marker in plain:
                    seen[marker] = now - start
        os.write(master, b"q")
        deadline = time.perf_counter() + 10
        while process.poll() is None and time.perf_counter() < deadline:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        if process.poll() is None:
            process.kill()
    finally:
        process.wait()
        os.close(master)
    missing = [m for m in markers if m not in seen and m not in optional]
    if missing:
        raise RuntimeError(f"{argv[0]}: never showed {missing}; last output: {ANSI.sub(b'', buffer)[-400:]!r}")
    return [seen.get(m) for m in markers]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--library", type=Path, default=None,
                        help="default: newsreader-bench/library-N in the temp folder")
    parser.add_argument("--size", default="160x48")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))
    if args.library is None:
        args.library = Path(tempfile.gettempdir()) / "newsreader-bench" / f"library-{args.articles}"
    held = build_library(args.library, args.articles)
    compile_bytecode()
    marker = f"{held} article{'s' if held != 1 else ''}".encode()  # the status bar's count: the list is filled
    command = Path(sys.executable).with_name("newsreader")
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, TERM="xterm-256color", NEWSREADER_LIBRARY=str(args.library),
                   NEWSREADER_CONFIG=str(Path(home) / "none.toml"), NEWSREADER_CACHE=str(Path(home) / "cache"),
                   ARGOS_PACKAGES_DIR=str(Path(home) / "packages"))
        env.pop("NO_COLOR", None)
        app_frame, app_first_rows, app_rows, empty_frame = [], [], [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine state
            empty_frame += time_to([sys.executable, "-c", EMPTY_APP], [b"^p"], env, size)
            # The list's first rows: the status line's "reading the list" (the newest articles
            # shown before the others are read), or the whole list if that came first.
            first, preview, rows = time_to([str(command)], [b"^p", PREVIEW, marker], env, size, optional=(PREVIEW,))
            app_frame.append(first)
            app_first_rows.append(min(t for t in (preview, rows) if t is not None))
            app_rows.append(rows)
    median = statistics.median
    print(f"runs: {args.runs}, terminal {args.size}, library: {args.articles} articles")
    print(f"empty Textual app, first frame:       median {median(empty_frame):.3f} s  "
          f"(min {min(empty_frame):.3f}, max {max(empty_frame):.3f})")
    print(f"newsreader, first frame:              median {median(app_frame):.3f} s  "
          f"(min {min(app_frame):.3f}, max {max(app_frame):.3f})")
    print(f"newsreader, first rows of the list:   median {median(app_first_rows):.3f} s  "
          f"(min {min(app_first_rows):.3f}, max {max(app_first_rows):.3f})")
    print(f"newsreader, list filled ({held} rows): median {median(app_rows):.3f} s  "
          f"(min {min(app_rows):.3f}, max {max(app_rows):.3f})")
    print(f"ratio first frame / empty app: {median(app_frame) / median(empty_frame):.2f} (target <= 2.0)")
    print(f"ratio first rows / empty app: {median(app_first_rows) / median(empty_frame):.2f}")
    print(f"ratio list filled / empty app: {median(app_rows) / median(empty_frame):.2f} (target <= 3.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
