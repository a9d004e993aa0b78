"""Helpers several chapters share: canonical values, names, and honest "no data" wording."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable

import pandas as pd

from xaibook.dataset import Dataset
from xaibook.text import escape_markdown

NO_DATA = "No data on this was published by the edition's as-of date."


def table(data: Dataset, name: str) -> pd.DataFrame:
    """A loaded table, or an empty frame when this edition does not hold it."""
    frame = data.tables.get(name)
    return frame if frame is not None else pd.DataFrame()


def per_dataset(function: Callable[[Dataset], pd.DataFrame]) -> Callable[[Dataset], pd.DataFrame]:
    """Compute a frame once per Dataset object (chapters never modify a loaded Dataset).

    A chapter's sentences, charts and tables start from the same few frames; without this it
    would rebuild them dozens of times. Callers get a copy, so they cannot alter the cache.
    """
    cache: dict[int, pd.DataFrame] = {}

    @functools.wraps(function)
    def wrapper(data: Dataset) -> pd.DataFrame:
        key = id(data)
        if key not in cache:
            cache[key] = function(data)
            weakref.finalize(data, cache.pop, key, None)  # ids are reused after the object dies
        return cache[key].copy()

    return wrapper


def cached_on_tables(*tables: str):
    """Remember a function's last result while the tables it reads are the same objects.

    Several sections and the key findings ask for the same ranking; at a million rows that
    matters. The cache holds the frames themselves, so an identity match is never a stale hit
    from a reused id; results are shared, so callers never modify them in place.
    """

    def wrap(function):
        last: dict[str, object] = {}

        @functools.wraps(function)
        def inner(data: Dataset, *args: object) -> object:
            frames = tuple(data.tables.get(name) for name in tables)
            hit = last.get("key")
            if (
                hit is not None
                and hit[1] == args
                and all(a is b for a, b in zip(hit[0], frames, strict=True))
            ):
                return last["result"]
            result = function(data, *args)
            last["key"], last["result"] = (frames, args), result
            return result

        return inner

    return wrap


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


@cached_on_tables("companies")
def company_names(data: Dataset) -> dict[str, str]:
    """Company id -> display name, built once per companies table from numpy arrays
    (``Dataset.company_names`` walks the Arrow columns element by element: at tens of
    thousands of companies that is half a second, too slow to call per name)."""
    companies = table(data, "companies")
    if companies.empty:
        return {}
    ids = companies["company_id"].to_numpy(dtype=object)
    return dict(zip(ids, companies["name"].to_numpy(dtype=object), strict=True))


def with_company_names(
    frame: pd.DataFrame, data: Dataset, column: str = "company_id", as_column: str = "company"
) -> pd.DataFrame:
    """Add the companies' display names (raw text: escape before putting it in prose)."""
    names = company_names(data)
    result = frame.copy()
    result[as_column] = result[column].map(names).fillna(result[column])
    return result


def name_md(text: object) -> str:
    """Text from the data, ready to sit inside a glued markdown sentence."""
    return escape_markdown(text)
