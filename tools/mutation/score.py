"""Mutation score per file from mutmut's results (mutants/**/*.py.meta), and the survivors.

Usage: python tools/mutation/score.py [--minimum PERCENT] [--survivors FILE] [--list-survivors]

Killed, timed-out and type-check-caught mutants count as killed. Survivors and mutants that no
test reached ("no tests") count against the score; every one of them must be justified in
tools/mutation/SURVIVORS.md, and those that are not yet listed there are printed. Exit status 1
when the total is below the minimum or a mutant was left unchecked.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1: "killed", 3: "killed", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout"}
KILLED |= {255: "timeout", 37: "type check"}
NOT_KILLED = {0: "survived", 5: "no tests", 33: "no tests"}
SKIPPED = {34: "skipped"}


def mutant_results(mutants_dir: Path) -> dict[str, dict[str, int | None]]:
    """{source file: {mutant name: exit code}} for every mutated file under ``mutants_dir``."""
    results = {}
    for meta in sorted(mutants_dir.rglob("*.py.meta")):
        source = meta.relative_to(mutants_dir).as_posix().removesuffix(".meta")
        results[source] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    parser.add_argument("--minimum", type=float, default=90.0, help="percent (default 90)")
    parser.add_argument("--survivors", type=Path, default=Path("tools/mutation/SURVIVORS.md"))
    parser.add_argument(
        "--list-survivors",
        action="store_true",
        help="print only the names of the checked mutants that were not killed, one per line",
    )
    args = parser.parse_args(argv)

    results = mutant_results(args.mutants)
    if not results:
        print(f"no mutmut results under {args.mutants}: run `mutmut run` first", file=sys.stderr)
        return 1
    if args.list_survivors:  # for `run.sh --recheck`: run them again with today's tests
        for codes in results.values():
            for name, code in sorted(codes.items()):
                if code in NOT_KILLED:
                    print(name)
        return 0
    justified = args.survivors.read_text(encoding="utf-8") if args.survivors.exists() else ""
    total: Counter[str] = Counter()
    not_killed: list[tuple[str, str]] = []
    unchecked = 0
    print(f"{'file':36} {'mutants':>7} {'killed':>7} {'survived':>8} {'no test':>7} {'score':>7}")
    for source, codes in results.items():
        counts: Counter[str] = Counter()
        for name, code in sorted(codes.items()):
            if code in KILLED:
                counts["killed"] += 1
            elif code in NOT_KILLED:
                counts[NOT_KILLED[code]] += 1
                not_killed.append((name, NOT_KILLED[code]))
            elif code in SKIPPED:
                counts["skipped"] += 1
            else:  # not checked (None), suspicious, segfault: the run is not finished or broken
                counts["unchecked"] += 1
                unchecked += 1
                not_killed.append((name, f"unchecked (exit code {code})"))
        total.update(counts)
        print(_row(source, counts))
    print(_row("TOTAL", total))
    score = _score(total)

    unlisted = [(name, why) for name, why in not_killed if f"`{name}`" not in justified]
    print(f"\n{len(not_killed)} not killed, {len(unlisted)} not justified in {args.survivors}:")
    for name, why in unlisted:
        print(f"  {name}  ({why})")
    if unchecked:
        print(f"\nFAIL: {unchecked} mutants were not checked; run `mutmut run` again")
        return 1
    if score < args.minimum:
        print(f"\nFAIL: mutation score {score:.1f}% is below {args.minimum:g}%")
        return 1
    print(f"\nOK: mutation score {score:.1f}% (minimum {args.minimum:g}%)")
    return 0


def _score(counts: Counter[str]) -> float:
    counted = counts["killed"] + counts["survived"] + counts["no tests"] + counts["unchecked"]
    return 100.0 * counts["killed"] / counted if counted else 100.0


def _row(source: str, counts: Counter[str]) -> str:
    mutants = sum(counts[key] for key in ("killed", "survived", "no tests", "unchecked"))
    return (
        f"{source:36} {mutants:7} {counts['killed']:7} {counts['survived']:8} "
        f"{counts['no tests']:7} {_score(counts):6.1f}%"
    )


if __name__ == "__main__":
    sys.exit(main())
