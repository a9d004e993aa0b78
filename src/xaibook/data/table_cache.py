"""Typed tables cached on disk, keyed by each file's identity and the typing code's digest, so a
chapter (or a second build) types a million-row file once."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
from pathlib import Path

import pandas as pd

from xaibook import paths
from xaibook.data.columns import _alias_renames, _apply_schema, _match_columns, _type_columns
from xaibook.data.problems import ERROR, Problem, display_path
from xaibook.data.rawcsv import read_raw_csv
from xaibook.data.tables import CURATED_TABLES, table_file

TABLE_CACHE_VERSION = "2"  # 2: problems cached with absolute file names
# The typed table depends on these files only (plus the CSV's bytes): a change to any of them
# invalidates every cached table.
_TYPING_CODE = (
    "schema.py", "limits.py", "columns.py", "table_cache.py", "rawcsv.py", "problems.py",
    "missing.py", "tables.py",
)  # fmt: skip
DATA_PACKAGE_DIR = Path(__file__).resolve().parent


@functools.cache
def _typing_code_digest() -> str:
    digest = hashlib.sha256(TABLE_CACHE_VERSION.encode())
    for name in _TYPING_CODE:
        digest.update((DATA_PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()


def _cached_table_file(data_dir: Path, table: str) -> Path | None:
    """Where the typed copy of this exact file is kept; None if the file is missing.

    Keyed by the file's absolute path and bytes, never by the working directory: the
    validator runs from the repository, each chapter from its own folder, and all of them
    must find the same entry.
    """
    file = table_file(data_dir, table)
    if not file.is_file():
        return None
    digest = hashlib.sha256(_typing_code_digest().encode())
    digest.update(f"{table}\0{file.resolve()}\0{_file_digest(file)}".encode())
    return paths.cache_dir() / "tables" / f"{table}-{digest.hexdigest()[:32]}.pkl"


@functools.lru_cache(maxsize=256)
def _digest_of(path: str, size: int, mtime_ns: int, ctime_ns: int, inode: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_digest(file: Path) -> str:
    """SHA-256 of a file's bytes, read once per process while the file is unchanged (any
    write changes its ctime): a chapter asks for each table's digest several times."""
    stat = file.stat()
    return _digest_of(
        str(file.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino
    )


def _portable(problems: list[Problem]) -> list[Problem]:
    """Problems as cached: file names absolute, whatever the working directory."""
    return [dataclasses.replace(p, file=str(Path(p.file).resolve())) for p in problems]


def _local(problems: list[Problem]) -> list[Problem]:
    """Cached problems named as this process shows paths (relative to its working folder)."""
    return [dataclasses.replace(p, file=display_path(Path(p.file))) for p in problems]


def check_table(data_dir: Path, table: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse, type and check one table; the frame is None when the file cannot be read.

    Typing a large file takes seconds and every chapter reads the same files, so the typed
    frame and its problems are kept in the cache, keyed by the file's bytes and this code.
    """
    cached = _cached_table_file(data_dir, table)
    if cached is not None and cached.is_file():
        try:
            with open(cached, "rb") as handle:
                frame, problems = pickle.load(handle)
            if frame is not None:
                frame.attrs["file"] = display_path(table_file(data_dir, table))
            return frame, _local(problems)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            pass  # a damaged entry is simply rebuilt
    frame, problems = _check_table_uncached(data_dir, table)
    if cached is not None:
        _store(cached, (frame, _portable(problems)))
    return frame, problems


def _store(target: Path, value: object) -> None:
    """Write atomically; a cache that cannot be written is only slower, never wrong."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except OSError:
        pass


def _check_table_uncached(data_dir: Path, table: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    from xaibook.data.schema import TABLE_MODELS

    model = TABLE_MODELS[table]
    schema = model.to_schema()
    raw = read_raw_csv(table_file(data_dir, table))
    if raw.problems:
        return None, raw.problems
    strict = table in CURATED_TABLES
    problems = _match_columns(raw, schema, strict=strict)
    if any(p.severity == ERROR for p in problems):
        return None, problems
    frame, type_problems, reported = _type_columns(raw, schema)
    problems += type_problems
    problems += _apply_schema(frame, raw, schema, reported)
    # python field names (Epoch files keep their published column names in the CSV)
    frame = frame.rename(columns=_alias_renames(model))
    problems.sort(key=lambda problem: (problem.line or 0, problem.column or ""))
    frame.attrs["file"] = raw.name
    return frame, problems
