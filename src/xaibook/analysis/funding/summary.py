"""Funding chapter's summary: the key findings and the headline the notebook's check prints."""

from __future__ import annotations

from xaibook import prose
from xaibook.analysis.funding.base import STRATEGIC, TEMPLATE, xai_rounds
from xaibook.analysis.funding.figures import valuation_step_up
from xaibook.analysis.funding.investor_values import investors, xai_investors
from xaibook.analysis.funding.peers import capital_totals, cumulative_capital
from xaibook.analysis.funding.round_values import (
    combination,
    cumulative,
    debt,
    latest_round,
    valuation,
)
from xaibook.data.dataset import Dataset
from xaibook.model.rounds import COUNTED, closed_rounds, total_raised


def key_findings(data: Dataset) -> dict:
    """The values of the key findings (the template's ``key_findings``), most important first."""
    rounds = xai_rounds(data)
    return {
        "combination": combination(data, rounds),
        "latest": latest_round(data, rounds),
        "cumulative": cumulative(data, rounds),
        "valuation": valuation(rounds),
        "debt": debt(data, rounds),
        "investors": investors(xai_investors(data), rounds, data),
    }


def findings(data: Dataset) -> str:
    """The key findings as the chapter shows them (a Markdown list; the intro quotes its lead)."""
    return prose.render(TEMPLATE, "key_findings", f=key_findings(data))


def headline(data: Dataset) -> str:
    """The chapter's headline numbers, one per line, for the nbval check cell."""
    rounds = xai_rounds(data)
    lines = [
        f"events: {len(rounds)}; closed: {len(closed_rounds(rounds))}; "
        f"not closed: {int((~rounds['stage'].isin(COUNTED)).sum()) if not rounds.empty else 0}",
        f"xAI raised (closed): {total_raised(rounds):.1f} USD bn",
    ]
    step = valuation_step_up(rounds)
    if step is not None:
        lines.append(
            f"valuation: {step['first']['valuation_usd_bn']:.1f} -> "
            f"{step['last']['valuation_usd_bn']:.1f} USD bn ({step['multiple']:.1f}x)"
        )
        net = valuation(rounds)["multiple_ex_x"]
        if net is not None:
            lines.append(f"valuation multiple net of X: {net:.1f}x")
    totals = capital_totals(cumulative_capital(data))
    for row in totals.itertuples():
        lines.append(f"cumulative {row.company}: {row.total_usd_bn:.1f} USD bn")
    investors = xai_investors(data)
    strategic = sorted(investors.loc[investors["investor_type"] == STRATEGIC, "investor"])
    lines.append(f"strategic investors: {', '.join(strategic) or 'none'}")
    return "\n".join(lines)
