"""Check the import rules: the import-linter contracts in pyproject.toml, and no import
cycle between any two modules of the package.

    .venv/bin/python tools/lint_imports.py

The folders keep the user's short names (`index/`, `tui/`) and are installed as
`newsreader.index` / `newsreader.tui` by a package-dir mapping that import-linter's graph
builder cannot follow in an editable install, so this script lays out a temporary tree of
symlinks named as installed and points both checks at it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = {"index": "index", "tui": "tui", "seeds": "seeds"}


def installed_tree(root: Path) -> Path:
    package = root / "newsreader"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, folder in PACKAGES.items():
        (package / name).symlink_to(REPO / folder)
    return root


def cycles(root: Path) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), imports inside functions included."""
    sys.path.insert(0, str(root))
    import grimp

    graph = grimp.build_graph("newsreader", cache_dir=None)
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in edges.get(module, []):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for module in modules:
        if module not in index:
            visit(module)
    return found


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = installed_tree(Path(tmp))
        env = dict(os.environ, PYTHONPATH=str(root))
        lint = Path(sys.executable).with_name("lint-imports")
        contracts = subprocess.run([str(lint), "--config", str(REPO / "pyproject.toml"), "--no-cache"],
                                   cwd=tmp, env=env, capture_output=True, text=True)
        print(contracts.stdout[-4000:], contracts.stderr[-2000:], sep="")
        found = cycles(root)
        for group in found:
            print("import cycle: " + " -> ".join(group))
        if not found:
            print("no import cycles")
        return 1 if contracts.returncode or found else 0


if __name__ == "__main__":
    sys.exit(main())
