"""Publishing an edition into the output folder: one lock, one atomic switch, no half states.

Layout of an output folder ``OUT``::

    OUT/html -> .editions/<edition id>   a symlink: readers always see one whole edition
    OUT/.editions/<edition id>/          the HTML of the published edition
    OUT/pdf/xaibook.pdf                  replaced with os.replace (atomic on one filesystem)
    OUT/.xaibook.lock                    held by the build writing to OUT; holds its pid
    OUT/.staging-<random>/               the build in progress (removed when it ends)

Why a symlink: replacing a directory takes two renames (old away, new in), and between them
``OUT/html`` does not exist; a crash there loses the published book. Replacing a symlink with
``os.replace`` is a single rename(2): a reader or a crash sees the old edition or the new one,
never neither. The old edition's files are deleted only after the switch.
Consumers that copy ``OUT/html`` must follow the link (``cp -rL``, ``rsync -L``; GitHub's
upload-pages-artifact already dereferences).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from xaibook.errors import BuildError

HTML_LINK_NAME = "html"
EDITIONS_DIR_NAME = ".editions"
LOCK_FILE_NAME = ".xaibook.lock"
STAGING_PREFIX = ".staging-"
_LINK_TEMPORARY_PREFIX = ".html-link-"
_FILE_TEMPORARY_PREFIX = ".tmp-"


def new_token() -> str:
    return uuid.uuid4().hex[:12]


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold ``OUT/.xaibook.lock`` for the whole build; refuse at once if another build has it.

    The lock is an flock(2): the kernel releases it when its process dies, even by SIGKILL,
    so a crashed build never leaves a stale lock behind.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    lock_file = out_dir / LOCK_FILE_NAME
    lock = FileLock(lock_file, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise BuildError(
            f"another build is writing to {out_dir} (pid {_lock_holder(lock_file)}); "
            "wait for it or use --out"
        ) from None
    try:
        lock_file.write_text(f"{os.getpid()}\n")  # read by a refused build's message
        yield
    finally:
        lock.release()


def _lock_holder(lock_file: Path) -> str:
    try:
        return lock_file.read_text().strip() or "unknown"
    except OSError:
        return "unknown"


def new_staging_dir(out_dir: Path) -> Path:
    staging = out_dir / f"{STAGING_PREFIX}{new_token()}"
    staging.mkdir()
    return staging


def published_edition(out_dir: Path) -> Path | None:
    """The edition folder ``OUT/html`` points to (None if nothing is published as a link)."""
    link = out_dir / HTML_LINK_NAME
    if not link.is_symlink():
        return None
    return (out_dir / os.readlink(link)).resolve()


def remove_leftovers(out_dir: Path) -> None:
    """Delete what killed builds left (staging folders, temporaries, unpublished editions).

    Only called while holding the lock, so nothing here belongs to a running build.
    """
    for path in out_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True)
    for pattern in (f"{_LINK_TEMPORARY_PREFIX}*", f"pdf/{_FILE_TEMPORARY_PREFIX}*"):
        for path in out_dir.glob(pattern):
            path.unlink(missing_ok=True)
    current = published_edition(out_dir)
    editions = out_dir / EDITIONS_DIR_NAME
    if editions.is_dir():
        for edition in editions.iterdir():
            if edition.resolve() != current:
                shutil.rmtree(edition, ignore_errors=True)


def publish_html(out_dir: Path, staged_html: Path, edition_id: str) -> Path:
    """Make ``staged_html`` the published ``OUT/html``; returns the new edition folder.

    Call inside a section where interrupts are deferred: the switch itself is one rename, but
    an interrupt between the steps would leave an unpublished edition for the next build to
    clean up (harmless, just wasteful).
    """
    editions = out_dir / EDITIONS_DIR_NAME
    editions.mkdir(exist_ok=True)
    edition = editions / edition_id
    os.replace(staged_html, edition)  # same filesystem (staging is inside OUT): a rename
    link = out_dir / HTML_LINK_NAME
    if link.exists() and not link.is_symlink():
        # An OUT/html directory from an older layout: move it under .editions once, then link.
        legacy = editions / f"legacy-{new_token()}"
        os.replace(link, legacy)
        os.symlink(Path(EDITIONS_DIR_NAME) / legacy.name, link)
    temporary_link = out_dir / f"{_LINK_TEMPORARY_PREFIX}{new_token()}"
    os.symlink(Path(EDITIONS_DIR_NAME) / edition_id, temporary_link)  # relative: OUT can move
    os.replace(temporary_link, link)  # the atomic switch
    for old in editions.iterdir():
        if old.name != edition_id:
            shutil.rmtree(old, ignore_errors=True)
    return edition


def publish_file(staged_file: Path, target: Path) -> None:
    """Replace ``target`` with ``staged_file`` in one rename (copying first across filesystems)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f"{_FILE_TEMPORARY_PREFIX}{new_token()}-{target.name}"
    try:
        shutil.move(staged_file, temporary)  # a rename when staging is on the same filesystem
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
