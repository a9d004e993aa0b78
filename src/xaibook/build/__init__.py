"""`xaibook build`: parameters -> data check -> staged book -> chapters -> render -> publish.

The build works on a private copy of the book (``OUT/.staging-<random>/book``) and touches the
published output only in its last step, with one atomic switch (``xaibook.publish``). Whatever
goes wrong before that (bad parameters, bad data, a chapter raising, LaTeX failing, Ctrl-C,
SIGTERM, a full disk), the previous edition stays exactly as it was and the staging folder goes.

Heavy imports (papermill, nbformat, yaml) happen inside the steps that need them, so a refused
parameter is reported in milliseconds.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from argparse import Namespace
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import xaibook
from xaibook import paths, publish
from xaibook.cache import (
    ExecutionCache,
    chapter_key,
    environment_digest,
    package_source_digest,
)
from xaibook.chapters import (
    DOWNLOADS_DIR_NAME,
    Chapter,
    ChapterListError,
    read_chapters,
)
from xaibook.errors import BuildError, DataError, ParameterError
from xaibook.fingerprint import data_files, data_fingerprint, file_digest
from xaibook.params import json_value, notebook_parameters, resolve_parameters
from xaibook.problems import Problem, display_path, is_dangling_link
from xaibook.reaper import Reaper

BOOK_ROOT_ENV = "XAIBOOK_BOOK_ROOT"  # tests point the pipeline at a small fake book
CACHE_DIR_ENV = "XAIBOOK_CACHE_DIR"
PDF_FILE_NAME = "xaibook.pdf"
EDITION_FILE_NAME = "edition.json"
BUILD_LOG_NAME = "last-build-{output_format}.log"  # kept after success: Sphinx warnings
ERROR_LOG_NAME = "last-build-error.log"
FAILED_NOTEBOOKS_DIR_NAME = "last-build-failed"
SNAPSHOT_DIR_NAME = ".data-snapshot"  # the build's copy of the data (xaibook.build._Snapshot)
BOOK_SUPPORT_FILES = ("_config.yml", "_toc.yml", "references.bib", "_static")
PAGE_SUFFIXES = (".ipynb", ".md", ".rst")
KERNEL_NAME = "python3"  # the venv's kernelspec; jupyter_client starts it with sys.executable
# The kernel's own log (ipykernel 7 warns about TCP at every start; jupyter_client interrupts
# a kernel before shutting it down, which it logs as an error) is noise here: what a chapter
# prints or warns goes into the notebook, not into this log.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
INJECTED_CELL_COMMENT = "Parameters"  # papermill's own heading of the injected cell
CELL_TIMEOUT_SECONDS = 900  # a cell stuck this long is a bug, not a slow chart
# papermill's 60 s default is too short when two cores also run Sphinx or another build.
KERNEL_START_TIMEOUT_SECONDS = 300
LOG_TAIL_LINES = 15
ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
# Sphinx "WARNING:"/"ERROR:", LaTeX "! ...", Python "...Error: ..." and tracebacks; not the
# config dumps that merely contain words like suppress_warnings.
RELEVANT_LOG_LINE = re.compile(r"^!|\bERROR\b|\bWARNING\b|Error\b|Traceback|Exception")
LOG_LINE_MAX_CHARS = 200
TRACEBACK_CELL_LINE = re.compile(r"Cell In\s*\[\d*\],\s*line (\d+)")


@dataclass
class ChapterRun:
    chapter: Chapter
    status: str = "pending"  # executed | cached | failed
    seconds: float = 0.0
    note: str = ""


# ---------------------------------------------------------------------------------------------
# entry point


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


def _bibliography_source(book_root: Path) -> Path:
    """The bibliography the book renders and the chapters cite: the book's own, if it has one."""
    own = book_root / "references.bib"
    return own if own.is_file() else paths.BIBLIOGRAPHY_FILE


class _Snapshot:
    """The build's own copy of the data folder and references.bib, read by everything after.

    The data fingerprint, the chapters' cache keys, the validator, the chapters and Sphinx all
    read this copy, never the user's files: a file edited while the build runs (and reverted
    after) cannot put chapters made from other bytes into the cache under these keys. It sits
    at a fixed place in OUT (the lock makes it this build's), so the loader's cache of typed
    tables, keyed by a file's path and bytes, is reused by the next build into the same OUT.
    """

    def __init__(self, root: Path):
        self.root = root
        self.data_dir = root / "data"
        self.bibliography = root / "references.bib"
        self.sources: dict[Path, Path] = {}  # snapshot file -> the user's file it copies
        self.user_data_dir = self.data_dir

    def take(self, data_dir: Path, bibliography: Path) -> None:
        self.user_data_dir = data_dir
        shutil.rmtree(self.root, ignore_errors=True)
        self.data_dir.mkdir(parents=True)
        # the validator names these too, but only for the files it expects: here every one
        unreadable = [
            Problem(file=display_path(path), message="is a symbolic link to nothing (or a loop "
                    "of links)", expected="a data file")
            for path in sorted(data_dir.rglob("*")) if is_dangling_link(path)
        ]  # fmt: skip
        for source in data_files(data_dir):
            copy = self.data_dir / source.relative_to(data_dir)
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copyfile(source, copy)
            except PermissionError as error:  # the user's file; a full disk stays an OSError
                unreadable.append(
                    Problem(file=display_path(source), message=f"cannot be read "
                            f"({error.strerror})", expected="a readable data file")
                )  # fmt: skip
            self.sources[copy] = source
        if unreadable:
            raise DataError(unreadable)
        self.sources[self.bibliography] = bibliography
        if bibliography.is_file():
            shutil.copyfile(bibliography, self.bibliography)

    def original(self, file_name: str) -> str:
        """A path in a message, naming the user's file instead of this copy."""
        copy = Path(file_name).resolve()
        source = self.sources.get(copy)
        if source is None and copy.is_relative_to(self.data_dir):  # a file the data lacks
            source = self.user_data_dir / copy.relative_to(self.data_dir)
        return file_name if source is None else display_path(source)


def _validate_snapshot(plan: _Plan, snapshot: _Snapshot) -> None:
    from xaibook import validate  # pandas & co.: imported after parameters are checked

    with paths.bibliography_file_as(snapshot.bibliography):
        problems = validate.collect_problems(snapshot.data_dir)
    if problems:
        raise DataError(
            dataclasses.replace(problem, file=snapshot.original(problem.file))
            if isinstance(problem, Problem) else problem
            for problem in problems
        )  # fmt: skip


@dataclass(frozen=True)
class _Plan:
    """What a build decided before touching the output folder."""

    book_root: Path
    out_dir: Path
    resolved: dict[str, object]
    formats: tuple[str, ...]
    registry: tuple[Chapter, ...]
    cache: ExecutionCache
    jobs: int
    keep_going: bool
    use_cache: bool

    @property
    def data_dir(self) -> Path:
        return Path(self.resolved["data_dir"])


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
        if snapshot.bibliography.is_file():  # Sphinx cites from the bytes the chapters read
            shutil.copyfile(snapshot.bibliography, book / "references.bib")
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


def _content_digest(plan: _Plan, book: Path, edition: dict) -> str:
    """What the rendered book depends on: every staged file (the executed chapters among them),
    the source config (not the staged one, which carries the build date), the data fingerprint,
    the parameters and the library code."""
    digest = hashlib.sha256(package_source_digest().encode())
    digest.update(
        json.dumps(
            [edition["data_fingerprint"], edition["parameters"]], sort_keys=True, default=str
        ).encode()
    )
    digest.update((plan.book_root / "_config.yml").read_bytes())
    for path in sorted(p for p in book.rglob("*") if p.is_file()):
        relative = path.relative_to(book).as_posix()
        if relative != "_config.yml":
            digest.update(relative.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


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


# ---------------------------------------------------------------------------------------------
# interrupts: Ctrl-C and SIGTERM end the build the same way, through KeyboardInterrupt


class _Interrupts:
    """SIGINT/SIGTERM raise KeyboardInterrupt in the main thread, except where deferred.

    SIGTERM's default action kills the process without running ``finally`` blocks: kernels and
    jupyter-book would keep running and the staging folder and lock file would stay. Raising
    KeyboardInterrupt instead unwinds through the clean-up like Ctrl-C does.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self._previous: dict[int, object] = {}
        self._deferring = False
        self._ignoring = False

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, frame: object) -> None:
        if self._ignoring or self._deferring:
            return
        self._ignoring = True  # one KeyboardInterrupt; the clean-up it starts must run whole
        raise KeyboardInterrupt

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Let a short critical section (the publish switch) finish before any interrupt.

        An interrupt that arrives there is dropped: the section is the build's last real
        step, so finishing it is what the user gets anyway, and "interrupted" would mislead.
        """
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False

    def ignore_further(self) -> None:
        self._ignoring = True


def _stop_process_group(process: subprocess.Popen, grace_seconds: float = 2.0) -> None:
    """Stop a child started with ``start_new_session=True`` and everything it started."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace_seconds)
            return
        except subprocess.TimeoutExpired:
            continue


def _stop_child_processes(grace_seconds: float = 2.0) -> None:
    """Stop every process this build started: here, the kernels of running chapters.

    papermill gives no handle on its kernels, so they are found as our child processes;
    grandchildren are collected before any is signalled, so none is orphaned and keeps
    writing into a folder about to be deleted.
    """
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        with suppress(psutil.NoSuchProcess):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=grace_seconds)
    for child in alive:
        with suppress(psutil.NoSuchProcess):
            child.kill()


# ---------------------------------------------------------------------------------------------
# staging: a private copy of the book, with the edition stamp in its _config.yml


def _toc_pages(book_root: Path) -> list[str]:
    """Files (relative to the book root, with suffix) of every page listed in _toc.yml."""
    from sphinx_external_toc.parsing import MalformedError, parse_toc_yaml

    toc_file = book_root / "_toc.yml"
    if not toc_file.is_file():
        raise BuildError(f"no _toc.yml in {book_root}")
    try:
        site_map = parse_toc_yaml(toc_file)
    except MalformedError as error:
        raise BuildError(f"{toc_file}: {error}") from None
    pages = []
    for docname in site_map:
        candidates = [f"{docname}{suffix}" for suffix in PAGE_SUFFIXES]
        found = [name for name in candidates if (book_root / name).is_file()]
        if not found and (book_root / docname).is_file():
            found = [docname]
        if not found:
            raise BuildError(f"_toc.yml lists {docname}, but no such page exists in {book_root}")
        pages.append(found[0])
    return pages


def _chapter_list(book_root: Path) -> tuple[Chapter, ...]:
    """The chapters the book's _toc.yml lists, with what their notebooks declare they read."""
    try:
        return read_chapters(book_root)
    except ChapterListError as error:
        raise BuildError(str(error)) from None


def _select_chapters(pages: list[str], registry: Sequence[Chapter]) -> list[Chapter]:
    """The chapters of ``registry`` that _toc.yml lists, in registry order.

    Every listed notebook must be in the registry: otherwise the tables it reads would not be in
    its cache key, and it would not be re-executed when they change.
    """
    registered = {chapter.notebook_path for chapter in registry}
    unregistered = sorted(
        page for page in pages if page.endswith(".ipynb") and page not in registered
    )
    if unregistered:
        raise BuildError(
            f"notebook(s) {', '.join(unregistered)} are in _toc.yml but have no chapter "
            "declaration: declare the tables each reads (xaibook.chapters)"
        )
    return [chapter for chapter in registry if chapter.notebook_path in pages]


def _stage_book(book_root: Path, book: Path, pages: list[str]) -> None:
    """Copy what Sphinx needs: config, toc, pages, their images, static files, bibliography."""
    if not (book_root / "_config.yml").is_file():
        raise BuildError(f"no _config.yml in {book_root}")
    book.mkdir(parents=True)
    for name in BOOK_SUPPORT_FILES:
        _copy(book_root / name, book / name)
    for page in pages:
        _copy(book_root / page, book / page)
    # Images and other assets next to the pages; not drafts absent from the toc, not downloads
    # left by interactive runs, not checkpoints.
    page_set = set(pages)
    for folder in sorted({Path(page).parent for page in pages} - {Path(".")}):
        for path in (book_root / folder).rglob("*"):
            relative = path.relative_to(book_root)
            parts = relative.relative_to(folder).parts
            skip = (
                not path.is_file()
                or any(part.startswith(".") or part == "__pycache__" for part in parts)
                or parts[0] == DOWNLOADS_DIR_NAME
                or (path.suffix in PAGE_SUFFIXES and relative.as_posix() not in page_set)
            )
            if not skip:
                _copy(path, book / relative)
    for extra in _files_named_in_config(book_root):
        _copy(book_root / extra, book / extra)
    from xaibook.latex import write_latex_files

    write_latex_files(book / "_static")  # bbm.sty, which Debian's TeX lacks


def _write_vega_bundle(static_dir: Path, cache: ExecutionCache) -> None:
    """Copy the charts' offline JavaScript into the staged book (made once per environment)."""
    from xaibook.charts import BUNDLE_FILE_NAME

    static_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(environment_vega_bundle(cache.cache_dir), static_dir / BUNDLE_FILE_NAME)


def environment_vega_bundle(fallback_dir: Path | None = None) -> Path:
    """The vega bundle for the installed libraries, made if missing (``make setup`` does).

    vl-convert takes seconds to make it and it depends only on installed packages, so it is
    kept in the environment (xaibook.paths.environment_data_dir), keyed by their versions and
    by xaibook.charts; where the environment is read-only, in ``fallback_dir`` (the cache).
    """
    from xaibook import charts
    from xaibook.charts import BUNDLE_FILE_NAME, write_vega_bundle

    version = environment_digest()[:8] + file_digest(Path(charts.__file__))[:8]
    folders = [paths.environment_data_dir()]
    if fallback_dir is not None:
        folders.append(Path(fallback_dir))
    for folder in folders:
        bundle = folder / f"vega-bundle-{version}" / BUNDLE_FILE_NAME
        if bundle.is_file():
            return bundle
    for folder in folders:
        try:  # writes a temporary file and renames it: never half a bundle
            bundle = write_vega_bundle(folder / f"vega-bundle-{version}")
        except OSError:
            continue
        for stale in folder.glob("vega-bundle-*"):  # made for other versions
            if stale != bundle.parent:
                shutil.rmtree(stale, ignore_errors=True)
        return bundle
    raise BuildError(f"cannot write the vega bundle into {' or '.join(map(str, folders))}")


def _files_named_in_config(book_root: Path) -> list[str]:
    """Relative paths the config names (logo, favicon, LaTeX extras) that exist in the book."""
    config = _read_yaml(book_root / "_config.yml")
    sphinx_config = (config.get("sphinx") or {}).get("config") or {}
    named = [
        config.get("logo"),
        (config.get("html") or {}).get("favicon"),
        *(config.get("bibtex_bibfiles") or []),
        *(sphinx_config.get("latex_additional_files") or []),
        *(sphinx_config.get("templates_path") or []),
    ]
    return [
        name for name in named
        if isinstance(name, str) and name and (book_root / name).exists()
        and not Path(name).is_absolute() and ".." not in Path(name).parts
    ]  # fmt: skip


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    elif source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def _read_yaml(path: Path) -> dict:
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except yaml.YAMLError as error:
        raise BuildError(f"{path.name} is not valid YAML: {error}") from None


def _edition(plan: _Plan, chapters: list[Chapter], snapshot: _Snapshot) -> dict[str, object]:
    """What identifies this edition: build date, data fingerprint, parameters."""
    bibliography = snapshot.bibliography
    built_at = dt.datetime.now(dt.UTC)
    return {
        "edition_id": f"{built_at:%Y%m%dT%H%M%SZ}-{publish.new_token()[:6]}",
        "build_date": built_at.date().isoformat(),
        "built_at": built_at.isoformat(timespec="seconds"),
        "data_fingerprint": data_fingerprint(
            snapshot.data_dir, bibliography if bibliography.is_file() else None
        ),
        "parameters": {name: json_value(value) for name, value in plan.resolved.items()},
        "xaibook_version": xaibook.__version__,
        "chapters": [{"slug": chapter.slug} for chapter in chapters],
    }


def _stamp_parameters(edition: dict) -> dict[str, object]:
    """Parameters shown to readers: the data folder's location is the builder's business."""
    return {name: value for name, value in edition["parameters"].items() if name != "data_dir"}


def _write_edition_config(config_file: Path, edition: dict) -> None:
    """Put the edition stamp into the staged _config.yml as MyST substitutions.

    Pages show it with ``{{ edition_stamp }}`` (or ``edition_date``, ``data_fingerprint``,
    ``edition_parameters``). It lives in the config, not in the notebooks, so a new build date
    does not invalidate a single cached chapter.
    """
    import yaml

    config = _read_yaml(config_file)
    shown = _stamp_parameters(edition)
    parameters_table = "\n".join(
        ["| parameter | value |", "| --- | --- |"]
        + [f"| `{name}` | {value} |" for name, value in shown.items()]
    )
    parameters_inline = ", ".join(f"{name}={value}" for name, value in shown.items())
    substitutions = {
        "edition_date": edition["build_date"],
        "data_fingerprint": edition["data_fingerprint"],
        "edition_parameters": parameters_table,
        "edition_stamp": (
            f"Built on {edition['build_date']} from data fingerprint "
            f"`{edition['data_fingerprint']}` with parameters {parameters_inline}."
        ),
    }
    from xaibook.analysis.cite import edition_substitutions

    substitutions.update(
        edition_substitutions(
            str(edition["parameters"]["as_of"]), edition["data_fingerprint"], config_file.parent
        )
    )
    parse = config.setdefault("parse", {}) or {}
    config["parse"] = parse
    parse["myst_substitutions"] = {**(parse.get("myst_substitutions") or {}), **substitutions}
    extensions = parse.get("myst_enable_extensions")
    if extensions is not None and "substitution" not in extensions:
        extensions.append("substitution")  # without it {{ ... }} is printed literally
    # The chapters were executed (or restored) by this build; Sphinx must only render them.
    config["execute"] = {**(config.get("execute") or {}), "execute_notebooks": "off"}
    sphinx = config.setdefault("sphinx", {}) or {}
    config["sphinx"] = sphinx
    sphinx_config = sphinx.setdefault("config", {}) or {}
    sphinx["config"] = sphinx_config
    html_context = sphinx_config.setdefault("html_context", {}) or {}
    sphinx_config["html_context"] = html_context
    html_context["xaibook_edition"] = {
        "edition_date": edition["build_date"],
        "data_fingerprint": edition["data_fingerprint"],
        "parameters": shown,
    }
    with open(config_file, "w", encoding="utf-8") as handle:
        yaml.safe_dump(config, handle, sort_keys=False, allow_unicode=True)


# ---------------------------------------------------------------------------------------------
# executing chapters


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
            paths.text_template(plan.book_root / c.notebook_path) for c in (chapter, *quoted)
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


# ---------------------------------------------------------------------------------------------
# rendering and publishing


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
