"""Content-addressed cache of executed chapters, so an unchanged chapter is never re-run.

A chapter's key hashes everything its output can depend on: the bytes of the notebook and of
its text template (``xaibook.prose``), the values injected into it, the files of the tables it
declares (``xaibook.chapters``), the source of this package, the installed library versions and
``CACHE_VERSION``. A hit restores the executed notebook and the chapter's ``downloads/<slug>/``
folder exactly as the run that made them.

Entries live in ``paths.CACHE_DIR`` (outside the output folder, so publishing an edition never
deletes them; ``make clean`` does). Each entry is written into a temporary folder and renamed
into place, so a crash or a concurrent build never leaves a half-written entry under a key.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import time
import uuid
from pathlib import Path

from xaibook import paths
from xaibook.data import tables
from xaibook.fingerprint import digest_of_files, file_digest

# Bump when what an entry holds, or how executed notebooks are post-processed, changes.
CACHE_VERSION = "1"
NOTEBOOK_FILE_NAME = "notebook.ipynb"
DOWNLOADS_DIR_NAME = "downloads"
_TEMPORARY_PREFIX = ".tmp-"
UNUSED_ENTRY_MAX_AGE_DAYS = 30  # entries nobody restored for this long are pruned


@functools.cache
def package_source_digest() -> str:
    """SHA-256 over every ``xaibook/**/*.py``: chapter output depends on the library's code."""
    package_dir = paths.PACKAGE_DIR
    sources = sorted(package_dir.rglob("*.py"))
    return digest_of_files((path.relative_to(package_dir).as_posix(), path) for path in sources)


@functools.cache
def environment_digest() -> str:
    """Python and installed library versions: a pandas or altair upgrade can change output."""
    installed = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    text = "\n".join([platform.python_version(), *installed])
    return hashlib.sha256(text.encode()).hexdigest()


def chapter_key(
    slug: str,
    notebook: Path,
    parameters: dict[str, object],
    table_names: tuple[str, ...] | list[str],
    data_dir: Path,
    *,
    bibliography: Path | None = None,
    templates: tuple[Path, ...] | list[Path] | None = None,
) -> str:
    """The cache key of one chapter execution (64 hex digits).

    ``bibliography``: the references.bib chapters read as table ``bibliography`` (default
    ``paths.BIBLIOGRAPHY_FILE``); the build passes its snapshot's. ``templates``: the text
    templates the chapter renders (default: its own, beside the notebook); one that does not
    exist counts as such.
    """
    declared = sorted(set(table_names))

    def file_of(table: str) -> Path:
        if table == tables.BIBLIOGRAPHY and bibliography is not None:
            return Path(bibliography)
        return tables.table_file(data_dir, table)

    table_digest = digest_of_files((name, file_of(name)) for name in declared)
    texts = [paths.text_template(notebook)] if templates is None else [Path(t) for t in templates]
    text_digest = digest_of_files((t.name, t) for t in sorted(texts) if t.is_file())
    # A list in a fixed order: its JSON, and so the key, is the same on every run.
    parts = [
        CACHE_VERSION,
        slug,  # the downloads folder is named after it
        file_digest(Path(notebook)),
        text_digest,  # the chapter's sentences (xaibook.prose)
        json.dumps(parameters, sort_keys=True),
        table_digest,
        package_source_digest(),
        environment_digest(),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


class ExecutionCache:
    """Executed notebooks (+ their downloads folder) by key, in ``cache_dir/<key>/``."""

    def __init__(self, cache_dir: Path | None = None):
        self.cache_dir = Path(cache_dir or paths.CACHE_DIR)

    def _entry(self, key: str) -> Path:
        return self.cache_dir / key

    def has(self, key: str) -> bool:
        return (self._entry(key) / NOTEBOOK_FILE_NAME).is_file()

    def restore(self, key: str, notebook_target: Path, downloads_target: Path) -> bool:
        """Copy entry ``key`` into place; False on a miss (nothing is touched then)."""
        entry = self._entry(key)
        cached_notebook = entry / NOTEBOOK_FILE_NAME
        if not cached_notebook.is_file():
            return False
        os.utime(entry)  # mark as used, for prune()
        notebook_target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached_notebook, notebook_target)
        if (entry / DOWNLOADS_DIR_NAME).is_dir():
            shutil.copytree(entry / DOWNLOADS_DIR_NAME, downloads_target, dirs_exist_ok=True)
        return True

    def store(self, key: str, notebook: Path, downloads: Path) -> None:
        """Save an executed chapter under ``key``; atomic, and a no-op if the key exists."""
        entry = self._entry(key)
        if entry.exists():
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = self.cache_dir / f"{_TEMPORARY_PREFIX}{uuid.uuid4().hex}"
        try:
            temporary.mkdir()
            shutil.copyfile(notebook, temporary / NOTEBOOK_FILE_NAME)
            if downloads.is_dir():
                shutil.copytree(downloads, temporary / DOWNLOADS_DIR_NAME)
            try:
                temporary.rename(entry)
            except OSError:
                if not entry.exists():  # not "another build stored it first": a real error
                    raise
        finally:
            shutil.rmtree(temporary, ignore_errors=True)

    def prune(self, max_age_days: float = UNUSED_ENTRY_MAX_AGE_DAYS) -> None:
        """Remove entries nobody used for ``max_age_days`` and temporaries of crashed builds."""
        if not self.cache_dir.is_dir():
            return
        oldest_allowed = time.time() - dt.timedelta(days=max_age_days).total_seconds()
        for entry in self.cache_dir.iterdir():
            try:
                if entry.stat().st_mtime < oldest_allowed:
                    shutil.rmtree(entry, ignore_errors=True)
            except FileNotFoundError:  # pruned by a concurrent build
                pass
