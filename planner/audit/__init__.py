"""The lock-in audit: rules as data (``seeds/lockin``), evidence readers, matching, scoring, output.

Flow: :mod:`planner.audit.files` walks inputs and calls the pure readers, :mod:`.match` maps
observations to services with the rule :mod:`.catalog`, :mod:`.score` builds the scored
:class:`~planner.models.audit.AuditReport`, :mod:`.render` and :mod:`.sarif` format it.
"""
