"""Sites and compute: the curated site rows, Epoch AI's data centres and xAI's compute claim,
each read one way.

``sites`` is the one reading of the curated sites table: one row per claim (``canonical``) with
flags saying how each site belongs to xAI, so a chapter picks the one it means instead of
re-deriving it: ``owned_by_xai`` (xAI owns it), ``used_by_xai`` (xAI is the tenant),
``musk_group`` (owned by xAI or another Musk company), ``leased_out`` (owned by xAI, used by
another company) and ``is_xai_site`` (any of those: the sites the infrastructure chapter
counts as xAI's).

A claim can span tables: xAI's year-end 2025 fleet of more than a million H100e is a
company_metrics row (rank 1) and a site row (rank 2). ``compute_claims`` ranks such a claim's
rows across both tables, so every chapter quotes the same row.

Results of the ``cached_on_tables`` functions are shared: callers never modify them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from xaibook.data.dataset import Dataset
from xaibook.formatting import is_missing
from xaibook.model import names
from xaibook.model.claims import cached_on_tables, canonical, table

XAI = "xai"
FLAGS = ("owned_by_xai", "used_by_xai", "musk_group", "leased_out", "is_xai_site")
COMPUTE_METRIC = "compute_h100e"
FLEET_SCOPE = "fleet"  # a site row about a whole fleet: its H100e is a compute claim
COMPUTE_COLUMNS = [
    "record_id",
    "claim_id",
    "company_id",
    "value",
    "value_qualifier",
    "fact_date",
    "fact_date_precision",
    "published_date",
    "status",
    "claim_rank",
    "source_id",
    "table",
]
PROJECTION_COLUMNS = [
    "data_center",
    "date",
    "power_mw",
    "h100e",
    "capital_cost_usd_bn",
    "source_id",
]

# Tables each reading needs (a chapter that calls it declares them all)
SITES_TABLES = ("sites", "companies")
DATA_CENTER_TABLES = ("epoch_data_centers", *SITES_TABLES)
PROJECTION_TABLES = ("epoch_data_center_timelines",)
COMPUTE_TABLES = ("company_metrics", "sites")


# 1. Curated sites --------------------------------------------------------------------------------


@cached_on_tables("companies")
def musk_group(data: Dataset) -> frozenset[str]:
    """xAI and the companies the companies table marks as Musk's."""
    companies = table(data, "companies")
    if companies.empty:
        return frozenset({XAI})
    musk = companies["is_musk_company"].astype("boolean").fillna(False).to_numpy(bool)
    return frozenset({XAI, *companies.loc[musk, "company_id"]})


@cached_on_tables(*SITES_TABLES)
def sites(data: Dataset) -> pd.DataFrame:
    """Every canonical site row (one per claim; rows without a claim all kept), in record_id
    order, with the flags ``FLAGS``."""
    frame = table(data, "sites")
    rows = canonical(frame).sort_values("record_id", kind="stable") if not frame.empty else frame
    owner = rows["owner_company_id"] if "owner_company_id" in rows else pd.Series(dtype=object)
    tenant = rows["tenant_company_id"] if "tenant_company_id" in rows else pd.Series(dtype=object)
    owned = owner.eq(XAI).fillna(False).to_numpy(bool)
    used = tenant.eq(XAI).fillna(False).to_numpy(bool)
    group = owner.isin(musk_group(data)).to_numpy(bool)
    other_tenant = (tenant.notna() & tenant.ne(XAI)).to_numpy(bool)
    return rows.assign(
        owned_by_xai=owned,
        used_by_xai=used,
        musk_group=group,
        leased_out=owned & other_tenant,
        is_xai_site=group | used,
    )


@cached_on_tables(*SITES_TABLES)
def xai_site_rows(data: Dataset) -> pd.DataFrame:
    """The canonical rows of xAI's sites (``is_xai_site``: owned by xAI or another Musk
    company, or used by xAI), in record_id order."""
    rows = sites(data)
    return rows[rows["is_xai_site"]] if not rows.empty else rows


def leased_sites(data: Dataset) -> pd.DataFrame:
    """xAI's own sites that another company uses (``leased_out``), in record_id order."""
    rows = sites(data)
    return rows[rows["leased_out"]] if not rows.empty else rows


# 2. Epoch AI's data centres ----------------------------------------------------------------------


@cached_on_tables(*DATA_CENTER_TABLES)
def xai_data_centers(data: Dataset) -> pd.DataFrame:
    """Epoch's data centres whose owner list names xAI, with ``site`` (title, else handle) and
    ``is_linked`` (a curated xAI site row names it): linked first, then by power, then
    handle."""
    centers = table(data, "epoch_data_centers")
    if centers.empty:
        return centers.assign(site=pd.Series(dtype=object), is_linked=pd.Series(dtype=bool))
    found = centers[names.epoch_company_mask(data, centers["owner"], XAI)]
    rows = xai_site_rows(data)
    linked = set(rows["epoch_data_center"].dropna()) if not rows.empty else set()
    found = found.assign(
        site=found["title"].fillna(found["handle"]), is_linked=found["handle"].isin(linked)
    )
    return found.sort_values(
        ["is_linked", "power_mw", "handle"], ascending=[False, False, True], na_position="last"
    )


def _first_rows(frame: pd.DataFrame, column: str, keys: object) -> dict[object, pd.Series]:
    """The first row of ``frame`` for each of a few keys: one vectorised filter for all of
    them, so a loop over sites never scans the whole table once per site."""
    wanted = [key for key in dict.fromkeys(keys) if not is_missing(key)]
    if frame.empty or not wanted:
        return {}
    found = frame[frame[column].isin(wanted)].drop_duplicates(column)
    return {key: found.iloc[i] for i, key in enumerate(found[column])}


def epoch_current(data: Dataset, handles: object) -> dict[object, pd.Series]:
    """Epoch's current row of each data centre named (by handle; unknown handles left out)."""
    return _first_rows(table(data, "epoch_data_centers"), "handle", handles)


@cached_on_tables(*PROJECTION_TABLES)
def projections(data: Dataset) -> pd.DataFrame:
    """Each data centre's last timeline entry with a power figure dated after Epoch's snapshot
    (its ``published_date``): a projection, whatever the edition's date."""
    timelines = table(data, "epoch_data_center_timelines")
    if timelines.empty:
        return pd.DataFrame(columns=PROJECTION_COLUMNS)
    ahead = timelines[timelines["date"].gt(timelines["published_date"])]
    ahead = ahead[ahead["power_mw"].notna()].sort_values(["data_center", "date"])
    return ahead.groupby("data_center", sort=False).tail(1)[PROJECTION_COLUMNS]


@cached_on_tables(*PROJECTION_TABLES)
def estimate_dates(data: Dataset) -> pd.Series:
    """The date of each data centre's current estimate, by handle: its last timeline entry
    with a power figure dated on or before Epoch's snapshot (Epoch's "current" values are that
    entry's, so they describe that date, not the edition's)."""
    timelines = table(data, "epoch_data_center_timelines")
    if timelines.empty:
        return pd.Series(dtype="datetime64[ns]")
    seen = timelines[timelines["date"].le(timelines["published_date"])]
    seen = seen[seen["power_mw"].notna()]
    return seen.groupby("data_center")["date"].max()


def estimate_date(data: Dataset, handles: object) -> tuple[object, object]:
    """The earliest and latest dates of the current estimates of the data centres named (NaT,
    NaT when Epoch's timelines date none of them)."""
    wanted = [handle for handle in dict.fromkeys(handles) if not is_missing(handle)]
    found = estimate_dates(data).reindex(wanted).dropna()
    if found.empty:
        return pd.NaT, pd.NaT
    return found.min(), found.max()


def epoch_projected(data: Dataset, handles: object) -> dict[object, pd.Series]:
    """Epoch's last projection of each data centre named (by handle)."""
    return _first_rows(projections(data), "data_center", handles)


# 3. Compute claims -------------------------------------------------------------------------------


@cached_on_tables(*COMPUTE_TABLES)
def compute_claims(data: Dataset, company_id: str = XAI) -> pd.DataFrame:
    """A company's stated compute (H100e), one row per claim ranked across both tables that
    hold it: company_metrics' ``compute_h100e`` rows and the site rows of a whole fleet with an
    H100e figure (``table`` says which). Oldest first; on the same date and publication the
    company_metrics row comes last (it is the table of company figures)."""
    parts = []
    metrics = table(data, "company_metrics")
    if not metrics.empty:
        rows = metrics[metrics["company_id"].eq(company_id) & metrics["metric"].eq(COMPUTE_METRIC)]
        parts.append(rows.assign(table="company_metrics")[COMPUTE_COLUMNS])
    site_rows = table(data, "sites")
    if not site_rows.empty:
        rows = site_rows[
            site_rows["owner_company_id"].eq(company_id)
            & site_rows["scope"].eq(FLEET_SCOPE)
            & site_rows["h100e"].notna()
        ]
        parts.append(
            rows.assign(
                company_id=company_id,
                value=rows["h100e"],
                value_qualifier=rows["h100e_qualifier"],
                table="sites",
            )[COMPUTE_COLUMNS]
        )
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=COMPUTE_COLUMNS)
    union = pd.concat(parts, ignore_index=True)
    best = canonical(union)
    order = np.lexsort(
        (
            best["table"].eq("company_metrics").to_numpy(),
            best["published_date"].to_numpy(),
            best["fact_date"].to_numpy(),
        )
    )
    return best.iloc[order].reset_index(drop=True)


def latest_compute(data: Dataset, company_id: str = XAI) -> pd.Series | None:
    """The newest of ``compute_claims`` (by the date it describes), None with none."""
    claims = compute_claims(data, company_id)
    return None if claims.empty else claims.iloc[-1]


# Epoch's guesses of a site's users that count as the company's: a "speculative" user does not.
HUB_USER_TAGS = ("confident", "likely")


def owned_or_used(data: Dataset, centers: pd.DataFrame, company_id: str) -> pd.Series:
    """Rows of Epoch's data-centre hub (``centers``) the company owns, or uses by Epoch's
    confident or likely guess."""
    owner = names.epoch_company_mask(data, centers["owner"], company_id)
    return owner | names.epoch_company_mask(data, centers["users"], company_id, HUB_USER_TAGS)


def hub_compute(data: Dataset, company_id: str) -> pd.DataFrame:
    """The hub's sites with compute that the company owns or uses (``owned_or_used``): what
    Epoch's hub attributes to it. The hub lists only the largest frontier sites, so this is
    not all of a company's compute."""
    centers = table(data, "epoch_data_centers")
    if centers.empty:
        return centers
    return centers[owned_or_used(data, centers, company_id) & centers["h100e"].gt(0)]


def hub_compute_on(data: Dataset, company_id: str, day: object) -> dict[str, object] | None:
    """The compute Epoch's timelines estimate at the company's hub sites (``hub_compute``) on
    ``day``: each site's last entry with an H100e figure dated on or before it (and before
    Epoch's snapshot: later entries are projections). ``h100e`` their sum, ``date`` the newest
    entry used, ``sites`` the sites with compute then; None without any entry."""
    sites = hub_compute(data, company_id)
    timelines = table(data, "epoch_data_center_timelines")
    if sites.empty or timelines.empty or is_missing(day):
        return None
    seen = timelines[
        timelines["data_center"].isin(sites["handle"])
        & timelines["h100e"].notna()
        & timelines["date"].le(timelines["published_date"])
        & timelines["date"].le(pd.Timestamp(day))
    ]
    last = seen.sort_values("date", kind="stable").groupby("data_center").tail(1)
    last = last[last["h100e"].gt(0)]
    if last.empty:
        return None
    titles = dict(zip(sites["handle"], sites["title"].fillna(sites["handle"]), strict=True))
    return {
        "h100e": float(last["h100e"].sum()),
        "date": last["date"].max(),
        "first_date": last["date"].min(),
        "sites": [str(titles[handle]) for handle in last["data_center"]],
        "source_id": last["source_id"].iloc[0],
    }
