"""`xaibook validate` on the shipped data and on damaged copies of it.

Every damage a user can do by hand-editing a CSV or pasting a download must be refused with a
message naming the file (and row and column where there is one), never with a traceback.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import run_cli, run_cli_process
from xaibook.data.dataset import check_dataset

FUNDING = "funding_rounds.csv"
EPOCH_FUNDING = "epoch/ai_companies_funding_rounds.csv"


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, column: str, row: int, value: str) -> None:
    rows = read_rows(path)
    rows[row][rows[0].index(column)] = value
    write_rows(path, rows)


def assert_refused(data_dir: Path, *needles: str) -> str:
    result = run_cli("validate", "--data", str(data_dir))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    for needle in needles:
        assert needle in output, f"{needle!r} not in:\n{output}"
    return output


def test_shipped_data_is_valid_from_the_real_command_line():
    result = run_cli_process("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_every_curated_table_has_rows_and_sources():
    checked = check_dataset(Path("data"))
    assert checked.errors == []
    for table in (
        "companies",
        "funding_rounds",
        "valuations",
        "company_metrics",
        "sites",
        "timeline",
        "risks",
        "competitors",
        "investments",
    ):
        assert len(checked.tables[table]) > 0, table
        assert checked.tables[table]["source_id"].notna().all()


@pytest.mark.parametrize("file", [FUNDING, EPOCH_FUNDING])
def test_renamed_header_is_refused_naming_file_and_column(data_copy, file):
    path = data_copy / file
    column = "amount_usd_bn" if file == FUNDING else "Funding (equity)"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(column, column.replace("u", "uu", 1), 1), encoding="utf-8")
    assert_refused(data_copy, Path(file).name, repr(column), "missing")


@pytest.mark.parametrize(
    ("file", "column"), [(FUNDING, "amount_usd_bn"), (EPOCH_FUNDING, "Valuation (post-money)")]
)
def test_text_in_a_number_column_is_refused_with_row_and_column(data_copy, file, column):
    set_cell(data_copy / file, column, 1, "twenty billion")
    output = assert_refused(
        data_copy,
        Path(file).name,
        "row 1",
        repr(column),
        "'twenty billion' is not valid",
        "a number",
    )
    assert len([line for line in output.splitlines() if "twenty billion" in line]) == 1


@pytest.mark.parametrize("file", [FUNDING, EPOCH_FUNDING])
def test_truncated_file_is_refused(data_copy, file):
    path = data_copy / file
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.6)])
    assert_refused(data_copy, Path(file).name)


@pytest.mark.parametrize("file", ["companies.csv", EPOCH_FUNDING])
def test_truncated_row_is_refused(data_copy, file):
    path = data_copy / file
    rows = read_rows(path)
    rows[1] = rows[1][:3]
    write_rows(path, rows)
    assert_refused(data_copy, Path(file).name, "fields but the header has")


@pytest.mark.parametrize("file", [FUNDING, EPOCH_FUNDING])
def test_bad_bytes_are_refused(data_copy, file):
    path = data_copy / file
    data = path.read_bytes()
    cut = data.index(b"\n") + 5
    path.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    assert_refused(data_copy, Path(file).name, "undecodable", "line 2")


def test_unclosed_quote_is_refused(data_copy):
    path = data_copy / FUNDING
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(",", ',"', 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_refused(data_copy, FUNDING)


def test_unknown_source_id_is_refused(data_copy):
    set_cell(data_copy / FUNDING, "source_id", 2, "nosuchsource2099")
    assert_refused(data_copy, FUNDING, "row 2", "'nosuchsource2099'", "references.bib")


def test_duplicate_record_id_is_refused(data_copy):
    path = data_copy / FUNDING
    rows = read_rows(path)
    rows[2][rows[0].index("record_id")] = rows[1][rows[0].index("record_id")]
    write_rows(path, rows)
    assert_refused(data_copy, FUNDING, "record_id", "no other row has")


def test_unknown_company_reference_is_refused(data_copy):
    set_cell(data_copy / FUNDING, "company_id", 1, "nosuchcompany")
    assert_refused(data_copy, FUNDING, "'nosuchcompany'", "company_id of companies.csv")


def test_negative_money_and_impossible_date_are_refused(data_copy):
    set_cell(data_copy / FUNDING, "amount_usd_bn", 1, "-5")
    set_cell(data_copy / FUNDING, "fact_date", 2, "2025-02-30")
    set_cell(data_copy / FUNDING, "published_date", 3, "1890-01-01")
    assert_refused(
        data_copy,
        "'-5' is not allowed",
        "at least 0",
        "'2025-02-30' is not valid",
        "at least 1990-01-01",
    )


def test_unknown_category_is_refused_listing_allowed_values(data_copy):
    set_cell(data_copy / FUNDING, "status", 1, "rumour")
    assert_refused(data_copy, "'rumour' is not allowed", "reported")


def test_misspelt_extra_column_in_curated_table_is_refused(data_copy):
    path = data_copy / FUNDING
    rows = read_rows(path)
    rows[0].append("amount_usd_bnn")
    for row in rows[1:]:
        row.append("")
    write_rows(path, rows)
    assert_refused(data_copy, "unknown column", "'amount_usd_bnn'", "did you mean")


def test_missing_data_folder_and_missing_file(tmp_path, data_copy):
    assert_refused(tmp_path / "nowhere", "data folder does not exist")
    (data_copy / "sites.csv").unlink()
    assert_refused(data_copy, "sites.csv", "file is missing")


def test_a_newer_epoch_export_validates_and_its_new_round_reaches_the_facts(data_copy):
    """Epoch adds columns, reorders them and adds rounds; none of that needs a code change."""
    path = data_copy / EPOCH_FUNDING
    rows = read_rows(path)
    header = rows[0]
    new_round = dict.fromkeys(header, "")
    new_round.update(
        {
            "Id": "Jan 2026 Series E",
            "Company": "xAI",
            "Close date": "2026-01-06",
            "Status": "Closed",
            "Funding (equity)": "20000000000",
            "Valuation (post-money)": "230000000000",
            "Report date": "2026-01-06",
            "Source 1": "https://x.ai/news/series-e",
            "Type": "Primary",
            "Confidence": "Confident",
            "Notes": 'Multi-line note\nwith "quotes", commas',
        }
    )
    order = [*list(reversed(header)), "Lead investor"]
    table = [order]
    for row in [*rows[1:], [new_round[c] for c in header]]:
        record = dict(zip(header, row, strict=True))
        table.append([record.get(column, "Valor") for column in order])
    write_rows(path, table)
    assert run_cli("validate", "--data", str(data_copy)).returncode == 0
    facts = run_cli("facts", "--data", str(data_copy), "--format", "csv")
    assert facts.returncode == 0, facts.stderr
    new = [line for line in facts.stdout.splitlines() if "Jan 2026 Series E" in line]
    assert any(':funding_equity",' in line and ",20.0," in line for line in new), new
    assert any(':valuation",' in line and ",230.0," in line for line in new), new


def test_epoch_file_without_a_needed_column_is_refused_by_name(data_copy):
    path = data_copy / "epoch/data_centers.csv"
    rows = read_rows(path)
    drop = rows[0].index("Current power (MW)")
    write_rows(path, [[cell for i, cell in enumerate(row) if i != drop] for row in rows])
    assert_refused(data_copy, "data_centers.csv", "'Current power (MW)'", "required column")


def test_record_ids_are_unique_across_tables_and_claim_ranks_within_a_claim(data_copy):
    rows = read_rows(data_copy / "valuations.csv")
    header = rows[0]
    rows[1][header.index("record_id")] = "val-999"
    rows[2][header.index("claim_id")] = rows[1][header.index("claim_id")]
    rows[2][header.index("claim_rank")] = rows[1][header.index("claim_rank")]
    write_rows(data_copy / "valuations.csv", rows)
    set_cell(data_copy / "sites.csv", "record_id", 1, "val-999")
    timeline = read_rows(data_copy / "timeline.csv")
    unclaimed = next(
        i for i, row in enumerate(timeline[1:], 1) if not row[timeline[0].index("claim_id")]
    )
    set_cell(data_copy / "timeline.csv", "claim_rank", unclaimed, "2")
    output = assert_refused(
        data_copy,
        "'val-999' is also used in",
        "valuations.csv",
        "also given in",
        "claim_id and claim_rank must be given together",
    )
    assert "sites.csv" in output


def test_checks_made_from_one_folder_serve_a_chapter_running_in_another(
    data_copy, tmp_path, monkeypatch
):
    """The build validates from the repository and runs chapters from their own folders: the
    chapters must reuse what the validator typed and checked (no second typing of a large file),
    and still name files relative to where they run."""
    from xaibook.data import checks, table_cache

    monkeypatch.setenv("XAIBOOK_CACHE_DIR", str(tmp_path / "cache"))
    set_cell(data_copy / FUNDING, "company_id", 1, "nosuchcompany")  # one cross-table problem
    monkeypatch.chdir(data_copy.parent)
    first = check_dataset(data_copy)
    assert any(p.file == f"data/{FUNDING}" and "nosuchcompany" in str(p) for p in first.errors)

    typed, checked = [], []
    monkeypatch.setattr(
        table_cache, "_check_table_uncached", lambda *a: typed.append(a) or (None, [])
    )
    monkeypatch.setattr(checks, "_reference_problems", lambda c: checked.append(c) or [])
    monkeypatch.chdir(data_copy)  # a chapter's folder
    second = check_dataset(data_copy, ["companies", "funding_rounds"])
    assert typed == [] and checked == []  # all from the validator's cache
    assert any(p.file == FUNDING and "nosuchcompany" in str(p) for p in second.errors)
    assert not any("investments" in p.file for p in second.problems)  # narrowed to its tables
