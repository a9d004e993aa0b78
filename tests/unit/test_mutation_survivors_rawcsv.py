"""Reading a CSV file: a missing file or a folder in its place is named, never a traceback.

Written to kill mutants of xaibook/rawcsv.py that survived the mutation run (tools/mutation).
"""

from __future__ import annotations

from xaibook.rawcsv import read_raw_csv


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
    assert "NUL" in problem.message and problem.expected == "plain CSV text"
    assert table.cells is None
