"""Load the dataset: parse, type and check every table against xaibook.schema.

``check_dataset`` returns typed tables plus every problem found (the validator prints them);
``load_dataset`` is what chapters call: it raises DataError on any error and can restrict the
data to what had been published by an ``as_of`` date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import hashlib
import os
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pandera and the schema are imported only where a file is typed: a
    # chapter whose tables come from the cache never pays for them (a second per kernel)
    import pandera.pandas as pa

from xaibook import paths
from xaibook.bibliography import Source, read_bibliography, snapshot_date
from xaibook.errors import DataError
from xaibook.formatting import is_missing
from xaibook.problems import ERROR, WARNING, Problem, display_path, is_dangling_link
from xaibook.rawcsv import RawTable, read_raw_csv
from xaibook.tables import (
    ALL_TABLES,
    BIBLIOGRAPHY,
    CURATED_TABLES,
    EPOCH,
    EPOCH_SOURCE_IDS,
    table_file,
)

LINE = "_line"  # hidden column: the line each row starts on, for messages
ROW = "_row"
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?$")
TRUE_WORDS = {"true", "yes", "1", "t", "y"}
FALSE_WORDS = {"false", "no", "0", "f", "n"}
# Epoch's Source 1, Source 2, ... columns: as many as a given export has
EPOCH_SOURCE_COLUMN = re.compile(r"^Source \d+$")


@dataclass
class CheckedDataset:
    data_dir: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == WARNING]


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


TABLE_CACHE_VERSION = "2"  # 2: problems cached with absolute file names
# The typed table depends on these files only (plus the CSV's bytes): a change to any of them
# invalidates every cached table.
_TYPING_CODE = ("schema.py", "dataset.py", "rawcsv.py", "problems.py")


@functools.cache
def _typing_code_digest() -> str:
    digest = hashlib.sha256(TABLE_CACHE_VERSION.encode())
    for name in _TYPING_CODE:
        digest.update((paths.PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()


def _cached_table_file(data_dir: Path, table: str) -> Path | None:
    """Where the typed copy of this exact file is kept; None if the file is missing.

    Keyed by the file's absolute path and bytes, never by the working directory: the
    validator runs from the repository, each chapter from its own folder, and all of them
    must find the same entry.
    """
    file = table_file(data_dir, table)
    if not file.is_file():
        return None
    digest = hashlib.sha256(_typing_code_digest().encode())
    digest.update(f"{table}\0{file.resolve()}\0{_file_digest(file)}".encode())
    return paths.cache_dir() / "tables" / f"{table}-{digest.hexdigest()[:32]}.pkl"


@functools.lru_cache(maxsize=256)
def _digest_of(path: str, size: int, mtime_ns: int, ctime_ns: int, inode: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_digest(file: Path) -> str:
    """SHA-256 of a file's bytes, read once per process while the file is unchanged (any
    write changes its ctime): a chapter asks for each table's digest several times."""
    stat = file.stat()
    return _digest_of(
        str(file.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino
    )


def _portable(problems: list[Problem]) -> list[Problem]:
    """Problems as cached: file names absolute, whatever the working directory."""
    return [dataclasses.replace(p, file=str(Path(p.file).resolve())) for p in problems]


def _local(problems: list[Problem]) -> list[Problem]:
    """Cached problems named as this process shows paths (relative to its working folder)."""
    return [dataclasses.replace(p, file=display_path(Path(p.file))) for p in problems]


def check_table(data_dir: Path, table: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse, type and check one table; the frame is None when the file cannot be read.

    Typing a large file takes seconds and every chapter reads the same files, so the typed
    frame and its problems are kept in the cache, keyed by the file's bytes and this code.
    """
    cached = _cached_table_file(data_dir, table)
    if cached is not None and cached.is_file():
        try:
            with open(cached, "rb") as handle:
                frame, problems = pickle.load(handle)
            if frame is not None:
                frame.attrs["file"] = display_path(table_file(data_dir, table))
            return frame, _local(problems)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            pass  # a damaged entry is simply rebuilt
    frame, problems = _check_table_uncached(data_dir, table)
    if cached is not None:
        _store(cached, (frame, _portable(problems)))
    return frame, problems


def _store(target: Path, value: object) -> None:
    """Write atomically; a cache that cannot be written is only slower, never wrong."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except OSError:
        pass


def _check_table_uncached(data_dir: Path, table: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    from xaibook.schema import TABLE_MODELS

    model = TABLE_MODELS[table]
    schema = model.to_schema()
    raw = read_raw_csv(table_file(data_dir, table))
    if raw.problems:
        return None, raw.problems
    strict = table in CURATED_TABLES
    problems = _match_columns(raw, schema, strict=strict)
    if any(p.severity == ERROR for p in problems):
        return None, problems
    frame, type_problems, reported = _type_columns(raw, schema)
    problems += type_problems
    problems += _apply_schema(frame, raw, schema, reported)
    # python field names (Epoch files keep their published column names in the CSV)
    frame = frame.rename(columns=_alias_renames(model))
    problems.sort(key=lambda problem: (problem.line or 0, problem.column or ""))
    frame.attrs["file"] = raw.name
    return frame, problems


def _alias_renames(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """Map Epoch's published column names to the schema's python attribute names."""
    renames = {}
    for alias, (_annotation, field_info) in model._collect_fields().items():
        if field_info is not None and field_info.original_name != alias:
            renames[alias] = field_info.original_name
    return renames


# --- the whole dataset --------------------------------------------------------------------------
def _table_models() -> dict:
    from xaibook.schema import TABLE_MODELS

    return TABLE_MODELS


def _reference_problems(checked: CheckedDataset) -> list[Problem]:
    """Foreign keys declared in field metadata: ``references`` = "table.column" / bibliography."""
    problems: list[Problem] = []
    # pandas Index objects, not Python sets: Series.isin with a set walks it in Python
    record_frames = [checked.tables[t]["record_id"] for t in CURATED_TABLES if t in checked.tables]
    all_record_ids = pd.Index(
        pd.concat(record_frames).dropna().unique() if record_frames else [], dtype="object"
    )
    models = _table_models()
    # One hashed index per referenced column, however many columns point at it.
    known_by_target: dict[str, pd.Index] = {}
    for table, frame in checked.tables.items():
        model = models[table]
        for alias, (_annotation, info) in model._collect_fields().items():
            meta = (info.metadata or {}) if info is not None else {}
            target = meta.get("references")
            name = info.original_name if info is not None else alias
            if not target or name not in frame:
                continue
            if target == "bibliography":
                known, label = pd.Index(list(checked.sources)), "a key of references.bib"
                if not checked.sources:
                    continue  # the bibliography itself failed; already reported
            elif target == "*.record_id":
                known, label = all_record_ids, "record_id of a row in another table"
            else:
                target_table, target_column = target.split(".")
                if target_table not in checked.tables:
                    continue  # target not loaded (or failed): reported there
                known = None
                if target not in known_by_target:
                    known = checked.tables[target_table][target_column].dropna().unique()
                label = f"a {target_column} of {table_file(checked.data_dir, target_table).name}"
            if target not in known_by_target:
                # plain objects: pandas' look-ups on arrow strings walk in Python
                known_by_target[target] = pd.Index(np.asarray(known, dtype=object))
            # A link into third-party data that a newer download dropped is worth a warning,
            # not a refusal: the curated fact still stands on its own source.
            severity = WARNING if target.startswith("epoch_") else ERROR
            separator = meta.get("list_separator")
            values = frame[name][frame[name].notna()]
            if separator:
                values = values.astype(str).str.split(separator).explode().str.strip()
                values = values[values != ""]
            # look up each distinct value once; rows are visited only for unknown ones
            distinct = np.asarray(values.unique(), dtype=object)
            unknown = distinct[known_by_target[target].get_indexer(distinct) < 0]
            if len(unknown) == 0:
                continue
            for row, item in values[values.isin(unknown)].items():
                problems.append(
                    Problem(
                        file=frame.attrs["file"],
                        line=int(frame.at[row, LINE]),
                        row=int(row),
                        column=alias,
                        message=f"unknown reference {item!r}",
                        expected=label,
                        severity=severity,
                    )
                )
    return problems


def _claim_problems(checked: CheckedDataset) -> list[Problem]:
    """record_id unique across tables; claim ranks unique within a claim and present with it."""
    parts = []
    for table in CURATED_TABLES:
        frame = checked.tables.get(table)
        if frame is not None:
            part = frame[[LINE, "record_id", "claim_id", "claim_rank"]].reset_index()
            parts.append(part.assign(file=frame.attrs["file"]))
    if not parts:
        return []
    rows = pd.concat(parts, ignore_index=True)
    rows["where"] = rows["file"] + " row " + rows[ROW].astype(str)

    def problem(row: pd.Series, column: str, message: str, expected: str) -> Problem:
        return Problem(
            file=row["file"],
            line=int(row[LINE]),
            row=int(row[ROW]),
            column=column,
            message=message,
            expected=expected,
        )

    problems = []
    first_file = rows.groupby("record_id")["file"].transform("first")
    for _, row in rows[rows["file"] != first_file].iterrows():
        problems.append(
            problem(
                row,
                "record_id",
                f"{row['record_id']!r} is also used in {first_file[row.name]}",
                "record ids unique across all tables",
            )
        )
    has_claim, has_rank = rows["claim_id"].notna(), rows["claim_rank"].notna()
    for _, row in rows[has_claim != has_rank].iterrows():
        problems.append(
            problem(
                row,
                "claim_rank" if pd.notna(row["claim_id"]) else "claim_id",
                "claim_id and claim_rank must be given together",
                "both empty, or a claim_id with a rank 1, 2, …",
            )
        )
    ranked = rows[has_claim & has_rank]
    first_place = ranked.groupby(["claim_id", "claim_rank"])["where"].transform("first")
    repeated = ranked.duplicated(["claim_id", "claim_rank"], keep="first")
    for index, row in ranked[repeated].iterrows():
        problems.append(
            problem(
                row,
                "claim_rank",
                f"rank {int(row['claim_rank'])} of claim {row['claim_id']!r} is "
                f"also given in {first_place[index]}",
                "one row per rank within a claim",
            )
        )
    return problems


# Below this much CSV, starting worker processes costs more than typing the files in one.
PARALLEL_MIN_BYTES = 20_000_000


def _check_tables(
    data_dir: Path, tables: list[str]
) -> list[tuple[pd.DataFrame | None, list[Problem]]]:
    """check_table for each table; large files not yet in the cache are typed on every core.

    Workers only fill the cache (sending a large frame back through a pipe costs as much as
    reading it from the cache); this process then reads every table from the cache.
    """
    sizes = {}
    for table in tables:
        cached = _cached_table_file(data_dir, table)
        if cached is not None and not cached.is_file():
            sizes[table] = table_file(data_dir, table).stat().st_size
    uncached = list(sizes)
    workers = min(os.cpu_count() or 1, len(uncached))
    if sum(sizes.values()) >= PARALLEL_MIN_BYTES and workers >= 2:
        from concurrent.futures import ProcessPoolExecutor

        largest_first = sorted(sizes, key=sizes.get, reverse=True)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_fill_cache, [data_dir] * len(largest_first), largest_first))
    return [check_table(data_dir, table) for table in tables]


def _fill_cache(data_dir: Path, table: str) -> None:
    check_table(data_dir, table)


def check_dataset(data_dir: Path, tables: Iterable[str] | None = None) -> CheckedDataset:
    """Check ``tables`` (default: all) of ``data_dir``; never raises for bad data."""
    data_dir = Path(data_dir)
    checked = CheckedDataset(data_dir=data_dir)
    if not data_dir.is_dir():
        dangling = is_dangling_link(data_dir)
        checked.problems.append(
            Problem(
                file=display_path(data_dir),
                message="is a symbolic link to nothing (or a loop of links)"
                if dangling
                else "data folder does not exist",
                expected="a folder with the dataset's CSV files",
            )
        )
        return checked
    wanted = [t for t in (ALL_TABLES if tables is None else tables) if t != BIBLIOGRAPHY]
    checked.sources, bib_problems = read_bibliography(paths.BIBLIOGRAPHY_FILE)
    checked.problems += bib_problems
    for table, (frame, problems) in zip(wanted, _check_tables(data_dir, wanted), strict=True):
        checked.problems += problems
        if frame is not None:
            checked.tables[table] = frame
    checked.problems += _cross_table_problems(checked, wanted)
    return checked


def _cross_table_problems(checked: CheckedDataset, tables: list[str]) -> list[Problem]:
    """References and claims across tables; cached like the tables themselves, keyed by every
    file involved, because each chapter checks the same files again.

    A chapter reads some of the tables the validator checked before it (all of them): the
    validator's result, narrowed to the chapter's files, then stands for the chapter's own.
    """
    everything = [t for t in ALL_TABLES if t != BIBLIOGRAPHY]
    whole = _cached_checks(checked.data_dir, everything)
    if whole.is_file() and set(tables) < set(everything):
        try:
            with open(whole, "rb") as handle:
                problems = pickle.load(handle)
            files = {str(table_file(checked.data_dir, t).resolve()) for t in tables}
            return _local([p for p in problems if p.file in files])
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            pass
    target = _cached_checks(checked.data_dir, tables)
    try:
        with open(target, "rb") as handle:
            return _local(pickle.load(handle))
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        problems = _reference_problems(checked) + _claim_problems(checked)
        _store(target, _portable(problems))
        return problems


def _cached_checks(data_dir: Path, tables: list[str]) -> Path:
    digest = hashlib.sha256(_typing_code_digest().encode())
    for table in tables:
        cached = _cached_table_file(data_dir, table)
        digest.update(f"{table}:{cached.name if cached else 'missing'};".encode())
    if paths.BIBLIOGRAPHY_FILE.is_file():
        digest.update(paths.BIBLIOGRAPHY_FILE.read_bytes())
    return paths.cache_dir() / "checks" / f"{digest.hexdigest()[:32]}.pkl"


def epoch_source_problems(checked: CheckedDataset) -> list[Problem]:
    """Each Epoch file needs its bibliography entry, dated: rows without a report date of their
    own take that date as their publication date."""
    if not checked.sources:
        return []
    keys = sorted(
        {EPOCH_SOURCE_IDS[table] for table in checked.tables if table in EPOCH_SOURCE_IDS}
    )
    return [
        Problem(
            file=display_path(paths.BIBLIOGRAPHY_FILE),
            message=f"entry {key!r} crediting the Epoch AI data is missing or has no date",
            expected=f"@misc{{{key}, ..., urldate = {{YYYY-MM-DD}}}}: the day it was downloaded",
        )
        for key in keys
        if checked.sources.get(key) is None or snapshot_date(checked.sources[key]) is None
    ]


# --- what chapters use --------------------------------------------------------------------------
EPOCH_CONFIDENCE = {
    "confident": "high",
    "confirmed": "high",
    "likely": "medium",
    "speculative": "low",
    "uncertain": "low",
    "unlikely": "low",
}
EPOCH_STATUS = {
    "closed": "reported",
    "existing": "reported",
    "decommissioned": "reported",
    "planned": "plan",
}
USD_PER_BN = 1e9
# The companies table is a register of names: its rows are cut by what the edition's other rows
# show was known by its date (``_known_companies``), not by their own publication date alone.
AS_OF_EXEMPT = {"companies"}
COMPANY_REFERENCE = "companies.company_id"


def _known_companies(tables: dict[str, pd.DataFrame], cutoff: pd.Timestamp) -> pd.DataFrame:
    """The register of companies as of ``cutoff``: a company is known by then when its row was
    published by then, when a row the edition keeps names it (a round xAI raised in 2024 names
    xAI, whatever the date of the register's row), or when Epoch AI's data, which the edition
    holds as of its snapshot, names it. Nothing first named later stays: an edition as of 2025
    does not list the investors first named in January 2026."""
    companies = tables["companies"]
    named = set()
    models = _table_models()
    for table, frame in tables.items():
        if table == "companies":
            continue
        for alias, (_annotation, info) in models[table]._collect_fields().items():
            meta = (info.metadata or {}) if info is not None else {}
            column = info.original_name if info is not None else alias
            if meta.get("references") == COMPANY_REFERENCE and column in frame:
                named.update(frame[column].dropna())
    by_epoch = companies["epoch_name"].notna() & any(
        table in EPOCH_SOURCE_IDS and not frame.empty for table, frame in tables.items()
    )
    known = (
        (companies["published_date"] <= cutoff)
        | companies["company_id"].isin(list(named))
        | by_epoch
    )
    return companies[known]


def epoch_confidence(words: pd.Series) -> pd.Series:
    """Epoch's confidence words on the book's scale; words it does not know stay 'unrated'."""
    text = words.astype("str")  # a missing word becomes "nan", which is unrated
    # a handful of distinct words in any number of rows: clean each once
    distinct = pd.Series(text.unique())
    cleaned = distinct.str.split("#").str[-1].str.strip().str.lower()
    scale = cleaned.map(EPOCH_CONFIDENCE).fillna("unrated").set_axis(distinct).to_dict()
    return text.map(scale)


def _first_date(*candidates: pd.Series) -> pd.Series:
    result = candidates[0]
    for candidate in candidates[1:]:
        result = result.fillna(candidate)
    return result


def _normalise_epoch(table: str, frame: pd.DataFrame, snapshot: pd.Timestamp) -> pd.DataFrame:
    """Book units (USD bn), the book's confidence scale, and a publication date for --as-of."""
    frame = frame.copy()
    frame["source_id"] = EPOCH_SOURCE_IDS[table]
    snapshot_series = pd.Series(snapshot, index=frame.index, dtype="datetime64[ns]")
    for column in [c for c in frame.columns if c.endswith("_usd")]:
        frame[f"{column}_bn"] = frame[column] / USD_PER_BN
    if "epoch_confidence" in frame:
        frame["confidence"] = epoch_confidence(frame["epoch_confidence"])
    elif "certainty" in frame:
        frame["confidence"] = epoch_confidence(frame["certainty"])
    else:
        frame["confidence"] = "medium"  # Epoch's estimates from filings and satellite imagery
    # the dates for --as-of, by the table's declared columns (xaibook.tables.EPOCH): known
    # when first reported, else when it happened if that makes it public, else by the snapshot
    dates = EPOCH[table]
    published = snapshot_series
    if dates.known_when_it_happens:
        published = _first_date(frame[dates.fact_date].clip(upper=snapshot), published)
    if dates.report_date:
        published = _first_date(frame[dates.report_date], published)
    frame["published_date"] = published
    frame["fact_date"] = (
        _first_date(frame[dates.fact_date], published) if dates.fact_date else published
    )
    return frame


@dataclass
class Dataset:
    """Validated tables, optionally as of a date. Access tables as attributes or by name."""

    data_dir: Path
    tables: dict[str, pd.DataFrame]
    sources: dict[str, Source]
    warnings: list[Problem]
    as_of: pd.Timestamp | None = None

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"table {name!r} was not loaded; loaded: {', '.join(tables)}")

    def __getitem__(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def company_names(self) -> dict[str, str]:
        companies = self.tables.get("companies")
        if companies is None:
            return {}
        return companies.set_index("company_id")["name"].to_dict()


def parse_as_of(as_of: object) -> pd.Timestamp | None:
    """None, a date, or an ISO string → a Timestamp at the end of that day's date."""
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return None
    if isinstance(as_of, pd.Timestamp):
        return as_of.normalize()
    if isinstance(as_of, dt.date):
        return pd.Timestamp(as_of)
    try:
        return _parse_date(str(as_of).strip())
    except (ValueError, pd.errors.OutOfBoundsDatetime):
        from xaibook.errors import ParameterError

        raise ParameterError(f"as_of: {as_of!r} is not a date; expected YYYY-MM-DD") from None


def load_dataset(
    data_dir: Path | str = paths.DATA_DIR, tables: Iterable[str] | None = None, as_of: object = None
) -> Dataset:
    """Validated tables; with ``as_of``, only rows published on or before that date.

    Raises DataError (one line per problem) when the requested tables are not valid.
    """
    checked = check_dataset(Path(data_dir), tables)
    checked.problems += epoch_source_problems(checked)
    if checked.errors:
        raise DataError(checked.errors)
    cutoff = parse_as_of(as_of)
    result = {}
    for table, frame in checked.tables.items():
        if table in EPOCH_SOURCE_IDS:
            snapshot = snapshot_date(checked.sources[EPOCH_SOURCE_IDS[table]])
            frame = _normalise_epoch(table, frame, pd.Timestamp(snapshot))
        if cutoff is not None and table not in AS_OF_EXEMPT:
            frame = frame[frame["published_date"] <= cutoff]
        result[table] = frame.drop(columns=[LINE]).copy()
    if cutoff is not None and "companies" in result:
        result["companies"] = _known_companies(result, cutoff)
    return Dataset(
        data_dir=Path(data_dir),
        tables=result,
        sources=checked.sources,
        warnings=checked.warnings,
        as_of=cutoff,
    )
