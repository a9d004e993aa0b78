"""A zero is a valid figure (no revenue yet, a site not yet powered): every chapter states it
without dividing by it. Each test zeroes a column of the shipped data (all rows, or one
company's) and checks that the sentences build, with no "inf", "nan" or empty multiple.

The attack that found this: xAI's annualized revenue set to 0 validated but crashed the risk
chapter with ZeroDivisionError.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from collections.abc import Callable

import pandas as pd
import pytest

from xaibook import paths, prose
from xaibook.analysis import competition, funding, infrastructure, risk
from xaibook.data.dataset import Dataset, load_dataset

pytestmark = pytest.mark.thorough  # every case of a class: `make test`, not `make check`

TODAY = "2026-11-28"  # a fixed edition date after every shipped source
BROKEN = re.compile(r"\bnan\b|\binf\b|not reported×|not reported (?:its|xAI's|the|revenue)")
Mask = Callable[[pd.DataFrame], pd.Series]


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(as_of=TODAY)


@pytest.fixture(autouse=True)
def division_by_zero_is_an_error():
    # numpy divides a float64 by zero with a warning and an inf that the text would then show
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "error", message=".*(divide by zero|invalid value).*", category=RuntimeWarning
        )
        yield


def zeroed(data: Dataset, table: str, column: str, rows: Mask | None = None) -> Dataset:
    frame = data.tables[table].copy()
    chosen = frame[column].notna() if rows is None else rows(frame) & frame[column].notna()
    assert chosen.any(), f"nothing to zero in {table}.{column}"
    frame.loc[chosen, column] = 0.0
    return dataclasses.replace(data, tables={**data.tables, table: frame})


def of(company_id: str) -> Mask:
    return lambda frame: frame["company_id"].eq(company_id)


def assert_readable(text: object) -> None:
    found = BROKEN.search(str(text))
    assert found is None, str(text)[max(0, found.start() - 120) : found.end() + 40]


def base(data: Dataset) -> risk.Assumptions:
    return risk.base_assumptions(data, 1.0, 20.0, 100.0, 0.0, 36)


def risk_text(macro: str, **values: object) -> str:
    """A passage of the risk chapter's template (chapters/risk.md.j2)."""
    return prose.render(prose.template_file(paths.CHAPTERS_DIR / "risk.ipynb"), macro, **values)


# 1. The fixed functions, one by one ------------------------------------------------------------


def test_zero_xai_revenue_gives_the_figures_without_a_ratio(shipped):
    # the attack's case: company_metrics rows met-001 and met-002 (UBS's $1bn) set to 0
    data = zeroed(
        shipped, "company_metrics", "value", lambda f: f["record_id"].isin(["met-001", "met-002"])
    )
    assert risk.starting_revenue(data).value_usd_bn == 0
    findings = risk.findings(data, base(data))
    assert_readable(findings)
    assert risk.findings_values(data, base(data))["coverage"]["share"] is None
    burn = risk.burn_values(data)
    assert_readable(risk_text("burn_comparison", v=burn))
    assert burn["share"] is None and burn["ratio"] is None
    assert risk.xai_spend_ratio(data) is None
    assert "spend / revenue: n/a" in risk.headline(data, base(data))


def test_zero_xai_spending_gives_the_figures_without_a_ratio(shipped):
    data = zeroed(shipped, "company_metrics", "value", of("xai"))
    assert risk.monthly_spend(data).value_usd_bn == 0
    assert_readable(risk.findings(data, base(data)))
    assert_readable(risk_text("burn_comparison", v=risk.burn_values(data)))


def test_a_peer_with_a_zero_run_rate_is_left_out_of_the_burn_comparison(shipped):
    before = {p.company for p in risk.peer_burn(shipped)}
    assert before  # OpenAI and Anthropic have both a compute bill and a run-rate
    data = zeroed(shipped, "epoch_revenue_reports", "annualized_revenue_usd_bn")
    assert risk.peer_burn(data) == []
    assert_readable(risk_text("burn_comparison", v=risk.burn_values(data)))


def test_a_zero_valuation_is_no_base_for_the_step_up(shipped):
    data = zeroed(
        shipped, "epoch_funding_rounds", "valuation_usd_bn", lambda f: f["company"].eq("xAI")
    )
    rounds = funding.xai_rounds(data)
    step = funding.valuation_step_up(rounds)
    assert step is None or step["first"]["valuation_usd_bn"] > 0
    assert_readable(prose.render(funding.TEMPLATE, "valuation", v=funding.valuation(rounds)))
    assert_readable(funding.findings(data))
    assert_readable(funding.headline(data))


def test_a_zero_site_claim_is_given_as_a_range_beside_epochs_estimate(shipped):
    data = zeroed(shipped, "sites", "power_mw")
    rows = infrastructure.claims_text_values(data)
    power = [row for row in rows if row["quantity"] == "power"]
    assert power and all(row["verdict"] == "zero_claim" and row["gap"] is None for row in power)
    assert_readable(prose.render(infrastructure.TEMPLATE, "claims_text", v=rows))


# 2. The class: any quantity column at zero, every chapter's text --------------------------------

ZERO_CASES = {
    "all valuations": ("valuations", "valuation_usd_bn", None),
    "xAI's valuations": ("valuations", "valuation_usd_bn", of("xai")),
    "xAI's Epoch valuations": (
        "epoch_funding_rounds",
        "valuation_usd_bn",
        lambda f: f["company"].eq("xAI"),
    ),
    "round amounts": ("funding_rounds", "amount_usd_bn", None),
    "round targets": ("funding_rounds", "target_usd_bn", None),
    "round debt": ("funding_rounds", "debt_usd_bn", None),
    "Epoch valuations": ("epoch_funding_rounds", "valuation_usd_bn", None),
    "Epoch equity": ("epoch_funding_rounds", "equity_usd_bn", None),
    "all metrics": ("company_metrics", "value", None),
    "xAI's metrics": ("company_metrics", "value", of("xai")),
    "OpenAI's metrics": ("company_metrics", "value", of("openai")),
    "Epoch run-rates": ("epoch_revenue_reports", "annualized_revenue_usd_bn", None),
    "site power": ("sites", "power_mw", None),
    "site H100e": ("sites", "h100e", None),
    "site capex": ("sites", "capex_usd_bn", None),
    "data-centre power": ("epoch_data_centers", "power_mw", None),
    "data-centre H100e": ("epoch_data_centers", "h100e", None),
    "timeline power": ("epoch_data_center_timelines", "power_mw", None),
    "timeline H100e": ("epoch_data_center_timelines", "h100e", None),
    "cluster H100e": ("epoch_gpu_clusters", "h100e", None),
    "cluster power": ("epoch_gpu_clusters", "power_mw", None),
}


@pytest.mark.parametrize("case", list(ZERO_CASES))
def test_every_chapter_states_a_zero_without_dividing_by_it(shipped, case):
    table, column, rows = ZERO_CASES[case]
    if column not in shipped.tables[table]:
        pytest.fail(f"{table} has no column {column}: update ZERO_CASES")
    data = zeroed(shipped, table, column, rows)
    assumptions = base(data)
    texts = [
        competition.findings(data),
        competition.headline(data),
        competition.passage("valuations_text", v=competition.valuations(data)),
        competition.passage("revenue_text", r=competition.revenue(data)),
        competition.passage("neocloud_passage", n=competition.neocloud(data)),
        funding.findings(data),
        funding.headline(data),
        infrastructure.findings(data),
        infrastructure.headline(data),
        prose.render(
            infrastructure.TEMPLATE, "claims_text", v=infrastructure.claims_text_values(data)
        ),
        prose.render(
            infrastructure.TEMPLATE, "density_text", v=infrastructure.density_text_values(data)
        ),
        prose.render(
            infrastructure.TEMPLATE, "capital_text", v=infrastructure.capital_text_values(data)
        ),
        prose.render(
            infrastructure.TEMPLATE,
            "what_would_change",
            w=infrastructure.what_would_change_values(data),
        ),
        risk.findings(data, assumptions),
        risk.headline(data, assumptions),
        risk_text("burn_comparison", v=risk.burn_values(data)),
        risk_text("x_dependence", v=risk.x_dependence_values(data)),
        risk_text("leverage", v=risk.leverage_values(data)),
    ]
    for text in texts:
        assert_readable(text)
