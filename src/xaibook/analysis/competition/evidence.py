"""Competition chapter, the labs side by side on evidence rather than on descriptions: each
lab's closed-round valuation, Epoch AI's latest annualized revenue and the compute Epoch's
data-centre hub attributes to it, each with its date.
"""

from __future__ import annotations

import pandas as pd

from xaibook import formatting as fmt, prose
from xaibook.analysis.competition.base import LABS, _figure, _template, labels
from xaibook.analysis.competition.revenue_figures import _latest_epoch_revenue
from xaibook.analysis.competition.valuation_figures import latest_valuations
from xaibook.data.dataset import Dataset
from xaibook.model import sites as model_sites


def _dated(text: str, when: object, first: object = None) -> str:
    """A figure and the date (or the span of dates, from ``first``) it describes, in the
    template's words (``evidence_cell``)."""
    last = None if fmt.is_missing(when) else when
    return prose.render_text(
        _template(), "evidence_cell", text=text, first=first or last, last=last
    )


def evidence_table(data: Dataset) -> pd.DataFrame:
    """One row per lab the chapter compares (xAI first): valuation, revenue and hub compute,
    each cell dated; empty where the edition holds no figure. The sources are those of the
    valuation, revenue and hub sections, named in the table's caption."""
    columns = labels("evidence_table")
    valuations = latest_valuations(data).set_index("company_id")
    revenue = _latest_epoch_revenue(data).set_index("company_id")
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
        rows.append(
            {
                columns["company"]: name,
                columns["valuation"]: None
                if figure is None
                else _dated(fmt.usd_bn(figure["value"], figure["qualifier"]), figure["date"]),
                columns["revenue"]: None
                if sales is None
                else _dated(
                    fmt.usd_bn(sales["revenue_usd_bn"], sales["value_qualifier"]),
                    sales["plot_date"],
                ),
                columns["compute"]: None if hub.empty else _hub_cell(data, hub, company_id),
            }
        )
    return pd.DataFrame(rows, columns=list(columns.values())[:4])


def _hub_cell(data: Dataset, hub: pd.DataFrame, company_id: str) -> str:
    """'554,000 H100e (October to November 2025)': the sites' estimates and their dates (the
    download's date where Epoch's timelines date none of them), and any of those sites whose
    capacity a source reports as used by another company since (the sum still counts it: the
    hub's estimate is of what the owner built)."""
    first, last = model_sites.estimate_date(data, hub["handle"])
    if pd.isna(last):
        first = last = hub["published_date"].max()
    cell = _dated(fmt.h100e(hub["h100e"].sum()), last, first)
    leased = model_sites.leased_sites(data)
    leased = leased[
        leased["owner_company_id"].eq(company_id) & leased["epoch_data_center"].isin(hub["handle"])
    ]
    names = data.company_names()
    for _, site in leased.iterrows():
        h100e = hub.loc[hub["handle"].eq(site["epoch_data_center"]), "h100e"].sum()
        cell += prose.render_text(
            _template(),
            "evidence_leased",
            site=site["site_name"],
            h100e=fmt.h100e(h100e),
            tenant=names.get(site["tenant_company_id"], site["tenant_company_id"]),
            since=fmt.date(site["fact_date"], site["fact_date_precision"]),
        )
    return cell
