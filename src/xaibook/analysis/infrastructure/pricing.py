"""Scenario: xAI's and Epoch's planned power and the rivals' planned investment priced at
the assumed capital cost per GW (the ``capex_usd_bn_per_gw`` parameter): the frame, the
table, its sources and caption, and the text values.
"""

from __future__ import annotations

import pandas as pd

from xaibook import prose
from xaibook.analysis.common import canonical, table as _table
from xaibook.analysis.infrastructure.base import (
    CAPEX_PARAMETER,
    DEFAULT_CAPEX_USD_BN_PER_GW,
    INVESTMENT_METRICS,
    MAX_LISTED,
    MW_PER_GW,
    PEERS,
    PLANNED_SITE_STATUSES,
    TEMPLATE,
    XAI,
    _capex_values,
    _passed,
    _value,
    _values,
    _words,
    xai_data_centers,
)
from xaibook.analysis.infrastructure.datacenters import is_modelled_cost
from xaibook.analysis.infrastructure.sites import _site_capex
from xaibook.data.dataset import Dataset
from xaibook.data.limits import IN_WORDS_QUALIFIER
from xaibook.model import (
    metrics as model_metrics,
    names as model_names,
    rounds as model_rounds,
    sites as model_sites,
)
from xaibook.model.names import source_citation

PLAN_STATUSES = ("plan", "target")


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
    "passed",
    "compare_usd_bn",
    "compare_qualifier",
    "compare_modelled",
    "compare",
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
    source states; ``compare_usd_bn`` a capital cost the source gives for the same item,
    ``compare_modelled`` when that cost is Epoch's modelling rate times the power (its rate per
    GW is the one Epoch's model gives most sites: ``datacenters.modelled_rate``), not an
    estimate of the site's own cost.
    """
    rows = []
    sites = model_sites.xai_site_rows(data)
    if not sites.empty:
        # a class named in words ("gigawatt-class") has no figure to price
        planned = sites[
            sites["power_mw"].notna()
            & sites["power_qualifier"].ne(IN_WORDS_QUALIFIER)
            & (
                sites["status"].isin(PLAN_STATUSES)
                | sites["site_status"].isin(PLANNED_SITE_STATUSES)
            )
        ].nlargest(MAX_LISTED, "power_mw")
        for row in planned.to_dict("records"):
            capex = _site_capex(data, row)
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
                    "compare": capex,
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
                    "passed": _passed(data, row["date"]),
                    "compare_usd_bn": row["capital_cost_usd_bn"],
                    "compare_modelled": is_modelled_cost(
                        data, row["capital_cost_usd_bn"], row["power_mw"]
                    ),
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
    compare = row["compare"]
    return {
        **{field: _value(row[field]) for field in SCENARIO_COLUMNS},
        "compare": compare if isinstance(compare, dict) else None,
        "passed": bool(pd.notna(row["passed"]) and row["passed"]),
        "compare_modelled": bool(pd.notna(row["compare_modelled"]) and row["compare_modelled"]),
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
            "source": [source_citation(data, s) for s in frame["source_id"]],
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
    buy, else power priced into capital), then the articles' own capex figures for xAI, and
    xAI's announced sites priced together against the money its closed rounds raised
    (``against_raised``, None without either)."""
    priced = scenario(data, capex_usd_bn_per_gw)
    items = [
        {**_priced_values(row), "buys_power": row["basis"] == INVESTMENT_BASIS}
        for row in priced.to_dict("records")
    ]
    shown = {item["compare"]["record_id"] for item in items if item["compare"]}
    capex = []
    metrics = _table(data, "company_metrics")
    if not metrics.empty:
        rows = canonical(metrics[metrics["company_id"].eq(XAI) & metrics["metric"].eq("capex")])
        rows = rows[~rows["record_id"].isin(shown)]  # already set beside its priced site
        for _, row in rows.head(MAX_LISTED).iterrows():
            magnitude = model_metrics.magnitude(
                row["value"], row["value_max"], row["value_qualifier"], row["unit"]
            )
            capex.append(
                {
                    **_values(row, "period", "source_id"),
                    "capex": _capex_values(pd.Series({**row.to_dict(), "magnitude": magnitude})),
                }
            )
    return {"priced": items, "capex": capex, "against_raised": _against_raised(data, priced)}


def _sized_in_words(data: Dataset) -> list[str]:
    """xAI's sites whose power a source gives only as a class in words."""
    sites = model_sites.xai_site_rows(data)
    if sites.empty:
        return []
    return list(
        dict.fromkeys(sites.loc[sites["power_qualifier"].eq(IN_WORDS_QUALIFIER), "site_name"])
    )


def _against_raised(data: Dataset, priced: pd.DataFrame) -> dict[str, object] | None:
    """xAI's sources and uses in one line: its announced sites at the assumed price (Epoch's
    projections of the same sites are left out, so nothing is counted twice) against all the
    money its closed rounds raised (``xaibook.model.rounds``)."""
    announced = priced[priced["basis"].eq(ARTICLE_BASIS)]
    rounds = model_rounds.closed_rounds(model_rounds.rounds(data))
    raised = model_rounds.total_raised(rounds) if not rounds.empty else 0.0
    if announced.empty or raised <= 0:
        return None
    cost = float(announced["capital_usd_bn"].sum())
    lower_bound = bool(announced["is_lower_bound"].astype(bool).any())
    # not a bound: the money raised is itself a floor (the press reports more raised to date
    # than the closed rounds in the data add up to), so the multiple is only "about"
    multiple = cost / float(raised)
    return {
        "cost": cost,
        "lower_bound": lower_bound,
        "sites": list(announced["item"]),
        # announced sites the sources size only in words ("gigawatt-class"): named, not priced
        "unpriced": _sized_in_words(data),
        "raised": float(raised),
        "multiple": multiple,
        "raised_source_ids": model_rounds.amount_sources(rounds),
        "source_ids": list(dict.fromkeys(announced["source_id"])),
    }
