"""Names and files of the dataset's tables (the single place that maps a table to its file).

Curated tables live in ``data/<name>.csv``; Epoch AI exports keep their published file names in
``data/epoch/``. The build's cache uses ``table_files`` to hash exactly what a chapter reads.
"""

from __future__ import annotations

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

# logical name -> Epoch's own file name (kept so a fresh download can be dropped in place)
EPOCH_TABLES: dict[str, str] = {
    "epoch_companies": "ai_companies.csv",
    "epoch_funding_rounds": "ai_companies_funding_rounds.csv",
    "epoch_revenue_reports": "ai_companies_revenue_reports.csv",
    "epoch_compute_spend": "ai_companies_compute_spend.csv",
    "epoch_data_centers": "data_centers.csv",
    "epoch_data_center_timelines": "data_center_timelines.csv",
    "epoch_gpu_clusters": "gpu_clusters.csv",
}

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


# references.bib entry that credits each Epoch file; its `date` is the snapshot we hold, used as
# the publication date of rows that carry no report date of their own.
EPOCH_SOURCE_IDS: dict[str, str] = {
    "epoch_companies": "epoch2025aicompanies",
    "epoch_funding_rounds": "epoch2025aicompanies",
    "epoch_revenue_reports": "epoch2025aicompanies",
    "epoch_compute_spend": "epoch2025aicompanies",
    "epoch_data_centers": "epoch2025datacenters",
    "epoch_data_center_timelines": "epoch2025datacenters",
    "epoch_gpu_clusters": "epoch2025gpuclusters",
}
