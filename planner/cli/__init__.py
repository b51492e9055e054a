"""The ``exitplan`` command line: thin typer wrappers, one module per command group."""
