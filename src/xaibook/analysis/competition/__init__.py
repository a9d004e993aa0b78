"""Competition chapter: valuations side by side, revenue, multiples, positioning, neoclouds.

Every function takes the chapter's Dataset (or a frame another function here returned) and
returns a DataFrame, a chart or MyST markdown. Two kinds of figure meet in this chapter and are
never mixed silently:

* curated figures from the news reports (``valuations``, ``company_metrics``), one row per claim,
  each with its qualifier (about, more than, less than) and basis;
* Epoch AI's funding rounds (post-money valuations) and revenue reports, dated by Epoch.

Both come reconciled from ``xaibook.model.valuations`` and ``xaibook.model.revenue``; this
package words them and picks the figures it compares.

Every sentence names the figure's date and source, and says plainly when a figure is missing
from the edition (an early ``--as-of`` or a trimmed data copy).

The package follows the chapter's sections, each module importing only ``base`` and the
sections it builds on:

- ``base``: the companies compared, qualifiers, the template's words, names and chart labels,
  tooltips, template values and passages;
- ``valuation_figures``: valuations, the ranking and its chart;
- ``revenue_figures``: the labs' revenue and its chart;
- ``multiple_pairs``: valuation ÷ revenue pairs, their chart and table;
- ``positioning_claims``: what the sources say about each company on each dimension;
- ``neocloud_gap``: xAI's valuation against CoreWeave's;
- ``summary``: the key findings and the headline.

Each holds a section's frames and charts and the values its passages and key finding take.
Notebooks and tests use the names re-exported here (``from xaibook.analysis import
competition as an``).
"""

from __future__ import annotations

from xaibook.analysis.competition.base import (
    ALWAYS_SHOWN,
    COREWEAVE,
    LABS,
    QUALIFIER_DIRECTION,
    SHORT_QUALIFIER,
    XAI,
    figure_from,
    labels,
    passage,
    short_name,
)
from xaibook.analysis.competition.evidence import evidence_table
from xaibook.analysis.competition.multiple_pairs import (
    MULTIPLE_COLUMNS,
    MULTIPLE_LABEL_EXPR,
    MULTIPLE_ROW_PX,
    MULTIPLE_TOOLTIPS,
    RAW_MULTIPLE_COLUMNS,
    STALE_PAIR_MONTHS,
    multiples,
    multiples_chart,
    multiples_finding,
    multiples_sources_line,
    multiples_standing,
    multiples_table,
    revenue_multiples,
    revenue_sources,
)
from xaibook.analysis.competition.neocloud_gap import (
    neocloud,
    neocloud_comparison,
    valuation_per_h100e,
)
from xaibook.analysis.competition.positioning_claims import (
    FINDING_DIMENSIONS,
    POSITIONING_COLUMNS,
    POSITIONING_MAX_CLAIMS,
    POSITIONING_MAX_COMPANIES,
    PROSE_DIMENSIONS,
    dimension_titles,
    positioning,
    positioning_finding,
    positioning_scope,
    positioning_sources,
    positioning_table,
    positioning_text,
)
from xaibook.analysis.competition.revenue_figures import (
    EDGE_PADDING_PX,
    EPOCH_REVENUE_KINDS,
    NEWS_REVENUE_KINDS,
    REVENUE_COLUMNS,
    REVENUE_TOOLTIPS,
    TRAILING_PARENTHESIS,
    curated_revenue,
    epoch_revenue,
    revenue,
    revenue_basis,
    revenue_chart,
    revenue_chart_data,
    revenue_finding,
    revenue_standing,
)
from xaibook.analysis.competition.summary import (
    findings,
    findings_values,
    headline,
)
from xaibook.analysis.competition.valuation_figures import (
    COMBINED_ENTITY,
    OPENAI,
    VALUATION_COLUMNS,
    VALUATION_TOOLTIPS,
    VALUATION_TOP_N,
    latest_valuations,
    shown_valuations,
    valuation_chart,
    valuation_chart_data,
    valuation_finding,
    valuation_standing,
    valuations,
)
from xaibook.model.valuations import EPOCH, NEWS  # the figure-source codes

__all__ = [
    "ALWAYS_SHOWN",
    "COMBINED_ENTITY",
    "COREWEAVE",
    "EDGE_PADDING_PX",
    "EPOCH",
    "EPOCH_REVENUE_KINDS",
    "FINDING_DIMENSIONS",
    "LABS",
    "MULTIPLE_COLUMNS",
    "MULTIPLE_LABEL_EXPR",
    "MULTIPLE_ROW_PX",
    "MULTIPLE_TOOLTIPS",
    "NEWS",
    "NEWS_REVENUE_KINDS",
    "OPENAI",
    "POSITIONING_COLUMNS",
    "POSITIONING_MAX_CLAIMS",
    "POSITIONING_MAX_COMPANIES",
    "PROSE_DIMENSIONS",
    "QUALIFIER_DIRECTION",
    "RAW_MULTIPLE_COLUMNS",
    "REVENUE_COLUMNS",
    "REVENUE_TOOLTIPS",
    "SHORT_QUALIFIER",
    "STALE_PAIR_MONTHS",
    "TRAILING_PARENTHESIS",
    "VALUATION_COLUMNS",
    "VALUATION_TOOLTIPS",
    "VALUATION_TOP_N",
    "XAI",
    "curated_revenue",
    "dimension_titles",
    "epoch_revenue",
    "evidence_table",
    "figure_from",
    "findings",
    "findings_values",
    "headline",
    "labels",
    "latest_valuations",
    "multiples",
    "multiples_chart",
    "multiples_finding",
    "multiples_sources_line",
    "multiples_standing",
    "multiples_table",
    "neocloud",
    "neocloud_comparison",
    "passage",
    "positioning",
    "positioning_finding",
    "positioning_scope",
    "positioning_sources",
    "positioning_table",
    "positioning_text",
    "revenue",
    "revenue_basis",
    "revenue_chart",
    "revenue_chart_data",
    "revenue_finding",
    "revenue_multiples",
    "revenue_sources",
    "revenue_standing",
    "short_name",
    "shown_valuations",
    "valuation_chart",
    "valuation_chart_data",
    "valuation_finding",
    "valuation_per_h100e",
    "valuation_standing",
    "valuations",
]
