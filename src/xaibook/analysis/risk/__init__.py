"""Risk chapter: does xAI's strategy add up?

Three parts, read top to bottom:

1. The data the chapter reads: xAI's revenue run-rate (which source the edition has), its
   spending, its financing rounds (debt against equity), and the peers' compute spend and
   revenue from Epoch AI.
2. The cash-runway model: ``cash[t+1] = cash[t] + revenue[t] / 12 - spend + new_funding / 12``,
   revenue compounding monthly at the annual growth rate, run for a base scenario (the build's
   parameters, so ``-p`` changes the chapter) and for scenarios derived from it by the
   multipliers in ``SCENARIOS``.
3. The values the chapter states, charts and tables. Every word a reader sees is written in
   ``chapters/risk.md.j2``: the sentences, chart titles, bar and line labels, table cells and
   evidence phrases as macros (each says plainly when the edition holds no data for it), the
   fixed words (axis, legend and tooltip titles, table headers, chart descriptions, the words
   for a code in the data) as labels this module reads by name.

The risk register's likelihood and impact scores (1-5) are the book's analyst judgement
(``status`` estimate in ``risks.csv``), not a source's; the chapter says so wherever it uses them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from xaibook import charts, paths, prose
from xaibook.analysis.common import labels
from xaibook.dataset import Dataset
from xaibook.formatting import is_missing, percent, usd_bn
from xaibook.model import (
    metrics as model_metrics,
    revenue as model_revenue,
    rounds as model_rounds,
    sites as model_sites,
)
from xaibook.model.claims import (
    cached_on_tables as _cached,
    canonical,
    canonical_where,
    table as _table,
)
from xaibook.model.dates import add_months
from xaibook.model.names import company_name, epoch_name

XAI = "xai"
# Labs Epoch reports both compute spend and revenue for (their names: xaibook.model.names).
PEERS = ("openai", "anthropic")
MONTHS_PER_YEAR = 12
# The revenue figures the chapter reads (``xaibook.model.revenue`` kinds): Epoch AI's annualized
# figures (run rates and annualized quarters, as in the competition chapter) for xAI and the
# peers; the news reports' run rates, standalone and X-inclusive figures for xAI, each apart.
EPOCH_REVENUE_KINDS = model_revenue.ANNUALIZED
# Epoch compute-spend categories: a row covering both is a company's total compute bill.
RD_COMPUTE, INFERENCE_COMPUTE = "R&D cloud compute", "Inference cloud compute"
REGISTER_MAX_PHRASES = 2  # the register table stays one printed page; the list below has all
QUANTITATIVE_PREFIXES = ("met", "fr", "val", "inv")
MAX_RIVALS = 5  # rivals whose stance on alignment is set against xAI's (newest statements first)
MAX_EVENTS = 6  # regulatory events listed (the newest), of xAI, those rivals or no one company
SHORT_TEXT_CHARS = 60  # data text in a table cell is cut here (the full text is cited below)
CHART_MAX_POINTS_PER_LINE = 60  # longer horizons are drawn every few months
# The words for a status, a valuation's basis or a metric (codes in the data) are the
# template's: ``status_words``, ``valuation_basis`` and ``metric_words`` in chapters/risk.md.j2.
# Record-id prefix -> the table holding that row (risks.evidence_record_ids point anywhere).
RECORD_TABLES = {
    "co": "companies",
    "fr": "funding_rounds",
    "inv": "investments",
    "val": "valuations",
    "met": "company_metrics",
    "site": "sites",
    "pos": "competitors",
    "tl": "timeline",
    "risk": "risks",
}


# The chapter's template: its macros word what this module computes ---------------------------

SLUG = "risk"


def _template() -> Path:
    return prose.template_file(paths.CHAPTERS_DIR / "risk.ipynb")


def _plain(macro: str, /, **values: object) -> str:
    """Plain text (one line) of a macro of chapters/risk.md.j2: a label, a table cell."""
    return prose.render_text(_template(), macro, **values)


def _markdown(macro: str, /, **values: object) -> str:
    """Markdown of a macro of chapters/risk.md.j2 (values from the data escaped)."""
    return prose.render(_template(), macro, **values)


# 1. Reading the data ------------------------------------------------------------------------


def _as_of(data: Dataset) -> pd.Timestamp:
    return data.as_of if data.as_of is not None else pd.Timestamp.now().normalize()


def _display_names(data: Dataset, company_ids: object) -> list[str]:
    """Each company's display name ("" where the id is missing)."""
    return [company_name(data, company_id) for company_id in company_ids]


def _company_name(data: Dataset, company_id: object) -> str:
    return company_name(data, company_id)


@dataclass(frozen=True)
class Estimate:
    """One sourced figure the chapter uses, and what the template needs to describe it
    (chapters/risk.md.j2, macro ``estimate``)."""

    value_usd_bn: float
    source_id: str
    fact_date: pd.Timestamp
    qualifier: str | None = None
    record: str = ""  # record_id (curated) or Epoch Id, for the headline check
    kind: str = ""  # spend | run_rate | epoch_run_rate | standalone | incl_x
    estimated_by: str | None = None
    date_precision: str = "day"
    period: str | None = None


def estimate_values(estimate: Estimate) -> dict[str, object]:
    """An estimate as the template describes it: kind, amount, who, when, source."""
    return {
        "kind": estimate.kind,
        "value": estimate.value_usd_bn,
        "qualifier": estimate.qualifier,
        "estimated_by": estimate.estimated_by,
        "date": estimate.fact_date,
        "date_precision": estimate.date_precision,
        "period": estimate.period,
        "source_id": estimate.source_id,
    }


def _text_or_none(value: object) -> str | None:
    return None if is_missing(value) else str(value)


def _or_none(value: object) -> object:
    return None if is_missing(value) else value


def monthly_spend(data: Dataset) -> Estimate | None:
    """xAI's reported monthly spending (the default of ``monthly_spend_usd_bn``)."""
    row = model_metrics.latest_metric(data, XAI, "monthly_spend")
    if row is None:
        return None
    return Estimate(
        value_usd_bn=float(row["value"]),
        source_id=row["source_id"],
        fact_date=row["fact_date"],
        qualifier=row["value_qualifier"],
        record=row["record_id"],
        kind="spend",
        estimated_by=_text_or_none(row["estimated_by"]),
    )


def _news_revenue(data: Dataset, kind: str) -> list[Estimate]:
    """xAI's news-report revenue figures of one ``xaibook.model.revenue`` kind, newest first."""
    rows = model_revenue.figures(data, XAI, (kind,), model_revenue.NEWS)
    return [
        Estimate(
            value_usd_bn=float(row.revenue_usd_bn),
            source_id=row.source_id,
            fact_date=row.fact_date,
            qualifier=row.value_qualifier,
            record=row.record_id,
            kind=kind,  # the model's code: run_rate, standalone or incl_x
            estimated_by=_text_or_none(row.estimated_by),
            date_precision=row.fact_date_precision,
            period=_text_or_none(row.period) if kind == model_revenue.STANDALONE else None,
        )
        for row in rows.itertuples(index=False)
    ]


def _curated_run_rates(data: Dataset) -> list[Estimate]:
    return _news_revenue(data, model_revenue.RUN_RATE)


def _epoch_run_rate(data: Dataset) -> list[Estimate]:
    """Epoch AI's newest annualized revenue for xAI (EPOCH_REVENUE_KINDS), as a list of 0 or 1."""
    row = model_revenue.latest(data, XAI, EPOCH_REVENUE_KINDS, model_revenue.EPOCH)
    if row is None:
        return []
    return [
        Estimate(
            value_usd_bn=float(row["revenue_usd_bn"]),
            source_id=row["source_id"],
            fact_date=row["fact_date"],
            record=str(row["record_id"]),
            kind="epoch_run_rate",
            date_precision="month",
            period=_annualized_period(row),
        )
    ]


def _annualized_period(row: pd.Series) -> str | None:
    """What an Epoch AI figure annualizes when it is not a run rate ("quarterly revenue",
    Epoch's type in lower case, as the competition chapter names it); None for a run rate."""
    if row["kind"] != model_revenue.PERIOD_ANNUALIZED or is_missing(row["revenue_type"]):
        return None
    return str(row["revenue_type"]).lower()


def _standalone_revenue(data: Dataset) -> list[Estimate]:
    return _news_revenue(data, model_revenue.STANDALONE)


def starting_revenue(data: Dataset) -> Estimate | None:
    """xAI's revenue run-rate the model starts from.

    The newest annualized figure that excludes X's advertising (UBS's, once published), else
    Epoch's latest run-rate for xAI; only without either, a standalone calendar-year figure.
    """
    run_rates = _curated_run_rates(data) + _epoch_run_rate(data)
    candidates = run_rates or _standalone_revenue(data)
    if not candidates:
        return None
    return max(candidates, key=lambda estimate: estimate.fact_date)


# 2. The runway model ------------------------------------------------------------------------


@dataclass(frozen=True)
class Assumptions:
    """One scenario's inputs, in the units of the build parameters."""

    monthly_spend_usd_bn: float
    starting_cash_usd_bn: float
    annual_revenue_growth_pct: float
    new_funding_usd_bn_per_year: float
    horizon_months: int
    starting_revenue_usd_bn: float = 0.0  # annualized run-rate at month 0


@dataclass(frozen=True)
class Scenario:
    key: str  # its name is the template's: ``scenario_names``
    spend_multiplier: float
    growth_multiplier: float
    funding_multiplier: float


# The base scenario is the build's parameters; the others are derived from it so that a
# `-p monthly_spend_usd_bn=2` edition moves every line.
# Why each derived scenario moves as it does is said in chapters/risk.md.j2 (``scenarios``).
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("base", 1.0, 1.0, 1.0),
    Scenario("stress", 1.5, 0.5, 0.5),
    Scenario("upside", 0.8, 1.5, 1.5),
)
SCENARIOS_BY_KEY = {scenario.key: scenario for scenario in SCENARIOS}


def scale_growth(growth_pct: float, multiplier: float) -> float:
    """Scale a growth rate; a multiplier below 1 is worse, so it deepens a decline."""
    if growth_pct >= 0:
        return growth_pct * multiplier
    return max(-100.0, growth_pct / multiplier)


def apply_scenario(base: Assumptions, scenario: Scenario) -> Assumptions:
    return dataclasses.replace(
        base,
        monthly_spend_usd_bn=base.monthly_spend_usd_bn * scenario.spend_multiplier,
        annual_revenue_growth_pct=scale_growth(
            base.annual_revenue_growth_pct, scenario.growth_multiplier
        ),
        new_funding_usd_bn_per_year=base.new_funding_usd_bn_per_year * scenario.funding_multiplier,
    )


def scenario_assumptions(base: Assumptions) -> dict[str, Assumptions]:
    return {scenario.key: apply_scenario(base, scenario) for scenario in SCENARIOS}


def _cash_path(assumptions: Assumptions) -> list[tuple[int, float, float]]:
    """(month, cash, annualized revenue) from month 0 to the horizon, in USD bn."""
    growth = max(-1.0, assumptions.annual_revenue_growth_pct / 100)
    monthly_factor = (1 + growth) ** (1 / MONTHS_PER_YEAR)
    cash = assumptions.starting_cash_usd_bn
    revenue = assumptions.starting_revenue_usd_bn
    path = [(0, cash, revenue)]
    for month in range(1, assumptions.horizon_months + 1):
        cash += (
            revenue / MONTHS_PER_YEAR
            - assumptions.monthly_spend_usd_bn
            + assumptions.new_funding_usd_bn_per_year / MONTHS_PER_YEAR
        )
        revenue *= monthly_factor
        path.append((month, cash, revenue))
    return path


def simulate_cash(assumptions: Assumptions) -> pd.DataFrame:
    """Month 0 (the start) to the horizon: cash and annualized revenue, USD bn."""
    return pd.DataFrame(_cash_path(assumptions), columns=["month", "cash_usd_bn", "revenue_usd_bn"])


def runway_months(assumptions: Assumptions) -> int | None:
    """First month the cash is below zero; None when it lasts beyond the horizon."""
    for month, cash, _revenue in _cash_path(assumptions):
        if month >= 1 and cash < 0:
            return month
    return None


def base_assumptions(
    data: Dataset,
    monthly_spend_usd_bn: float,
    starting_cash_usd_bn: float,
    annual_revenue_growth_pct: float,
    new_funding_usd_bn_per_year: float,
    horizon_months: int,
) -> Assumptions:
    """The build's parameters plus the starting revenue this edition's data gives."""
    revenue = starting_revenue(data)
    return Assumptions(
        monthly_spend_usd_bn=float(monthly_spend_usd_bn),
        starting_cash_usd_bn=float(starting_cash_usd_bn),
        annual_revenue_growth_pct=float(annual_revenue_growth_pct),
        new_funding_usd_bn_per_year=float(new_funding_usd_bn_per_year),
        horizon_months=int(horizon_months),
        starting_revenue_usd_bn=revenue.value_usd_bn if revenue else 0.0,
    )


def _bisect(lasts: Callable[[float], bool], low: float, high: float, steps: int = 60) -> float:
    """Smallest x in [low, high] with lasts(x), for lasts monotone (False ... True)."""
    for _ in range(steps):
        middle = (low + high) / 2
        if lasts(middle):
            high = middle
        else:
            low = middle
    return high


MAX_GROWTH_PCT = 10_000.0  # beyond this a growth rate is not a business plan


def growth_needed(base: Assumptions) -> float | None:
    """Annual revenue growth (%) at which cash lasts the horizon; None if none plausible."""
    if runway_months(base) is None:
        return base.annual_revenue_growth_pct

    def lasts(growth: float) -> bool:
        return runway_months(dataclasses.replace(base, annual_revenue_growth_pct=growth)) is None

    if not lasts(MAX_GROWTH_PCT):
        return None
    return _bisect(lasts, -100.0, MAX_GROWTH_PCT)


def spend_limit(base: Assumptions) -> float:
    """Highest monthly spending (USD bn) at which cash lasts the horizon."""
    if runway_months(base) is None:
        return base.monthly_spend_usd_bn

    def short(spend: float) -> bool:
        return runway_months(dataclasses.replace(base, monthly_spend_usd_bn=spend)) is not None

    return _bisect(short, 0.0, base.monthly_spend_usd_bn)  # lowest spend that runs short


def funding_needed(base: Assumptions) -> float:
    """New money per year (USD bn) at which cash lasts the horizon."""
    if runway_months(base) is None:
        return base.new_funding_usd_bn_per_year
    ceiling = base.monthly_spend_usd_bn * MONTHS_PER_YEAR + base.new_funding_usd_bn_per_year

    def lasts(funding: float) -> bool:
        changed = dataclasses.replace(base, new_funding_usd_bn_per_year=funding)
        return runway_months(changed) is None

    return _bisect(lasts, base.new_funding_usd_bn_per_year, ceiling)


# 3. Scenario sentences, chart and table ------------------------------------------------------


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
    return {"start": estimate_values(revenue), "others": others}


def financing_rounds(data: Dataset) -> pd.DataFrame:
    """xAI's rounds with money, closed or being raised, oldest first (``xaibook.model.rounds``)."""
    return model_rounds.with_money(model_rounds.rounds(data, XAI))


def latest_round(data: Dataset) -> pd.Series | None:
    return model_rounds.latest(model_rounds.rounds(data, XAI))


def _closed(round_: pd.Series) -> bool:
    return round_["stage"] == model_rounds.CLOSED


def _split_confirmed(round_: pd.Series) -> bool:
    """Closed, with its equity/debt split stated by a source (the article or Epoch AI)."""
    return (
        _closed(round_)
        and round_["split_basis"] in model_rounds.CONFIRMED_SPLITS
        and is_missing(round_["unsplit_usd_bn"])
    )


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
            "matches": math.isclose(round_.amount_usd_bn, base.starting_cash_usd_bn),
        },
    }


def runway(data: Dataset, assumptions: Assumptions) -> dict[str, object]:
    """One scenario's result: the month cash runs out and its date (None when it lasts the
    horizon), the horizon, and the cash left at the horizon (negative: a shortfall)."""
    months = runway_months(assumptions)
    return {
        "months": months,
        "runs_out": add_months(_as_of(data), months) if months is not None else None,
        "horizon": assumptions.horizon_months,
        "end_cash": float(simulate_cash(assumptions)["cash_usd_bn"].iloc[-1]),
    }


def base_scenario_values(data: Dataset, base: Assumptions) -> dict[str, object]:
    """The base scenario: its assumptions, start month, result and the sources behind it."""
    return {
        "assumptions": base,
        "start": _as_of(data),
        "runway": runway(data, base),
        "source_ids": model_sources(data, base),
    }


def scenario_values(data: Dataset, base: Assumptions) -> list[dict[str, object]]:
    """Each scenario derived from the base: its key, multipliers and result."""
    return [
        {
            "key": scenario.key,
            "spend_multiplier": scenario.spend_multiplier,
            "growth_multiplier": scenario.growth_multiplier,
            "funding_multiplier": scenario.funding_multiplier,
            "runway": runway(data, apply_scenario(base, scenario)),
        }
        for scenario in SCENARIOS
        if scenario.key != "base"
    ]


def runway_frame(data: Dataset, base: Assumptions) -> pd.DataFrame:
    """The chart's rows: cash per scenario and month (every few months for long horizons)."""
    start = _as_of(data)
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


TITLE_MAX_CHARS = 62  # a 16 px title longer than this overflows the 640 px chart


def _titled(chart: alt.TopLevelMixin, title: str, subtitle: str) -> alt.TopLevelMixin:
    """A short finding as the title, the detail as the subtitle (Vega does not wrap titles)."""
    chart.title = alt.Title(title, subtitle=subtitle)
    return chart


def _category_axis() -> alt.Axis:
    """Room for long category labels, with the axis title set above them, horizontally.

    Raising labelLimit alone leaves Vega placing a rotated title across the labels.
    """
    return alt.Axis(
        labelLimit=420, titleAngle=0, titleAnchor="end", titleAlign="right", titleY=-10, titleX=0
    )


def runway_chart(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    """Cash per scenario and month (``runway_frame``); ``title`` says the base case's result
    (chapters/risk.md.j2, ``runway_title``, given ``runway``)."""
    words = labels(SLUG, "runway_chart")
    tip = words["tooltip"]
    lines = charts.line_chart(
        frame,
        "date:T",
        "cash_usd_bn:Q",
        color="scenario:N",
        title=title,
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        tooltip=[
            alt.Tooltip("scenario:N", title=tip["scenario"]),
            alt.Tooltip("month:Q", title=tip["month"]),
            alt.Tooltip("date:T", title=tip["date"], format=charts.DATE_AXIS_FORMAT),
            alt.Tooltip("cash_usd_bn:Q", title=tip["cash"], format=",.1f"),
            alt.Tooltip("revenue_usd_bn:Q", title=tip["revenue"], format=",.2f"),
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
    ``scenario_multipliers``, ``scenario_runs_out``, ``scenario_end_cash``)."""
    names, cells = labels(SLUG, "scenario_names"), labels(SLUG, "scenario_cells")
    rows = []
    for scenario in SCENARIOS:
        assumptions = apply_scenario(base, scenario)
        result = runway(data, assumptions)
        funding = assumptions.new_funding_usd_bn_per_year
        rows.append(
            {
                "scenario": names[scenario.key],
                "multipliers": cells["base_multipliers"]
                if scenario.key == "base"
                else _plain("scenario_multipliers", s=scenario),
                "spend": usd_bn(assumptions.monthly_spend_usd_bn),
                "growth": percent(assumptions.annual_revenue_growth_pct),
                "funding": usd_bn(funding) if funding else cells["no_funding"],
                "cash": usd_bn(assumptions.starting_cash_usd_bn),
                "revenue": usd_bn(assumptions.starting_revenue_usd_bn),
                "runs_out": _plain("scenario_runs_out", r=result),
                "end_cash": _plain("scenario_end_cash", r=result),
            }
        )
    return pd.DataFrame(rows).rename(columns=labels(SLUG, "scenario_columns"))


# 4. Revenue against spending ------------------------------------------------------------------


@dataclass(frozen=True)
class PeerBurn:
    company: str
    spend_usd_bn: float
    spend_year: int
    spend_source_id: str
    revenue_usd_bn: float
    revenue_date: pd.Timestamp
    revenue_source_id: str

    @property
    def ratio(self) -> float:
        return self.spend_usd_bn / self.revenue_usd_bn if self.revenue_usd_bn else math.inf


def _yearly_compute_totals(spend: pd.DataFrame) -> dict[int, tuple[float, str]]:
    """Year -> total compute spend: a row covering R&D and inference, else their sum."""
    totals: dict[int, tuple[float, str]] = {}
    yearly = spend[(spend["period_type"] == "Year") & spend["amount_usd_bn"].notna()]
    for year, rows in yearly.groupby(yearly["fact_date"].dt.year):
        categories = rows["category"].fillna("")
        both = rows[
            categories.str.contains(RD_COMPUTE) & categories.str.contains(INFERENCE_COMPUTE)
        ]
        if not both.empty:
            best = both.sort_values("published_date").iloc[-1]
            totals[int(year)] = (float(best["amount_usd_bn"]), best["source_id"])
            continue
        rd = rows[categories == RD_COMPUTE]
        inference = rows[categories == INFERENCE_COMPUTE]
        if not rd.empty and not inference.empty:
            rd_row = rd.sort_values("published_date").iloc[-1]
            inf_row = inference.sort_values("published_date").iloc[-1]
            totals[int(year)] = (
                float(rd_row["amount_usd_bn"] + inf_row["amount_usd_bn"]),
                rd_row["source_id"],
            )
    return totals


def peer_burn(data: Dataset) -> list[PeerBurn]:
    """For each peer: its latest full-year compute bill against its run-rate at that time."""
    names = {company_id: epoch_name(data, company_id) for company_id in PEERS}
    wanted = [name for name in names.values() if name is not None]
    # the peers' rows, cut from Epoch's tables once for all of them
    spend = _table(data, "epoch_compute_spend")
    spend = spend[spend["company"].isin(wanted)] if not spend.empty else spend
    result = []
    for company_id, name in names.items():
        if spend.empty or name is None:
            continue
        totals = _yearly_compute_totals(spend[spend["company"] == name])
        revenue = model_revenue.figures(data, company_id, EPOCH_REVENUE_KINDS, model_revenue.EPOCH)
        if not totals or revenue.empty:
            continue
        year = max(totals)
        in_year = revenue[revenue["fact_date"].dt.year <= year]
        if in_year.empty:
            continue
        latest = in_year.iloc[0]  # newest first
        if not latest["revenue_usd_bn"] > 0:
            continue  # a zero run-rate leaves no multiple to compare
        result.append(
            PeerBurn(
                company=_company_name(data, company_id),
                spend_usd_bn=totals[year][0],
                spend_year=year,
                spend_source_id=totals[year][1],
                revenue_usd_bn=float(latest["revenue_usd_bn"]),
                revenue_date=latest["fact_date"],
                revenue_source_id=latest["source_id"],
            )
        )
    return result


def xai_revenue_estimates(data: Dataset) -> list[tuple[str, Estimate]]:
    """Every xAI revenue figure by source, with a short label for the chart (the template's
    ``revenue_kinds``, by the estimate's kind)."""
    kinds = labels(SLUG, "revenue_kinds")
    estimates = [*_curated_run_rates(data), *_epoch_run_rate(data), *_standalone_revenue(data)]
    incl_x = x_inclusive_revenue(data)
    if incl_x is not None:
        estimates.append(incl_x)
    return [(kinds[estimate.kind], estimate) for estimate in estimates]


def x_inclusive_revenue(data: Dataset) -> Estimate | None:
    """The newest news figure of xAI's revenue that includes X's advertising."""
    figures = _news_revenue(data, model_revenue.INCL_X)
    return figures[0] if figures else None


def _estimate_source_name(estimate: Estimate) -> str:
    """Who made an estimate: its estimator, else Epoch AI for Epoch's figures, else its source."""
    if estimate.estimated_by:
        return estimate.estimated_by
    if estimate.source_id.startswith("epoch"):
        return labels(SLUG, "revenue_spending_chart")["epoch"]
    return estimate.source_id


def revenue_spending_frame(data: Dataset, base: Assumptions) -> pd.DataFrame:
    """Bars (USD bn a year): xAI's spending and revenue estimates, the peers' from Epoch."""
    rows = []
    spend = monthly_spend(data)
    if spend is not None:
        rows.append(
            {
                "company": "xAI",
                "measure": "spending",
                "label": _plain(
                    "revenue_spending_label",
                    b={"kind": "xai_spend", "source": _estimate_source_name(spend)},
                ),
                "usd_bn_per_year": spend.value_usd_bn * MONTHS_PER_YEAR,
                "as_of": spend.fact_date,
                "source_id": spend.source_id,
            }
        )
    if spend is None or not math.isclose(spend.value_usd_bn, base.monthly_spend_usd_bn):
        rows.append(
            {
                "company": "xAI",
                "measure": "spending",
                "label": _plain("revenue_spending_label", b={"kind": "xai_assumed"}),
                "usd_bn_per_year": base.monthly_spend_usd_bn * MONTHS_PER_YEAR,
                "as_of": _as_of(data),
                "source_id": None,
            }
        )
    for _, estimate in xai_revenue_estimates(data):
        bar = {
            "kind": "xai_revenue",
            "estimate_kind": estimate.kind,
            "source": _estimate_source_name(estimate),
        }
        rows.append(
            {
                "company": "xAI",
                "measure": "revenue",
                "label": _plain("revenue_spending_label", b=bar),
                "usd_bn_per_year": estimate.value_usd_bn,
                "as_of": estimate.fact_date,
                "source_id": estimate.source_id,
            }
        )
    for peer in peer_burn(data):
        rows.append(
            {
                "company": peer.company,
                "measure": "spending",
                "label": _plain(
                    "revenue_spending_label",
                    b={"kind": "peer_spend", "company": peer.company, "year": peer.spend_year},
                ),
                "usd_bn_per_year": peer.spend_usd_bn,
                "as_of": pd.Timestamp(year=peer.spend_year, month=12, day=31),
                "source_id": peer.spend_source_id,
            }
        )
        rows.append(
            {
                "company": peer.company,
                "measure": "revenue",
                "label": _plain(
                    "revenue_spending_label",
                    b={
                        "kind": "peer_revenue",
                        "company": peer.company,
                        "month": f"{peer.revenue_date:%b %Y}",  # the bar's short date
                    },
                ),
                "usd_bn_per_year": peer.revenue_usd_bn,
                "as_of": peer.revenue_date,
                "source_id": peer.revenue_source_id,
            }
        )
    columns = ["company", "measure", "label", "usd_bn_per_year", "as_of", "source_id"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["usd_bn_per_year"] = frame["usd_bn_per_year"].astype(float).round(3)
    return frame


def xai_spend_ratio(data: Dataset) -> float | None:
    """xAI's yearly spending over its starting revenue run-rate (data, not parameters)."""
    spend, revenue = monthly_spend(data), starting_revenue(data)
    if spend is None or revenue is None or revenue.value_usd_bn <= 0:
        return None
    return spend.value_usd_bn * MONTHS_PER_YEAR / revenue.value_usd_bn


def spend_ratios(data: Dataset) -> dict[str, float | None]:
    """xAI's yearly spending over its revenue, and the highest peer's compute bill over its
    revenue (None where the edition lacks the figures)."""
    peers = peer_burn(data)
    return {
        "xai": xai_spend_ratio(data),
        "peer_max": max(peer.ratio for peer in peers) if peers else None,
    }


def revenue_spending_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Bars of ``revenue_spending_frame``; ``title`` from ``revenue_spending_title``."""
    words = labels(SLUG, "revenue_spending_chart")
    tip = words["tooltip"]
    chart = charts.bar_chart(
        frame,
        "usd_bn_per_year:Q",
        "label:N",
        color="measure:N",
        title=title,
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        tooltip=[
            alt.Tooltip("label:N", title=tip["label"]),
            alt.Tooltip("usd_bn_per_year:Q", title=tip["value"], format=",.2f"),
            alt.Tooltip("as_of:T", title=tip["as_of"], format=charts.DATE_AXIS_FORMAT),
        ],
    )
    chart = chart.encode(
        y=alt.Y("label:N", title=words["y"], sort=list(frame["label"]), axis=_category_axis())
    )
    return _titled(chart, title, words["subtitle"])


def peer_values(peer: PeerBurn) -> dict[str, object]:
    """A peer's compute bill against its revenue, as the template states it."""
    return {
        "company": peer.company,
        "spend": peer.spend_usd_bn,
        "spend_year": peer.spend_year,
        "spend_source_id": peer.spend_source_id,
        "revenue": peer.revenue_usd_bn,
        "revenue_date": peer.revenue_date,
        "revenue_source_id": peer.revenue_source_id,
        "ratio": peer.ratio,
    }


def burn_values(data: Dataset) -> dict[str, object]:
    """xAI's spending and revenue (``estimate_values``, None where missing), its spending a
    year, the share of it revenue covers and their multiple (None unless both are above zero),
    the peers' bills against their revenue, and xAI's multiple over the highest peer's."""
    spend, revenue = monthly_spend(data), starting_revenue(data)
    yearly = spend.value_usd_bn * MONTHS_PER_YEAR if spend is not None else None
    both = spend is not None and revenue is not None
    positive = both and spend.value_usd_bn > 0 and revenue.value_usd_bn > 0
    peers = peer_burn(data)
    top_peer = max((peer.ratio for peer in peers), default=None)
    xai_ratio = xai_spend_ratio(data)
    return {
        "spend": estimate_values(spend) if spend is not None else None,
        "revenue": estimate_values(revenue) if revenue is not None else None,
        "yearly": yearly,
        "share": revenue.value_usd_bn / yearly * 100 if positive else None,
        "ratio": yearly / revenue.value_usd_bn if positive else None,
        "peers": [peer_values(peer) for peer in peers],
        "xai_over_top_peer": xai_ratio / top_peer
        if xai_ratio is not None and top_peer is not None and top_peer > 0
        else None,
    }


# 5. Dependence on X, leverage ------------------------------------------------------------------


def x_share(data: Dataset) -> tuple[float, Estimate, Estimate] | None:
    """Share (%) of the X-inclusive revenue figure that standalone xAI does not earn."""
    incl_x = x_inclusive_revenue(data)
    standalone = _standalone_revenue(data)
    if incl_x is None or not standalone or incl_x.value_usd_bn <= 0:
        return None
    alone = max(standalone, key=lambda e: e.fact_date)
    share = max(0.0, (incl_x.value_usd_bn - alone.value_usd_bn) / incl_x.value_usd_bn * 100)
    return share, alone, incl_x


def _competitor_rows(data: Dataset, company_id: str | None, dimension: str) -> pd.DataFrame:
    rows = _table(data, "competitors")
    if rows.empty:
        return rows
    rows = rows[rows["dimension"] == dimension]
    if company_id is not None:
        rows = rows[rows["company_id"] == company_id]
    return rows.sort_values(["fact_date", "record_id"], kind="stable")


def cited_groups(items: list[tuple[object, object]]) -> list[dict[str, object]]:
    """Texts in order, grouped into runs from one source (cited once, at the run's end)."""
    groups: list[dict[str, object]] = []
    for text, source in items:
        if groups and groups[-1]["source_id"] == source:
            groups[-1]["texts"].append(text)
        else:
            groups.append({"texts": [text], "source_id": source})
    return groups


def _described_groups(rows: pd.DataFrame) -> list[dict[str, object]]:
    """The rows' descriptions in runs from one source (``cited_groups``)."""
    texts = [(row.description, row.source_id) for row in rows.itertuples()]
    return cited_groups([(text, source) for text, source in texts if not is_missing(text)])


def x_dependence_values(data: Dataset) -> dict[str, object]:
    """X's share (%) of the X-inclusive revenue figure with the two figures (None without
    both), and what the sources say about xAI's distribution, grouped by source."""
    found = x_share(data)
    distribution = _competitor_rows(data, XAI, "distribution")
    return {
        "share": found[0] if found else None,
        "alone": estimate_values(found[1]) if found else None,
        "incl_x": estimate_values(found[2]) if found else None,
        "distribution": _described_groups(distribution),
    }


def leverage(data: Dataset) -> dict[str, float] | None:
    """Debt share (%) of closed rounds with a stated split, and counting reported debt too."""
    shares = model_rounds.debt_share(model_rounds.rounds(data, XAI))
    result: dict[str, float] = {}
    for key, name in (("confirmed", "confirmed"), ("with_unconfirmed", "all")):
        if key in shares:
            debt, total = shares[key]
            result[f"{name}_total_usd_bn"] = total
            result[f"{name}_debt_usd_bn"] = debt
            result[f"{name}_debt_pct"] = debt / total * 100
    return result or None


def _amount_sources(rounds: pd.DataFrame) -> list[object]:
    """The sources of the rounds' amounts and splits, reported debt included."""
    columns = ["equity_source_id", "debt_source_id", "unsplit_source_id"]
    columns.append("unconfirmed_debt_source_id")
    return [s for _, row in rounds.iterrows() for s in row[columns] if not is_missing(s)]


# The parts of a round, by code; the words the chart shows for each are the template's
# (``financing_parts``).
FINANCING_PARTS = (
    ("equity", "equity_usd_bn", "equity_source_id"),
    ("debt", "debt_usd_bn", "debt_source_id"),
    ("unsplit", "unsplit_usd_bn", "unsplit_source_id"),
)


def financing_frame(data: Dataset) -> pd.DataFrame:
    """Stacked bars: equity and debt per xAI round (USD bn), labelled as the model labels them;
    ``kind`` holds the template's words for the part (``financing_parts``)."""
    parts = labels(SLUG, "financing_parts")
    rows = []
    for order, (_, round_) in enumerate(financing_rounds(data).iterrows()):
        for part, column, source_column in FINANCING_PARTS:
            amount = round_[column]
            if not is_missing(amount) and amount > 0:
                rows.append(
                    {
                        "order": order,
                        "record_id": round_["round_id"],
                        "round_label": round_["label"],
                        "kind": parts[part],
                        "amount_usd_bn": round(float(amount), 3),
                        "round_amount_usd_bn": float(round_["amount_usd_bn"]),
                        "date": round_["date"],
                        "source_id": round_[source_column],
                    }
                )
    # record_id, date, round_label and round_amount_usd_bn are the model's values under the
    # model's names, as in the funding chapter's chart data: a test compares them across the book
    columns = [
        "order",
        "record_id",
        "round_label",
        "kind",
        "amount_usd_bn",
        "round_amount_usd_bn",
        "date",
        "source_id",
    ]
    return pd.DataFrame(rows, columns=columns)


def financing_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Stacked bars of ``financing_frame``; ``title`` from ``financing_title``, given
    ``leverage``."""
    words = labels(SLUG, "financing_chart")
    tip = words["tooltip"]
    chart = charts.bar_chart(
        frame,
        "amount_usd_bn:Q",
        "round_label:N",
        color="kind:N",
        title=title,
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        tooltip=[
            alt.Tooltip("round_label:N", title=tip["round"]),
            alt.Tooltip("kind:N", title=tip["part"]),
            alt.Tooltip("amount_usd_bn:Q", title=tip["amount"], format=",.1f"),
        ],
    )
    order = list(dict.fromkeys(frame["round_label"]))
    chart = chart.encode(
        y=alt.Y("round_label:N", title=words["y"], sort=order, axis=_category_axis())
    )
    return _titled(chart, title, words["subtitle"])


def _xai_round_claims(data: Dataset) -> list[str]:
    """Claim ids of xAI's curated rounds (what ``investments.round_id`` refers to)."""
    rounds = _table(data, "funding_rounds")
    if rounds.empty:
        return []
    return list(rounds.loc[rounds["company_id"] == XAI, "claim_id"].dropna().unique())


def _xai_investments(data: Dataset, mask: Callable[[pd.DataFrame], pd.Series]) -> pd.DataFrame:
    """Canonical investments in xAI's rounds that also match ``mask`` (other companies' rounds
    are not this chapter's subject)."""
    investments = _table(data, "investments")
    if investments.empty:
        return investments
    into_xai = investments["round_id"].isin(_xai_round_claims(data))
    return canonical_where(investments, into_xai & mask(investments))


def _strategic_investors(data: Dataset) -> pd.DataFrame:
    """Strategic investors in xAI's rounds, Musk's own companies left out."""
    musk = model_sites.musk_group(data)

    def outside_strategic(frame: pd.DataFrame) -> pd.Series:
        strategic = frame["is_strategic"].fillna(False).astype(bool)
        return strategic & ~frame["investor_company_id"].isin(musk)

    return _xai_investments(data, outside_strategic)


def _unconfirmed_case(round_: pd.Series) -> str:
    """How a round without a confirmed split is told: raising_with_debt (not closed, debt
    reported), other_report (another report gives its debt) or no_split."""
    if not _closed(round_) and not is_missing(round_["debt_usd_bn"]):
        return "raising_with_debt"
    if not is_missing(round_["unconfirmed_debt_usd_bn"]):
        return "other_report"
    return "no_split"


def leverage_values(data: Dataset) -> dict[str, object]:
    """xAI's rounds with money (``any_rounds``), the debt shares (``leverage``) with the
    sources of the confirmed splits, each round without a confirmed split (its case, amount,
    debt and sources), what the debt buys, and the strategic investors outside Musk's group."""
    rounds = financing_rounds(data)
    confirmed = [_split_confirmed(round_) for _, round_ in rounds.iterrows()]
    unconfirmed = [
        {
            "case": _unconfirmed_case(round_),
            "phrase": model_rounds.round_phrase(round_),
            "amount": round_["amount_usd_bn"],
            "qualifier": _text_or_none(round_["amount_qualifier"]),
            "date": round_["date"],
            "source_id": round_["source_id"],
            "debt": _or_none(round_["debt_usd_bn"]),
            "debt_source_id": _or_none(round_["debt_source_id"]),
            "unconfirmed_debt": _or_none(round_["unconfirmed_debt_usd_bn"]),
            "unconfirmed_debt_source_id": _or_none(round_["unconfirmed_debt_source_id"]),
        }
        for (_, round_), is_confirmed in zip(rounds.iterrows(), confirmed, strict=True)
        if not is_confirmed
    ]
    uses = []
    funding = _table(data, "funding_rounds")
    if not funding.empty:
        rows = funding[(funding["company_id"] == XAI) & funding["debt_usd_bn"].notna()]
        rows = rows.dropna(subset=["use_of_funds"]).drop_duplicates("use_of_funds")
        uses = [{"text": row.use_of_funds, "source_id": row.source_id} for row in rows.itertuples()]
    strategic = _strategic_investors(data)
    return {
        "any_rounds": not rounds.empty,
        "shares": leverage(data) or {},
        "confirmed_source_ids": _amount_sources(rounds[confirmed]) if confirmed else [],
        "unconfirmed": unconfirmed,
        "uses": uses,
        "strategic_investors": list(
            dict.fromkeys(_display_names(data, strategic["investor_company_id"]))
        )
        if not strategic.empty
        else [],
        "strategic_source_ids": list(strategic["source_id"]) if not strategic.empty else [],
    }


# 6. Regulation, usage, governance ---------------------------------------------------------------


def _timeline(
    data: Dataset, category: str, company_id: str | None = XAI, companies: object = None
) -> pd.DataFrame:
    """Canonical events of one category: one company's, or those of ``companies`` and events
    naming no company (``company_id=None``), oldest first."""
    events = _table(data, "timeline")
    if events.empty:
        return events
    mask = events["category"] == category
    if company_id is not None:
        mask &= events["company_id"] == company_id
    elif companies is not None:
        mask &= events["company_id"].isin(list(companies)) | events["company_id"].isna()
    events = canonical_where(events, mask)
    return events.sort_values(["fact_date", "record_id"], kind="stable")


def _newest_rivals(rows: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, list[str], int]:
    """The rows of the ``limit`` companies with the newest statements (ties: first listed),
    in their original order; the companies kept; how many companies there were."""
    latest = rows.groupby("company_id", sort=False)["fact_date"].max()
    kept = list(latest.sort_values(ascending=False, kind="stable").index[:limit])
    return rows[rows["company_id"].isin(kept)], kept, len(latest)


def _dated_by_publication(fact_date: object, published: object, note: object) -> bool:
    """Whether the source shows only that the event happened by its publication date."""
    undated = not is_missing(note) and "on or before" in str(note)
    return undated and fact_date == published


def _event_values(row: object) -> dict[str, object]:
    """A timeline event: what, when (``by``: on or before that date), and its source."""
    return {
        "event": row.event,
        "date": row.fact_date,
        "precision": str(row.fact_date_precision),
        "by": _dated_by_publication(row.fact_date, row.published_date, row.note),
        "source_id": row.source_id,
    }


def regulation_values(data: Dataset) -> dict[str, object]:
    """xAI's alignment stance (``cited_groups``); the rivals' stances, one entry per wording
    with the rivals using it (the ``MAX_RIVALS`` with the newest statements, of
    ``rivals_total``); the newest ``MAX_EVENTS`` regulatory events of xAI, those rivals or no
    one company (of ``events_total``); and what the stance protects."""
    rivals = _competitor_rows(data, None, "alignment")
    rivals = rivals[rivals["company_id"] != XAI] if not rivals.empty else rivals
    shown: list[str] = []
    stances, total = [], 0
    if not rivals.empty:
        rivals, shown, total = _newest_rivals(rivals, MAX_RIVALS)
        names_of = dict(zip(shown, _display_names(data, shown), strict=True))
        stances = [
            {
                "names": [names_of[c] for c in dict.fromkeys(rows["company_id"])],
                "description": description,
                "source_ids": list(rows["source_id"]),
            }
            for description, rows in rivals.groupby("description", sort=False)
        ]
    events = _timeline(data, "regulation", company_id=None, companies=[XAI, *shown])
    return {
        "stance": _described_groups(_competitor_rows(data, XAI, "alignment")),
        "rivals": stances,
        "rivals_shown": len(shown),
        "rivals_total": total,
        "events": [_event_values(row) for row in events.tail(MAX_EVENTS).itertuples()],
        "events_total": len(events),
        "benchmark": _described_groups(_competitor_rows(data, XAI, "benchmark")),
    }


def usage_values(data: Dataset) -> dict[str, object]:
    """What the sources say of Grok's usage (``cited_groups``), and xAI's sites leased to
    another company (site, power, tenant, source)."""
    leased = [
        {
            "site": row.site_name,
            "power_mw": _or_none(row.power_mw),
            "power_qualifier": _text_or_none(row.power_qualifier),
            "tenant": _company_name(data, row.tenant_company_id),
            "source_id": row.source_id,
        }
        for row in model_sites.leased_sites(data).itertuples()
    ]
    return {"usage": _described_groups(_competitor_rows(data, XAI, "usage")), "leased": leased}


def governance_items(data: Dataset) -> list[dict[str, object]]:
    """Related-party dealings across Musk's companies, oldest investment first, each with its
    ``kind``: investment (investor, amount, the xAI round's amount and month, or the
    investment's own date when the round is unknown), event (``_event_values``), pay (a pay
    package within Musk's group) or claim (a business-model row about Musk's group)."""
    items: list[dict[str, object]] = []
    group = model_sites.musk_group(data)
    musk = group - {XAI}
    related = _xai_investments(data, lambda f: f["investor_company_id"].isin(musk))
    if not related.empty:
        rounds = model_rounds.rounds(data, XAI).set_index("round_id")
        for row in related.sort_values("fact_date").itertuples():
            round_ = rounds.loc[row.round_id] if row.round_id in rounds.index else None
            items.append(
                {
                    "kind": "investment",
                    "investor": _company_name(data, row.investor_company_id),
                    "amount": _or_none(row.amount_usd_bn),
                    "round_amount": _or_none(round_["amount_usd_bn"])
                    if round_ is not None
                    else None,
                    "round_qualifier": _text_or_none(round_["amount_qualifier"])
                    if round_ is not None
                    else None,
                    "date": round_["date"] if round_ is not None else row.fact_date,
                    "date_precision": "month" if round_ is not None else row.fact_date_precision,
                    "source_id": row.source_id,
                }
            )
    for row in _timeline(data, "corporate").itertuples():
        items.append({"kind": "event", **_event_values(row)})
    metrics = _table(data, "company_metrics")
    if not metrics.empty:
        # pay packages within Musk's group of companies (the related party), not everyone's
        pay = canonical_where(
            metrics,
            (metrics["metric"] == "compensation_package")
            & metrics["company_id"].isin(group | {XAI}),
        )
        for row in pay.itertuples():
            items.append(
                {
                    "kind": "pay",
                    "company": _company_name(data, row.company_id),
                    "period": _text_or_none(row.period),
                    "value": _or_none(row.value),
                    "qualifier": _text_or_none(row.value_qualifier),
                    "source_id": row.source_id,
                }
            )
    models = _competitor_rows(data, XAI, "business_model")
    if not models.empty:
        # the business-model rows about Musk's group, not about neocloud economics
        about_musk = models[models["description"].str.contains("Musk", case=False, na=False)]
        for row in about_musk.itertuples():
            items.append({"kind": "claim", "text": row.description, "source_id": row.source_id})
    return items


# 7. Risk register -----------------------------------------------------------------------------


def _find_record(data: Dataset, record_id: str) -> tuple[str, pd.Series] | None:
    cited = _cited_records(data)
    if record_id in cited:
        return cited[record_id]
    table = RECORD_TABLES.get(record_id.split("-")[0])
    frame = _table(data, table) if table else pd.DataFrame()
    if frame.empty or "record_id" not in frame:
        return None
    match = frame[frame["record_id"] == record_id]
    return (table, match.iloc[0]) if not match.empty else None


@_cached("risks", *dict.fromkeys(RECORD_TABLES.values()))
def _cited_records(data: Dataset) -> dict[str, tuple[str, pd.Series] | None]:
    """Every row the risk register cites, by record id (None where this edition lacks it):
    one vectorised lookup per table instead of a scan of a table per cited id."""
    risks = _table(data, "risks")
    ids = (
        list(
            dict.fromkeys(
                record_id
                for value in risks["evidence_record_ids"]
                for record_id in _evidence_ids(value)
            )
        )
        if "evidence_record_ids" in risks
        else []
    )
    records: dict[str, tuple[str, pd.Series] | None] = dict.fromkeys(ids)
    by_table: dict[str, list[str]] = {}
    for record_id in ids:
        table = RECORD_TABLES.get(record_id.split("-")[0])
        if table:
            by_table.setdefault(table, []).append(record_id)
    for table, wanted in by_table.items():
        frame = _table(data, table)
        if frame.empty or "record_id" not in frame:
            continue
        found = frame[frame["record_id"].isin(wanted)].drop_duplicates("record_id")
        for position, record_id in enumerate(found["record_id"]):
            records[record_id] = (table, found.iloc[position])
    return records


def record_values(data: Dataset, record_id: str) -> dict[str, object] | None:
    """A row of any curated table as the template words it (macros ``record`` and
    ``record_short``): its ``table``, source id, company and status, and that table's fields
    (None where missing); None when this edition lacks the row."""
    found = _find_record(data, record_id)
    if found is None:
        return None
    table, row = found
    values: dict[str, object] = {
        "table": table,
        "source_id": row["source_id"],
        "company": _company_name(data, row.get("company_id")),
        "status": str(row.get("status")),
    }
    if table == "company_metrics":
        values |= {
            "metric": row["metric"],
            "value": row["value"],
            "high": _or_none(row.get("value_max")),
            "qualifier": _text_or_none(row["value_qualifier"]),
            "unit": row["unit"],
            "period": _text_or_none(row["period"]),
            "estimated_by": _text_or_none(row["estimated_by"]),
        }
    elif table == "funding_rounds":
        values |= {
            "round_name": row["round_name"],
            "round_name_short": _truncate(row["round_name"]),
            "amount": _or_none(row["amount_usd_bn"]),
            "amount_qualifier": _text_or_none(row["amount_qualifier"]),
            "debt": _or_none(row["debt_usd_bn"]),
        }
    elif table == "investments":
        values |= {
            "investor": _company_name(data, row["investor_company_id"]),
            "amount": _or_none(row["amount_usd_bn"]),
            "strategic": bool(row["is_strategic"]),
            "date": row["fact_date"],
            "precision": str(row["fact_date_precision"]),
        }
    elif table == "valuations":
        values |= {
            "value": row["valuation_usd_bn"],
            "qualifier": _text_or_none(row["value_qualifier"]),
            "basis": row["basis"],
            "date": row["fact_date"],
            "precision": str(row["fact_date_precision"]),
        }
    elif table == "competitors":
        values |= {"description": row["description"], "short": _truncate(row["description"])}
    elif table == "timeline":
        values |= {**_event_values(row), "short": _truncate(row["event"])}
    elif table == "sites":
        tenant = row["tenant_company_id"]
        values |= {
            "site_name": str(row["site_name"]),
            "power_mw": _or_none(row["power_mw"]),
            "power_qualifier": _text_or_none(row["power_qualifier"]),
            "site_status": row["site_status"],
            "user": _company_name(data, tenant)
            if not is_missing(tenant) and tenant != row["owner_company_id"]
            else None,
        }
    elif table == "companies":
        values |= {"name": row["name"], "short": str(row["name"])}
    else:
        name = row.get("risk", record_id)
        values |= {"name": name, "short": _truncate(name)}
    return values


def describe_record(data: Dataset, record_id: str) -> tuple[str, str] | None:
    """A row of any curated table as a short markdown phrase, with its source id."""
    values = record_values(data, record_id)
    if values is None:
        return None
    return _markdown("record", r=values), values["source_id"]


def _evidence_ids(value: object) -> list[str]:
    if is_missing(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def risk_frame(data: Dataset) -> pd.DataFrame:
    """One row per risk, highest score (likelihood × impact) first."""
    risks = canonical(_table(data, "risks"))
    columns = ["record_id", "risk", "category", "likelihood", "impact", "score", "source_id"]
    if risks.empty:
        return pd.DataFrame(columns=columns)
    frame = risks.assign(
        likelihood=risks["likelihood"].astype(int),
        impact=risks["impact"].astype(int),
    )
    frame["score"] = frame["likelihood"] * frame["impact"]
    frame = frame.sort_values(
        ["score", "likelihood", "record_id"], ascending=[False, False, True], kind="stable"
    )
    return frame[[*columns, "evidence_record_ids"]].reset_index(drop=True)


def risk_chart_frame(data: Dataset) -> pd.DataFrame:
    frame = risk_frame(data)
    return frame[["risk", "category", "likelihood", "impact", "score", "source_id"]]


def top_risk(data: Dataset) -> dict[str, object] | None:
    """The register's highest-scoring risk (name and score of 25); None without a register."""
    frame = risk_frame(data)
    if frame.empty:
        return None
    top = frame.iloc[0]
    return {"risk": str(top["risk"]), "score": int(top["score"])}


def risk_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Points of ``risk_chart_frame``; ``title`` from ``risk_title``, given ``top_risk``."""
    words = labels(SLUG, "risk_chart")
    tip = words["tooltip"]
    chart = charts.scatter_chart(
        frame,
        "score:Q",
        "risk:N",
        color="category:N",
        title=title,
        x_title=words["x"],
        y_title=words["y"],
        description=words["description"],
        tooltip=[
            alt.Tooltip("risk:N", title=tip["risk"]),
            alt.Tooltip("category:N", title=tip["category"]),
            alt.Tooltip("likelihood:Q", title=tip["likelihood"]),
            alt.Tooltip("impact:Q", title=tip["impact"]),
            alt.Tooltip("score:Q", title=tip["score"]),
        ],
    )
    chart = chart.encode(
        x=alt.X("score:Q", title=words["x"], scale=alt.Scale(domain=[0, 25])),
        y=alt.Y("risk:N", title=words["y"], sort=list(frame["risk"]), axis=_category_axis()),
        color=alt.Color("category:N", title=words["legend"], legend=alt.Legend(columns=4)),
    )
    return _titled(chart, title, words["subtitle"])


def _source_label(data: Dataset, source_id: str) -> str:
    """A source named in a few words for a table cell: publisher (or title) and year.

    The publisher's qualifiers in brackets are left to the bibliography, where the full entry
    is; the evidence list under the table cites each fact properly.
    """
    source = data.sources.get(source_id)
    if source is None:
        return source_id
    who = (source.publisher or source.title).split(" (")[0].strip() or source_id
    return f"{who}, {source.published.year}" if source.published else who


def _truncate(text: object, limit: int = SHORT_TEXT_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:") + "…"


def short_evidence(data: Dataset, record_id: str) -> str | None:
    """A few plain words for a register cell (the evidence list gives the full, cited text)."""
    values = record_values(data, record_id)
    return None if values is None else _plain("record_short", r=values)


def _evidence_records(data: Dataset, risk: pd.Series) -> list[dict[str, object]]:
    """The risk's evidence rows that this edition holds (``record_values``)."""
    found = (record_values(data, i) for i in _evidence_ids(risk["evidence_record_ids"]))
    return [values for values in found if values is not None]


def risk_register_table(data: Dataset) -> pd.DataFrame:
    """The register as the reader scans it: plain text, short, sources named in words; the
    headers and the cells without data are the template's (``register_columns``,
    ``register_cells``)."""
    columns, cells = labels(SLUG, "register_columns"), labels(SLUG, "register_cells")
    rows = []
    for _, risk in risk_frame(data).iterrows():
        # numbers first (metrics, rounds, valuations, investments), then reported positions
        ids = sorted(
            _evidence_ids(risk["evidence_record_ids"]),
            key=lambda i: i.split("-")[0] not in QUANTITATIVE_PREFIXES,
        )
        phrases = list(dict.fromkeys(p for p in (short_evidence(data, i) for i in ids) if p))
        if len(phrases) > REGISTER_MAX_PHRASES:
            more = len(phrases) - REGISTER_MAX_PHRASES
            phrases = [*phrases[:REGISTER_MAX_PHRASES], _plain("register_more", count=more)]
        sources = [r["source_id"] for r in _evidence_records(data, risk)] + [risk["source_id"]]
        rows.append(
            {
                "risk": risk["risk"],
                "category": risk["category"],
                "likelihood": int(risk["likelihood"]),
                "impact": int(risk["impact"]),
                "score": int(risk["score"]),
                "evidence": "; ".join(phrases) or cells["no_evidence"],
                "sources": "; ".join(dict.fromkeys(_source_label(data, s) for s in sources)),
            }
        )
    keys = ["risk", "category", "likelihood", "impact", "score", "evidence", "sources"]
    if not rows:  # a table with no rows would render as a bare header
        rows = [{"risk": cells["no_risks"]}]
    return pd.DataFrame(rows, columns=keys).rename(columns=columns)


def evidence_list_values(data: Dataset) -> list[dict[str, object]]:
    """Each risk (name, category, scores, source) with its evidence rows in runs from one
    source (``cited_groups`` of ``record_values``), highest score first."""
    return [
        {
            "risk": risk["risk"],
            "category": risk["category"],
            "likelihood": risk["likelihood"],
            "impact": risk["impact"],
            "score": risk["score"],
            "source_id": risk["source_id"],
            "evidence": cited_groups([(r, r["source_id"]) for r in _evidence_records(data, risk)]),
        }
        for _, risk in risk_frame(data).iterrows()
    ]


def evidence_list(data: Dataset) -> str:
    """Each risk with its evidence, every fact cited by its own source (the template's
    ``evidence_list``)."""
    return _markdown("evidence_list", risks=evidence_list_values(data))


def _risks_scoring(rows: pd.DataFrame, score: object) -> dict[str, object]:
    """The risks with one score: their names, their sources and the score."""
    rows = rows[rows["score"] == score]
    return {"names": list(rows["risk"]), "source_ids": list(rows["source_id"]), "score": int(score)}


def register_summary(data: Dataset) -> dict[str, object] | None:
    """How many risks; the highest-scoring ones and the next score's (None if all tie); the
    category whose risks score highest. None without a register."""
    frame = risk_frame(data)
    if frame.empty:
        return None
    top_score = frame["score"].iloc[0]
    lower = frame[frame["score"] < top_score]
    categories = frame.groupby("category")["score"].max().sort_values(ascending=False)
    return {
        "count": len(frame),
        "top": _risks_scoring(frame, top_score),
        "next": _risks_scoring(lower, lower["score"].iloc[0]) if not lower.empty else None,
        "top_category": str(categories.index[0]),
    }


# 8. What would change, findings, headline ------------------------------------------------------


def what_would_change_values(base: Assumptions) -> dict[str, object]:
    """How far each input would have to move for cash to last the horizon: the growth needed
    (None: no plausible growth is enough), the highest spending, the new money a year. Only
    the base runway when cash lasts already."""
    months = runway_months(base)
    values: dict[str, object] = {
        "months": months,
        "horizon": base.horizon_months,
        "has_revenue": base.starting_revenue_usd_bn > 0,
        "growth": base.annual_revenue_growth_pct,
        "spend": base.monthly_spend_usd_bn,
    }
    if months is not None:
        values |= {
            "growth_needed": growth_needed(base) if values["has_revenue"] else None,
            "spend_limit": spend_limit(base),
            "funding_needed": funding_needed(base),
        }
    return values


def findings_values(data: Dataset, base: Assumptions) -> dict[str, object]:
    """What the five key findings state: the runway (base and stress), revenue against
    spending (``burn_values``, with the spending the model assumes when it differs from the
    data's), X's share (``x_dependence_values``), the debt shares and their sources, and the
    three highest-scoring risks with theirs."""
    stress = apply_scenario(base, SCENARIOS_BY_KEY["stress"])
    burn = burn_values(data)
    spend = monthly_spend(data)
    assumed = spend is not None and not math.isclose(spend.value_usd_bn, base.monthly_spend_usd_bn)
    top = risk_frame(data).head(3)
    return {
        "runway": {
            "assumptions": base,
            "base": runway(data, base),
            "stress": runway(data, stress),
            "source_ids": model_sources(data, base),
        },
        "coverage": {
            **burn,
            "assumed_yearly": base.monthly_spend_usd_bn * MONTHS_PER_YEAR if assumed else None,
        },
        "x": x_dependence_values(data),
        "leverage": {
            "shares": leverage(data) or {},
            "source_ids": _amount_sources(financing_rounds(data)),
        },
        "risks": [
            {
                "risk": row.risk,
                "likelihood": int(row.likelihood),
                "impact": int(row.impact),
                "score": int(row.score),
            }
            for row in top.itertuples()
        ],
        "risk_source_ids": list(top["source_id"]),
    }


def findings(data: Dataset, base: Assumptions) -> str:
    """The key findings as the chapter glues them (``key_findings`` of chapters/risk.md.j2).

    Rendered here, not in the notebook, because the introduction takes its lead from them
    (``xaibook.analysis.intro``) until it can call the chapter's template itself.
    """
    return _markdown("key_findings", v=findings_values(data, base))


def headline(data: Dataset, base: Assumptions) -> str:
    """Deterministic summary for the notebook's NBVAL check (no dates that move daily)."""
    lines = []
    for key, assumptions in scenario_assumptions(base).items():
        months = runway_months(assumptions)
        lines.append(f"runway {key}: {months if months is not None else 'beyond horizon'}")
    revenue = starting_revenue(data)
    lines.append(
        f"starting revenue: {round(revenue.value_usd_bn, 3)} ({revenue.record})"
        if revenue
        else "starting revenue: none"
    )
    spend_ratio = xai_spend_ratio(data)
    lines.append(f"spend / revenue: {round(spend_ratio, 1) if spend_ratio else 'n/a'}")
    found = x_share(data)
    lines.append(f"X share %: {round(found[0], 1) if found else 'n/a'}")
    shares = leverage(data) or {}
    lines.append(
        "debt %: "
        + ", ".join(f"{k}={round(v, 1)}" for k, v in sorted(shares.items()) if k.endswith("pct"))
    )
    risks = risk_frame(data)
    lines.append(f"risks: {len(risks)}; top: {risks['record_id'].iloc[0] if len(risks) else '-'}")
    return "\n".join(lines)
