"""The world's GPU clusters (Epoch): the ranking rules, the ranked clusters, xAI's
standing, the chart, its title and text values, and how far the list lags.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from xaibook import formatting as fmt
from xaibook.analysis.common import cached_on_tables as _cached, table as _table
from xaibook.analysis.infrastructure.base import (
    MAX_XAI_SITES,
    XAI,
    _as_of,
    _chart_data,
    _clean_parties,
    _epoch_chart,
    _first_source,
    _groups,
    _sort_y,
    _source_title,
    _value,
    _values,
    _words,
)
from xaibook.data.dataset import Dataset
from xaibook.model import names as model_names, sites as model_sites

# GPU-cluster ranking rules (stated in the chapter by ``cluster_method``)
KEPT_CERTAINTIES = ("Confirmed", "Likely")
NOT_SINGLE_CLUSTER = "No"
PHASE_SUFFIX = r"\s+Phase\s+[0-9A-Za-z]+\s*$"  # "xAI Colossus Memphis Phase 3" -> one cluster
TOP_CLUSTERS = 15


# What Epoch says of a cluster, in the ranking and in the chart's rows.
CLUSTER_FACTS = (
    "name",
    "owner",
    "country",
    "certainty",
    "h100e",
    "power_mw",
    "first_operational_date",
)
CLUSTER_COLUMNS = ["rank", "label", *CLUSTER_FACTS, "share_of_largest_pct", "group", "source_id"]


EXISTING_WORDS = ("Existing", "existing", "EXISTING")
PLANNED_WORDS = ("Planned", "planned", "PLANNED")
RANKED_COLUMNS = [*CLUSTER_FACTS, "source_id"]


@_cached("epoch_gpu_clusters", "companies")
def ranked_clusters(data: Dataset) -> pd.DataFrame:
    """The ranked clusters a reader can see, with their rank among all eligible clusters.

    Eligible: status Existing, certainty Confirmed or Likely, not a possible duplicate, not an
    aggregate of several clusters, H100e above zero; a cluster listed once per build phase
    counts once, at its largest phase. Returned rows: the top ``TOP_CLUSTERS``, the largest
    cluster not owned by xAI, and xAI's largest clusters, each with ``rank`` and
    ``eligible`` (how many clusters were ranked). Built for a million rows: numeric masks
    first, one argsort of a float array, and only the returned rows are taken from the frame.
    """
    clusters = _table(data, "epoch_gpu_clusters")
    if clusters.empty:
        return pd.DataFrame(columns=[*CLUSTER_COLUMNS, "is_xai", "eligible"])
    h100e = clusters["h100e"].to_numpy(dtype=float, na_value=np.nan)
    duplicate = clusters["possible_duplicate"].astype("boolean").fillna(False).to_numpy(bool)
    mask = (
        (h100e > 0)
        & ~duplicate
        & clusters["cluster_status"].isin(EXISTING_WORDS).to_numpy()
        & clusters["certainty"].isin(KEPT_CERTAINTIES).to_numpy()
        & ~clusters["single_cluster"].isin([NOT_SINGLE_CLUSTER]).to_numpy()
    )
    kept = np.flatnonzero(mask)
    # A cluster built in phases is listed once per phase, each the cumulative size: keep the
    # largest phase. Unphased rows stand alone (Epoch has several "Anonymized Chinese System").
    names = clusters["name"].iloc[kept]
    phased = kept[names.str.contains("Phase", regex=False, na=False).to_numpy(bool)]
    if len(phased):
        staged = clusters.iloc[phased]
        key = staged["name"].str.replace(PHASE_SUFFIX, "", regex=True) + "\x1f"
        key = key + staged["owner"].fillna("")
        order = np.argsort(-h100e[phased], kind="stable")
        smaller = key.iloc[order].duplicated().to_numpy()
        dropped = np.zeros(len(clusters), dtype=bool)
        dropped[phased[order[smaller]]] = True
        kept = kept[~dropped[kept]]
    order = kept[np.argsort(-h100e[kept], kind="stable")]
    is_xai = model_names.epoch_company_mask(data, clusters["owner"].iloc[order], XAI).to_numpy()
    positions = np.unique(
        np.concatenate(
            [
                np.arange(min(TOP_CLUSTERS, len(order))),
                np.flatnonzero(is_xai)[:MAX_XAI_SITES],
                np.flatnonzero(~is_xai)[:1],
            ]
        )
    )
    ranked = clusters[RANKED_COLUMNS].iloc[order[positions]].reset_index(drop=True)
    ranked.insert(0, "rank", positions + 1)
    ranked["is_xai"] = is_xai[positions]
    groups = _groups()
    ranked["group"] = np.where(ranked["is_xai"], groups["xai"], groups["other"])
    largest = h100e[order[0]] if len(order) else np.nan
    ranked["share_of_largest_pct"] = ranked["h100e"] / largest * 100
    ranked["eligible"] = len(order)
    return ranked


def _with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    unnamed = _words("clusters_chart")["unnamed"]
    return frame.assign(label=frame["rank"].astype(str) + ". " + frame["name"].fillna(unnamed))


def _eligible_count(ranked: pd.DataFrame) -> int:
    return int(ranked["eligible"].iloc[0]) if not ranked.empty else 0


def cluster_filter_counts(data: Dataset) -> dict[str, int]:
    """How many Epoch cluster rows there are and how many survive each rule (for the method)."""
    clusters = _table(data, "epoch_gpu_clusters")
    if clusters.empty:
        return {"rows": 0, "existing": 0, "ranked": 0}
    return {
        "rows": len(clusters),
        "existing": int(clusters["cluster_status"].isin(EXISTING_WORDS).sum()),
        "ranked": _eligible_count(ranked_clusters(data)),
    }


def top_clusters(data: Dataset) -> pd.DataFrame:
    """The largest eligible clusters, plus xAI's largest if it ranks lower (chart data)."""
    ranked = ranked_clusters(data)
    if ranked.empty:
        return pd.DataFrame(columns=CLUSTER_COLUMNS)
    top = ranked[ranked["rank"].le(TOP_CLUSTERS)]
    xai_best = ranked[ranked["is_xai"]].head(1)
    if not xai_best.empty and int(xai_best["rank"].iloc[0]) > TOP_CLUSTERS:
        top = pd.concat([top, xai_best])
    return _chart_data(_with_labels(top)[CLUSTER_COLUMNS].reset_index(drop=True))


def cluster_standing(data: Dataset) -> dict[str, object] | None:
    """xAI's largest cluster: rank, H100e, share of the largest, lead over the next; None if
    Epoch lists no eligible xAI cluster."""
    ranked = ranked_clusters(data)
    xai = ranked[ranked["is_xai"]]
    if xai.empty:
        return None
    best = xai.iloc[0]
    others = ranked[~ranked["is_xai"]]
    rival = others.iloc[0] if not others.empty else None
    # clusters level with the next one are all named: "the next" is not one of them by chance
    tied = [] if rival is None else others.loc[others["h100e"].eq(rival["h100e"]), "name"]
    leader = ranked.iloc[0]
    return {
        "rank": int(best["rank"]),
        "eligible": _eligible_count(ranked),
        "name": best["name"],
        "h100e": float(best["h100e"]),
        "power_mw": best["power_mw"],
        "share_of_largest_pct": float(best["share_of_largest_pct"]),
        "leader_name": leader["name"],
        "leader_owner": leader["owner"],
        "leader_h100e": float(leader["h100e"]),
        "rival_name": None if rival is None else rival["name"],
        "rival_names": list(tied),
        "rival_owner": None if rival is None else rival["owner"],
        "rival_h100e": np.nan if rival is None else float(rival["h100e"]),
        "ratio_to_rival": np.nan if rival is None else float(best["h100e"] / rival["h100e"]),
        "xai_in_top": int((ranked["is_xai"] & ranked["rank"].le(TOP_CLUSTERS)).sum()),
        "source_id": best["source_id"],
    }


def clusters_chart(frame: pd.DataFrame, data: Dataset, title: list[str]) -> alt.Chart:
    """The top clusters, xAI's highlighted; ``title`` is one or two lines (the template's)."""
    words = _words("clusters_chart")
    chart = _epoch_chart(
        "bar",
        frame,
        title,
        x="h100e:Q",
        y="label:N",
        color="group:N",
        highlight=_groups()["xai"],
        words=words,
        tooltip=[
            "name:N",
            "owner:N",
            ("h100e:Q", ",.0f"),
            ("power_mw:Q", ",.0f"),
            ("share_of_largest_pct:Q", ".0f"),
            "certainty:N",
        ],
        source=_source_title(data, _first_source(frame)),
    )
    return _sort_y(chart, "label", words["y"], list(frame["label"]))


def _standing_values(data: Dataset) -> dict[str, object] | None:
    standing = cluster_standing(data)
    return None if standing is None else {key: _value(value) for key, value in standing.items()}


def clusters_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object]:
    """What the clusters chart's title states: xAI's standing, or the largest cluster shown
    (``leader`` None when the chart has no cluster)."""
    hub = hub_standing(data)
    return {
        "leader": None if frame.empty else _value(frame["name"].iloc[0]),
        "standing": _standing_values(data),
        "hub": None if hub is None else {key: hub[key] for key in ("rank", "above_n", "site")},
    }


def cluster_method_values(data: Dataset) -> dict[str, object]:
    """The ranking rules' counts (rows, existing, ranked), kept certainties and chart size."""
    return {
        "counts": cluster_filter_counts(data),
        "certainties": list(KEPT_CERTAINTIES),
        "top": TOP_CLUSTERS,
    }


def clusters_text_values(data: Dataset) -> dict[str, object]:
    """xAI's standing among the ranked clusters (``largest`` None if none is ranked), and how
    far the cluster list lags (``lag``)."""
    ranked = ranked_clusters(data)
    return {
        "largest": None if ranked.empty else _values(ranked.iloc[0], "name", "h100e"),
        "standing": _standing_values(data),
        "source_id": _value(_first_source(ranked)),
        "top": TOP_CLUSTERS,
        "lag": cluster_lag(data),
        "hub": hub_standing(data),
    }


def cluster_lag(data: Dataset) -> dict[str, object] | None:
    """How far the cluster list lags: the month its newest existing cluster first ran, and
    xAI's two largest clusters it still lists as planned (smallest first); None if unknown."""
    clusters = _table(data, "epoch_gpu_clusters")
    if clusters.empty:
        return None
    newest = clusters.loc[
        clusters["cluster_status"].isin(EXISTING_WORDS), "first_operational_date"
    ].max()
    if fmt.is_missing(newest):
        return None
    planned = clusters[
        clusters["cluster_status"].isin(PLANNED_WORDS)
        & clusters["certainty"].isin(KEPT_CERTAINTIES)
    ]
    planned = planned[model_names.epoch_company_mask(data, planned["owner"], XAI)]
    planned = planned.nlargest(2, "h100e")
    return {
        "newest": newest,
        "planned": [
            _values(row, "name", "h100e") for _, row in planned.sort_values("h100e").iterrows()
        ],
    }


# Epoch's data-centre hub: the same sites, estimated later --------------------------------------

MAX_HUB_PEERS = 5  # the sites above xAI's that a ranking names


@_cached("epoch_data_centers", "epoch_data_center_timelines", "companies")
def hub_ranking(data: Dataset) -> pd.DataFrame:
    """Epoch's data centres with current compute, largest first: ``rank``, ``site``,
    ``owner`` (Epoch's confidence tags off), ``h100e``, ``power_mw``, ``is_xai`` and ``date``
    (the date of the estimate, not the edition's)."""
    columns = [
        "rank",
        "handle",
        "site",
        "owner",
        "h100e",
        "power_mw",
        "is_xai",
        "date",
        "source_id",
    ]
    centers = _table(data, "epoch_data_centers")
    if centers.empty:
        return pd.DataFrame(columns=columns)
    running = centers[centers["h100e"].gt(0)]
    if running.empty:
        return pd.DataFrame(columns=columns)
    running = running.sort_values(["h100e", "handle"], ascending=[False, True], kind="stable")
    frame = running.assign(
        rank=np.arange(1, len(running) + 1),
        site=running["title"].fillna(running["handle"]),
        owner=_clean_parties(running["owner"]),
        is_xai=model_names.epoch_company_mask(data, running["owner"], XAI).to_numpy(),
        date=running["handle"].map(model_sites.estimate_dates(data)),
    )
    return frame[columns].reset_index(drop=True)


def hub_projected_ranking(data: Dataset) -> pd.DataFrame:
    """The hub's sites ranked as Epoch's projections put them on the edition's date: each
    site's last timeline entry with compute dated after Epoch's snapshot and on or before the
    edition's date (a site with none keeps its current estimate). Columns as ``hub_ranking``,
    with ``projected`` (whether the figure is such a projection). Empty when no projection's
    date has passed."""
    hub = hub_ranking(data)
    timelines = _table(data, "epoch_data_center_timelines")
    if hub.empty or timelines.empty:
        return pd.DataFrame(columns=[*hub.columns, "projected"])
    passed = timelines[
        timelines["date"].gt(timelines["published_date"])
        & timelines["date"].le(_as_of(data))
        & timelines["h100e"].gt(0)
    ].sort_values(["data_center", "date"])
    if passed.empty:
        return pd.DataFrame(columns=[*hub.columns, "projected"])
    last = passed.groupby("data_center").tail(1).set_index("data_center")
    projected = hub["handle"].isin(last.index)
    frame = hub.assign(
        h100e=hub["h100e"].where(~projected, hub["handle"].map(last["h100e"])),
        date=hub["date"].where(~projected, hub["handle"].map(last["date"])),
        projected=projected,
    ).sort_values(["h100e", "handle"], ascending=[False, True], kind="stable")
    return frame.assign(rank=np.arange(1, len(frame) + 1)).reset_index(drop=True)


def _projected_standing(data: Dataset) -> dict[str, object] | None:
    """xAI's largest site as Epoch's passed projections rank it (``hub_projected_ranking``):
    its rank, figure and date, and the sites above it or, when it leads, the next two. None
    when no projection's date has passed."""
    ranked = hub_projected_ranking(data)
    xai = ranked[ranked["is_xai"]]
    if xai.empty:
        return None
    best = xai.iloc[0]
    above = ranked[ranked["rank"].lt(best["rank"])]
    others = above if not above.empty else ranked[~ranked["is_xai"]].head(2)
    return {
        "rank": int(best["rank"]),
        **_values(best, "site", "h100e", "date", "projected"),
        "leads": above.empty,
        "others": [
            _values(row, "site", "h100e", "date", "projected")
            for _, row in others.head(3).iterrows()
        ],
    }


def hub_standing(data: Dataset) -> dict[str, object] | None:
    """xAI's largest site in Epoch's data-centre hub, which Epoch updates more often than its
    GPU-cluster list: its rank among the hub's sites with compute, the sites above it (at most
    ``MAX_HUB_PEERS``, each with its multiple of the cluster list's largest xAI cluster), xAI's
    other sites, and the dates of the estimates compared. None when the hub lists no xAI site
    with compute.

    The two lists are reconciled before anything is called largest: a site above xAI's in the
    hub outranks xAI whatever the cluster list says, and the cluster list's own leader is set
    against the hub's larger sites (``ratio_to_listed``)."""
    hub = hub_ranking(data)
    xai = hub[hub["is_xai"]] if not hub.empty else hub
    if xai.empty:
        return None
    best = xai.iloc[0]
    listed = cluster_standing(data)
    listed_h100e = listed["h100e"] if listed is not None else np.nan
    above = hub[hub["rank"].lt(best["rank"])]
    peers = [
        {
            **_values(row, "site", "owner", "h100e"),
            "ratio": float(row["h100e"] / best["h100e"]),
            "ratio_to_listed": None
            if fmt.is_missing(listed_h100e)
            else float(row["h100e"] / listed_h100e),
        }
        for _, row in above.head(MAX_HUB_PEERS).iterrows()
    ]
    below = hub[hub["rank"].gt(best["rank"]) & ~hub["is_xai"]].head(1)
    shown = pd.concat(
        [
            above.head(MAX_HUB_PEERS),
            xai.head(MAX_XAI_SITES),
            below if above.empty else below.head(0),
        ]
    )
    ratios = [p["ratio_to_listed"] for p in peers if p["ratio_to_listed"] is not None]
    return {
        "rank": int(best["rank"]),
        "n": len(hub),
        **_values(best, "site", "h100e", "power_mw"),
        "above": peers,
        "above_n": len(above),
        "next": None
        if below.empty
        else {
            **_values(below.iloc[0], "site", "owner", "h100e"),
            "ratio": float(best["h100e"] / below["h100e"].iloc[0]),
        },
        "xai_sites": [
            _values(row, "site", "h100e") for _, row in xai.head(MAX_XAI_SITES).iterrows()
        ],
        "listed_name": None if listed is None else listed["name"],
        "listed_h100e": _value(listed_h100e),
        "listed_rank": None if listed is None else listed["rank"],
        "listed_ratio_to_rival": None if listed is None else _value(listed["ratio_to_rival"]),
        "listed_rival": None if listed is None else listed["rival_name"],
        "ratio_min": min(ratios) if ratios else None,
        "ratio_max": max(ratios) if ratios else None,
        "first_date": _value(shown["date"].min()),
        "last_date": _value(shown["date"].max()),
        "source_id": _value(best["source_id"]),
        "lag": cluster_lag(data),
        "projected": _projected_standing(data),
    }
