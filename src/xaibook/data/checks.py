"""The whole dataset checked: every table typed (``table_cache``), then the problems across
tables (references, claims, Epoch's sources) that no single file shows."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from xaibook import paths
from xaibook.data.bibliography import Source, read_bibliography, snapshot_date
from xaibook.data.columns import LINE, ROW
from xaibook.data.problems import ERROR, WARNING, Problem, display_path, is_dangling_link
from xaibook.data.table_cache import (
    _cached_table_file,
    _local,
    _portable,
    _store,
    _typing_code_digest,
    check_table,
)
from xaibook.data.tables import (
    ALL_TABLES,
    BIBLIOGRAPHY,
    CURATED_TABLES,
    EPOCH_SOURCE_IDS,
    table_file,
)


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


# --- the whole dataset --------------------------------------------------------------------------
def _table_models() -> dict:
    from xaibook.data.schema import TABLE_MODELS

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
