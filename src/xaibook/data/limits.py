"""The dataset's vocabularies and limits: the values a categorical column admits, and the sane
range, resolution and length of every quantity and text (xaibook.data.schema applies them).

A limit is far outside any real figure yet narrow enough that every figure the book derives
stays a printable number: a value outside is a typo or an attack, refused with file, row and
column named.
"""

from __future__ import annotations

import re

import pandas as pd

# --- vocabularies ------------------------------------------------------------------------------
PRECISIONS = ["day", "week", "month", "quarter", "year"]
STATUSES = ["reported", "estimate", "target", "plan"]
CONFIDENCES = ["high", "medium", "low"]
# "order_of": a class the source names in words, with no figure ("GW級", gigawatt-class); the
# value is the class's unit (1000 MW), shown in words and never divided, priced or drawn
QUALIFIERS = ["exact", "approx", "more_than", "at_least", "less_than", "up_to", "order_of"]
IN_WORDS_QUALIFIER = "order_of"
COMPANY_KINDS = [
    "ai_lab",
    "neocloud",
    "cloud",
    "chipmaker",
    "network_equipment",
    "investor",
    "platform",
    "aerospace",
    "automaker",
    "data_platform",
    "research_firm",
    "bank",
    "media",
    "other",
]
INSTRUMENTS = ["equity", "debt", "equity_and_debt", "merger", "secondary"]
VALUATION_BASES = [
    "post_money",
    "round_implied",
    "reported",
    "combined_entity",
    "estimate",
    "market_cap",
]
METRICS = [
    "annualized_revenue",
    "revenue",
    "standalone_revenue",
    "monthly_spend",
    "capex",
    "planned_investment",
    "planned_investment_first_phase",
    "cumulative_funding",
    "ipo_raise_target",
    "years_to_ipo",
    "compensation_package",
    "deal_value",
    "agi_probability",
    "compute_h100e",
    "other",
]
METRIC_UNITS = ["USD bn", "USD bn/month", "percent", "years", "MW", "H100e", "count"]
SITE_SCOPES = ["site", "campus", "programme", "fleet", "fab", "orbital"]
SITE_STATUSES = ["operational", "under_construction", "planned", "announced", "repurposed"]
POSITIONING_DIMENSIONS = [
    "alignment",
    "distribution",
    "cloud_partner",
    "chip_partner",
    "product",
    "benchmark",
    "business_model",
    "ipo",
    "usage",
]
EVENT_CATEGORIES = [
    "founding",
    "funding",
    "infrastructure",
    "product",
    "partnership",
    "corporate",
    "regulation",
    "legal",
    "people",
]
RISK_CATEGORIES = [
    "financial",
    "concentration",
    "regulatory",
    "governance",
    "market",
    "operational",
    "technology",
]

# Dates outside these bounds are typos (a year 0202, a 2205) rather than facts about AI firms.
EARLIEST_CURATED_DATE = pd.Timestamp("1990-01-01")
LATEST_CURATED_DATE = pd.Timestamp("2040-12-31")
EARLIEST_EPOCH_DATE = pd.Timestamp("1950-01-01")
LATEST_EPOCH_DATE = pd.Timestamp("2060-12-31")

SLUG = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"

# Upper bounds no source could exceed: generous (ten to a thousand times the largest real figure)
# but finite, so a typo or a forged 1e308 is refused instead of printed as "inf" or 300 digits.
MAX_USD_BN = 100_000.0  # 100 trillion dollars: about the world's yearly output
MAX_USD = MAX_USD_BN * 1e9  # Epoch's files give plain dollars
MAX_USD_BN_PER_MONTH = MAX_USD_BN / 10
MAX_POWER_MW = 1_000_000.0  # a terawatt, several times the largest grid
MAX_H100E = 1e9  # the largest fleet counted is a few tens of millions
MAX_COUNT = 1e11  # people, users, chips: more than have ever lived
MAX_YEARS = 100.0
MAX_PERCENT = 1_000.0  # a share is at most 100%; a growth rate may be several hundred
MAX_CLAIM_RANK = 1_000  # sources of one claim

# Lower bounds for a nonzero quantity (zero itself stays valid: "nothing yet"). Below these a
# value is a typo or a forgery (1e-300), and a ratio over it (a multiple, a share, dollars per
# H100e) would be too large to print: with every quantity within [resolution, upper bound] each
# ratio the chapters state stays under formatting.MAX_PRINTABLE_MAGNITUDE (1e15). The smallest
# real values are far above them: $16m, 0.04 MW, 1 H100e (Epoch's smallest cluster), 10%.
MIN_USD_BN = 0.000_001  # $1,000
MIN_USD = MIN_USD_BN * 1e9
MIN_POWER_MW = 0.001  # a kilowatt
MIN_H100E = 1.0  # a fraction of one chip is no fleet; keeps $ per H100e under 1e15
MIN_COUNT = 1.0
MIN_YEARS = 0.01  # about four days
MIN_PERCENT = 0.001
# Text lengths, per kind of column: generous (two to five times the longest real value, measured
# on data/ and on fresh Epoch downloads) but finite, so a 100 KB "name" is refused instead of
# blowing up chart layout and LaTeX. Longest real values: ids 53, names and labels 93, curated
# notes and quotes 542, Epoch's notes (long quotations) 1,015.
MAX_ID_CHARS = 200
MAX_LABEL_CHARS = 300
MAX_PROSE_CHARS = 2_000
MAX_QUOTATION_CHARS = 5_000
ID_COLUMNS = (
    "record_id",
    "company_id",
    "claim_id",
    "source_id",
    "round_id",
    "investor_company_id",
    "owner_company_id",
    "tenant_company_id",
    "site_id",
    "epoch_round_key",
    "epoch_data_center",
    "Id",
    "Handle",
    "Data center",
)
PROSE_COLUMNS = (
    "note",
    "source_quote",
    "description",
    "evidence",
    "evidence_record_ids",
    "use_of_funds",
)
QUOTATION_COLUMNS = ("Notes", "Construction status")
# every other text column is a name or label (vocabularies are shorter still)
TEXT_LIMITS: dict[tuple[str, ...], int] = {
    ID_COLUMNS: MAX_ID_CHARS,
    PROSE_COLUMNS: MAX_PROSE_CHARS,
    QUOTATION_COLUMNS: MAX_QUOTATION_CHARS,
}

# company_metrics.value takes its unit from the row's unit column
METRIC_UNIT_RANGES: dict[str, tuple[float, float]] = {
    "USD bn": (0.0, MAX_USD_BN),
    "USD bn/month": (0.0, MAX_USD_BN_PER_MONTH),
    "percent": (0.0, MAX_PERCENT),
    "years": (0.0, MAX_YEARS),
    "MW": (0.0, MAX_POWER_MW),
    "H100e": (0.0, MAX_H100E),
    "count": (0.0, MAX_COUNT),
}
MAX_METRIC_VALUE = max(high for _low, high in METRIC_UNIT_RANGES.values())
# the smallest nonzero value of each unit, with the unit's upper bound (for the message)
METRIC_UNIT_RESOLUTIONS: dict[str, tuple[float, float]] = {
    "USD bn": (MIN_USD_BN, MAX_USD_BN),
    "USD bn/month": (MIN_USD_BN, MAX_USD_BN_PER_MONTH),
    "percent": (MIN_PERCENT, MAX_PERCENT),
    "years": (MIN_YEARS, MAX_YEARS),
    "MW": (MIN_POWER_MW, MAX_POWER_MW),
    "H100e": (MIN_H100E, MAX_H100E),
    "count": (MIN_COUNT, MAX_COUNT),
}
# Columns of plain quantities, by unit, as named in their CSV files (a test checks that every
# column with one of these units is listed)
USD_BN_COLUMNS = (
    "amount_usd_bn",
    "target_usd_bn",
    "equity_usd_bn",
    "debt_usd_bn",
    "valuation_usd_bn",
    "capex_usd_bn",
    "Current total capital cost (2025 USD billions)",
    "Total capital cost (2025 USD billions)",
)
USD_COLUMNS = (
    "Funding (equity)",
    "Funding (debt)",
    "Valuation (post-money)",
    "Revenue amount (normalize to annual)",
    "Annualized revenue (USD)",
    "Amount",
    "Hardware Cost",
)
POWER_MW_COLUMNS = ("power_mw", "Current power (MW)", "Power (MW)", "Power Capacity (MW)")
H100E_COLUMNS = ("h100e", "Current H100 equivalents", "H100 equivalents")
RESOLUTIONS: dict[tuple[str, ...], float] = {
    USD_BN_COLUMNS: MIN_USD_BN,
    USD_COLUMNS: MIN_USD,
    POWER_MW_COLUMNS: MIN_POWER_MW,
    H100E_COLUMNS: MIN_H100E,
}


def _named(columns: tuple[str, ...]) -> str:
    return "^(?:" + "|".join(re.escape(column) for column in columns) + ")$"


_OTHER_TEXT = "^(?!" + "|".join(_named(columns) for columns in TEXT_LIMITS) + ").*$"


def text_limit(column: str) -> int:
    """Most characters a cell of ``column`` (as named in its CSV file) may hold."""
    for columns, limit in TEXT_LIMITS.items():
        if column in columns:
            return limit
    return MAX_LABEL_CHARS


def resolution(column: str) -> float | None:
    """Smallest nonzero value of ``column`` (as named in its CSV file), if it is a quantity."""
    for columns, minimum in RESOLUTIONS.items():
        if column in columns:
            return minimum
    return None
