"""What every section of the infrastructure chapter shares: its settings (xAI's id, the
rivals, the default capital cost per GW, chart sizes, the template), the template's fixed
words, chart helpers, values a template can print, and xAI's Epoch data centres.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from xaibook import charts, formatting as fmt, paths, prose
from xaibook.analysis.common import labels
from xaibook.data.dataset import Dataset
from xaibook.model import sites as model_sites
from xaibook.params import PARAMETERS_BY_NAME

XAI = "xai"
PEERS = ("openai", "meta")  # the rivals whose GW-level plans the seed articles set against xAI's
DEFAULT_CAPEX_USD_BN_PER_GW = float(PARAMETERS_BY_NAME["capex_usd_bn_per_gw"].default)
CAPEX_PARAMETER = "capex_usd_bn_per_gw"

# Chart sizes: every chart stays at a few dozen marks whatever the size of the tables (each
# section's own limits are in its module).
MAX_XAI_SITES = 4
MAX_TABLE_SITE_ROWS = 12
MAX_LISTED = 4
Y_LABEL_LIMIT_PX = 300

MW_PER_GW = 1000.0
SLUG = "infrastructure"
TEMPLATE = prose.template_file(paths.CHAPTERS_DIR / "infrastructure.ipynb")  # the words
PLANNED_SITE_STATUSES = ("planned", "announced", "under_construction")
FUTURE_SCOPES = ("orbital", "fab")
INVESTMENT_METRICS = ("planned_investment", "planned_investment_first_phase")


# Small helpers ----------------------------------------------------------------------------------


def _words(name: str) -> dict:
    """The fixed words the chapter's template sets as ``name`` (axis and tooltip titles, legend
    entries, table headers; see the top of ``chapters/infrastructure.md.j2``)."""
    return labels(SLUG, name)


def _groups() -> dict:
    """The legend's words for xAI's clusters and sites and for the other owners' (the
    ``group`` column of the chart data), by code: ``xai``, ``other``."""
    return _words("owner_groups")


def _clean_parties(series: pd.Series) -> pd.Series:
    """'OpenAI #likely, Microsoft #likely' -> 'OpenAI, Microsoft' (Epoch's confidence tags off)."""
    return series.fillna("").astype(str).str.replace(r"\s*#\w+", "", regex=True).str.strip()


def _source_title(data: Dataset, key: object) -> str:
    """'Data on GPU Clusters, Epoch AI (snapshot 17 December 2025)' for a chart subtitle."""
    source = data.sources.get(str(key)) if not fmt.is_missing(key) else None
    values = None
    if source is not None:
        values = {"title": source.title, "when": source.accessed or source.published}
    return prose.render_text(TEMPLATE, "epoch_source", s=values)


def _first_source(frame: pd.DataFrame) -> object:
    return frame["source_id"].iloc[0] if not frame.empty and "source_id" in frame else None


def _sort_y(chart: alt.Chart, field: str, title: str, order: list[str]) -> alt.Chart:
    """Categories down the y axis in the given order (the helpers sort them alphabetically),
    with room for long site names."""
    axis = alt.Axis(labelLimit=Y_LABEL_LIMIT_PX)
    return chart.encode(y=alt.Y(f"{field}:N", title=title, sort=order, axis=axis))


def _epoch_chart(mark: str, frame: pd.DataFrame, title: list[str], **options) -> alt.Chart:
    """``charts.chart`` titled with the template's ``title`` lines: a finding rarely fits the
    chart's width on one line, so it may take two (the source stays the subtitle)."""
    lines = [line for line in title if line]
    chart = charts.chart(mark, frame, title=lines[0], **options)
    if len(lines) > 1:
        chart = chart.properties(title=alt.Title(lines, subtitle=chart.title.subtitle))
    return chart


def _chart_data(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as pandas strings: Altair turns their missing values into JSON null (an
    object column would keep a float NaN, which the page's strict JSON refuses)."""
    text = [column for column in frame.columns if frame[column].dtype == object]
    return frame.astype({column: "str" for column in text}) if text else frame


# Values a template can test and print -----------------------------------------------------------


def _value(value: object) -> object:
    """A value a template can test and print: None for NaN/NaT, Python numbers for NumPy's."""
    if isinstance(value, list | tuple | dict):
        return value
    if fmt.is_missing(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _values(row: object, *columns: str) -> dict[str, object]:
    return {column: _value(row[column]) for column in columns}


def _as_of(data: Dataset) -> pd.Timestamp:
    """The edition's date: every "now", "current" or "projected for" is read against it."""
    return data.as_of if data.as_of is not None else pd.Timestamp.now().normalize()


def _passed(data: Dataset, when: object) -> bool:
    """Whether a date (a projection's, a target's) is on or before the edition's date."""
    return not fmt.is_missing(when) and pd.Timestamp(when) <= _as_of(data)


def _capex_values(row: object) -> dict[str, object] | None:
    """A capex claim as the template's ``stated_capex`` prints it (``magnitude``: the code of
    an order of magnitude the source gives in words, printed in words, never as a figure)."""
    if row is None:
        return None
    return {
        "value": _value(row["value"]),
        "value_max": _value(row["value_max"]),
        "qualifier": _value(row["value_qualifier"]),
        "magnitude": _value(row["magnitude"]),
        "estimated_by": _value(row["estimated_by"]) or None,
        "record_id": _value(row["record_id"]),
    }


# xAI's sites: curated rows and Epoch data centres -----------------------------------------------


def xai_data_centers(data: Dataset, limit: int | None = MAX_XAI_SITES) -> pd.DataFrame:
    """Epoch's data centres owned by xAI: those the curated sites link first, then by power."""
    found = model_sites.xai_data_centers(data)
    return found.head(limit) if limit else found
