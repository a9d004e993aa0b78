"""Staging: the pages _toc.yml lists, the chapters among them, and a private copy of the book
(config, pages, their images, static files, the charts' offline JavaScript)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from xaibook import paths
from xaibook.build.base import _read_yaml
from xaibook.cache import ExecutionCache, environment_digest
from xaibook.chapters import (
    DOWNLOADS_DIR_NAME,
    Chapter,
    ChapterListError,
    read_chapters,
)
from xaibook.errors import BuildError
from xaibook.fingerprint import file_digest

BOOK_SUPPORT_FILES = ("_config.yml", "_toc.yml", "references.bib", "_static")
PAGE_SUFFIXES = (".ipynb", ".md", ".rst")


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
    static_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(
        environment_vega_bundle(cache.cache_dir), static_dir / paths.VEGA_BUNDLE_FILE_NAME
    )


def environment_vega_bundle(fallback_dir: Path | None = None) -> Path:
    """The vega bundle for the installed libraries, made if missing (``make setup`` does).

    vl-convert takes seconds to make it and it depends only on installed packages, so it is
    kept in the environment (xaibook.paths.environment_data_dir), keyed by their versions and
    by xaibook.charts; where the environment is read-only, in ``fallback_dir`` (the cache).
    """
    # Altair and pandas take seconds to import: only a bundle still to make needs them.
    version = environment_digest()[:8] + file_digest(paths.CHARTS_MODULE_FILE)[:8]
    folders = [paths.environment_data_dir()]
    if fallback_dir is not None:
        folders.append(Path(fallback_dir))
    for folder in folders:
        bundle = folder / f"vega-bundle-{version}" / paths.VEGA_BUNDLE_FILE_NAME
        if bundle.is_file():
            return bundle
    from xaibook.charts import write_vega_bundle

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
