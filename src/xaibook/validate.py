"""Placeholder until the validator lands: the build calls collect_problems(data_dir)."""

from __future__ import annotations

from pathlib import Path


def collect_problems(data_dir: Path) -> list[str]:
    return []


def run_validate(data_dir: Path) -> int:
    problems = collect_problems(data_dir)
    for problem in problems:
        print(problem)
    return 1 if problems else 0
