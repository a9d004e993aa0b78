"""Executing chapters: restore cached ones, run the rest with papermill in warm kernels (in
parallel), tidy what papermill wrote, and report a failing chapter's cell and line."""

from __future__ import annotations

import concurrent.futures
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from xaibook import paths
from xaibook.build.base import ANSI_ESCAPE, _Plan
from xaibook.build.interrupts import _stop_child_processes
from xaibook.build.snapshot import _Snapshot
from xaibook.cache import chapter_key
from xaibook.chapters import DOWNLOADS_DIR_NAME, Chapter
from xaibook.errors import BuildError
from xaibook.params import notebook_parameters

FAILED_NOTEBOOKS_DIR_NAME = "last-build-failed"
KERNEL_NAME = "python3"  # the venv's kernelspec; jupyter_client starts it with sys.executable
# The kernel's own log (ipykernel 7 warns about TCP at every start; jupyter_client interrupts
# a kernel before shutting it down, which it logs as an error) is noise here: what a chapter
# prints or warns goes into the notebook, not into this log.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
INJECTED_CELL_COMMENT = "Parameters"  # papermill's own heading of the injected cell
CELL_TIMEOUT_SECONDS = 900  # a cell stuck this long is a bug, not a slow chart
# papermill's 60 s default is too short when two cores also run Sphinx or another build.
KERNEL_START_TIMEOUT_SECONDS = 300
TRACEBACK_CELL_LINE = re.compile(r"Cell In\s*\[\d*\],\s*line (\d+)")


@dataclass
class ChapterRun:
    chapter: Chapter
    status: str = "pending"  # executed | cached | failed
    seconds: float = 0.0
    note: str = ""


def _chapter_cache_key(plan: _Plan, chapter: Chapter, snapshot: _Snapshot) -> str:
    """Hashes the snapshot's bytes, but the parameters as recorded (the user's data folder):
    the same inputs give the same key from build to build."""
    by_slug = {known.slug: known for known in plan.registry}
    quoted = [by_slug[slug] for slug in chapter.quotes if slug in by_slug]
    return chapter_key(
        chapter.slug,
        plan.book_root / chapter.notebook_path,
        notebook_parameters(plan.resolved, chapter),
        chapter.tables,
        snapshot.data_dir,
        bibliography=snapshot.bibliography,
        templates=[
            *(paths.text_template(plan.book_root / c.notebook_path) for c in (chapter, *quoted)),
            # the words every chapter shares ("no data" notices, sources lines)
            plan.book_root / paths.SHARED_TEXT_TEMPLATE.relative_to(paths.REPO_ROOT),
        ],
    )


def _execute_chapters(
    plan: _Plan,
    chapters: list[Chapter],
    staging: Path,
    keys: dict[str, str],
    pool: object,
    snapshot: _Snapshot,
) -> list[ChapterRun]:
    """Restore cached chapters, execute the rest in parallel; raise BuildError on failures."""
    import logging

    # papermill logs what we report better ourselves (failures) or not at all (progress).
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    book = staging / "book"
    runs = [ChapterRun(chapter) for chapter in chapters]
    to_execute: list[tuple[ChapterRun, str]] = []
    for run in runs:
        chapter = run.chapter
        key = keys[chapter.slug]
        staged_notebook = book / chapter.notebook_path
        downloads = staged_notebook.parent / DOWNLOADS_DIR_NAME / chapter.slug
        if plan.use_cache and plan.cache.restore(key, staged_notebook, downloads):
            run.status = "cached"
            _print_run(run)
        else:
            to_execute.append((run, key))

    files_before = _book_files(book)
    failures: list[str] = []
    cancelled = 0
    executor = concurrent.futures.ThreadPoolExecutor(
        max_workers=max(1, min(plan.jobs, len(to_execute))), thread_name_prefix="chapter"
    )
    futures = {
        executor.submit(_execute_one, plan, run.chapter, staging, key, pool, snapshot): run
        for run, key in to_execute
    }
    try:
        for future in concurrent.futures.as_completed(futures):
            run = futures[future]
            try:
                run.seconds, run.note = future.result()
                run.status = "executed"
            except _ChapterFailed as failure:
                run.status, run.seconds = "failed", failure.seconds
                failures.append(_failure_report(failure, plan.out_dir))
            _print_run(run)
            if failures and not plan.keep_going:
                cancelled = sum(not future.done() for future in futures)
                break
    finally:
        # Stop the rest: queued chapters never start, running kernels are killed (looping,
        # because a kernel that was still starting when we looked appears only afterwards).
        executor.shutdown(wait=False, cancel_futures=True)
        while running := [future for future in futures if not future.done()]:
            _stop_child_processes(grace_seconds=0.5)
            concurrent.futures.wait(running, timeout=0.5)
    if failures:
        stopped = f" ({cancelled} other chapter(s) stopped)" if cancelled else ""
        raise BuildError(
            "\n".join(failures)
            + f"\n{len(failures)} chapter(s) failed{stopped}; nothing was published"
        )
    _check_written_files(book, chapters, files_before)
    return runs


def _book_files(book: Path) -> set[Path]:
    return {
        path.relative_to(book) for path in book.rglob("*")
        if path.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                      for part in path.relative_to(book).parts)
    }  # fmt: skip


def _check_written_files(book: Path, chapters: list[Chapter], before: set[Path]) -> None:
    """Refuse files chapters wrote outside ``downloads/<slug>/``: the cache restores only that
    folder, so such a file would vanish (a dead link) the next time the chapter is cached."""
    allowed = {
        Path(chapter.notebook_path).parent / DOWNLOADS_DIR_NAME / chapter.slug
        for chapter in chapters
    }
    stray = sorted(
        path for path in _book_files(book) - before
        if not any(folder in path.parents for folder in allowed)
    )  # fmt: skip
    if stray:
        raise BuildError(
            "chapters wrote files outside their own downloads/<slug>/ folder, which the cache "
            "would not restore: "
            + ", ".join(path.as_posix() for path in stray)
            + '\nwrite them under xaibook.chapters.downloads_dir("<slug>"); nothing was published'
        )


def _check_kernel() -> None:
    """Chapters must run on this environment's Python (its pandas, its xaibook).

    jupyter_client starts a kernelspec whose command is plain ``python`` with sys.executable;
    a spec with another interpreter's absolute path (a stale user-level one) would run the
    chapters elsewhere, with other library versions, and the cache key would not know.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise BuildError(
            f"no Jupyter kernel {KERNEL_NAME!r}; run "
            f"`{sys.executable} -m ipykernel install --sys-prefix` (make setup does)"
        ) from None
    program = spec.argv[0] if spec.argv else ""
    same_environment = Path(program).parent == Path(sys.executable).parent  # its bin/
    if program not in ("python", "python3") and not same_environment:
        raise BuildError(
            f"kernel {KERNEL_NAME!r} ({spec.resource_dir}) runs {program}, not this "
            f"environment's {sys.executable}; run `{sys.executable} -m ipykernel install "
            "--sys-prefix` or remove that kernelspec"
        )


def _print_run(run: ChapterRun) -> None:
    note = f"  ({run.note})" if run.note else ""
    print(f"  {run.chapter.slug:<14} {run.status:<9}{run.seconds:5.1f} s{note}", flush=True)


class _ChapterFailed(Exception):
    def __init__(self, chapter: Chapter, error: BaseException, output: Path, seconds: float):
        super().__init__(str(error))
        self.chapter, self.error, self.output, self.seconds = chapter, error, output, seconds


def _execute_one(
    plan: _Plan, chapter: Chapter, staging: Path, key: str, pool: object, snapshot: _Snapshot
) -> tuple[float, str]:
    """Execute one chapter with papermill in a warm kernel of ``pool``; (seconds, note).

    The kernel reads the snapshot: ``data_dir`` is injected as the snapshot's data folder,
    then recorded in the notebook as the user's (what the edition and the cache key say).
    """
    started = time.monotonic()
    staged_notebook = staging / "book" / chapter.notebook_path
    executed = staging / "executed" / f"{chapter.slug}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    recorded = notebook_parameters(plan.resolved, chapter)
    injected = notebook_parameters({**plan.resolved, "data_dir": snapshot.data_dir}, chapter)
    try:
        with pool.kernel(staged_notebook.parent) as kernel_manager:
            _run_papermill(staged_notebook, executed, injected, kernel_manager)
    except Exception as error:  # any failure of one chapter is reported, not raised as is
        raise _ChapterFailed(chapter, error, executed, time.monotonic() - started) from error
    removed_stderr_cells = _tidy_executed_notebook(executed, staged_notebook, recorded)
    downloads = staged_notebook.parent / DOWNLOADS_DIR_NAME / chapter.slug
    plan.cache.store(key, staged_notebook, downloads)
    note = f"stderr hidden in {removed_stderr_cells} cell(s)" if removed_stderr_cells else ""
    return time.monotonic() - started, note


def _run_papermill(
    staged_notebook: Path, executed: Path, parameters: dict[str, object], kernel_manager: object
) -> None:
    import papermill

    papermill.execute_notebook(
        str(staged_notebook),
        str(executed),
        parameters=parameters,
        # A warm kernel of the pool, already in the chapter's folder (relative paths such as
        # downloads/<slug>/ land there). Not papermill's `cwd=`: that is os.chdir of this
        # whole process, which parallel chapters would race on.
        km=kernel_manager,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        execution_timeout=CELL_TIMEOUT_SECONDS,
        start_timeout=KERNEL_START_TIMEOUT_SECONDS,
    )


def _tidy_executed_notebook(
    executed: Path, target: Path, recorded_parameters: dict[str, object]
) -> int:
    """Hide papermill's injected cell, drop stderr and ANSI colours; returns cells with stderr.

    Jupyter Book ignores papermill's ``injected-parameters`` tag, so without ``remove-cell``
    readers would see the injected values as code. Stderr (warnings) is for authors, not
    readers, and xelatex fails on the ANSI colour codes it often carries. The injected cell
    and papermill's record show ``recorded_parameters``: the user's data folder, not the
    build's private copy of it.
    """
    import nbformat
    from papermill.translators import translate_parameters

    notebook = nbformat.read(executed, as_version=4)
    # clocks and the staging folder's paths say when and where, not what: without them the
    # readers' download of a chapter is the same file for the same inputs (papermill's
    # parameters and version stay, as provenance)
    run = notebook.metadata.get("papermill", {})
    notebook.metadata["papermill"] = {
        key: run[key] for key in ("parameters", "default_parameters", "version") if key in run
    }
    notebook.metadata["papermill"]["parameters"] = recorded_parameters
    cells_with_stderr = 0
    code_cells = 0
    for cell in notebook.cells:
        tags = cell.metadata.setdefault("tags", [])
        for timing in ("execution", "papermill"):
            cell.metadata.pop(timing, None)
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"  # papermill draws a random id
            cell.source = translate_parameters(
                KERNEL_NAME, "python", recorded_parameters, INJECTED_CELL_COMMENT
            )
            if "remove-cell" not in tags:
                tags.append("remove-cell")
        if cell.cell_type != "code":
            continue
        # a warm kernel counts on from earlier chapters: number from 1 as a fresh kernel would,
        # so the stored notebook does not depend on which kernel ran it
        code_cells += 1
        cell.execution_count = code_cells
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = code_cells
        kept = []
        for output in cell.outputs:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue
            _strip_ansi(output)
            kept.append(output)
        cells_with_stderr += len(kept) < len(cell.outputs)
        cell.outputs = kept
    nbformat.write(notebook, target)
    return cells_with_stderr


def _strip_ansi(output: dict) -> None:
    if "text" in output:
        output["text"] = ANSI_ESCAPE.sub("", output["text"])
    if "traceback" in output:
        output["traceback"] = [ANSI_ESCAPE.sub("", line) for line in output["traceback"]]
    data = output.get("data") or {}
    if isinstance(data.get("text/plain"), str):
        data["text/plain"] = ANSI_ESCAPE.sub("", data["text/plain"])


def _failure_report(failure: _ChapterFailed, out_dir: Path) -> str:
    """A few lines: which chapter, which cell and line, what error; the full notebook kept."""
    slug, error = failure.chapter.slug, failure.error
    kept = out_dir / FAILED_NOTEBOOKS_DIR_NAME / f"{slug}.ipynb"
    if failure.output.is_file():
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(failure.output, kept)
    if not hasattr(error, "cell_index"):  # kernel died, timeout, unreadable notebook...
        message = ANSI_ESCAPE.sub("", str(error)).strip().splitlines() or [""]
        lines = [f"chapter {slug} failed: {type(error).__name__}: {message[-1]}"]
    else:
        code_number, source_index, line_number, line = _locate_failure(failure)
        notebook = failure.chapter.notebook_path
        where = f"code cell {code_number} (cell index {source_index} in {notebook})"
        lines = [
            f"chapter {slug} failed in {where}, line {line_number}:",
            f"    {line.strip()}",
            f"  {error.ename}: {ANSI_ESCAPE.sub('', str(error.evalue))}",
        ]
    if kept.is_file():
        lines.append(f"  full traceback in {kept}")
    return "\n".join(lines)


def _locate_failure(failure: _ChapterFailed) -> tuple[int, int, int, str]:
    """(1-based code cell number, index in the chapter's own notebook, line number, line)."""
    import nbformat

    error = failure.error
    notebook = nbformat.read(failure.output, as_version=4)
    # papermill puts an error banner first in the saved notebook; the error's index predates it.
    cells = [
        cell for cell in notebook.cells
        if "papermill-error-cell-tag" not in cell.metadata.get("tags", [])
    ]  # fmt: skip
    before = cells[: error.cell_index]
    injected_before = sum("injected-parameters" in cell.metadata.get("tags", []) for cell in before)
    code_number = 1 + sum(
        cell.cell_type == "code" and "injected-parameters" not in cell.metadata.get("tags", [])
        for cell in before
    )
    source_lines = str(error.source).splitlines() or [""]
    match = TRACEBACK_CELL_LINE.search(ANSI_ESCAPE.sub("", "\n".join(error.traceback or [])))
    line_number = int(match.group(1)) if match else 1
    if not 1 <= line_number <= len(source_lines):
        line_number = 1
    return (
        code_number,
        error.cell_index - injected_before,
        line_number,
        source_lines[line_number - 1],
    )
