"""Property: a shipped CSV cut at any byte is refused naming the file, or, only when the cut
falls exactly on a record boundary, loads exactly the records before the cut.

"Cut" means the file's bytes truncated to N bytes (a partial download, a full disk). Every
offset of the small files is tried near the places a cut is hardest to see (line ends,
quotes, field separators); the rest, and the large Epoch files, are sampled.
"""

from __future__ import annotations

import csv
import functools
import io
import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from xaibook import paths
from xaibook.data.problems import ERROR
from xaibook.data.rawcsv import read_raw_csv
from xaibook.data.table_cache import check_table
from xaibook.data.tables import CURATED_TABLES, EPOCH_TABLES, table_file

TABLES = [*CURATED_TABLES, *EPOCH_TABLES]
LARGE_FILE_BYTES = 100_000  # above this, offsets are sampled more thinly (gpu_clusters.csv)


def shipped(table: str) -> Path:
    return table_file(paths.DATA_DIR, table)


@functools.cache
def full_read(table: str):
    table_read = read_raw_csv(shipped(table))
    assert table_read.problems == [], table
    return table_read


@functools.cache
def record_ends(table: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(byte offset right after each record's line end, the number of data records before
    that offset): the header's end first, blank lines included."""
    data = shipped(table).read_bytes()
    text = data.decode("utf-8-sig")
    position = len(data) - len(text.encode("utf-8"))  # after the byte order mark, if any

    def lines():
        nonlocal position
        for line in io.StringIO(text, newline=""):
            position += len(line.encode("utf-8"))
            yield line

    ends, counts, records = [], [], 0
    for index, record in enumerate(csv.reader(lines(), strict=True)):
        # the reader takes a line only when it needs one: position is this record's end
        if index > 0 and any(cell.strip() for cell in record):
            records += 1
        ends.append(position)
        counts.append(records)
    return tuple(ends), tuple(counts)


def assert_cut_is_refused_or_exact(table: str, cut: int, tmp_path: Path) -> None:
    source = shipped(table)
    target = tmp_path / source.name
    target.write_bytes(source.read_bytes()[:cut])
    result = read_raw_csv(target)
    ends, counts = record_ends(table)
    if cut in ends:
        expected = counts[ends.index(cut)]
        assert result.problems == [], (table, cut)
        whole = full_read(table)
        assert result.row_count == expected, (table, cut)
        assert result.lines == whole.lines[:expected]
        if expected:
            assert result.cells.equals(whole.cells.iloc[:expected]), (table, cut)
    else:
        assert result.problems, f"{table} cut at byte {cut} was read as sound"
        assert result.cells is None
        for problem in result.problems:
            assert problem.severity == ERROR and source.name in problem.file


def interesting_offsets(data: bytes, rng: random.Random, sample: int) -> list[int]:
    """Offsets around every line end and quote (where a cut can pass for a whole record),
    the record boundaries themselves, and a random sample of the rest."""
    near = set()
    for position, byte in enumerate(data):
        if byte in b'\n"':
            near.update(range(max(position - 1, 0), min(position + 3, len(data) + 1)))
    near = sorted(near)
    chosen = set(rng.sample(near, min(len(near), sample)))
    chosen.update(rng.sample(range(len(data) + 1), min(len(data) + 1, sample // 2)))
    return sorted(chosen)


@pytest.mark.parametrize("table", TABLES)
def test_a_cut_file_is_refused_or_loads_exactly_the_records_before_the_cut(table, tmp_path):
    data = shipped(table).read_bytes()
    ends, _ = record_ends(table)
    rng = random.Random(f"{table}-{len(data)}")  # the same offsets on every run of this data
    sample = 50 if len(data) > LARGE_FILE_BYTES else 240
    offsets = set(interesting_offsets(data, rng, sample))
    offsets.update(rng.sample(ends, min(len(ends), sample // 4)))  # cuts that must load
    offsets.update({0, 1, ends[0] - 1, ends[0], len(data) - 1, len(data)})
    for cut in sorted(offsets):
        assert_cut_is_refused_or_exact(table, cut, tmp_path)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=st.sampled_from(TABLES), where=st.floats(0, 1), on_a_boundary=st.booleans())
def test_a_cut_table_is_refused_by_the_loader_or_typed_as_the_records_before(
    tmp_path_factory, table, where, on_a_boundary
):
    source = shipped(table)
    data = source.read_bytes()
    ends, counts = record_ends(table)
    cut = ends[int(where * (len(ends) - 1))] if on_a_boundary else int(where * len(data))
    data_dir = tmp_path_factory.mktemp("cut")
    target = table_file(data_dir, table)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data[:cut])
    frame, problems = check_table(data_dir, table)
    errors = [p for p in problems if p.severity == ERROR]
    if cut in ends:
        whole, _ = check_table(paths.DATA_DIR, table)
        before = counts[ends.index(cut)]
        assert frame is not None and len(frame) == before
        pd.testing.assert_frame_equal(
            frame, whole.iloc[:before], check_index_type=False, check_dtype=before > 0
        )
    else:
        assert frame is None and errors, f"{table} cut at byte {cut} was loaded"
        assert all(source.name in p.file for p in errors)


@pytest.mark.parametrize("cut_inside", ["quoted note", "last field", "header"])
def test_the_classic_truncations_name_the_file_and_line(tmp_path, cut_inside):
    source = shipped("epoch_funding_rounds")
    data = source.read_bytes()
    if cut_inside == "quoted note":  # a partial download that stops inside a multi-line note
        cut = data.index(b"\n", data.index(b',"', len(data) // 2)) + 1
    elif cut_inside == "last field":  # the right number of fields, half a value
        cut = len(data) - 3
    else:
        cut = data.index(b"\n") - 2
    target = tmp_path / source.name
    target.write_bytes(data[:cut])
    problems = read_raw_csv(target).problems
    assert problems and all(p.line and source.name in p.file for p in problems)
