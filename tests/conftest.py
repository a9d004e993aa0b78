"""Fixtures shared by every test folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xaibook import paths

XAIBOOK_CLI = [sys.executable, "-m", "xaibook.cli"]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped data folder that a test may damage."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the `xaibook` command line as a user would, capturing its output."""
    return subprocess.run([*XAIBOOK_CLI, *args], capture_output=True, text=True,
                          timeout=timeout, check=False)
