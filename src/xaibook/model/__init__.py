"""The model: each fact of the dataset reconciled once, as plain frames every chapter reads.

Model functions hold no prose and no markdown; they read tables only through
``claims.table``, so a table an edition lacks gives an empty result.
"""

from xaibook.model.claims import cached_on_tables, canonical, canonical_where, per_dataset, table
from xaibook.model.dates import DAYS_PER_MONTH, add_months, months_between
from xaibook.model.names import company_name, company_name_map, company_names, epoch_name

XAI = "xai"
PEERS = ("openai", "anthropic")

__all__ = [
    "DAYS_PER_MONTH",
    "PEERS",
    "XAI",
    "add_months",
    "cached_on_tables",
    "canonical",
    "canonical_where",
    "company_name",
    "company_name_map",
    "company_names",
    "epoch_name",
    "months_between",
    "per_dataset",
    "table",
]
