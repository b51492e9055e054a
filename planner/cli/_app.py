"""Shared CLI plumbing: the error-handling group, consoles and output helpers."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import typer
from rich.console import Console
from typer import Context
from typer.core import TyperGroup

from planner.errors import ExitplanError

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
