"""Names shown to readers, each looked up one way: a company's display name and its spelling in
Epoch AI's files, and a source's citation.

``companies.csv`` wins; the labs the book always discusses have a fallback for early editions
whose companies table does not list them yet; any other company is shown by its id. Look-ups
hash the ids (never a walk over every company, which is slow at tens of thousands of rows).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from xaibook import paths
from xaibook.data.bibliography import citation_labels
from xaibook.data.dataset import Dataset
from xaibook.formatting import is_missing
from xaibook.model.claims import cached_on_tables, table

# company_id -> (display name, name in Epoch AI's "Company" columns)
FALLBACK = {
    "xai": ("xAI", "xAI"),
    "openai": ("OpenAI", "OpenAI"),
    "anthropic": ("Anthropic", "Anthropic"),
    "meta": ("Meta", "Meta"),
}


@cached_on_tables("companies")
def company_name_map(data: Dataset) -> dict[str, str]:
    """Company id -> display name from the companies table (the last row of an id wins), built
    once per table from numpy arrays (``Dataset.company_names`` walks the Arrow columns element
    by element: at tens of thousands of companies that is too slow to call per name)."""
    companies = table(data, "companies")
    if companies.empty:
        return {}
    ids = companies["company_id"].to_numpy(dtype=object)
    return dict(zip(ids, companies["name"].to_numpy(dtype=object), strict=True))


def company_name(data: Dataset, company_id: object) -> str:
    """A company's display name; "" for a missing id, the id itself for an unknown company."""
    if is_missing(company_id):
        return ""
    key = str(company_id)
    name = company_name_map(data).get(key)
    if isinstance(name, str) and name:
        return name
    return FALLBACK[key][0] if key in FALLBACK else key


def short_name(name: object) -> str:
    """'Google (Alphabet; incl. Google DeepMind and Google Cloud)' -> 'Google': a name as it
    reads in a sentence (the companies table keeps the full one)."""
    return str(name).split(" (")[0].strip()


def company_names(data: Dataset, company_ids: pd.Series) -> pd.Series:
    """Display names of ``company_ids`` (same rule as ``company_name``; None for a missing id).

    Each distinct id is looked up once, by hash.
    """
    codes, uniques = pd.factorize(company_ids)
    names = np.array([company_name(data, c) for c in uniques] + [None], dtype=object)
    return pd.Series(names[codes], index=company_ids.index, dtype=object)


def epoch_name(data: Dataset, company_id: str) -> str | None:
    """How Epoch AI's files spell a company: ``companies.epoch_name``, else the fallback."""
    companies = table(data, "companies")
    if not companies.empty and "epoch_name" in companies:
        names = companies.loc[companies["company_id"] == company_id, "epoch_name"].dropna()
        if not names.empty:
            return str(names.iloc[0])
    return FALLBACK[company_id][1] if company_id in FALLBACK else None


def epoch_party_mask(
    series: pd.Series, name: str, tags: tuple[str, ...] | None = None
) -> pd.Series:
    """Rows whose comma-separated party list (Epoch's "Owner" or "Users": 'OpenAI #likely,
    Microsoft') names ``name``, spelled as Epoch spells it, optionally with one of the
    confidence ``tags``."""
    tag = rf"#(?:{'|'.join(tags)})" if tags else r"(?:#\w+)?"
    pattern = re.compile(rf"(?:^|,)\s*{re.escape(name)}\s*{tag}\s*(?=,|$)")
    # a plain substring test first (fast), the exact pattern only on the rows it lets through
    maybe = series.str.contains(name, regex=False, na=False).to_numpy(bool)
    result = np.zeros(len(series), dtype=bool)
    if maybe.any():
        result[maybe] = series[maybe].str.contains(pattern, regex=True).to_numpy(bool)
    return pd.Series(result, index=series.index)


def epoch_company_mask(
    data: Dataset, series: pd.Series, company_id: str, tags: tuple[str, ...] | None = None
) -> pd.Series:
    """Rows of an Epoch party column that name the company (by ``epoch_name``, else its id)."""
    return epoch_party_mask(series, epoch_name(data, company_id) or company_id, tags)


@cached_on_tables("companies")
def _epoch_company_map(data: Dataset) -> pd.Series:
    """Epoch AI's "Company" spelling -> company_id: ``companies.epoch_name`` (the last row of a
    spelling wins), else the fallback's spelling."""
    fallback = pd.Series({epoch: key for key, (_, epoch) in FALLBACK.items()}, dtype=object)
    companies = table(data, "companies")
    if companies.empty or "epoch_name" not in companies:
        return fallback
    known = companies[["company_id", "epoch_name"]].dropna(subset=["epoch_name"])
    known = known.drop_duplicates("epoch_name", keep="last")
    mapping = pd.Series(
        known["company_id"].astype(object).to_numpy(),
        index=known["epoch_name"].astype(object).to_numpy(),
    )
    # the fallback's few names, each looked up in the index (isin over Arrow strings walks
    # every one of a large companies table in Python)
    unmapped = [name not in mapping.index for name in fallback.index]
    return pd.concat([fallback[unmapped], mapping])


def company_ids_for_epoch(data: Dataset, epoch_names: pd.Series) -> pd.Series:
    """The company_id of each of Epoch AI's "Company" names (missing for a company the book
    does not know), looked up by hash: each distinct name once (Epoch's tables repeat a few
    hundred names over up to millions of rows)."""
    codes, uniques = pd.factorize(epoch_names)
    if not len(uniques):
        return epoch_names.map(_epoch_company_map(data))  # empty, or only missing names
    ids = pd.Series(uniques).map(_epoch_company_map(data))
    found = ids.take(np.maximum(codes, 0)).set_axis(epoch_names.index)
    return found.where(codes >= 0)


def known_company_rows(
    data: Dataset, table_name: str, value_column: str
) -> tuple[pd.DataFrame, pd.Series]:
    """The rows of an Epoch AI table that give ``value_column`` for a company the book knows,
    and those companies' ids (Epoch lists many companies the book does not follow)."""
    frame = table(data, table_name)
    if frame.empty:
        return frame, pd.Series(dtype=object)
    company_ids = company_ids_for_epoch(data, frame["company"])
    keep = frame[value_column].notna() & company_ids.notna()
    return frame[keep], company_ids[keep]


def founded(data: Dataset, company_id: str) -> dict | None:
    """When the company was founded, as its ``<id>-founding-year`` claim in companies.csv gives
    it (date, precision, source_id); None if the edition holds no such claim."""
    companies = table(data, "companies")
    if companies.empty or "claim_id" not in companies:
        return None
    rows = companies[companies["claim_id"] == f"{company_id}-founding-year"]
    if rows.empty:
        return None
    row = rows.sort_values("claim_rank", kind="stable").iloc[0]
    return {
        "date": pd.Timestamp(row["fact_date"]),
        "precision": str(row["fact_date_precision"]),
        "source_id": str(row["source_id"]),
    }


@functools.cache
def _citations(path: Path, stamp: tuple[int, int], as_of: object) -> dict[str, str]:
    return citation_labels(path, as_of)


def source_citation(data: Dataset, key: object) -> str:
    """A source as the text cites it, "胡珈萌 (Hu Jiameng), 2026b", for a table cell or a chart:
    the same words and letter as the citations beside it. "" for a missing key; a key the
    bibliography does not hold is shown as it is."""
    if is_missing(key):
        return ""
    path = paths.BIBLIOGRAPHY_FILE
    try:
        info = path.stat()
    except OSError:
        return str(key)
    as_of = None if data.as_of is None else data.as_of.date()
    return _citations(path, (info.st_mtime_ns, info.st_size), as_of).get(str(key), str(key))


def source_citations(data: Dataset, keys: object) -> str:
    """Several sources for one cell: "36Kr, 2025; TechCrunch, 2026", each once, in order."""
    return "; ".join(dict.fromkeys(c for c in (source_citation(data, k) for k in keys) if c))
