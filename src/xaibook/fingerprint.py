"""A short fingerprint of the data an edition was built from, printed on every page.

Two editions with the same fingerprint were built from byte-identical data files, so a reader
(or a reviewer) can tell whether a number changed because the data changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from xaibook import paths

FINGERPRINT_LENGTH = 12  # hex digits: short enough to print, 48 bits is plenty for editions
_CHUNK_BYTES = 1 << 20


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def data_files(data_dir: Path) -> list[Path]:
    """Every file under ``data_dir``, sorted, skipping dot-files and dot-folders (.DS_Store...)."""
    data_dir = Path(data_dir)
    return sorted(
        path
        for path in data_dir.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(data_dir).parts)
    )


def digest_of_files(named_files: Iterable[tuple[str, Path]]) -> str:
    """SHA-256 over (name, bytes) pairs; names keep a moved file from hashing like the old one."""
    digest = hashlib.sha256()
    for name, path in named_files:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(file_digest(path).encode() if path.exists() else b"missing")
        digest.update(b"\n")
    return digest.hexdigest()


def data_fingerprint(data_dir: Path, bibliography: Path | None = None) -> str:
    """12 hex digits over every data file (relative path + bytes) plus references.bib."""
    data_dir = Path(data_dir)
    bibliography = Path(bibliography or paths.BIBLIOGRAPHY_FILE)
    named = [(path.relative_to(data_dir).as_posix(), path) for path in data_files(data_dir)]
    named.append(("references.bib", bibliography))
    return digest_of_files(named)[:FINGERPRINT_LENGTH]
