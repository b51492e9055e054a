"""Shared building blocks of exitplan's Pulumi stacks (``stacks/<target>/``).

``spec`` parses the stack config that ``exitplan stacks config`` writes into typed dataclasses;
``layout``, ``rules`` and ``userdata`` are pure functions (networks split at provider limits,
placement groups, firewall rules, cloud-init); ``fleet`` is the provider-neutral
``ComponentResource`` and ``targets/<provider>.py`` the small provider-specific parts;
``program`` is what every ``__main__.py`` calls; ``offline`` runs a program under Pulumi's mocks.
This package imports nothing from ``planner``: a stack runs in its own virtualenv.
"""
