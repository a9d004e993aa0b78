"""Attacks on the build (issue 9): no forged edition from the cache, no orphaned processes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from fakebook import ALPHA_PROSE, copy_book, write_notebook

pytestmark = pytest.mark.timeout(300)

# Chapter alpha as an editor racing the build: the user's companies.csv gains a row while the
# chapter reads its data, and loses it again right after.
RACING_ALPHA = """\
import os
from pathlib import Path
users_file = Path(os.environ["XAIBOOK_TEST_USER_DATA"], "companies.csv")
original = users_file.read_text()
users_file.write_text(original + "forged\\n")
rows = len(Path(data_dir, "companies.csv").read_text().splitlines()) - 1
users_file.write_text(original)
Path("downloads/alpha").mkdir(parents=True, exist_ok=True)
Path("downloads/alpha/companies.csv").write_text(f"rows\\n{rows}\\n")
"""


def rows_published(out: Path) -> str:
    [csv] = (out / "html" / "_downloads").glob("*/companies.csv")
    return csv.read_text()


def test_a_data_file_edited_during_a_build_cannot_forge_a_cached_edition(
    built, tmp_path, monkeypatch
):
    fake, out, _ = built
    book = copy_book(fake, tmp_path / "racing")
    write_notebook(
        book / "chapters" / "alpha.ipynb",
        "Alpha",
        "as_of = ''\ndata_dir = '.'",
        RACING_ALPHA,
        prose=ALPHA_PROSE,
    )
    monkeypatch.setenv("XAIBOOK_TEST_USER_DATA", str(fake.data))
    first = tmp_path / "first"
    fake.build(first, book=book)
    assert rows_published(first) == "rows\n2\n"  # the bytes the fingerprint describes
    fingerprint = json.loads((out / "html" / "edition.json").read_text())["data_fingerprint"]
    assert json.loads((first / "html" / "edition.json").read_text())["data_fingerprint"] == (
        fingerprint
    )
    # the next build takes alpha from the cache: it must hold what the original bytes give
    monkeypatch.setenv("XAIBOOK_TEST_USER_DATA", str(tmp_path))  # no more edits
    (tmp_path / "companies.csv").write_text("company_id\n")
    second = tmp_path / "second"
    printed = fake.build(second, book=book)
    assert "alpha          cached" in printed
    assert rows_published(second) == "rows\n2\n"


def test_the_download_records_the_users_data_folder_and_hides_the_injected_cell(built):
    fake, out, _ = built
    source = (out / "html" / "_sources" / "chapters" / "alpha.ipynb").read_text()
    notebook = nbformat.reads(source, as_version=4)
    data_dir = str(fake.data.resolve())
    assert notebook.metadata["papermill"]["parameters"]["data_dir"] == data_dir
    [injected] = [c for c in notebook.cells if "injected-parameters" in c.metadata["tags"]]
    assert "remove-cell" in injected.metadata["tags"]  # readers never see it as code
    assert data_dir in injected.source and ".data-snapshot" not in source


def test_references_bib_is_in_the_fingerprint_and_the_snapshot_goes_after(built, tmp_path):
    fake, _, _ = built
    book = copy_book(fake, tmp_path / "bib")
    (book / "references.bib").write_text("@misc{fake, title={Other}}\n")
    out = tmp_path / "out"
    fake.build(out, book=book)
    edition = json.loads((out / "html" / "edition.json").read_text())
    built_edition = json.loads((fake.root / "out" / "html" / "edition.json").read_text())
    assert edition["data_fingerprint"] != built_edition["data_fingerprint"]
    assert not (out / ".data-snapshot").exists()  # the build's copy goes with it


# A Sphinx extension that keeps jupyter-book busy, so the build can be killed while it runs.
SLOW_EXTENSION = """\
import os, time
from pathlib import Path

def setup(app):
    Path(os.environ["XAIBOOK_TEST_MARKER"]).write_text(str(os.getpid()))
    time.sleep(120)
    return {"parallel_read_safe": True}
"""
DRIVER = """
import sys
from xaibook import cli
from xaibook.data import validate
validate.collect_problems = lambda data_dir: []  # the fake data folder is not the dataset
sys.exit(cli.main(sys.argv[1:]))
"""


def test_kill_9_of_a_build_leaves_no_process_behind(built, tmp_path):
    fake, _, _ = built
    book = copy_book(fake, tmp_path / "slow")
    # the command line reads the chapter list from this book's _toc.yml: one chapter
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n- file: chapters/funding\n"
    )
    write_notebook(book / "chapters" / "funding.ipynb", "Funding", "as_of = ''", "print(1)")
    config = (book / "_config.yml").read_text()
    (book / "_config.yml").write_text(config + "  extra_extensions: [slow_extension]\n")
    extensions = tmp_path / "extensions"
    extensions.mkdir()
    (extensions / "slow_extension.py").write_text(SLOW_EXTENSION)
    marker = tmp_path / "jupyter-book.pid"
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(extensions), os.environ.get("PYTHONPATH", "")]),
        "XAIBOOK_BOOK_ROOT": str(book),
        "XAIBOOK_CACHE_DIR": str(fake.cache),
        "XAIBOOK_TEST_MARKER": str(marker),
    }
    out = tmp_path / "out"
    command = [sys.executable, "-c", DRIVER, "build", "--data", str(fake.data), "--out", str(out)]
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    descendants: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 180
        while not (marker.is_file() and marker.read_text()):
            assert process.poll() is None, "the build ended before jupyter-book ran"
            assert time.monotonic() < deadline, "jupyter-book never started"
            time.sleep(0.2)
        descendants = psutil.Process(process.pid).children(recursive=True)
        assert any(p.pid == int(marker.read_text()) for p in descendants)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        survivors = _alive_after(descendants, wait_seconds=10)
        assert not survivors, [p.cmdline() for p in survivors]
    finally:
        if process.poll() is None:
            process.kill()
        for child in descendants:  # never leave them to other tests
            with contextlib.suppress(psutil.Error):
                child.kill()


def _alive_after(processes: list[psutil.Process], wait_seconds: float) -> list[psutil.Process]:
    deadline = time.monotonic() + wait_seconds
    while True:
        alive = []
        for p in processes:
            with contextlib.suppress(psutil.Error):
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p)
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)
