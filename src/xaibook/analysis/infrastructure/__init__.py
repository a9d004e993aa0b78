"""Infrastructure: Colossus 1 and 2, xAI's planned sites and the world's largest clusters.

Three kinds of evidence meet here and are kept apart on purpose:

1. Epoch AI's estimates (data centres, their dated build-out, GPU clusters): measured the same
   way for every site from satellite imagery, permits and filings. Timeline entries dated after
   Epoch's snapshot are Epoch's *projections* and are always labelled so.
2. The articles (sites.csv, company_metrics.csv): company claims, plans and round numbers. Where
   several rows state one quantity, the canonical (rank 1) row is the one quoted.
3. The book's own assumption ``capex_usd_bn_per_gw`` (a build parameter), which prices planned
   gigawatts. It is never cited as a source.

Every function takes a ``Dataset`` (already cut to the edition's as-of date) and returns a
frame, a chart or the values a passage needs; the words are in ``chapters/infrastructure.md.j2``
(``*_values`` functions feed its macros, ``findings`` renders the key findings for the
introduction). Fixed words (axis and tooltip titles, legend entries, table headers) are the
labels set at the template's top, read with ``labels``: the code works with codes (``xai``,
``announced``) and puts the template's words in a frame where it is handed to a chart or a
table. All of them cope with empty tables and with xAI missing. Tables may be scaled to
hundreds of thousands of rows by the benchmark, so everything is vectorised and every chart is
cut to a few dozen marks before it is drawn.

The package follows the chapter's sections, each module importing only ``base`` and the
sections before it:

- ``base``: settings, the template's fixed words, chart and value helpers, xAI's Epoch data
  centres;
- ``timelines``: the build-out of xAI's sites (Epoch's timelines);
- ``clusters``: the world's GPU clusters and xAI's standing;
- ``datacenters``: compute per MW and capital per GW of frontier data centres;
- ``claims``: the articles' claims beside Epoch's estimates;
- ``sites``: the xAI sites table and overview;
- ``plans``: planned capacity versus existing, xAI's and the rivals' plans;
- ``pricing``: the scenario pricing the plans at the assumed capital cost per GW;
- ``summary``: what would change the conclusions, the key findings and the headline.

Notebooks and tests use the names re-exported here (``from xaibook.analysis import
infrastructure as an``).
"""

from __future__ import annotations

from xaibook.analysis.infrastructure.base import (
    CAPEX_PARAMETER,
    DEFAULT_CAPEX_USD_BN_PER_GW,
    FUTURE_SCOPES,
    INVESTMENT_METRICS,
    MAX_LISTED,
    MAX_TABLE_SITE_ROWS,
    MAX_XAI_SITES,
    MW_PER_GW,
    PEERS,
    PLANNED_SITE_STATUSES,
    SLUG,
    TEMPLATE,
    XAI,
    Y_LABEL_LIMIT_PX,
    xai_data_centers,
)
from xaibook.analysis.infrastructure.claims import (
    CLAIM_FIELDS,
    claim_comparisons,
    claims_text_values,
)
from xaibook.analysis.infrastructure.clusters import (
    CLUSTER_COLUMNS,
    EXISTING_WORDS,
    KEPT_CERTAINTIES,
    NOT_SINGLE_CLUSTER,
    PHASE_SUFFIX,
    PLANNED_WORDS,
    RANKED_COLUMNS,
    TOP_CLUSTERS,
    cluster_filter_counts,
    cluster_lag,
    cluster_method_values,
    cluster_standing,
    clusters_chart,
    clusters_text_values,
    clusters_title_values,
    hub_ranking,
    hub_standing,
    ranked_clusters,
    top_clusters,
)
from xaibook.analysis.infrastructure.datacenters import (
    MAX_CAPITAL_SITES,
    MAX_DENSITY_SITES,
    capital_chart,
    capital_per_gw,
    capital_text_values,
    capital_title_values,
    data_center_metrics,
    density_chart,
    density_text_values,
    density_title_values,
)
from xaibook.analysis.infrastructure.plans import (
    MAX_ARTICLE_PLANS,
    MAX_PLAN_SITES,
    PLAN_COLUMNS,
    USER_TAGS,
    capacity_plans,
    plans_chart,
    plans_text_values,
    plans_title_values,
)
from xaibook.analysis.infrastructure.pricing import (
    ARTICLE_BASIS,
    EPOCH_BASIS,
    INVESTMENT_BASIS,
    LOWER_BOUNDS,
    PLAN_STATUSES,
    SCENARIO_COLUMNS,
    scenario,
    scenario_caption_values,
    scenario_sources,
    scenario_table,
    scenario_text_values,
)
from xaibook.analysis.infrastructure.sites import (
    MAX_TABLE_EPOCH_ROWS,
    MISSING_CELL,
    sites_caption_values,
    sites_overview_values,
    sites_sources,
    sites_table,
    xai_sites,
)
from xaibook.analysis.infrastructure.summary import (
    findings,
    headline,
    key_findings,
    what_would_change_values,
)
from xaibook.analysis.infrastructure.timelines import (
    BUILDOUT_COLUMNS,
    SPEED_FIELDS,
    build_speed,
    buildout,
    buildout_chart,
    buildout_text_values,
    buildout_title_values,
    projection_note_values,
    site_speeds,
    speed_peers,
)

__all__ = [
    "ARTICLE_BASIS",
    "BUILDOUT_COLUMNS",
    "CAPEX_PARAMETER",
    "CLAIM_FIELDS",
    "CLUSTER_COLUMNS",
    "DEFAULT_CAPEX_USD_BN_PER_GW",
    "EPOCH_BASIS",
    "EXISTING_WORDS",
    "FUTURE_SCOPES",
    "INVESTMENT_BASIS",
    "INVESTMENT_METRICS",
    "KEPT_CERTAINTIES",
    "LOWER_BOUNDS",
    "MAX_ARTICLE_PLANS",
    "MAX_CAPITAL_SITES",
    "MAX_DENSITY_SITES",
    "MAX_LISTED",
    "MAX_PLAN_SITES",
    "MAX_TABLE_EPOCH_ROWS",
    "MAX_TABLE_SITE_ROWS",
    "MAX_XAI_SITES",
    "MISSING_CELL",
    "MW_PER_GW",
    "NOT_SINGLE_CLUSTER",
    "PEERS",
    "PHASE_SUFFIX",
    "PLANNED_SITE_STATUSES",
    "PLANNED_WORDS",
    "PLAN_COLUMNS",
    "PLAN_STATUSES",
    "RANKED_COLUMNS",
    "SCENARIO_COLUMNS",
    "SLUG",
    "SPEED_FIELDS",
    "TEMPLATE",
    "TOP_CLUSTERS",
    "USER_TAGS",
    "XAI",
    "Y_LABEL_LIMIT_PX",
    "build_speed",
    "buildout",
    "buildout_chart",
    "buildout_text_values",
    "buildout_title_values",
    "capacity_plans",
    "capital_chart",
    "capital_per_gw",
    "capital_text_values",
    "capital_title_values",
    "claim_comparisons",
    "claims_text_values",
    "cluster_filter_counts",
    "cluster_lag",
    "cluster_method_values",
    "cluster_standing",
    "clusters_chart",
    "clusters_text_values",
    "clusters_title_values",
    "data_center_metrics",
    "density_chart",
    "density_text_values",
    "density_title_values",
    "findings",
    "headline",
    "hub_ranking",
    "hub_standing",
    "key_findings",
    "plans_chart",
    "plans_text_values",
    "plans_title_values",
    "projection_note_values",
    "ranked_clusters",
    "scenario",
    "scenario_caption_values",
    "scenario_sources",
    "scenario_table",
    "scenario_text_values",
    "site_speeds",
    "sites_caption_values",
    "sites_overview_values",
    "sites_sources",
    "sites_table",
    "speed_peers",
    "top_clusters",
    "what_would_change_values",
    "xai_data_centers",
    "xai_sites",
]
