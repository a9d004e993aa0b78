"""The build pipeline end to end, on a two-chapter fake book (seconds, not minutes)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from fakebook import FAKE_CHAPTERS, copy_book, staging_dirs, write_notebook

from tests.conftest import tree_digest
from xaibook import paths, publish
from xaibook.errors import BuildError, DataError

pytestmark = pytest.mark.timeout(300)


def chapter_status(printed: str) -> dict[str, str]:
    """{slug: executed|cached|failed} from the build's progress lines."""
    return dict(re.findall(r"^  (\w+)\s+(executed|cached|failed)\s", printed, re.MULTILINE))


def test_a_build_publishes_an_edition(built):
    fake, out, printed = built
    assert chapter_status(printed) == {"alpha": "executed", "beta": "executed"}
    assert f"html: {out / 'html' / 'index.html'}" in printed
    assert (out / "html").is_symlink() and (out / "html" / "index.html").is_file()
    assert not staging_dirs(out)

    edition = json.loads((out / "html" / "edition.json").read_text())
    assert re.fullmatch(r"[0-9a-f]{12}", edition["data_fingerprint"])
    assert edition["parameters"]["data_dir"] == str(fake.data.resolve())
    assert [chapter["slug"] for chapter in edition["chapters"]] == ["alpha", "beta"]
    # the fake book's one source has no date and it holds no Epoch AI data
    assert edition["data_horizon"] == {
        "newest_article": None,
        "epoch_downloaded_from": None,
        "epoch_downloaded_to": None,
    }

    intro = (out / "html" / "intro.html").read_text()
    alpha = (out / "html" / "chapters" / "alpha.html").read_text()
    for page in (intro, alpha):  # the stamp reaches markdown pages and notebooks
        assert "Built on" in page and edition["data_fingerprint"] in page
        assert "{{" not in page
    # the parameters table: each in words, with the option that changes it
    assert "Data published by" in intro and '<span class="pre">--as-of</span>' in intro
    assert "# Parameters" not in alpha  # papermill's injected cell is hidden
    assert "a warning for authors" not in alpha  # stderr removed
    assert "\x1b" not in alpha and "[31m" not in alpha  # ANSI removed
    assert f"coloured {edition['parameters']['as_of']} 2" in alpha  # injected values used
    assert downloaded_rows(out) == "rows\n2\n"  # written next to the notebook, linked


def test_a_chapter_download_holds_its_parameters_but_no_clocks_or_staging_paths(built):
    _, out, _ = built
    source = (out / "html" / "_sources" / "chapters" / "alpha.ipynb").read_text()
    notebook = nbformat.reads(source, as_version=4)
    edition = json.loads((out / "html" / "edition.json").read_text())
    assert notebook.metadata["papermill"]["parameters"]["as_of"] == edition["parameters"]["as_of"]
    assert ".staging" not in source and "_time" not in source and "iopub" not in source
    [injected] = [c for c in notebook.cells if "injected-parameters" in c.metadata["tags"]]
    assert injected.id == "injected-parameters"  # not a random one per build


def downloaded_rows(out: Path) -> str:
    """The CSV chapter alpha wrote to downloads/alpha/ (Sphinx copies it to _downloads/)."""
    [csv] = (out / "html" / "_downloads").glob("*/companies.csv")
    assert (
        f"_downloads/{csv.parent.name}/companies.csv"
        in (out / "html" / "chapters" / "alpha.html").read_text()
    )
    return csv.read_text()


def test_a_rebuild_with_nothing_changed_executes_nothing(built):
    fake, _, _ = built
    printed = fake.build(fake.root / "out-again")
    assert chapter_status(printed) == {"alpha": "cached", "beta": "cached"}
    assert downloaded_rows(fake.root / "out-again") == "rows\n2\n"  # restored from the cache


def test_a_rebuild_into_the_same_output_keeps_the_published_edition(built):
    fake, out, _ = built
    edition = (out / "html").resolve()
    printed = fake.build(out)
    assert "unchanged" in printed
    assert (out / "html").resolve() == edition  # not even re-rendered: the same edition


def test_changing_one_table_reexecutes_only_the_chapters_declaring_it(built):
    fake, _, _ = built
    sites = fake.data / "sites.csv"
    original = sites.read_bytes()
    try:
        sites.write_text("site_id\ncolossus\ncolossus_2\n")  # only beta declares sites
        printed = fake.build(fake.root / "out-sites")
    finally:
        sites.write_bytes(original)
    assert chapter_status(printed) == {"alpha": "cached", "beta": "executed"}


def test_editing_a_chapters_template_reexecutes_it_and_the_shared_one_every_chapter(built):
    fake, _, _ = built
    own = fake.book / "chapters" / "beta.md.j2"
    shared = fake.book / "chapters" / "shared.md.j2"
    try:
        own.write_text("{% macro a() %}Beta's words{% endmacro %}\n")
        printed = fake.build(fake.root / "out-own-template")
        assert chapter_status(printed) == {"alpha": "cached", "beta": "executed"}
        words = paths.SHARED_TEXT_TEMPLATE.read_text(encoding="utf-8")
        edited = words.replace("hold no data on this", "hold nothing on this")
        assert edited != words  # the edit must change the shared template, or nothing is tested
        shared.write_text(edited)
        printed = fake.build(fake.root / "out-shared-template")
        assert chapter_status(printed) == {"alpha": "executed", "beta": "executed"}
    finally:
        own.unlink(missing_ok=True)
        shared.unlink(missing_ok=True)


def test_a_failing_chapter_is_reported_briefly_and_publishes_nothing(built, tmp_path):
    fake, out, _ = built
    before = tree_digest(out / "html")
    book = copy_book(fake, tmp_path / "broken")
    write_notebook(
        book / "chapters" / "beta.ipynb", "Beta", "as_of = '2020-01-01'",
        "print(6 * 7)", "values = [1, 2]\ntotal = values[5]",
    )  # fmt: skip
    with pytest.raises(BuildError) as raised:
        fake.build(out, book=book)
    report = raised.value.report()
    assert "chapter beta failed in code cell 3 (cell index 3 in chapters/beta.ipynb), line 2" in (
        report
    )
    assert "total = values[5]" in report
    assert "IndexError: list index out of range" in report
    assert "Traceback" not in report and len(report.splitlines()) <= 8

    assert tree_digest(out / "html") == before
    assert not staging_dirs(out)
    kept = out / "last-build-failed" / "beta.ipynb"
    assert nbformat.read(kept, as_version=4).cells  # full traceback kept for the author
    with publish.output_lock(out):  # the lock was released
        pass


def test_keep_going_reports_every_failure_and_publishes_nothing(built, tmp_path):
    fake, out, _ = built
    before = tree_digest(out / "html")
    book = copy_book(fake, tmp_path / "broken")
    write_notebook(book / "chapters" / "alpha.ipynb", "Alpha", "as_of = 1", "1 / 0")
    write_notebook(book / "chapters" / "beta.ipynb", "Beta", "as_of = 1", "import nowhere")
    with pytest.raises(BuildError) as raised:
        fake.build(out, "--keep-going", book=book)
    report = raised.value.report()
    assert "chapter alpha failed" in report and "ZeroDivisionError" in report
    assert "chapter beta failed" in report and "ModuleNotFoundError" in report
    assert "2 chapter(s) failed; nothing was published" in report
    assert tree_digest(out / "html") == before
    assert not staging_dirs(out)


def test_files_written_outside_downloads_slug_are_refused(built, tmp_path):
    fake, out, _ = built
    book = copy_book(fake, tmp_path / "stray")
    code = "import os\nos.makedirs('downloads', exist_ok=True)\nopen('downloads/x.csv', 'w')"
    write_notebook(book / "chapters" / "beta.ipynb", "Beta", "as_of = 1", code)
    with pytest.raises(BuildError, match=r"chapters/downloads/x\.csv"):
        fake.build(out, book=book)
    assert not staging_dirs(out)


def test_a_full_disk_while_rendering_publishes_nothing(built, monkeypatch):
    fake, out, _ = built
    before = tree_digest(out / "html")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("xaibook.build.pipeline._render", disk_full)  # where _build_in looks it up
    with pytest.raises(BuildError, match="No space left on device; nothing was published"):
        fake.build(out, "--no-cache")  # --no-cache: render even though nothing changed
    assert tree_digest(out / "html") == before
    assert not staging_dirs(out)


def test_bad_data_is_refused_before_anything_runs(built, monkeypatch, tmp_path):
    fake, _, _ = built
    from xaibook.build import run_build

    monkeypatch.setattr(
        "xaibook.data.validate.collect_problems", lambda data_dir: ["companies.csv:3: bad id"]
    )
    out = tmp_path / "out"
    with pytest.raises(DataError) as raised:
        run_build(fake.args(out), book_root=fake.book, chapters=FAKE_CHAPTERS, cache_dir=fake.cache)
    assert raised.value.report().splitlines()[0] == "companies.csv:3: bad id"
    # OUT was made and marked as the build's own; nothing else is left in it
    assert sorted(path.name for path in out.iterdir()) == [".xaibook-out", ".xaibook.lock"]


def test_a_notebook_missing_from_the_registry_is_refused(built, tmp_path):
    fake, _, _ = built
    out = tmp_path / "out"
    with pytest.raises(BuildError, match=r"chapters/beta\.ipynb .*no chapter declaration"):
        fake.build(out, chapters=FAKE_CHAPTERS[:1])
    assert not staging_dirs(out)


# A SIGTERM is tested on the real command line: signal handling only works in a main thread.
DRIVER = """
import sys
from xaibook import cli
from xaibook.data import validate
validate.collect_problems = lambda data_dir: []  # the fake data folder is not the dataset
sys.exit(cli.main(sys.argv[1:]))
"""
SLEEPING_CHAPTER = """\
import os, time
from pathlib import Path
Path(os.environ["XAIBOOK_TEST_MARKER"]).write_text(str(os.getpid()))
time.sleep(120)
"""


def test_sigterm_during_a_build_leaves_the_old_edition_and_no_trace(built, tmp_path):
    fake, _, _ = built
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "_config.yml").write_text("title: Slow\nexecute:\n  execute_notebooks: 'off'\n")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n- file: chapters/funding\n"
    )
    (book / "intro.md").write_text("# Slow\n")
    # named like a registered chapter: the command line builds the real registry's chapters
    write_notebook(book / "chapters" / "funding.ipynb", "Funding", "as_of = ''", SLEEPING_CHAPTER)

    out = tmp_path / "out"
    out.mkdir()
    previous = tmp_path / "previous"
    previous.mkdir()
    (previous / "index.html").write_text("<p>the previous edition</p>")
    publish.publish_html(out, previous, "previous")
    before = tree_digest(out / "html")

    marker = tmp_path / "kernel.pid"
    environment = {
        **os.environ,
        "XAIBOOK_BOOK_ROOT": str(book),
        "XAIBOOK_CACHE_DIR": str(fake.cache),  # reuses the vega bundle made by `built`
        "XAIBOOK_TEST_MARKER": str(marker),
    }
    command = [sys.executable, "-c", DRIVER, "build", "--data", str(fake.data), "--out", str(out)]
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while not (marker.is_file() and marker.read_text()) and process.poll() is None:
            assert time.monotonic() < deadline, "the chapter never started"
            time.sleep(0.2)
        assert process.poll() is None, process.communicate()
        kernel_pid = int(marker.read_text())
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()

    assert process.returncode == 130, (stdout, stderr)
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert tree_digest(out / "html") == before
    assert not staging_dirs(out)
    assert not list((out / ".editions").glob("2*"))  # no half-published edition
    assert _gone(kernel_pid)
    with publish.output_lock(out):  # the next build can start
        pass


def _gone(pid: int, wait_seconds: float = 10) -> bool:
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.2)
    return False
