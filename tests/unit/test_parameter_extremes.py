"""Every value a parameter accepts builds: the chapters that use it compute and print at the
edges of its range (an accepted value that crashed a chapter would be refused too late, as a
traceback from inside a notebook, instead of up front with the parameter's name)."""

from __future__ import annotations

import itertools

import pytest

from xaibook import paths, prose
from xaibook.analysis import infrastructure, risk
from xaibook.data.dataset import load_dataset
from xaibook.params import FLOAT, INT, PARAMETERS, PARAMETERS_BY_NAME

pytestmark = pytest.mark.thorough  # every case of a class: `make test`, not `make check`

RISK_PARAMETERS = (
    "monthly_spend_usd_bn",
    "starting_cash_usd_bn",
    "annual_revenue_growth_pct",
    "new_funding_usd_bn_per_year",
    "horizon_months",
)


def _edges(name: str) -> tuple[float, float]:
    parameter = PARAMETERS_BY_NAME[name]
    assert parameter.minimum is not None and parameter.maximum is not None, name
    return parameter.minimum, parameter.maximum


@pytest.fixture(scope="module")
def data():
    return load_dataset()


RISK_TEMPLATE = prose.template_file(paths.CHAPTERS_DIR / "risk.ipynb")


def _risk_text(macro: str, **values: object) -> str:
    return prose.render(RISK_TEMPLATE, macro, **values)


def _risk_title(macro: str, **values: object) -> str:
    return prose.render_text(RISK_TEMPLATE, macro, **values)


def _risk_outputs(data, base) -> None:
    """What the risk chapter computes from its parameters (chapters/risk.ipynb, in order)."""
    risk.findings(data, base)
    _risk_text("starting_cash", v=risk.starting_cash_values(data, base))
    _risk_text("base_scenario", v=risk.base_scenario_values(data, base))
    _risk_text("scenarios", scenarios=risk.scenario_values(data, base), base=base)
    frame = risk.runway_frame(data, base)
    title = _risk_title("runway_title", r=risk.runway(data, base))
    risk.runway_chart(frame, title).to_dict()
    risk.scenario_table(data, base)
    _risk_text("burn_comparison", v=risk.burn_values(data))
    burn = risk.revenue_spending_frame(data, base)
    title = _risk_title("revenue_spending_title", ratios=risk.spend_ratios(data))
    risk.revenue_spending_chart(burn, title).to_dict()
    _risk_text("what_would_change", v=risk.what_would_change_values(base))
    risk.headline(data, base)


def test_every_number_parameter_has_a_finite_range():
    numbers = [p.name for p in PARAMETERS if p.type in (FLOAT, INT)]
    assert set(numbers) == {*RISK_PARAMETERS, "capex_usd_bn_per_gw"}  # each exercised below
    for name in numbers:
        low, high = _edges(name)
        assert low < high


@pytest.mark.parametrize(
    "corner", list(itertools.product((0, 1), repeat=len(RISK_PARAMETERS))), ids=str
)
def test_the_risk_chapter_computes_at_every_corner_of_its_parameters(data, corner):
    values = [_edges(name)[side] for name, side in zip(RISK_PARAMETERS, corner, strict=True)]
    base = risk.base_assumptions(data, *values[:4], int(values[4]))
    _risk_outputs(data, base)


@pytest.mark.parametrize("side", [0, 1])
def test_the_infrastructure_chapter_computes_at_both_ends_of_the_capex_range(data, side):
    capex = _edges("capex_usd_bn_per_gw")[side]
    infrastructure.capital_per_gw(data, capex)
    values = infrastructure.capital_text_values(data, capex)
    prose.render(infrastructure.TEMPLATE, "capital_text", v=values)
    infrastructure.findings(data, capex)
