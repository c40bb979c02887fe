"""A plain (non-editable) install must carry the bundled seeds and styles under `newsreader.`."""

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_holds_namespaced_packages_seeds_and_styles(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    [wheel] = tmp_path.glob("newsreader-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    seeds = [n for n in names if n.startswith("newsreader/seeds/") and n.endswith(".txt")]
    assert len(seeds) == 5
    assert "newsreader/index/library.py" in names and "newsreader/tui/cli.py" in names
    assert any(n.startswith("newsreader/tui/") and n.endswith(".tcss") for n in names)
    for folder in ("index", "tui"):
        for source in (REPO / folder).rglob("*.py"):
            assert f"newsreader/{source.relative_to(REPO).as_posix()}" in names, f"{source} is not packaged"
    # Never the bare words `index` or `tui` at the top of site-packages.
    assert not any(n.startswith(("index/", "tui/", "seeds/", "tests/")) for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "newsreader = newsreader.tui.cli:entry_point" in zipfile.ZipFile(wheel).read(entry_points).decode()
