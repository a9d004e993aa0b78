"""The strict CSV reader: what it must refuse, and what real exports look like."""

from __future__ import annotations

from pathlib import Path

from xaibook.rawcsv import read_raw_csv


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
    assert table.rows[0][1] == 'line one\nline "two"\nthree'
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
    assert table.problems == [] and [r[0] for r in table.rows] == ["a", "b"]
    assert table.lines == [2, 4]
