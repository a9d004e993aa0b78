"""Every test file is collected by `make test`: pytest silently skips some folder names."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xaibook import paths


@pytest.mark.thorough  # collects the whole suite: `make test`, not `make check`
def test_every_test_file_is_collected():
    # pytest's default norecursedirs include 'build' and 'dist': tests/build was never run
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=paths.REPO_ROOT, capture_output=True, text=True, timeout=120, check=False,
    ).stdout  # fmt: skip
    files = {line.split("::")[0] for line in collected.splitlines() if "::" in line}
    expected = {
        path.relative_to(paths.REPO_ROOT).as_posix()
        for path in (paths.REPO_ROOT / "tests").rglob("test_*.py")
    }
    assert expected - files == set()
