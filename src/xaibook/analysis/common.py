"""Helpers several chapters share: canonical values, names, and honest "no data" wording."""

from __future__ import annotations

import pandas as pd

from xaibook.dataset import Dataset
from xaibook.text import escape_markdown

NO_DATA = "No data on this was published by the edition's as-of date."


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per claim: where sources disagree, the best-ranked row still visible.

    Rows without a claim_id stand alone and are all kept. Works on any curated table (they
    all carry claim_id and claim_rank) after an --as-of cut, so a later, better source that
    is not yet published never hides the earlier one.
    """
    if frame.empty or "claim_id" not in frame:
        return frame
    alone = frame[frame["claim_id"].isna()]
    claimed = frame[frame["claim_id"].notna()]
    best = claimed.sort_values(["claim_id", "claim_rank"], kind="stable").drop_duplicates(
        "claim_id", keep="first"
    )
    return pd.concat([best, alone]).sort_index()


def with_company_names(
    frame: pd.DataFrame, data: Dataset, column: str = "company_id", as_column: str = "company"
) -> pd.DataFrame:
    """Add the companies' display names (raw text: escape before putting it in prose)."""
    names = data.company_names()
    result = frame.copy()
    result[as_column] = result[column].map(names).fillna(result[column])
    return result


def name_md(text: object) -> str:
    """Text from the data, ready to sit inside a glued markdown sentence."""
    return escape_markdown(text)
