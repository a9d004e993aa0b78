"""Build parameters: what `xaibook params` prints and each refusal says, word for word.

Written to kill mutants that survived `make mutation` (tools/mutation): the text a user reads
when they ask for help or mistype a value is part of the behaviour.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from argparse import Namespace

import pytest

from xaibook import paths
from xaibook.errors import ParameterError
from xaibook.params import (
    PARAMETERS,
    describe_parameters,
    resolve_parameters,
    today_utc,
)


def cli_args(*params: str, as_of=None, data=paths.DATA_DIR, output_format="html") -> Namespace:
    return Namespace(param=list(params), as_of=as_of, data=data, format=output_format)


def refusal(*params: str, **options) -> str:
    with pytest.raises(ParameterError) as raised:
        resolve_parameters(cli_args(*params, **options))
    return str(raised.value)


def test_params_text_describes_each_kind_of_parameter_exactly():
    text = describe_parameters()
    assert text.startswith("Set with `xaibook build -p NAME=VALUE` (repeatable).\n\nas_of  (")
    assert text.endswith("source: " + PARAMETERS[-1].source)  # no trailing blank line
    blocks = text.split("\n\n")
    assert len(blocks) == 1 + len(PARAMETERS)
    assert blocks[1] == (
        "as_of  (a date YYYY-MM-DD; default today (UTC))\n"
        f"    {PARAMETERS[0].help}\n"
        "    chapters: all chapters\n"
        "    source: build option (--as-of); default: today (UTC)"
    )
    assert blocks[2].startswith(
        f"data_dir  (an existing directory; default {paths.DATA_DIR.resolve()})\n"
    )
    assert blocks[3].startswith("output_format  (one of html, pdf, all; default html)\n")
    assert blocks[4] == (
        "monthly_spend_usd_bn  (a number; default 1.0)\n"
        f"    {PARAMETERS[3].help}\n"
        "    range: 0 to 1000\n"
        "    chapters: risk, intro\n"
        f"    source: {PARAMETERS[3].source}"
    )
    assert "    range: -100 to 200\n" in blocks[6]
    assert blocks[8].startswith("horizon_months  (a whole number; default 36)\n")
    assert "    range: 1 to 240\n" in blocks[8]
    assert "    range: 1 to 1000\n    chapters: infrastructure, intro\n" in blocks[9]


def test_each_refusal_says_what_was_given_and_what_was_expected():
    known = ", ".join(parameter.name for parameter in PARAMETERS)
    assert refusal("horizon_month=3") == (
        f"unknown parameter 'horizon_month'; known parameters: {known} "
        "(`xaibook params` describes them)"
    )
    assert refusal("output_format=docx") == (
        "parameter output_format: 'docx' is not one of html, pdf, all"
    )
    assert refusal("horizon_months=soon") == (
        "parameter horizon_months: 'soon' is not a whole number"
    )
    assert refusal("monthly_spend_usd_bn=lots") == (
        "parameter monthly_spend_usd_bn: 'lots' is not a number"
    )
    assert refusal("monthly_spend_usd_bn=inf") == (
        "parameter monthly_spend_usd_bn: 'inf' is not a number"
    )
    assert refusal("horizon_months=12", "horizon_months=24") == (
        "parameter horizon_months is given twice with different values"
    )


def test_range_limits_are_inclusive():
    assert resolve_parameters(cli_args("horizon_months=240"))["horizon_months"] == 240
    assert resolve_parameters(cli_args("horizon_months=1"))["horizon_months"] == 1
    assert resolve_parameters(cli_args("monthly_spend_usd_bn=0"))["monthly_spend_usd_bn"] == 0
    assert refusal("horizon_months=241") == (
        "parameter horizon_months: 241 is out of range (1 to 240)"
    )
    assert refusal("capex_usd_bn_per_gw=0") == (
        "parameter capex_usd_bn_per_gw: 0 is out of range (1 to 1000)"
    )
    assert refusal("monthly_spend_usd_bn=-0.5") == (
        "parameter monthly_spend_usd_bn: -0.5 is out of range (0 to 1000)"
    )


def test_a_value_may_contain_an_equals_sign(tmp_path):
    folder = tmp_path / "edition=2026"
    folder.mkdir()
    resolved = resolve_parameters(cli_args(f"data_dir={folder}"))
    assert resolved["data_dir"] == folder.resolve()


def test_minus_p_data_dir_wins_over_the_default_data_option(tmp_path):
    # --data always carries argparse's default; only a different --data is a second value
    assert resolve_parameters(cli_args(f"data_dir={tmp_path}"))["data_dir"] == tmp_path.resolve()
    same = resolve_parameters(cli_args(f"data_dir={tmp_path}", data=tmp_path))
    assert same["data_dir"] == tmp_path.resolve()
    assert refusal(f"data_dir={tmp_path}", data=tmp_path / "..") == (
        f"parameter data_dir is given twice: --data {tmp_path / '..'} "
        f"and -p data_dir={tmp_path.resolve()}"
    )


def test_conflicts_name_the_option_and_the_minus_p_value():
    assert refusal("as_of=2025-01-01", as_of="2025-01-02") == (
        "parameter as_of is given twice: --as-of 2025-01-02 and -p as_of=2025-01-01"
    )
    assert refusal("output_format=html", output_format="pdf") == (
        "parameter output_format is given twice: --format pdf and -p output_format=html"
    )


def test_a_namespace_without_build_options_gets_every_default():
    # a caller that has no build options (a script, a test) still gets every default
    resolved = resolve_parameters(Namespace())
    assert resolved["data_dir"] == paths.DATA_DIR.resolve()
    assert resolved["output_format"] == "html"
    assert resolved["as_of"] == today_utc()


@pytest.mark.parametrize("zone", ["Etc/GMT-14", "Etc/GMT+12"])
def test_today_is_the_utc_date_in_any_time_zone(monkeypatch, zone):
    # 26 hours apart: at any moment one of these zones is on another date than UTC
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert today_utc() == dt.datetime.now(dt.UTC).date()
    finally:
        monkeypatch.undo()
        time.tzset()
    assert os.environ.get("TZ") != zone


def test_an_as_of_given_as_a_date_object_is_held_to_the_same_bounds():
    # a script may pass a datetime.date instead of text: a day in the future is still refused
    message = refusal(as_of=dt.date(2999, 1, 1))
    assert "as_of" in message and "2999-01-01" in message
    assert resolve_parameters(cli_args(as_of=dt.date(2025, 6, 30)))["as_of"] == dt.date(2025, 6, 30)


def test_a_data_folder_that_does_not_exist_is_named_as_missing(tmp_path):
    message = refusal(f"data_dir={tmp_path / 'nowhere'}")
    assert "does not exist" in message and str(tmp_path / "nowhere") in message
    assert "loop" not in message


def test_an_as_of_out_of_bounds_is_refused_with_the_reason():
    early = refusal(as_of="1999-12-31")
    assert early.endswith("the earliest date an edition can be written as of")
    late = refusal(as_of="2999-01-01")
    assert late.endswith("an edition cannot know what is not yet published")
