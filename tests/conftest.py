"""Fixtures shared by every test folder."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from xaibook import paths
from xaibook.cli import main

XAIBOOK_CLI = [sys.executable, "-m", "xaibook.cli"]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped data folder that a test may damage."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> CliResult:
    """The `xaibook` command line, run in this process (fast), with its output captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return CliResult(code, out.getvalue(), err.getvalue())


def run_cli_process(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The `xaibook` command line as a separate process, exactly as a user runs it."""
    return subprocess.run(
        [*XAIBOOK_CLI, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
