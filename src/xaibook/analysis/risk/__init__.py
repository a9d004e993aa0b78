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
   for a code in the data) as labels the package reads by name.

The risk register's likelihood and impact scores (1-5) are the book's analyst judgement
(``status`` estimate in ``risks.csv``), not a source's; the chapter says so wherever it uses them.

The package, by part: ``base`` (constants, the template's macros, shared chart helpers),
``estimates`` (1), ``runway_model`` (2), then the values, charts and tables of each section:
``scenarios``, ``burn``, ``dependence``, ``regulation``, ``register`` and ``summary``
(findings, headline). Every public name is importable from ``xaibook.analysis.risk``.
"""

from xaibook.analysis.risk.base import (
    CHART_MAX_POINTS_PER_LINE,
    EPOCH_REVENUE_KINDS,
    INFERENCE_COMPUTE,
    MAX_EVENTS,
    MAX_RIVALS,
    MONTHS_PER_YEAR,
    PEERS,
    QUANTITATIVE_PREFIXES,
    RD_COMPUTE,
    RECORD_TABLES,
    REGISTER_MAX_PHRASES,
    SHORT_TEXT_CHARS,
    SLUG,
    TITLE_MAX_CHARS,
    XAI,
    _plain,
    cited_groups,
)
from xaibook.analysis.risk.burn import (
    PeerBurn,
    burn_values,
    peer_burn,
    peer_values,
    revenue_spending_chart,
    revenue_spending_frame,
    spend_ratios,
    xai_revenue_estimates,
    xai_spend_ratio,
)
from xaibook.analysis.risk.dependence import (
    FINANCING_PARTS,
    financing_chart,
    financing_frame,
    leverage,
    leverage_values,
    x_dependence_values,
    x_share,
)
from xaibook.analysis.risk.estimates import (
    Estimate,
    estimate_values,
    financing_rounds,
    latest_round,
    monthly_spend,
    starting_revenue,
    x_inclusive_revenue,
)
from xaibook.analysis.risk.register import (
    describe_record,
    evidence_list,
    evidence_list_values,
    record_values,
    register_summary,
    risk_chart,
    risk_chart_frame,
    risk_frame,
    risk_grid,
    risk_register_table,
    short_evidence,
    top_risk,
)
from xaibook.analysis.risk.regulation import governance_items, regulation_values, usage_values
from xaibook.analysis.risk.runway_model import (
    MAX_GROWTH_PCT,
    SCENARIOS,
    SCENARIOS_BY_KEY,
    Assumptions,
    Scenario,
    apply_scenario,
    base_assumptions,
    funding_needed,
    growth_needed,
    runway_months,
    scale_growth,
    scenario_assumptions,
    simulate_cash,
    spend_limit,
)
from xaibook.analysis.risk.scenarios import (
    base_scenario_values,
    combination,
    model_inputs,
    model_sources,
    model_start,
    runway,
    runway_chart,
    runway_frame,
    scenario_table,
    scenario_values,
    starting_cash_values,
    starting_revenue_values,
)
from xaibook.analysis.risk.summary import (
    findings,
    findings_values,
    headline,
    what_would_change_values,
)

__all__ = [
    "CHART_MAX_POINTS_PER_LINE",
    "EPOCH_REVENUE_KINDS",
    "FINANCING_PARTS",
    "INFERENCE_COMPUTE",
    "MAX_EVENTS",
    "MAX_GROWTH_PCT",
    "MAX_RIVALS",
    "MONTHS_PER_YEAR",
    "PEERS",
    "QUANTITATIVE_PREFIXES",
    "RD_COMPUTE",
    "RECORD_TABLES",
    "REGISTER_MAX_PHRASES",
    "SCENARIOS",
    "SCENARIOS_BY_KEY",
    "SHORT_TEXT_CHARS",
    "SLUG",
    "TITLE_MAX_CHARS",
    "XAI",
    "Assumptions",
    "Estimate",
    "PeerBurn",
    "Scenario",
    "_plain",
    "apply_scenario",
    "base_assumptions",
    "base_scenario_values",
    "burn_values",
    "cited_groups",
    "combination",
    "describe_record",
    "estimate_values",
    "evidence_list",
    "evidence_list_values",
    "financing_chart",
    "financing_frame",
    "financing_rounds",
    "findings",
    "findings_values",
    "funding_needed",
    "governance_items",
    "growth_needed",
    "headline",
    "latest_round",
    "leverage",
    "leverage_values",
    "model_inputs",
    "model_sources",
    "model_start",
    "monthly_spend",
    "peer_burn",
    "peer_values",
    "record_values",
    "register_summary",
    "regulation_values",
    "revenue_spending_chart",
    "revenue_spending_frame",
    "risk_chart",
    "risk_chart_frame",
    "risk_frame",
    "risk_grid",
    "risk_register_table",
    "runway",
    "runway_chart",
    "runway_frame",
    "runway_months",
    "scale_growth",
    "scenario_assumptions",
    "scenario_table",
    "scenario_values",
    "short_evidence",
    "simulate_cash",
    "spend_limit",
    "spend_ratios",
    "starting_cash_values",
    "starting_revenue",
    "starting_revenue_values",
    "top_risk",
    "usage_values",
    "what_would_change_values",
    "x_dependence_values",
    "x_inclusive_revenue",
    "x_share",
    "xai_revenue_estimates",
    "xai_spend_ratio",
]
