"""Risk chapter: the runway model by hand, its scenarios, and what readers see on the data."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from tools import synth
from xaibook import paths, prose
from xaibook.analysis import risk
from xaibook.analysis.common import labels
from xaibook.chapters import CHAPTERS_BY_SLUG
from xaibook.data.dataset import Dataset, load_dataset

TABLES = CHAPTERS_BY_SLUG["risk"].tables
TODAY = "2026-11-28"  # a fixed edition date after every shipped source
EARLY = "2025-12-31"  # before the Series E closed, UBS's estimate and TechCrunch's article
DEFAULTS = {
    "monthly_spend_usd_bn": 1.0,
    "starting_cash_usd_bn": 20.0,
    "annual_revenue_growth_pct": 100.0,
    "new_funding_usd_bn_per_year": 0.0,
    "horizon_months": 36,
}


def model(**changes: float) -> risk.Assumptions:
    values = {**DEFAULTS, "starting_revenue_usd_bn": 0.0, **changes}
    return risk.Assumptions(**values)


@pytest.fixture(scope="module")
def data():
    return load_dataset(tables=TABLES, as_of=TODAY)


@pytest.fixture(scope="module")
def early():
    return load_dataset(tables=TABLES, as_of=EARLY)


def base_for(dataset, **changes: float) -> risk.Assumptions:
    return risk.base_assumptions(dataset, **{**DEFAULTS, **changes})


TEMPLATE = prose.template_file(paths.CHAPTERS_DIR / "risk.ipynb")


def passage(macro: str, **values: object) -> str:
    """A passage of chapters/risk.md.j2, as the notebook glues it."""
    return prose.render(TEMPLATE, macro, **values)


def title(macro: str, **values: object) -> str:
    """A chart title of chapters/risk.md.j2, as the notebook passes it to the chart."""
    return prose.render_text(TEMPLATE, macro, **values)


def runway_passages(dataset, base: risk.Assumptions) -> dict[str, str]:
    """The runway section's passages, rendered as the notebook renders them."""
    return {
        "starting_revenue": passage("starting_revenue", v=risk.starting_revenue_values(dataset)),
        "starting_cash": passage("starting_cash", v=risk.starting_cash_values(dataset, base)),
        "base_scenario": passage("base_scenario", v=risk.base_scenario_values(dataset, base)),
        "scenarios": passage("scenarios", scenarios=risk.scenario_values(dataset, base), base=base),
        "what_would_change": passage("what_would_change", v=risk.what_would_change_values(base)),
    }


def chart_titles(dataset, base: risk.Assumptions) -> list[str]:
    return [
        title("runway_title", r=risk.runway(dataset, base)),
        title("revenue_spending_title", ratios=risk.spend_ratios(dataset)),
        title("financing_title", shares=risk.leverage(dataset) or {}),
        title("risk_title", top=risk.top_risk(dataset), max_chars=risk.TITLE_MAX_CHARS),
    ]


def all_text(dataset, base: risk.Assumptions) -> str:
    """Every sentence the chapter glues, and its chart titles."""
    return "\n".join(
        [
            risk.findings(dataset, base),
            *runway_passages(dataset, base).values(),
            *chart_titles(dataset, base),
            passage("burn_comparison", v=risk.burn_values(dataset)),
            passage("x_dependence", v=risk.x_dependence_values(dataset)),
            passage("leverage", v=risk.leverage_values(dataset)),
            passage("regulation", v=risk.regulation_values(dataset)),
            passage("usage", v=risk.usage_values(dataset)),
            passage("governance", items=risk.governance_items(dataset)),
            passage("register_summary", v=risk.register_summary(dataset)),
            risk.evidence_list(dataset),
        ]
    )


def assert_readable(text: str) -> None:
    assert not re.search(r"\bnan\b|\bNone\b|not reported (billion|million|trillion)", text)
    assert "$-" not in text


# 1. The runway model, checked by hand ----------------------------------------------------------


def test_zero_spending_lasts_beyond_the_horizon():
    assert risk.runway_months(model(monthly_spend_usd_bn=0.0)) is None


def test_spending_more_than_the_cash_runs_out_in_month_one():
    assert risk.runway_months(model(starting_cash_usd_bn=0.5, monthly_spend_usd_bn=1.0)) == 1


def test_cash_reaching_exactly_zero_has_not_run_out():
    # 10 - 10 x 1 = 0 after month 10; below zero only in month 11
    assert risk.runway_months(model(starting_cash_usd_bn=10.0)) == 11


def test_revenue_and_funding_enter_as_twelfths():
    assert (
        risk.runway_months(model(starting_revenue_usd_bn=12.0, annual_revenue_growth_pct=0)) is None
    )
    assert (
        risk.runway_months(model(starting_cash_usd_bn=0.0, new_funding_usd_bn_per_year=12.0))
        is None
    )


def test_revenue_compounds_monthly_at_the_annual_rate():
    path = risk.simulate_cash(model(starting_revenue_usd_bn=1.0, annual_revenue_growth_pct=100))
    assert path.loc[path["month"] == 12, "revenue_usd_bn"].item() == pytest.approx(2.0)
    assert len(path) == DEFAULTS["horizon_months"] + 1  # month 0 to the horizon


def test_growth_makes_the_runway_longer():
    flat = risk.runway_months(model(starting_revenue_usd_bn=2.0, annual_revenue_growth_pct=0))
    growing = risk.runway_months(model(starting_revenue_usd_bn=2.0, annual_revenue_growth_pct=200))
    assert flat is not None
    assert growing is None or growing > flat


def test_what_it_would_take_lasts_exactly_the_horizon():
    base = model(starting_revenue_usd_bn=1.0)
    growth = risk.growth_needed(base)
    assert risk.runway_months(dataclasses.replace(base, annual_revenue_growth_pct=growth)) is None
    spend = risk.spend_limit(base)
    assert spend < base.monthly_spend_usd_bn
    assert risk.runway_months(dataclasses.replace(base, monthly_spend_usd_bn=spend * 0.999)) is None
    funding = risk.funding_needed(base)
    changed = dataclasses.replace(base, new_funding_usd_bn_per_year=funding)
    assert risk.runway_months(changed) is None


# 2. Scenarios follow the parameters -------------------------------------------------------------


def test_base_scenario_equals_the_parameters(data):
    base = base_for(data)
    scenarios = risk.scenario_assumptions(base)
    assert scenarios["base"] == base
    assert base.monthly_spend_usd_bn == DEFAULTS["monthly_spend_usd_bn"]
    assert base.horizon_months == DEFAULTS["horizon_months"]
    stress = scenarios["stress"]
    assert stress.monthly_spend_usd_bn == pytest.approx(1.5)
    assert stress.annual_revenue_growth_pct == pytest.approx(50)


def test_a_worse_multiplier_deepens_a_decline():
    assert risk.scale_growth(-20, 0.5) == pytest.approx(-40)
    assert risk.scale_growth(-80, 0.5) == -100  # revenue cannot fall more than all of it
    assert risk.scale_growth(-30, 1.5) == pytest.approx(-20)


def test_a_parameter_change_moves_the_chapter(data):
    default, doubled = base_for(data), base_for(data, monthly_spend_usd_bn=2.0)
    assert risk.runway_months(doubled) < risk.runway_months(default)
    values = risk.base_scenario_values(data, doubled)
    assert values["assumptions"].monthly_spend_usd_bn == 2.0
    assert values["runway"]["months"] == risk.runway_months(doubled)
    # 36Kr's $1bn a month no longer backs the assumption
    assert "kr2025xai" in risk.model_sources(data, default)
    assert "kr2025xai" not in values["source_ids"]
    assert "kr2025xai" not in passage("base_scenario", v=values)
    assert risk.findings_values(data, doubled)["coverage"]["assumed_yearly"] == 24.0
    assert risk.findings_values(data, default)["coverage"]["assumed_yearly"] is None
    columns, names = labels("risk", "scenario_columns"), labels("risk", "scenario_names")
    table = risk.scenario_table(data, doubled)
    assert list(table.columns) == list(columns.values())
    stress = table.set_index(columns["scenario"]).loc[names["stress"]]
    assert stress[columns["spend"]] == "$3 billion"
    lines = set(risk.runway_frame(data, doubled)["scenario"])
    (base_line,) = [line for line in lines if line.startswith(names["base"])]
    assert "$2 billion" in base_line  # the line names the spending it assumes


# 3. On the shipped data -----------------------------------------------------------------------


def test_findings_today(data):
    base = base_for(data)
    values = risk.findings_values(data, base)
    assert values["runway"]["base"]["months"] == 25
    assert values["runway"]["stress"]["months"] == 15
    assert values["coverage"]["share"] == pytest.approx(100 / 12)  # about 8%
    assert values["x"]["share"] == pytest.approx(84.375)
    shares = values["leverage"]["shares"]
    assert round(shares["debt_pct"]) == 12 and round(shares["if_reported_pct"]) == 42
    assert [r["score"] for r in values["risks"]] == [20, 16, 16]
    assert values["risks"][0]["risk"] == "Revenue far below spending (cash burn)"
    text = risk.findings(data, base)
    assert text.count("\n- ") == 4  # five bullets, the first the introduction's lead
    for source in {*values["runway"]["source_ids"], *values["leverage"]["counted_source_ids"]}:
        assert source in text
    assert_readable(all_text(data, base))


def test_starting_revenue_is_ubs_today_and_epoch_before_it_was_published(data, early):
    today = risk.starting_revenue(data)
    assert (today.value_usd_bn, today.record) == (1.0, "met-001")
    before = risk.starting_revenue(early)
    assert before.value_usd_bn == 0.5 and before.source_id == "epoch2025aicompanies"
    values = risk.starting_revenue_values(early)
    assert values["start"]["kind"] == "epoch_run_rate"
    assert values["start"]["source_id"] == "epoch2025aicompanies"
    others = values["others"]
    assert [other["kind"] for other in others] == ["standalone"]  # 36Kr's figure, too
    assert others[0]["source_id"] == "kr2025xai" and others[0]["period"] == "2025"
    assert "UBS" not in {other["estimated_by"] for other in others}
    sentence = passage("starting_revenue", v=values)
    assert "epoch2025aicompanies" in sentence and "kr2025xai" in sentence
    today = risk.starting_revenue_values(data)
    assert (today["start"]["kind"], today["start"]["estimated_by"]) == ("run_rate", "UBS")
    assert {"epoch_run_rate", "standalone"} <= {other["kind"] for other in today["others"]}


def test_starting_cash_says_whether_the_series_e_has_closed(data, early):
    today = risk.starting_cash_values(data, base_for(data))["round"]
    assert today["closed"] and today["matches"] and "Series E" in today["phrase"]
    assert today["source_id"] in passage("starting_cash", v={"cash": 20.0, "round": today})
    before = risk.starting_cash_values(early, base_for(early))["round"]
    assert not before["closed"] and before["matches"]
    assert before["date"].strftime("%Y-%m") == "2025-12"
    assert "Series E" not in passage("starting_cash", v={"cash": 20.0, "round": before})
    other = risk.starting_cash_values(data, base_for(data, starting_cash_usd_bn=5.0))["round"]
    assert other["closed"] and not other["matches"]


def test_early_edition_reads_without_later_sources(early):
    base = base_for(early)
    text = all_text(early, base)
    assert_readable(text)
    assert "techcrunch2026neocloud" not in text and "hu2026xai" not in text
    # 36Kr's word on user growth (December 2025) is known; the rental (May 2026) is not
    usage = risk.usage_values(early)
    assert [group["source_id"] for group in usage["usage"]] == ["kr2025xai"]
    assert usage["leased"] == []
    assert risk.runway_months(base) == 22
    evidence = risk.risk_register_table(early)
    assert len(evidence) == 6
    column = labels("risk", "register_columns")["evidence"]
    assert not evidence[column].str.contains("UBS").any()


def test_revenue_spending_chart_compares_xai_with_its_peers(data):
    frame = risk.revenue_spending_frame(data, base_for(data))
    spend = frame[(frame["company"] == "xAI") & (frame["measure"] == "spending")]
    assert spend["usd_bn_per_year"].tolist() == [12.0]
    assert {"OpenAI", "Anthropic"} <= set(frame["company"])
    assert frame["source_id"].notna().all()
    ratios = risk.spend_ratios(data)
    assert ratios["xai"] == pytest.approx(12.0)
    lead = max(risk.peer_burn(data), key=lambda peer: peer.revenue_usd_bn)
    assert ratios["revenue_lead"]["company"] == lead.company
    # both run-rates Epoch's: OpenAI's $13 billion over xAI's less than $500 million
    assert ratios["revenue_lead"]["multiple"] == pytest.approx(lead.revenue_usd_bn / 0.5)


def test_burn_comparison_sets_xai_beside_its_peers(data):
    burn = risk.burn_values(data)
    assert (burn["spend"]["kind"], burn["revenue"]["kind"]) == ("spend", "run_rate")
    assert burn["yearly"] == 12.0
    assert burn["share"] == pytest.approx(100 / 12) and burn["ratio"] == pytest.approx(12)
    assert {peer["company"] for peer in burn["peers"]} == {"OpenAI", "Anthropic"}
    assert burn["revenue_lead"]["company"] == "OpenAI"
    text = passage("burn_comparison", v=burn)
    for source in ("kr2025xai", "hu2026xai", "epoch2025aicompanies"):
        assert source in text


def test_x_dependence_cites_each_run_of_one_source_once(data):
    values = risk.x_dependence_values(data)
    assert values["share"] == pytest.approx(84.375)
    assert (values["alone"]["kind"], values["incl_x"]["kind"]) == ("standalone", "incl_x")
    groups = values["distribution"]
    assert [group["source_id"] for group in groups] == ["zoonop2025spacex", "kr2025xai"]
    assert [len(group["texts"]) for group in groups] == [1, 2]
    # cited after each of its two figures, and once after its run of two texts
    assert passage("x_dependence", v=values).count("kr2025xai") == 3


def test_revenue_chart_shows_the_assumption_when_it_differs_from_the_data(data):
    frame = risk.revenue_spending_frame(data, base_for(data, monthly_spend_usd_bn=2.0))
    spending = frame[(frame["company"] == "xAI") & (frame["measure"] == "spending")]
    assert spending["usd_bn_per_year"].tolist() == [12.0, 24.0]  # the data's, then the model's
    assert spending["source_id"].isna().tolist() == [False, True]  # an assumption has no source
    assert spending["label"].nunique() == 2


def test_x_share_and_leverage(data, early):
    share, alone, incl_x = risk.x_share(data)
    assert share == pytest.approx(84.375)
    assert (alone.value_usd_bn, incl_x.value_usd_bn) == (0.5, 3.2)
    shares = risk.leverage(data)
    assert shares["debt_pct"] == pytest.approx(5 / 42 * 100)  # the Series E counted as equity
    assert shares["if_reported_pct"] == pytest.approx(17.5 / 42 * 100)
    before = risk.leverage(early)  # the round being raised is in no total
    assert before["debt_pct"] == pytest.approx(5 / 22 * 100)
    assert before["if_reported_pct"] == pytest.approx(17.5 / 42 * 100)
    frame = risk.financing_frame(early)
    assert (
        frame["round_label"].str.endswith("(raising)").any()
    )  # the model's label of a round not closed


def test_leverage_tells_each_round_without_a_confirmed_split(data, early):
    today = risk.leverage_values(data)
    assert today["any_rounds"] and today["shares"] == risk.leverage(data)
    assert [r["case"] for r in today["unconfirmed"]] == ["other_report"]
    assert today["unconfirmed"][0]["unconfirmed_debt"] == 12.5
    before = risk.leverage_values(early)
    assert "raising_with_debt" in [r["case"] for r in before["unconfirmed"]]
    assert today["strategic_investors"]  # suppliers that invest, outside Musk's companies
    text = passage("leverage", v=today)
    for source in [*today["counted_source_ids"], *today["strategic_source_ids"]]:
        assert source in text
    assert_readable(passage("leverage", v=risk.leverage_values(emptied(data))))


def test_risk_chart_ranks_the_register(data):
    frame = risk.risk_chart_frame(data)
    assert len(frame) == 13
    assert frame["score"].is_monotonic_decreasing
    assert frame.iloc[0]["risk"] == "Revenue far below spending (cash burn)"
    assert risk.top_risk(data) == {"risk": "Revenue far below spending (cash burn)", "score": 20}
    # a name too long for the chart's title leaves only the score in it
    long = {"risk": "A risk named at such length that no chart title could hold it", "score": 9}
    assert long["risk"] not in title("risk_title", top=long, max_chars=risk.TITLE_MAX_CHARS)
    assert "9" in title("risk_title", top=long, max_chars=risk.TITLE_MAX_CHARS)


def test_register_summary_names_the_top_scores_and_their_sources(data, early):
    summary = risk.register_summary(data)
    assert summary["count"] == 13 and summary["top_categories"] == ["financial"]
    assert summary["top"] == {
        "names": ["Revenue far below spending (cash burn)"],
        "source_ids": ["kr2025xai"],
        "score": 20,
    }
    assert len(summary["next"]["names"]) == 2 and summary["next"]["score"] == 16
    assert set(summary["next"]["source_ids"]) == {"kr2025xai", "hu2026xai"}
    assert "hu2026xai" in passage("register_summary", v=summary)
    assert len(risk.register_summary(early)["next"]["names"]) == 1
    assert risk.register_summary(emptied(data)) is None
    assert_readable(passage("register_summary", v=None))


def test_regulation_sets_xai_stance_against_its_rivals(data):
    values = risk.regulation_values(data)
    assert [group["source_id"] for group in values["stance"]] == ["kr2025xai"]
    assert values["rivals"] and values["rivals_shown"] == values["rivals_total"]
    assert all(rival["names"] and rival["source_ids"] for rival in values["rivals"])
    assert values["events"] and values["events_total"] == len(values["events"])
    text = passage("regulation", v=values)
    for event in values["events"]:
        assert event["source_id"] in text
    assert "40" in passage("regulation", v={**values, "events_total": 40})  # said how many
    nothing = {**values, "stance": [], "rivals": [], "events": [], "benchmark": []}
    assert_readable(passage("regulation", v=nothing))


def test_governance_lists_each_dealing_with_its_source(data):
    items = risk.governance_items(data)
    kinds = [item["kind"] for item in items]
    assert kinds[0] == "investment" and {"event", "pay", "claim"} <= set(kinds)
    investment = items[0]
    assert (investment["investor"], investment["amount"]) == ("SpaceX", 2.0)
    text = passage("governance", items=items)
    assert text.count("\n- ") == len(items)  # one item each
    for item in items:
        for source_id in item.get("source_ids") or [item["source_id"]]:
            assert source_id in text
    assert_readable(passage("governance", items=[]))


def test_usage_names_the_capacity_leased_to_a_rival(data):
    usage = risk.usage_values(data)
    # 36Kr: user growth has not gone much beyond Musk's own companies; TechCrunch: plummeting
    assert [group["source_id"] for group in usage["usage"]] == [
        "kr2025xai", "techcrunch2026neocloud"
    ]  # fmt: skip
    (site,) = usage["leased"]
    assert (site["tenant"], site["source_id"]) == ("Anthropic", "techcrunch2026neocloud")
    assert site["power_mw"] is not None
    assert_readable(passage("usage", v={"usage": [], "leased": []}))


def test_evidence_is_cited_by_the_rows_own_sources(data):
    text = risk.evidence_list(data)
    line = next(item for item in text.splitlines() if "Governance" in item)
    assert "zoonop2025spacex" in line and "techcrunch2026neocloud" in line
    # 003 gives no date of its own: its events are dated by the month of publication
    assert "(by May 2026)" in line and "6 May" not in line
    # the SpaceX combination is dated only by publication: the phrase says "by" that date
    values = next(r for r in risk.evidence_list_values(data) if "Governance" in r["risk"])
    events = [e for group in values["evidence"] for e in group["texts"] if e["table"] == "timeline"]
    assert [e["by"] for e in events if e["date"] == pd.Timestamp("2026-05-06")] == [True]
    # each run of rows from one source is cited once, by that source
    for group in values["evidence"]:
        assert {e["source_id"] for e in group["texts"]} == {group["source_id"]}


def test_register_table_keeps_to_a_few_phrases_and_names_its_sources(data):
    table = risk.risk_register_table(data)
    columns = labels("risk", "register_columns")
    assert list(table.columns) == list(columns.values())
    top = table.iloc[0]
    assert top[columns["risk"]] == "Revenue far below spending (cash burn)"
    assert (top[columns["likelihood"]], top[columns["impact"]], top[columns["score"]]) == (4, 5, 20)
    # six evidence rows: the first two in words, then how many more the list below gives
    phrases = top[columns["evidence"]].split("; ")
    assert len(phrases) == risk.REGISTER_MAX_PHRASES + 1
    assert phrases[-1] == risk._plain("register_more", count=4)
    assert top[columns["sources"]].split("; ") == ["胡珈萌 (Hu Jiameng), 2026b", "36Kr, 2025"]
    for dataset in (data, emptied(data)):
        assert_readable(risk.risk_register_table(dataset).to_csv(index=False))


def test_every_row_a_risk_can_cite_is_worded(data):
    """Each row of each table the register may point at gives a phrase and a short cell."""
    for table in dict.fromkeys(risk.RECORD_TABLES.values()):
        for record_id in data.tables[table]["record_id"]:
            values = risk.record_values(data, record_id)
            assert values["table"] == table and values["source_id"]
            phrase, source = risk.describe_record(data, record_id)
            assert phrase and source == values["source_id"]
            assert_readable(phrase)
            assert_readable(risk.short_evidence(data, record_id))
    assert risk.record_values(data, "met-not-in-the-data") is None


@pytest.mark.parametrize("months", [36, 240])
def test_chart_titles_fit_the_chart(data, early, months):
    for dataset in (data, early, emptied(data)):
        titles = chart_titles(dataset, base_for(dataset, horizon_months=months))
        assert all(len(text) <= risk.TITLE_MAX_CHARS for text in titles), titles


def test_what_would_change_gives_each_way_to_last_the_horizon(data):
    short = risk.what_would_change_values(base_for(data))
    assert short["months"] == 25 and short["has_revenue"]
    assert short["growth_needed"] > short["growth"]
    assert short["spend_limit"] < short["spend"]
    assert short["funding_needed"] > 0
    lasting = risk.what_would_change_values(base_for(data, monthly_spend_usd_bn=0.1))
    assert lasting["months"] is None and "spend_limit" not in lasting
    assert_readable(passage("what_would_change", v=lasting))


def test_scenarios_follow_the_base_and_name_funding_only_when_there_is_some(data):
    base = base_for(data)
    scenarios = risk.scenario_values(data, base)
    assert [s["key"] for s in scenarios] == ["stress", "upside"]
    stress = risk.apply_scenario(base, risk.SCENARIOS_BY_KEY["stress"])
    assert scenarios[0]["runway"]["months"] == risk.runway_months(stress) == 15
    assert scenarios[1]["runway"]["months"] is None
    assert scenarios[1]["runway"]["end_cash"] > 0
    funded = base_for(data, new_funding_usd_bn_per_year=5.0)
    no_funding = passage("scenarios", scenarios=scenarios, base=base)
    with_funding = passage("scenarios", scenarios=risk.scenario_values(data, funded), base=funded)
    assert len(with_funding) > len(no_funding)  # the funding multipliers, said only then
    column = labels("risk", "scenario_columns")["multipliers"]
    stress_key = risk.SCENARIOS_BY_KEY["stress"]
    cells = [risk.scenario_table(data, b)[column].iloc[1] for b in (base, funded)]
    assert cells[0] == risk._plain("scenario_multipliers", s=stress_key, funded=False)
    assert cells[1] == risk._plain("scenario_multipliers", s=stress_key, funded=True)
    assert cells[0] != cells[1]


# 4. Odd data: empty tables, xAI missing, tables not loaded ---------------------------------------


def emptied(dataset):
    tables = {name: frame.iloc[0:0] for name, frame in dataset.tables.items()}
    return dataclasses.replace(dataset, tables=tables)


def without_xai(dataset):
    tables = {}
    for name, frame in dataset.tables.items():
        keep = pd.Series(True, index=frame.index)
        for column in ("company_id", "investor_company_id", "owner_company_id"):
            if column in frame:
                keep &= frame[column].fillna("") != "xai"
        if "company" in frame:
            keep &= frame["company"].fillna("") != "xAI"
        tables[name] = frame[keep]
    return dataclasses.replace(dataset, tables=tables)


@pytest.mark.parametrize("damage", [emptied, without_xai])
def test_odd_data_gives_honest_sentences(data, damage):
    dataset = damage(data)
    base = base_for(dataset)
    assert base.starting_revenue_usd_bn == 0.0
    text = all_text(dataset, base)
    assert_readable(text)
    assert risk.starting_revenue_values(dataset) == {"start": None, "others": []}
    assert risk.starting_cash_values(dataset, base)["round"] is None
    assert risk.spend_ratios(dataset)["xai"] is None
    assert risk.findings(dataset, base).count("\n- ") == 4
    assert risk.financing_frame(dataset).empty
    assert len(risk.runway_frame(dataset, base)) == 3 * (DEFAULTS["horizon_months"] + 1)
    assert risk.headline(dataset, base)


def test_passages_without_data_say_so_plainly():
    texts = [
        passage("starting_revenue", v={"start": None, "others": []}),
        passage("starting_cash", v={"cash": 20.0, "round": None}),
        title("revenue_spending_title", ratios={"xai": None, "revenue_lead": None}),
        title("financing_title", shares={}),
        title("risk_title", top=None, max_chars=risk.TITLE_MAX_CHARS),
    ]
    for text in texts:
        assert text and "cite" not in text
        assert_readable(text)


def test_empty_register_and_long_horizon(data):
    dataset = emptied(data)
    assert risk.risk_chart_frame(dataset).empty
    assert risk.top_risk(dataset) is None
    table = risk.risk_register_table(dataset)
    column = labels("risk", "register_columns")["risk"]
    assert table[column].tolist() == [labels("risk", "register_cells")["no_risks"]]
    long = base_for(data, horizon_months=240)
    frame = risk.runway_frame(data, long)
    assert frame.groupby("scenario").size().max() <= risk.CHART_MAX_POINTS_PER_LINE + 2


# 5. Scale: many more companies, rounds and statements than the book discusses ----------------

LARGE_FUNDING_ROWS = 2_000  # Epoch funding rows: every other table grows in proportion


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """The shipped data plus thousands of synthetic rows about made-up companies."""
    out = tmp_path_factory.mktemp("risk-synth") / "data"
    synth.generate(paths.DATA_DIR, out, LARGE_FUNDING_ROWS, seed=11)
    return load_dataset(out, tables=TABLES, as_of=TODAY)


def test_a_large_dataset_keeps_every_output_bounded(data, large, monkeypatch):
    assert len(large.tables["companies"]) > 20 * len(data.tables["companies"])
    # names are looked up, not rebuilt into a dict of every company per name asked for
    calls = []
    monkeypatch.setattr(Dataset, "company_names", lambda self: calls.append(1) or {})
    base, shipped = base_for(large), base_for(data)
    # xAI's own numbers do not depend on how many other companies the data holds
    assert risk.headline(large, base) == risk.headline(data, shipped)
    texts = {
        "findings": lambda d, b: risk.findings(d, b),
        "burn": lambda d, _: passage("burn_comparison", v=risk.burn_values(d)),
        "leverage": lambda d, _: passage("leverage", v=risk.leverage_values(d)),
        "regulation": lambda d, _: passage("regulation", v=risk.regulation_values(d)),
        "usage": lambda d, _: passage("usage", v=risk.usage_values(d)),
        "governance": lambda d, _: passage("governance", items=risk.governance_items(d)),
        "evidence": lambda d, _: risk.evidence_list(d),
    }
    texts = {name: (text(large, base), text(data, shipped)) for name, text in texts.items()}
    for name, (text, shipped_text) in texts.items():
        assert_readable(text)
        assert len(text) <= len(shipped_text) + 1_000, name  # a few more names at most
    # rivals on alignment: a few, the newest statements, and the reader is told how many
    values = risk.regulation_values(large)
    assert values["rivals_shown"] == risk.MAX_RIVALS < values["rivals_total"]
    assert len({name for rival in values["rivals"] for name in rival["names"]}) == risk.MAX_RIVALS
    assert len(values["events"]) <= risk.MAX_EVENTS
    regulation = texts["regulation"][0]
    assert str(values["rivals_total"]) in regulation  # the reader is told how many there are
    assert regulation.count("Synthetic AI") <= risk.MAX_RIVALS
    # related-party dealings and strategic investors stay those in xAI's rounds
    assert risk.governance_items(large) == risk.governance_items(data)
    assert texts["leverage"][0] == texts["leverage"][1]
    frames = {
        "runway": (risk.runway_frame(large, base), 3 * (base.horizon_months + 1)),
        "burn": (risk.revenue_spending_frame(large, base), 12),
        "financing": (risk.financing_frame(large), 2 * len(risk.financing_rounds(data))),
        "risks": (risk.risk_chart_frame(large), len(risk.risk_chart_frame(data))),
        "register": (risk.risk_register_table(large), len(risk.risk_register_table(data))),
    }
    for name, (frame, limit) in frames.items():
        assert len(frame) <= limit, name
    assert not calls


def test_the_spending_title_names_whose_revenue_it_divides_by(data, early):
    # the edition holds several estimates of xAI's revenue (UBS's, Epoch's, 36Kr's): a multiple
    # in a title says which one it used, and of when
    today = title("revenue_spending_title", ratios=risk.spend_ratios(data))
    # both inputs are estimates: "about"
    assert today.startswith("xAI spends about 12× its revenue (UBS, January 2026)"), today
    then = title("revenue_spending_title", ratios=risk.spend_ratios(early))
    assert "its revenue (Epoch AI, July 2025)" in then, then


def test_a_sale_reported_after_the_revenue_figure_is_named_as_not_counted(data, early):
    # 003 (May 2026): Anthropic buys all of Colossus 1's capacity, "likely worth billions";
    # UBS's revenue figure (January 2026) cannot include it, and no amount or term is given
    base = base_for(data)
    deal = risk.findings_values(data, base)["coverage"]["later_deal"]
    assert deal["source_id"] == "techcrunch2026neocloud"
    text = risk.findings(data, base)
    assert "predates the Anthropic compute deal for Colossus 1" in text
    assert "“likely worth billions of dollars”" in text and "not counted" in text
    assert "All of them predate the Anthropic compute deal" in passage(
        "starting_revenue", v=risk.starting_revenue_values(data)
    )
    # as of 2025-12-31 there is no such deal to mention
    assert risk.findings_values(early, base_for(early))["coverage"]["later_deal"] is None


def test_an_early_runway_says_its_cash_is_a_round_not_yet_closed_and_its_revenue_a_bound(early):
    # as of 2025-12-31 the $20bn is the round 36Kr reported being raised, and Epoch's revenue
    # is "just south of" $500M: the lead says both, and the table keeps the bound
    lead = " ".join(risk.findings(early, base_for(early)).split("\n- ")[0].split()).replace(
        "\\", ""
    )
    assert "(if the round of December 2025, about $20 billion that xAI was reported" in lead
    assert "closes in full, which no source in this edition reports)" in lead
    # Epoch's figure is for July 2025, held flat from December: not a best case, and said so
    assert "the source's less than $500 million for July 2025 taken at its bound" in lead
    assert "best case" not in lead
    cells = risk.scenario_table(early, base_for(early)).iloc[:, 6]
    assert set(cells) == {"$500 million (the source: less than $500 million)"}


def test_a_quotation_from_a_summary_is_not_given_as_the_reports_words(data):
    # 002 is an English summary of 36Kr's Chinese article: its sentences are the summariser's
    values = risk.burn_values(data)
    assert values["spend_quoted_from_summary"]
    rendered = " ".join(passage("burn_comparison", v=values).split())
    assert "In the words of the summary of the report that gives the spending" in rendered


def test_the_governance_list_ends_with_what_it_shows(data):
    # a list of related-party dealings is followed by what they have in common (review s9 #24)
    text = " ".join(passage("governance", items=risk.governance_items(data)).split())
    text = text.replace("\\", "")
    assert (
        "Read together: in each investment and merger listed, Musk's companies sit on both" in text
    )
    assert "money went into xAI from another of his companies (SpaceX, $2 billion)" in text
    assert "amounts and dates, not terms" in text


def test_the_merger_with_x_has_one_date_in_the_book(data):
    # the funding chapter dates it 28 March 2025 (the joined round: Epoch with 004); the
    # governance list takes it from the same model, not from a report that dates it by itself
    items = [i for i in risk.governance_items(data) if i["kind"] == "merger"]
    assert [(i["name"], i["date"]) for i in items] == [
        ("Merger of xAI and X", pd.Timestamp("2025-03-28"))
    ]
    assert set(items[0]["source_ids"]) == {"zoonop2025spacex", "epoch2025aicompanies"}
    text = passage("governance", items=risk.governance_items(data))
    assert "(28 March 2025)" in text and "merges with X" not in text
