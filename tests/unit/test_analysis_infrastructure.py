"""The infrastructure chapter's analysis on the shipped data, an early edition and odd data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time

import numpy as np
import pandas as pd
import pytest

from tools import synth
from xaibook import charts, paths, prose
from xaibook.analysis import infrastructure as an
from xaibook.analysis.common import labels
from xaibook.chapters import CHAPTERS_BY_SLUG
from xaibook.data.dataset import Dataset, load_dataset

TABLES = CHAPTERS_BY_SLUG["infrastructure"].tables
EARLY = "2025-12-31"  # before the Series E articles and TechCrunch's May 2026 report


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_dataset(tables=TABLES)


@pytest.fixture(scope="module")
def early(data: Dataset) -> Dataset:
    cutoff = pd.Timestamp(EARLY)
    return _with_tables(
        data, {name: frame[frame["published_date"] <= cutoff] for name, frame in _frames(data)}
    )


def _frames(data: Dataset):
    return [(name, frame) for name, frame in data.tables.items()]


def _with_tables(data: Dataset, tables: dict[str, pd.DataFrame]) -> Dataset:
    return Dataset(
        data_dir=data.data_dir, tables=tables, sources=data.sources, warnings=[], as_of=None
    )


def _without_xai(data: Dataset) -> Dataset:
    tables = dict(data.tables)
    tables["companies"] = tables["companies"][tables["companies"]["company_id"].ne("xai")]
    sites = tables["sites"]
    tables["sites"] = sites[
        sites["owner_company_id"].ne("xai") & sites["tenant_company_id"].ne("xai")
    ]
    tables["company_metrics"] = tables["company_metrics"][
        tables["company_metrics"]["company_id"].ne("xai")
    ]
    centers = tables["epoch_data_centers"]
    xai_centers = centers["owner"].fillna("").str.startswith("xAI")
    tables["epoch_data_centers"] = centers[~xai_centers]
    timelines = tables["epoch_data_center_timelines"]
    tables["epoch_data_center_timelines"] = timelines[
        ~timelines["data_center"].isin(centers.loc[xai_centers, "handle"])
    ]
    clusters = tables["epoch_gpu_clusters"]
    tables["epoch_gpu_clusters"] = clusters[clusters["owner"].ne("xAI")]
    return _with_tables(data, tables)


def _all_text(data: Dataset, capex: float = 40.0) -> str:
    return "\n".join(_passages(data, capex))


def _lines(data: Dataset) -> list[str]:
    """One line per paragraph or bullet of every passage (a template wraps lines freely)."""
    return [
        line for text in _passages(data) for line in re.sub(r"\n(?!- )\s*", " ", text).split("\n")
    ]


def _passages(data: Dataset, capex: float = 40.0) -> list[str]:
    return [
        an.findings(data, capex),
        passage("sites_overview", v=an.sites_overview_values(data)),
        passage("projection_note", v=an.projection_note_values(data)),
        passage("buildout_text", v=an.buildout_text_values(data)),
        passage("buildout_peers", p=an.speed_peers(data)),
        passage("claims_text", v=an.claims_text_values(data)),
        passage("cluster_method", m=an.cluster_method_values(data)),
        passage("clusters_text", t=an.clusters_text_values(data)),
        passage("density_text", v=an.density_text_values(data)),
        passage("capital_text", v=an.capital_text_values(data, capex)),
        passage("plans_text", v=an.plans_text_values(data)),
        passage("scenario_text", v=an.scenario_text_values(data, capex)),
        passage("what_would_change", w=an.what_would_change_values(data)),
        plain("sites_caption", c=an.sites_caption_values(data)),
    ]


def _all_charts(data: Dataset, capex: float = 40.0) -> list[tuple[object, pd.DataFrame]]:
    frames = [
        (an.buildout_chart, an.buildout(data)),
        (an.clusters_chart, an.top_clusters(data)),
        (an.density_chart, an.data_center_metrics(data)),
        (an.capital_chart, an.capital_per_gw(data, capex)),
        (an.plans_chart, an.capacity_plans(data)),
    ]
    return [(_chart(build, frame, data), frame) for build, frame in frames]


TITLED = {
    an.buildout_chart: (an.buildout_title_values, "buildout"),
    an.clusters_chart: (an.clusters_title_values, "clusters"),
    an.density_chart: (an.density_title_values, "density"),
    an.capital_chart: (an.capital_title_values, "capital"),
    an.plans_chart: (an.plans_title_values, "plans"),
}


def _chart(build, frame: pd.DataFrame, data: Dataset):
    """The chart ``build`` draws, with its title from the template where the title is written
    there."""
    if build not in TITLED:
        return build(frame, data)
    values, name = TITLED[build]
    if build is an.plans_chart:  # a one-line title
        return build(frame, data, plain("plans_title", t=values(frame, data)))
    return build(frame, data, title_lines(name, values(frame, data)))


def title_lines(name: str, t: dict) -> list[str]:
    """A chart's title lines as the template writes them (the second may be empty)."""
    template = prose.template_file(paths.CHAPTERS_DIR / "infrastructure.ipynb")
    return [prose.render_text(template, f"{name}_{macro}", t=t) for macro in ("title", "title_2")]


def plain(macro: str, **values: object) -> str:
    """A plain-text macro of the chapter's template (a chart title, a table caption)."""
    return prose.render_text(an.TEMPLATE, macro, **values)


def passage(macro: str, **values: object) -> str:
    """A passage of the chapter's text template, rendered from ``values``."""
    return prose.render(
        prose.template_file(paths.CHAPTERS_DIR / "infrastructure.ipynb"), macro, **values
    )


def words(name: str) -> dict:
    """The fixed words the chapter's template sets as ``name`` (headers, legend entries)."""
    return labels("infrastructure", name)


def _shows_missing(text: str) -> bool:
    return bool(re.search(r"\bnan\b|\bNaT\b|\bNone\b", text, re.IGNORECASE)) or (
        "not reported" in text
    )


def _title(chart) -> str:
    text = chart.title.text if hasattr(chart.title, "text") else chart.title
    return " ".join(text) if isinstance(text, list) else str(text)


# --- shipped data ---------------------------------------------------------------------------


def test_xai_tops_the_cluster_ranking_once_phases_are_merged(data):
    top = an.top_clusters(data)
    assert len(top) == an.TOP_CLUSTERS
    assert top.iloc[0]["name"] == "xAI Colossus Memphis Phase 3"
    xai = words("owner_groups")["xai"]
    assert top.iloc[0]["group"] == xai and top["group"].eq(xai).sum() == 1
    assert top["label"].is_unique and top["source_id"].eq("epoch2025gpuclusters").all()
    assert top["share_of_largest_pct"].iloc[0] == pytest.approx(100)
    standing = an.cluster_standing(data)
    assert standing["rank"] == 1 and standing["rival_name"] == "Meta 100k"
    assert standing["ratio_to_rival"] == pytest.approx(2.758, abs=0.01)
    title = an.clusters_title_values(top, data)
    assert title["leader"] == "xAI Colossus Memphis Phase 3" and title["standing"]["rank"] == 1
    lines = title_lines("clusters", title)
    assert all(lines) and _title(_chart(an.clusters_chart, top, data)) == " ".join(lines)


def test_ranking_rules_drop_planned_unlikely_and_duplicate_rows(data):
    clusters = data.epoch_gpu_clusters
    ranked = an.ranked_clusters(data)
    names = set(ranked["name"])
    assert "xAI Colossus 2 Memphis Phase 2" not in names  # planned
    assert "Tesla Earnings Call Claim" not in names  # unlikely
    duplicates = set(clusters.loc[clusters["possible_duplicate"].fillna(False), "name"])
    assert not names & (
        duplicates
        - set(clusters.loc[~clusters["possible_duplicate"].fillna(False).astype(bool), "name"])
    )
    counts = an.cluster_filter_counts(data)
    assert counts["rows"] == len(clusters) and 0 < counts["ranked"] < counts["existing"]
    method = an.cluster_method_values(data)
    assert method["counts"] == counts and method["top"] == an.TOP_CLUSTERS
    assert f"{counts['ranked']:,}" in passage("cluster_method", m=method)
    none = passage("cluster_method", m={**method, "counts": {"rows": 0}})
    assert none and not _shows_missing(none)


def test_buildout_marks_entries_after_the_snapshot_as_projected(data):
    frame = an.buildout(data)
    assert set(frame["site"]) == {"xAI Colossus 1", "xAI Colossus 2"}
    chart_words = words("buildout_chart")
    assert set(frame["basis"]) == set(chart_words["basis"].values())
    projected = frame[frame["basis"].eq(chart_words["basis"]["projected"]) & frame["note"].eq("")]
    assert list(projected["date"]) == [pd.Timestamp("2026-02-17")]
    assert projected["power_mw"].iloc[0] == 1379
    anchor = frame[frame["note"].eq(chart_words["anchor_note"])]
    assert list(anchor["date"]) == [pd.Timestamp("2025-10-19")]  # the dashed line starts here
    speed = an.build_speed(frame).set_index("site")
    assert speed.loc["xAI Colossus 2", "mw_per_month"] == pytest.approx(36.05, abs=0.1)
    assert speed.loc["xAI Colossus 1", "latest_mw"] == 498
    title = an.buildout_title_values(frame, data)
    fastest = title["fastest"]
    assert (fastest["site"], fastest["added_mw"], round(fastest["months"])) == (
        "xAI Colossus 2",
        276,
        8,
    )
    assert title["projected"]["projected_mw"] == 1379
    assert title["projected"]["projected_date"] == pd.Timestamp("2026-02-17")
    assert all(title_lines("buildout", title))
    rows = an.buildout_text_values(data)
    assert [row["site"] for row in rows] == ["xAI Colossus 2", "xAI Colossus 1"]
    assert rows[1]["latest_mw"] == 498 and rows[1]["projected_mw"] is None
    text = passage("buildout_text", v=rows)
    assert len(_bullets(text)) == 2 and text.count("epoch2025datacenters") == 2
    assert an.projection_note_values(data)["snapshot"] == dt.date(2025, 12, 17)
    for note in (None, {"snapshot": None}):
        assert not _shows_missing(passage("projection_note", v=note))


def test_claims_and_measurements_are_shown_side_by_side(data):
    comparisons = an.claim_comparisons(data)
    assert list(comparisons["quantity"]) == ["power", "power", "compute"]
    power = comparisons[comparisons["quantity"].eq("power")].set_index("site")
    assert power.loc["Colossus 1", ["claim", "epoch"]].tolist() == [300, 498]
    compute = comparisons[comparisons["quantity"].eq("compute")].iloc[0]
    assert compute["claim"] == 1_000_000 and round(compute["epoch"]) == 553_714
    assert pd.isna(compute["site"])
    rows = {(row["quantity"], row["site"]): row for row in an.claims_text_values(data)}
    colossus_1 = rows[("power", "Colossus 1")]
    assert (colossus_1["claim"], colossus_1["claim_qualifier"], colossus_1["epoch"]) == (
        300,
        "approx",
        498,
    )
    assert colossus_1["verdict"] == "below" and colossus_1["reported"]
    assert colossus_1["inverse_gap"] == pytest.approx(1.66, abs=0.01)
    colossus_2 = rows[("power", "Colossus II (Colossus 2)")]
    assert (colossus_2["claim"], colossus_2["claim_qualifier"], colossus_2["epoch"]) == (
        1000,
        "order_of",
        276,
    )
    # GW級 (gigawatt-class) names a class, not a figure: said in words, never divided
    assert colossus_2["verdict"] == "in_words" and colossus_2["gap"] is None
    text = passage("claims_text", v=an.claims_text_values(data))
    shown = " ".join(text.replace("\\", "").split())
    assert "The article calls it gigawatt-class, with no figure" in shown
    assert "names a class, not a figure, so the book sets no multiple" in shown
    assert "3.6×" not in shown
    finding = passage("key_findings", f=an.key_findings(data, 40.0))
    # a fleet-wide claim against the sites Epoch tracks: the scopes differ, and it says so
    # ... and Epoch's estimate is older than the claim: "earlier"
    assert "whole fleet is more than 1\\.8× Epoch's earlier estimate for the sites" in finding
    assert "differ in scope and date" in finding
    compute = rows[("compute", None)]
    assert compute["verdict"] == "above_projected" and compute["epoch_site"] is None
    assert compute["epoch_sites"] == ["xAI Colossus 1", "xAI Colossus 2"]
    text = passage("claims_text", v=list(rows.values()))
    assert len(_bullets(text)) == 3
    assert "{cite:p}`techcrunch2026neocloud`" in text and "{cite:p}`epoch2025datacenters`" in text
    for verdict in ("no_epoch", "zero_claim", "agree", "above"):
        row = {**colossus_1, "verdict": verdict, "gap": 1.0}
        assert not _shows_missing(passage("claims_text", v=[row]))
    no_epoch = {**colossus_1, "verdict": "no_epoch", "epoch": None, "gap": None}
    assert not _shows_missing(passage("claims_text", v=[no_epoch]))


def _bullets(markdown: str) -> list[str]:
    return [item for item in ("\n" + markdown).split("\n- ") if item.strip()]


def test_findings_on_the_shipped_data(data):
    f = an.key_findings(data)
    assert f["rank"]["standing"]["rank"] == 1
    assert f["rank"]["standing"]["ratio_to_rival"] == pytest.approx(2.758, abs=0.01)
    claim = f["claims"]["claim"]
    assert claim["gap"] == pytest.approx(1.8, abs=0.05) and claim["claims_more"]
    assert claim["claim_qualifier"] == "more_than" and f["claims"]["measured"] is None
    rented = f["rented"]
    assert (rented["site"], rented["tenant"], rented["tops_ranking"]) == (
        "Colossus 1",
        "Anthropic",
        True,
    )
    priced = f["capital"]["priced"]  # the 2 GW third site at $40bn/GW
    assert priced["capital_usd_bn"] == 80 and not priced["is_lower_bound"]
    modelled = f["capital"]["epoch"]["modelled"]  # Epoch's rate, read as a rate, not a cost
    assert modelled["rate"] == pytest.approx(31.91, abs=0.05) and modelled["n"] == 7
    findings = an.findings(data)
    bullets = _bullets(findings)
    assert len(bullets) == 5 and all(item.startswith("**") for item in bullets)
    assert all("{cite:p}`" in item for item in bullets)
    for source_id in ("epoch2025gpuclusters", "epoch2025datacenters", "hu2026xai"):
        assert source_id in findings
    assert "techcrunch2026neocloud" in bullets[3]


def test_sites_table_joins_articles_to_epoch(data):
    columns = words("sites_table")["columns"]
    table = an.sites_table(data).set_index(columns["site"])
    assert list(table.columns) == list(columns.values())[1:]  # the template's headers, in order
    colossus_1 = table.loc["Colossus 1"]
    assert colossus_1[columns["power"]] == "about 300 MW / 498 MW"
    assert colossus_1[columns["owner"]] == "xAI → Anthropic"
    assert colossus_1[columns["source"]] == "TechCrunch, 2026"
    status = words("status_words")
    assert colossus_1[columns["status"]].startswith(f"{status['repurposed']} (reported, ")
    assert table.loc["xAI's third data centre project", columns["power"]] == "2 GW / –"
    assert pd.isna(table.loc["Terafab", columns["power"]])
    assert "World's largest GPU cluster (xAI goal)" in table.index
    assert "Stargate" not in table.index  # OpenAI's programme is not an xAI site


def test_the_sites_table_says_an_unknown_status_with_spaces(data):
    tables = dict(data.tables)
    sites = tables["sites"]
    odd = sites["site_name"].eq("Terafab")
    tables["sites"] = sites.assign(site_status=sites["site_status"].where(~odd, "being_tested"))
    columns = words("sites_table")["columns"]
    table = an.sites_table(_with_tables(data, tables)).set_index(columns["site"])
    assert table.loc["Terafab", columns["status"]].startswith("being tested (")


def test_capital_per_gw_and_the_scenario_follow_the_parameter(data):
    capital = an.capital_per_gw(data, 40.0)
    kinds = words("capital_chart")["kind"]
    assert set(capital["kind"]) == set(kinds.values())
    assumption = capital[capital["kind"].eq(kinds["assumption"])]
    assert len(assumption) == 1 and assumption["source_id"].isna().all()
    epoch = capital[capital["kind"].ne(kinds["assumption"])]
    assert epoch["modelled"].sum() == 7
    scenario = an.scenario(data, 60.0).set_index("item")
    assert scenario.loc["xAI's third data centre project", "capital_usd_bn"] == 120
    assert scenario.loc["OpenAI: Stargate programme (total)", "power_gw"] == pytest.approx(500 / 60)
    priced = an.key_findings(data, 60.0)["capital"]["priced"]
    assert priced["assumption_usd_bn_per_gw"] == 60 and priced["capital_usd_bn"] == 120
    title = an.capital_title_values(an.capital_per_gw(data, 60.0), data)
    assert title["assumption"] == 60 and title["modelled"]["rate"] == pytest.approx(31.91, abs=0.05)
    assert all(title_lines("capital", title))
    capital = an.capital_text_values(data, 60.0)
    assert (capital["assumption"], capital["case"], capital["n"]) == (60, "high", 11)
    assert [row["site"] for row in capital["xai"]] == ["xAI Colossus 2", "xAI Colossus 1"]
    assert an.capital_text_values(data, 31.9)["case"] == "within"
    assert an.capital_text_values(data, 20.0)["case"] == "low"
    assert "epoch2025datacenters" in passage("capital_text", v=capital)
    assert an.scenario_caption_values(60.0)["usd_bn_per_gw"] == 60
    assert "$60 billion" in passage("capex_assumption", usd_bn_per_gw=60.0)
    priced = {row["item"]: row for row in an.scenario_text_values(data, 60.0)["priced"]}
    assert priced["xAI's third data centre project"]["capital_usd_bn"] == 120
    assert priced["OpenAI: Stargate programme (total)"]["buys_power"]
    assert priced["OpenAI: Stargate programme (total)"]["power_mw"] == pytest.approx(
        500 / 60 * 1000
    )
    values = an.scenario_text_values(data, 60.0)
    text = passage("scenario_text", v=values)
    # one bullet per priced item and per capex figure, and one for them against the money raised
    against = 1 if values["against_raised"] else 0
    assert len(_bullets(text)) == len(priced) + len(values["capex"]) + against
    assert "hu2026xai" in text and not _shows_missing(text)
    assert passage("scenario_text", v={"priced": [], "capex": [], "against_raised": None})
    words_ = words("scenario_table")
    columns = words_["columns"]
    table = an.scenario_table(data, 40.0).set_index(columns["item"])
    assert list(table.columns) == list(columns.values())[1:]
    # a site sized only in words is not priced (no figure to multiply); Epoch's projection is
    assert "Colossus II (Colossus 2)" not in table.index
    assert table.loc["xAI Colossus 2", columns["basis"]] != words_["basis"]["announced"]
    stargate = table.loc["OpenAI: Stargate programme (total)"]
    assert stargate[columns["power"]] == "12.5 GW"
    assert stargate[columns["capital"]] == "$500 billion"
    assert stargate[columns["basis"]] == words_["basis"]["investment"]
    assert pd.isna(stargate[columns["compare"]])


def test_charts_draw_few_marks_and_name_their_sources(data):
    for chart, frame in _all_charts(data):
        assert 0 < len(frame) <= 30
        assert "source_id" in frame
        assert _title(chart)
    plans = an.capacity_plans(data)
    assert {"xAI's third data centre project", "xAI Colossus 2"} <= set(plans["site"])
    title = an.plans_title_values(plans, data)
    assert title["power_mw"] == 3328 and title["ratio_to_running"] == pytest.approx(4.43, abs=0.01)
    caption = an.sites_caption_values(data)
    assert (caption["articles"], caption["epoch"]) == (7, 0)  # Colossus 2's two rows are one
    assert caption["last_date"] == pd.Timestamp("2025-11-07")  # Epoch's estimate, not as_of
    assert plans["basis"].eq(words("plans_chart")["basis"]["announced"]).any()


def test_a_projection_whose_date_has_passed_is_drawn_apart(data):
    basis = words("plans_chart")["basis"]
    for edition in (data, dataclasses.replace(data, as_of=pd.Timestamp("2025-12-31"))):
        plans = an.capacity_plans(edition)
        projected = plans[plans["basis"].isin([basis["projected"], basis["projected_passed"]])]
        as_of = edition.as_of if edition.as_of is not None else pd.Timestamp.now().normalize()
        passed = pd.to_datetime(projected["date"]) <= as_of
        assert projected["basis"].eq(basis["projected_passed"]).tolist() == passed.tolist()
    # as of today, Colossus 2's 1.4 GW of February 2026 is a passed projection; as of
    # 2025-12-31 it is still ahead
    today = an.capacity_plans(data)
    colossus = today[today["site"].eq("xAI Colossus 2")]
    assert basis["projected_passed"] in set(colossus["basis"])


def test_text_never_shows_missing_values(data, early):
    for edition in (data, early):
        text = _all_text(edition)
        assert not _shows_missing(text)
        assert "{cite:p}``" not in text


# --- the edition of 31 December 2025 ----------------------------------------------------------


def test_early_edition_knows_nothing_published_in_2026(data, early):
    findings = an.findings(early)
    assert len(_bullets(findings)) == 4
    for later in ("techcrunch2026neocloud", "hu2026xai", "third data centre", "rented"):
        assert later not in findings
    f = an.key_findings(early)
    assert f["claims"]["claim"] is None and f["rented"] is None
    measured = f["claims"]["measured"]
    assert round(measured["h100e"]) == 553_714 and measured["power_mw"] == 774
    assert measured["sites"] == ["xAI Colossus 1", "xAI Colossus 2"]
    priced = f["capital"]["priced"]  # Epoch's projection, priced
    assert priced["item"] == "xAI Colossus 2" and priced["capital_usd_bn"] == pytest.approx(
        55.2, abs=0.05
    )
    assert an.claims_text_values(early) == []
    assert passage("claims_text", v=[])
    columns = words("sites_table")["columns"]
    table = an.sites_table(early)
    assert list(table[columns["site"]]) == ["xAI Colossus 1", "xAI Colossus 2"]
    assert list(table[columns["power"]]) == ["– / 498 MW", "– / 276 MW"]
    announced = words("plans_chart")["basis"]["announced"]
    assert not an.capacity_plans(early)["basis"].eq(announced).any()
    changes = an.what_would_change_values(early)
    assert not changes["rented"] and changes["epoch_only"] and not changes["compute_claim"]
    assert an.what_would_change_values(data)["rented"]


# --- odd data -------------------------------------------------------------------------------


def test_empty_tables_give_honest_sentences(data):
    empty = _with_tables(data, {name: frame.iloc[0:0] for name, frame in _frames(data)})
    assert all(value is None for value in an.key_findings(empty).values())
    notice = an.findings(empty)
    assert len(_bullets(notice)) == 1 and "{cite:p}" not in notice and not _shows_missing(notice)
    text = _all_text(empty)
    assert not _shows_missing(text)
    for chart, frame in _all_charts(empty):
        assert frame.empty and _title(chart)
    assert an.sites_table(empty).shape == (1, 1)
    assert an.scenario_table(empty).shape == (1, 1)
    assert "xAI cluster: none ranked" in an.headline(empty).splitlines()


def test_missing_xai_is_said_plainly(data):
    without = _without_xai(data)
    assert an.cluster_standing(without) is None
    rank = an.key_findings(without)["rank"]
    assert rank["standing"] is None and rank["largest"]["name"] == "Meta 100k"
    assert "Meta 100k" in an.findings(without)  # the leader without xAI
    assert an.buildout(without).empty and an.claim_comparisons(without).empty
    assert list(an.xai_sites(without)["owner"]) == ["SpaceX"]  # Musk's other companies stay
    title = an.clusters_title_values(an.top_clusters(without), without)
    assert title["standing"] is None and title["leader"] == "Meta 100k"
    assert all(title_lines("clusters", title))
    clusters = an.clusters_text_values(without)
    assert clusters["standing"] is None and clusters["largest"]["name"] == "Meta 100k"
    text = _all_text(without)
    assert not _shows_missing(text)
    for chart, _frame in _all_charts(without):
        assert _title(chart)


def test_xai_below_the_top_is_added_to_the_chart_with_its_rank(data):
    tables = dict(data.tables)
    clusters = tables["epoch_gpu_clusters"]
    rivals = clusters[
        clusters["owner"].ne("xAI")
        & clusters["cluster_status"].eq("Existing")
        & clusters["certainty"].eq("Confirmed")
        & clusters["possible_duplicate"].isna()
    ]
    bigger = rivals.nlargest(20, "h100e").assign(
        h100e=lambda f: f["h100e"] * 100, name=lambda f: f["name"] + " (scaled)"
    )
    tables["epoch_gpu_clusters"] = pd.concat([clusters, bigger], ignore_index=True)
    scaled = _with_tables(data, tables)
    top = an.top_clusters(scaled)
    assert len(top) == an.TOP_CLUSTERS + 1
    assert top.iloc[-1]["group"] == words("owner_groups")["xai"]
    assert top.iloc[-1]["rank"] > an.TOP_CLUSTERS
    assert an.key_findings(scaled)["rank"]["standing"]["rank"] == top.iloc[-1]["rank"]
    assert f"#{top.iloc[-1]['rank']}" in an.findings(scaled)


def test_ranking_stays_fast_on_a_large_cluster_table(data):
    clusters = data.epoch_gpu_clusters
    rng = np.random.default_rng(0)
    n = 200_000
    synthetic = clusters.iloc[rng.integers(0, len(clusters), n)].reset_index(drop=True)
    synthetic["name"] = pd.Series([f"Synthetic cluster {i}" for i in range(n)], dtype="str")
    synthetic["h100e"] = rng.lognormal(9, 1.5, n)
    tables = dict(data.tables)
    tables["epoch_gpu_clusters"] = pd.concat([clusters, synthetic], ignore_index=True)
    big = _with_tables(data, tables)
    started = time.perf_counter()
    top = an.top_clusters(big)
    elapsed = time.perf_counter() - started
    assert len(top) <= an.TOP_CLUSTERS + 1 and elapsed < 10
    charts.use_book_theme_and_renderer("html")
    assert len(_chart(an.clusters_chart, top, big).to_dict()["datasets"]) == 1


def test_existing_sites_and_plans_are_told_apart(data):
    overview, plans = an.sites_overview_values(data), an.plans_text_values(data)
    assert [site["site"] for site in overview] == [
        "Colossus 1",
        "Colossus 2",
        "xAI compute fleet (Colossus I and II among its sites)",
    ]
    colossus_1 = overview[0]
    assert (colossus_1["site_status"], colossus_1["tenant"], colossus_1["power_mw"]) == (
        "repurposed",
        "Anthropic",
        300,
    )
    assert not colossus_1["status_shown"] and colossus_1["target_date"] is None
    text = passage("sites_overview", v=overview)
    assert len(_bullets(text)) == 3 and "techcrunch2026neocloud" in text
    assert "hu2026xai" in text and not _shows_missing(text)
    assert passage("sites_overview", v=[]) and not _shows_missing(passage("sites_overview", v=[]))
    odd = {**colossus_1, "site_status": "being_tested", "status_shown": True, "status": "plan"}
    assert "being tested" in passage("sites_overview", v=[odd])  # an unknown status, spaced
    planned = {site["site"]: site for site in plans["planned"]}
    assert "xAI's third data centre project" in planned and not set(planned) & {
        site["site"] for site in overview
    }
    third = planned["xAI's third data centre project"]
    assert (third["site_status"], third["power_mw"], third["owner"]) == ("planned", 2000, None)
    orbital = planned["Orbital (space) data centres"]
    assert orbital["owner"] == "SpaceX" and orbital["target_date"].year == 2035
    assert planned["Terafab"]["no_size"] and not third["no_size"]
    openai = {peer["name"]: peer for peer in plans["peers"]}["OpenAI"]
    stargate = openai["investments"][0]
    assert (stargate["period"], stargate["value"], stargate["status"]) == (
        "Stargate programme (total)",
        500,
        "plan",
    )
    assert len(openai["epoch"]["sites"]) <= an.MAX_LISTED
    text = passage("plans_text", v=plans)
    assert len(_bullets(text)) == len(planned) + len(plans["peers"])
    assert "epoch2025datacenters" in text and not _shows_missing(text)
    assert passage("plans_text", v={"planned": [], "peers": []})


LARGE_FUNDING_ROWS = 2_000  # Epoch funding rows: every other table grows in proportion


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Dataset:
    """The shipped data plus thousands of synthetic rows about made-up companies and sites."""
    out = tmp_path_factory.mktemp("infrastructure-synth") / "data"
    synth.generate(paths.DATA_DIR, out, LARGE_FUNDING_ROWS, seed=5)
    return load_dataset(out, tables=TABLES)


def test_a_large_dataset_keeps_every_output_bounded(data, large, monkeypatch):
    assert len(large.tables["companies"]) > 20 * len(data.tables["companies"])
    # names are looked up, not rebuilt into a dict of every company per name asked for
    calls = []
    monkeypatch.setattr(Dataset, "company_names", lambda self: calls.append(1) or {})
    shipped_text, text = _lines(data), _lines(large)
    assert not _shows_missing("\n".join(text))
    assert len(text) <= len(shipped_text) + 2 * an.MAX_XAI_SITES  # a few more sites at most
    assert max(map(len, text)) <= max(map(len, shipped_text)) + 1_000
    limits = {
        "buildout": 30 * an.MAX_XAI_SITES,
        "clusters": an.TOP_CLUSTERS + 1,
        "density": an.MAX_DENSITY_SITES + an.MAX_XAI_SITES,
        "capital": an.MAX_CAPITAL_SITES + an.MAX_XAI_SITES + 1,
        "plans": 2 * (an.MAX_PLAN_SITES + an.MAX_XAI_SITES)
        + an.MAX_XAI_SITES
        + an.MAX_ARTICLE_PLANS,
    }
    for (chart, frame), (name, limit) in zip(_all_charts(large), limits.items(), strict=True):
        assert 0 < len(frame) <= limit, name
        assert _title(chart), name
    assert len(an.sites_table(large)) <= an.MAX_TABLE_SITE_ROWS + an.MAX_TABLE_EPOCH_ROWS
    assert len(an.scenario_table(large)) <= 3 * an.MAX_LISTED + an.MAX_XAI_SITES
    assert an.headline(large).count("\n") <= an.headline(data).count("\n") + an.MAX_XAI_SITES
    assert not calls


def test_findings_read_without_a_median_and_with_many_sites(data):
    f = an.key_findings(data)
    priced_only = {**f, "capital": {**f["capital"], "epoch": None}}
    text = passage("key_findings", f=priced_only)
    capital = _bullets(text)[-1]
    assert "hu2026xai" in capital and "epoch2025datacenters" not in capital
    assert capital.startswith("**") and not _shows_missing(text)
    sites = [f"Site {n}" for n in range(5)]
    many = {
        "h100e": 9e5,
        "power_mw": 1500.0,
        "sites": sites,
        "source_id": "x",
        "first_date": None,
        "last_date": None,
    }
    text = passage("key_findings", f={**f, "claims": {"claim": None, "measured": many}})
    assert " 5 " in _bullets(text)[2] and "Site 0" not in text and not _shows_missing(text)
    few = {**many, "sites": sites[:2]}
    text = passage("key_findings", f={**f, "claims": {"claim": None, "measured": few}})
    assert "Site 0" in text and "Site 1" in text
    none = {key: None for key in f}
    assert passage("key_findings", f=none) == an.findings(
        _with_tables(data, {name: frame.iloc[0:0] for name, frame in _frames(data)})
    )


def test_the_cluster_list_lag_is_given_as_values(data):
    t = an.clusters_text_values(data)
    assert (t["lag"]["newest"].year, t["lag"]["newest"].month) == (2025, 7)
    planned = t["lag"]["planned"]
    assert [p["name"] for p in planned] == [
        "xAI Colossus 2 Memphis Phase 1",
        "xAI Colossus 2 Memphis Phase 2",
    ]
    text = passage("clusters_text", t=t)
    assert "epoch2025gpuclusters" in text and all(p["name"] in text for p in planned)
    assert not _shows_missing(passage("clusters_text", t={**t, "lag": None}))
    assert passage("clusters_text", t={**t, "largest": None, "standing": None})


def test_compute_per_mw_is_given_as_values(data):
    frame = an.data_center_metrics(data)
    title = an.density_title_values(frame, data)
    assert title["site"] == "xAI Colossus 2" and round(title["h100e_per_mw"]) == 1007
    assert title["ratio_to_median"] == pytest.approx(1.6, abs=0.05)
    assert all(title_lines("density", title))
    density = an.density_text_values(data)
    assert density["n"] == len(frame)
    assert {x["site"] for x in density["xai"]} == {"xAI Colossus 1", "xAI Colossus 2"}
    assert all(x["kw_per_h100e"] > 0 for x in density["xai"])
    assert "epoch2025datacenters" in passage("density_text", v=density)
    for values in (None, {**density, "xai": []}):
        text = passage("density_text", v=values)
        assert text and not _shows_missing(text)


def test_xais_announced_sites_are_priced_against_the_money_it_raised(data, early):
    # sources and uses (issue 11, class 7): the 2 GW site at the assumed $40 billion per GW,
    # against $42 billion of closed rounds; Colossus II, "gigawatt-class" (no figure), is
    # named and left unpriced
    values = an.scenario_text_values(data)["against_raised"]
    assert values["raised"] == 42 and values["cost"] == 80
    assert not values["lower_bound"]
    # about 1.9×, not "at least": the $42 billion is itself a floor of what xAI has raised
    assert values["multiple"] == pytest.approx(80 / 42)
    assert values["sites"] == ["xAI's third data centre project"]
    assert values["unpriced"] == ["Colossus II (Colossus 2)"]
    text = prose.render(
        prose.template_file(paths.CHAPTERS_DIR / "infrastructure.ipynb"),
        "scenario_text",
        v=an.scenario_text_values(data),
    )
    shown = " ".join(text.replace("\\", "").split())
    assert "would cost about $80 billion" in shown
    assert "before Colossus II (Colossus 2), which the sources size only in words" in shown
    assert "about 1.9×" in shown and "not a funding gap" in shown
    # as of 2025-12-31 no xAI site is announced with a power: nothing to price
    assert an.scenario_text_values(early)["against_raised"] is None


def test_the_plans_chart_draws_only_announcements_as_announced(data):
    # 003's ~300 MW for Colossus 1 is existing capacity sold to Anthropic, not a plan
    frame = an.capacity_plans(data)
    announced = frame[frame["basis"] == words("plans_chart")["basis"]["announced"]]
    assert not announced.empty
    assert "xAI Colossus 1" not in set(announced["site"])


def test_a_near_tie_in_build_speed_is_called_level_not_a_lead(data):
    # 36 MW a month against New Carlisle's 35: within Epoch's dating precision, a tie
    finding = " ".join(passage("key_findings", f=an.key_findings(data, 40.0)).split())
    assert "xAI builds as fast as anyone in Epoch's data" in finding
    assert "from a site's first entry in Epoch's timeline to its latest" in finding
    assert "At the precision of Epoch's dates the two are level" in finding


def test_a_ranking_on_old_estimates_says_what_the_passed_projections_would_make_it():
    # Epoch's estimates of October-November 2025 put xAI's largest site 4th; its timelines
    # project Colossus 2 at about 1.39 million H100e for February 2026, more than any other
    # site's projection for a date before December 2026
    late = load_dataset(tables=TABLES, as_of="2026-12-07")
    standing = an.hub_standing(late)
    assert standing["rank"] == 4
    projected = standing["projected"]
    assert projected["rank"] == 1 and projected["leads"]
    assert projected["site"] == "xAI Colossus 2"
    assert projected["h100e"] == pytest.approx(1_389_591, rel=1e-4)
    assert projected["date"] == pd.Timestamp("2026-02-17")
    assert [o["site"] for o in projected["others"]][:2] == [
        "Meta Prometheus", "OpenAI Stargate Abilene"
    ]  # fmt: skip
    finding = " ".join(
        passage("key_findings", f=an.key_findings(late, 40.0)).replace("\\", "").split()
    )
    assert "ranked 4th of 11; on Epoch's projections for dates this edition has passed, it" in (
        finding
    )
    assert "would rank 1st" in finding and "not estimates of what was built" in finding
    # before any projection's date has passed there is nothing to say
    assert an.hub_standing(load_dataset(tables=TABLES, as_of="2025-12-31"))["projected"] is None
