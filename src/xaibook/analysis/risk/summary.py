"""Risk chapter's summary: what would change the conclusions, the key findings and the
headline the notebook's check prints.
"""

from __future__ import annotations

import math

from xaibook.analysis.risk.base import MONTHS_PER_YEAR, _markdown
from xaibook.analysis.risk.burn import burn_values, xai_spend_ratio
from xaibook.analysis.risk.dependence import (
    leverage,
    leverage_values,
    x_dependence_values,
    x_share,
)
from xaibook.analysis.risk.estimates import later_deal_values, monthly_spend, starting_revenue
from xaibook.analysis.risk.register import risk_frame
from xaibook.analysis.risk.runway_model import (
    SCENARIOS_BY_KEY,
    Assumptions,
    apply_scenario,
    funding_needed,
    growth_needed,
    runway_months,
    scenario_assumptions,
    spend_limit,
)
from xaibook.analysis.risk.scenarios import base_scenario_values, model_start, runway
from xaibook.data.dataset import Dataset


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
    base_case = base_scenario_values(data, base)
    return {
        "runway": {
            **base_case,
            "base": base_case["runway"],
            "stress": runway(data, stress, base_case["start"]),
        },
        "coverage": {
            **burn,
            "assumed_yearly": base.monthly_spend_usd_bn * MONTHS_PER_YEAR if assumed else None,
            "later_deal": later_deal_values(data),
        },
        "x": x_dependence_values(data),
        "leverage": leverage_values(data),
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
    lines = [f"model start: {model_start(data, base):%Y-%m}"]  # the inputs' date, not today's
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
