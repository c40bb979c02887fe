"""The code's rules hold: import-linter's contracts (pyproject.toml) and no import cycles;
`ruff check .` (pyflakes, bugbear, import order) and mypy on the engine find nothing."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools"


def test_import_contracts_are_kept_and_there_are_no_cycles():
    run = subprocess.run([sys.executable, str(TOOLS / "lint_imports.py")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 4 kept, 0 broken." in run.stdout
    assert "no import cycles" in run.stdout


def test_ruff_finds_nothing():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_finds_nothing_in_the_engine():
    run = subprocess.run([sys.executable, str(TOOLS / "check_types.py")], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success: no issues found" in run.stdout
