"""xaibook.model.valuations: the news reports' valuations and Epoch AI's, one row per figure."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import edited, emptied
from xaibook.data.dataset import Dataset, load_dataset
from xaibook.model import valuations as v
from xaibook.model.claims import UndeclaredTableError

TABLES = v.TABLES


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(tables=TABLES, as_of="2026-11-28")


def by_record(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["record_id"]: row for _, row in frame.iterrows()}


def test_one_news_row_per_claim_then_epochs_rows_of_known_companies(shipped):
    frame = v.valuations(shipped)
    news = frame[frame["figure_source"] == v.NEWS]
    claims = shipped.tables["valuations"]["claim_id"].dropna().unique()
    assert len(news) == len(claims) and news["claim_id"].is_unique
    assert "val-002" not in set(news["record_id"])  # rank 2 of the Series E claim
    epoch = frame[frame["figure_source"] == v.EPOCH]
    assert set(epoch["company_id"]) == {"xai", "openai", "anthropic"}  # Mistral: not a company
    assert list(frame["figure_source"]) == sorted(frame["figure_source"], reverse=True)  # news 1st
    assert news["epoch_basis"].isna().all() and epoch["basis"].isna().all()


def test_epoch_rows_keep_their_day_their_status_and_a_basis_code(shipped):
    rows = by_record(v.valuations(shipped))
    series_c = rows["Dec 2024 Series C"]
    assert series_c["fact_date"] == pd.Timestamp("2024-11-20")  # not the Id's "Dec 2024"
    assert series_c["fact_date_precision"] == "day"
    assert (series_c["valuation_usd_bn"], series_c["epoch_basis"]) == (45.0, "closed")
    talks = rows["Sep 2025 10B"]
    assert not talks["is_closed"] and talks["epoch_basis"] == "late discussions"
    assert rows["14B tender"]["epoch_basis"] == "secondary"
    assert rows["June 2025 10B Raise"]["epoch_basis"] == "debt"
    assert rows["Mar 2025 80B X merger"]["epoch_basis"] == "other"
    assert set(v.valuations(shipped)["epoch_basis"].dropna()) <= set(v.EPOCH_BASES)


@pytest.mark.parametrize(
    ("status", "kind", "code"),
    [
        ("Closed", "Primary", "closed"),
        ("closed ", "Secondary", "secondary"),
        ("Rumored", "Primary", "rumored"),
        ("Withdrawn", "Primary", v.NOT_CLOSED),
        (None, None, "closed"),
        (float("nan"), "Other", "other"),
    ],
)
def test_epoch_basis(status, kind, code):
    assert v.epoch_basis(status, kind) == code


def test_latest_is_the_newest_figure_and_a_tie_goes_to_the_news_report(shipped):
    xai = v.latest(shipped, ["xai"]).iloc[0]
    assert (xai["record_id"], xai["valuation_usd_bn"]) == ("val-001", 230.0)
    closed = v.latest(shipped, ["xai"], source=v.EPOCH, closed_only=True).iloc[0]
    assert closed["record_id"] == "June 2025 10B Raise"
    newest_epoch = v.latest(shipped, ["xai"], source=v.EPOCH).iloc[0]
    assert newest_epoch["record_id"] == "Sep 2025 10B"  # talks count unless closed_only
    # an Epoch figure on the same day as the news report's: the news report wins
    epoch = shipped.tables["epoch_funding_rounds"].copy()
    epoch.loc[epoch["round_key"] == "Sep 2025 10B", "fact_date"] = xai["fact_date"]
    tied = v.latest(edited(shipped, epoch_funding_rounds=epoch), ["xai"]).iloc[0]
    assert tied["record_id"] == "val-001"


def test_latest_gives_one_row_per_company_in_id_order(shipped):
    board = v.latest(shipped)
    assert board["company_id"].is_unique
    assert list(board["company_id"]) == sorted(board["company_id"])
    assert v.latest(shipped, ["nobody"]).empty
    peers = v.latest(shipped, ("openai", "anthropic"), source=v.NEWS)
    assert dict(zip(peers["company_id"], peers["valuation_usd_bn"], strict=True)) == {
        "anthropic": 350.0,
        "openai": 830.0,
    }


def test_empty_tables_give_empty_frames(shipped):
    empty = emptied(shipped, "valuations", "epoch_funding_rounds")
    assert v.valuations(empty).empty and list(v.valuations(empty).columns) == v.COLUMNS
    assert v.latest(empty, ["xai"]).empty
    assert v.for_round(empty, "xai-2025-12-round").empty
    news_only = emptied(shipped, "epoch_funding_rounds")
    assert set(v.valuations(news_only)["figure_source"]) == {v.NEWS}


def test_for_round_lists_every_report_best_ranked_first(shipped):
    rows = v.for_round(shipped, "xai-2025-12-round")
    assert list(rows["record_id"]) == ["val-001", "val-002", "val-003"]
    assert v.for_round(shipped, "no-such-round").empty
    assert v.for_round(shipped, "xai-2025-12-round", "openai").empty


def test_a_table_the_chapter_did_not_load_is_an_error():
    data = load_dataset(tables=("companies", "valuations"))
    with pytest.raises(UndeclaredTableError, match="epoch_funding_rounds"):
        v.valuations(data)


# --- like with like: what each figure is, X, words, the combination (issue 11) -----------------


def test_every_figure_says_what_kind_of_valuation_it_is(shipped):
    rows = by_record(v.valuations(shipped))
    assert set(v.valuations(shipped)["round_kind"]) <= set(v.ROUND_KINDS)
    assert rows["val-001"]["round_kind"] == v.CLOSED_ROUND  # the Series E's own figure
    assert rows["val-006"]["round_kind"] == v.REPORTED  # OpenAI $830bn: basis not stated
    assert rows["val-012"]["round_kind"] == v.MERGER
    assert rows["2025 500B tender"]["round_kind"] == v.TENDER  # raised no new money
    assert rows["Sep 2025 10B"]["round_kind"] == v.TALKS  # late discussions
    assert rows["Microsoft/Nvidia"]["round_kind"] == v.TALKS
    assert rows["Sep 2025 183B Series F"]["round_kind"] == v.CLOSED_ROUND


def test_xais_figures_include_x_from_the_merger_on(shipped):
    frame = v.valuations(shipped)
    rows = by_record(frame)
    assert v.x_merger_date(frame) == pd.Timestamp("2025-03-01")
    assert rows["Dec 2024 Series C"]["x_basis"] == v.EXCL_X
    for record in ("June 2025 10B Raise", "Sep 2025 10B", "val-001", "val-012"):
        assert rows[record]["x_basis"] == v.INCL_X, record
    assert frame.loc[frame["company_id"] != "xai", "x_basis"].isna().all()


def test_a_figure_given_in_words_is_marked_and_epochs_hedges_are_kept(shipped):
    rows = by_record(v.valuations(shipped))
    assert rows["val-013"]["in_words"]  # "less than a third of that"
    assert not rows["val-001"]["in_words"]
    assert rows["June 2025 10B Raise"]["value_qualifier"] == "approx"  # "believed to be"
    assert rows["Sep 2025 183B Series F"]["value_qualifier"] == "exact"
    assert v.epoch_qualifier('"just south" of $500M') == "less_than"
    assert v.epoch_qualifier('fine.\n\nFull quote: "believed to be"') == "exact"
    # the whole-column form gives what the one-note form gives, row for row
    notes = pd.Series(
        ['"just south" of $500M', 'fine.\n\nFull quote: "believed to be"', None,
         "what was believed to be a roughly $150 billion valuation", "JUST SOUTH OF", ""],
        dtype="string",
    )  # fmt: skip
    assert list(v.epoch_qualifiers(notes)) == [v.epoch_qualifier(n) for n in notes]
    assert list(v.epoch_qualifiers(notes)) == [
        "less_than", "exact", "exact", "approx", "less_than", "exact"
    ]  # fmt: skip
    assert v.stated_in_words("worth less than a third of that")
    assert not v.stated_in_words("valued at $230 billion")


def test_the_combination_with_spacex_is_known_only_from_its_source_date():
    tables = (*TABLES, *v.COMBINATION_TABLES)
    later = load_dataset(tables=tables, as_of="2026-11-28")
    event = v.combination(later)
    assert event["fact_date"] == pd.Timestamp("2026-05-06")
    assert event["source_id"] == "techcrunch2026neocloud"
    assert v.combination(load_dataset(tables=tables, as_of="2026-05-05")) is None
    with pytest.raises(UndeclaredTableError):
        v.combination(load_dataset(tables=TABLES, as_of="2026-11-28"))


def test_a_hedge_on_the_figures_own_amount_makes_it_about(shipped):
    rows = by_record(v.valuations(shipped))
    # Epoch's note quotes CNBC: "pushed Anthropic's valuation to the range of $350 billion"
    assert rows["Microsoft/Nvidia"]["value_qualifier"] == "approx"
    # and the WSJ: "valuing the company at approximately $500 billion"
    assert rows["2025 500B tender"]["value_qualifier"] == "approx"
    assert rows["Sep 2025 183B Series F"]["value_qualifier"] == "exact"
    notes = pd.Series(
        ["valued at approximately $500 billion", "up from about $183 billion", None,
         "in the range of $1.5 trillion", "roughly $350B"],
        dtype="string",
    )  # fmt: skip
    values = pd.Series([500.0, 350.0, 350.0, 1500.0, 350.0])
    # a hedge on another amount (the earlier $183 billion) does not hedge this one
    assert list(v.hedges_own_amount(notes, values)) == [True, False, False, True, True]
