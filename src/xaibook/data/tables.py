"""Names and files of the dataset's tables (the single place that maps a table to its file).

Curated tables live in ``data/<name>.csv``; Epoch AI exports keep their published file names in
``data/epoch/``. The build's cache uses ``table_files`` to hash exactly what a chapter reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xaibook import paths

CURATED_TABLES: tuple[str, ...] = (
    "companies",
    "funding_rounds",
    "investments",
    "valuations",
    "company_metrics",
    "sites",
    "competitors",
    "timeline",
    "risks",
)


@dataclass(frozen=True)
class EpochTable:
    """How one Epoch AI export is read: its file, the references.bib entry that credits it and
    the columns that date its rows for ``--as-of``. This and its schema model
    (``xaibook.data.schema.TABLE_MODELS``) are all a new Epoch table needs."""

    file: str  # Epoch's own file name, kept so a fresh download can be dropped in place
    # references.bib entry that credits the file; its `date` is the snapshot we hold, the
    # publication date of rows that carry no report date of their own
    source_id: str
    fact_date: str | None = None  # column: when the fact happened (missing: the snapshot)
    report_date: str | None = None  # column: when the fact was first reported
    # a fact is public once it happens (a round's close), so a row with no report date is
    # known by its own date, no later than the snapshot
    known_when_it_happens: bool = False


EPOCH: dict[str, EpochTable] = {
    "epoch_companies": EpochTable(
        "ai_companies.csv", "epoch2025aicompanies", fact_date="founding_date"
    ),
    "epoch_funding_rounds": EpochTable(
        "ai_companies_funding_rounds.csv", "epoch2025aicompanies",
        fact_date="close_date", report_date="report_date", known_when_it_happens=True,
    ),
    "epoch_revenue_reports": EpochTable(
        "ai_companies_revenue_reports.csv", "epoch2025aicompanies",
        fact_date="date", report_date="report_date", known_when_it_happens=True,
    ),
    "epoch_compute_spend": EpochTable(
        "ai_companies_compute_spend.csv", "epoch2025aicompanies",
        fact_date="date", report_date="report_date",
    ),
    "epoch_data_centers": EpochTable("data_centers.csv", "epoch2025datacenters"),
    "epoch_data_center_timelines": EpochTable(
        "data_center_timelines.csv", "epoch2025datacenters", fact_date="date"
    ),
    "epoch_gpu_clusters": EpochTable(
        "gpu_clusters.csv", "epoch2025gpuclusters", fact_date="first_operational_date"
    ),
}  # fmt: skip
# derived views, for the callers that need only one attribute
EPOCH_TABLES: dict[str, str] = {name: table.file for name, table in EPOCH.items()}
EPOCH_SOURCE_IDS: dict[str, str] = {name: table.source_id for name, table in EPOCH.items()}

BIBLIOGRAPHY = "bibliography"  # references.bib: source ids resolve here

ALL_TABLES: tuple[str, ...] = (*CURATED_TABLES, *EPOCH_TABLES, BIBLIOGRAPHY)


def table_file(data_dir: Path, table: str) -> Path:
    """The file that holds ``table`` inside ``data_dir``."""
    data_dir = Path(data_dir)
    if table in CURATED_TABLES:
        return data_dir / f"{table}.csv"
    if table in EPOCH_TABLES:
        return paths.epoch_dir(data_dir) / EPOCH_TABLES[table]
    if table == BIBLIOGRAPHY:
        return paths.BIBLIOGRAPHY_FILE
    raise KeyError(f"unknown table {table!r}; known: {', '.join(ALL_TABLES)}")


def table_files(data_dir: Path, tables: tuple[str, ...] | list[str]) -> list[Path]:
    """Files behind ``tables``, in a stable order."""
    return [table_file(data_dir, table) for table in sorted(set(tables))]
