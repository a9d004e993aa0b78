"""Lower and length limits: a nonzero quantity has a resolution (no 1e-300 revenue, whose
multiples could not be printed) and every text column a maximum length (no 100 KB name that
stalls chart layout and breaks LaTeX). Both refusals name the file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.data.test_validate import read_rows, set_cell
from xaibook import paths
from xaibook.data import limits, schema
from xaibook.data.schema import TABLE_MODELS
from xaibook.data.table_cache import check_table
from xaibook.data.tables import table_file

QUANTITY_UNITS = {"USD bn", "USD bn (2025)", "USD", "USD per year", "MW", "H100e"}


def columns_of(table: str) -> dict:
    return TABLE_MODELS[table].to_schema().columns


def text_columns(table: str) -> list[str]:
    return [name for name, column in columns_of(table).items() if "str" in str(column.dtype)]


def row_of(path: Path, column: str, unit: str | None = None) -> int:
    """The first data row (1-based) with a value in ``column`` (and, if given, this unit)."""
    rows = read_rows(path)
    header = rows[0]
    for number, row in enumerate(rows[1:], start=1):
        if row[header.index(column)].strip() and (
            unit is None or row[header.index("unit")] == unit
        ):
            return number
    raise AssertionError(f"no row with {column} in {path}")


@pytest.mark.parametrize("table", list(TABLE_MODELS))
def test_every_quantity_column_has_a_resolution(table):
    for name, column in columns_of(table).items():
        if (column.metadata or {}).get("unit") in QUANTITY_UNITS:
            assert limits.resolution(name) is not None, f"{table}.{name}"


def test_every_metric_unit_has_a_resolution():
    assert set(schema.METRIC_UNIT_RESOLUTIONS) == set(schema.METRIC_UNITS)


@pytest.mark.parametrize(
    ("table", "column", "unit"),
    [
        ("company_metrics", "value", "USD bn"),
        ("funding_rounds", "amount_usd_bn", None),
        ("sites", "power_mw", None),
        ("epoch_revenue_reports", "Annualized revenue (USD)", None),
        ("epoch_data_centers", "Current H100 equivalents", None),
    ],
)
def test_a_tiny_nonzero_quantity_is_refused_and_zero_is_not(data_copy, table, column, unit):
    path = table_file(data_copy, table)
    row = row_of(path, column, unit)
    set_cell(path, column, row, "1e-300")
    _frame, problems = check_table(data_copy, table)
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.row, p.column) for p in errors] == [(row, column)]
    assert "at least" in errors[0].expected or "from" in errors[0].expected
    set_cell(path, column, row, "0")
    _frame, problems = check_table(data_copy, table)
    assert not [p for p in problems if p.severity == "error"]


def test_openais_revenue_at_1e_300_is_refused_by_validate(data_copy):
    # the attack's reproduction: lines 21-22 of company_metrics.csv
    path = data_copy / "company_metrics.csv"
    for row in (20, 21):
        set_cell(path, "value", row, "1e-300")
    result = run_cli("validate", "--data", str(data_copy))
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output
    assert "company_metrics.csv, row 20" in output and "row 21" in output
    assert "1e-06" in output or "0.000001" in output


@pytest.mark.parametrize("table", list(TABLE_MODELS))
def test_every_text_column_has_a_length_limit(table):
    for name, column in columns_of(table).items():
        if "str" in str(column.dtype):
            assert limits.text_limit(name) <= schema.MAX_QUOTATION_CHARS
            assert any(check.name in schema.TEXT_LENGTH_CHECKS for check in column.checks), (
                f"{table}.{name}"
            )


def longest_values(data_dir: Path) -> dict[tuple[str, str], int]:
    import csv

    longest: dict[tuple[str, str], int] = {}
    for table in TABLE_MODELS:
        path = table_file(data_dir, table)
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column in text_columns(table):
                    key = (table, column)
                    longest[key] = max(longest.get(key, 0), len(row.get(column) or ""))
    return longest


def test_the_limits_leave_room_above_the_real_data():
    # at least twice the longest value this folder holds, per column
    for (table, column), length in longest_values(paths.DATA_DIR).items():
        assert 2 * length <= limits.text_limit(column), (table, column, length)


@pytest.mark.parametrize(
    ("table", "column", "limit"),
    [
        ("companies", "name", schema.MAX_LABEL_CHARS),
        ("companies", "note", schema.MAX_PROSE_CHARS),
        ("funding_rounds", "record_id", schema.MAX_ID_CHARS),
        ("epoch_revenue_reports", "Notes", schema.MAX_QUOTATION_CHARS),
        ("epoch_gpu_clusters", "Name", schema.MAX_LABEL_CHARS),
    ],
)
def test_a_cell_over_its_limit_is_refused_and_one_at_it_is_not(data_copy, table, column, limit):
    path = table_file(data_copy, table)
    row = row_of(path, column)
    prefix = "fr-" if column == "record_id" else ""
    set_cell(path, column, row, prefix + "a" * (limit - len(prefix)))
    _frame, problems = check_table(data_copy, table)
    assert not [p for p in problems if p.severity == "error"]
    set_cell(path, column, row, prefix + "a" * (limit + 1 - len(prefix)))
    _frame, problems = check_table(data_copy, table)
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.row, p.column) for p in errors] == [(row, column)]
    assert f"at most {limit:,} characters" in errors[0].expected
    assert f"({limit + 1:,} characters)" in errors[0].message  # the length the cell has


def test_100_kb_strings_are_refused_by_validate(data_copy):
    set_cell(data_copy / "companies.csv", "name", 1, "x" * 100_000)
    result = run_cli("validate", "--data", str(data_copy))
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output
    assert "companies.csv, row 1" in output and "'name'" in output
    assert "at most 300 characters" in output
