"""Rendering and publishing: jupyter-book on the staged book (HTML, or PDF via LaTeX), the
check whether the published output already is this edition, and the switch to a new one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from xaibook import publish
from xaibook.build.base import ANSI_ESCAPE
from xaibook.build.interrupts import _stop_process_group
from xaibook.errors import BuildError
from xaibook.reaper import Reaper

PDF_FILE_NAME = "xaibook.pdf"
EDITION_FILE_NAME = "edition.json"
BUILD_LOG_NAME = "last-build-{output_format}.log"  # kept after success: Sphinx warnings
ERROR_LOG_NAME = "last-build-error.log"
LOG_TAIL_LINES = 15
# Sphinx "WARNING:"/"ERROR:", LaTeX "! ...", Python "...Error: ..." and tracebacks; not the
# config dumps that merely contain words like suppress_warnings.
RELEVANT_LOG_LINE = re.compile(r"^!|\bERROR\b|\bWARNING\b|Error\b|Traceback|Exception")
LOG_LINE_MAX_CHARS = 200


def _jupyter_book_command() -> str:
    beside_python = Path(sys.executable).parent / "jupyter-book"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("jupyter-book")
    if found is None:
        raise BuildError("jupyter-book is not installed in this environment")
    return found


def _render(book: Path, staging: Path, out_dir: Path, output_format: str, reaper: Reaper) -> Path:
    """Run jupyter-book (HTML or PDF via LaTeX) on the staged book; returns what it made."""
    builder = "html" if output_format == "html" else "pdflatex"
    log_file = staging / f"render-{output_format}.log"
    command = [
        _jupyter_book_command(), "build", str(book),
        "--builder", builder, "--path-output", str(staging),
    ]  # fmt: skip
    with open(log_file, "wb") as log:
        # Own session: we stop it (and latexmk/xelatex under it) ourselves on interrupt, and
        # the reaper does if this process is killed.
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        reaper.watch(process.pid)
        try:
            returncode = process.wait()
        finally:
            if process.poll() is None:  # interrupted: stop it and latexmk/xelatex under it
                _stop_process_group(process)
            reaper.release(process.pid)
    log_text = ANSI_ESCAPE.sub("", log_file.read_text(encoding="utf-8", errors="replace"))
    produced = _rendered_output(staging, output_format)
    if returncode != 0 or produced is None:
        error_log = out_dir / ERROR_LOG_NAME
        shutil.copyfile(log_file, error_log)
        relevant = [line for line in log_text.splitlines() if RELEVANT_LOG_LINE.search(line)]
        tail = (relevant or log_text.splitlines())[-LOG_TAIL_LINES:]
        raise BuildError(
            "\n".join(
                [f"jupyter-book {builder} build failed (exit status {returncode}):"]
                + [f"  {line[:LOG_LINE_MAX_CHARS]}" for line in tail]
                + [f"full log: {error_log}; nothing was published"]
            )
        )
    kept_log = out_dir / BUILD_LOG_NAME.format(output_format=output_format)
    shutil.copyfile(log_file, kept_log)
    warnings = sum("WARNING" in line for line in log_text.splitlines())
    if warnings:
        print(f"  {warnings} Sphinx warning(s); see {kept_log}", flush=True)
    return produced


def _rendered_output(staging: Path, output_format: str) -> Path | None:
    if output_format == "html":
        html = staging / "_build" / "html"
        return html if (html / "index.html").is_file() else None
    pdfs = sorted((staging / "_build" / "latex").glob("*.pdf"))
    return pdfs[0] if len(pdfs) == 1 else None


def _published_with_digest(out_dir: Path, output_format: str, edition: dict) -> Path | None:
    """The published output of this format if it was built from exactly this content."""
    if output_format == "html":
        record = out_dir / publish.HTML_LINK_NAME / EDITION_FILE_NAME
        target = out_dir / publish.HTML_LINK_NAME / "index.html"
    else:
        record = out_dir / "pdf" / EDITION_FILE_NAME
        target = out_dir / "pdf" / PDF_FILE_NAME
    try:
        published = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    same = published.get("content_digest") == edition["content_digest"]
    return target if same and target.is_file() else None


def _publish(out_dir: Path, rendered: dict[str, Path], edition: dict) -> dict[str, Path]:
    """Switch the published output to this edition; returns what readers open."""
    published: dict[str, Path] = {}
    edition_json = json.dumps(edition, indent=2, ensure_ascii=False) + "\n"
    if "html" in rendered:
        (rendered["html"] / EDITION_FILE_NAME).write_text(edition_json, encoding="utf-8")
        publish.publish_html(out_dir, rendered["html"], str(edition["edition_id"]))
        published["html"] = out_dir / publish.HTML_LINK_NAME / "index.html"
    if "pdf" in rendered:
        pdf_dir = out_dir / "pdf"
        staged_json = rendered["pdf"].parent / EDITION_FILE_NAME
        staged_json.write_text(edition_json, encoding="utf-8")
        publish.publish_file(rendered["pdf"], pdf_dir / PDF_FILE_NAME)
        publish.publish_file(staged_json, pdf_dir / EDITION_FILE_NAME)
        published["pdf"] = pdf_dir / PDF_FILE_NAME
    return published
