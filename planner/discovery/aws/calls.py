"""Calling AWS safely: paginate everything, record failures, return what was read.

Every collector reads through :class:`Caller`. A failing call is recorded in the
:class:`~planner.discovery.aws.issues.IssueLog` and answered with ``None``, so the collector can
keep whatever else it can read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import jmespath
from botocore.exceptions import BotoCoreError, ClientError

from planner.discovery.aws.issues import IssueLog
from planner.discovery.aws.session import ClientFactory

T = TypeVar("T")
FAILURES = (ClientError, BotoCoreError)
MAX_MANUAL_PAGES = 10_000


class Caller:
    """Read-only calls for one region, with failures recorded rather than raised."""

    def __init__(
        self, clients: ClientFactory, issues: IssueLog, region: str, label: str | None = None
    ) -> None:
        self.clients = clients
        self.issues = issues
        self.region = region
        self.label = label or region  # "global" for account-wide calls

    def client(self, service: str) -> Any:
        return self.clients.client(service, self.region)

    def guarded(self, service: str, operation: str, fn: Callable[[], T]) -> T | None:
        """Run ``fn``; on an AWS failure record it against this region and return None."""
        try:
            return fn()
        except FAILURES as exc:
            self.issues.record(self.label, service, operation, exc)
            return None

    def operation_name(self, service: str, method: str) -> str:
        """The API operation behind a client method (``list_web_acls`` -> ``ListWebACLs``)."""
        return _api_name(self.client(service), method)

    def call(self, service: str, method: str, **params: Any) -> dict[str, Any] | None:
        """One call (for operations without pagination)."""
        client = self.client(service)
        return self.guarded(
            service, _api_name(client, method), lambda: getattr(client, method)(**params)
        )

    def items(
        self,
        service: str,
        method: str,
        expression: str,
        *,
        token: tuple[str, str] | None = None,
        **params: Any,
    ) -> list[Any] | None:
        """All items selected by the JMESPath ``expression`` over every page of ``method``.

        Uses botocore's paginator when the operation has one; otherwise ``token`` names the
        (request parameter, response field) pair that carries the next-page token.
        """
        client = self.client(service)
        operation = _api_name(client, method)

        def read() -> list[Any]:
            if client.can_paginate(method):
                found = client.get_paginator(method).paginate(**params).search(expression)
                return [item for item in found if item is not None]
            return _manual_pages(getattr(client, method), expression, token, params)

        return self.guarded(service, operation, read)


def _manual_pages(
    fn: Callable[..., dict[str, Any]],
    expression: str,
    token: tuple[str, str] | None,
    params: dict[str, Any],
) -> list[Any]:
    compiled = jmespath.compile(expression)
    out: list[Any] = []
    request = dict(params)
    for _ in range(MAX_MANUAL_PAGES):
        page = fn(**request)
        selected = compiled.search(page)
        if isinstance(selected, list):
            out.extend(item for item in selected if item is not None)
        elif selected is not None:
            out.append(selected)
        if token is None:
            break
        request_key, response_key = token
        next_token = page.get(response_key)
        if not next_token or next_token == request.get(request_key):
            break
        request[request_key] = next_token
    return out


def _api_name(client: Any, method: str) -> str:
    return str(client.meta.method_to_api_mapping.get(method, method))
