"""boto3 sessions and clients: credential chain, adaptive retries, endpoint override, read-only.

Credentials come from boto3's standard chain (environment, shared config and credentials files,
SSO, container and instance metadata) and optionally a named profile; exitplan never reads,
stores or prints them. Every client refuses operations that are not reads (see
:func:`refuse_writes`), so discovery cannot change an account even by a bug.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ProfileNotFound

from planner.discovery.aws.options import DiscoveryOptions
from planner.errors import ExitplanError, InputError

READ_ONLY_PREFIXES = ("Describe", "List", "Get", "Head")


class WriteRefused(ExitplanError):
    """A discovery code path tried to call an API operation that is not a read."""


def is_read_only(operation: str) -> bool:
    """True for API operations that only read (``DescribeInstances``, ``ListBuckets``...)."""
    return operation.startswith(READ_ONLY_PREFIXES)


def refuse_writes(model: Any, **_: Any) -> None:
    """botocore ``before-call`` hook: stop any operation that is not a read."""
    if not is_read_only(model.name):
        raise WriteRefused(
            f"refusing {model.service_model.service_name}:{model.name}: discovery is read-only"
        )


def make_session(profile: str | None) -> boto3.Session:
    """A boto3 session with the standard credential chain, optionally for a named profile."""
    try:
        session = boto3.Session(profile_name=profile) if profile else boto3.Session()
    except ProfileNotFound:
        raise InputError(
            f"--profile: no AWS profile named {profile!r} in the AWS config files"
        ) from None
    return guard(session)


def guard(session: boto3.Session) -> boto3.Session:
    """Install :func:`refuse_writes` on ``session`` (once); clients made later inherit it."""
    session.events.register("before-call", refuse_writes, unique_id="exitplan-refuse-writes")
    return session


def client_config(options: DiscoveryOptions) -> Config:
    """Adaptive retry mode (client-side rate limiting on throttling), bounded pools, timeouts."""
    extra: dict[str, Any] = {}
    if options.endpoint_url:
        extra["s3"] = {"addressing_style": "path"}
    return Config(
        retries={"mode": "adaptive", "total_max_attempts": options.max_attempts},
        max_pool_connections=max(10, options.concurrency * 2),
        connect_timeout=options.connect_timeout_seconds,
        read_timeout=options.read_timeout_seconds,
        user_agent_extra="exitplan-discovery",
        **extra,
    )


class ClientFactory:
    """Creates and caches one client per (service, region); safe to use from many threads.

    boto3 sessions are not thread-safe but clients are, so creation is serialised by a lock and
    the clients are shared.
    """

    def __init__(self, session: boto3.Session, options: DiscoveryOptions) -> None:
        self.session = session
        self.options = options
        self._config = client_config(options)
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                found = self.session.client(
                    service,
                    region_name=region,
                    endpoint_url=self.options.endpoint_url,
                    config=self._config,
                )
                self._clients[key] = found
            return found

    def offered_in(self, service: str, region: str, partition: str = "aws") -> bool:
        """False only when botocore's endpoint data says ``service`` does not exist in a
        region it knows (so no call is made); regions newer than that data get a try."""
        with self._lock:
            known = self.session.get_available_regions("ec2", partition_name=partition)
            offered = self.session.get_available_regions(service, partition_name=partition)
        return region not in known or region in offered or not offered

    def partition_of(self, region: str) -> str | None:
        """The partition botocore places ``region`` in (``aws``, ``aws-cn``...), if known."""
        with self._lock:
            for partition in self.session.get_available_partitions():
                if region in self.session.get_available_regions("ec2", partition_name=partition):
                    return str(partition)
        return None
