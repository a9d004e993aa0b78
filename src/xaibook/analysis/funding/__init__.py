"""Funding: how xAI pays for compute.

Everything in the chapter reads one reconciled list of xAI's financing events, ``xai_rounds``:
the curated rounds (the canonical row of each claim) and Epoch AI's rounds for xAI, joined
where a curated row names its Epoch row (``epoch_round_key``). A round that both sources
confirm therefore appears once and keeps both sources; the curated row supplies what the
articles say (SpaceX's stake, a target) and Epoch what they leave out (the debt tranche).

Rules the list follows, and the chapter's text repeats (its words are in chapters/funding.md.j2;
this package gives the values they are written from):

* only closed rounds count as money raised; rounds reported in talks (Epoch's "Late
  discussions") or still being raised are shown, marked, and left out of every total;
* the X merger raised no new money: it counts as a closed event with an amount of zero, and
  every valuation from it on is of the combined company, X included;
* a round announced as an equity series with no split is counted as equity; a round whose
  source gives only part of the split keeps the rest as "not broken down".

The package, by part: ``base`` (constants, the reconciled rounds, shared helpers), ``peers``
(Epoch's rounds of OpenAI and Anthropic, cumulative capital, valuations), ``figures`` (the
charts), ``round_values`` and ``investor_values`` (the rounds and investors tables and the
values the sentences are written from) and ``summary`` (findings, headline). Every public
name is importable from ``xaibook.analysis.funding``.
"""

from xaibook.analysis.funding.base import (
    COMPONENT_COLORS,
    DEBT,
    EPOCH_SOURCE_ID,
    EQUITY,
    FINANCIAL,
    LABEL_LIMIT_PX,
    MUSK_COMPANY,
    NEAR_EQUAL,
    NOT_CLOSED,
    NOT_CLOSED_OPACITY,
    PEERS,
    STAGE_CODES,
    STAGE_SHAPES,
    STRATEGIC,
    SUPPLIER_ROLES,
    TARGET,
    TEMPLATE,
    TRAILING_PARENTHESIS,
    UNKNOWN_KIND,
    UNSPLIT,
    XAI,
    epoch_rounds,
    xai_rounds,
)
from xaibook.analysis.funding.figures import (
    comparison_chart,
    comparison_title,
    cumulative_chart,
    cumulative_title,
    rounds_chart,
    rounds_chart_data,
    rounds_title,
    valuation_chart,
    valuation_chart_data,
    valuation_step_up,
)
from xaibook.analysis.funding.investor_values import (
    financial_investors,
    investors,
    investors_table,
    stated_stakes,
    xai_investors,
)
from xaibook.analysis.funding.peers import (
    capital_totals,
    company_rounds,
    cumulative_capital,
    cumulative_extra_sources,
    epoch_snapshot,
    peer_talks,
    peer_valuations,
    valuation_history,
)
from xaibook.analysis.funding.round_values import (
    combination,
    cumulative,
    debt,
    joined_rounds,
    latest_round,
    latest_valuation,
    merger,
    rounds_overview,
    rounds_records,
    rounds_table,
    talks,
    valuation,
)
from xaibook.analysis.funding.summary import findings, headline, key_findings
from xaibook.model.rounds import MERGER, TALKS, total_raised

__all__ = [
    "COMPONENT_COLORS",
    "DEBT",
    "EPOCH_SOURCE_ID",
    "EQUITY",
    "FINANCIAL",
    "LABEL_LIMIT_PX",
    "MERGER",
    "MUSK_COMPANY",
    "NEAR_EQUAL",
    "NOT_CLOSED",
    "NOT_CLOSED_OPACITY",
    "PEERS",
    "STAGE_CODES",
    "STAGE_SHAPES",
    "STRATEGIC",
    "SUPPLIER_ROLES",
    "TALKS",
    "TARGET",
    "TEMPLATE",
    "TRAILING_PARENTHESIS",
    "UNKNOWN_KIND",
    "UNSPLIT",
    "XAI",
    "capital_totals",
    "combination",
    "company_rounds",
    "comparison_chart",
    "comparison_title",
    "cumulative",
    "cumulative_capital",
    "cumulative_chart",
    "cumulative_extra_sources",
    "cumulative_title",
    "debt",
    "epoch_rounds",
    "epoch_snapshot",
    "financial_investors",
    "findings",
    "headline",
    "investors",
    "investors_table",
    "joined_rounds",
    "key_findings",
    "latest_round",
    "latest_valuation",
    "merger",
    "peer_talks",
    "peer_valuations",
    "rounds_chart",
    "rounds_chart_data",
    "rounds_overview",
    "rounds_records",
    "rounds_table",
    "rounds_title",
    "stated_stakes",
    "talks",
    "total_raised",
    "valuation",
    "valuation_chart",
    "valuation_chart_data",
    "valuation_history",
    "valuation_step_up",
    "xai_investors",
    "xai_rounds",
]
