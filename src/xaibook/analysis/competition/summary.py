"""The key findings (one from each section) and the headline nbval checks."""

from __future__ import annotations

from xaibook import prose
from xaibook.analysis.competition.base import labels, passage
from xaibook.analysis.competition.multiple_pairs import (
    _ranges,
    multiples_finding,
    revenue_multiples,
)
from xaibook.analysis.competition.neocloud_gap import neocloud, neocloud_comparison
from xaibook.analysis.competition.positioning_claims import positioning, positioning_finding
from xaibook.analysis.competition.revenue_figures import revenue_finding
from xaibook.analysis.competition.valuation_figures import (
    latest_valuations,
    shown_valuations,
    valuation_finding,
    valuation_standing,
)
from xaibook.data.dataset import Dataset
from xaibook.formatting import count, percent


def findings_values(data: Dataset) -> dict[str, object]:
    """What the key findings macro of chapters/competition.md.j2 takes."""
    return {
        "valuation": valuation_finding(data),
        "multiples": multiples_finding(data),
        "revenue": revenue_finding(data),
        "positioning": positioning_finding(data),
        "neocloud": neocloud(data),
    }


def findings(data: Dataset) -> str:
    """The chapter's key findings: a markdown bullet list (the introduction reads the first)."""
    return passage("key_findings", **findings_values(data))


def headline(data: Dataset) -> str:
    """Deterministic lines for the notebook's NBVAL_CHECK_OUTPUT cell."""
    board = latest_valuations(data)
    words = labels("figure_from")
    lines = [
        "valuations: "
        + ", ".join(
            f"{r['company_id']}={r['valuation_usd_bn']:g}({words[r['figure_source']]})"
            for _, r in shown_valuations(board).iterrows()
        )
    ]
    standing = valuation_standing(board)
    rank = (
        f"ranks {prose.ordinal(standing['rank'])} of {count(standing['n'])}"
        if standing["rank"]
        else ""
    )
    share = (
        f"{percent(standing['share'])} of {standing['openai']}'s"
        if standing["share"] is not None
        else ""
    )
    lines.append(f"xai: {rank or 'no valuation'}; {share or 'no OpenAI comparison'}")
    frame = revenue_multiples(data)
    for like, words in ((True, "multiple"), (False, "not like for like")):
        for company_id, (low, high) in _ranges(frame, like).items() if not frame.empty else []:
            lines.append(f"{words} {company_id}: {low['multiple']:g} to {high['multiple']:g}")
    comparison = neocloud_comparison(data)
    gap = comparison["gap"]
    coreweave = neocloud(data)["coreweave"]
    if coreweave is not None and coreweave["in_words"]:
        lines.append("xai/coreweave: in the source's words only")
    else:
        lines.append(f"xai/coreweave: {round(gap[0], 2):g}" if gap else "xai/coreweave: none")
    lines.append(f"positioning rows: {len(positioning(data))}")
    return "\n".join(lines)
