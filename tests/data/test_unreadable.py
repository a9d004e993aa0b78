"""Data the tool cannot read (a loop of links, a file it may not open) is named as such, by
every command, and never reported as a bug in xaibook."""

from __future__ import annotations

import pathlib

import pytest

from tests.conftest import run_cli

BUG = "This is a bug"


def _loop(folder: pathlib.Path) -> pathlib.Path:
    """a -> b -> a"""
    folder.mkdir(exist_ok=True)
    (folder / "a").symlink_to(folder / "b")
    (folder / "b").symlink_to(folder / "a")
    return folder / "a"


def _refused(*args: str) -> str:
    result = run_cli(*args)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert BUG not in output and "Traceback" not in output, output
    return output


@pytest.mark.parametrize("command", ["validate", "facts"])
def test_a_loop_of_links_as_the_data_folder_is_named(tmp_path, command):
    loop = _loop(tmp_path / "loop")
    output = _refused(command, "--data", str(loop))
    assert str(loop) in output and "loop of links" in output


@pytest.mark.parametrize("command", ["validate", "facts"])
def test_a_data_file_that_is_a_loop_of_links_is_named(tmp_path, data_copy, command):
    loop = _loop(tmp_path / "loop")
    (data_copy / "companies.csv").unlink()
    (data_copy / "companies.csv").symlink_to(loop)
    output = _refused(command, "--data", str(data_copy))
    assert "companies.csv: is a symbolic link to nothing (or a loop of links)" in output


def test_a_data_file_that_cannot_be_read_is_named(data_copy, monkeypatch):
    # root (as CI runs) reads any file whatever its mode, so the refusal is simulated
    blocked = data_copy / "risks.csv"
    read_bytes = pathlib.Path.read_bytes

    def refusing(path: pathlib.Path) -> bytes:
        if path.name == blocked.name:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(pathlib.Path, "read_bytes", refusing)
    output = _refused("validate", "--data", str(data_copy))
    assert "risks.csv: cannot be read (Permission denied)" in output


def test_a_build_names_a_data_file_that_is_a_loop_before_any_chapter_runs(tmp_path, data_copy):
    loop = _loop(tmp_path / "loop")
    (data_copy / "sites.csv").unlink()
    (data_copy / "sites.csv").symlink_to(loop)
    output = _refused("build", "--data", str(data_copy), "--out", str(tmp_path / "out"))
    assert "sites.csv: is a symbolic link to nothing (or a loop of links)" in output
    assert "chapter" not in output


def test_an_execution_cache_that_is_a_file_is_refused_up_front(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    monkeypatch.setenv("XAIBOOK_CACHE_DIR", str(cache))
    output = _refused("build", "--out", str(tmp_path / "out"))
    assert str(cache) in output and "is a file" in output
