"""Load the dataset: what chapters call. ``load_dataset`` checks every table (``checks``),
raises DataError on any error, puts Epoch's exports in the book's units and dates, and can
restrict the data to what had been published by an ``as_of`` date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from xaibook import paths
from xaibook.data.bibliography import Source, snapshot_date
from xaibook.data.checks import _table_models, check_dataset, epoch_source_problems
from xaibook.data.columns import LINE, _parse_date
from xaibook.data.problems import Problem
from xaibook.data.tables import EPOCH, EPOCH_SOURCE_IDS
from xaibook.errors import DataError

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
    # the dates for --as-of, by the table's declared columns (xaibook.data.tables.EPOCH): known
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
