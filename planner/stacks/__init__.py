"""Pulumi stack support: the stack config writer and the offline preview runner.

``config`` (pure) turns a plan's capacity section and the inventory into the ``fleet`` object of
``Pulumi.<stack>.yaml``; ``files`` reads plans/seeds and writes stack files; ``export`` copies a
project out of the package for them; ``preview`` runs a stack program under Pulumi's mocks in a
child process. The programs themselves live in ``stacks/`` and never import ``planner``.
"""
