"""What every section of the competition chapter shares: the companies it compares, the
qualifiers' directions, the template's words (labels, passages, who made a figure),
names, dates and money as chart labels show them, tooltips, and values a template takes.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from xaibook import paths, prose
from xaibook.analysis.common import labels as _chapter_labels
from xaibook.data.dataset import Dataset
from xaibook.data.tables import EPOCH_SOURCE_IDS
from xaibook.formatting import is_missing, printable
from xaibook.model import names
from xaibook.model.valuations import EPOCH

XAI = "xai"
COREWEAVE = "coreweave"
LABS = ("openai", "anthropic", "xai")  # the labs Epoch AI tracks that the chapter compares
# Bounds that keep the chapter's charts, tables and sentences short at any data size. On the
# shipped data every company fits; with more companies the chapter says what it kept (each
# section's own bounds are in its module).
ALWAYS_SHOWN = (*LABS, COREWEAVE)  # the labs compared throughout, and the neocloud of section 6

# Direction of a qualifier: +1 the true value is higher, -1 lower, 0 exact, None only roughly.
QUALIFIER_DIRECTION = {
    "exact": 0,
    "more_than": 1,
    "at_least": 1,
    "less_than": -1,
    "up_to": -1,
    "approx": None,
    "approx_more_than": 1,
    "approx_at_least": 1,
    "approx_less_than": -1,
    "approx_up_to": -1,
}
SHORT_QUALIFIER = {
    "approx": "~",
    "more_than": ">",
    "at_least": "≥",
    "less_than": "<",
    "up_to": "≤",
    "approx_more_than": "≳",
    "approx_at_least": "≳",
    "approx_less_than": "≲",
    "approx_up_to": "≲",
}


def _ratio_qualifier(valuation_qualifier: object, revenue_qualifier: object) -> str:
    """A valuation divided by 'up to' a revenue is 'at least' the ratio (not 'more than': it may
    be equal); an 'about' valuation divided by 'up to' a revenue is about the ratio or more,
    keeping both hedges; two bounds pointing the same way bound nothing ('about'); and so on."""
    v, r = str(valuation_qualifier), str(revenue_qualifier)
    top = QUALIFIER_DIRECTION.get(v)  # None: only roughly known (or an unknown word)
    bottom = QUALIFIER_DIRECTION.get(r)
    if top is None and bottom is None:
        return "approx"
    if top is None or bottom is None:
        # one side only roughly known: the ratio is roughly bounded the way the other side
        # bounds it (a bound below the line bounds the ratio the other way)
        bound = -bottom if top is None else top
        if bound == 0:
            return "approx"
        strict = (r if top is None else v) in ("more_than", "less_than")
        if bound > 0:
            return "approx_more_than" if strict else "approx_at_least"
        return "approx_less_than" if strict else "approx_up_to"
    if top == bottom == 0:
        return "exact"
    if top * bottom > 0:  # both bounds point the same way: the ratio is not bounded
        return "approx"
    if top - bottom > 0:
        return "more_than" if v == "more_than" or r == "less_than" else "at_least"
    return "less_than" if v == "less_than" or r == "more_than" else "up_to"


def bounded(multiple: float, qualifier: str) -> float:
    """``multiple`` rounded to a whole number towards its bound: down for a lower bound ('at
    least 71×' for 71.9, which 'at least 72×' would overstate), up for an upper bound. A
    rough bound ('about 47× or more' for 46.9) rounds to the nearest: its 'about' already
    says the floor is not exact."""
    qualifier = str(qualifier)
    if qualifier == "approx" or qualifier.startswith("approx_"):
        return float(round(multiple)) if qualifier != "approx" else float(multiple)
    if QUALIFIER_DIRECTION.get(qualifier) == 1:
        return float(math.floor(multiple))
    if QUALIFIER_DIRECTION.get(qualifier) == -1:
        return float(math.ceil(multiple))
    return float(multiple)


def _template() -> Path:
    """The chapter's text template, chapters/competition.md.j2."""
    return prose.template_file(paths.CHAPTERS_DIR / "competition.ipynb")


def labels(name: str) -> prose.Words:
    """Fixed words the chapter's text template sets (axis and tooltip titles, table headers,
    the words for the codes in the data)."""
    return _chapter_labels("competition", name)


def _words_for(name: str, codes: pd.Series) -> pd.Series:
    """The template's words (labels ``name``, a dict) for ``codes``; a code it has no words
    for is shown as it is."""
    return codes.map(labels(name)).fillna(codes.astype(str))


# Where a figure comes from (the ``figure_source`` of valuations and revenue figures): the
# model's codes NEWS and EPOCH, shown to readers as the template's ``figure_from`` words.
def figure_from(sources: pd.Series) -> pd.Series:
    """The words a reader sees for the ``figure_source`` codes NEWS and EPOCH."""
    return sources.map(labels("figure_from"))


def _estimator(figure_source: object, estimator: object, words: dict[str, str]) -> str:
    """Who made a revenue figure, in words: Epoch AI, or the news report's estimator
    (``words`` is the template's ``figure_from``)."""
    if figure_source == EPOCH:
        return words[EPOCH]
    return words["unattributed"] if is_missing(estimator) else str(estimator)


def _estimators(frame: pd.DataFrame) -> pd.Series:
    """_estimator for every revenue figure of ``frame``."""
    words = labels("figure_from")
    return pd.Series(
        [
            _estimator(s, e, words)
            for s, e in zip(frame["figure_source"], frame["estimator"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


# Names ------------------------------------------------------------------------------------------


def _company_names(data: Dataset, company_ids: pd.Series) -> pd.Series:
    """Display names of ``company_ids``, the id itself for a company the book does not know."""
    return names.company_names(data, company_ids)


short_name = names.short_name  # 'Google (Alphabet; ...)' -> 'Google'


def _month(value: object) -> str:
    """'Jan 2026' for chart labels (prose uses formatting.date)."""
    return labels("unknown_date") if is_missing(value) else f"{pd.Timestamp(value):%b %Y}"


def _short_usd(value: float, qualifier: object = None) -> str:
    """Compact money for chart labels: '~$1bn', '<$76.7bn', '$1.5tn'."""
    prefix = SHORT_QUALIFIER.get(str(qualifier), "") if not is_missing(qualifier) else ""
    value = printable(value)
    if value >= 1000:
        return f"{prefix}${value / 1000:,.1f}tn".replace(".0tn", "tn")
    return f"{prefix}${value:,.1f}bn".replace(".0bn", "bn")


# Template values -------------------------------------------------------------------------------


def _value(value: object) -> object:
    """A value as a template takes it: None for a missing one, plain Python otherwise."""
    if is_missing(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _figure(row: pd.Series, value_column: str, date_column: str = "fact_date") -> dict[str, object]:
    """A figure of ``row`` as the template states it: its value (``value_column``), qualifier,
    date (``date_column``) and that date's precision, and its source."""
    return {
        "value": _value(row[value_column]),
        "qualifier": _value(row["value_qualifier"]),
        "date": _value(row[date_column]),
        "precision": _value(row["fact_date_precision"]),
        "source_id": _value(row["source_id"]),
    }


def passage(macro: str, /, **values: object) -> str:
    """A passage of the chapter's text template, as ch.text glues it (for the introduction,
    which leads with the first key finding, and for the tests)."""
    return prose.render(_template(), macro, **values)


def chart_source(words: dict, source_ids: pd.Series) -> str:
    """A chart's source line (its ``words``): "source" when it draws both news reports and
    Epoch AI's data, "source_epoch" or "source_news" when it draws only one of them."""
    epoch_ids = set(EPOCH_SOURCE_IDS.values())
    drawn = set(source_ids.dropna())
    if drawn and drawn <= epoch_ids:
        return words.get("source_epoch", words["source"])
    if drawn and not drawn & epoch_ids:
        return words.get("source_news", words["source"])
    return words["source"]
