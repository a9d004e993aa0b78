"""The introduction: one headline finding from each analytical chapter, linked to it."""

from __future__ import annotations

from markupsafe import Markup

from xaibook import paths, prose
from xaibook.analysis import competition, funding, infrastructure, risk
from xaibook.dataset import Dataset

# the label of each chapter the key findings link to (its name and the words are in intro.md.j2)
CHAPTER_LINKS = {
    "funding": "ch-funding",
    "competition": "ch-competition",
    "infrastructure": "ch-infrastructure",
    "risk": "ch-risk",
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
    items = [
        # a lead is the chapter's own Markdown, written by its template: printed as it is
        {
            "slug": slug,
            "target": Markup(CHAPTER_LINKS[slug]),
            "lead": Markup(lead) if lead else None,
        }
        for slug, lead in leads.items()
    ]
    return prose.render(
        prose.template_file(paths.REPO_ROOT / "intro.ipynb"), "key_findings", items=items
    )
