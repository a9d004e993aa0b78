"""Fixtures of the pipeline tests; the fake book itself is in fakebook.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fakebook import FakeBuild


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[FakeBuild, Path, str]:
    """One successful build shared by the module's tests: (fake, OUT, printed output)."""
    fake = FakeBuild(tmp_path_factory.mktemp("fake"))
    out = fake.root / "out"
    working_dir = os.getcwd()
    printed = fake.build(out)
    assert os.getcwd() == working_dir, "a build must not move the process's working directory"
    return fake, out, printed
