"""Helpers several chapters share: canonical values, names, and honest "no data" wording.

The claim and name helpers live in ``xaibook.model``; they are re-exported here while the
chapters move over.
"""

from __future__ import annotations

import pandas as pd

from xaibook import paths, prose
from xaibook.chapters import CHAPTERS_BY_SLUG
from xaibook.data.dataset import Dataset
from xaibook.model.claims import cached_on_tables, canonical, per_dataset, table
from xaibook.model.names import company_name_map as company_names
from xaibook.text import escape_markdown

__all__ = [
    "cached_on_tables",
    "canonical",
    "company_names",
    "labels",
    "name_md",
    "per_dataset",
    "table",
    "with_company_names",
]


def labels(slug: str, name: str) -> prose.Words:
    """Fixed words (axis and tooltip titles, table headers, chart descriptions) that chapter
    ``slug``'s text template sets with ``{% set name = ... %}``: the writer's words, not ours."""
    notebook = paths.REPO_ROOT / CHAPTERS_BY_SLUG[slug].notebook_path
    return prose.labels(prose.template_file(notebook), name)


def with_company_names(
    frame: pd.DataFrame, data: Dataset, column: str = "company_id", as_column: str = "company"
) -> pd.DataFrame:
    """Add the companies' display names (raw text: escape before putting it in prose)."""
    names = company_names(data)
    result = frame.copy()
    result[as_column] = result[column].map(names).fillna(result[column])
    return result


def name_md(text: object) -> str:
    """Text from the data, ready to sit inside a glued markdown sentence."""
    return escape_markdown(text)
