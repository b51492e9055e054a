"""Errors met during discovery, per region and service: classified, collected, summarised.

One failing call never ends a run: the caller records the failure here and carries on with what
it has. Anything recorded means part of the account was skipped, which the CLI reports with exit
code 1 while still writing the partial inventory.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

ACCESS_DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedException",
        "AuthorizationError",
        "AuthorizationErrorException",
        "Forbidden",
        "ForbiddenException",
    }
)
NOT_ENABLED = frozenset(
    {"OptInRequired", "AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException"}
)
THROTTLED = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "SlowDown",
        "ProvisionedThroughputExceededException",
        "LimitExceededException",
    }
)
KINDS = ("access-denied", "region-not-enabled", "throttled", "unreachable", "error")


def classify(code: str | None) -> str:
    """Map an AWS error code to one of :data:`KINDS`."""
    if code in ACCESS_DENIED:
        return "access-denied"
    if code in NOT_ENABLED:
        return "region-not-enabled"
    if code in THROTTLED:
        return "throttled"
    if code == "EndpointConnectionError" or code == "ConnectTimeout":
        return "unreachable"
    return "error"


@dataclass(frozen=True)
class Issue:
    """One skipped piece of the account."""

    region: str
    service: str
    operation: str
    kind: str
    code: str
    message: str


def describe_exception(exc: BaseException) -> tuple[str, str]:
    """(code, message) of a botocore/boto3 exception, without request details or secrets."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error") or {}
        code = str(error.get("Code") or type(exc).__name__)
        message = str(error.get("Message") or exc)
        return code, message[:500]
    name = type(exc).__name__
    if name in {"EndpointConnectionError", "ConnectTimeoutError", "ConnectionClosedError"}:
        return "EndpointConnectionError", str(exc)[:500]
    return name, str(exc)[:500]


class IssueLog:
    """Thread-safe collection of :class:`Issue`."""

    def __init__(self) -> None:
        self._issues: list[Issue] = []
        self._lock = threading.Lock()

    def record(self, region: str, service: str, operation: str, exc: BaseException) -> Issue:
        code, message = describe_exception(exc)
        issue = Issue(region, service, operation, classify(code), code, message)
        with self._lock:
            self._issues.append(issue)
        return issue

    def add(self, issue: Issue) -> None:
        with self._lock:
            self._issues.append(issue)

    @property
    def issues(self) -> list[Issue]:
        with self._lock:
            return sorted(self._issues, key=lambda i: (i.region, i.service, i.operation, i.code))

    def __len__(self) -> int:
        with self._lock:
            return len(self._issues)


def summarize(issues: list[Issue]) -> dict[str, Any]:
    """Counts by kind and the list of (region, service) pairs that were skipped."""
    by_kind = Counter(i.kind for i in issues)
    skipped = sorted({f"{i.region}/{i.service}" for i in issues})
    return {
        "errors": len(issues),
        "by_kind": {kind: by_kind[kind] for kind in KINDS if by_kind[kind]},
        "skipped": skipped,
    }


def issues_as_dicts(issues: list[Issue]) -> list[dict[str, str]]:
    return [asdict(i) for i in issues]
