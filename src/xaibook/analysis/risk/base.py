"""Risk chapter: its constants, its template's macros (``_plain``, ``_markdown``), the small
reading helpers (edition date, names, missing values), texts grouped by source
(``cited_groups``) and the chart helpers every part shares.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from xaibook import paths, prose
from xaibook.data.dataset import Dataset
from xaibook.formatting import is_missing
from xaibook.model import revenue as model_revenue
from xaibook.model.names import company_name

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


# The chapter's template: its macros word what the package computes ---------------------------

SLUG = "risk"


def _template() -> Path:
    return prose.template_file(paths.CHAPTERS_DIR / "risk.ipynb")


def _plain(macro: str, /, **values: object) -> str:
    """Plain text (one line) of a macro of chapters/risk.md.j2: a label, a table cell."""
    return prose.render_text(_template(), macro, **values)


def _markdown(macro: str, /, **values: object) -> str:
    """Markdown of a macro of chapters/risk.md.j2 (values from the data escaped)."""
    return prose.render(_template(), macro, **values)


def _as_of(data: Dataset) -> pd.Timestamp:
    return data.as_of if data.as_of is not None else pd.Timestamp.now().normalize()


def _display_names(data: Dataset, company_ids: object) -> list[str]:
    """Each company's display name ("" where the id is missing)."""
    return [company_name(data, company_id) for company_id in company_ids]


def _company_name(data: Dataset, company_id: object) -> str:
    return company_name(data, company_id)


def _text_or_none(value: object) -> str | None:
    return None if is_missing(value) else str(value)


def _or_none(value: object) -> object:
    return None if is_missing(value) else value


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
