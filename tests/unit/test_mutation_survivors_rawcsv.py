"""Reading a CSV file: a missing file or a folder in its place is named, never a traceback.

Written to kill mutants of xaibook/rawcsv.py that survived the mutation run (tools/mutation).
"""

from __future__ import annotations

import pytest

from xaibook.data.rawcsv import HEADER_PROBE_BYTES, read_raw_csv


def test_a_missing_file_is_one_problem_naming_where_it_should_be(tmp_path):
    table = read_raw_csv(tmp_path / "funding_rounds.csv")
    [problem] = table.problems
    assert problem.file.endswith("funding_rounds.csv")
    assert problem.message == "file is missing"
    assert problem.expected and "funding_rounds.csv" in problem.expected
    assert table.cells is None and table.row_count == 0


def test_a_folder_in_place_of_the_file_is_one_problem_naming_it(tmp_path):
    (tmp_path / "sites.csv").mkdir()
    table = read_raw_csv(tmp_path / "sites.csv")
    [problem] = table.problems
    assert problem.file.endswith("sites.csv")
    assert problem.message == "is not a file" and problem.expected == "a CSV file"
    assert table.cells is None


def test_a_nul_byte_is_refused_at_its_line(tmp_path):
    path = tmp_path / "timeline.csv"
    path.write_bytes(b"record_id,event\ntl-1,founded\ntl-2,mer\x00ged\ntl-3,x\x00\n")
    table = read_raw_csv(path)
    [problem] = table.problems
    assert problem.file.endswith("timeline.csv")
    assert problem.line == 3  # the first NUL's line
    assert problem.message == "contains a NUL byte" and problem.expected == "plain CSV text"
    assert table.cells is None


def only_problem(tmp_path, content: bytes):
    path = tmp_path / "valuations.csv"
    path.write_bytes(content)
    table = read_raw_csv(path)
    [problem] = table.problems
    assert problem.file.endswith("valuations.csv") and problem.expected
    return problem


def test_an_empty_file_is_refused_at_its_first_line(tmp_path):
    problem = only_problem(tmp_path, b"  \n\n")
    assert (problem.line, problem.message) == (1, "file is empty")
    assert "header" in problem.expected


def test_a_file_cut_after_its_last_line_is_refused_at_that_line(tmp_path):
    problem = only_problem(tmp_path, b"record_id,value\r\nv-1,1\nv-2,2")
    assert problem.line == 3 and problem.message.startswith("truncated")


def test_a_quote_never_closed_is_refused_at_the_line_its_record_starts(tmp_path):
    problem = only_problem(tmp_path, b'record_id,note\nv-1,"open\nv-2,x\n')
    assert problem.line == 2 and "quoted field never closed" in problem.message
    assert "double quote" in problem.expected
    problem = only_problem(tmp_path, b'"record_id,note\n')
    assert problem.line == 1  # already in the header


def test_a_malformed_quote_is_refused_naming_the_line_and_the_parsers_reason(tmp_path):
    # the short row sends the file to the csv module, which stops at the stray quote
    problem = only_problem(tmp_path, b'record_id,note\nv-1\nv-2,"a"b\n')
    assert problem.line == 3 and problem.message.startswith("malformed CSV")
    assert "double quote" in problem.expected


def test_a_header_cell_left_empty_is_refused_naming_its_position(tmp_path):
    problem = only_problem(tmp_path, b"record_id,,note\nv-1,x,y\n")
    assert problem.line == 1 and "header cell 2" in problem.message


def test_a_column_named_twice_once_with_spaces_is_refused_naming_it(tmp_path):
    problem = only_problem(tmp_path, b"record_id,note, note\nv-1,x,y\n")
    assert problem.line == 1 and problem.column == "note"


def test_a_header_longer_than_the_probe_is_still_read(tmp_path):
    long_name = "n" * (HEADER_PROBE_BYTES + 10)
    path = tmp_path / "valuations.csv"
    path.write_text(f"record_id,{long_name}\nv-1,x\nv-2,y\n")
    table = read_raw_csv(path)
    assert table.problems == [] and table.header == ["record_id", long_name]
    assert table.row_count == 2 and table.cell(2, long_name) == "y"


def test_record_lines_are_whole_numbers_counting_line_breaks_in_quoted_cells(tmp_path):
    path = tmp_path / "valuations.csv"
    path.write_text('record_id,note\nv-1,"two\nlines"\nv-2,x\n')
    table = read_raw_csv(path)
    assert table.problems == [] and table.lines == [2, 4]
    assert all(type(line) is int for line in table.lines)  # messages say "line 4", not 4.0


@pytest.mark.parametrize(
    ("content", "report"),
    [
        (
            b"record_id,,note\nv-1,x,y\n",
            ", line 1: header cell 2 is empty; expected a name for every column",
        ),
        (
            b"record_id,note,note\nv-1,x,y\n",
            ", line 1, column 'note': column name appears twice in the header; expected unique "
            "column names",
        ),
        (
            b"record_id,value\nv-1,1\nv-2,2",
            ", line 3: truncated: no line end after the last line (a partial download or a cut "
            "file?); expected a complete file, its last line ended by a line end like every other",
        ),
        (
            b"record_id,value\nv-1,1\nv-2\nv-3,3\n",
            ", row 2 (line 3): row has 1 fields but the header has 2 (truncated row? first missing "
            "column: 'value'); expected 2 comma-separated fields; quote values that contain commas",
        ),
        (
            b'record_id,value\nv-1,1\nv-2,"2",3\n',
            ", row 2 (line 3): row has 3 fields but the header has 2 (an unquoted comma in a "
            "value?); expected 2 comma-separated fields; quote values that contain commas",
        ),
        (
            b'record_id,note\nv-1,"open\nv-2,x\n',
            ", line 2: the file ends inside the record that starts on this line, in a quoted "
            "field never closed (a cut file, or an unclosed quote); expected every quoted field "
            'closed with a double quote ("") before the row ends',
        ),
        (
            b"record_id,value\nv-1,\xff\xfe-more\n",
            ", line 2: undecodable bytes (ff fe 2d 6d) at byte 20; expected UTF-8 text (save the "
            "file as UTF-8 CSV)",
        ),
    ],
)
def test_each_refusal_of_a_damaged_file_reads_in_full(tmp_path, content, report):
    """What the user reads, word for word: where (file, row, line, column), what, and what to
    do instead. One table, so rewording a refusal means editing one line here."""
    problem = only_problem(tmp_path, content)
    assert str(problem).removeprefix(problem.file) == report
