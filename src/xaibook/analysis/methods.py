"""Data & methods: where every figure comes from, how conflicts are settled, what the data lacks."""

from __future__ import annotations

import dataclasses
from pathlib import PurePath

import altair as alt
import pandas as pd

from xaibook import charts, facts, formatting as fmt, paths, prose
from xaibook.analysis.common import labels as _labels
from xaibook.dataset import Dataset
from xaibook.model import metrics as model_metrics
from xaibook.problems import Problem
from xaibook.schema import TABLE_MODELS
from xaibook.tables import CURATED_TABLES, EPOCH_SOURCE_IDS, EPOCH_TABLES, table_file

TEMPLATE = prose.template_file(paths.CHAPTERS_DIR / "methods.ipynb")
STATUS_ORDER = ["reported", "estimate", "target", "plan"]


def fact_counts(data: Dataset) -> pd.DataFrame:
    """Facts per source, status, publication day and table (what the chapter counts)."""
    return facts.fact_counts(data)


# the two kinds of source (codes; the template's ``source_kinds`` names them)
EPOCH_KIND, ARTICLE_KIND = "epoch", "article"


def source_kind(source_id: str) -> str:
    return EPOCH_KIND if source_id in set(EPOCH_SOURCE_IDS.values()) else ARTICLE_KIND


def source_kinds(source_ids: pd.Series) -> pd.Series:
    """source_kind for a whole column at once."""
    is_epoch = source_ids.isin(list(set(EPOCH_SOURCE_IDS.values())))
    return pd.Series(ARTICLE_KIND, index=source_ids.index).where(~is_epoch, EPOCH_KIND)


def sources_table(data: Dataset, counts: pd.DataFrame) -> pd.DataFrame:
    """One row per bibliography entry: what it is and how many facts of this edition it gives."""
    counts = counts.groupby("source_id")["facts"].sum()
    kinds, licences = _labels("methods", "source_kinds"), _labels("methods", "licences")
    rows = []
    for key, source in sorted(data.sources.items()):
        kind = source_kind(key)
        rows.append(
            {
                "source_id": key,
                "title": source.title,
                "publisher": source.publisher,
                "published": (
                    source.published.isoformat()
                    if source.published
                    else prose.render_text(
                        TEMPLATE, "downloaded_cell", day=source.accessed.isoformat()
                    )
                    if source.accessed
                    else ""
                ),
                "kind": kinds[kind],
                "licence": licences[kind],
                "facts": int(counts.get(key, 0)),
            }
        )
    return pd.DataFrame(rows)


def facts_by_source_status(counts: pd.DataFrame) -> pd.DataFrame:
    """Facts per source and status: what the figure of provenance draws."""
    if counts.empty:
        return pd.DataFrame(columns=["source_id", "status", "facts"])
    grouped = counts.groupby(["source_id", "status"])["facts"].sum().reset_index()
    return grouped.sort_values(["source_id", "status"]).reset_index(drop=True)


def leading_source(counts: pd.DataFrame) -> str | None:
    """The source that gives the most facts (what the provenance figure's title names)."""
    return counts.groupby("source_id")["facts"].sum().idxmax() if len(counts) else None


def provenance_chart(counts: pd.DataFrame, title: str) -> alt.Chart:
    words = _labels("methods", "provenance_chart")
    return charts.chart(
        "bar", counts, "facts:Q", "source_id:N", title=title, words=words, color="status:N"
    )


def conflicts(data: Dataset) -> pd.DataFrame:
    """Every claim whose sources cannot all be right (different values, or one value with
    qualifiers that exclude each other): each value, its source, and which one the book uses
    (canonical) — one row per value."""
    claimed = facts.facts_table(facts.claimed_subset(data))
    flagged = claimed[claimed["conflict"] & claimed["value"].notna()]
    columns = ["claim_id", "metric", "entity", "value", "value_max", "unit", "qualifier",
               "source_id", "published", "is_canonical", "note"]  # fmt: skip
    if flagged.empty:
        return pd.DataFrame(columns=[*columns, "magnitude"])
    ordered = flagged.sort_values(
        ["claim_id", "metric", "is_canonical"], ascending=[True, True, False]
    )
    result = ordered[columns].reset_index(drop=True)
    # a magnitude the source gives in words ("tens of billions") has no point value
    result["magnitude"] = [
        model_metrics.magnitude(v, m, q, u)
        for v, m, q, u in zip(result["value"], result["value_max"], result["qualifier"],
                              result["unit"], strict=True)
    ]  # fmt: skip
    return result


def conflicts_display(conflict_rows: pd.DataFrame) -> pd.DataFrame:
    """The conflicts as a reader's table: value in words, source, used or not, and why."""
    header = _labels("methods", "conflicts_columns")
    if conflict_rows.empty:
        return pd.DataFrame(columns=list(header.values()))
    cells = _labels("methods", "conflicts_cells")
    used = {True: cells["used"]["yes"], False: cells["used"]["no"]}
    return pd.DataFrame({
        header["claim"]: conflict_rows["claim_id"],
        header["quantity"]: conflict_rows["metric"],
        header["value"]: [_value_words(v, u, q, m) for v, u, q, m in zip(
            conflict_rows["value"], conflict_rows["unit"], conflict_rows["qualifier"],
            conflict_rows["magnitude"], strict=True)],
        header["source"]: conflict_rows["source_id"],
        header["used"]: conflict_rows["is_canonical"].map(used),
        header["why"]: [_reason(row, cells["epoch_reason"])
                        for row in conflict_rows.to_dict("records")],
    })  # fmt: skip


def _reason(row: dict, epoch_reason: str) -> str:
    """Why a value is kept: the curator's note on an article's, the template's words on Epoch's."""
    if source_kind(row["source_id"]) != ARTICLE_KIND:
        return epoch_reason
    return "" if pd.isna(row["note"]) else str(row["note"])


def _value_words(value: float, unit: str, qualifier: object, magnitude: object = None) -> str:
    if isinstance(magnitude, str):  # given in words by the source: said in words
        return _labels("methods", "magnitude_words")[magnitude]
    if unit == "USD bn":
        return fmt.usd_bn(value, qualifier)
    if unit == "MW":
        return fmt.megawatts(value, qualifier)
    if unit == "H100e":
        return fmt.h100e(value, qualifier)
    return f"{fmt.qualifier_prefix(qualifier)}{fmt.printable(value):g} {unit}"


def conflict_points(conflict_rows: pd.DataFrame) -> pd.DataFrame:
    """What the conflicts figure draws: one point per source's value of each quantity. A claim
    a source gives only as a magnitude in words ("tens of billions") has no point to draw, so
    it is left to the table, in words: drawing its band's floor would invent a figure and a
    multiple between sources that none of them states."""
    worded = conflict_rows.loc[conflict_rows["magnitude"].notna(), "claim_id"]
    conflict_rows = conflict_rows[~conflict_rows["claim_id"].isin(worded)]
    data = conflict_rows[
        ["claim_id", "metric", "value", "unit", "qualifier", "source_id", "is_canonical"]
    ]
    words = _labels("methods", "conflicts_chart")["used"]
    return data.assign(
        quantity=data["claim_id"] + " · " + data["metric"] + " (" + data["unit"] + ")",
        used=data["is_canonical"].map({True: words["yes"], False: words["no"]}),
    )


POINT_QUALIFIERS = ("exact", "approx")  # a bound ("at least 1 GW") is not a point to divide


def widest_conflict(points: pd.DataFrame) -> dict[str, object] | None:
    """The quantity whose sources are furthest apart, and by what factor (None: no conflict
    with two positive point values). Only point values count: a bound such as "at least 1 GW"
    or "more than $230 billion" says where a value starts, not where it is, so a multiple of
    it would be invented."""
    if "qualifier" in points:
        points = points[points["qualifier"].isin(POINT_QUALIFIERS)]
    points = points[points.groupby("quantity")["value"].transform("size").ge(2)]
    spread = points.groupby("quantity")["value"].agg(
        lambda v: v.max() / v.min() if v.min() > 0 else float("nan")
    )
    if not spread.notna().any():
        return None
    return {"quantity": spread.idxmax(), "factor": spread.max()}


def conflicts_chart(points: pd.DataFrame, title: str) -> alt.Chart:
    """Each conflicting value as a point, claims on the y axis, on a log scale per unit."""
    words = _labels("methods", "conflicts_chart")
    return (
        alt.Chart(points)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X("value:Q", title=words["x"], scale=alt.Scale(type="log")),
            y=alt.Y("quantity:N", title=words["y"]),
            color=alt.Color("used:N", title=None),
            shape=alt.Shape("source_id:N", title=words["shape"]),
            tooltip=["quantity:N", "value:Q", "source_id:N", "used:N"],
        )
        .properties(
            title=title,
            description=words["description"],
            width=charts.CHART_WIDTH_PX,
            height=charts.BAR_BAND_PX * max(1, points["quantity"].nunique()),
        )
    )  # fmt: skip


def publication_timeline(counts: pd.DataFrame) -> pd.DataFrame:
    """Facts per month of publication and kind of source: when the evidence appeared."""
    if counts.empty:
        return pd.DataFrame(columns=["month", "kind", "facts", "source_id"])
    kinds = _labels("methods", "source_kinds")
    frame = counts.assign(
        month=pd.to_datetime(counts["published"]).dt.to_period("M").dt.to_timestamp(),
        kind=source_kinds(counts["source_id"]).map(kinds),
    )
    grouped = (
        frame.groupby(["month", "kind"])
        .agg(facts=("facts", "sum"), source_id=("source_id", "first"))
        .reset_index()
    )
    return grouped.sort_values(["month", "kind"]).reset_index(drop=True)


def busiest_month(timeline: pd.DataFrame) -> pd.Timestamp | None:
    """The month in which the most facts were published."""
    return timeline.groupby("month")["facts"].sum().idxmax() if len(timeline) else None


def timeline_chart(timeline: pd.DataFrame, title: str) -> alt.Chart:
    words = _labels("methods", "timeline_chart")
    return charts.chart(
        "bar", timeline, "month:T", "facts:Q", title=title, words=words, color="kind:N"
    )


def tables_overview(data: Dataset) -> pd.DataFrame:
    """Each table of the dataset: file, rows in this edition, what it holds."""
    rows = []
    for table in (*CURATED_TABLES, *EPOCH_TABLES):
        if table not in data.tables:
            continue
        file = table_file(data.data_dir, table)
        rows.append({
            "table": table,
            "file": f"{file.parent.name}/{file.name}",
            "rows": len(data.tables[table]),
            "holds": (TABLE_MODELS[table].__doc__ or "").strip(),
        })  # fmt: skip
    return pd.DataFrame(rows)


def summary(data: Dataset, counts: pd.DataFrame, conflict_rows: pd.DataFrame) -> dict:
    """What the chapter's key points count: facts by kind of source (with the sources, to
    cite), quantities in dispute, and values the loader set to missing."""
    per_source = counts.groupby("source_id")["facts"].sum()
    articles = sorted(k for k in per_source.index if source_kind(k) == ARTICLE_KIND)
    epoch = sorted(k for k in per_source.index if source_kind(k) != ARTICLE_KIND)
    return {
        "facts": int(per_source.sum()),
        "article_facts": int(per_source[articles].sum()),
        "articles": articles,
        "epoch_facts": int(per_source[epoch].sum()),
        "epoch_sets": epoch,
        "disputed_quantities": int(conflict_rows["claim_id"].nunique()),
        "values_set_to_missing": len(data.warnings),
    }


def quality_notes(data: Dataset) -> list[str]:
    """The loader's warnings, each naming its file inside the data folder: where the builder
    keeps that folder is not part of the book (the same data gives the same page anywhere)."""
    return [str(_named_in_data_folder(problem, data)) for problem in data.warnings]


def _named_in_data_folder(problem: Problem, data: Dataset) -> Problem:
    # the message names the file relative to wherever the loader ran, so it is matched by its
    # name (every table's file name is distinct), not resolved against this process's folder
    for table in (*CURATED_TABLES, *EPOCH_TABLES):
        file = table_file(data.data_dir, table)
        if PurePath(problem.file).name == file.name:
            return dataclasses.replace(problem, file=file.relative_to(data.data_dir).as_posix())
    return problem


def headline(counts: pd.DataFrame, conflict_rows: pd.DataFrame) -> str:
    curated = counts.loc[~counts["table"].str.startswith("epoch"), "facts"].sum()
    return f"curated facts: {curated}; conflicting claims: {conflict_rows['claim_id'].nunique()}"


def dictionary_table() -> pd.DataFrame:
    """The data dictionary of every table (from the schema), for the reader."""
    from xaibook.datadoc import dictionary

    frames = [dictionary(table).assign(table=table) for table in (*CURATED_TABLES, *EPOCH_TABLES)]
    combined = pd.concat(frames, ignore_index=True)
    return combined[["table", "column", "type", "required", "rules", "unit", "meaning"]]
