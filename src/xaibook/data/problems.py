"""One data problem, one line the user can act on: file, row, column, what and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None = None  # physical line where the record starts (header = line 1)
    row: int | None = None  # 1-based data row (records, not lines: notes may span lines)
    column: str | None = None
    message: str = ""
    expected: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.line})")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = f"{', '.join(where)}: {self.message}"
        if self.expected:
            text += f"; expected {self.expected}"
        if self.severity == WARNING:
            text = f"warning: {text}"
        return text


def display_path(path: Path) -> str:
    """Paths in messages: relative to the working directory when possible, else absolute."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return str(path)


def is_dangling_link(path: Path) -> bool:
    """A symbolic link that leads nowhere: to a missing file, or round a loop of links."""
    path = Path(path)
    return path.is_symlink() and not path.exists()
