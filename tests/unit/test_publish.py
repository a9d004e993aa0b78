"""Publishing: the published edition changes in one step or not at all; one build per OUT."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import tree_digest
from xaibook import publish
from xaibook.errors import BuildError


def staged_html(root, text):
    html = root / f"staged-{text}"
    (html / "chapters").mkdir(parents=True)
    (html / "index.html").write_text(f"<p>{text}</p>")
    (html / "chapters" / "funding.html").write_text(f"<p>funding {text}</p>")
    return html


@pytest.fixture
def out_with_edition(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    publish.publish_html(out, staged_html(out, "old"), "edition-old")
    return out


def test_publish_switches_the_link_and_removes_the_old_edition(out_with_edition):
    out = out_with_edition
    assert (out / "html").is_symlink()
    assert (out / "html" / "index.html").read_text() == "<p>old</p>"

    publish.publish_html(out, staged_html(out, "new"), "edition-new")
    assert (out / "html" / "index.html").read_text() == "<p>new</p>"
    assert os.readlink(out / "html") == os.path.join(".editions", "edition-new")  # relative
    assert [path.name for path in (out / ".editions").iterdir()] == ["edition-new"]
    assert sorted(path.name for path in out.iterdir()) == [".editions", "html"]


def test_a_failed_switch_leaves_the_old_edition_byte_identical(out_with_edition, monkeypatch):
    out = out_with_edition
    before = tree_digest(out / "html")
    real_replace = os.replace

    def disk_full_on_switch(source, target):
        if str(target).endswith("html"):
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(publish.os, "replace", disk_full_on_switch)
    with pytest.raises(OSError):
        publish.publish_html(out, staged_html(out, "new"), "edition-new")
    monkeypatch.undo()
    assert tree_digest(out / "html") == before

    publish.remove_leftovers(out)  # what the next build does first
    assert [path.name for path in (out / ".editions").iterdir()] == ["edition-old"]
    assert not list(out.glob(".html-link-*"))
    assert tree_digest(out / "html") == before


def test_an_interrupted_publish_leaves_the_old_edition_byte_identical(
    out_with_edition, monkeypatch
):
    out = out_with_edition
    before = tree_digest(out / "html")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(publish.os, "symlink", interrupted)
    with pytest.raises(KeyboardInterrupt):
        publish.publish_html(out, staged_html(out, "new"), "edition-new")
    monkeypatch.undo()
    assert tree_digest(out / "html") == before
    (out / publish.STAGING_PREFIX.rstrip("-")).mkdir()  # not ours: must survive
    (out / f"{publish.STAGING_PREFIX}dead").mkdir()  # a killed build's staging: must go
    publish.remove_leftovers(out)
    assert not (out / f"{publish.STAGING_PREFIX}dead").exists()
    assert [path.name for path in (out / ".editions").iterdir()] == ["edition-old"]


def test_a_real_html_folder_is_never_replaced(tmp_path):
    out = tmp_path / "out"
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("<p>an older site</p>")
    with pytest.raises(BuildError, match="did not make"):
        publish.publish_html(out, staged_html(out, "new"), "edition-new")
    assert (out / "html" / "index.html").read_text() == "<p>an older site</p>"
    assert not (out / "html").is_symlink()


def test_publish_file_replaces_in_one_step(tmp_path):
    target = tmp_path / "out" / "pdf" / "xaibook.pdf"
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    first.write_bytes(b"%PDF-1 old")
    second.write_bytes(b"%PDF-1 new")
    publish.publish_file(first, target)
    publish.publish_file(second, target)
    assert target.read_bytes() == b"%PDF-1 new"
    assert sorted(path.name for path in target.parent.iterdir()) == ["xaibook.pdf"]


LOCK_ATTEMPT = """
import sys
from pathlib import Path
from xaibook import publish
from xaibook.errors import BuildError
try:
    with publish.output_lock(Path(sys.argv[1])):
        print("acquired")
except BuildError as error:
    print(error)
"""


def try_lock_in_another_process(out):
    result = subprocess.run(
        [sys.executable, "-c", LOCK_ATTEMPT, str(out)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def test_a_second_build_into_the_same_out_is_refused(tmp_path):
    out = tmp_path / "out"
    with publish.output_lock(out):
        message = try_lock_in_another_process(out)
        assert message == (
            f"another build is writing to {out} (pid {os.getpid()}); wait for it or use --out"
        )
        with pytest.raises(BuildError), publish.output_lock(out):  # refused within one process too
            pass
    assert try_lock_in_another_process(out) == "acquired"  # released on exit


def test_the_pdf_and_edition_records_are_replaced_not_rewritten_in_place(tmp_path):
    # A reader holding the old files (here: hard links to them) keeps the old bytes whole; a
    # write in place would change them under the reader, half-written if the build dies.
    from xaibook.build import EDITION_FILE_NAME, PDF_FILE_NAME, _publish

    out = tmp_path / "out"
    pdf_dir = out / "pdf"
    pdf_dir.mkdir(parents=True)
    (pdf_dir / PDF_FILE_NAME).write_bytes(b"%PDF old")
    (pdf_dir / EDITION_FILE_NAME).write_text('{"edition_id": "old"}')
    publish.publish_html(out, staged_html(out, "old"), "edition-old")
    (out / "html" / EDITION_FILE_NAME).write_text('{"edition_id": "old"}')
    held = tmp_path / "held"
    held.mkdir()
    for name, file in [
        ("pdf", pdf_dir / PDF_FILE_NAME),
        ("pdf.json", pdf_dir / EDITION_FILE_NAME),
        ("html.json", out / "html" / EDITION_FILE_NAME),
    ]:
        os.link(file, held / name)

    staging = out / ".staging-test"
    (staging / "latex").mkdir(parents=True)
    (staging / "latex" / "book.pdf").write_bytes(b"%PDF new")
    rendered = {"html": staged_html(staging, "new"), "pdf": staging / "latex" / "book.pdf"}
    _publish(out, rendered, {"edition_id": "new"})

    assert (pdf_dir / PDF_FILE_NAME).read_bytes() == b"%PDF new"
    assert '"new"' in (pdf_dir / EDITION_FILE_NAME).read_text()
    assert '"new"' in (out / "html" / EDITION_FILE_NAME).read_text()
    assert (held / "pdf").read_bytes() == b"%PDF old"
    assert (held / "pdf.json").read_text() == '{"edition_id": "old"}'
    assert (held / "html.json").read_text() == '{"edition_id": "old"}'
