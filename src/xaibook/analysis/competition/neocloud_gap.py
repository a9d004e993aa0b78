"""The neocloud comparison: xAI's valuation against CoreWeave's, xAI's compute and the deal
that prompted the comparison, and their values for the template.
"""

from __future__ import annotations

import pandas as pd

from xaibook.analysis.common import canonical, table as _table
from xaibook.analysis.competition.base import (
    COREWEAVE,
    XAI,
    _figure,
    _value,
    labels,
)
from xaibook.analysis.competition.multiple_pairs import _multiple_qualifier
from xaibook.analysis.competition.valuation_figures import latest_valuations
from xaibook.data.dataset import Dataset
from xaibook.model import sites as model_sites
from xaibook.model.valuations import stated_in_words


def neocloud_comparison(data: Dataset) -> dict[str, object]:
    """xAI's and CoreWeave's valuations (from the same article where possible), the gap, xAI's
    compute, and the deal that prompted the comparison."""
    valuations = canonical(_table(data, "valuations"))
    metrics = canonical(_table(data, "company_metrics"))
    result: dict[str, object] = {
        "xai": None,
        "coreweave": None,
        "gap": None,
        "compute": None,
        "deal": None,
    }
    if valuations.empty:
        return result
    coreweave = valuations[valuations["company_id"] == COREWEAVE]
    if coreweave.empty:
        return result
    coreweave_row = coreweave.sort_values("fact_date").iloc[-1]
    result["coreweave"] = coreweave_row
    xai = valuations[valuations["company_id"] == XAI]
    same_source = xai[xai["source_id"] == coreweave_row["source_id"]]
    xai = same_source if not same_source.empty else xai
    if xai.empty:
        return result
    xai_row = xai.sort_values("fact_date").iloc[-1]
    result["xai"] = xai_row
    if coreweave_row["valuation_usd_bn"] > 0:
        gap = xai_row["valuation_usd_bn"] / coreweave_row["valuation_usd_bn"]
        qualifier = _multiple_qualifier(
            xai_row["value_qualifier"], coreweave_row["value_qualifier"]
        )
        result["gap"] = (gap, qualifier)
    result["compute"] = model_sites.latest_compute(data, XAI)
    if not metrics.empty:
        xai_metrics = metrics[metrics["company_id"] == XAI]
        deal = xai_metrics[
            (xai_metrics["metric"] == "deal_value")
            & (xai_metrics["source_id"] == coreweave_row["source_id"])
        ]
        if not deal.empty:
            result["deal"] = deal.sort_values("fact_date").iloc[-1]
    return result


def _neocloud_valuation(row: pd.Series) -> dict[str, object]:
    """A valuation as the template prints it; one its source gives only in words
    (``in_words``) is printed as the source's words (``quote``), never as the encoded value."""
    return {
        **_figure(row, "valuation_usd_bn"),
        "in_words": stated_in_words(row["source_quote"]),
        "quote": _value(row["source_quote"]),
        "basis": labels("valuation_basis").get(row["basis"], str(row["basis"])),
    }


PER_UNIT_BOUND = {
    "exact": "exact",
    "more_than": "less_than",
    "at_least": "at_most",
    "less_than": "more_than",
    "up_to": "at_least",
}


def neocloud(data: Dataset) -> dict[str, object]:
    """neocloud_comparison's figures as the template prints them; ``compute.bound`` says how
    the valuation per H100e is bounded (more compute than stated: 'less_than' per unit)."""
    comparison = neocloud_comparison(data)
    xai, coreweave, compute, deal = (comparison[k] for k in ("xai", "coreweave", "compute", "deal"))
    values: dict[str, object] = {
        "coreweave": _neocloud_valuation(coreweave) if coreweave is not None else None,
        "xai": _neocloud_valuation(xai) if xai is not None else None,
        "gap": None,
        "compute": None,
        "deal": None,
    }
    if xai is None:
        return values
    if comparison["gap"] is not None:
        gap, qualifier = comparison["gap"]
        values["gap"] = {"multiple": float(gap), "qualifier": qualifier}
    if compute is not None and compute["value"] > 0:
        values["compute"] = {
            **_figure(compute, "value"),
            "usd_per_h100e": float(xai["valuation_usd_bn"] * 1e9 / compute["value"]),
            # a bound on the compute bounds the price per unit the other way, strictly or not:
            # "more than 1 million" H100e gives "less than" the valuation per H100e
            "bound": PER_UNIT_BOUND.get(str(compute["value_qualifier"]), "approx"),
        }
    if deal is not None:
        values["deal"] = {
            "name": _value(deal["period"]),
            "in_words": stated_in_words(deal["source_quote"]),
            "quote": _value(deal["source_quote"]),
            "value": _value(deal["value"]),
            "qualifier": _value(deal["value_qualifier"]),
            "source_id": _value(deal["source_id"]),
        }
    return values


def valuation_per_h100e(data: Dataset) -> dict[str, object] | None:
    """xAI's closed-round valuation (``latest_valuations``) over the compute Epoch's timelines
    estimate at its own sites on the round's date (``model.sites.hub_compute_on``): the two
    sides of one date. Only xAI's: it owns the sites the hub attributes to it, while the hub
    ties OpenAI and Anthropic to a few sites they use, some only by Epoch's speculative guess,
    so no price per unit of their compute can be read from it. ``usd_per_h100e`` is rounded
    to two significant figures, as an estimate over an estimate supports no more."""
    board = latest_valuations(data)
    row = board[board["company_id"].eq(XAI)]
    if row.empty:
        return None
    lab = row.iloc[0]
    compute = model_sites.hub_compute_on(data, XAI, lab["fact_date"])
    if compute is None:
        return None
    per_unit = float(lab["valuation_usd_bn"]) * 1e9 / compute["h100e"]
    return {
        **_figure(lab, "valuation_usd_bn"),
        "compute": compute,
        "includes_x": lab["x_basis"] == "incl_x",
        "usd_per_h100e": float(f"{per_unit:.2g}"),
    }
