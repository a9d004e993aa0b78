"""Read a CSV file as text cells, refusing damaged files with line-accurate problems.

pandas.read_csv recovers silently from much of what we must catch (a short row becomes NaN, an
unclosed quote swallows the rest of the file). Files are therefore read first by Arrow's CSV
parser (multi-threaded C++, strict about field counts) and accepted from it only when every
record's start line can be accounted for; anything else (a short or long row, an unclosed
quote, blank lines, a bad header) is read again with the standard ``csv`` module in strict
mode, which knows where each record starts and ends and names the line of each problem.

A file must end with a line end. Every shipped file and every Epoch download does, and the rule
makes a cut anywhere inside a record detectable from the bytes alone: a file cut inside its last
field would otherwise still have the right number of fields, holding half a value. A cut right
after a line end either falls between records (a shorter but sound file) or inside a quoted
field (an unclosed quote, refused).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from xaibook.data.problems import Problem, display_path, is_dangling_link

# Epoch's notes hold long quotations; the csv module's default 128 KiB field cap is raised so a
# long but valid note is never mistaken for damage.
csv.field_size_limit(64 * 1024 * 1024)

LINE_ENDS = (b"\n", b"\r")  # the csv module also ends a record at a lone carriage return


@dataclass
class RawTable:
    """Cells as text ('' = missing), with the line each record starts on.

    ``cells`` has one text column per header name and rows numbered from 1 (blank records
    skipped); ``lines[i]`` is the file line where row ``i + 1`` starts.
    """

    path: Path
    header: list[str]
    cells: pd.DataFrame | None
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return 0 if self.cells is None else len(self.cells)

    def cell(self, row: int, column: str) -> str:
        """The cell as typed in the file (row numbered from 1)."""
        return self.cells[column].iat[row - 1]

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
    table = RawTable(path=path, header=[], cells=None, lines=[])
    if is_dangling_link(path):
        table.problems.append(
            Problem(
                file=name,
                message="is a symbolic link to nothing (or a loop of links)",
                expected="a CSV file",
            )
        )
        return table
    if not path.exists():
        table.problems.append(
            Problem(file=name, message="file is missing", expected=f"a CSV file at {name}")
        )
        return table
    if not path.is_file():
        table.problems.append(Problem(file=name, message="is not a file", expected="a CSV file"))
        return table
    try:
        data = path.read_bytes()
    except OSError as error:  # permissions, a file removed meanwhile, an I/O error
        table.problems.append(
            Problem(
                file=name,
                message=f"cannot be read ({error.strerror or error})",
                expected="a readable CSV file",
            )
        )
        return table
    ends_with_line_end = data.endswith(LINE_ENDS)
    # Arrow checks the bytes as it parses: a good file is never decoded in Python
    if (
        ends_with_line_end
        and b"\x00" not in data
        and data.strip()
        and _read_with_arrow(table, data)
    ):
        return table
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
    if not ends_with_line_end:
        table.problems.append(_no_final_line_end(name, text))
    _read_with_csv_module(table, text)  # types nothing once a problem is known
    return table


def _no_final_line_end(name: str, text: str) -> Problem:
    last_line = len(re.findall(r"\r\n?|\n", text)) + 1
    return Problem(
        file=name,
        line=last_line,
        message="truncated: no line end after the last line (a partial download or a cut file?)",
        expected="a complete file, its last line ended by a line end like every other",
    )


def _read_with_csv_module(table: RawTable, text: str) -> None:
    name = table.name
    rows: list[list[str]] = []
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
            rows.append(record)
            table.lines.append(start_line)
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            message = (
                "the file ends inside the record that starts on this line, in a quoted field "
                "never closed (a cut file, or an unclosed quote)"
            )
        else:
            message = f"malformed CSV from this line on ({error}); often an unclosed quote"
        table.problems.append(
            Problem(
                file=name,
                line=next_line,
                message=message,
                expected='every quoted field closed with a double quote ("") before the row ends',
            )
        )
        return

    _check_header(table)
    _check_widths(table, rows)
    if not table.problems:
        table.cells = _text_frame(rows, table.header)


def _text_frame(rows: list[list[str]], header: list[str]) -> pd.DataFrame:
    # cells are read by position (RawTable.cell, the loader's set_axis), as Arrow's frames are
    return pd.DataFrame(rows, columns=header)


HEADER_PROBE_BYTES = 1 << 16  # a header longer than this is read by the csv module


def _read_with_arrow(table: RawTable, data: bytes) -> bool:
    """Fill ``table`` from Arrow's parser; False (``table`` untouched) when the csv module
    must read the file, because Arrow refused it or its record lines cannot be trusted."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as arrow_csv

    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    try:
        # strict, so that bad bytes in a column name are named by the csv module's reading
        # (Arrow would fail on them only when asked for the names); a character cut by the
        # probe's end is not an error
        probe = codecs.getincrementaldecoder("utf-8")().decode(body[:HEADER_PROBE_BYTES])
    except UnicodeDecodeError:
        return False
    reader = csv.reader(io.StringIO(probe, newline=""))
    header = next(reader, [])
    header_lines = reader.line_num  # a quoted column name may hold a line break
    if len(body) > HEADER_PROBE_BYTES and probe.count("\n") < header_lines:
        return False  # the header may go on past the probe
    names = [cell.strip() for cell in header]
    if not all(names) or len(set(names)) != len(names) or len(set(header)) != len(header):
        return False  # the csv module's reading names each header problem
    try:
        arrow_table = arrow_csv.read_csv(
            pa.py_buffer(body),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=True),
            convert_options=arrow_csv.ConvertOptions(
                column_types={column: pa.string() for column in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return False  # bad bytes, a short or long row, an unclosed quote...
    if arrow_table.column_names != header:
        return False
    rows = arrow_table.num_rows
    # Arrow closes a quoted field left open at the end of the file without a word. The file
    # ends with a line end, so such a field is the last cell and holds that line end; a real
    # last cell rarely does, and the csv module then decides.
    if rows and arrow_table[header[-1]][rows - 1].as_py().endswith(("\n", "\r")):
        return False
    # Each record takes one line plus the line breaks inside its quoted cells. Arrow skips
    # blank lines without a trace, so the records must account for every line of the file;
    # a lone carriage return (old Mac line ends) is a line end Arrow and csv count apart.
    if body.count(b"\r") != body.count(b"\r\n"):
        return False
    file_lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    columns = [arrow_table[column].combine_chunks() for column in header]
    breaks = np.zeros(rows, dtype=np.int64)
    if file_lines != header_lines + rows:  # some cells hold line breaks (or lines are blank)
        for column in columns:
            breaks += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
    ends = header_lines + np.cumsum(breaks + 1)
    if (ends[-1] if rows else header_lines) != file_lines:
        return False
    starts = ends - breaks
    # records with no text in any cell are blank lines to the csv module's reading too
    blank = np.ones(rows, dtype=bool)
    for column in columns:
        empty = pc.or_(pc.equal(pc.binary_length(column), 0), pc.utf8_is_space(column))
        blank &= empty.to_numpy(zero_copy_only=False)
    text_dtype = pd.Series([], dtype="str").dtype  # the same dtype the csv module's path gives
    as_text = {pa.string(): text_dtype, pa.large_string(): text_dtype}.get
    cells = pd.DataFrame(
        {
            name: column.to_pandas(types_mapper=as_text)
            for name, column in zip(names, columns, strict=True)
        }
    )
    if blank.any():
        cells, starts = cells[~blank], starts[~blank]
    cells.index = pd.RangeIndex(1, len(cells) + 1)
    table.header = names
    table.cells = cells
    table.lines = starts.tolist()
    return True


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


def _check_widths(table: RawTable, rows: list[list[str]]) -> None:
    width = len(table.header)
    for row_number, record in enumerate(rows, 1):
        if len(record) == width:
            continue
        line = table.lines[row_number - 1]  # the lines were listed with the rows, one each
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
