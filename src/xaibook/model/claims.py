"""Reading the curated tables: one row per claim, and results computed once per dataset."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable

import pandas as pd

from xaibook.data.dataset import Dataset


class UndeclaredTableError(LookupError):
    """Code read a table that was not loaded: its chapter does not declare it."""


def table(data: Dataset, name: str) -> pd.DataFrame:
    """A loaded table (with no rows when the edition holds none as of its date).

    A table that was not loaded is an error, not an empty frame: a chapter that reads a table
    it did not declare in ``xaibook.chapters`` would otherwise say "No data" about data it has,
    and its cache would not notice when that table changes.
    """
    frame = data.tables.get(name)
    if frame is None:
        raise UndeclaredTableError(
            f"table {name!r} was not loaded; declare it in the chapter's tables "
            f"(xaibook.chapters). Loaded: {', '.join(sorted(data.tables)) or 'none'}"
        )
    return frame


def per_dataset(function: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Compute a frame once per Dataset object and arguments (chapters never modify a loaded
    Dataset).

    A chapter's sentences, charts and tables start from the same few frames; without this it
    would rebuild them dozens of times. Callers get a copy, so they cannot alter the cache.
    """
    cache: dict[tuple, pd.DataFrame] = {}

    @functools.wraps(function)
    def wrapper(data: Dataset, *args: object) -> pd.DataFrame:
        key = (id(data), *args)
        if key not in cache:
            cache[key] = function(data, *args)
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


def canonical_where(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """``canonical(frame)[mask]``, computed on the rows of the claims ``mask`` touches only.

    A claim's best row is chosen among all of that claim's rows, so the result is the same as
    ranking the whole table first; the tables can be large, the rows a chapter reads are few.
    """
    if frame.empty:
        return frame
    hit = mask.fillna(False).astype(bool).to_numpy()
    if "claim_id" not in frame:
        return frame[hit]
    claims = frame["claim_id"][hit].dropna().unique()
    touched = hit | frame["claim_id"].isin(claims).to_numpy()
    best = canonical(frame[touched].assign(_hit=hit[touched]))
    return best[best["_hit"].to_numpy()].drop(columns="_hit")
