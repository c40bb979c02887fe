"""Running the `newsreader` command: in the test's own process (its exit status, what it
printed) or in a process of its own."""

from __future__ import annotations

import subprocess
import sys

from newsreader.tui.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    """`newsreader ARGV...` (paths and numbers given as they are): (exit status, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    """`newsreader ARGV...` in a process of its own (another shell beside the app, a full disk),
    its output as text; `kwargs` go to subprocess.run (env, ...)."""
    return subprocess.run([sys.executable, "-m", "newsreader.tui.cli", *argv], capture_output=True, text=True,
                          timeout=120, **kwargs)
