"""The build's entry point and order of steps: parameters -> data snapshot and check -> staged
book -> chapters -> render -> publish, all inside the output lock and the interrupt handling."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from argparse import Namespace
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from xaibook import paths, publish
from xaibook.build.base import _Plan
from xaibook.build.edition import _content_digest, _edition, _write_edition_config
from xaibook.build.execute import (
    FAILED_NOTEBOOKS_DIR_NAME,
    KERNEL_ARGUMENTS,
    KERNEL_NAME,
    _chapter_cache_key,
    _check_kernel,
    _execute_chapters,
)
from xaibook.build.interrupts import _Interrupts
from xaibook.build.render import ERROR_LOG_NAME, _publish, _published_with_digest, _render
from xaibook.build.snapshot import (
    SNAPSHOT_DIR_NAME,
    _bibliography_source,
    _Snapshot,
    _validate_snapshot,
)
from xaibook.build.staging import (
    _chapter_list,
    _select_chapters,
    _stage_book,
    _toc_pages,
    _write_vega_bundle,
)
from xaibook.cache import ExecutionCache
from xaibook.chapters import Chapter
from xaibook.errors import BuildError, ParameterError
from xaibook.params import resolve_parameters
from xaibook.reaper import Reaper

BOOK_ROOT_ENV = "XAIBOOK_BOOK_ROOT"  # tests point the pipeline at a small fake book
CACHE_DIR_ENV = "XAIBOOK_CACHE_DIR"


def run_build(
    args: Namespace,
    *,
    book_root: Path | None = None,
    chapters: Sequence[Chapter] | None = None,
    cache_dir: Path | None = None,
) -> int:
    """Build the book as ``args`` says (see ``xaibook build --help``); 0 when published.

    ``book_root`` (default: $XAIBOOK_BOOK_ROOT, else the repository), ``chapters`` (default: the
    notebooks the book's _toc.yml lists) and ``cache_dir`` (default: $XAIBOOK_CACHE_DIR, else
    paths.CACHE_DIR) let tests build a small fake book.
    """
    started = time.monotonic()
    with _timed("parameters"):
        resolved = resolve_parameters(args)  # --format and -p output_format=... agree here
        output_format = str(resolved["output_format"])
        book_root = Path(book_root or os.environ.get(BOOK_ROOT_ENV) or paths.REPO_ROOT).resolve()
        plan = _Plan(
            book_root=book_root,
            out_dir=_absolute_out_dir(args.out),
            resolved=resolved,
            formats=("html", "pdf") if output_format == "all" else (output_format,),
            registry=_chapter_list(book_root) if chapters is None else tuple(chapters),
            cache=ExecutionCache(cache_dir or os.environ.get(CACHE_DIR_ENV) or paths.CACHE_DIR),
            jobs=_jobs(args.jobs),
            keep_going=args.keep_going,
            use_cache=not args.no_cache,
        )
        # before anything is deleted or started: OUT must be a folder this tool may own
        publish.check_out_dir(
            plan.out_dir,
            protected={paths.REPO_ROOT.resolve(): "the repository", plan.book_root: "the book"},
            data_dir=plan.data_dir,
        )
        cache_dir = plan.cache.cache_dir
        if cache_dir.exists() and not cache_dir.is_dir():
            raise ParameterError(
                f"the execution cache {cache_dir} (${CACHE_DIR_ENV}) is a file; give a folder"
            )
    pages = _toc_pages(plan.book_root)
    chapters = _select_chapters(pages, plan.registry)
    reaper = Reaper()
    pool = None
    try:
        with _Interrupts() as interrupts, publish.output_lock(plan.out_dir):
            publish.remove_leftovers(plan.out_dir)
            # Reports of an earlier failed build would mislead once this one runs.
            shutil.rmtree(plan.out_dir / FAILED_NOTEBOOKS_DIR_NAME, ignore_errors=True)
            (plan.out_dir / ERROR_LOG_NAME).unlink(missing_ok=True)
            staging = publish.new_staging_dir(plan.out_dir)
            snapshot = _Snapshot(plan.out_dir / SNAPSHOT_DIR_NAME)
            try:
                with _timed("snapshot data"):
                    snapshot.take(plan.data_dir, _bibliography_source(plan.book_root))
                keys = {
                    chapter.slug: _chapter_cache_key(plan, chapter, snapshot)
                    for chapter in chapters
                }
                misses = [
                    c for c in chapters if not (plan.use_cache and plan.cache.has(keys[c.slug]))
                ]
                # Chapters the cache cannot restore will need kernels: start them now, so
                # they import the library while the data is validated and the book staged.
                if misses:
                    _check_kernel()
                    from xaibook.kernels import KernelPool

                    pool = KernelPool(
                        min(plan.jobs, len(misses)), KERNEL_NAME, KERNEL_ARGUMENTS,
                        environment={
                            **os.environ, paths.BIBLIOGRAPHY_FILE_ENV: str(snapshot.bibliography)
                        },
                        reaper=reaper,
                    )  # fmt: skip
                with _timed("validate data"):
                    _validate_snapshot(plan, snapshot)
                published = _build_in(
                    plan, staging, interrupts, pages, chapters, keys, pool, snapshot, reaper
                )
            except BrokenPipeError:
                raise
            except OSError as error:  # disk full, permissions...: the old edition is untouched
                raise BuildError(f"{error}; nothing was published") from error
            finally:
                interrupts.ignore_further()  # a second Ctrl-C must not interrupt the clean-up
                if pool is not None:
                    pool.shutdown()
                shutil.rmtree(staging, ignore_errors=True)
                shutil.rmtree(snapshot.root, ignore_errors=True)
    finally:
        if pool is not None:
            pool.shutdown()
        reaper.close()
    plan.cache.prune()
    print(f"built in {time.monotonic() - started:.1f} s", flush=True)
    for name, path in published.items():
        print(f"{name}: {path}", flush=True)
    return 0


def _absolute_out_dir(out: object) -> Path:
    try:
        return Path(str(out)).expanduser().resolve()
    except (RuntimeError, OSError):  # RuntimeError: Python 3.11's "Symlink loop"
        raise ParameterError(f"--out {out}: a loop of symbolic links; give a folder") from None


def _build_in(
    plan: _Plan,
    staging: Path,
    interrupts: _Interrupts,
    pages: list[str],
    chapters: list[Chapter],
    keys: dict[str, str],
    pool: object,
    snapshot: _Snapshot,
    reaper: Reaper,
) -> dict[str, Path]:
    """Steps after validation: stage, execute, render, publish; returns the published paths."""
    book = staging / "book"
    with _timed("stage book"):
        _stage_book(plan.book_root, book, pages)
        if snapshot.bibliography.is_file():  # Sphinx cites from what the chapters read,
            # less the sources published after the edition's date, which it may not list
            from xaibook.data.bibliography import write_published_by

            as_of = dt.date.fromisoformat(str(plan.resolved["as_of"])[:10])
            write_published_by(snapshot.bibliography, as_of, book / "references.bib")
        _write_vega_bundle(book / "_static", plan.cache)
        edition = _edition(plan, chapters, snapshot)
        _write_edition_config(book / "_config.yml", edition)
    with _timed("execute chapters"):
        runs = _execute_chapters(plan, chapters, staging, keys, pool, snapshot)
    edition["chapters"] = [
        {"slug": run.chapter.slug, "status": run.status, "seconds": round(run.seconds, 1)}
        for run in runs
    ]
    edition["content_digest"] = _content_digest(plan, book, edition)
    rendered, current = {}, {}
    for output_format in plan.formats:
        published = _published_with_digest(plan.out_dir, output_format, edition)
        if published is not None and plan.use_cache:
            # Same pages, same data, same parameters: the published edition already is this
            # book, so it stays (with its own build date) and nothing is rendered again.
            print(f"render {output_format:<11} unchanged: {published} is this edition", flush=True)
            current[output_format] = published
            continue
        with _timed(f"render {output_format}"):
            rendered[output_format] = _render(book, staging, plan.out_dir, output_format, reaper)
    with _timed("publish"), interrupts.deferred():
        return {**current, **_publish(plan.out_dir, rendered, edition)}


def _jobs(requested: int | None) -> int:
    if requested is None:
        return os.cpu_count() or 1
    if requested < 1:
        raise ParameterError(f"--jobs {requested}: must be at least 1")
    return requested


@contextmanager
def _timed(label: str) -> Iterator[None]:
    started = time.monotonic()
    yield
    print(f"{label:<18}{time.monotonic() - started:6.1f} s", flush=True)
