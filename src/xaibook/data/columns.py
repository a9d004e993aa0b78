"""Typing one table: each raw CSV cell parsed to its column's kind, then the table checked
against its schema model (``xaibook.data.schema``), every failure a problem that names file, row
and column."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pandera and the schema are imported only where a file is typed: a
    # chapter whose tables come from the cache never pays for them (a second per kernel)
    import pandera.pandas as pa

from xaibook.data.missing import is_missing
from xaibook.data.problems import ERROR, WARNING, Problem
from xaibook.data.rawcsv import RawTable

LINE = "_line"  # hidden column: the line each row starts on, for messages
ROW = "_row"
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?$")
TRUE_WORDS = {"true", "yes", "1", "t", "y"}
FALSE_WORDS = {"false", "no", "0", "f", "n"}
# Epoch's Source 1, Source 2, ... columns: as many as a given export has
EPOCH_SOURCE_COLUMN = re.compile(r"^Source \d+$")


# --- cell parsers (vectorised: a million-row file is typed in seconds) ---------------------------
def _parse_numbers(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values, invalid) for a column of text cells; '' is missing, not invalid."""
    values = _arrow_numbers(cells)
    if values is None:  # some cell is not a number: pandas marks which
        values = pd.to_numeric(cells.where(cells != ""), errors="coerce").astype("float64")
    invalid = (cells != "") & (values.isna() | np.isinf(values))
    return values.where(~invalid), invalid


def _arrow_numbers(cells: pd.Series) -> pd.Series | None:
    """Arrow's C++ parse of a column whose every non-empty cell is a number (the usual case);
    None when any cell is not, or the column is not held by Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(cells.array)
        numbers = pc.cast(
            pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text), pa.float64()
        )
    except (TypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=cells.index, dtype="float64")


# Whole numbers beyond 2**53 lose digits as floats and overflow Int64 further on: no count or
# rank in the dataset comes near, so such a cell is invalid rather than an internal error.
MAX_EXACT_INTEGER = 2**53


def _parse_integers(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    values, invalid = _parse_numbers(cells)
    fractional = values.notna() & (values != values.round())
    invalid = invalid | fractional | (values.abs() > MAX_EXACT_INTEGER)
    return values.where(~invalid).astype("Int64"), invalid


def _parse_dates(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO dates only; impossible days (2025-02-30) and years pandas cannot hold are invalid."""
    shaped = cells.str.fullmatch(ISO_DATE.pattern)
    values = pd.to_datetime(cells.str[:10].where(shaped), format="%Y-%m-%d", errors="coerce")
    # pandas' nanosecond dates hold years 1677..2262; a year 0202 is a typo, not a date
    fits = (values >= pd.Timestamp.min) & (values <= pd.Timestamp.max)
    values = values.where(fits)
    invalid = (cells != "") & values.isna()
    return values.astype("datetime64[ns]"), invalid


def _parse_booleans(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    lowered = cells.str.lower()
    values = lowered.map(dict.fromkeys(TRUE_WORDS, True) | dict.fromkeys(FALSE_WORDS, False))
    invalid = (cells != "") & values.isna()
    return values.astype("boolean"), invalid


def _parse_date(text: str) -> pd.Timestamp:
    """One ISO date (for parameters such as --as-of)."""
    match = ISO_DATE.match(text)
    if not match:
        raise ValueError(text)
    date = dt.date(*(int(part) for part in match.groups()))  # rejects 2025-02-30
    # years outside 1677..2262 do not fit pandas' nanosecond dates: OutOfBoundsDatetime
    return pd.Timestamp(date).as_unit("ns")


# dtype (as pandera reports it) -> (vectorised parser, what the user should write)
PARSERS = {
    "float64": (_parse_numbers, "a number, e.g. 12.5"),
    "Int64": (_parse_integers, "a whole number, e.g. 3"),
    "datetime64[ns]": (_parse_dates, "a date written YYYY-MM-DD"),
    "boolean": (_parse_booleans, "true or false"),
}


def _column_kind(column: pa.Column) -> str:
    return str(column.dtype)


def _expected_text(column: pa.Column) -> str:
    kind = _column_kind(column)
    expected = PARSERS[kind][1] if kind in PARSERS else "text"
    unit = (column.metadata or {}).get("unit")
    return f"{expected} ({unit})" if unit else expected


# --- one table ----------------------------------------------------------------------------------
def _match_columns(raw: RawTable, schema: pa.DataFrameSchema, strict: bool) -> list[Problem]:
    problems = []
    header = set(raw.header)
    declared = set(schema.columns)
    unknown = [column for column in raw.header if column not in declared]
    for name, column in schema.columns.items():
        if name in header or (column.metadata or {}).get("optional"):
            continue
        guess = difflib.get_close_matches(name, unknown, n=1, cutoff=0.6)
        hint = f" (found {guess[0]!r}: misspelt or renamed?)" if guess else ""
        problems.append(
            Problem(
                file=raw.name,
                line=1,
                column=name,
                message=f"required column is missing{hint}",
                expected=f"a column named {name!r} holding {_expected_text(column)}",
            )
        )
    if strict:
        for name in unknown:
            if EPOCH_SOURCE_COLUMN.match(name):
                continue
            guess = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.6)
            hint = f"; did you mean {guess[0]!r}?" if guess else ""
            problems.append(
                Problem(
                    file=raw.name,
                    line=1,
                    column=name,
                    message=f"unknown column{hint}",
                    expected="only the columns of the schema (data/README.md)",
                )
            )
    return problems


def _type_columns(
    raw: RawTable, schema: pa.DataFrameSchema
) -> tuple[pd.DataFrame, list[Problem], set[tuple[str, int]]]:
    """Typed frame indexed by row number; invalid cells become missing and are reported."""
    problems: list[Problem] = []
    reported: set[tuple[str, int]] = set()
    row_numbers = pd.RangeIndex(1, raw.row_count + 1, name=ROW)
    text = raw.cells.set_axis(row_numbers)
    lines = pd.Series(raw.lines, index=row_numbers)
    columns: dict[str, pd.Series] = {}
    for name, column in schema.columns.items():
        if name not in text:
            columns[name] = pd.Series(None, index=row_numbers, dtype="object")
            continue
        cells = text[name].str.strip()
        kind = _column_kind(column)
        if kind not in PARSERS:  # text
            columns[name] = cells.where(cells != "").astype("str")
            continue
        parse = PARSERS[kind][0]
        values, invalid = parse(cells)
        columns[name] = values
        lenient = (column.metadata or {}).get("on_invalid") == "warn"
        for row in invalid[invalid].index:  # only the bad cells are visited one by one
            reported.add((name, row))
            problems.append(
                Problem(
                    file=raw.name,
                    line=int(lines[row]),
                    row=int(row),
                    column=name,
                    message=f"{cells[row][:60]!r} is not valid"
                    + ("; treated as missing" if lenient else ""),
                    expected=_expected_text(column),
                    severity=WARNING if lenient else ERROR,
                )
            )
    frame = pd.DataFrame(columns, index=row_numbers)
    frame[LINE] = lines
    # Source 1..N of Epoch files, kept together so several sources per row survive
    source_columns = sorted(
        (c for c in raw.header if EPOCH_SOURCE_COLUMN.match(c)), key=lambda c: int(c.split()[1])
    )
    if source_columns:
        joined = pd.Series("", index=row_numbers, dtype="object")
        for column in source_columns:
            link = text[column].str.strip()
            separator = pd.Series(np.where(joined == "", "", " ; "), index=row_numbers)
            joined = joined.where(link == "", joined + separator + link)
        frame["source_urls"] = joined
    return frame, problems, reported


CHECK_WORDS = [
    (re.compile(r"^greater_than_or_equal_to\((.*)\)$"), "at least {0}"),
    (re.compile(r"^less_than_or_equal_to\((.*)\)$"), "at most {0}"),
    (re.compile(r"^greater_than\((.*)\)$"), "more than {0}"),
    (re.compile(r"^less_than\((.*)\)$"), "less than {0}"),
    (re.compile(r"^isin\((.*)\)$"), "one of {0}"),
    (re.compile(r"^str_matches\('?(.*?)'?\)$"), "text matching the pattern {0}"),
    (re.compile(r"^field_uniqueness$"), "a value no other row has"),
    (re.compile(r"^not_nullable$"), "a value (this column is required)"),
]


def _readable_bound(text: str) -> str:
    """'100000000000000.0' -> '100,000,000,000,000'; anything not a plain number as it is."""
    try:
        number = float(text)
    except ValueError:
        return text
    return f"{number:,.0f}" if number.is_integer() else f"{number:,}"


def _describe_check(check: str) -> str:
    check = check.replace(" 00:00:00", "")
    for pattern, words in CHECK_WORDS:
        match = pattern.match(check)
        if match:
            return words.format(*(_readable_bound(group) for group in match.groups()))
    return f"to pass {check}"


def _apply_schema(
    frame: pd.DataFrame, raw: RawTable, schema: pa.DataFrameSchema, reported: set[tuple[str, int]]
) -> list[Problem]:
    from pandera.errors import SchemaErrors

    problems: list[Problem] = []
    checked = frame.drop(columns=[c for c in frame.columns if c not in schema.columns])
    # checks on whole rows (a value whose range depends on its unit) name the column they judge
    row_checks = {check.name: check.statistics for check in schema.checks}
    try:
        schema.validate(checked, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        for case in cases.itertuples(index=False):
            column = case.column if isinstance(case.column, str) else None
            index = case.index
            row = int(index) if index is not None and not pd.isna(index) else None
            if column is not None and row is not None and (column, row) in reported:
                continue  # already reported as unparsable
            expected = _describe_check(str(case.check))
            row_check = row_checks.get(str(case.check))
            if row_check is not None and "column" in row_check:
                if column != row_check["column"]:
                    continue  # the same failing row, shown at another of its cells
                unit = frame.at[row, row_check["unit_column"]] if row is not None else None
                low, high = row_check["ranges"].get(unit, (None, None))
                expected = f"a value from {low:,g} to {high:,g} ({unit})" if high else expected
            meta = (schema.columns[column].metadata or {}) if column in schema.columns else {}
            lenient = meta.get("on_invalid") == "warn"
            if lenient and row is not None:
                frame.loc[row, column] = pd.NA
            value = case.failure_case
            if row is not None and column in raw.header:  # show the cell as the user typed it
                value = raw.cell(row, column).strip() or None
            shown = "missing" if is_missing(value) else repr(str(value)[:60])
            if expected.endswith(" characters") and not is_missing(value):
                shown += f" ({len(str(value)):,} characters)"  # the cut quote hides its length
            problems.append(
                Problem(
                    file=raw.name,
                    line=raw.lines[row - 1] if row is not None else None,
                    row=row,
                    column=column,
                    message=f"{shown} is not allowed" + ("; treated as missing" if lenient else ""),
                    expected=expected,
                    severity=WARNING if lenient else ERROR,
                )
            )
    return problems


def _alias_renames(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """Map Epoch's published column names to the schema's python attribute names."""
    renames = {}
    for alias, (_annotation, field_info) in model._collect_fields().items():
        if field_info is not None and field_info.original_name != alias:
            renames[alias] = field_info.original_name
    return renames
