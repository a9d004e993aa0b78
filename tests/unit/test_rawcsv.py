"""The strict CSV reader: what it must refuse, and what real exports look like."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from xaibook.data.rawcsv import read_raw_csv


def write(tmp_path: Path, content: bytes | str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def messages(path: Path) -> list[str]:
    return [str(problem) for problem in read_raw_csv(path).problems]


def test_multiline_quoted_notes_and_embedded_quotes_are_one_record(tmp_path):
    path = write(tmp_path, 'id,note,n\na,"line one\nline ""two""\nthree",1\nb,plain,2\n')
    table = read_raw_csv(path)
    assert table.problems == []
    assert table.cell(1, "note") == 'line one\nline "two"\nthree'
    assert table.lines == [2, 5]  # the second record starts after the three-line note


def test_truncated_row_names_line_and_first_missing_column(tmp_path):
    path = write(tmp_path, "id,amount_usd_bn,source_id\na,1,s\nb,2\n")
    [message] = messages(path)
    assert "t.csv" in message and "line 3" in message
    assert "'source_id'" in message and "2 fields" in message


def test_unclosed_quote_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, 'id,note\na,"fine"\nb,"never closed\nc,x\n')
    [message] = messages(path)
    assert "unclosed quote" in message and "line 3" in message


def test_undecodable_bytes_report_line_and_bytes(tmp_path):
    path = write(tmp_path, b"id,name\na,ok\nb,caf\xe9\n")
    [message] = messages(path)
    assert "undecodable" in message and "line 3" in message and "e9" in message
    assert "UTF-8" in message


def test_byte_order_mark_is_accepted(tmp_path):
    path = write(tmp_path, "\ufeffid,name\na,b\n")
    table = read_raw_csv(path)
    assert table.problems == [] and table.header == ["id", "name"]


def test_empty_file_missing_file_and_duplicate_header(tmp_path):
    assert "empty" in messages(write(tmp_path, "", "e.csv"))[0]
    assert "missing" in messages(tmp_path / "nope.csv")[0]
    [dup] = messages(write(tmp_path, "id,id\n1,2\n", "d.csv"))
    assert "twice" in dup and "'id'" in dup


def test_blank_lines_are_skipped_not_counted_as_rows(tmp_path):
    table = read_raw_csv(write(tmp_path, "id,n\na,1\n\nb,2\n"))
    assert table.problems == [] and table.cells["id"].tolist() == ["a", "b"]
    assert table.lines == [2, 4]


# Arrow reads the files; the csv module rereads what Arrow cannot be trusted with. On any file
# both can read, both must give the same cells and lines.
from hypothesis import (  # noqa: E402
    example,
    given,
    settings,
    strategies as st,
)

from xaibook.data import rawcsv  # noqa: E402

CELL = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\t中é=<')), max_size=8)


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    # with "\n" as terminator the writer would leave a lone "\r" unquoted, a file no
    # spreadsheet writes
    quoting = csv.QUOTE_ALL if any("\r" in cell for row in rows for cell in row) else None
    csv.writer(buffer, lineterminator="\n", quoting=quoting or csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue()


def by_csv_module(path: Path) -> rawcsv.RawTable:
    text = path.read_bytes().decode("utf-8-sig")
    table = rawcsv.RawTable(path=path, header=[], cells=None, lines=[])
    rawcsv._read_with_csv_module(table, text)
    return table


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=6),
    blank_after=st.sets(st.integers(0, 6), max_size=2),
)
@example(rows=[["a\r\nb", "\r", "c\n"]], blank_after=set())  # line ends kept inside quotes
def test_arrow_and_the_csv_module_read_valid_files_alike(tmp_path_factory, rows, blank_after):
    lines = csv_text([["id", "note", "n"], *rows]).split("\n")
    for position in sorted(blank_after, reverse=True):  # blank lines between records
        lines.insert(min(position + 1, len(lines) - 1), "")
    path = write(tmp_path_factory.mktemp("t"), "\n".join(lines))
    fast, slow = read_raw_csv(path), by_csv_module(path)
    assert fast.problems == slow.problems == []
    assert fast.header == slow.header and fast.lines == slow.lines
    assert fast.cells.to_dict("list") == slow.cells.to_dict("list")


def test_a_file_with_multi_line_notes_is_read_by_arrow(tmp_path):
    path = write(tmp_path, 'id,note,n\na,"line one\nline ""two""\nthree",1\nb,plain,2\n')
    data = path.read_bytes()
    table = rawcsv.RawTable(path=path, header=[], cells=None, lines=[])
    assert rawcsv._read_with_arrow(table, data)
    assert table.lines == [2, 5] and table.cell(1, "note") == 'line one\nline "two"\nthree'


def test_undecodable_bytes_in_the_header_are_named_not_raised(tmp_path):
    # found by the fuzz test: Arrow reads such a header but fails when asked for its names
    for header in (b'\xff"id",name', b'""\xff,name', b"id,na\xffme"):
        [message] = messages(write(tmp_path, header + b"\na,b\n"))
        assert "undecodable" in message and "line 1" in message and "ff" in message


def test_a_file_cut_inside_a_quoted_last_field_is_refused(tmp_path):
    # Arrow closes a quote left open at the end of the file; the reader must not
    for text in ('id,note\na,"fine"\nb,"never closed\n', 'id,note\na,"fine"\nb,"two\nlines\n'):
        [message] = messages(write(tmp_path, text))
        assert "t.csv" in message and "line 3" in message and "never closed" in message


def test_a_file_without_a_final_line_end_is_refused_as_truncated(tmp_path):
    # the last field may be cut half-way: "co-xai" read as "co-x" has the right width
    for text in ("id,n\na,1\nb,2", "id,n\na,1\nb,", "id,n"):
        messages_ = messages(write(tmp_path, text))
        assert any("truncated" in m and "t.csv" in m for m in messages_), text
    assert read_raw_csv(write(tmp_path, "id,n\na,1\nb,2\n")).row_count == 2
    assert read_raw_csv(write(tmp_path, "id,n\r\na,1\r\n")).row_count == 1
