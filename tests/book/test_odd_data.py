"""Odd but valid data: the book builds with honest "no data" statements, or stops clearly.

Each case edits a copy of the shipped data the way a user might (an empty table, a company with
no rounds, one row, dates far in the past or future, duplicate names, the focus company gone)
and states the outcome a reader should get. Compatible edits share one build to save time.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.book.test_book import CHAPTERS, text_of
from tests.conftest import build_book, run_cli
from xaibook import paths, prose
from xaibook.data.tables import CURATED_TABLES

pytestmark = pytest.mark.slow

Rows = list[dict[str, str]]
BROKEN_TEXT = re.compile(r"\bnan\b|\bNaN\b|not reported (?:billion|MW)|\{cite|\{glue")


def edit(data: Path, relative: str, change: Callable[[Rows], Rows]) -> None:
    path = data / relative
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    header, rows = reader.fieldnames, change(list(reader))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def copy_data(root: Path) -> Path:
    data = root / "data"
    shutil.copytree(paths.DATA_DIR, data)
    return data


def template(rows: Rows, **values: str) -> dict[str, str]:
    """A new row like the first one (a fresh claim of its own) with ``values`` changed."""
    return {**rows[0], "claim_id": "", "claim_rank": "", **values}


def read(data: Path, relative: str) -> Rows:
    text = (data / relative).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def drop_dangling_references(data: Path) -> None:
    """What a careful user does after deleting rows: remove references to them too."""
    rounds = {r["claim_id"] for r in read(data, "funding_rounds.csv")}
    edit(data, "investments.csv", lambda rows: [r for r in rows if r["round_id"] in rounds])
    edit(
        data,
        "valuations.csv",
        lambda rows: [
            {**r, "round_id": r["round_id"] if r["round_id"] in rounds else ""} for r in rows
        ],
    )
    records = {  # every row a risk's evidence may point at (all curated tables but risks)
        r["record_id"]
        for table in CURATED_TABLES
        if table != "risks"
        for r in read(data, f"{table}.csv")
    }

    def keep_evidence(rows: Rows) -> Rows:
        kept = []
        for row in rows:
            ids = [i for i in row["evidence_record_ids"].split(";") if i.strip() in records]
            if ids:
                kept.append({**row, "evidence_record_ids": ";".join(ids)})
        return kept

    edit(data, "risks.csv", keep_evidence)


def assert_reads_cleanly(book) -> None:
    for slug in [*CHAPTERS, "methods"]:
        words = text_of(book.page(f"chapters/{slug}.html"))
        assert not BROKEN_TEXT.search(words), f"{slug}: {BROKEN_TEXT.search(words)[0]!r}"


def test_odd_rows_build_honestly(tmp_path):
    """A company with no rounds, duplicate names, far dates, one Epoch round, no GPU clusters."""
    data = copy_data(tmp_path)
    edit(
        data,
        "companies.csv",
        lambda rows: [
            *rows,
            template(
                rows,
                record_id="co-odd-1",
                company_id="acme-ai",
                name="OpenAI",  # duplicate
                kind="ai_lab",
                is_musk_company="false",
                epoch_name="",
            ),
        ],
    )
    edit(
        data,
        "timeline.csv",
        lambda rows: [
            *rows,
            template(
                rows,
                record_id="tl-odd-1",
                company_id="acme-ai",
                event="A very old event",
                fact_date="1991-01-01",
                fact_date_precision="year",
            ),
            template(
                rows,
                record_id="tl-odd-2",
                company_id="acme-ai",
                event="A far plan",
                fact_date="2039-12-31",
                fact_date_precision="year",
                status="plan",
            ),
        ],
    )
    edit(
        data,
        "epoch/ai_companies_funding_rounds.csv",
        lambda rows: [r for r in rows if r["Id"] == "May 2024 24B Series B"],
    )
    edit(data, "epoch/gpu_clusters.csv", lambda rows: [])
    book = build_book(tmp_path / "out", "--data", str(data))
    assert_reads_cleanly(book)
    # the empty GPU-cluster chart says so, in the shared no-data words (chapters/shared.md.j2)
    notice = prose.render_text(paths.SHARED_TEXT_TEMPLATE, "no_data", as_of=None)
    words = notice.split(" (")[0].split("'")[-1]  # after the apostrophe Sphinx may curl
    assert words.strip() and words in text_of(book.page("chapters/infrastructure.html"))


def test_no_curated_rounds_builds_with_no_data_statements(tmp_path):
    data = copy_data(tmp_path)
    edit(data, "funding_rounds.csv", lambda rows: [])
    drop_dangling_references(data)
    book = build_book(tmp_path / "out", "--data", str(data))
    assert_reads_cleanly(book)


def test_without_the_focus_company_the_book_says_so(tmp_path):
    data = copy_data(tmp_path)
    references_xai = ("company_id", "investor_company_id", "owner_company_id", "tenant_company_id")
    # every curated table loses its rows that refer to xAI; companies last, below
    for table in (t for t in CURATED_TABLES if t != "companies"):
        edit(
            data,
            f"{table}.csv",
            lambda rows: [r for r in rows if all(r.get(c) != "xai" for c in references_xai)],
        )
    edit(data, "companies.csv", lambda rows: [r for r in rows if r["company_id"] != "xai"])
    drop_dangling_references(data)
    for file, column in (
        ("ai_companies_funding_rounds.csv", "Company"),
        ("ai_companies_revenue_reports.csv", "Company"),
        ("ai_companies_compute_spend.csv", "Company"),
    ):
        edit(data, f"epoch/{file}", lambda rows, c=column: [r for r in rows if r[c] != "xAI"])
    assert run_cli("validate", "--data", str(data)).returncode == 0
    book = build_book(tmp_path / "out", "--data", str(data))
    assert_reads_cleanly(book)


def test_dates_beyond_the_sane_range_are_refused_before_building(tmp_path):
    data = copy_data(tmp_path)
    edit(data, "timeline.csv", lambda rows: [{**rows[0], "fact_date": "2099-01-01"}, *rows[1:]])
    result = run_cli("build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "timeline.csv" in result.stderr and "2099-01-01" in result.stderr
    assert "at most 2040-12-31" in result.stderr
    assert not (tmp_path / "out" / "html").exists()
