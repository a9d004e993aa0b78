"""The dataset's schema, declared once with pandera.

Each table is a ``pandera.DataFrameModel``: column names (Epoch files keep their published
names through ``alias``), types, nullability, ranges, allowed categories, uniqueness and
regular expressions. Field ``metadata`` carries what pandera does not model itself:

* ``references``: ``"<table>.<column>"`` (or ``"bibliography"``) the value must exist in;
* ``list_separator``: the cell holds several references separated by this string;
* ``on_invalid: "warn"``: an unparsable or out-of-range value in a third-party column becomes
  missing with a warning instead of refusing the file (Epoch's data carries such typos);
* ``unit`` and ``description``: documentation, shown by the data-dictionary page.

The loader (xaibook.data.dataset), the validator (xaibook.data.validate), the docs and the
tests all read these classes; nothing else declares a column. The vocabularies and limits the
fields use are in xaibook.data.limits.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from xaibook.data.limits import (
    _OTHER_TEXT,
    COMPANY_KINDS,
    CONFIDENCES,
    EARLIEST_CURATED_DATE,
    EARLIEST_EPOCH_DATE,
    EVENT_CATEGORIES,
    H100E_COLUMNS,
    ID_COLUMNS,
    INSTRUMENTS,
    LATEST_CURATED_DATE,
    LATEST_EPOCH_DATE,
    MAX_CLAIM_RANK,
    MAX_H100E,
    MAX_ID_CHARS,
    MAX_LABEL_CHARS,
    MAX_METRIC_VALUE,
    MAX_POWER_MW,
    MAX_PROSE_CHARS,
    MAX_QUOTATION_CHARS,
    MAX_USD,
    MAX_USD_BN,
    METRIC_UNIT_RANGES,
    METRIC_UNIT_RESOLUTIONS,
    METRIC_UNITS,
    METRICS,
    MIN_H100E,
    MIN_POWER_MW,
    MIN_USD,
    MIN_USD_BN,
    POSITIONING_DIMENSIONS,
    POWER_MW_COLUMNS,
    PRECISIONS,
    PROSE_COLUMNS,
    QUALIFIERS,
    QUOTATION_COLUMNS,
    RISK_CATEGORIES,
    SITE_SCOPES,
    SITE_STATUSES,
    SLUG,
    STATUSES,
    USD_BN_COLUMNS,
    USD_COLUMNS,
    VALUATION_BASES,
    _named,
)


def _ref(target: str, **extra: object) -> dict[str, object]:
    return {"references": target, **extra}


def _money(description: str, **field: object) -> object:
    return pa.Field(
        ge=0,
        le=MAX_USD_BN,
        nullable=True,
        metadata={"unit": "USD bn", "description": description},
        **field,
    )


def _at_most_chars(series: pd.Series, limit: int) -> pd.Series:
    if not pd.api.types.is_string_dtype(series):
        return pd.Series(True, index=series.index)  # numbers and dates have ranges of their own
    return series.str.len().le(limit)


def _length_error(limit: int) -> str:
    # worded like pandera's own bound so that the loader's message reads "at most N characters"
    return f"less_than_or_equal_to({limit:,} characters)"


# the names of TextLimits' checks, which the data dictionary states as "at most N characters"
TEXT_LENGTH_CHECKS = frozenset(
    {"_id_length", "_prose_length", "_quotation_length", "_label_length"}
)


def _zero_or_at_least(series: pd.Series, minimum: float) -> pd.Series:
    # a negative value is the column's own lower bound's to refuse: one bad cell, one message
    return series.le(0) | series.ge(minimum)


def _resolution_error(minimum: float) -> str:
    # worded like pandera's own bound so that the loader's message reads "at least N unless 0"
    return f"greater_than_or_equal_to({minimum:,.6f}".rstrip("0").rstrip(".") + " unless 0)"


# the names of Resolutions' checks, which the data dictionary states as "0 or at least N"
RESOLUTION_CHECKS = frozenset(
    {"_usd_bn_resolution", "_usd_resolution", "_power_resolution", "_h100e_resolution"}
)


class Resolutions(pa.DataFrameModel):
    """Every quantity column's smallest nonzero value, by unit (RESOLUTIONS)."""

    @pa.check(_named(USD_BN_COLUMNS), regex=True, error=_resolution_error(MIN_USD_BN))
    def _usd_bn_resolution(cls, series: pd.Series) -> pd.Series:
        return _zero_or_at_least(series, MIN_USD_BN)

    @pa.check(_named(USD_COLUMNS), regex=True, error=_resolution_error(MIN_USD))
    def _usd_resolution(cls, series: pd.Series) -> pd.Series:
        return _zero_or_at_least(series, MIN_USD)

    @pa.check(_named(POWER_MW_COLUMNS), regex=True, error=_resolution_error(MIN_POWER_MW))
    def _power_resolution(cls, series: pd.Series) -> pd.Series:
        return _zero_or_at_least(series, MIN_POWER_MW)

    @pa.check(_named(H100E_COLUMNS), regex=True, error=_resolution_error(MIN_H100E))
    def _h100e_resolution(cls, series: pd.Series) -> pd.Series:
        return _zero_or_at_least(series, MIN_H100E)


class TextLimits(Resolutions):
    """Every text column's longest allowed value, by kind of column (TEXT_LIMITS)."""

    @pa.check(_named(ID_COLUMNS), regex=True, error=_length_error(MAX_ID_CHARS))
    def _id_length(cls, series: pd.Series) -> pd.Series:
        return _at_most_chars(series, MAX_ID_CHARS)

    @pa.check(_named(PROSE_COLUMNS), regex=True, error=_length_error(MAX_PROSE_CHARS))
    def _prose_length(cls, series: pd.Series) -> pd.Series:
        return _at_most_chars(series, MAX_PROSE_CHARS)

    @pa.check(_named(QUOTATION_COLUMNS), regex=True, error=_length_error(MAX_QUOTATION_CHARS))
    def _quotation_length(cls, series: pd.Series) -> pd.Series:
        return _at_most_chars(series, MAX_QUOTATION_CHARS)

    @pa.check(_OTHER_TEXT, regex=True, error=_length_error(MAX_LABEL_CHARS))
    def _label_length(cls, series: pd.Series) -> pd.Series:
        return _at_most_chars(series, MAX_LABEL_CHARS)


def _within_unit_range(
    frame: pd.DataFrame, column: str, unit_column: str, ranges: dict[str, tuple[float, float]]
) -> pd.Series:
    """True where ``column`` lies in the range of the row's unit (an unknown unit is refused by
    the unit column's own check)."""
    units = frame[unit_column]
    low = units.map({unit: low for unit, (low, _high) in ranges.items()})
    high = units.map({unit: high for unit, (_low, high) in ranges.items()})
    value = frame[column]
    return value.isna() | low.isna() | ((value >= low) & (value <= high))


def _zero_or_unit_resolution(
    frame: pd.DataFrame, column: str, unit_column: str, ranges: dict[str, tuple[float, float]]
) -> pd.Series:
    """True where ``column`` is 0 or at least its unit's resolution (the upper bound is the
    range check's: one failing cell, one message)."""
    low = frame[unit_column].map({unit: low for unit, (low, _high) in ranges.items()})
    value = frame[column]
    return value.isna() | low.isna() | value.le(0) | value.ge(low)


# --- curated tables ----------------------------------------------------------------------------
class Provenance(TextLimits):
    """Columns at the end of every curated table: where a row comes from and how sure it is."""

    source_id: Series[str] = pa.Field(
        metadata=_ref("bibliography", description="key of the source in references.bib")
    )
    fact_date: Series[pa.DateTime] = pa.Field(
        ge=EARLIEST_CURATED_DATE,
        le=LATEST_CURATED_DATE,
        metadata={"description": "date the fact refers to (start of the period if imprecise)"},
    )
    fact_date_precision: Series[str] = pa.Field(isin=PRECISIONS)
    published_date: Series[pa.DateTime] = pa.Field(
        ge=EARLIEST_CURATED_DATE,
        le=LATEST_CURATED_DATE,
        metadata={"description": "date the source published the fact (drives --as-of)"},
    )
    published_date_precision: Series[str] = pa.Field(isin=PRECISIONS)
    status: Series[str] = pa.Field(isin=STATUSES)
    confidence: Series[str] = pa.Field(isin=CONFIDENCES)
    claim_id: Series[str] = pa.Field(
        nullable=True,
        str_matches=SLUG,
        metadata={"description": "rows stating the same real-world quantity share a claim_id"},
    )
    claim_rank: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        ge=1,
        le=MAX_CLAIM_RANK,
        metadata={"description": "1 = the value the book uses when sources disagree"},
    )
    source_quote: Series[str] = pa.Field(
        metadata={"description": "shortest verbatim excerpt of the source stating the claim"}
    )
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True  # an unknown column in our own files is a misspelling, not extra data


class Companies(Provenance):
    """Every company, investor or organisation the sources name, with its Epoch name if any."""

    record_id: Series[str] = pa.Field(unique=True, str_matches=r"^co-[0-9a-z-]+$")
    company_id: Series[str] = pa.Field(unique=True, str_matches=SLUG)
    name: Series[str]
    name_zh: Series[str] = pa.Field(nullable=True)
    kind: Series[str] = pa.Field(isin=COMPANY_KINDS)
    is_musk_company: Series[pd.BooleanDtype]
    epoch_name: Series[str] = pa.Field(
        nullable=True,
        metadata={"description": "the company's name in the Epoch files' Company column"},
    )


class FundingRounds(Provenance):
    """Funding rounds as each source reports them; rows about the same round share claim_id."""

    record_id: Series[str] = pa.Field(unique=True, str_matches=r"^fr-[0-9a-z-]+$")
    claim_id: Series[str] = pa.Field(
        str_matches=SLUG,
        metadata={"description": "the round: every row about the same round shares it"},
    )
    claim_rank: Series[pd.Int64Dtype] = pa.Field(ge=1, le=MAX_CLAIM_RANK)
    company_id: Series[str] = pa.Field(metadata=_ref("companies.company_id"))
    round_name: Series[str]
    amount_usd_bn: Series[float] = _money("amount raised")
    amount_qualifier: Series[str] = pa.Field(nullable=True, isin=QUALIFIERS)
    target_usd_bn: Series[float] = _money("amount the company set out to raise")
    equity_usd_bn: Series[float] = _money("equity part of the round")
    debt_usd_bn: Series[float] = _money("debt part of the round")
    instrument: Series[str] = pa.Field(isin=INSTRUMENTS)
    use_of_funds: Series[str] = pa.Field(nullable=True)
    epoch_round_key: Series[str] = pa.Field(
        nullable=True,
        metadata=_ref(
            "epoch_funding_rounds.round_key",
            description="Id of the same round in Epoch's funding-rounds file (reconciliation)",
        ),
    )


class Investments(Provenance):
    """Who invested in which round (round_id = the round's claim_id), strategic or financial."""

    record_id: Series[str] = pa.Field(unique=True, str_matches=r"^inv-[0-9a-z-]+$")
    round_id: Series[str] = pa.Field(metadata=_ref("funding_rounds.claim_id"))
    investor_company_id: Series[str] = pa.Field(metadata=_ref("companies.company_id"))
    is_strategic: Series[pd.BooleanDtype]
    amount_usd_bn: Series[float] = _money("amount this investor put in, where reported")


class Valuations(Provenance):
    """Company valuations with their basis (post-money, implied by a round, market, ...)."""

    record_id: Series[str] = pa.Field(unique=True, str_matches=r"^val-[0-9a-z-]+$")
    company_id: Series[str] = pa.Field(metadata=_ref("companies.company_id"))
    valuation_usd_bn: Series[float] = pa.Field(ge=0, le=MAX_USD_BN, metadata={"unit": "USD bn"})
    value_qualifier: Series[str] = pa.Field(isin=QUALIFIERS)
    basis: Series[str] = pa.Field(isin=VALUATION_BASES)
    round_id: Series[str] = pa.Field(nullable=True, metadata=_ref("funding_rounds.claim_id"))
    estimated_by: Series[str] = pa.Field(
        nullable=True,
        metadata={"description": "who made the estimate, when the source relays another's"},
    )


class CompanyMetrics(Provenance):
    """Revenue, spending and every other company figure, with its unit and who estimated it."""

    record_id: Series[str] = pa.Field(unique=True, str_matches=r"^met-[0-9a-z-]+$")
    company_id: Series[str] = pa.Field(metadata=_ref("companies.company_id"))
    metric: Series[str] = pa.Field(isin=METRICS)
    value: Series[float] = pa.Field(
        ge=0, le=MAX_METRIC_VALUE, metadata={"description": "in the row's unit"}
    )
    value_max: Series[float] = pa.Field(
        ge=0,
        le=MAX_METRIC_VALUE,
        nullable=True,
        metadata={"description": "upper end when the source gives a range"},
    )
    unit: Series[str] = pa.Field(isin=METRIC_UNITS)
    value_qualifier: Series[str] = pa.Field(isin=QUALIFIERS)
    period: Series[str] = pa.Field(nullable=True)
    estimated_by: Series[str] = pa.Field(nullable=True)

    # `column` names the cell a failing row is reported at; `ranges` the bounds of each unit
    @pa.dataframe_check(
        name="value_within_unit_range",
        column="value",
        unit_column="unit",
        ranges=METRIC_UNIT_RANGES,
    )
    def _value_within_unit_range(cls, frame, column, unit_column, ranges):
        return _within_unit_range(frame, column, unit_column, ranges)

    @pa.dataframe_check(
        name="value_max_within_unit_range",
        column="value_max",
        unit_column="unit",
        ranges=METRIC_UNIT_RANGES,
    )
    def _value_max_within_unit_range(cls, frame, column, unit_column, ranges):
        return _within_unit_range(frame, column, unit_column, ranges)

    # a nonzero value below its unit's resolution (1e-300 USD bn) is refused; 0 is allowed
    @pa.dataframe_check(
        name="value_resolution",
        column="value",
        unit_column="unit",
        ranges=METRIC_UNIT_RESOLUTIONS,
    )
    def _value_resolution(cls, frame, column, unit_column, ranges):
        return _zero_or_unit_resolution(frame, column, unit_column, ranges)

    @pa.dataframe_check(
        name="value_max_resolution",
        column="value_max",
        unit_column="unit",
        ranges=METRIC_UNIT_RESOLUTIONS,
    )
    def _value_max_resolution(cls, frame, column, unit_column, ranges):
        return _zero_or_unit_resolution(frame, column, unit_column, ranges)


class Sites(Provenance):
    """Data centres, clusters and programmes: owner, tenant, power, H100e, capex, status."""

    record_id: Series[str] = pa.Field(unique=True, str_matches=r"^site-[0-9a-z-]+$")
    site_id: Series[str] = pa.Field(str_matches=SLUG)
    site_name: Series[str]
    scope: Series[str] = pa.Field(isin=SITE_SCOPES)
    owner_company_id: Series[str] = pa.Field(nullable=True, metadata=_ref("companies.company_id"))
    tenant_company_id: Series[str] = pa.Field(nullable=True, metadata=_ref("companies.company_id"))
    location: Series[str] = pa.Field(nullable=True)
    power_mw: Series[float] = pa.Field(
        ge=0, le=MAX_POWER_MW, nullable=True, metadata={"unit": "MW"}
    )
    power_qualifier: Series[str] = pa.Field(nullable=True, isin=QUALIFIERS)
    h100e: Series[float] = pa.Field(ge=0, le=MAX_H100E, nullable=True, metadata={"unit": "H100e"})
    h100e_qualifier: Series[str] = pa.Field(nullable=True, isin=QUALIFIERS)
    capex_usd_bn: Series[float] = _money("capital expenditure")
    capex_qualifier: Series[str] = pa.Field(nullable=True, isin=QUALIFIERS)
    site_status: Series[str] = pa.Field(isin=SITE_STATUSES)
    epoch_data_center: Series[str] = pa.Field(
        nullable=True,
        metadata=_ref(
            "epoch_data_centers.handle", description="Handle of the matching Epoch data centre"
        ),
    )


class Competitors(Provenance):
    """How each lab positions itself (alignment, distribution, partners, usage), as text."""

    record_id: Series[str] = pa.Field(unique=True, str_matches=r"^pos-[0-9a-z-]+$")
    company_id: Series[str] = pa.Field(metadata=_ref("companies.company_id"))
    dimension: Series[str] = pa.Field(isin=POSITIONING_DIMENSIONS)
    description: Series[str]


class Timeline(Provenance):
    """Dated events."""

    record_id: Series[str] = pa.Field(unique=True, str_matches=r"^tl-[0-9a-z-]+$")
    company_id: Series[str] = pa.Field(nullable=True, metadata=_ref("companies.company_id"))
    event: Series[str]
    category: Series[str] = pa.Field(isin=EVENT_CATEGORIES)


class Risks(Provenance):
    """The risk register: the book's likelihood and impact scores (1-5), tied to evidence rows."""

    record_id: Series[str] = pa.Field(unique=True, str_matches=r"^risk-[0-9a-z-]+$")
    risk: Series[str]
    category: Series[str] = pa.Field(isin=RISK_CATEGORIES)
    description: Series[str]
    evidence: Series[str]
    evidence_record_ids: Series[str] = pa.Field(metadata=_ref("*.record_id", list_separator=";"))
    likelihood: Series[pd.Int64Dtype] = pa.Field(ge=1, le=5, metadata={"unit": "score 1-5"})
    impact: Series[pd.Int64Dtype] = pa.Field(ge=1, le=5, metadata={"unit": "score 1-5"})


# --- Epoch AI exports: only the columns the book needs, under Epoch's own names ------------------
_WARN = {"on_invalid": "warn"}
_EPOCH_DATE = {"ge": EARLIEST_EPOCH_DATE, "le": LATEST_EPOCH_DATE}


class EpochModel(TextLimits):
    class Config:
        strict = False  # Epoch adds columns over time; extra columns are ignored


class EpochCompanies(EpochModel):
    """Epoch AI: the companies covered (ai_companies.csv)."""

    name: Series[str] = pa.Field(alias="Name", unique=True)
    company_type: Series[str] = pa.Field(alias="Company type", nullable=True)
    founding_date: Series[pa.DateTime] = pa.Field(
        alias="Founding date", nullable=True, metadata=_WARN, **_EPOCH_DATE
    )


class EpochFundingRounds(EpochModel):
    """Epoch AI: funding rounds in USD (equity, debt, post-money valuation)."""

    round_key: Series[str] = pa.Field(alias="Id", unique=True)
    company: Series[str] = pa.Field(alias="Company")
    close_date: Series[pa.DateTime] = pa.Field(alias="Close date", nullable=True, **_EPOCH_DATE)
    round_status: Series[str] = pa.Field(alias="Status", nullable=True)
    equity_usd: Series[float] = pa.Field(
        alias="Funding (equity)", ge=0, le=MAX_USD, nullable=True, metadata={"unit": "USD"}
    )
    debt_usd: Series[float] = pa.Field(
        alias="Funding (debt)", ge=0, le=MAX_USD, nullable=True, metadata={"unit": "USD"}
    )
    valuation_usd: Series[float] = pa.Field(
        alias="Valuation (post-money)", ge=0, le=MAX_USD, nullable=True, metadata={"unit": "USD"}
    )
    report_date: Series[pa.DateTime] = pa.Field(
        alias="Report date", nullable=True, metadata=_WARN, **_EPOCH_DATE
    )
    round_type: Series[str] = pa.Field(alias="Type", nullable=True)
    epoch_confidence: Series[str] = pa.Field(alias="Confidence", nullable=True)
    notes: Series[str] = pa.Field(alias="Notes", nullable=True, metadata={"optional": True})
    graph_note: Series[str] = pa.Field(
        alias="Graph note", nullable=True, metadata={"optional": True}
    )


class EpochRevenueReports(EpochModel):
    """Epoch AI: revenue and annualized revenue reports in USD."""

    report_key: Series[str] = pa.Field(alias="Id", unique=True)
    company: Series[str] = pa.Field(alias="Company")
    date: Series[pa.DateTime] = pa.Field(alias="Date", nullable=True, **_EPOCH_DATE)
    revenue_usd: Series[float] = pa.Field(
        alias="Revenue amount (normalize to annual)",
        ge=0,
        le=MAX_USD,
        nullable=True,
        metadata={"unit": "USD per year"},
    )
    annualized_revenue_usd: Series[float] = pa.Field(
        alias="Annualized revenue (USD)", ge=0, le=MAX_USD, nullable=True, metadata={"unit": "USD"}
    )
    revenue_type: Series[str] = pa.Field(alias="Type", nullable=True)
    epoch_confidence: Series[str] = pa.Field(alias="Confidence", nullable=True)
    report_date: Series[pa.DateTime] = pa.Field(
        alias="Report date", nullable=True, metadata=_WARN, **_EPOCH_DATE
    )
    notes: Series[str] = pa.Field(alias="Notes", nullable=True, metadata={"optional": True})


class EpochComputeSpend(EpochModel):
    """Epoch AI: reported compute spending in USD."""

    spend_key: Series[str] = pa.Field(alias="Id", unique=True)
    company: Series[str] = pa.Field(alias="Company")
    amount_usd: Series[float] = pa.Field(
        alias="Amount", ge=0, le=MAX_USD, nullable=True, metadata={"unit": "USD"}
    )
    category: Series[str] = pa.Field(alias="Category", nullable=True)
    period_type: Series[str] = pa.Field(alias="Period type", nullable=True)
    date: Series[pa.DateTime] = pa.Field(alias="Date", nullable=True, **_EPOCH_DATE)
    report_date: Series[pa.DateTime] = pa.Field(
        alias="Report date", nullable=True, metadata=_WARN, **_EPOCH_DATE
    )
    epoch_confidence: Series[str] = pa.Field(alias="Confidence", nullable=True)
    notes: Series[str] = pa.Field(alias="Notes", nullable=True, metadata={"optional": True})


class EpochDataCenters(EpochModel):
    """Epoch AI: frontier data centres with current H100e, power and capital cost."""

    handle: Series[str] = pa.Field(alias="Handle", unique=True)
    title: Series[str] = pa.Field(alias="Title", nullable=True)
    project: Series[str] = pa.Field(alias="Project", nullable=True, metadata={"optional": True})
    owner: Series[str] = pa.Field(alias="Owner", nullable=True)
    users: Series[str] = pa.Field(alias="Users", nullable=True)
    h100e: Series[float] = pa.Field(
        alias="Current H100 equivalents",
        ge=0,
        le=MAX_H100E,
        nullable=True,
        metadata={"unit": "H100e"},
    )
    power_mw: Series[float] = pa.Field(
        alias="Current power (MW)", ge=0, le=MAX_POWER_MW, nullable=True, metadata={"unit": "MW"}
    )
    capital_cost_usd_bn: Series[float] = pa.Field(
        alias="Current total capital cost (2025 USD billions)",
        ge=0,
        le=MAX_USD_BN,
        nullable=True,
        metadata={"unit": "USD bn (2025)"},
    )


class EpochDataCenterTimelines(EpochModel):
    """Epoch AI: dated build-out of each data centre (Data center = Handle)."""

    date: Series[pa.DateTime] = pa.Field(alias="Date", **_EPOCH_DATE)
    data_center: Series[str] = pa.Field(
        alias="Data center", metadata=_ref("epoch_data_centers.handle")
    )
    construction_status: Series[str] = pa.Field(alias="Construction status", nullable=True)
    power_mw: Series[float] = pa.Field(
        alias="Power (MW)", ge=0, le=MAX_POWER_MW, nullable=True, metadata={"unit": "MW"}
    )
    h100e: Series[float] = pa.Field(
        alias="H100 equivalents", ge=0, le=MAX_H100E, nullable=True, metadata={"unit": "H100e"}
    )
    capital_cost_usd_bn: Series[float] = pa.Field(
        alias="Total capital cost (2025 USD billions)",
        ge=0,
        le=MAX_USD_BN,
        nullable=True,
        metadata={"unit": "USD bn (2025)"},
    )


class EpochGpuClusters(EpochModel):
    """Epoch AI: GPU clusters worldwide (names repeat: phases and rumours)."""

    name: Series[str] = pa.Field(alias="Name")
    cluster_status: Series[str] = pa.Field(alias="Status", nullable=True)
    certainty: Series[str] = pa.Field(alias="Certainty", nullable=True)
    h100e: Series[float] = pa.Field(
        alias="H100 equivalents", ge=0, le=MAX_H100E, nullable=True, metadata={"unit": "H100e"}
    )
    power_mw: Series[float] = pa.Field(
        alias="Power Capacity (MW)", ge=0, le=MAX_POWER_MW, nullable=True, metadata={"unit": "MW"}
    )
    hardware_cost_usd: Series[float] = pa.Field(
        alias="Hardware Cost", ge=0, le=MAX_USD, nullable=True, metadata={"unit": "USD"}
    )
    owner: Series[str] = pa.Field(alias="Owner", nullable=True)
    country: Series[str] = pa.Field(alias="Country", nullable=True)
    first_operational_date: Series[pa.DateTime] = pa.Field(
        alias="First Operational Date", nullable=True, metadata=_WARN, **_EPOCH_DATE
    )
    single_cluster: Series[str] = pa.Field(
        alias="Single cluster?", nullable=True, metadata={"optional": True}
    )
    possible_duplicate: Series[pd.BooleanDtype] = pa.Field(
        alias="Possible Duplicate", nullable=True, metadata={"optional": True}
    )


TABLE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "companies": Companies,
    "funding_rounds": FundingRounds,
    "investments": Investments,
    "valuations": Valuations,
    "company_metrics": CompanyMetrics,
    "sites": Sites,
    "competitors": Competitors,
    "timeline": Timeline,
    "risks": Risks,
    "epoch_companies": EpochCompanies,
    "epoch_funding_rounds": EpochFundingRounds,
    "epoch_revenue_reports": EpochRevenueReports,
    "epoch_compute_spend": EpochComputeSpend,
    "epoch_data_centers": EpochDataCenters,
    "epoch_data_center_timelines": EpochDataCenterTimelines,
    "epoch_gpu_clusters": EpochGpuClusters,
}
