"""Fixtures shared by every test folder."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from xaibook import paths
from xaibook.cli import main
from xaibook.data.dataset import Dataset

XAIBOOK_CLI = [sys.executable, "-m", "xaibook.cli"]

# Property tests check what the code does, not how fast this machine is while other jobs run:
# Hypothesis's 200 ms deadline per example made them fail on a busy machine.
settings.register_profile("xaibook", deadline=None)
settings.load_profile("xaibook")


def edited(data: Dataset, **tables: pd.DataFrame) -> Dataset:
    """A copy of ``data`` with some tables replaced."""
    return dataclasses.replace(data, tables={**data.tables, **tables})


def emptied(data: Dataset, *tables: str) -> Dataset:
    """A copy of ``data`` in which ``tables`` have no rows (their columns kept)."""
    return edited(data, **{table: data.tables[table].iloc[:0] for table in tables})


@pytest.fixture
def restore_altair_state():
    """Tests switch Altair's global theme/renderer; put the previous ones back."""
    import altair as alt

    theme, renderer = alt.theme.active, alt.renderers.active
    yield
    alt.theme.enable(theme)
    alt.renderers.enable(renderer)
    alt.data_transformers.enable("default")


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


def require_or_skip(reason: str) -> None:
    """Skip a test whose tool is missing, or fail it where CI promised every tool is there."""
    import os

    if os.environ.get("XAIBOOK_REQUIRE_ALL_TESTS"):
        pytest.fail(f"required for CI but missing: {reason}")
    pytest.skip(reason)


@dataclass
class BuiltBook:
    out: Path
    stdout: str

    @property
    def html(self) -> Path:
        return self.out / "html"

    @property
    def pdf(self) -> Path:
        return self.out / "pdf" / "xaibook.pdf"

    def page(self, name: str) -> Path:
        return self.html / name

    def log(self) -> str:
        log = self.out / "last-build-html.log"
        return log.read_text(encoding="utf-8") if log.exists() else ""


def build_book(out: Path, *args: str, cache: Path | None = None) -> BuiltBook:
    """Build the real book with the real command line into ``out`` (private cache)."""
    import os

    env = {**os.environ, "XAIBOOK_CACHE_DIR": str(cache or out.parent / f"{out.name}-cache")}
    result = subprocess.run(
        [*XAIBOOK_CLI, "build", "--out", str(out), *args],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        env=env,
    )
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return BuiltBook(out=out, stdout=result.stdout)


def latex_available() -> bool:
    # tools/ is not installed: the repository root is on sys.path (pytest's pythonpath = .)
    from tools.system import latex_missing

    return not latex_missing()


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> BuiltBook:
    """Today's edition of the real book, HTML and (where TeX is installed) PDF, built once."""
    out = tmp_path_factory.mktemp("today") / "out"
    return build_book(out, "--format", "all" if latex_available() else "html")


@pytest.fixture(scope="session")
def early_book(tmp_path_factory) -> BuiltBook:
    """The book as it could have been written on 2025-12-31."""
    out = tmp_path_factory.mktemp("early") / "out"
    return build_book(out, "--as-of", "2025-12-31")


def tree_digest(folder: Path) -> str:
    """Names and bytes of every file under ``folder`` (through the OUT/html link)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()
