"""What the user asked ``discover aws`` to do (no credentials: those stay with boto3)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.errors import InputError

REGION_PATTERN = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")


@dataclass(frozen=True)
class DiscoveryOptions:
    """Options of one discovery run.

    ``profile`` names a profile of the standard AWS config files; credentials themselves are
    resolved by boto3's credential chain and never pass through exitplan.
    """

    profile: str | None = None
    regions: tuple[str, ...] = ()
    all_regions: bool = False
    endpoint_url: str | None = None
    deep: bool = False
    concurrency: int = 8
    max_attempts: int = 10
    connect_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 60.0

    def __post_init__(self) -> None:
        if not 1 <= self.concurrency <= 64:
            raise InputError(f"--concurrency must be between 1 and 64, got {self.concurrency}")
        if not 1 <= self.max_attempts <= 20:
            raise InputError(f"--max-attempts must be between 1 and 20, got {self.max_attempts}")
        if self.all_regions and self.regions:
            raise InputError("use either --region or --all-regions, not both")
        for region in self.regions:
            if not REGION_PATTERN.match(region):
                raise InputError(f"--region: {region!r} is not an AWS region name (e.g. eu-west-1)")
        if self.endpoint_url is not None and not re.match(r"^https?://", self.endpoint_url):
            raise InputError(
                f"--endpoint-url must start with http:// or https://, got {self.endpoint_url!r}"
            )
