"""Execution cache, publishing and the data fingerprint: cases the mutation run found untested.

Written to kill mutants that survived `make mutation` (tools/mutation).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from xaibook import paths, publish
from xaibook.cache import UNUSED_ENTRY_MAX_AGE_DAYS, ExecutionCache, chapter_key
from xaibook.errors import BuildError, ParameterError
from xaibook.fingerprint import data_fingerprint

DAY_SECONDS = 86400


def executed_chapter(root: Path, text: str) -> tuple[Path, Path]:
    notebook = root / f"{text}.ipynb"
    notebook.write_text(f'{{"cells": ["{text}"]}}')
    downloads = root / f"downloads-{text}"
    downloads.mkdir()
    (downloads / "table.csv").write_text(f"value\n{text}\n")
    return notebook, downloads


def test_a_cache_folder_that_does_not_exist_yet_is_created_with_its_parents(tmp_path):
    cache = ExecutionCache(tmp_path / "home" / ".cache" / "xaibook")
    notebook, downloads = executed_chapter(tmp_path, "first")
    cache.store("k1", notebook, downloads)
    notebook, downloads = executed_chapter(tmp_path, "second")
    cache.store("k2", notebook, downloads)  # the folder exists now
    assert cache.has("k1") and cache.has("k2") and not cache.has("k3")


def test_a_rebuild_restores_over_the_previous_build_output(tmp_path):
    cache = ExecutionCache(tmp_path / "cache")
    notebook, downloads = executed_chapter(tmp_path, "cached")
    cache.store("key", notebook, downloads)
    target_notebook = tmp_path / "out" / "chapters" / "funding.ipynb"
    target_downloads = tmp_path / "out" / "downloads" / "funding"
    for _ in range(2):  # the second build finds both folders from the first
        assert cache.restore("key", target_notebook, target_downloads)
    assert target_notebook.read_text() == '{"cells": ["cached"]}'
    assert (target_downloads / "table.csv").read_text() == "value\ncached\n"


def test_a_concurrent_build_that_stored_the_same_key_first_is_not_an_error(tmp_path, monkeypatch):
    cache = ExecutionCache(tmp_path / "cache")
    notebook, downloads = executed_chapter(tmp_path, "mine")
    rename = Path.rename

    def other_build_wins(self, target):
        other, other_downloads = executed_chapter(tmp_path, "theirs")
        monkeypatch.undo()
        ExecutionCache(tmp_path / "cache").store("key", other, other_downloads)
        return rename(self, target)  # fails: the entry exists and is not empty

    monkeypatch.setattr(Path, "rename", other_build_wins)
    cache.store("key", notebook, downloads)
    assert (cache.cache_dir / "key" / "notebook.ipynb").read_text() == '{"cells": ["theirs"]}'
    assert [path.name for path in cache.cache_dir.iterdir()] == ["key"]  # no temporary left


def test_a_store_that_cannot_rename_is_an_error(tmp_path, monkeypatch):
    cache = ExecutionCache(tmp_path / "cache")
    notebook, downloads = executed_chapter(tmp_path, "mine")

    def read_only(self, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "rename", read_only)
    with pytest.raises(PermissionError):
        cache.store("key", notebook, downloads)
    assert not cache.has("key")


def test_prune_removes_entries_unused_for_longer_than_the_limit_only(tmp_path):
    cache = ExecutionCache(tmp_path / "cache")
    cache.prune()  # no cache folder yet: nothing to do
    ages_days = {"fresh": 1, "almost": UNUSED_ENTRY_MAX_AGE_DAYS - 0.01, "stale": None}
    now = time.time()
    for name, age_days in ages_days.items():
        notebook, downloads = executed_chapter(tmp_path, name)
        cache.store(name, notebook, downloads)
        # a minute past the limit: well clear of the clock's movement during the test
        age_seconds = (
            UNUSED_ENTRY_MAX_AGE_DAYS * DAY_SECONDS + 60
            if age_days is None
            else age_days * DAY_SECONDS
        )
        os.utime(cache.cache_dir / name, (now - age_seconds, now - age_seconds))
    cache.prune()
    assert sorted(path.name for path in cache.cache_dir.iterdir()) == ["almost", "fresh"]


def test_restoring_an_entry_keeps_it_from_being_pruned(tmp_path):
    cache = ExecutionCache(tmp_path / "cache")
    notebook, downloads = executed_chapter(tmp_path, "used")
    cache.store("used", notebook, downloads)
    long_ago = time.time() - 2 * UNUSED_ENTRY_MAX_AGE_DAYS * DAY_SECONDS
    os.utime(cache.cache_dir / "used", (long_ago, long_ago))
    assert cache.restore("used", tmp_path / "nb.ipynb", tmp_path / "dl")
    cache.prune()
    assert cache.has("used")


def test_each_staging_folder_is_new_and_cleaned_up_by_the_next_build(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    first, second = publish.new_staging_dir(out), publish.new_staging_dir(out)
    assert first != second
    for staging in (first, second):
        assert staging.parent == out and staging.is_dir() and not any(staging.iterdir())
        assert staging.name.startswith(".staging-")
    publish.remove_leftovers(out)
    assert not first.exists() and not second.exists()


def test_the_fingerprint_of_given_bytes_never_changes(tmp_path):
    # printed on every page: editions built by different versions must compare equal
    data = tmp_path / "data"
    (data / "epoch").mkdir(parents=True)
    (data / "companies.csv").write_bytes(b"company_id,name\nxai,xAI\n")
    (data / "epoch" / "data_centers.csv").write_bytes(b"Name\nColossus\n")
    bibliography = tmp_path / "references.bib"
    bibliography.write_bytes(b"@misc{a, title={A}}\n")
    assert data_fingerprint(data, bibliography) == FINGERPRINT_OF_THESE_BYTES


FINGERPRINT_OF_THESE_BYTES = "3f138012c970"


def test_the_fingerprint_names_a_missing_bibliography(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "companies.csv").write_bytes(b"company_id,name\nxai,xAI\n")
    assert data_fingerprint(data, tmp_path / "no.bib") == FINGERPRINT_WITHOUT_BIBLIOGRAPHY


FINGERPRINT_WITHOUT_BIBLIOGRAPHY = "3045aed6acdf"


def test_the_order_parameters_are_given_in_does_not_change_the_key(tmp_path):
    notebook = tmp_path / "risk.ipynb"
    notebook.write_text('{"cells": []}')
    first = chapter_key(
        "risk", notebook, {"as_of": "2025-06-30", "horizon_months": 36}, [], tmp_path
    )
    again = chapter_key(
        "risk", notebook, {"horizon_months": 36, "as_of": "2025-06-30"}, [], tmp_path
    )
    assert first == again


def check_out(out: Path, data: Path) -> None:
    publish.check_out_dir(
        out, protected={paths.REPO_ROOT.resolve(): "the repository"}, data_dir=data
    )


@pytest.mark.parametrize(
    ("out_of", "reason"),
    [
        (lambda data: Path("/"), "the root of the filesystem"),
        (lambda data: Path.home().resolve(), "your home folder"),
        (lambda data: paths.REPO_ROOT.resolve(), "the repository"),
        (lambda data: paths.REPO_ROOT.resolve().parent, "above the repository"),
        (lambda data: data, "the data folder"),
        (lambda data: data.parent, "above the data folder"),
        (lambda data: data / "_build", "inside the data folder"),
    ],
)
def test_a_refused_out_says_what_it_is(tmp_path, out_of, reason):
    data = tmp_path / "work" / "data"
    data.mkdir(parents=True)
    with pytest.raises(ParameterError) as raised:
        check_out(out_of(data), data)
    assert re.search(rf" is (a folder )?{re.escape(reason)}(;| \()", str(raised.value))


def test_a_foreign_out_names_its_first_three_files(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (out / name).write_text("mine")
    with pytest.raises(ParameterError, match=r"\(a\.txt, b\.txt, c\.txt\)"):
        check_out(out, data)
    (out / "d.txt").write_text("mine")
    with pytest.raises(ParameterError, match=r"\(a\.txt, b\.txt, c\.txt, \.\.\.\)") as raised:
        check_out(out, data)
    assert "d.txt" not in str(raised.value)
    assert sorted(path.name for path in out.iterdir()) == ["a.txt", "b.txt", "c.txt", "d.txt"]


def test_an_out_that_cannot_be_listed_is_refused_with_the_reason(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("mine")

    def unreadable(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", unreadable)
    with pytest.raises(ParameterError, match="Permission denied") as raised:
        check_out(out, data)
    assert str(out) in str(raised.value)


def test_an_older_builds_pdf_folder_is_adopted_but_not_a_link_or_other_files(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    out = tmp_path / "out"
    (out / "pdf").mkdir(parents=True)
    for name in ("xaibook.pdf", "edition.json", ".tmp-1234-xaibook.pdf"):
        (out / "pdf" / name).write_text("old")
    check_out(out, data)  # adopted and marked
    assert (out / publish.MARKER_FILE_NAME).is_file()
    linked = tmp_path / "linked"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "xaibook.pdf").write_text("someone's")
    linked.mkdir()
    (linked / "pdf").symlink_to(elsewhere)
    with pytest.raises(ParameterError, match=r"did not make \(pdf\)"):
        check_out(linked, data)
    assert (elsewhere / "xaibook.pdf").read_text() == "someone's"


def test_a_refused_build_names_the_pid_holding_the_lock_or_says_it_is_unknown(tmp_path):
    out = tmp_path / "out"
    with publish.output_lock(out):
        with pytest.raises(BuildError, match=rf"\(pid {os.getpid()}\)"), publish.output_lock(out):
            pass
        (out / publish.LOCK_FILE_NAME).write_text("")  # the holder had not written it yet
        with pytest.raises(BuildError, match=r"\(pid unknown\)"), publish.output_lock(out):
            pass


def test_an_entry_last_used_exactly_the_limit_ago_is_kept_and_a_second_more_is_pruned(
    tmp_path, monkeypatch
):
    cache = ExecutionCache(tmp_path / "cache")
    now = 2_000_000_000.0
    monkeypatch.setattr(time, "time", lambda: now)  # a clock that does not move
    limit_seconds = UNUSED_ENTRY_MAX_AGE_DAYS * DAY_SECONDS
    for name, age_seconds in {"at-limit": limit_seconds, "past-limit": limit_seconds + 1}.items():
        notebook, downloads = executed_chapter(tmp_path, name)
        cache.store(name, notebook, downloads)
        os.utime(cache.cache_dir / name, (now - age_seconds, now - age_seconds))
    cache.prune()
    assert sorted(path.name for path in cache.cache_dir.iterdir()) == ["at-limit"]


@pytest.fixture
def undeletable(monkeypatch):
    """Folders named ``stuck`` cannot be deleted (as a folder another user owns, or in use).

    Tests run as root here, which may delete anything; this stands in for the refusal a user's
    build would meet. The others are deleted for real.
    """
    real_rmtree = shutil.rmtree

    def rmtree(path, ignore_errors=False, **options):
        if Path(path).name == "stuck":
            if not ignore_errors:
                raise PermissionError(13, "Permission denied", str(path))
            return
        real_rmtree(path, ignore_errors=ignore_errors, **options)

    monkeypatch.setattr(shutil, "rmtree", rmtree)


def test_an_entry_that_cannot_be_deleted_does_not_stop_pruning(tmp_path, undeletable):
    cache = ExecutionCache(tmp_path / "cache")
    long_ago = time.time() - 2 * UNUSED_ENTRY_MAX_AGE_DAYS * DAY_SECONDS
    for name in ("stuck", "stale"):
        notebook, downloads = executed_chapter(tmp_path, name)
        cache.store(name, notebook, downloads)
        os.utime(cache.cache_dir / name, (long_ago, long_ago))
    cache.prune()
    assert sorted(path.name for path in cache.cache_dir.iterdir()) == ["stuck"]


def test_leftovers_that_cannot_be_deleted_do_not_stop_a_build(tmp_path, undeletable):
    out = tmp_path / "out"
    (out / publish.EDITIONS_DIR_NAME / "stuck").mkdir(parents=True)
    (out / publish.EDITIONS_DIR_NAME / "old").mkdir()
    staging = publish.new_staging_dir(out)
    stuck_staging = staging.with_name("stuck")
    publish.remove_leftovers(out)
    assert not staging.exists() and not (out / publish.EDITIONS_DIR_NAME / "old").exists()
    assert not stuck_staging.exists()
    # publishing replaces the old editions it can delete and leaves the stuck one, silently
    staged = tmp_path / "staged"
    staged.mkdir()
    (staged / "index.html").write_text("new")
    edition = publish.publish_html(out, staged, "e2")
    assert (out / publish.HTML_LINK_NAME / "index.html").read_text() == "new"
    assert sorted(path.name for path in edition.parent.iterdir()) == ["e2", "stuck"]


def test_a_leftover_removed_by_hand_meanwhile_is_not_an_error(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / f"{publish._LINK_TEMPORARY_PREFIX}1234"
    leftover.symlink_to("editions/gone")
    real_unlink = Path.unlink

    def removed_first(self, missing_ok=False):
        if self.name == leftover.name and self.is_symlink():
            real_unlink(self)  # someone deleted it between the listing and the removal
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", removed_first)
    publish.remove_leftovers(out)
    assert not leftover.is_symlink()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
def test_an_out_whose_marker_is_ours_but_whose_folder_is_not_writable_is_refused(tmp_path):
    """A marker kept from an earlier build proves nothing about writing now: the folder is."""
    tmp_path = Path(tempfile.mkdtemp())  # pytest's own is closed to other users
    tmp_path.chmod(0o755)
    data = tmp_path / "data"
    data.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    marker = out / publish.MARKER_FILE_NAME
    marker.touch()
    nobody = 65534
    os.chown(marker, nobody, nobody)  # the user may touch the marker, but not add files
    child = os.fork()
    if child == 0:  # in the child: become that user, run the check, report by exit status
        try:
            os.setgid(nobody)
            os.setuid(nobody)
            check_out(out, data)
            os._exit(0)
        except ParameterError as error:
            os._exit(3 if "cannot write there" in str(error) else 4)
        except BaseException:
            os._exit(5)
    _, status = os.waitpid(child, 0)
    shutil.rmtree(tmp_path)
    assert os.waitstatus_to_exitcode(status) == 3


def test_a_lock_file_that_cannot_be_read_names_the_holder_as_unknown(tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_read_text = Path.read_text

    def unreadable_lock(self, *args, **kwargs):
        if self.name == publish.LOCK_FILE_NAME:
            raise PermissionError(13, "Permission denied")
        return real_read_text(self, *args, **kwargs)

    with publish.output_lock(out):
        monkeypatch.setattr(Path, "read_text", unreadable_lock)
        with pytest.raises(BuildError, match=r"\(pid unknown\)"), publish.output_lock(out):
            pass


def test_a_foreign_out_refusal_says_what_to_do(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    out = tmp_path / "out"
    (out / publish.HTML_LINK_NAME).mkdir(parents=True)
    with pytest.raises(ParameterError) as raised:
        check_out(out, data)
    assert str(raised.value).endswith(
        "is a folder xaibook did not make (its builds publish a link there); "
        "move it away or choose another --out"
    )
    (out / publish.HTML_LINK_NAME).rmdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ParameterError) as raised:
        check_out(out, data)
    assert str(raised.value).endswith(
        "a build writes only into a new or empty folder or one it made: "
        "choose another --out or empty it"
    )
