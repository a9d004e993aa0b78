"""Build parameters: every bad value is refused, before anything runs, naming the parameter."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from argparse import Namespace
from pathlib import Path

import pytest

from xaibook import paths
from xaibook.chapters import CHAPTERS, CHAPTERS_BY_SLUG
from xaibook.data.tables import ALL_TABLES
from xaibook.errors import ParameterError
from xaibook.params import (
    PARAMETERS,
    PARAMETERS_BY_NAME,
    describe_parameters,
    notebook_parameters,
    parse_cli_params,
    resolve_parameters,
)

CLI_REFUSAL_SECONDS = 5.0


def cli_args(*params: str, as_of=None, data=paths.DATA_DIR, output_format="html") -> Namespace:
    """What argparse hands to run_build for `xaibook build` (defaults included)."""
    return Namespace(param=list(params), as_of=as_of, data=data, format=output_format)


def test_defaults_cover_every_parameter_and_today():
    resolved = resolve_parameters(cli_args())
    assert list(resolved) == [parameter.name for parameter in PARAMETERS]
    assert resolved["as_of"] == dt.datetime.now(dt.UTC).date()
    assert resolved["data_dir"] == paths.DATA_DIR.resolve()
    assert resolved["output_format"] == "html"
    assert resolved["monthly_spend_usd_bn"] == 1.0
    assert resolved["horizon_months"] == 36


def test_values_are_typed_and_minus_p_equals_the_option():
    resolved = resolve_parameters(
        cli_args("horizon_months=48", "annual_revenue_growth_pct=-50", "as_of=2025-06-30")
    )
    assert resolved["horizon_months"] == 48 and isinstance(resolved["horizon_months"], int)
    assert resolved["annual_revenue_growth_pct"] == -50.0
    assert resolved["as_of"] == dt.date(2025, 6, 30)
    assert resolve_parameters(cli_args(as_of="2025-06-30"))["as_of"] == dt.date(2025, 6, 30)
    # the same value twice is not a conflict
    same = resolve_parameters(cli_args("as_of=2025-06-30", as_of="2025-06-30"))
    assert same["as_of"] == dt.date(2025, 6, 30)
    assert resolve_parameters(cli_args("output_format=pdf"))["output_format"] == "pdf"


@pytest.mark.parametrize(
    ("pairs", "options", "named"),
    [
        (["horizon_month=3"], {}, "horizon_month"),  # unknown name (typo)
        (["horizon_months=3.5"], {}, "horizon_months"),  # wrong type
        (["monthly_spend_usd_bn=lots"], {}, "monthly_spend_usd_bn"),
        (["monthly_spend_usd_bn=nan"], {}, "monthly_spend_usd_bn"),
        (["monthly_spend_usd_bn=-1"], {}, "monthly_spend_usd_bn"),  # out of range
        (["horizon_months=0"], {}, "horizon_months"),
        (["horizon_months=241"], {}, "horizon_months"),
        (["capex_usd_bn_per_gw=0"], {}, "capex_usd_bn_per_gw"),  # strictly positive
        (["annual_revenue_growth_pct=-101"], {}, "annual_revenue_growth_pct"),
        (["output_format=docx"], {}, "output_format"),  # unknown format
        ([], {"as_of": "2025-02-30"}, "as_of"),  # not a real date
        ([], {"as_of": "2025-1-5"}, "as_of"),
        ([], {"as_of": "20250105"}, "as_of"),
        (["as_of=yesterday"], {}, "as_of"),
        ([], {"data": Path("/no/such/folder")}, "data_dir"),  # missing data dir
        (["as_of=2025-01-01"], {"as_of": "2025-01-02"}, "as_of"),  # conflicting
        (["output_format=pdf"], {"output_format": "all"}, "output_format"),
        (["horizon_months"], {}, "horizon_months"),  # malformed: no "="
        (["=3"], {}, "NAME=VALUE"),
    ],
)
def test_bad_parameters_are_refused_naming_the_parameter(pairs, options, named):
    with pytest.raises(ParameterError) as raised:
        resolve_parameters(cli_args(*pairs, **options))
    assert named in str(raised.value)


def test_error_messages_say_what_was_expected():
    with pytest.raises(ParameterError, match=r"known parameters: as_of, data_dir"):
        parse_cli_params(["horizon_month=3"])
    with pytest.raises(ParameterError, match=r"'3\.5' is not a whole number"):
        parse_cli_params(["horizon_months=3.5"])
    with pytest.raises(ParameterError, match=r"out of range \(1 to 240\)"):
        parse_cli_params(["horizon_months=0"])
    with pytest.raises(ParameterError, match=r"expected NAME=VALUE"):
        parse_cli_params(["horizon_months"])


def test_data_dir_must_be_a_folder(tmp_path):
    a_file = tmp_path / "data.csv"
    a_file.write_text("x\n")
    with pytest.raises(ParameterError, match=r"data_dir: .* is not a folder"):
        resolve_parameters(cli_args(data=a_file))
    assert resolve_parameters(cli_args(data=tmp_path))["data_dir"] == tmp_path.resolve()


def test_notebook_parameters_are_json_safe_and_only_the_chapters_own():
    resolved = resolve_parameters(cli_args("monthly_spend_usd_bn=2", as_of="2025-06-30"))
    risk = notebook_parameters(resolved, CHAPTERS_BY_SLUG["risk"])
    assert risk["as_of"] == "2025-06-30"
    assert risk["data_dir"] == str(paths.DATA_DIR.resolve())
    assert risk["monthly_spend_usd_bn"] == 2.0
    funding = notebook_parameters(resolved, "funding")
    assert set(funding) == {"as_of", "data_dir", "output_format"}
    assert "capex_usd_bn_per_gw" in notebook_parameters(resolved, "infrastructure")


def test_registry_names_real_tables_and_parameters():
    assert [chapter.slug for chapter in CHAPTERS] == [
        "intro", "funding", "competition", "infrastructure", "risk", "methods",
    ]  # fmt: skip
    for chapter in CHAPTERS:
        assert set(chapter.tables) <= set(ALL_TABLES), chapter.slug
        assert set(chapter.parameters) <= set(PARAMETERS_BY_NAME), chapter.slug
        expected = "intro.ipynb" if chapter.slug == "intro" else f"chapters/{chapter.slug}.ipynb"
        assert chapter.notebook_path == expected
    for parameter in PARAMETERS:
        if parameter.chapters != "all":
            assert set(parameter.chapters) <= set(CHAPTERS_BY_SLUG), parameter.name


def test_describe_lists_every_parameter_with_source():
    text = describe_parameters()
    for parameter in PARAMETERS:
        assert parameter.name in text
        assert parameter.source in text


def _xaibook_command() -> list[str]:
    script = Path(sys.executable).parent / "xaibook"  # the console script of this venv
    return [str(script)] if script.is_file() else [sys.executable, "-m", "xaibook.cli"]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["-p", "no_such_parameter=1"], "no_such_parameter"),
        (["-p", "horizon_months=soon"], "horizon_months"),
        (["--as-of", "2025-02-30"], "as_of"),
        (["--as-of", "0001-01-01"], "0001-01-01"),
        (["--as-of", "9999-12-31"], "9999-12-31"),
        (["--data", "/no/such/folder"], "data_dir"),
        (["--format", "docx"], "--format"),  # refused by argparse itself
        (["-p", "output_format=docx"], "output_format"),
        (["-p", "horizon_months"], "NAME=VALUE"),
        (["-p", "horizon_months=999"], "horizon_months"),
        (["--jobs", "0"], "--jobs"),
    ],
)
def test_cli_refuses_bad_parameters_quickly(tmp_path, arguments, named):
    out = tmp_path / "out"
    started = time.monotonic()
    result = subprocess.run(
        [*_xaibook_command(), "build", "--out", str(out), *arguments],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert elapsed < CLI_REFUSAL_SECONDS
    assert not out.exists()  # refused before anything was written


def test_the_command_line_starts_without_the_data_libraries():
    """What makes a refusal quick on any machine, however busy: the command line parses and
    checks its arguments before pandas, Jinja2 or the bibliography reader are loaded."""
    heavy = ("pandas", "numpy", "jinja2", "altair", "pybtex")
    code = f"import sys, xaibook.cli; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "[]", result.stdout


@pytest.mark.parametrize(
    ("as_of", "bound"),
    [
        ("0001-01-01", "before 2000-01-01"),
        ("1999-12-31", "before 2000-01-01"),
        ("9999-12-31", "after today"),
        ((dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)).isoformat(), "after today"),
    ],
)
def test_as_of_outside_the_books_years_is_refused_naming_date_and_bound(as_of, bound):
    for args in (cli_args(as_of=as_of), cli_args(f"as_of={as_of}")):
        with pytest.raises(ParameterError, match=f"as_of: {as_of} is {bound}"):
            resolve_parameters(args)


def test_as_of_today_and_the_floor_are_accepted():
    today = dt.datetime.now(dt.UTC).date()
    assert resolve_parameters(cli_args(as_of=today.isoformat()))["as_of"] == today
    assert resolve_parameters(cli_args(as_of="2000-01-01"))["as_of"] == dt.date(2000, 1, 1)


@pytest.mark.parametrize("as_of", ["", "0001-01-01", "9999-12-31", "2025-02-30"])
def test_facts_refuses_an_as_of_exactly_like_build(as_of):
    from tests.conftest import run_cli

    facts = run_cli("facts", "--as-of", as_of)
    with pytest.raises(ParameterError) as raised:
        resolve_parameters(cli_args(as_of=as_of))
    assert facts.returncode == 1 and facts.stdout == ""
    assert facts.stderr.strip() == raised.value.report()


def test_a_symlink_loop_as_data_is_named_as_such(tmp_path):
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    with pytest.raises(ParameterError, match=r"data_dir: .*/a is a loop of symbolic links"):
        resolve_parameters(cli_args(data=tmp_path / "a"))
