"""Pydantic models of everything exitplan reads and writes.

Units live in field names (``size_bytes``, ``baseline_bits_per_second``) and values are stored in
base units. ``None`` always means *unknown*, which is different from zero.
"""

from planner.models.base import Model, Provenance
from planner.models.datastore import DataStore, DataStoreKind
from planner.models.inventory import Inventory, Link, Problem
from planner.models.server import (
    Connection,
    ListeningService,
    LockinEvidence,
    MailRelay,
    NetworkLimits,
    OperatingSystem,
    Server,
    Source,
    SshAccess,
    StorageLimits,
    Volume,
)

__all__ = [
    "Connection",
    "DataStore",
    "DataStoreKind",
    "Inventory",
    "Link",
    "ListeningService",
    "LockinEvidence",
    "MailRelay",
    "Model",
    "NetworkLimits",
    "OperatingSystem",
    "Problem",
    "Provenance",
    "Server",
    "Source",
    "SshAccess",
    "StorageLimits",
    "Volume",
]
