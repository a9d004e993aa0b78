"""Risk chapter, the cash-runway model: assumptions, scenarios derived from the base by
multipliers, the monthly cash path and what it takes for the cash to last.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from xaibook.analysis.risk.base import MONTHS_PER_YEAR
from xaibook.analysis.risk.estimates import starting_revenue
from xaibook.data.dataset import Dataset


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
