"""Risk chapter, the risk register: the records each risk cites as evidence, the risk
matrix chart, the register table and the evidence list.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from xaibook import charts
from xaibook.analysis.common import labels
from xaibook.analysis.risk.base import (
    QUANTITATIVE_PREFIXES,
    RECORD_TABLES,
    REGISTER_MAX_PHRASES,
    SHORT_TEXT_CHARS,
    SLUG,
    _category_axis,
    _company_name,
    _markdown,
    _or_none,
    _plain,
    _text_or_none,
    _titled,
    cited_groups,
)
from xaibook.analysis.risk.estimates import investment_round
from xaibook.analysis.risk.regulation import _event_values
from xaibook.data.dataset import Dataset
from xaibook.formatting import is_missing
from xaibook.model import metrics as model_metrics, valuations as model_valuations
from xaibook.model.claims import cached_on_tables as _cached, canonical, table as _table
from xaibook.model.names import source_citations

ESTIMATOR_NOTE = re.compile(r"\s*\([^()]*\)\s*$")  # "Hu Jiameng (journalist, 001)": the curation's


def _estimator(value: object) -> str | None:
    """Who made an estimate, without the curation's note in brackets ("Hu Jiameng")."""
    text = _text_or_none(value)
    return ESTIMATOR_NOTE.sub("", text) or None if text is not None else None


def _find_record(data: Dataset, record_id: str) -> tuple[str, pd.Series] | None:
    cited = _cited_records(data)
    if record_id in cited:
        return cited[record_id]
    table = RECORD_TABLES.get(record_id.split("-")[0])
    frame = _table(data, table) if table else pd.DataFrame()
    if frame.empty or "record_id" not in frame:
        return None
    match = frame[frame["record_id"] == record_id]
    return (table, match.iloc[0]) if not match.empty else None


@_cached("risks", *dict.fromkeys(RECORD_TABLES.values()))
def _cited_records(data: Dataset) -> dict[str, tuple[str, pd.Series] | None]:
    """Every row the risk register cites, by record id (None where this edition lacks it):
    one vectorised lookup per table instead of a scan of a table per cited id."""
    risks = _table(data, "risks")
    ids = (
        list(
            dict.fromkeys(
                record_id
                for value in risks["evidence_record_ids"]
                for record_id in _evidence_ids(value)
            )
        )
        if "evidence_record_ids" in risks
        else []
    )
    records: dict[str, tuple[str, pd.Series] | None] = dict.fromkeys(ids)
    by_table: dict[str, list[str]] = {}
    for record_id in ids:
        table = RECORD_TABLES.get(record_id.split("-")[0])
        if table:
            by_table.setdefault(table, []).append(record_id)
    for table, wanted in by_table.items():
        frame = _table(data, table)
        if frame.empty or "record_id" not in frame:
            continue
        found = frame[frame["record_id"].isin(wanted)].drop_duplicates("record_id")
        for position, record_id in enumerate(found["record_id"]):
            records[record_id] = (table, found.iloc[position])
    return records


def record_values(data: Dataset, record_id: str) -> dict[str, object] | None:
    """A row of any curated table as the template words it (macros ``record`` and
    ``record_short``): its ``table``, source id, company and status, and that table's fields
    (None where missing); None when this edition lacks the row."""
    found = _find_record(data, record_id)
    if found is None:
        return None
    table, row = found
    values: dict[str, object] = {
        "table": table,
        "source_id": row["source_id"],
        "company": _company_name(data, row.get("company_id")),
        "status": str(row.get("status")),
    }
    if table in ("company_metrics", "valuations"):
        values |= {"quote": _text_or_none(row.get("source_quote"))}
        values["in_words"] = model_valuations.stated_in_words(values["quote"])
        values["quote_short"] = _truncate(values["quote"]) if values["quote"] else None
    if table == "company_metrics":
        values |= {
            "metric": row["metric"],
            "value": row["value"],
            "high": _or_none(row.get("value_max")),
            "qualifier": _text_or_none(row["value_qualifier"]),
            "unit": row["unit"],
            "period": _text_or_none(row["period"]),
            "estimated_by": _estimator(row["estimated_by"]),
            # a magnitude the source gives in words ("tens of billions") is printed in words
            "magnitude": model_metrics.magnitude(
                row["value"], row.get("value_max"), row["value_qualifier"], row["unit"]
            ),
        }
    elif table == "funding_rounds":
        values |= {
            "round_name": row["round_name"],
            "round_name_short": _truncate(row["round_name"]),
            "amount": _or_none(row["amount_usd_bn"]),
            "amount_qualifier": _text_or_none(row["amount_qualifier"]),
            "debt": _or_none(row["debt_usd_bn"]),
        }
    elif table == "investments":
        values |= {
            "investor": _company_name(data, row["investor_company_id"]),
            "amount": _or_none(row["amount_usd_bn"]),
            "strategic": bool(row["is_strategic"]),
            "date": row["fact_date"],
            "precision": str(row["fact_date_precision"]),
            "reported": row["published_date"],
            "round": investment_round(data, row["round_id"]),
        }
    elif table == "valuations":
        values |= {
            "value": row["valuation_usd_bn"],
            "qualifier": _text_or_none(row["value_qualifier"]),
            "basis": row["basis"],
            "date": row["fact_date"],
            "precision": str(row["fact_date_precision"]),
        }
    elif table == "competitors":
        values |= {"description": row["description"], "short": _truncate(row["description"])}
    elif table == "timeline":
        values |= {**_event_values(row), "short": _truncate(row["event"])}
    elif table == "sites":
        tenant = row["tenant_company_id"]
        values |= {
            "site_name": str(row["site_name"]),
            "power_mw": _or_none(row["power_mw"]),
            "power_qualifier": _text_or_none(row["power_qualifier"]),
            "site_status": row["site_status"],
            "user": _company_name(data, tenant)
            if not is_missing(tenant) and tenant != row["owner_company_id"]
            else None,
        }
    elif table == "companies":
        values |= {"name": row["name"], "short": str(row["name"])}
    else:
        name = row.get("risk", record_id)
        values |= {"name": name, "short": _truncate(name)}
    return values


def describe_record(data: Dataset, record_id: str) -> tuple[str, str] | None:
    """A row of any curated table as a short markdown phrase, with its source id."""
    values = record_values(data, record_id)
    if values is None:
        return None
    return _markdown("record", r=values), values["source_id"]


def _evidence_ids(value: object) -> list[str]:
    if is_missing(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def risk_frame(data: Dataset) -> pd.DataFrame:
    """One row per risk, highest score (likelihood × impact) first."""
    risks = canonical(_table(data, "risks"))
    columns = ["record_id", "risk", "category", "likelihood", "impact", "score", "source_id"]
    if risks.empty:
        return pd.DataFrame(columns=columns)
    frame = risks.assign(
        likelihood=risks["likelihood"].astype(int),
        impact=risks["impact"].astype(int),
    )
    frame["score"] = frame["likelihood"] * frame["impact"]
    frame = frame.sort_values(
        ["score", "likelihood", "record_id"], ascending=[False, False, True], kind="stable"
    )
    return frame[[*columns, "evidence_record_ids"]].reset_index(drop=True)


def risk_chart_frame(data: Dataset) -> pd.DataFrame:
    frame = risk_frame(data)
    return frame[["risk", "category", "likelihood", "impact", "score", "source_id"]]


def top_risk(data: Dataset) -> dict[str, object] | None:
    """The register's highest-scoring risk (name and score of 25); None without a register."""
    frame = risk_frame(data)
    if frame.empty:
        return None
    top = frame.iloc[0]
    return {"risk": str(top["risk"]), "score": int(top["score"])}


SCORE_SCALE = (1, 2, 3, 4, 5)  # the book's likelihood and impact scores


def risk_grid(data: Dataset) -> pd.DataFrame:
    """The register as a likelihood × impact grid: one row per likelihood (the highest at the
    top), one column per impact, each from the lowest score any risk has up to the top of the
    scale, each cell the risks scored there ("" where none is); empty without a register. The
    corner and the headers are the template's (``risk_grid``)."""
    frame = risk_frame(data)
    if frame.empty:
        return pd.DataFrame()
    words = labels(SLUG, "risk_grid")
    impacts = [i for i in SCORE_SCALE if i >= frame["impact"].min()]
    likelihoods = [i for i in reversed(SCORE_SCALE) if i >= frame["likelihood"].min()]
    columns = {impact: _plain("risk_grid_impact", impact=impact) for impact in impacts}
    rows = []
    for likelihood in likelihoods:
        row = {words["corner"]: _plain("risk_grid_likelihood", likelihood=likelihood)}
        for impact in impacts:
            cell = frame[(frame["likelihood"] == likelihood) & (frame["impact"] == impact)]
            row[columns[impact]] = "; ".join(cell["risk"])
        rows.append(row)
    return pd.DataFrame(rows)


def risk_chart(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Points of ``risk_chart_frame``; ``title`` from ``risk_title``, given ``top_risk``."""
    words = labels(SLUG, "risk_chart")
    chart = charts.chart(
        "point",
        frame,
        "score:Q",
        "risk:N",
        color="category:N",
        title=title,
        words=words,
        tooltip=["risk:N", "category:N", "likelihood:Q", "impact:Q", "score:Q"],
    )
    chart = chart.encode(
        x=alt.X("score:Q", title=words["x"], scale=alt.Scale(domain=[0, 25])),
        y=alt.Y("risk:N", title=words["y"], sort=list(frame["risk"]), axis=_category_axis()),
        color=alt.Color("category:N", title=words["legend"], legend=alt.Legend(columns=4)),
    )
    return _titled(chart, title, words["subtitle"])


def _truncate(text: object, limit: int = SHORT_TEXT_CHARS) -> str:
    """A register cell's few words (the evidence list below the table gives the whole text):
    cut at a word, never inside one."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def short_evidence(data: Dataset, record_id: str) -> str | None:
    """A few plain words for a register cell (the evidence list gives the full, cited text)."""
    values = record_values(data, record_id)
    return None if values is None else _plain("record_short", r=values)


def _evidence_records(data: Dataset, risk: pd.Series) -> list[dict[str, object]]:
    """The risk's evidence rows that this edition holds (``record_values``)."""
    found = (record_values(data, i) for i in _evidence_ids(risk["evidence_record_ids"]))
    return [values for values in found if values is not None]


def risk_register_table(data: Dataset) -> pd.DataFrame:
    """The register as the reader scans it: plain text, short, sources named in words; the
    headers and the cells without data are the template's (``register_columns``,
    ``register_cells``)."""
    columns, cells = labels(SLUG, "register_columns"), labels(SLUG, "register_cells")
    rows = []
    for _, risk in risk_frame(data).iterrows():
        # numbers first (metrics, rounds, valuations, investments), then reported positions
        ids = sorted(
            _evidence_ids(risk["evidence_record_ids"]),
            key=lambda i: i.split("-")[0] not in QUANTITATIVE_PREFIXES,
        )
        phrases = list(dict.fromkeys(p for p in (short_evidence(data, i) for i in ids) if p))
        if len(phrases) > REGISTER_MAX_PHRASES:
            more = len(phrases) - REGISTER_MAX_PHRASES
            phrases = [*phrases[:REGISTER_MAX_PHRASES], _plain("register_more", count=more)]
        sources = [r["source_id"] for r in _evidence_records(data, risk)] + [risk["source_id"]]
        rows.append(
            {
                "risk": risk["risk"],
                "category": risk["category"],
                "likelihood": int(risk["likelihood"]),
                "impact": int(risk["impact"]),
                "score": int(risk["score"]),
                "evidence": "; ".join(phrases) or cells["no_evidence"],
                "sources": source_citations(data, sources),
            }
        )
    keys = ["risk", "category", "likelihood", "impact", "score", "evidence", "sources"]
    if not rows:  # a table with no rows would render as a bare header
        rows = [{"risk": cells["no_risks"]}]
    return pd.DataFrame(rows, columns=keys).rename(columns=columns)


def evidence_list_values(data: Dataset) -> list[dict[str, object]]:
    """Each risk (name, category, scores, source) with its evidence rows in runs from one
    source (``cited_groups`` of ``record_values``), highest score first."""
    return [
        {
            "risk": risk["risk"],
            "category": risk["category"],
            "likelihood": risk["likelihood"],
            "impact": risk["impact"],
            "score": risk["score"],
            "source_id": risk["source_id"],
            "evidence": cited_groups([(r, r["source_id"]) for r in _evidence_records(data, risk)]),
        }
        for _, risk in risk_frame(data).iterrows()
    ]


def evidence_list(data: Dataset) -> str:
    """Each risk with its evidence, every fact cited by its own source (the template's
    ``evidence_list``)."""
    return _markdown("evidence_list", risks=evidence_list_values(data))


def _risks_scoring(rows: pd.DataFrame, score: object) -> dict[str, object]:
    """The risks with one score: their names, their sources and the score."""
    rows = rows[rows["score"] == score]
    return {"names": list(rows["risk"]), "source_ids": list(rows["source_id"]), "score": int(score)}


def register_summary(data: Dataset) -> dict[str, object] | None:
    """How many risks; the highest-scoring ones and the next score's (None if all tie); the
    categories of the highest-scoring ones (not "the category that scores highest": one high
    score says nothing of a category's other risks). None without a register."""
    frame = risk_frame(data)
    if frame.empty:
        return None
    top_score = frame["score"].iloc[0]
    lower = frame[frame["score"] < top_score]
    return {
        "count": len(frame),
        "top": _risks_scoring(frame, top_score),
        "next": _risks_scoring(lower, lower["score"].iloc[0]) if not lower.empty else None,
        "top_categories": list(dict.fromkeys(frame.loc[frame["score"] == top_score, "category"])),
    }
