"""Command line: ``xaibook build | validate | facts``.

Every expected failure (bad data, bad parameters, a failing chapter) is printed as short,
actionable lines and exits with status 1; no Python traceback reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from xaibook import paths
from xaibook.errors import XaibookError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


def _add_data_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=paths.DATA_DIR,
        metavar="DIR",
        help="data folder (default: the repository's data/)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xaibook",
        description="Build, validate and export the xAI compute-race book.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="execute the chapters and render the book")
    build.add_argument("--format", choices=["html", "pdf", "all"], default="html")
    build.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        default=None,
        help="build the book as it could have been written on this date (default: today)",
    )
    _add_data_arg(build)
    build.add_argument(
        "--out",
        type=Path,
        default=paths.DEFAULT_OUT_DIR,
        metavar="DIR",
        help="output folder: OUT/html/ and OUT/pdf/xaibook.pdf (default: _build)",
    )
    build.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a chapter parameter (repeatable); `xaibook params` lists them",
    )
    build.add_argument(
        "--keep-going",
        action="store_true",
        help="execute every chapter even after one fails; nothing is published",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="re-execute every chapter even if its inputs did not change",
    )
    build.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="chapters executed in parallel (default: number of CPU cores)",
    )

    validate = commands.add_parser("validate", help="check a data folder against the schema")
    _add_data_arg(validate)

    facts = commands.add_parser("facts", help="print the whole dataset as one long table")
    _add_data_arg(facts)
    facts.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        default=None,
        help="keep only facts published on or before this date",
    )
    facts.add_argument("--format", choices=["csv", "json"], default="csv")

    commands.add_parser("params", help="list the chapter parameters, their types and defaults")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            from xaibook.data.validate import run_validate

            return run_validate(args.data)
        if args.command == "facts":
            from xaibook.params import check_as_of_option

            # the same rules as `build --as-of`: an empty or impossible date is refused, not
            # read as "today" or as "keep nothing"
            as_of = None if args.as_of is None else check_as_of_option(args.as_of).isoformat()
            from xaibook.data.facts import run_facts

            return run_facts(args.data, as_of=as_of, output_format=args.format)
        if args.command == "params":
            from xaibook.params import describe_parameters

            print(describe_parameters())
            return EXIT_OK
        if args.command == "build":
            from xaibook.build import run_build

            return run_build(args)
    except XaibookError as error:
        print(error.report(), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `xaibook facts | head` closes stdout early; that is not an error
        return EXIT_OK
    except Exception as error:  # a bug, not bad input: short message, traceback on request
        if os.environ.get("XAIBOOK_DEBUG"):
            raise
        print(
            f"internal error: {type(error).__name__}: {error}\n"
            "This is a bug in xaibook; rerun with XAIBOOK_DEBUG=1 for the traceback "
            "and report it.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
