"""``xaibook validate``: every problem in a data folder, one line each."""

from __future__ import annotations

import sys
from pathlib import Path

from xaibook.data.dataset import check_dataset, epoch_source_problems
from xaibook.data.problems import ERROR, Problem


def collect_all(data_dir: Path) -> list[Problem]:
    """Errors and warnings of the whole dataset."""
    checked = check_dataset(Path(data_dir))
    return checked.problems + epoch_source_problems(checked)


def collect_problems(data_dir: Path) -> list[Problem]:
    """Only the errors: what makes the build refuse the data (warnings do not)."""
    return [problem for problem in collect_all(data_dir) if problem.severity == ERROR]


def run_validate(data_dir: Path) -> int:
    problems = collect_all(data_dir)
    errors = [problem for problem in problems if problem.severity == ERROR]
    for problem in problems:
        print(problem, file=sys.stderr if problem.severity == ERROR else sys.stdout)
    if errors:
        print(f"{data_dir}: {len(errors)} error(s); the data was refused", file=sys.stderr)
        return 1
    print(f"{data_dir}: valid ({len(problems)} warning(s))")
    return 0
