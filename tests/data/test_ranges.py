"""Numbers no source could give are refused: every numeric column has finite bounds in the
schema, and a value beyond them (1e308, inf, nan, a 30-digit rank) is an error naming the
file, row and column, never an internal error and never a page printing "inf"."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import run_cli
from tests.data.test_validate import read_rows, set_cell, write_rows
from xaibook.data.dataset import load_dataset
from xaibook.data.schema import METRIC_UNIT_RANGES, TABLE_MODELS
from xaibook.data.table_cache import check_table
from xaibook.data.tables import table_file

NUMERIC_TYPES = {"float64", "Int64"}


def numeric_columns(table: str) -> list[str]:
    """Numeric columns of ``table`` under their names in the CSV file."""
    schema = TABLE_MODELS[table].to_schema()
    return [name for name, column in schema.columns.items() if str(column.dtype) in NUMERIC_TYPES]


def bounds(column) -> tuple[float, float]:
    low = high = None
    for check in column.checks:
        if check.name in ("greater_than_or_equal_to", "greater_than"):
            low = check.statistics["min_value"]
        if check.name in ("less_than_or_equal_to", "less_than"):
            high = check.statistics["max_value"]
    return low, high


@pytest.mark.parametrize("table", list(TABLE_MODELS))
def test_every_numeric_column_has_finite_bounds(table):
    schema = TABLE_MODELS[table].to_schema()
    for name in numeric_columns(table):
        low, high = bounds(schema.columns[name])
        assert low is not None and high is not None, f"{table}.{name} has no range"
        assert math.isfinite(low) and math.isfinite(high) and high < 1e15, f"{table}.{name}"


def test_every_metric_unit_has_a_range():
    from xaibook.data.schema import METRIC_UNITS

    assert set(METRIC_UNIT_RANGES) == set(METRIC_UNITS)


@pytest.mark.parametrize("table", [t for t in TABLE_MODELS if numeric_columns(t)])
def test_a_number_no_source_could_give_is_refused_with_file_row_and_column(table, data_copy):
    # column i is forged in data row i (rows the file has; a short file repeats rows)
    path = table_file(data_copy, table)
    rows = read_rows(path)
    header = rows[0]
    forged = {}
    for offset, column in enumerate(numeric_columns(table)):
        row = 1 + offset % (len(rows) - 1)
        value = "1e308" if offset % 2 == 0 else "99999999999999999999999"
        rows[row][header.index(column)] = value
        forged.setdefault(row, []).append(column)
    write_rows(path, rows)
    _frame, problems = check_table(data_copy, table)
    errors = {(p.row, p.column) for p in problems if p.severity == "error"}
    for row, columns in forged.items():
        for column in columns:
            assert (row, column) in errors, f"{table} row {row} {column}: {problems}"
    assert all(path.name in p.file for p in problems)


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "NaN", "1e400", "1e308", "-1"])
def test_non_finite_money_is_refused_from_the_command_line(data_copy, text):
    set_cell(data_copy / "funding_rounds.csv", "amount_usd_bn", 1, text)
    result = run_cli("validate", "--data", str(data_copy))
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output and "internal" not in output
    assert "funding_rounds.csv, row 1" in output and "'amount_usd_bn'" in output


def test_a_huge_whole_number_is_a_validation_error_not_an_internal_error(data_copy):
    set_cell(data_copy / "funding_rounds.csv", "claim_rank", 2, "99999999999999999999")
    set_cell(data_copy / "risks.csv", "likelihood", 1, "1e30")
    result = run_cli("validate", "--data", str(data_copy))
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output and "internal" not in output
    assert "funding_rounds.csv, row 2" in output and "'claim_rank'" in output
    assert "risks.csv, row 1" in output and "'likelihood'" in output


def test_a_metric_is_bounded_by_its_own_unit(data_copy):
    path = data_copy / "company_metrics.csv"
    rows = read_rows(path)
    header = rows[0]
    row = next(i for i, r in enumerate(rows) if r[header.index("unit")] == "percent")
    set_cell(path, "value", row, "5000")  # a billion is a fine count, not a fine percentage
    _frame, problems = check_table(data_copy, "company_metrics")
    [problem] = [p for p in problems if p.severity == "error"]
    assert (problem.row, problem.column) == (row, "value")
    assert "percent" in problem.expected


def test_no_loaded_number_is_infinite_or_beyond_its_bounds():
    dataset = load_dataset(Path("data"))
    for name, frame in dataset.tables.items():
        numbers = frame.select_dtypes(include=[np.number]).astype("float64")
        assert np.isfinite(numbers.to_numpy()[~pd.isna(numbers.to_numpy())]).all(), name
