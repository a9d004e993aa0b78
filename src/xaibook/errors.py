"""Errors the user can act on. ``report()`` is what the command line prints."""

from __future__ import annotations

from collections.abc import Iterable


class XaibookError(Exception):
    """Base class: an expected failure with a message meant for the user."""

    def report(self) -> str:
        return f"error: {self}"


class ParameterError(XaibookError):
    """A build parameter is unknown, of the wrong type, or out of range."""


class DataError(XaibookError):
    """The data folder failed validation; carries one line per problem."""

    def __init__(self, problems: Iterable[object]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} data problem(s)")

    def report(self) -> str:
        lines = [str(problem) for problem in self.problems]
        lines.append(f"data is invalid: {len(self.problems)} problem(s); nothing was built")
        return "\n".join(lines)


class BuildError(XaibookError):
    """A build step failed (a chapter raised, Sphinx or LaTeX failed, the output is locked)."""
