"""Funding chapter: its constants (chart parts, stages, investor roles), the reconciled list
of xAI's rounds every part reads, and the small helpers the parts share (names, dates,
table cells, a round's valuation and sources, comparisons with a peer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from xaibook import charts, formatting as fmt, paths, prose
from xaibook.data.dataset import Dataset
from xaibook.data.tables import EPOCH_SOURCE_IDS
from xaibook.model import names, rounds as model_rounds, valuations as model_valuations
from xaibook.model.cells import value
from xaibook.model.rounds import CLOSED, MERGER, RAISING, TALKS

XAI = "xai"
EPOCH_SOURCE_ID = EPOCH_SOURCE_IDS["epoch_funding_rounds"]
PEERS = ("openai", "anthropic")  # the labs whose Epoch rounds the chapter sets xAI against


# The parts of a round the round chart draws (codes; the template's ``round_parts`` names them).
EQUITY, DEBT, UNSPLIT, TARGET = "equity", "debt", "unsplit", "target"
NOT_CLOSED = "_not_closed"  # suffix of a part of a round in talks or being raised
# Parts of rounds that did not close get a light tint of their colour: a legend entry of their
# own, since Vega-Lite ignores custom opacity ranges on nominal fields.
_PART_COLORS = {
    EQUITY: charts.CATEGORY_COLORS[0],
    DEBT: charts.CATEGORY_COLORS[1],
    UNSPLIT: charts.MUTED_COLOR,
}
COMPONENT_COLORS = {
    **_PART_COLORS,
    **{part + NOT_CLOSED: charts.tint(color) for part, color in _PART_COLORS.items()},
    TARGET: charts.REFERENCE_COLOR,
    "no_money": charts.REFERENCE_COLOR,  # a row with no money on record (the combination)
}
NOT_CLOSED_OPACITY = 0.45
STAGE_SHAPES = {CLOSED: "circle", MERGER: "diamond", RAISING: "triangle-up", TALKS: "square"}
LABEL_LIMIT_PX = 260  # room for round labels on the rounds chart's y axis

# the stages as the text template names them (funding.md.j2's ``overview``), in reading order
STAGE_CODES = {CLOSED: "closed", MERGER: "merger", RAISING: "raising", TALKS: "talks"}
TEMPLATE = prose.template_file(paths.CHAPTERS_DIR / "funding.ipynb")

NEAR_EQUAL = 0.05  # two totals within 5% of each other are "about as much"
TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
# An investor's relationship to xAI is its kind in companies.csv (the template's
# ``investor_roles`` names each), or one of these codes; its type is strategic or financial.
MUSK_COMPANY, UNKNOWN_KIND = "musk_company", "unknown"
SUPPLIER_ROLES = ("chipmaker", "network_equipment", "cloud", "neocloud")
STRATEGIC, FINANCIAL = "strategic", "financial"


def _epoch_name(data: Dataset, company_id: str) -> str:
    return names.epoch_name(data, company_id) or company_id


def _company_name(data: Dataset, company_id: str) -> str:
    return names.company_name(data, company_id)


def _company_names(data: Dataset, company_ids: Iterable[str]) -> dict[str, str]:
    """Display names of a few companies (each looked up by hash, not a dict of every company)."""
    return {c: names.company_name(data, c) for c in dict.fromkeys(str(c) for c in company_ids)}


def _when(date: object, precision: object = "day") -> str:
    return fmt.date(date, str(precision) if precision else "day")


def _outlet(data: Dataset, source_id: object) -> str | None:
    """The publisher of a source as a reader knows it ("36Kr"), or None if uncertain."""
    source = data.sources.get(str(source_id)) if source_id else None
    if source is None or not source.publisher or "unconfirmed" in source.publisher:
        return None
    return TRAILING_PARENTHESIS.sub("", source.publisher).strip() or None


def xai_rounds(data: Dataset) -> pd.DataFrame:
    """One row per real xAI financing event, oldest first (``xaibook.model.rounds``)."""
    return model_rounds.rounds(data, XAI)


def epoch_rounds(data: Dataset, company_id: str) -> pd.DataFrame:
    """Epoch AI's rounds of one company (its name in Epoch's files comes from companies.csv)."""
    return model_rounds.epoch_rounds(data, company_id)


def _money_cell(value: object, qualifier: object = None) -> object:
    return None if fmt.is_missing(value) else fmt.usd_bn(value, qualifier)


def _cell(macro: str, **values: object) -> str | None:
    """A table cell or chart label the text template writes (None where it writes nothing)."""
    return prose.render_text(TEMPLATE, macro, **values) or None


def _amount_cell(row: pd.Series) -> str | None:
    """A round's amount as its row and bar label show it (a merger's says it raised nothing)."""
    return _cell(
        "amount_cell",
        merger=row["stage"] == MERGER,
        amount=value(row, "amount_usd_bn"),
        qualifier=value(row, "amount_qualifier"),
        combination=is_combination(row),
    )


def is_combination(row: pd.Series) -> bool:
    """Whether ``row`` is xAI's combination with another company, whose terms no source gives
    (the model counts it as raising no money; the table does not claim to know)."""
    return value(row, "claim_id") == model_valuations.COMBINATION_CLAIM


def _keys(joined: object) -> list[str]:
    """Source keys from a '; '-joined cell (empty or missing: none)."""
    return [] if fmt.is_missing(joined) else [k for k in str(joined).split("; ") if k]


def _round_ref(row: pd.Series) -> dict:
    """What the template needs to name a round in a sentence (its ``round_phrase``)."""
    name = str(row["round_name"])
    kind = "merger" if row["stage"] == MERGER else "named" if len(name.split()) <= 2 else "round"
    return {
        "kind": kind,
        "name": name,
        "date": row["date"],
        # the model's record, under the model's names (xaibook.chapter.RECORD_FIELDS)
        # (a row of a frame indexed by round_id carries it as its name)
        "record_id": row["round_id"] if "round_id" in row.index else row.name,
        "round_label": row["round_label"],
        "round_amount_usd_bn": row["amount_usd_bn"],
    }


def _valuation(row: pd.Series) -> dict | None:
    """A round's valuation (value, qualifier, whether an estimate), or None."""
    worth = value(row, "valuation_usd_bn")
    if worth is None:
        return None
    return {
        "value": float(worth),
        "qualifier": value(row, "valuation_qualifier"),
        "estimate": row["valuation_status"] == "estimate",
        # the source hedges it ("believed to be", "not certain"): a reported, uncertain value
        "uncertain": bool(row["valuation_uncertain"]) if "valuation_uncertain" in row else False,
        # Epoch's valuations are post-money; a news report's basis is said only if it gives one
        "post_money": value(row, "valuation_source_id") == EPOCH_SOURCE_ID,
    }


_amount_sources = model_rounds.amount_sources  # the sources of rounds' amounts


def _compare(value: float, other: float, other_name: str) -> dict:
    """How xAI's ``value`` compares with a peer's ``other`` (the template's ``compare``)."""
    share = value / other if other > 0 else None
    if share is None:
        relation = "more"
    elif abs(share - 1) <= NEAR_EQUAL:
        relation = "about"
    else:
        relation = "above" if share > 1 else "below"
    return {
        "name": other_name,
        "relation": relation,
        "share": share,
        "share_pct": None if share is None else share * 100,
    }
