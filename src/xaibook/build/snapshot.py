"""The build's own copy of the data folder and references.bib, and validating that copy."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from xaibook import paths
from xaibook.build.base import _Plan
from xaibook.data.problems import Problem, display_path, is_dangling_link
from xaibook.errors import DataError
from xaibook.fingerprint import data_files

SNAPSHOT_DIR_NAME = ".data-snapshot"  # the build's copy of the data (_Snapshot below)


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
    from xaibook.data import validate  # pandas & co.: imported after parameters are checked

    with paths.bibliography_file_as(snapshot.bibliography):
        problems = validate.collect_problems(snapshot.data_dir)
    if problems:
        raise DataError(
            dataclasses.replace(problem, file=snapshot.original(problem.file))
            if isinstance(problem, Problem) else problem
            for problem in problems
        )  # fmt: skip
