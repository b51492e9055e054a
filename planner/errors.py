"""The one root error class and its families.

Every error exitplan raises on purpose derives from :class:`ExitplanError`. The CLI maps
:class:`InputError` (bad usage or bad input files) to exit code 2 and prints only the message.
"""

from __future__ import annotations


class ExitplanError(Exception):
    """Root of every error exitplan raises deliberately."""

    exit_code = 1


class InputError(ExitplanError, ValueError):
    """The user gave us something we cannot use: a bad file, value or option (exit code 2)."""

    exit_code = 2


class OutputError(InputError, OSError):
    """An output file or directory cannot be written: a directory, a file in the way, no
    permission (exit code 2). Also an ``OSError``, so code that caught write errors still does."""


class UnitError(InputError):
    """A size, rate or duration string could not be parsed."""


class InventoryError(InputError):
    """An inventory file is malformed; carries one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class SeedError(ExitplanError):
    """Bundled or user seed data is invalid (a defect in data, not in user input)."""
