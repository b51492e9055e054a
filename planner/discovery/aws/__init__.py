"""AWS discovery: read an account through read-only API calls into an :class:`Inventory`.

``discover_aws`` (in :mod:`planner.discovery.aws.run`) walks the requested regions in parallel,
collects raw API responses into a :class:`~planner.discovery.aws.harvest.Harvest`, and the pure
functions in :mod:`planner.discovery.aws.mapping` / :mod:`~planner.discovery.aws.mapping_stores`
turn it into inventory models. Failures are collected per region and service, never fatal.
"""

from planner.discovery.aws.options import DiscoveryOptions
from planner.discovery.aws.run import DiscoveryResult, discover_aws

__all__ = ["DiscoveryOptions", "DiscoveryResult", "discover_aws"]
