"""The introduction: one headline finding from each analytical chapter, linked to it."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from xaibook import paths, prose
from xaibook.analysis import competition, funding, infrastructure, methods, risk
from xaibook.data.dataset import Dataset
from xaibook.model import sites as model_sites

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


def _as_of(data: Dataset) -> pd.Timestamp:
    return data.as_of if data.as_of is not None else pd.Timestamp.now().normalize()


def opening_values(data: Dataset) -> dict[str, object]:
    """What the opening paragraph and the scope may say in this edition, each read against its
    date: xAI's founding year (``founded``, from the companies table), the month xAI first
    rented a data centre to another company (``rented_since``, None until a source published
    by the edition's date says so), whether a neocloud is in the edition (``neocloud``), and
    how many articles the edition rests on (``articles``; a summary or translation of another
    article counts as that article, ``summaries`` of them)."""
    as_of = _as_of(data)
    companies = data.tables.get("companies", pd.DataFrame())
    founded = None
    if not companies.empty:
        xai = companies[companies["company_id"].eq("xai") & companies["fact_date"].le(as_of)]
        if not xai.empty and xai["fact_date_precision"].iloc[0] == "year":
            founded = int(xai["fact_date"].iloc[0].year)
    leased = model_sites.leased_sites(data) if "sites" in data.tables else pd.DataFrame()
    rented_since = None if leased.empty else leased["published_date"].min()
    neocloud = False
    if not companies.empty:
        neocloud = bool(
            (companies["kind"].eq("neocloud") & companies["published_date"].le(as_of)).any()
        )
    sources = methods.article_sources(data)  # the count the methods chapter gives too
    return {
        "founded": founded,
        "as_of": as_of,
        "rented_since": rented_since,
        "neocloud": neocloud,
        "articles": len(sources["articles"]),
        "summaries": len(sources["summaries"]),
        # articles the book holds only as another's summary (an original it cannot check)
        "held_as_summary": len(sources["held_as_summary"]),
    }
