"""The import rules hold: import-linter's contracts (pyproject.toml) and no import cycles."""

import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "lint_imports.py"


def test_import_contracts_are_kept_and_there_are_no_cycles():
    run = subprocess.run([sys.executable, str(TOOL)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 3 kept, 0 broken." in run.stdout
    assert "no import cycles" in run.stdout
