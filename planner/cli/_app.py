"""Shared CLI plumbing: the error-handling group, consoles and output helpers."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from typer import Context
from typer.core import TyperGroup

from planner.errors import ExitplanError
from planner.io.atomic import check_writable

F = TypeVar("F", bound=StrEnum)

SUFFIX_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".sarif": "sarif"}
"""Output file extension -> ``--format`` value, used when ``-o`` is given without ``--format``."""

console = Console()
err_console = Console(stderr=True)


class ExitplanGroup(TyperGroup):
    """A command group that turns :class:`ExitplanError` into a message and an exit code."""

    def invoke(self, ctx: Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ExitplanError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            err_console.print("interrupted")
            raise typer.Exit(130) from None


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``message`` to stderr without markup or traceback and exit with ``code``."""
    for line in message.splitlines() or [message]:
        err_console.print(line, markup=False, highlight=False, soft_wrap=True)
    sys.stderr.flush()
    raise typer.Exit(code)


def new_app(help_text: str) -> typer.Typer:
    """A typer app configured the exitplan way."""
    return typer.Typer(
        cls=ExitplanGroup,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )


def output_format(chosen: F | None, output: Path | None, default: F) -> F:
    """The explicit ``--format``, else the one ``-o``'s extension names (if the command has it),
    else ``default``: ``-o plan.json`` writes JSON, ``-o audit.sarif`` SARIF."""
    if chosen is not None:
        return chosen
    name = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    kinds = type(default)
    return kinds(name) if name is not None and name in set(kinds) else default


def writable(path: Path | None) -> Path | None:
    """A typer callback for ``-o``: stop before the work when the output cannot be written."""
    if path is not None:
        check_writable(path)
    return path
