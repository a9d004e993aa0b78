"""The introduction: one headline finding from each analytical chapter, linked to it."""

from __future__ import annotations

from xaibook.analysis import competition, funding, infrastructure, risk
from xaibook.dataset import Dataset

CHAPTER_LINKS = {
    "funding": ("Funding", "ch-funding"),
    "competition": ("Competition", "ch-competition"),
    "infrastructure": ("Infrastructure", "ch-infrastructure"),
    "risk": ("Risk", "ch-risk"),
}


def first_bullet(findings_markdown: str) -> str:
    """The first item of a chapter's key-findings list (items are ordered by importance)."""
    items = [item.strip() for item in ("\n" + findings_markdown).split("\n- ") if item.strip()]
    return items[0] if items else ""


def key_findings(data: Dataset, scenario: dict[str, float], capex_usd_bn_per_gw: float) -> str:
    """Markdown list: each chapter's lead finding, with a link to the chapter."""
    base = risk.base_assumptions(data, **scenario)
    leads = {
        "funding": first_bullet(funding.findings(data)),
        "competition": first_bullet(competition.findings(data)),
        "infrastructure": first_bullet(infrastructure.findings(data, capex_usd_bn_per_gw)),
        "risk": first_bullet(risk.findings(data, base)),
    }
    lines = []
    for slug, lead in leads.items():
        title, label = CHAPTER_LINKS[slug]
        text = lead or "The chapter has no data to report in this edition."
        lines.append(f"- **{title}** ({{ref}}`chapter <{label}>`): {text}")
    return "\n".join(lines)
