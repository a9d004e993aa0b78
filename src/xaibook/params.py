"""Build parameters, declared once: the CLI, the chapters' injected cells and `xaibook params`.

A parameter is either a fact about the build (``as_of``, ``data_dir``, ``output_format``) or a
scenario assumption a chapter reads (``monthly_spend_usd_bn``...). Every value is checked here,
before anything runs, so a typo fails in milliseconds instead of inside a kernel minutes later.
This module imports only the standard library: `xaibook params` and parameter errors stay fast.
"""

from __future__ import annotations

import datetime as dt
import errno
import math
import re
from argparse import Namespace
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from xaibook import paths
from xaibook.errors import ParameterError

# Kinds of value a parameter can hold; `_convert` turns CLI text into each.
DATE, DIRECTORY, CHOICE, FLOAT, INT = "date", "directory", "choice", "float", "int"
ALL_CHAPTERS = "all"
OUTPUT_FORMATS = ("html", "pdf", "all")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# No fact in the dataset is older (Epoch AI's earliest rounds are from the 2010s); an edition
# "as of" an earlier day would be empty, and years like 0001 only come from typos.
EARLIEST_AS_OF = dt.date(2000, 1, 1)
# Scenario bounds: far outside any plausible case (xAI spent about $1bn a month; the largest
# rounds are tens of billions; public estimates put a gigawatt at $35-60bn), yet narrow enough
# that every figure the model derives from them stays a printable number. A value outside is
# a typo, and is refused before any chapter runs.
MAX_MONTHLY_SPEND_USD_BN = 1_000.0
MAX_CASH_USD_BN = 10_000.0
# growth compounds over the longest horizon (20 years) on the largest revenue the schema admits
MAX_GROWTH_PCT = 200.0
MIN_CAPEX_USD_BN_PER_GW = 1.0
MAX_CAPEX_USD_BN_PER_GW = 1_000.0


@dataclass(frozen=True)
class Parameter:
    """One build parameter. ``default=None`` for ``as_of`` means "today (UTC)"."""

    name: str
    type: str
    default: object
    help: str
    source: str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    chapters: str | tuple[str, ...] = ALL_CHAPTERS  # chapter slugs that receive it, or "all"

    def applies_to(self, slug: str) -> bool:
        return self.chapters == ALL_CHAPTERS or slug in self.chapters


PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "as_of", DATE, None,
        "build the book as it could have been written on this date: later facts are left out",
        "build option (--as-of); default: today (UTC)",
    ),
    Parameter(
        "data_dir", DIRECTORY, paths.DATA_DIR,
        "data folder the chapters read (passed to notebooks as an absolute path)",
        "build option (--data)",
    ),
    Parameter(
        "output_format", CHOICE, "html",
        "what the build renders; chapters may choose static images for print",
        "build option (--format)", choices=OUTPUT_FORMATS,
    ),
    Parameter(
        "monthly_spend_usd_bn", FLOAT, 1.0,
        "cash spent per month on infrastructure, training and staff (USD bn)",
        "36Kr 2025-12-08: about $1bn a month on infrastructure and training",
        minimum=0.0, maximum=MAX_MONTHLY_SPEND_USD_BN, chapters=("risk", "intro"),
    ),
    Parameter(
        "starting_cash_usd_bn", FLOAT, 20.0,
        "cash at the start of the scenario (USD bn)",
        "Series E, January 2026",
        minimum=0.0, maximum=MAX_CASH_USD_BN, chapters=("risk", "intro"),
    ),
    Parameter(
        "annual_revenue_growth_pct", FLOAT, 100.0,
        "year-on-year growth of revenue in the scenario (%)",
        "assumption; Epoch AI revenue reports show xAI's annualized revenue rising from 0.1 to "
        "0.5 USD bn between Nov 2024 and Jul 2025",
        minimum=-100.0, maximum=MAX_GROWTH_PCT, chapters=("risk", "intro"),
    ),
    Parameter(
        "new_funding_usd_bn_per_year", FLOAT, 0.0,
        "new equity or debt raised per year in the scenario (USD bn)",
        "assumption: no new money, the stress case",
        minimum=0.0, maximum=MAX_CASH_USD_BN, chapters=("risk", "intro"),
    ),
    Parameter(
        "horizon_months", INT, 36,
        "length of the cash-runway scenario (months)",
        "assumption",
        minimum=1, maximum=240, chapters=("risk", "intro"),
    ),
    Parameter(
        "capex_usd_bn_per_gw", FLOAT, 40.0,
        "all-in capital cost of one gigawatt of AI data-centre capacity, chips included (USD bn)",
        "assumption: round figure inside the range of public industry estimates (about 35-60 "
        "USD bn per GW including accelerators); change it with -p to see the effect",
        minimum=MIN_CAPEX_USD_BN_PER_GW, maximum=MAX_CAPEX_USD_BN_PER_GW,
        chapters=("infrastructure", "intro"),
    ),
)  # fmt: skip

PARAMETERS_BY_NAME: dict[str, Parameter] = {parameter.name: parameter for parameter in PARAMETERS}


def today_utc() -> dt.date:
    # UTC, like the edition date, so a build just after midnight does not claim as_of > edition.
    return dt.datetime.now(dt.UTC).date()


def _known_names() -> str:
    return ", ".join(PARAMETERS_BY_NAME)


def _lookup(name: str) -> Parameter:
    try:
        return PARAMETERS_BY_NAME[name]
    except KeyError:
        raise ParameterError(
            f"unknown parameter {name!r}; known parameters: {_known_names()} "
            "(`xaibook params` describes them)"
        ) from None


def _expected(parameter: Parameter) -> str:
    if parameter.type == DATE:
        return "a date YYYY-MM-DD"
    if parameter.type == DIRECTORY:
        return "an existing directory"
    if parameter.type == CHOICE:
        return "one of " + ", ".join(parameter.choices or ())
    if parameter.type == INT:
        return "a whole number"
    return "a number"


def _wrong(parameter: Parameter, value: object) -> ParameterError:
    return ParameterError(f"parameter {parameter.name}: {value!r} is not {_expected(parameter)}")


def _convert(parameter: Parameter, value: object) -> object:
    """CLI text (or an already typed value) -> the parameter's type, range-checked."""
    if parameter.type == DATE:
        if isinstance(value, dt.date):
            if parameter.name == "as_of":
                _check_as_of_bounds(value)
            return value
        try:
            # fromisoformat also accepts 20250101 and week dates; insist on the documented form.
            if not ISO_DATE.fullmatch(str(value)):
                raise ValueError
            date = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ParameterError(
                f"parameter {parameter.name}: {value!r} is not a real date in the form YYYY-MM-DD"
            ) from None
        if parameter.name == "as_of":
            _check_as_of_bounds(date)
        return date
    if parameter.type == DIRECTORY:
        directory = Path(str(value)).expanduser()
        try:
            directory.resolve(strict=True)
        except (RuntimeError, OSError) as error:
            # Python 3.11 reports a symlink loop as RuntimeError, 3.13 as OSError(ELOOP); other
            # errors (a missing folder) are reported by the checks below
            if isinstance(error, RuntimeError) or error.errno == errno.ELOOP:
                raise ParameterError(
                    f"parameter {parameter.name}: {value} is a loop of symbolic links, not a folder"
                ) from None
        if not directory.exists():
            raise ParameterError(f"parameter {parameter.name}: folder {value} does not exist")
        if not directory.is_dir():
            raise ParameterError(f"parameter {parameter.name}: {value} is not a folder")
        return directory.resolve()
    if parameter.type == CHOICE:
        if value not in (parameter.choices or ()):
            raise _wrong(parameter, value)
        return value
    if parameter.type == INT:
        try:
            # CLI text or a declared default; str() also turns a stray True into a refusal
            number = int(str(value).strip())
        except ValueError:
            raise _wrong(parameter, value) from None
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise _wrong(parameter, value) from None
        if not math.isfinite(number):  # float() accepts "nan" and "inf"; no scenario means them
            raise _wrong(parameter, value)
    _check_range(parameter, number)
    return number


def _check_as_of_bounds(date: dt.date) -> None:
    """An edition is written on a day between the dataset's beginnings and today (UTC)."""
    today = today_utc()
    if date < EARLIEST_AS_OF:
        raise ParameterError(
            f"parameter as_of: {date.isoformat()} is before {EARLIEST_AS_OF.isoformat()}, "
            "the earliest date an edition can be written as of"
        )
    if date > today:
        raise ParameterError(
            f"parameter as_of: {date.isoformat()} is after today ({today.isoformat()}, UTC): "
            "an edition cannot know what is not yet published"
        )


def check_as_of_option(text: str) -> dt.date:
    """An ``--as-of`` value checked as the build checks it (form, real date, bounds)."""
    return _convert(PARAMETERS_BY_NAME["as_of"], text)


def _check_range(parameter: Parameter, number: float) -> None:
    """Numbers must lie within their declared bounds (both ends inclusive; every number has
    both, so that no accepted value can make a chapter fail later)."""
    if not parameter.minimum <= number <= parameter.maximum:
        raise ParameterError(
            f"parameter {parameter.name}: {number:g} is out of range ({_range_text(parameter)})"
        )


def _range_text(parameter: Parameter) -> str:
    if parameter.minimum is None or parameter.maximum is None:
        return ""
    return f"{parameter.minimum:g} to {parameter.maximum:g}"


def parse_cli_params(pairs: Iterable[str]) -> dict[str, object]:
    """``["NAME=VALUE", ...]`` (from ``-p``) -> typed, range-checked values."""
    values: dict[str, object] = {}
    for pair in pairs:
        name, separator, text = pair.partition("=")
        name = name.strip()
        if not separator or not name:
            raise ParameterError(
                f"-p {pair!r}: expected NAME=VALUE, for example -p horizon_months=48"
            )
        parameter = _lookup(name)
        value = _convert(parameter, text.strip())
        if name in values and values[name] != value:
            raise ParameterError(f"parameter {name} is given twice with different values")
        values[name] = value
    return values


def _merge_option(resolved: dict[str, object], name: str, option: str, value: object) -> None:
    """A dedicated CLI option and ``-p name=...`` mean the same thing; they must agree."""
    if value is None:
        return
    converted = _convert(PARAMETERS_BY_NAME[name], value)
    if name in resolved and resolved[name] != converted:
        raise ParameterError(
            f"parameter {name} is given twice: {option} {value} and -p {name}={resolved[name]}"
        )
    resolved[name] = converted


def resolve_parameters(cli_args: Namespace) -> dict[str, object]:
    """Defaults < ``--as-of/--data/--format`` and ``-p``; every value validated.

    ``--data`` and ``--format`` carry argparse defaults, so only a value that differs from the
    default counts as given on the command line.
    """
    resolved = parse_cli_params(getattr(cli_args, "param", None) or [])
    _merge_option(resolved, "as_of", "--as-of", getattr(cli_args, "as_of", None))
    data = getattr(cli_args, "data", None)
    if data is not None and not (
        "data_dir" in resolved and Path(data).resolve() == Path(paths.DATA_DIR).resolve()
    ):
        _merge_option(resolved, "data_dir", "--data", data)
    output_format = getattr(cli_args, "format", None)
    if output_format is not None and not ("output_format" in resolved and output_format == "html"):
        _merge_option(resolved, "output_format", "--format", output_format)
    for parameter in PARAMETERS:
        if parameter.name not in resolved:
            default = today_utc() if parameter.name == "as_of" else parameter.default
            resolved[parameter.name] = _convert(parameter, default)
    return {parameter.name: resolved[parameter.name] for parameter in PARAMETERS}


def json_value(value: object) -> object:
    """A resolved value as papermill injects it (dates as ISO strings, folders as absolute)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value.resolve())
    return value


def notebook_parameters(resolved: dict[str, object], chapter: object) -> dict[str, object]:
    """JSON-safe values of the parameters ``chapter`` declares (a Chapter or its slug)."""
    names = getattr(chapter, "parameters", None)
    if names is None:  # a slug: use the declarations in PARAMETERS
        names = parameters_for(str(chapter))
    return {name: json_value(resolved[name]) for name in names}


def parameters_for(slug: str) -> tuple[str, ...]:
    """Names of the parameters injected into chapter ``slug``, in declaration order."""
    return tuple(parameter.name for parameter in PARAMETERS if parameter.applies_to(slug))


def describe_parameters() -> str:
    """The text of `xaibook params`: one block per parameter."""
    blocks = ["Set with `xaibook build -p NAME=VALUE` (repeatable).", ""]
    for parameter in PARAMETERS:
        default = "today (UTC)" if parameter.name == "as_of" else json_value(parameter.default)
        limits = _range_text(parameter)
        chapters = (
            "all chapters" if parameter.chapters == ALL_CHAPTERS else ", ".join(parameter.chapters)
        )
        blocks.append(f"{parameter.name}  ({_expected(parameter)}; default {default})")
        blocks.append(f"    {parameter.help}")
        if limits:
            blocks.append(f"    range: {limits}")
        blocks.append(f"    chapters: {chapters}")
        blocks.append(f"    source: {parameter.source}")
        blocks.append("")
    return "\n".join(blocks).rstrip()
