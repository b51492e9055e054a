"""Allow ``python -m planner`` as an alias of the ``exitplan`` command."""

from planner.cli.main import run

run()
