"""Publishing an edition into the output folder: one lock, one atomic switch, no half states.

Layout of an output folder ``OUT``::

    OUT/html -> .editions/<edition id>   a symlink: readers always see one whole edition
    OUT/.editions/<edition id>/          the HTML of the published edition
    OUT/pdf/xaibook.pdf                  replaced with os.replace (atomic on one filesystem)
    OUT/.xaibook.lock                    held by the build writing to OUT; holds its pid
    OUT/.xaibook-out                     says xaibook made OUT: only such a folder is written to
    OUT/.staging-<random>/               the build in progress (removed when it ends)

Why a symlink: replacing a directory takes two renames (old away, new in), and between them
``OUT/html`` does not exist; a crash there loses the published book. Replacing a symlink with
``os.replace`` is a single rename(2): a reader or a crash sees the old edition or the new one,
never neither. The old edition's files are deleted only after the switch.
A build deletes old editions and replaces ``OUT/html``; so it writes only into a folder it made
(``check_out_dir``): a new or empty one, which it marks, or one holding its marker. A folder of
the user's (an older site, the home folder, the data) is refused before anything runs.
Consumers that copy ``OUT/html`` must follow the link (``cp -rL``, ``rsync -L``; GitHub's
upload-pages-artifact already dereferences).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from xaibook.errors import BuildError, ParameterError

HTML_LINK_NAME = "html"
EDITIONS_DIR_NAME = ".editions"
LOCK_FILE_NAME = ".xaibook.lock"
STAGING_PREFIX = ".staging-"
MARKER_FILE_NAME = ".xaibook-out"
PDF_DIR_NAME = "pdf"
# What builds before the marker existed left in OUT (plus build logs, named by build.py with
# this prefix, and `make bench`'s folder inside the default OUT): such a folder is ours and is
# adopted, as long as `html` is still a link.
_OLD_LAYOUT_NAMES = {HTML_LINK_NAME, EDITIONS_DIR_NAME, LOCK_FILE_NAME, PDF_DIR_NAME, "bench"}
_OLD_LAYOUT_PREFIXES = (STAGING_PREFIX, ".html-link-", "last-build")
_LINK_TEMPORARY_PREFIX = ".html-link-"
_FILE_TEMPORARY_PREFIX = ".tmp-"


def check_out_dir(out_dir: Path, *, protected: dict[Path, str], data_dir: Path) -> None:
    """Refuse an ``--out`` a build must not write into; create and mark it otherwise.

    ``protected`` maps folders that must never be OUT nor hold it above them (the repository,
    the book) to their name in the message. Run before any kernel starts: a wrong --out
    costs milliseconds.
    """
    out_dir = Path(out_dir)
    _refuse_dangerous(out_dir, protected, data_dir)
    existing = next(path for path in (out_dir, *out_dir.parents) if _exists(path))
    if not existing.is_dir():
        where = "is a file" if existing == out_dir else f"is under {existing}, which is a file"
        raise ParameterError(f"--out {out_dir} {where}; give a folder")
    if existing == out_dir:
        _check_ours(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / MARKER_FILE_NAME).touch()
        # a marker kept from an earlier build proves nothing about writing now (chmod, a full
        # or read-only disk): try a file
        with tempfile.TemporaryFile(dir=out_dir):  # unnamed (O_TMPFILE), gone on close
            pass
    except OSError as error:
        raise ParameterError(
            f"--out {out_dir}: cannot write there ({error.strerror}); give a writable folder"
        ) from None


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _refuse_dangerous(out_dir: Path, protected: dict[Path, str], data_dir: Path) -> None:
    def refuse(what: str) -> None:
        raise ParameterError(
            f"--out {out_dir} is {what}; a build deletes old editions there, so it needs a "
            "folder of its own (for example --out /tmp/xaibook)"
        )

    if out_dir == Path(out_dir.anchor):
        refuse("the root of the filesystem")
    if out_dir == Path.home().resolve():
        refuse("your home folder")
    for folder, name in protected.items():
        if out_dir == folder:
            refuse(name)
        if out_dir in folder.parents:
            refuse(f"a folder above {name} ({folder})")
    data_dir = Path(data_dir)
    if out_dir == data_dir:
        refuse("the data folder")
    if out_dir in data_dir.parents:
        refuse(f"a folder above the data folder ({data_dir})")
    if data_dir in out_dir.parents:
        # its build logs would count as data and change the fingerprint of every edition
        refuse(f"inside the data folder ({data_dir})")


def _check_ours(out_dir: Path) -> None:
    """An existing OUT must be empty, marked, or laid out as an older build left it."""
    html = out_dir / HTML_LINK_NAME
    if html.exists() and not html.is_symlink():
        raise ParameterError(
            f"--out {out_dir}: {html} is a folder xaibook did not make (its builds publish a "
            "link there); move it away or choose another --out"
        )
    if (out_dir / MARKER_FILE_NAME).is_file():
        return
    try:
        foreign = sorted(path.name for path in out_dir.iterdir() if not _old_layout(path))
    except OSError as error:
        raise ParameterError(f"--out {out_dir}: cannot read it ({error.strerror})") from None
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise ParameterError(
            f"--out {out_dir} holds files xaibook did not make ({shown}); a build writes only "
            "into a new or empty folder or one it made: choose another --out or empty it"
        )


def _old_layout(path: Path) -> bool:
    if path.name == PDF_DIR_NAME:
        return path.is_dir() and not path.is_symlink() and all(
            child.name in ("xaibook.pdf", "edition.json") or child.name.startswith(".tmp-")
            for child in path.iterdir()
        )  # fmt: skip
    if path.name == HTML_LINK_NAME:
        return path.is_symlink()
    return path.name in _OLD_LAYOUT_NAMES or path.name.startswith(_OLD_LAYOUT_PREFIXES)


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
    link = out_dir / HTML_LINK_NAME
    if link.exists() and not link.is_symlink():
        # check_out_dir refused it; one made since then is not ours to replace either
        raise BuildError(f"{link} is a folder xaibook did not make; nothing was published")
    editions = out_dir / EDITIONS_DIR_NAME
    editions.mkdir(exist_ok=True)
    edition = editions / edition_id
    os.replace(staged_html, edition)  # same filesystem (staging is inside OUT): a rename
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
