"""Type-check the engine with mypy (settings in pyproject.toml's [tool.mypy]).

    .venv/bin/python tools/check_types.py

mypy cannot follow the editable install's package-dir mapping (`index/` installed as
`newsreader.index`) either: it checks the same tree of symlinks tools/lint_imports.py builds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from lint_imports import REPO, installed_tree


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = installed_tree(Path(tmp))
        env = dict(os.environ, MYPYPATH=str(root))
        run = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"),
                              "--cache-dir", str(Path(tmp) / "cache"), "-p", "newsreader.index"],
                             cwd=tmp, env=env)
        return run.returncode


if __name__ == "__main__":
    sys.exit(main())
