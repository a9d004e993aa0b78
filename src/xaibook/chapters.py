"""The chapter registry, read from the book itself: which notebooks the build executes, what
each reads and receives.

The chapter list has one source, ``_toc.yml``: every page it lists that is a notebook is a
chapter, in the book's order, named by its file's stem. What a chapter reads is declared in its
notebook's metadata, beside the code that reads it::

    "metadata": {"xaibook": {"tables": ["companies", "funding_rounds", ...]}}

(``"tables": "all"`` for a chapter that describes every table; ``"quotes": [slugs]`` for one
that quotes other chapters' text). Adding a chapter is adding its notebook and its line in
``_toc.yml``.

``tables`` is what the execution cache hashes and the only tables a chapter loads: a chapter is
re-executed when one of them changes, and reading any other table stops it with that table's
name (``xaibook.model.claims.table``) rather than showing "No data". The parameters a chapter
receives are declared in ``xaibook.params`` (``Parameter.chapters``); they are looked up here,
not repeated.

Chapters write files for readers (CSV downloads) only under ``downloads/<slug>/`` next to the
notebook (``downloads_dir(slug)``): the cache saves and restores exactly that folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from xaibook import paths
from xaibook.data.tables import ALL_TABLES
from xaibook.params import parameters_for

DOWNLOADS_DIR_NAME = "downloads"
TOC_FILE_NAME = "_toc.yml"
METADATA_KEY = "xaibook"  # the notebook metadata that declares what a chapter reads
ALL = "all"


class ChapterListError(ValueError):
    """_toc.yml or a chapter notebook's declaration cannot be read as a chapter list."""


@dataclass(frozen=True)
class Chapter:
    slug: str
    notebook_path: str  # relative to the book root, as listed (without suffix) in _toc.yml
    tables: tuple[str, ...]  # logical names from xaibook.data.tables
    parameters: tuple[str, ...]  # names from xaibook.params
    # chapters whose text this one quotes: their text templates are part of its cache key
    quotes: tuple[str, ...] = ()


def _toc_files(entry: object) -> Iterator[str]:
    """Every ``file`` (and ``root``) in a _toc.yml entry, in the book's order."""
    if isinstance(entry, dict):
        for key in ("root", "file"):
            if isinstance(entry.get(key), str):
                yield entry[key]
        for key in ("parts", "chapters", "sections"):
            for child in entry.get(key) or ():
                yield from _toc_files(child)


def _names(value: object, known: tuple[str, ...] | set[str], what: str, where: str) -> tuple:
    if value == ALL and what == "tables":
        return tuple(known)
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ChapterListError(f"{where}: metadata {METADATA_KEY}.{what} must be a list of names")
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise ChapterListError(
            f"{where}: unknown {what} {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return tuple(value)


def read_chapters(book_root: Path = paths.REPO_ROOT) -> tuple[Chapter, ...]:
    """The chapters of the book at ``book_root``: the notebooks its _toc.yml lists, in order,
    each with the tables and quoted chapters its metadata declares."""
    toc_path = Path(book_root) / TOC_FILE_NAME
    try:
        toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ChapterListError(f"{toc_path}: {error}") from None
    notebooks = []
    for page in _toc_files(toc):
        path = Path(page).with_suffix(".ipynb")
        if (Path(book_root) / path).is_file():
            notebooks.append(path.as_posix())
    declared: list[tuple[str, str, dict]] = []
    for notebook in notebooks:
        where = f"{notebook} (listed in {TOC_FILE_NAME})"
        try:
            metadata = json.loads((Path(book_root) / notebook).read_text(encoding="utf-8"))
            declaration = metadata.get("metadata", {}).get(METADATA_KEY)
        except (OSError, ValueError, AttributeError) as error:
            raise ChapterListError(f"{where}: not a readable notebook: {error}") from None
        if not isinstance(declaration, dict) or "tables" not in declaration:
            raise ChapterListError(
                f"{where}: declare the tables it reads in its metadata, "
                f'"{METADATA_KEY}": {{"tables": [...]}} (names from xaibook.data.tables)'
            )
        declared.append((Path(notebook).stem, notebook, declaration))
    slugs = [slug for slug, _, _ in declared]
    duplicated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicated:
        raise ChapterListError(f"{TOC_FILE_NAME}: two notebooks named {', '.join(duplicated)}")
    return tuple(
        Chapter(
            slug,
            notebook,
            _names(declaration["tables"], ALL_TABLES, "tables", notebook),
            parameters_for(slug),
            _names(declaration.get("quotes", []), set(slugs) - {slug}, "quotes", notebook),
        )
        for slug, notebook, declaration in declared
    )


CHAPTERS: tuple[Chapter, ...] = read_chapters()
CHAPTERS_BY_SLUG: dict[str, Chapter] = {chapter.slug: chapter for chapter in CHAPTERS}


def downloads_dir(slug: str) -> Path:
    """Folder (relative to the notebook, the kernel's working directory) for a chapter's files.

    In a chapter: ``table.to_csv(downloads_dir("funding") / "rounds.csv")``; in its markdown:
    ``{download}`the rounds (CSV) <downloads/funding/rounds.csv>` ``.
    """
    folder = Path(DOWNLOADS_DIR_NAME) / slug
    folder.mkdir(parents=True, exist_ok=True)
    return folder
