"""Competition chapter, the labs side by side on evidence rather than on descriptions: each
lab's closed-round valuation, Epoch AI's latest annualized revenue, the compute Epoch's
data-centre hub attributes to it, and the valuation per H100-equivalent of that compute.
"""

from __future__ import annotations

import pandas as pd

from xaibook import formatting as fmt
from xaibook.analysis.competition.base import LABS, _figure, labels
from xaibook.analysis.competition.neocloud_gap import valuation_per_h100e
from xaibook.analysis.competition.revenue_figures import _latest_epoch_revenue
from xaibook.analysis.competition.valuation_figures import latest_valuations
from xaibook.dataset import Dataset
from xaibook.model import sites as model_sites


def _dated(text: str, when: object, precision: object = "month") -> str:
    return text if fmt.is_missing(when) else f"{text} ({fmt.date(when, str(precision or 'month'))})"


def evidence_table(data: Dataset) -> pd.DataFrame:
    """One row per lab the chapter compares (xAI first): valuation, revenue, compute and
    valuation per H100e, each cell dated; "–" where the edition holds no figure. The sources
    are those of the valuation, revenue and hub sections, cited there and in the records."""
    columns = labels("evidence_table")
    valuations = latest_valuations(data).set_index("company_id")
    revenue = _latest_epoch_revenue(data).set_index("company_id")
    per_unit = {row["name"]: row for row in valuation_per_h100e(data)}
    rows = []
    for company_id in sorted(LABS, key=lambda lab: lab != "xai"):
        worth = valuations.loc[company_id] if company_id in valuations.index else None
        sales = revenue.loc[company_id] if company_id in revenue.index else None
        hub = model_sites.hub_compute(data, company_id)
        name = (
            worth["company"]
            if worth is not None
            else sales["company"]
            if sales is not None
            else None
        )
        if name is None:
            continue
        figure = _figure(worth, "valuation_usd_bn") if worth is not None else None
        unit = per_unit.get(name)
        rows.append(
            {
                columns["company"]: name,
                columns["valuation"]: None
                if figure is None
                else _dated(
                    fmt.usd_bn(figure["value"], figure["qualifier"]),
                    figure["date"],
                    figure["precision"],
                ),
                columns["revenue"]: None
                if sales is None
                else _dated(
                    fmt.usd_bn(sales["revenue_usd_bn"], sales["value_qualifier"]),
                    sales["plot_date"],
                    sales["fact_date_precision"],
                ),
                columns["compute"]: None
                if hub.empty
                else _dated(fmt.h100e(hub["h100e"].sum()), model_sites.hub_compute_date(data, hub)),
                columns["per_h100e"]: None
                if unit is None
                else fmt.usd(unit["usd_per_h100e"], "approx"),
            }
        )
    return pd.DataFrame(rows, columns=list(columns.values())[:5])
