"""Infrastructure: Colossus 1 and 2, xAI's planned sites and the world's largest clusters.

Three kinds of evidence meet here and are kept apart on purpose:

1. Epoch AI's estimates (data centres, their dated build-out, GPU clusters): measured the same
   way for every site from satellite imagery, permits and filings. Timeline entries dated after
   Epoch's snapshot are Epoch's *projections* and are always labelled so.
2. The articles (sites.csv, company_metrics.csv): company claims, plans and round numbers. Where
   several rows state one quantity, the canonical (rank 1) row is the one quoted.
3. The book's own assumption ``capex_usd_bn_per_gw`` (a build parameter), which prices planned
   gigawatts. It is never cited as a source.

Every function takes a ``Dataset`` (already cut to the edition's as-of date) and returns a
frame, a chart or the values a passage needs; the words are in ``chapters/infrastructure.md.j2``
(``*_values`` functions feed its macros, ``findings`` renders the key findings for the
introduction). Fixed words (axis and tooltip titles, legend entries, table headers) are the
labels set at the template's top, read with ``labels``: the code works with codes (``xai``,
``announced``) and puts the template's words in a frame where it is handed to a chart or a
table. All of them cope with empty tables and with xAI missing. Tables may be scaled to
hundreds of thousands of rows by the benchmark, so everything is vectorised and every chart is
cut to a few dozen marks before it is drawn.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from xaibook import charts, formatting as fmt, paths, prose
from xaibook.analysis.common import (
    cached_on_tables as _cached,
    canonical,
    labels,
    table as _table,
)
from xaibook.dataset import Dataset
from xaibook.model import dates, names as model_names, sites as model_sites
from xaibook.params import PARAMETERS_BY_NAME

XAI = "xai"
PEERS = ("openai", "meta")  # the rivals whose GW-level plans the seed articles set against xAI's
DEFAULT_CAPEX_USD_BN_PER_GW = float(PARAMETERS_BY_NAME["capex_usd_bn_per_gw"].default)
CAPEX_PARAMETER = "capex_usd_bn_per_gw"

# GPU-cluster ranking rules (stated in the chapter by ``cluster_method``)
KEPT_CERTAINTIES = ("Confirmed", "Likely")
NOT_SINGLE_CLUSTER = "No"
PHASE_SUFFIX = r"\s+Phase\s+[0-9A-Za-z]+\s*$"  # "xAI Colossus Memphis Phase 3" -> one cluster
TOP_CLUSTERS = 15

# Chart sizes: every chart stays at a few dozen marks whatever the size of the tables.
MAX_XAI_SITES = 4
MAX_DENSITY_SITES = 25
MAX_CAPITAL_SITES = 15
MAX_PLAN_SITES = 10
MAX_ARTICLE_PLANS = 4
MAX_TABLE_EPOCH_ROWS = 5
MAX_TABLE_SITE_ROWS = 12
MAX_LISTED = 4
Y_LABEL_LIMIT_PX = 300

MW_PER_GW = 1000.0
SLUG = "infrastructure"
TEMPLATE = prose.template_file(paths.CHAPTERS_DIR / "infrastructure.ipynb")  # the words
USER_TAGS = ("confident", "likely")  # Epoch's guesses of a site's users that the chapter counts
PLANNED_SITE_STATUSES = ("planned", "announced", "under_construction")
PLAN_STATUSES = ("plan", "target")
FUTURE_SCOPES = ("orbital", "fab")
INVESTMENT_METRICS = ("planned_investment", "planned_investment_first_phase")


# 1. Small helpers ------------------------------------------------------------------------------


def _words(name: str) -> dict:
    """The fixed words the chapter's template sets as ``name`` (axis and tooltip titles, legend
    entries, table headers; see the top of ``chapters/infrastructure.md.j2``)."""
    return labels(SLUG, name)


def _groups() -> dict:
    """The legend's words for xAI's clusters and sites and for the other owners' (the
    ``group`` column of the chart data), by code: ``xai``, ``other``."""
    return _words("owner_groups")


def _clean_parties(series: pd.Series) -> pd.Series:
    """'OpenAI #likely, Microsoft #likely' -> 'OpenAI, Microsoft' (Epoch's confidence tags off)."""
    return series.fillna("").astype(str).str.replace(r"\s*#\w+", "", regex=True).str.strip()


def _source_title(data: Dataset, key: object) -> str:
    """'Data on GPU Clusters, Epoch AI (snapshot 17 December 2025)' for a chart subtitle."""
    source = data.sources.get(str(key)) if not fmt.is_missing(key) else None
    values = None
    if source is not None:
        values = {"title": source.title, "when": source.accessed or source.published}
    return prose.render_text(TEMPLATE, "epoch_source", s=values)


def source_label(data: Dataset, key: object) -> str:
    """A reader's label for a source in a table cell: 'TechCrunch, 2026-05-06'."""
    if fmt.is_missing(key):
        return ""
    source = data.sources.get(str(key))
    if source is None:
        return str(key)
    who = source.publisher.split(" (")[0].strip() if source.publisher else source.title
    when = source.published or source.accessed
    return f"{who}, {when.isoformat()}" if when else who


def _first_source(frame: pd.DataFrame) -> object:
    return frame["source_id"].iloc[0] if not frame.empty and "source_id" in frame else None


def _sort_y(chart: alt.Chart, field: str, title: str, order: list[str]) -> alt.Chart:
    """Categories down the y axis in the given order (the helpers sort them alphabetically),
    with room for long site names."""
    axis = alt.Axis(labelLimit=Y_LABEL_LIMIT_PX)
    return chart.encode(y=alt.Y(f"{field}:N", title=title, sort=order, axis=axis))


def _title_lines(chart: alt.Chart, lines: list[str]) -> alt.Chart:
    """A finding rarely fits the chart's width on one line: state it on two, keep the source."""
    subtitle = getattr(chart.title, "subtitle", alt.Undefined)
    return chart.properties(title=alt.Title([line for line in lines if line], subtitle=subtitle))


def _chart_data(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as pandas strings: Altair turns their missing values into JSON null (an
    object column would keep a float NaN, which the page's strict JSON refuses)."""
    text = [column for column in frame.columns if frame[column].dtype == object]
    return frame.astype({column: "str" for column in text}) if text else frame


# 2. xAI's sites: curated rows and Epoch data centres ------------------------------------------


def xai_data_centers(data: Dataset, limit: int | None = MAX_XAI_SITES) -> pd.DataFrame:
    """Epoch's data centres owned by xAI: those the curated sites link first, then by power."""
    found = model_sites.xai_data_centers(data)
    return found.head(limit) if limit else found


# 3. Build-out (Epoch timelines) ---------------------------------------------------------------

BUILDOUT_COLUMNS = [
    "site",
    "date",
    "power_mw",
    "h100e",
    "capital_cost_usd_bn",
    "basis",
    "note",
    "source_id",
]


def buildout(data: Dataset) -> pd.DataFrame:
    """Dated power and H100e of xAI's Epoch data centres; projected entries marked (chart data).

    An entry dated after Epoch's snapshot (its ``published_date``) was a projection when Epoch
    published it, whatever the edition's date; its ``basis`` is the template's word for
    ``projected``. The last observed entry is repeated once in the projected series, with the
    template's ``anchor_note``, so the dashed line starts from it.
    """
    words = _words("buildout_chart")
    observed, projected = words["basis"]["observed"], words["basis"]["projected"]
    sites = xai_data_centers(data)
    timelines = _table(data, "epoch_data_center_timelines")
    if sites.empty or timelines.empty:
        return pd.DataFrame(columns=BUILDOUT_COLUMNS)
    rows = timelines[timelines["data_center"].isin(sites["handle"]) & timelines["power_mw"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=BUILDOUT_COLUMNS)
    names = dict(zip(sites["handle"], sites["site"], strict=True))
    rows = rows.assign(
        site=rows["data_center"].map(names),
        basis=np.where(rows["date"].gt(rows["published_date"]), projected, observed),
        note="",
    ).sort_values(["site", "date"], kind="stable")
    projected_sites = rows.loc[rows["basis"].eq(projected), "site"].unique()
    seen = rows[rows["basis"].eq(observed)]
    anchors = (
        seen[seen["site"].isin(projected_sites)]
        .groupby("site", sort=False)
        .tail(1)
        .assign(basis=projected, note=words["anchor_note"])
    )
    result = pd.concat([rows, anchors]).sort_values(["site", "date", "note"], kind="stable")
    return _chart_data(result[BUILDOUT_COLUMNS].reset_index(drop=True))


def build_speed(frame: pd.DataFrame) -> pd.DataFrame:
    """Per site: first entry, latest observed entry, MW added per month, last projection
    (``frame`` as ``buildout`` gives it)."""
    columns = list(SPEED_FIELDS)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    basis = _words("buildout_chart")["basis"]
    observed = frame[frame["basis"].eq(basis["observed"])]
    if observed.empty:
        return pd.DataFrame(columns=columns)
    speed = observed.groupby("site").agg(
        start_date=("date", "first"),
        start_mw=("power_mw", "first"),
        latest_date=("date", "last"),
        latest_mw=("power_mw", "last"),
        latest_h100e=("h100e", "last"),
        source_id=("source_id", "first"),
    )
    speed["months"] = dates.months_between(speed["start_date"], speed["latest_date"])
    added = speed["latest_mw"] - speed["start_mw"]
    speed["mw_per_month"] = (added / speed["months"]).where(speed["months"].gt(0))
    ahead = frame[frame["basis"].eq(basis["projected"]) & frame["note"].eq("")]
    last = ahead.groupby("site").agg(
        projected_date=("date", "last"),
        projected_mw=("power_mw", "last"),
        projected_h100e=("h100e", "last"),
    )
    speed = speed.join(last, how="left").reset_index()
    return speed.sort_values("mw_per_month", ascending=False, na_position="last")[columns]


def buildout_chart(frame: pd.DataFrame, data: Dataset, title: list[str]) -> alt.Chart:
    """Power of xAI's sites over time, projections dashed; ``title`` is one or two lines."""
    lines = [line for line in title if line]
    words = _words("buildout_chart")
    tip, legend, basis = words["tooltip"], words["legend"], words["basis"]
    chart = charts.line_chart(
        frame,
        x="date:T",
        y="power_mw:Q",
        color="site:N",
        title=lines[0],
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        tooltip=[
            alt.Tooltip("site:N", title=tip["site"]),
            alt.Tooltip("date:T", title=tip["date"], format="%d %b %Y"),
            alt.Tooltip("power_mw:Q", title=tip["power_mw"], format=",.0f"),
            alt.Tooltip("h100e:Q", title=tip["h100e"], format=",.0f"),
            alt.Tooltip("basis:N", title=tip["basis"]),
        ],
        source=_source_title(data, _first_source(frame)),
    ).encode(
        color=alt.Color("site:N", title=legend["site"]),
        strokeDash=alt.StrokeDash(
            "basis:N", title=legend["basis"], sort=[basis["observed"], basis["projected"]]
        ),
    )
    return _title_lines(chart, lines) if len(lines) > 1 else chart


SPEED_FIELDS = (
    "site",
    "start_date",
    "start_mw",
    "latest_date",
    "latest_mw",
    "latest_h100e",
    "months",
    "mw_per_month",
    "projected_date",
    "projected_mw",
    "projected_h100e",
    "source_id",
)


def buildout_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object]:
    """What the build-out chart's title states: the fastest build (MW added, over how many
    months) and Epoch's largest projection; each None when the edition lacks it."""
    speed = build_speed(frame)
    fastest = speed.dropna(subset=["mw_per_month"]).head(1)
    projected = speed.dropna(subset=["projected_mw"]).sort_values("projected_mw").tail(1)
    if fastest.empty:
        return {"fastest": None, "projected": None}
    row = fastest.iloc[0]
    return {
        "fastest": {
            **_values(row, "site", "months"),
            "added_mw": _value(row["latest_mw"] - row["start_mw"]),
        },
        "projected": None
        if projected.empty
        else _values(projected.iloc[0], "site", "projected_mw", "projected_date"),
    }


def buildout_text_values(data: Dataset) -> list[dict[str, object]]:
    """Each xAI site's build: first and latest estimate, pace, Epoch's projection (at most
    MAX_XAI_SITES, fastest first; a field is None where Epoch's timeline lacks it)."""
    speed = build_speed(buildout(data)).head(MAX_XAI_SITES)
    return [_values(row, *SPEED_FIELDS) for _, row in speed.iterrows()]


def projection_note_values(data: Dataset) -> dict[str, object] | None:
    """The day Epoch's copy was taken (None if its source gives none); None with no timeline."""
    frame = buildout(data)
    if frame.empty:
        return None
    source = data.sources.get(str(frame["source_id"].iloc[0]))
    when = (source.accessed or source.published) if source else None
    return {"snapshot": when}


# 4. The world's GPU clusters (Epoch) ----------------------------------------------------------

CLUSTER_COLUMNS = [
    "rank",
    "label",
    "name",
    "owner",
    "country",
    "certainty",
    "h100e",
    "power_mw",
    "first_operational_date",
    "share_of_largest_pct",
    "group",
    "source_id",
]


EXISTING_WORDS = ("Existing", "existing", "EXISTING")
PLANNED_WORDS = ("Planned", "planned", "PLANNED")
RANKED_COLUMNS = [
    "name",
    "owner",
    "country",
    "certainty",
    "h100e",
    "power_mw",
    "first_operational_date",
    "source_id",
]


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
        "rival_owner": None if rival is None else rival["owner"],
        "rival_h100e": np.nan if rival is None else float(rival["h100e"]),
        "ratio_to_rival": np.nan if rival is None else float(best["h100e"] / rival["h100e"]),
        "xai_in_top": int((ranked["is_xai"] & ranked["rank"].le(TOP_CLUSTERS)).sum()),
        "source_id": best["source_id"],
    }


def clusters_chart(frame: pd.DataFrame, data: Dataset, title: list[str]) -> alt.Chart:
    """The top clusters, xAI's highlighted; ``title`` is one or two lines (the template's)."""
    lines = [line for line in title if line]
    words = _words("clusters_chart")
    tip = words["tooltip"]
    chart = charts.bar_chart(
        frame,
        x="h100e:Q",
        y="label:N",
        color="group:N",
        highlight=_groups()["xai"],
        title=lines[0],
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        tooltip=[
            alt.Tooltip("name:N", title=tip["name"]),
            alt.Tooltip("owner:N", title=tip["owner"]),
            alt.Tooltip("h100e:Q", title=tip["h100e"], format=",.0f"),
            alt.Tooltip("power_mw:Q", title=tip["power_mw"], format=",.0f"),
            alt.Tooltip("share_of_largest_pct:Q", title=tip["share_of_largest_pct"], format=".0f"),
            alt.Tooltip("certainty:N", title=tip["certainty"]),
        ],
        source=_source_title(data, _first_source(frame)),
    )
    chart = _sort_y(chart, "label", words["y"], list(frame["label"]))
    return _title_lines(chart, lines) if len(lines) > 1 else chart


def _standing_values(data: Dataset) -> dict[str, object] | None:
    standing = cluster_standing(data)
    return None if standing is None else {key: _value(value) for key, value in standing.items()}


def clusters_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object]:
    """What the clusters chart's title states: xAI's standing, or the largest cluster shown
    (``leader`` None when the chart has no cluster)."""
    return {
        "leader": None if frame.empty else _value(frame["name"].iloc[0]),
        "standing": _standing_values(data),
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


# 5. Frontier data centres: compute per MW and capital per GW (Epoch) --------------------------


def data_center_metrics(data: Dataset, limit: int = MAX_DENSITY_SITES) -> pd.DataFrame:
    """Epoch's data centres with power and compute, their ratios, largest first (chart data).

    ``h100e_per_mw``: current H100-equivalents per MW of current facility power (both Epoch
    estimates; power can be installed before chips, so young sites read low).
    ``capital_usd_bn_per_gw``: Epoch's current total capital cost (2025 USD) per GW of power.
    """
    columns = [
        "site",
        "owner",
        "users",
        "power_mw",
        "h100e",
        "capital_cost_usd_bn",
        "h100e_per_mw",
        "kw_per_h100e",
        "capital_usd_bn_per_gw",
        "group",
        "source_id",
    ]
    centers = _table(data, "epoch_data_centers")
    if centers.empty:
        return pd.DataFrame(columns=columns)
    running = centers[centers["power_mw"].gt(0) & centers["h100e"].gt(0)]
    if running.empty:
        return pd.DataFrame(columns=columns)
    is_xai = model_names.epoch_company_mask(data, running["owner"], XAI)
    capital = running["capital_cost_usd_bn"].where(running["capital_cost_usd_bn"].gt(0))
    groups = _groups()
    frame = running.assign(
        h100e_per_mw=running["h100e"] / running["power_mw"],
        kw_per_h100e=running["power_mw"] * 1000 / running["h100e"],
        capital_usd_bn_per_gw=capital / running["power_mw"] * MW_PER_GW,
        group=np.where(is_xai, groups["xai"], groups["other"]),
    )
    top = frame.nlargest(limit, "power_mw")
    xai = frame[is_xai].nlargest(MAX_XAI_SITES, "power_mw")
    chosen = pd.concat([top, xai[~xai.index.isin(top.index)]])
    chosen = chosen.assign(
        site=chosen["title"].fillna(chosen["handle"]),
        owner=_clean_parties(chosen["owner"]),
        users=_clean_parties(chosen["users"]),
    )
    chosen = chosen.sort_values("power_mw", ascending=False, kind="stable")
    return _chart_data(chosen[columns].reset_index(drop=True))


def density_chart(frame: pd.DataFrame, data: Dataset, title: list[str]) -> alt.TopLevelMixin:
    """Power against compute, one point per site; xAI's sites in colour and named on the chart
    (the PDF has no tooltips). ``title`` is one or two lines."""
    lines = [line for line in title if line]
    words = _words("density_chart")
    tip, description, xai = words["tooltip"], words["description"], _groups()["xai"]
    points = charts.scatter_chart(
        frame,
        x="power_mw:Q",
        y="h100e:Q",
        color="group:N",
        highlight=xai,
        title=lines[0],
        x_title=words["x"],
        y_title=words["y"],
        description=description,
        tooltip=[
            alt.Tooltip("site:N", title=tip["site"]),
            alt.Tooltip("owner:N", title=tip["owner"]),
            alt.Tooltip("power_mw:Q", title=tip["power_mw"], format=",.0f"),
            alt.Tooltip("h100e:Q", title=tip["h100e"], format=",.0f"),
            alt.Tooltip("h100e_per_mw:Q", title=tip["h100e_per_mw"], format=",.0f"),
            alt.Tooltip("kw_per_h100e:Q", title=tip["kw_per_h100e"], format=".2f"),
        ],
        source=_source_title(data, _first_source(frame)),
    ).encode(x=alt.X("power_mw:Q", title=words["x"], axis=alt.Axis(tickCount=8)))
    if frame.empty:
        return points
    layer_title = alt.Title(lines, subtitle=points.title.subtitle)
    points = points.copy()
    points.title = points.description = alt.Undefined  # the layer carries them
    labels = (
        alt.Chart(frame)
        .mark_text(align="left", dx=8, dy=-8, color=charts.HIGHLIGHT_COLOR, fontSize=12)
        .encode(x="power_mw:Q", y="h100e:Q", text="site:N")
        .transform_filter(alt.datum.group == xai)
        .properties(width=charts.CHART_WIDTH_PX, height=charts.CHART_HEIGHT_PX)
    )
    return alt.layer(points, labels, data=frame).properties(
        title=layer_title, description=description
    )


def density_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object] | None:
    """The site with the most compute per MW and its multiple of the median site shown; None
    when the chart has no site."""
    if frame.empty:
        return None
    densest = frame.loc[frame["h100e_per_mw"].idxmax()]
    return {
        **_values(densest, "site", "h100e_per_mw"),
        "ratio_to_median": float(densest["h100e_per_mw"] / frame["h100e_per_mw"].median()),
    }


def density_text_values(data: Dataset) -> dict[str, object] | None:
    """Compute per MW across the sites shown (count, median) and for each xAI site (H100e per
    MW, kW per H100e); None without Epoch's estimates."""
    frame = data_center_metrics(data)
    if frame.empty:
        return None
    xai = frame[frame["group"].eq(_groups()["xai"])]
    return {
        "n": len(frame),
        "median": float(frame["h100e_per_mw"].median()),
        "xai": [_values(row, "site", "h100e_per_mw", "kw_per_h100e") for _, row in xai.iterrows()],
        "source_id": _value(_first_source(frame)),
    }


def capital_per_gw(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> pd.DataFrame:
    """Epoch's capital cost per GW by site, plus the book's assumption as its own bar (its
    ``kind`` is the template's word for ``assumption``)."""
    columns = ["site", "capital_usd_bn_per_gw", "capital_cost_usd_bn", "power_mw", "kind"]
    metrics = data_center_metrics(data, limit=MAX_CAPITAL_SITES)
    priced = metrics[metrics["capital_usd_bn_per_gw"].notna()]
    if priced.empty:
        return pd.DataFrame(columns=[*columns, "source_id"])
    words = _words("capital_chart")
    kinds = words["kind"]
    frame = priced.assign(
        kind=np.where(priced["group"].eq(_groups()["xai"]), kinds["xai"], kinds["other"])
    ).sort_values("capital_usd_bn_per_gw", ascending=False, kind="stable")
    assumption = pd.DataFrame(
        {
            "site": [words["assumption_site"]],
            "capital_usd_bn_per_gw": [float(capex_usd_bn_per_gw)],
            "capital_cost_usd_bn": [np.nan],
            "power_mw": [np.nan],
            "kind": [kinds["assumption"]],
            "source_id": [None],
        }
    )
    return _chart_data(pd.concat([frame[[*columns, "source_id"]], assumption], ignore_index=True))


def _epoch_capital(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``capital_per_gw`` that are Epoch's sites (not the scenario's assumption)."""
    return frame[frame["kind"].ne(_words("capital_chart")["kind"]["assumption"])]


def capital_chart(frame: pd.DataFrame, data: Dataset, title: list[str]) -> alt.Chart:
    """Capital per GW by site and the scenario's assumption; ``title`` is one or two lines."""
    epoch = _epoch_capital(frame)
    lines = [line for line in title if line]
    words = _words("capital_chart")
    tip, kinds = words["tooltip"], words["kind"]
    chart = charts.bar_chart(
        frame,
        x="capital_usd_bn_per_gw:Q",
        y="site:N",
        color="kind:N",
        title=lines[0],
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        tooltip=[
            alt.Tooltip("site:N", title=tip["site"]),
            alt.Tooltip("kind:N", title=tip["kind"]),
            alt.Tooltip(
                "capital_usd_bn_per_gw:Q", title=tip["capital_usd_bn_per_gw"], format=",.1f"
            ),
            alt.Tooltip("capital_cost_usd_bn:Q", title=tip["capital_cost_usd_bn"], format=",.1f"),
            alt.Tooltip("power_mw:Q", title=tip["power_mw"], format=",.0f"),
        ],
        source=_source_title(data, _first_source(epoch)) if not epoch.empty else None,
    )
    chart = chart.encode(
        color=alt.Color(
            "kind:N",
            title=words["legend"]["kind"],
            scale=alt.Scale(
                domain=[kinds["xai"], kinds["other"], kinds["assumption"]],
                range=[charts.HIGHLIGHT_COLOR, charts.MUTED_COLOR, charts.CATEGORY_COLORS[0]],
            ),
        )
    )
    chart = _sort_y(chart, "site", words["y"], list(frame["site"]))
    return _title_lines(chart, lines) if len(lines) > 1 else chart


def capital_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object] | None:
    """Epoch's median capital per GW and the scenario's assumption; None without Epoch's."""
    epoch = _epoch_capital(frame)
    if epoch.empty:
        return None
    is_assumption = frame["kind"].eq(_words("capital_chart")["kind"]["assumption"])
    assumed = frame.loc[is_assumption, "capital_usd_bn_per_gw"].iloc[0]
    return {
        "median": float(epoch["capital_usd_bn_per_gw"].median()),
        "assumption": float(assumed),
    }


def capital_text_values(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> dict[str, object] | None:
    """Epoch's capital per GW across the sites shown (range, median, xAI's sites) and where the
    scenario's assumption falls: ``case`` is "high" above 1.05× the median, "low" below
    0.95×, else "central". None without Epoch's estimates."""
    frame = capital_per_gw(data, capex_usd_bn_per_gw)
    epoch = _epoch_capital(frame)
    if epoch.empty:
        return None
    values = epoch["capital_usd_bn_per_gw"]
    median = float(values.median())
    relation = capex_usd_bn_per_gw / median
    xai = epoch[epoch["kind"].eq(_words("capital_chart")["kind"]["xai"])]
    return {
        "min": float(values.min()),
        "max": float(values.max()),
        "median": median,
        "n": len(epoch),
        "xai": [_values(row, "site", "capital_usd_bn_per_gw") for _, row in xai.iterrows()],
        "source_id": _value(_first_source(epoch)),
        "assumption": float(capex_usd_bn_per_gw),
        "relation": float(relation),
        "case": "high" if relation > 1.05 else "low" if relation < 0.95 else "central",
    }


# 6. Claimed versus measured ------------------------------------------------------------------


def claim_comparisons(data: Dataset) -> pd.DataFrame:
    """Article claims about xAI's power and compute next to Epoch's estimates, one row each.

    ``quantity`` is ``power`` (in MW, of the curated ``site``) or ``compute`` (in H100e, of
    all xAI's sites; ``site`` None). ``epoch`` is Epoch's current estimate, of ``epoch_site``
    (one site) or of the sites listed in ``epoch_sites`` (xAI's compute, all sites);
    ``projected`` what Epoch's timelines reach after its snapshot (for compute: each xAI
    site's last projection, or its current value if it has none).
    """
    rows: list[dict[str, object]] = []
    sites = model_sites.xai_site_rows(data)
    if not sites.empty:
        with_power = sites[sites["power_mw"].notna() & sites["epoch_data_center"].notna()]
        with_power = with_power.head(MAX_LISTED)
        current = model_sites.epoch_current(data, with_power["epoch_data_center"])
        projected = model_sites.epoch_projected(data, with_power["epoch_data_center"])
        for site in with_power.to_dict("records"):
            epoch = current.get(site["epoch_data_center"])
            if epoch is None:
                continue
            ahead = projected.get(site["epoch_data_center"])
            rows.append(
                {
                    "quantity": "power",
                    "site": site["site_name"],
                    "claim": site["power_mw"],
                    "claim_qualifier": site["power_qualifier"],
                    "claim_status": site["status"],
                    "claim_date": site["fact_date"],
                    "claim_date_precision": site["fact_date_precision"],
                    "claim_source": site["source_id"],
                    "epoch": epoch["power_mw"],
                    "epoch_site": epoch["title"] or epoch["handle"],
                    "epoch_sites": None,
                    "epoch_source": epoch["source_id"],
                    "projected": np.nan if ahead is None else ahead["power_mw"],
                    "projected_date": pd.NaT if ahead is None else ahead["date"],
                }
            )
    centers = xai_data_centers(data, limit=None)
    claim = model_sites.latest_compute(data, XAI)
    if claim is not None and not centers.empty:
        ahead = model_sites.projections(data).set_index("data_center")
        future = centers["handle"].map(ahead["h100e"])
        rows.append(
            {
                "quantity": "compute",
                "site": None,
                "claim": claim["value"],
                "claim_qualifier": claim["value_qualifier"],
                "claim_status": claim["status"],
                "claim_date": claim["fact_date"],
                "claim_date_precision": claim["fact_date_precision"],
                "claim_source": claim["source_id"],
                "epoch": centers["h100e"].sum(),
                "epoch_site": None,
                "epoch_sites": list(centers["site"]),
                "epoch_source": centers["source_id"].iloc[0],
                "projected": future.fillna(centers["h100e"]).sum()
                if future.notna().any()
                else np.nan,
                "projected_date": centers["handle"].map(ahead["date"]).max(),
            }
        )
    return pd.DataFrame(rows)


def _verdict(row: dict) -> tuple[str, float | None]:
    """What the gap between an article's figure and Epoch's estimate means, as a code, and the
    claim's multiple of Epoch's estimate (None where there is none): no_epoch, zero_claim,
    agree (within ten per cent), below, above_projected (Epoch's projection reaches 90% of the
    claim) or above."""
    claim, epoch, projected = row["claim"], row["epoch"], row["projected"]
    if fmt.is_missing(epoch) or epoch <= 0:
        return "no_epoch", None
    if claim <= 0:  # no multiple of a zero claim: give the two figures
        return "zero_claim", None
    gap = float(claim / epoch)
    if 0.9 <= gap <= 1.1:
        return "agree", gap
    if gap < 1:
        return "below", gap
    if not fmt.is_missing(projected) and projected >= claim * 0.9:
        return "above_projected", gap
    return "above", gap


CLAIM_FIELDS = (
    "quantity",
    "site",
    "claim",
    "claim_qualifier",
    "claim_status",
    "claim_date",
    "claim_date_precision",
    "claim_source",
    "epoch",
    "epoch_site",
    "epoch_sites",
    "epoch_source",
    "projected",
    "projected_date",
)


def claims_text_values(data: Dataset) -> list[dict[str, object]]:
    """Each article claim beside Epoch's estimate, with its verdict code and multiple
    (``gap``, claim ÷ Epoch) and ``reported`` when the claim's status is a plain report."""
    rows = []
    for row in claim_comparisons(data).to_dict("records"):
        verdict, gap = _verdict(row)
        rows.append(
            {
                **{field: _value(row[field]) for field in CLAIM_FIELDS},
                "reported": row["claim_status"] == "reported",
                "verdict": verdict,
                "gap": gap,
                "inverse_gap": None if not gap else 1 / gap,
            }
        )
    return rows


# 7. The xAI sites table ----------------------------------------------------------------------

MISSING_CELL = "–"


def _or_none(text: str) -> str | None:
    return None if text == fmt.MISSING else text


def xai_sites(data: Dataset) -> pd.DataFrame:
    """xAI's sites: canonical curated rows joined to their Epoch data centre, then the Epoch
    data centres of xAI that no curated row links (values, not yet formatted)."""
    sites = model_sites.xai_site_rows(data).head(MAX_TABLE_SITE_ROWS)
    centers = _table(data, "epoch_data_centers")
    rows = []
    linked: set[str] = set()
    current = model_sites.epoch_current(data, sites["epoch_data_center"]) if not sites.empty else {}
    for site in sites.to_dict("records"):
        epoch = current.get(site["epoch_data_center"])
        if epoch is not None:
            linked.add(str(site["epoch_data_center"]))
        rows.append(
            {
                "site": site["site_name"],
                "site_status": site["site_status"],
                "status": site["status"],
                "owner": model_names.company_name(data, site["owner_company_id"]),
                "tenant": model_names.company_name(data, site["tenant_company_id"]),
                "power_mw": site["power_mw"],
                "power_qualifier": site["power_qualifier"],
                "epoch_power_mw": None if epoch is None else epoch["power_mw"],
                "h100e": site["h100e"],
                "h100e_qualifier": site["h100e_qualifier"],
                "epoch_h100e": None if epoch is None else epoch["h100e"],
                "capex_usd_bn": site["capex_usd_bn"],
                "capex_qualifier": site["capex_qualifier"],
                "epoch_capital_usd_bn": None if epoch is None else epoch["capital_cost_usd_bn"],
                "source_id": site["source_id"],
                "epoch_source_id": None if epoch is None else epoch["source_id"],
            }
        )
    if not centers.empty:
        unlinked = xai_data_centers(data, limit=None)
        unlinked = unlinked[~unlinked["handle"].isin(linked)].head(MAX_TABLE_EPOCH_ROWS)
        for center in unlinked.to_dict("records"):
            rows.append(
                {
                    "site": center["site"],
                    "site_status": "existing",
                    "status": "estimate",
                    "owner": _clean_parties(pd.Series([center["owner"]])).iloc[0],
                    "tenant": _clean_parties(pd.Series([center["users"]])).iloc[0],
                    "power_mw": None,
                    "power_qualifier": None,
                    "epoch_power_mw": center["power_mw"],
                    "h100e": None,
                    "h100e_qualifier": None,
                    "epoch_h100e": center["h100e"],
                    "capex_usd_bn": None,
                    "capex_qualifier": None,
                    "epoch_capital_usd_bn": center["capital_cost_usd_bn"],
                    "source_id": None,
                    "epoch_source_id": center["source_id"],
                }
            )
    return pd.DataFrame(rows)


def _pair(article: str, epoch: str) -> str | None:
    """'about 300 MW / 498 MW': the article's value, then Epoch's; a dash where one is missing."""
    article, epoch = _or_none(article), _or_none(epoch)
    if article is None and epoch is None:
        return None
    return f"{article or MISSING_CELL} / {epoch or MISSING_CELL}"


def sites_table(data: Dataset) -> pd.DataFrame:
    """The xAI sites as readers see them: each quantity as 'article / Epoch', '–' if unstated.

    Epoch's values are its current estimates (capital cost in 2025 dollars); the article's
    source is named per row, Epoch's in the sources line under the table.
    """
    words = _words("sites_table")
    columns = words["columns"]
    sites = xai_sites(data)
    if sites.empty:
        return pd.DataFrame({columns["site"]: [words["empty"]]})
    rows = sites.to_dict("records")
    status_words = _words("status_words")
    table = pd.DataFrame(
        {
            "site": sites["site"],
            "status": [
                f"{_status_word(status_words, r['site_status'])} ({r['status']})" for r in rows
            ],
            "owner": [
                r["owner"]
                if not r["tenant"] or r["tenant"] == r["owner"]
                else f"{r['owner']} → {r['tenant']}"
                for r in rows
            ],
            "power": [
                _pair(
                    fmt.megawatts(r["power_mw"], r["power_qualifier"]),
                    fmt.megawatts(r["epoch_power_mw"]),
                )
                for r in rows
            ],
            "h100e": [
                _pair(fmt.h100e(r["h100e"], r["h100e_qualifier"]), fmt.h100e(r["epoch_h100e"]))
                for r in rows
            ],
            "capex": [
                _pair(
                    fmt.usd_bn(r["capex_usd_bn"], r["capex_qualifier"]),
                    fmt.usd_bn(r["epoch_capital_usd_bn"]),
                )
                for r in rows
            ],
            "source": [source_label(data, r["source_id"]) or words["no_article"] for r in rows],
        }
    )
    return table[list(columns)].rename(columns=columns)


def _status_word(words: dict, code: object) -> str:
    """A site status as readers see it: the template's word, or the code with spaces."""
    return words.get(str(code), str(code).replace("_", " "))


def sites_caption_values(data: Dataset) -> dict[str, int]:
    """How many of the sites table's rows come from the articles and how many from Epoch."""
    sites = xai_sites(data)
    curated = int(sites["source_id"].notna().sum()) if not sites.empty else 0
    return {"articles": curated, "epoch": len(sites) - curated}


def sites_sources(data: Dataset) -> list[object]:
    sites = xai_sites(data)
    if sites.empty:
        return []
    return [*sites["source_id"].dropna(), *sites["epoch_source_id"].dropna()]


def _is_planned(sites: pd.DataFrame) -> pd.Series:
    return sites["site_status"].isin(PLANNED_SITE_STATUSES) | sites["scope"].isin(FUTURE_SCOPES)


def _site_fact_values(data: Dataset, site: dict) -> dict[str, object]:
    """The stated facts of one curated site row: status (``status_shown`` when the row's
    claim status adds to it, as in 'under construction (plan)'), power, compute, capex, another
    company using it, and the target date when the row is dated after its publication."""
    owner, tenant = site["owner_company_id"], site["tenant_company_id"]
    status, site_status = site["status"], site["site_status"]
    targeted = site["fact_date"] > site["published_date"]
    return {
        "site": _value(site["site_name"]),
        "site_status": _value(site_status),
        "status": _value(status),
        "status_shown": not (
            status == "reported" or (status == "plan" and site_status in ("planned", "announced"))
        ),
        **{
            field: _value(site[field])
            for field in (
                "power_mw",
                "power_qualifier",
                "h100e",
                "h100e_qualifier",
                "capex_usd_bn",
                "capex_qualifier",
                "source_id",
            )
        },
        "tenant": None
        if fmt.is_missing(tenant) or tenant == owner
        else model_names.company_name(data, tenant),
        "target_date": _value(site["fact_date"]) if targeted else None,
        "target_precision": _value(site["fact_date_precision"]),
    }


def sites_overview_values(data: Dataset) -> list[dict[str, object]]:
    """The facts the articles state about xAI's existing sites, one canonical row each (planned
    sites are told with the plans, ``plans_text``)."""
    sites = model_sites.xai_site_rows(data)
    sites = sites[~_is_planned(sites)].head(MAX_TABLE_SITE_ROWS)
    return [_site_fact_values(data, site) for site in sites.to_dict("records")]


# 8. Planned capacity versus existing -------------------------------------------------------------

PLAN_COLUMNS = ["site", "basis", "power_mw", "power_text", "date", "group", "source_id"]


def capacity_plans(data: Dataset) -> pd.DataFrame:
    """Current and projected power of the largest Epoch sites (xAI's always in), and the power
    the articles announce, long format: one bar per row (chart data; ``basis`` in the
    template's words)."""
    basis = _words("plans_chart")["basis"]
    groups = _groups()
    centers = _table(data, "epoch_data_centers")
    epoch_rows = pd.DataFrame(columns=PLAN_COLUMNS)
    names: dict[str, str] = {}
    if not centers.empty:
        ahead = model_sites.projections(data).set_index("data_center")
        frame = centers.assign(
            site=centers["title"].fillna(centers["handle"]),
            projected_mw=centers["handle"].map(ahead["power_mw"]),
            projected_date=centers["handle"].map(ahead["date"]),
            is_xai=model_names.epoch_company_mask(data, centers["owner"], XAI),
        )
        frame["peak_mw"] = frame[["power_mw", "projected_mw"]].max(axis=1)
        frame = frame[frame["peak_mw"].gt(0)]
        top = frame.nlargest(MAX_PLAN_SITES, "peak_mw")
        xai = frame[frame["is_xai"]].nlargest(MAX_XAI_SITES, "peak_mw")
        chosen = pd.concat([top, xai[~xai.index.isin(top.index)]])
        names = dict(zip(chosen["handle"], chosen["site"], strict=True))
        group = np.where(chosen["is_xai"], groups["xai"], groups["other"])
        current = pd.DataFrame(
            {
                "site": chosen["site"],
                "basis": basis["current"],
                "power_mw": chosen["power_mw"],
                "power_text": [fmt.megawatts(v) for v in chosen["power_mw"]],
                "date": chosen["published_date"],
                "group": group,
                "source_id": chosen["source_id"],
            }
        )
        future = chosen["projected_mw"].notna()
        projected = pd.DataFrame(
            {
                "site": chosen.loc[future, "site"],
                "basis": basis["projected"],
                "power_mw": chosen.loc[future, "projected_mw"],
                "power_text": [fmt.megawatts(v) for v in chosen.loc[future, "projected_mw"]],
                "date": chosen.loc[future, "projected_date"],
                "group": group[future.to_numpy()],
                "source_id": chosen.loc[future, "source_id"],
            }
        )
        epoch_rows = pd.concat([current, projected], ignore_index=True)
    sites = model_sites.sites(data)
    article_rows = pd.DataFrame(columns=PLAN_COLUMNS)
    if not sites.empty:
        stated = sites[sites["power_mw"].notna()]
        is_xai = stated["owned_by_xai"]  # xAI's own sites; a Musk company's or a tenancy is not
        chosen = pd.concat(
            [
                stated[is_xai].nlargest(MAX_XAI_SITES, "power_mw"),
                stated[~is_xai].nlargest(MAX_ARTICLE_PLANS, "power_mw"),
            ]
        )
        linked = chosen["epoch_data_center"].map(names)
        article_rows = pd.DataFrame(
            {
                "site": linked.fillna(chosen["site_name"]),
                "basis": basis["announced"],
                "power_mw": chosen["power_mw"],
                "power_text": [
                    f"{fmt.megawatts(v, q)} ({s})"
                    for v, q, s in zip(
                        chosen["power_mw"], chosen["power_qualifier"], chosen["status"], strict=True
                    )
                ],
                "date": chosen["fact_date"],
                "group": np.where(chosen["owned_by_xai"], groups["xai"], groups["other"]),
                "source_id": chosen["source_id"],
            }
        )
    frames = [frame for frame in (epoch_rows, article_rows) if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    result = pd.concat(frames, ignore_index=True)
    peak = result.groupby("site")["power_mw"].transform("max")
    order = {word: rank for rank, word in enumerate(_plan_bases(basis))}
    result = result.assign(_peak=peak, _order=result["basis"].map(order))
    result = result.sort_values(["_peak", "site", "_order"], ascending=[False, True, True])
    return _chart_data(
        result.drop(columns=["_peak", "_order"]).reset_index(drop=True)[PLAN_COLUMNS]
    )


def _plan_bases(words: dict) -> list[str]:
    """The bases of a site's bars in the order they are drawn: current, projected, announced."""
    return [words["current"], words["projected"], words["announced"]]


def plans_title_values(frame: pd.DataFrame, data: Dataset) -> dict[str, object] | None:
    """The largest planned or projected power at one site and its multiple of the largest in
    operation; None unless the chart has both."""
    is_current = frame["basis"].eq(_words("plans_chart")["basis"]["current"])
    current, future = frame[is_current], frame[~is_current]
    if current.empty or future.empty:
        return None
    biggest = float(future["power_mw"].max())
    return {"power_mw": biggest, "ratio_to_running": biggest / float(current["power_mw"].max())}


def plans_chart(frame: pd.DataFrame, data: Dataset, title: str) -> alt.Chart:
    """Current, projected and announced power of the largest sites (``title``: the template's)."""
    order = list(dict.fromkeys(frame["site"]))
    words = _words("plans_chart")
    tip, bases = words["tooltip"], _plan_bases(words["basis"])
    chart = charts.bar_chart(
        frame,
        x="power_mw:Q",
        y="site:N",
        color="basis:N",
        title=title,
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        tooltip=[
            alt.Tooltip("site:N", title=tip["site"]),
            alt.Tooltip("basis:N", title=tip["basis"]),
            alt.Tooltip("power_text:N", title=tip["power_text"]),
            alt.Tooltip("date:T", title=tip["date"], format="%b %Y"),
        ],
        source=words["source"],
    )
    chart = chart.encode(
        yOffset=alt.YOffset("basis:N", sort=bases),
        color=alt.Color("basis:N", title=words["legend"]["basis"], sort=bases),
    )
    return _sort_y(chart, "site", words["y"], order)


def _owns_or_uses(data: Dataset, centers: pd.DataFrame, company_id: str) -> pd.Series:
    """Epoch's data centres the company owns, or uses by Epoch's confident or likely guess."""
    return model_names.epoch_company_mask(
        data, centers["owner"], company_id
    ) | model_names.epoch_company_mask(data, centers["users"], company_id, USER_TAGS)


@_cached("company_metrics", "epoch_data_centers", "companies")
def _peer_frames(data: Dataset) -> dict[str, pd.DataFrame]:
    """The rows about the rivals in ``PEERS`` (their planned investment, Epoch's data centres
    they own or use), cut from the whole tables once for all of them."""
    frames = {}
    metrics = _table(data, "company_metrics")
    if not metrics.empty:
        frames["company_metrics"] = metrics[
            metrics["company_id"].isin(PEERS) & metrics["metric"].isin(INVESTMENT_METRICS)
        ]
    centers = _table(data, "epoch_data_centers")
    if not centers.empty:
        masks = [_owns_or_uses(data, centers, peer) for peer in PEERS]
        frames["epoch_data_centers"] = centers[np.logical_or.reduce(masks)]
    return frames


def _peer_values(data: Dataset, company_id: str) -> dict[str, object] | None:
    """A rival's planned investments, its site rows (as ``sites_overview_values`` gives them)
    and Epoch's largest sites it owns or uses; None if the edition has none of them."""
    shown_claims: set[str] = set()
    peer_frames = _peer_frames(data) if company_id in PEERS else {}

    def table(table_name: str) -> pd.DataFrame:
        return peer_frames.get(table_name, _table(data, table_name))

    investments, site_rows, epoch = [], [], None
    metrics = table("company_metrics")
    if not metrics.empty:
        planned = canonical(
            metrics[
                metrics["company_id"].eq(company_id) & metrics["metric"].isin(INVESTMENT_METRICS)
            ]
        )
        for row in (
            planned.sort_values("value", ascending=False).head(MAX_LISTED).to_dict("records")
        ):
            shown_claims.add(row["claim_id"])
            period = row["period"] if not fmt.is_missing(row["period"]) else row["metric"]
            investments.append(
                {
                    "period": period,
                    **_values(row, "value", "value_qualifier", "status", "source_id"),
                }
            )
    sites = model_sites.sites(data)
    if not sites.empty:
        rows = sites[sites["owner_company_id"].eq(company_id)]
        rows = rows[~rows["claim_id"].isin(shown_claims)]  # the same claim, told in metrics
        site_rows = [
            _site_fact_values(data, row) for row in rows.head(MAX_LISTED).to_dict("records")
        ]
    centers = table("epoch_data_centers")
    if not centers.empty:
        mine = centers[_owns_or_uses(data, centers, company_id)]
        if not mine.empty:
            ahead = model_sites.projections(data).set_index("data_center")
            mine = mine.assign(
                projected_mw=mine["handle"].map(ahead["power_mw"]),
                projected_date=mine["handle"].map(ahead["date"]),
                peak_mw=lambda f: f[["power_mw", "projected_mw"]].max(axis=1),
            ).nlargest(MAX_LISTED, "peak_mw")
            epoch = {
                "sites": [
                    {
                        "name": row["title"] or row["handle"],
                        **_values(row, "power_mw", "projected_mw", "projected_date"),
                    }
                    for row in mine.to_dict("records")
                ],
                "source_id": _value(_first_source(mine)),
            }
    if not (investments or site_rows or epoch):
        return None
    return {
        "name": model_names.company_name(data, company_id),
        "investments": investments,
        "sites": site_rows,
        "epoch": epoch,
    }


def plans_text_values(data: Dataset) -> dict[str, object]:
    """xAI's announced sites, orbit and chips (each with its stated facts, the owner when it is
    not xAI, and ``no_size`` for a future-scope row that states nothing but its status), then
    the rivals' plans (``peers``)."""
    planned = []
    sites = model_sites.xai_site_rows(data)
    if not sites.empty:
        for row in sites[_is_planned(sites)].head(MAX_TABLE_SITE_ROWS).to_dict("records"):
            facts = _site_fact_values(data, row)
            stated = [facts[key] for key in ("power_mw", "h100e", "capex_usd_bn", "tenant")]
            planned.append(
                {
                    **facts,
                    "owner": None
                    if row["owner_company_id"] == XAI
                    else model_names.company_name(data, row["owner_company_id"]),
                    "no_size": row["scope"] in FUTURE_SCOPES
                    and all(value is None for value in stated)
                    and facts["target_date"] is None,
                }
            )
    peers = [peer for peer in (_peer_values(data, company) for company in PEERS) if peer]
    return {"planned": planned, "peers": peers}


# 9. Scenario: the plans priced at the assumed capital cost per GW ------------------------------

SCENARIO_COLUMNS = [
    "item",
    "basis",
    "stated_mw",
    "stated_usd_bn",
    "stated_qualifier",
    "status",
    "date",
    "power_gw",
    "capital_usd_bn",
    "is_lower_bound",
    "compare_usd_bn",
    "compare_qualifier",
    "source_id",
]
# how a row is priced (``basis``): the template's scenario_table words say it to readers
ARTICLE_BASIS, EPOCH_BASIS, INVESTMENT_BASIS = "announced", "epoch", "investment"
LOWER_BOUNDS = ("at_least", "more_than")


def scenario(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> pd.DataFrame:
    """What the plans would cost at the assumed capital cost per GW (a build parameter).

    Rows: xAI's planned sites (announced power × assumption, ``basis`` ``announced``); Epoch's
    projections for xAI's sites (projected power × assumption, ``epoch``, next to Epoch's own
    capital-cost estimate); the rivals' planned investment turned into the gigawatts it would
    buy at the assumption (``investment``). ``stated_*``, ``status`` and ``date`` are what the
    source states; ``compare_usd_bn`` a capital cost the source gives for the same item.
    """
    rows = []
    sites = model_sites.xai_site_rows(data)
    if not sites.empty:
        planned = sites[
            sites["power_mw"].notna()
            & (
                sites["status"].isin(PLAN_STATUSES)
                | sites["site_status"].isin(PLANNED_SITE_STATUSES)
            )
        ].nlargest(MAX_LISTED, "power_mw")
        for row in planned.to_dict("records"):
            rows.append(
                {
                    "item": row["site_name"],
                    "basis": ARTICLE_BASIS,
                    "stated_mw": row["power_mw"],
                    "stated_qualifier": row["power_qualifier"],
                    "status": row["status"],
                    "power_gw": row["power_mw"] / MW_PER_GW,
                    "capital_usd_bn": row["power_mw"] / MW_PER_GW * capex_usd_bn_per_gw,
                    "is_lower_bound": row["power_qualifier"] in LOWER_BOUNDS,
                    "compare_usd_bn": row["capex_usd_bn"],
                    "compare_qualifier": row["capex_qualifier"],
                    "source_id": row["source_id"],
                }
            )
    centers = xai_data_centers(data)
    if not centers.empty:
        ahead = model_sites.projections(data)
        ahead = ahead[ahead["data_center"].isin(centers["handle"])]
        names = dict(zip(centers["handle"], centers["site"], strict=True))
        for row in ahead.to_dict("records"):
            rows.append(
                {
                    "item": names[row["data_center"]],
                    "basis": EPOCH_BASIS,
                    "stated_mw": row["power_mw"],
                    "date": row["date"],
                    "power_gw": row["power_mw"] / MW_PER_GW,
                    "capital_usd_bn": row["power_mw"] / MW_PER_GW * capex_usd_bn_per_gw,
                    "is_lower_bound": False,
                    "compare_usd_bn": row["capital_cost_usd_bn"],
                    "source_id": row["source_id"],
                }
            )
    metrics = _table(data, "company_metrics")
    if not metrics.empty:
        invest = canonical(
            metrics[metrics["company_id"].isin(PEERS) & metrics["metric"].isin(INVESTMENT_METRICS)]
        )
        for row in invest.nlargest(MAX_LISTED, "value").to_dict("records"):
            rows.append(
                {
                    "item": f"{model_names.company_name(data, row['company_id'])}: {row['period']}",
                    "basis": INVESTMENT_BASIS,
                    "stated_usd_bn": row["value"],
                    "stated_qualifier": row["value_qualifier"],
                    "status": row["status"],
                    "power_gw": row["value"] / capex_usd_bn_per_gw,
                    "capital_usd_bn": row["value"],
                    "is_lower_bound": row["value_qualifier"] in LOWER_BOUNDS,
                    "source_id": row["source_id"],
                }
            )
    return pd.DataFrame(rows, columns=SCENARIO_COLUMNS)


def _priced_values(row: dict) -> dict[str, object]:
    """One row of ``scenario`` as the template's scenario_* macros read it (``power_mw``: the
    power it has or would buy)."""
    return {
        **{field: _value(row[field]) for field in SCENARIO_COLUMNS},
        "is_lower_bound": bool(row["is_lower_bound"]),
        "power_mw": _value(row["power_gw"] * MW_PER_GW),
    }


def scenario_table(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> pd.DataFrame:
    """The scenario as readers see it; the assumption's results are marked as such."""
    words = _words("scenario_table")
    columns = words["columns"]
    frame = scenario(data, capex_usd_bn_per_gw)
    if frame.empty:
        return pd.DataFrame({columns["item"]: [words["empty"]]})
    rows = [_priced_values(row) for row in frame.to_dict("records")]

    def cells(macro: str) -> list[str]:
        return [prose.render_text(TEMPLATE, macro, r=row) for row in rows]

    table = pd.DataFrame(
        {
            "item": frame["item"],
            "stated": cells("scenario_stated"),
            "power": cells("scenario_power"),
            "capital": cells("scenario_capital"),
            "basis": frame["basis"].map(words["basis"]),
            "compare": [cell or None for cell in cells("scenario_compare")],
            "source": [source_label(data, s) for s in frame["source_id"]],
        }
    )
    return table[list(columns)].rename(columns=columns)


def scenario_sources(data: Dataset, capex_usd_bn_per_gw: float) -> list[object]:
    return list(scenario(data, capex_usd_bn_per_gw)["source_id"])


def scenario_caption_values(
    capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW,
) -> dict[str, object]:
    """The scenario's assumption and the name of the parameter that sets it."""
    return {"usd_bn_per_gw": float(capex_usd_bn_per_gw), "parameter": CAPEX_PARAMETER}


def scenario_text_values(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> dict[str, list[dict[str, object]]]:
    """Each priced item (``buys_power``: a planned investment turned into the power it would
    buy, else power priced into capital), then the articles' own capex figures for xAI."""
    items = [
        {**_priced_values(row), "buys_power": row["basis"] == INVESTMENT_BASIS}
        for row in scenario(data, capex_usd_bn_per_gw).to_dict("records")
    ]
    capex = []
    metrics = _table(data, "company_metrics")
    if not metrics.empty:
        rows = canonical(metrics[metrics["company_id"].eq(XAI) & metrics["metric"].eq("capex")])
        fields = ("period", "value", "value_qualifier", "value_max", "source_id")
        for _, row in rows.head(MAX_LISTED).iterrows():
            capex.append(
                {**_values(row, *fields), "estimated_by": _value(row["estimated_by"]) or None}
            )
    return {"priced": items, "capex": capex}


def what_would_change_values(data: Dataset) -> dict[str, object]:
    """Which evidence would overturn this edition's conclusions: flags for what it holds (a
    ranked xAI cluster, a compute claim or only Epoch's estimate, a rented site, planned sites)
    and the capital-cost parameter's name."""
    comparisons = claim_comparisons(data)
    compute_claim = not comparisons.empty and bool(comparisons["quantity"].eq("compute").any())
    sites = model_sites.xai_site_rows(data)
    rented = not model_sites.leased_sites(data).empty
    planned = False
    if not sites.empty:
        planned = bool(sites["site_status"].isin(PLANNED_SITE_STATUSES).any())
    return {
        "ranked": cluster_standing(data) is not None,
        "compute_claim": compute_claim,
        "epoch_only": not compute_claim and not xai_data_centers(data).empty,
        "rented": rented,
        "planned": planned,
        "parameter": CAPEX_PARAMETER,
    }


# 10. Key findings and headline ------------------------------------------------------------------


def _value(value: object) -> object:
    """A value a template can test and print: None for NaN/NaT, Python numbers for NumPy's."""
    if isinstance(value, list | tuple | dict):
        return value
    if fmt.is_missing(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _values(row: object, *columns: str) -> dict[str, object]:
    return {column: _value(row[column]) for column in columns}


def _rank_finding(data: Dataset) -> dict[str, object] | None:
    """Where xAI's largest cluster ranks (None if Epoch ranks no cluster at all); ``standing``
    is None when no xAI cluster is ranked, and ``largest`` is the leader then."""
    ranked = ranked_clusters(data)
    if ranked.empty:
        return None
    return {
        "standing": _standing_values(data),
        "largest": _values(ranked.iloc[0], "name", "h100e"),
        "source_id": _value(_first_source(ranked)),
    }


def _speed_finding(data: Dataset) -> dict[str, object] | None:
    """The fastest xAI build-out, the next one's pace, Epoch's largest projection."""
    speed = build_speed(buildout(data)).dropna(subset=["mw_per_month"])
    if speed.empty:
        return None
    projected = speed.dropna(subset=["projected_mw"])
    return {
        "fastest": _values(
            speed.iloc[0], "site", "start_mw", "latest_mw", "months", "mw_per_month", "source_id"
        ),
        "next": _values(speed.iloc[1], "site", "mw_per_month") if len(speed) > 1 else None,
        "projected": None
        if projected.empty
        else _values(
            projected.sort_values("projected_mw").iloc[-1], "site", "projected_mw", "projected_date"
        ),
    }


def _claims_finding(data: Dataset) -> dict[str, object] | None:
    """xAI's compute claim against Epoch's estimate (``claim``), or, with no claim, Epoch's
    measured total for xAI's sites (``measured``)."""
    comparisons = claim_comparisons(data)
    if not comparisons.empty:
        comparisons = comparisons[
            comparisons["quantity"].eq("compute") & comparisons["epoch"].gt(0)
        ]
    if not comparisons.empty:
        row = comparisons.iloc[0]
        claim = _values(
            row,
            "claim",
            "claim_qualifier",
            "claim_date",
            "claim_date_precision",
            "claim_source",
            "epoch_site",
            "epoch_sites",
            "epoch",
            "epoch_source",
        )
        gap = float(row["claim"] / row["epoch"])
        return {"claim": {**claim, "gap": gap, "claims_more": gap >= 1}, "measured": None}
    centers = xai_data_centers(data, limit=None)
    if centers.empty:
        return None
    return {
        "claim": None,
        "measured": {
            "h100e": float(centers["h100e"].sum()),
            "power_mw": float(centers["power_mw"].sum()),
            "sites": list(centers["site"]),
            "source_id": _value(_first_source(centers)),
        },
    }


def _rented_finding(data: Dataset) -> dict[str, object] | None:
    """An xAI-owned site another company uses; ``tops_ranking`` if it is the cluster that tops
    Epoch's ranking (its compute within 1% of xAI's first-ranked cluster)."""
    rented = model_sites.leased_sites(data)
    if rented.empty:
        return None
    row = rented.iloc[0]
    handle = row["epoch_data_center"]
    epoch = model_sites.epoch_current(data, [handle]).get(handle)
    standing = cluster_standing(data)
    tops_ranking = (
        epoch is not None
        and standing is not None
        and standing["rank"] == 1
        and abs(epoch["h100e"] - standing["h100e"]) <= 0.01 * standing["h100e"]
    )
    return {
        "site": _value(row["site_name"]),
        "tenant": model_names.company_name(data, row["tenant_company_id"]),
        **_values(row, "power_mw", "power_qualifier", "source_id"),
        "tops_ranking": bool(tops_ranking),
    }


def _capital_finding(data: Dataset, capex_usd_bn_per_gw: float) -> dict[str, object] | None:
    """Epoch's median capital per GW, and the first planned site priced at the assumption."""
    epoch = _epoch_capital(capital_per_gw(data, capex_usd_bn_per_gw))
    priced = scenario(data, capex_usd_bn_per_gw)
    # Announced xAI sites first (largest first), else Epoch's projections for xAI's sites.
    preference = priced["basis"].map({ARTICLE_BASIS: 0, EPOCH_BASIS: 1})
    sized = (
        priced.assign(_preference=preference)
        .dropna(subset=["_preference"])
        .sort_values(["_preference", "power_gw"], ascending=[True, False], kind="stable")
    )
    if epoch.empty and sized.empty:
        return None
    return {
        "median": None
        if epoch.empty
        else {
            "usd_bn_per_gw": float(epoch["capital_usd_bn_per_gw"].median()),
            "source_id": _value(_first_source(epoch)),
        },
        "priced": None
        if sized.empty
        else {
            "assumption_usd_bn_per_gw": float(capex_usd_bn_per_gw),
            **_priced_values(sized.iloc[0].to_dict()),
        },
    }


def key_findings(
    data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW
) -> dict[str, object]:
    """The values of the chapter's key findings (each None when the edition lacks its data)."""
    return {
        "rank": _rank_finding(data),
        "speed": _speed_finding(data),
        "claims": _claims_finding(data),
        "rented": _rented_finding(data),
        "capital": _capital_finding(data, capex_usd_bn_per_gw),
    }


def findings(data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW) -> str:
    """The key findings as the chapter's template writes them (the introduction quotes the
    first)."""
    return prose.render(TEMPLATE, "key_findings", f=key_findings(data, capex_usd_bn_per_gw))


def headline(data: Dataset, capex_usd_bn_per_gw: float = DEFAULT_CAPEX_USD_BN_PER_GW) -> str:
    """Deterministic summary of the chapter's headline numbers (checked by nbval)."""
    lines = []
    standing = cluster_standing(data)
    if standing is None:
        lines.append("xAI cluster: none ranked")
    else:
        lines.append(
            f"xAI cluster rank {standing['rank']} of {standing['eligible']}: "
            f"{standing['name']}, {round(standing['h100e']):,} H100e, "
            f"{round(standing['ratio_to_rival'], 2)}x the next"
        )
    for row in build_speed(buildout(data)).to_dict("records"):
        lines.append(
            f"{row['site']}: {round(row['latest_mw'])} MW on {row['latest_date']:%Y-%m-%d}, "
            f"{round(row['mw_per_month'], 1)} MW a month"
        )
    for row in claim_comparisons(data).to_dict("records"):
        what = f"{row['site']}: power" if row["quantity"] == "power" else "xAI's compute, all sites"
        lines.append(f"{what}: claim {round(row['claim']):,}, Epoch {round(row['epoch']):,}")
    for row in scenario(data, capex_usd_bn_per_gw).to_dict("records"):
        lines.append(f"scenario {row['item']}: {round(row['capital_usd_bn'], 1)} USD bn")
    return "\n".join(lines)
