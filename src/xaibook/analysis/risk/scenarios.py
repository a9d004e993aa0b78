"""Risk chapter, the runway section: starting revenue and cash (against the latest round), each
scenario's result, the runway chart and the scenario table.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from xaibook import charts
from xaibook.analysis.common import labels
from xaibook.analysis.risk.base import (
    CHART_MAX_POINTS_PER_LINE,
    SLUG,
    _as_of,
    _company_name,
    _plain,
    _text_or_none,
    _titled,
)
from xaibook.analysis.risk.estimates import (
    _closed,
    _curated_run_rates,
    _epoch_run_rate,
    _standalone_revenue,
    estimate_values,
    later_deal_values,
    latest_round,
    monthly_spend,
    starting_revenue,
)
from xaibook.analysis.risk.regulation import _event_values
from xaibook.analysis.risk.runway_model import (
    SCENARIOS,
    Assumptions,
    apply_scenario,
    runway_months,
    simulate_cash,
)
from xaibook.data.dataset import Dataset
from xaibook.formatting import percent, usd_bn
from xaibook.model import (
    rounds as model_rounds,
    valuations as model_valuations,
)
from xaibook.model.dates import add_months


def model_sources(data: Dataset, base: Assumptions) -> list[str]:
    """Sources behind the base assumptions that still equal the data they came from."""
    sources = []
    revenue = starting_revenue(data)
    if revenue is not None:
        sources.append(revenue.source_id)
    spend = monthly_spend(data)
    if spend is not None and math.isclose(spend.value_usd_bn, base.monthly_spend_usd_bn):
        sources.append(spend.source_id)
    round_ = latest_round(data)
    if round_ is not None and math.isclose(round_.amount_usd_bn, base.starting_cash_usd_bn):
        sources.append(round_.source_id)
    return sources


def starting_revenue_values(data: Dataset) -> dict[str, object]:
    """The revenue figure the model starts from (None without one), and the other estimates
    of the same quantity, each as ``estimate_values``."""
    revenue = starting_revenue(data)
    if revenue is None:
        return {"start": None, "others": []}
    others = [
        estimate_values(estimate)
        for estimate in _curated_run_rates(data) + _epoch_run_rate(data) + _standalone_revenue(data)
        if estimate.record != revenue.record
    ]
    return {
        "start": estimate_values(revenue),
        "others": others,
        "later_deal": later_deal_values(data),
    }


def starting_cash_values(data: Dataset, base: Assumptions) -> dict[str, object]:
    """The starting cash, and xAI's latest round to check it against (None without one):
    whether it had closed and whether its amount is the starting cash."""
    round_ = latest_round(data)
    if round_ is None:
        return {"cash": base.starting_cash_usd_bn, "round": None}
    return {
        "cash": base.starting_cash_usd_bn,
        "round": {
            "phrase": model_rounds.round_phrase(round_),
            "amount": round_["amount_usd_bn"],
            "qualifier": _text_or_none(round_["amount_qualifier"]),
            "date": round_["date"],
            "source_id": round_["source_id"],
            "closed": bool(_closed(round_)),
            # the model's record, under the model's names (xaibook.chapter.RECORD_FIELDS)
            "record_id": round_["round_id"],
            "round_label": round_["label"],
            "round_amount_usd_bn": round_["amount_usd_bn"],
            "matches": math.isclose(round_.amount_usd_bn, base.starting_cash_usd_bn),
        },
    }


def model_inputs(data: Dataset, base: Assumptions) -> list[tuple[str, pd.Timestamp]]:
    """The data the base assumptions take as they are, each with its date: the revenue
    estimate (``revenue``), the spending figure (``spend``) and the latest round (``cash``),
    each only where its value is the model's (a parameter set apart from the data is not
    dated by it)."""
    inputs = []
    revenue = starting_revenue(data)
    if revenue is not None and math.isclose(revenue.value_usd_bn, base.starting_revenue_usd_bn):
        inputs.append(("revenue", pd.Timestamp(revenue.fact_date)))
    spend = monthly_spend(data)
    if spend is not None and math.isclose(spend.value_usd_bn, base.monthly_spend_usd_bn):
        inputs.append(("spend", pd.Timestamp(spend.fact_date)))
    round_ = latest_round(data)
    if round_ is not None and math.isclose(round_.amount_usd_bn, base.starting_cash_usd_bn):
        inputs.append(("cash", pd.Timestamp(round_["date"])))
    return inputs


def model_start(data: Dataset, base: Assumptions) -> pd.Timestamp:
    """Month 0 of the model: the date of its newest input as this edition holds it
    (``model_inputs``), not the edition's date; the edition's date only when no input
    comes from the data."""
    inputs = model_inputs(data, base)
    return max(date for _, date in inputs) if inputs else _as_of(data)


def runway(
    data: Dataset, assumptions: Assumptions, start: pd.Timestamp | None = None
) -> dict[str, object]:
    """One scenario's result: its start (``model_start`` of ``assumptions`` unless given), the
    month cash runs out and its date counted from the start (None when cash lasts the
    horizon), whether that date is already past at the edition's date, the horizon, and the
    cash left at the horizon (negative: a shortfall)."""
    start = model_start(data, assumptions) if start is None else start
    months = runway_months(assumptions)
    runs_out = add_months(start, months) if months is not None else None
    return {
        "start": start,
        "months": months,
        "runs_out": runs_out,
        "passed": runs_out is not None and runs_out <= _as_of(data),
        "horizon": assumptions.horizon_months,
        "end_cash": float(simulate_cash(assumptions)["cash_usd_bn"].iloc[-1]),
    }


def combination(data: Dataset, since: pd.Timestamp) -> dict[str, object] | None:
    """xAI's combination with another of Musk's companies, as the model knows it
    (``model.valuations.combination``), when it came after ``since``: ``_event_values`` with
    the company's name; None when this edition's sources report none."""
    event = model_valuations.combination(data)
    if event is None or not event["fact_date"] > since:
        return None
    return {**_event_values(event), "company": _company_name(data, model_valuations.COMBINED_WITH)}


def base_scenario_values(data: Dataset, base: Assumptions) -> dict[str, object]:
    """The base scenario: its assumptions, its start (``model_start``) and the inputs dated
    then, whether the edition's month is later, its result, the sources behind it, and a
    combination of xAI with another of Musk's companies after the start (``combination``)."""
    start = model_start(data, base)
    return {
        "assumptions": base,
        "start": start,
        "start_inputs": [key for key, date in model_inputs(data, base) if date == start],
        "edition_later": start.to_period("M") < _as_of(data).to_period("M"),
        "runway": runway(data, base, start),
        "source_ids": model_sources(data, base),
        "combined": combination(data, start),
        # the round the starting cash is taken from, to say when it had not closed
        "cash_round": starting_cash_values(data, base)["round"],
        # the revenue it starts from, to keep a bound ("less than $500 million") said
        "revenue": starting_revenue_values(data)["start"],
    }


def scenario_values(data: Dataset, base: Assumptions) -> list[dict[str, object]]:
    """Each scenario derived from the base: its key, multipliers and result."""
    start = model_start(data, base)
    return [
        {
            "key": scenario.key,
            "spend_multiplier": scenario.spend_multiplier,
            "growth_multiplier": scenario.growth_multiplier,
            "funding_multiplier": scenario.funding_multiplier,
            "runway": runway(data, apply_scenario(base, scenario), start),
        }
        for scenario in SCENARIOS
        if scenario.key != "base"
    ]


def runway_frame(data: Dataset, base: Assumptions) -> pd.DataFrame:
    """The chart's rows: cash per scenario and month (every few months for long horizons)."""
    start = model_start(data, base)
    step = max(1, math.ceil(base.horizon_months / CHART_MAX_POINTS_PER_LINE))
    revenue = starting_revenue(data)
    frames = []
    for scenario in SCENARIOS:
        assumptions = apply_scenario(base, scenario)
        path = simulate_cash(assumptions)
        keep = (path["month"] % step == 0) | (path["month"] == base.horizon_months)
        path = path[keep].copy()
        path["scenario"] = _plain("scenario_label", key=scenario.key, a=assumptions)
        path["date"] = [add_months(start, m) for m in path["month"]]
        path["cash_usd_bn"] = path["cash_usd_bn"].round(3)
        path["revenue_usd_bn"] = path["revenue_usd_bn"].round(3)
        frames.append(path)
    result = pd.concat(frames, ignore_index=True)
    result["source_id"] = revenue.source_id if revenue else None
    return result[["scenario", "month", "date", "cash_usd_bn", "revenue_usd_bn", "source_id"]]


def runway_chart(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    """Cash per scenario and month (``runway_frame``); ``title`` says the base case's result
    (chapters/risk.md.j2, ``runway_title``, given ``runway``)."""
    words = labels(SLUG, "runway_chart")
    lines = charts.chart(
        "line",
        frame,
        "date:T",
        "cash_usd_bn:Q",
        color="scenario:N",
        title=title,
        words=words,
        tooltip=[
            "scenario:N",
            "month:Q",
            "date:T",
            ("cash_usd_bn:Q", ",.1f"),
            ("revenue_usd_bn:Q", ",.2f"),
        ],
    )
    lines = lines.encode(
        color=alt.Color(
            "scenario:N", title=words["legend"], legend=alt.Legend(columns=1, labelLimit=600)
        )
    )
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#4a5561").encode(y="zero:Q")
    return _titled(_layer(lines, zero), title, words["subtitle"])


def _layer(main: alt.Chart, *extra: alt.Chart) -> alt.LayerChart:
    """Layer marks over a book chart, keeping its title, size and description on the top."""
    title, description = main.title, main.description
    width, height = main.width, main.height
    bare = main.copy()
    bare.title, bare.description = alt.Undefined, alt.Undefined
    return alt.layer(bare, *extra).properties(
        title=title, description=description, width=width, height=height
    )


def scenario_table(data: Dataset, base: Assumptions) -> pd.DataFrame:
    """Each scenario's assumptions and result, one row each; headers and the cells with words
    in them are the template's (``scenario_columns``, ``scenario_cells``, macros
    ``scenario_multipliers``, ``scenario_revenue``, ``scenario_runs_out``,
    ``scenario_end_cash``)."""
    names, cells = labels(SLUG, "scenario_names"), labels(SLUG, "scenario_cells")
    rows, start = [], model_start(data, base)
    revenue = starting_revenue(data)
    source_revenue = estimate_values(revenue) if revenue is not None else None
    for scenario in SCENARIOS:
        assumptions = apply_scenario(base, scenario)
        result = runway(data, assumptions, start)
        funding = assumptions.new_funding_usd_bn_per_year
        rows.append(
            {
                "scenario": names[scenario.key],
                "multipliers": cells["base_multipliers"]
                if scenario.key == "base"
                else _plain(
                    "scenario_multipliers",
                    s=scenario,
                    funded=bool(base.new_funding_usd_bn_per_year),
                ),
                "spend": usd_bn(assumptions.monthly_spend_usd_bn),
                "growth": percent(assumptions.annual_revenue_growth_pct),
                "funding": usd_bn(funding) if funding else cells["no_funding"],
                "cash": usd_bn(assumptions.starting_cash_usd_bn),
                "revenue": _plain(
                    "scenario_revenue",
                    value=assumptions.starting_revenue_usd_bn,
                    source=source_revenue,
                ),
                "runs_out": _plain("scenario_runs_out", r=result),
                "end_cash": _plain("scenario_end_cash", r=result),
            }
        )
    return pd.DataFrame(rows).rename(columns=labels(SLUG, "scenario_columns"))
