"""`--out`: a build writes only into a folder it made, and refuses the rest before it starts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli, tree_digest
from xaibook import paths, publish
from xaibook.errors import ParameterError


def check(out: Path, data: Path, book: Path | None = None) -> None:
    protected = {paths.REPO_ROOT.resolve(): "the repository"}
    if book is not None:
        protected[book] = "the book"
    publish.check_out_dir(out, protected=protected, data_dir=data)


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "work" / "data"
    folder.mkdir(parents=True)
    (folder / "companies.csv").write_text("company_id\nxai\n")
    return folder


@pytest.mark.parametrize(
    "out_of",
    [
        lambda data: Path("/"),
        lambda data: Path.home().resolve(),
        lambda data: paths.REPO_ROOT.resolve(),
        lambda data: paths.REPO_ROOT.resolve().parent,  # above the repository
        lambda data: data,
        lambda data: data.parent,  # above the data
        lambda data: data / "_build",  # inside the data: its logs would count as data
    ],
    ids=["root", "home", "repository", "above-repository", "data", "above-data", "inside-data"],
)
def test_dangerous_outs_are_refused_naming_the_folder(data, out_of):
    out = out_of(data)
    before = tree_digest(data)
    with pytest.raises(ParameterError, match=r"--out .*needs a folder of its own") as raised:
        check(out, data)
    assert str(out) in str(raised.value)
    assert tree_digest(data) == before
    assert not (out / publish.MARKER_FILE_NAME).exists()


def test_the_book_folder_is_refused(tmp_path, data):
    book = tmp_path / "book"
    book.mkdir()
    with pytest.raises(ParameterError, match="the book"):
        check(book, data, book)


def test_a_folder_of_the_users_is_refused_and_left_alone(tmp_path, data):
    out = tmp_path / "site"
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("<p>an older site</p>")
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ParameterError, match="html is a folder xaibook did not make"):
        check(out, data)
    assert (out / "html" / "index.html").read_text() == "<p>an older site</p>"
    (out / "html" / "index.html").unlink()
    (out / "html").rmdir()
    with pytest.raises(ParameterError, match=r"holds files xaibook did not make \(notes\.txt\)"):
        check(out, data)
    assert sorted(path.name for path in out.iterdir()) == ["notes.txt"]  # and no marker


def test_a_new_or_empty_out_is_created_and_marked(tmp_path, data):
    new, empty = tmp_path / "new" / "out", tmp_path / "empty"
    empty.mkdir()
    for out in (new, empty):
        check(out, data)
        assert sorted(path.name for path in out.iterdir()) == [publish.MARKER_FILE_NAME]
        check(out, data)  # marked: accepted again, even once it holds editions
        (out / "pdf").mkdir(exist_ok=True)
        check(out, data)


def test_an_out_left_by_an_older_build_is_adopted(tmp_path, data):
    out = tmp_path / "_build"
    old = out / publish.EDITIONS_DIR_NAME / "20250101T000000Z-abc"
    old.mkdir(parents=True)
    (old / "index.html").write_text("<p>old</p>")
    os.symlink(Path(publish.EDITIONS_DIR_NAME) / old.name, out / "html")
    (out / "pdf").mkdir()
    (out / "pdf" / "xaibook.pdf").write_bytes(b"%PDF")
    (out / "last-build-html.log").write_text("log")
    (out / publish.LOCK_FILE_NAME).write_text("1\n")
    check(out, data)
    assert (out / publish.MARKER_FILE_NAME).is_file()
    assert (out / "html" / "index.html").read_text() == "<p>old</p>"


def test_a_file_as_out_or_above_it_is_refused(tmp_path, data):
    file = tmp_path / "report.txt"
    file.write_text("mine")
    with pytest.raises(ParameterError, match=r"report\.txt is a file; give a folder"):
        check(file, data)
    with pytest.raises(ParameterError, match=r"is under .*report\.txt, which is a file"):
        check(file / "out", data)
    assert file.read_text() == "mine"


def test_an_out_that_cannot_be_written_is_refused(tmp_path, data):
    # /proc refuses new folders even to root; chmod does not stop root
    with pytest.raises(ParameterError, match=r"--out /proc/.*cannot write there"):
        check(Path("/proc/self").resolve() / "xaibook", data)
    if os.geteuid() != 0:
        read_only = tmp_path / "read-only"
        read_only.mkdir()
        read_only.chmod(0o555)
        try:
            with pytest.raises(ParameterError, match="cannot write there"):
                check(read_only / "out", data)
        finally:
            read_only.chmod(0o755)


@pytest.mark.parametrize("kind", ["file", "under-file", "data", "loop"])
def test_the_command_line_refuses_bad_outs_before_anything_runs(tmp_path, kind):
    file = tmp_path / "file"
    file.write_text("mine")
    os.symlink(tmp_path / "loop-b", tmp_path / "loop-a")
    os.symlink(tmp_path / "loop-a", tmp_path / "loop-b")
    out = {
        "file": file,
        "under-file": file / "out",
        "data": paths.DATA_DIR / "out",
        "loop": tmp_path / "loop-a",
    }[kind]
    result = run_cli("build", "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.startswith("error: --out ") and "bug" not in result.stderr
    assert "validate data" not in result.stdout  # refused before the data was read
    assert not (paths.DATA_DIR / "out").exists()
