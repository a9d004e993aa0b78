"""One fact, one value: a record the book shows in more than one place (a round in the funding
chapter's charts, text and rounds table, and in the risk chapter's financing chart and starting
cash, say) has the same date, label and amount in every chart, passage, table and download.

Chart data names the model's record (``record_id``) and carries the model's values under the
model's names (``MODEL_FIELDS``); each chapter's records download lists the records its
passages and tables name, with the same fields (``xaibook.chapter.records_in``). This reads
them back from what a reader gets: the charts' specifications embedded in the pages and the
downloadable CSVs.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import BuiltBook
from xaibook.chapter import RECORD_FIELDS

MODEL_FIELDS = RECORD_FIELDS
SPEC = re.compile(r"var spec = ")


def _normalised(field: str, value: object) -> str:
    """The value as a reader would compare it: a day for a date, a number rounded to what the
    book prints at most (three decimals), text as it is."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    if field == "date":
        return str(value)[:10]
    if field.endswith("_usd_bn"):
        return f"{float(value):.3f}"
    return str(value)


def _records(rows: list[dict], where: str) -> list[dict]:
    return [
        {"record_id": row["record_id"], "field": field, "value": _normalised(field, row[field])}
        | {"where": where}
        for row in rows
        if row.get("record_id")
        for field in MODEL_FIELDS
        if field in row
    ]


def chart_records(page: Path) -> list[dict]:
    """Records in the charts a page embeds (Vega-Lite specifications with inline datasets)."""
    source = page.read_text(encoding="utf-8")
    found = []
    for match in SPEC.finditer(source):
        spec, _ = json.JSONDecoder().raw_decode(source, match.end())
        for name, rows in spec.get("datasets", {}).items():
            found += _records(rows, f"{page.name}: chart {name[:12]}")
    return found


def download_records(csv: Path) -> list[dict]:
    """Records in a downloadable CSV (the chart and table data readers take away)."""
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    if "record_id" not in frame:
        return []
    if {"field", "value", "shown_in"} <= set(frame):  # the records a chapter's text, tables name
        return [
            {
                "record_id": row["record_id"],
                "field": row["field"],
                "value": _normalised(row["field"], row["value"]),
                "where": f"download {csv.name}: {row['shown_in']}",
            }
            for row in frame.to_dict("records")
        ]
    return _records(frame.to_dict("records"), f"download {csv.name}")


def shown_records(html: Path) -> pd.DataFrame:
    """Every (record, field, value) the built book shows in a chart or a download, and where."""
    rows = []
    for page in sorted(html.rglob("*.html")):
        rows += chart_records(page)
    for csv in sorted((html / "_downloads").rglob("*.csv")):
        rows += download_records(csv)
    return pd.DataFrame(rows, columns=["record_id", "field", "value", "where"]).drop_duplicates()


def disagreements(shown: pd.DataFrame) -> list[str]:
    """One line per record and field shown with more than one value, naming where each is."""
    lines = []
    for (record_id, field), group in shown.groupby(["record_id", "field"], sort=True):
        if group["value"].nunique() > 1:
            places = "; ".join(
                f"{value!r} in {', '.join(sorted(set(rows['where'])))}"
                for value, rows in group.groupby("value")
            )
            lines.append(f"{record_id} {field}: {places}")
    return lines


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["built_book", "early_book"])
def test_a_record_shown_in_several_places_has_one_value_everywhere(edition, request):
    book: BuiltBook = request.getfixturevalue(edition)
    shown = shown_records(book.html)
    charted = shown[shown["where"].str.contains(": chart ")]
    pages = charted.groupby("record_id")["where"].agg(
        lambda where: {w.split(":")[0] for w in where}
    )
    # not vacuous: xAI's rounds are charted in the funding and the risk chapters
    assert any({"funding.html", "risk.html"} <= found for found in pages), pages.to_dict()
    # and named in both chapters' text (the records downloads), which a chart shows too; the
    # funding chapter's rounds table lists its records as well
    named = shown[shown["where"].str.startswith("download records-")]
    in_text = named.groupby("record_id")["where"].agg(lambda at: {w.split(":")[0] for w in at})
    both = [r for r, found in in_text.items() if len(found) == 2 and r in pages.index]
    assert both, in_text.to_dict()
    assert named["where"].str.endswith(": tbl-funding-rounds").any()
    assert not disagreements(shown), "\n".join(disagreements(shown))


@pytest.mark.slow
def test_the_check_names_a_chapter_that_shows_a_round_differently(built_book, tmp_path):
    html = tmp_path / "html"
    shutil.copytree(built_book.html, html)
    risk_csv = next((html / "_downloads").rglob("fig-risk-financing.csv"))
    frame = pd.read_csv(risk_csv, dtype=str, keep_default_na=False)
    record_id = frame["record_id"].iloc[0]
    frame.loc[frame["record_id"] == record_id, "date"] = "2024-12-01"  # the announcement month
    frame.to_csv(risk_csv, index=False)
    found = disagreements(shown_records(html))
    assert len(found) == 1, found
    assert found[0].startswith(f"{record_id} date: ")
    assert "'2024-12-01' in download fig-risk-financing.csv" in found[0]
    assert "funding.html: chart" in found[0] and "risk.html: chart" in found[0]
