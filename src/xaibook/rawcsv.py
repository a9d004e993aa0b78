"""Read a CSV file as text cells, refusing damaged files with line-accurate problems.

pandas.read_csv recovers silently from much of what we must catch (a short row becomes NaN, an
unclosed quote swallows the rest of the file), so files are first read with the standard
``csv`` module in strict mode, which knows where each record starts and ends.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from xaibook.problems import Problem, display_path

# Epoch's notes hold long quotations; the csv module's default 128 KiB field cap is raised so a
# long but valid note is never mistaken for damage.
csv.field_size_limit(64 * 1024 * 1024)


@dataclass
class RawTable:
    """Cells as text ('' = missing), with the line each record starts on."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return display_path(self.path)


def _decode(path: Path, data: bytes) -> tuple[str | None, Problem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        bad = data[error.start : error.start + 4].hex(" ")
        return None, Problem(
            file=display_path(path),
            line=line,
            message=f"undecodable bytes ({bad}) at byte {error.start}",
            expected="UTF-8 text (save the file as UTF-8 CSV)",
        )


def read_raw_csv(path: Path) -> RawTable:
    """Parse ``path``; ``problems`` is non-empty when the file cannot be trusted."""
    path = Path(path)
    name = display_path(path)
    table = RawTable(path=path, header=[], rows=[], lines=[])
    if not path.exists():
        table.problems.append(
            Problem(file=name, message="file is missing", expected=f"a CSV file at {name}")
        )
        return table
    if not path.is_file():
        table.problems.append(Problem(file=name, message="is not a file", expected="a CSV file"))
        return table
    data = path.read_bytes()
    text, problem = _decode(path, data)
    if problem is not None:
        table.problems.append(problem)
        return table
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        table.problems.append(
            Problem(file=name, line=line, message="contains a NUL byte", expected="plain CSV text")
        )
        return table
    if not text.strip():
        table.problems.append(
            Problem(
                file=name, line=1, message="file is empty", expected="a header row and data rows"
            )
        )
        return table

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next_line = 1
    try:
        for record in reader:
            start_line, next_line = next_line, reader.line_num + 1
            if not table.header:
                table.header = [cell.strip() for cell in record]
                continue
            if not any(cell.strip() for cell in record):
                continue  # blank line
            table.rows.append(record)
            table.lines.append(start_line)
    except csv.Error as error:
        table.problems.append(
            Problem(
                file=name,
                line=next_line,
                message=f"malformed CSV from this line on ({error}); often an unclosed quote",
                expected='every quoted field closed with a double quote ("") before the row ends',
            )
        )
        return table

    _check_header(table)
    _check_widths(table)
    return table


def _check_header(table: RawTable) -> None:
    seen: set[str] = set()
    for position, column in enumerate(table.header, start=1):
        if not column:
            table.problems.append(
                Problem(
                    file=table.name,
                    line=1,
                    message=f"header cell {position} is empty",
                    expected="a name for every column",
                )
            )
        elif column in seen:
            table.problems.append(
                Problem(
                    file=table.name,
                    line=1,
                    column=column,
                    message="column name appears twice in the header",
                    expected="unique column names",
                )
            )
        seen.add(column)


def _check_widths(table: RawTable) -> None:
    width = len(table.header)
    for row_number, (record, line) in enumerate(zip(table.rows, table.lines, strict=True), 1):
        if len(record) == width:
            continue
        if len(record) < width:
            message = (
                f"row has {len(record)} fields but the header has {width} "
                f"(truncated row? first missing column: {table.header[len(record)]!r})"
            )
        else:
            message = (
                f"row has {len(record)} fields but the header has {width} "
                "(an unquoted comma in a value?)"
            )
        table.problems.append(
            Problem(
                file=table.name,
                line=line,
                row=row_number,
                message=message,
                expected=f"{width} comma-separated fields; quote values that contain commas",
            )
        )
