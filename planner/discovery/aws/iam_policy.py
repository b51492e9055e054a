"""Which IAM action authorises which API call, for ``docs/aws-readonly-policy.json``.

The IAM action is usually ``<signing name>:<operation>``; the exceptions are listed here. The
test suite records every call a discovery run makes and checks the policy against them, both
ways (no call without an action, no action without a call).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

IAM_PREFIX = {"monitoring": "cloudwatch"}  # CloudWatch signs as "monitoring"
ACTION_OVERRIDES = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "HeadBucket"): "s3:ListBucket",
    ("apigateway", "GetRestApis"): "apigateway:GET",  # API Gateway authorises by HTTP verb
    ("apigateway", "GetApis"): "apigateway:GET",
}


def iam_action(signing_name: str, operation: str) -> str:
    """The IAM action for one API operation (``monitoring``/``GetMetricData`` ->
    ``cloudwatch:GetMetricData``)."""
    override = ACTION_OVERRIDES.get((signing_name, operation))
    if override:
        return override
    return f"{IAM_PREFIX.get(signing_name, signing_name)}:{operation}"


def policy_actions(document: dict[str, Any]) -> set[str]:
    """Every action the Allow statements of an IAM policy document grant."""
    found: set[str] = set()
    for statement in document.get("Statement", []):
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        found.update([actions] if isinstance(actions, str) else actions)
    return found


def load_policy(path: str | Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def actions_for_calls(calls: Iterable[tuple[str, str]]) -> set[str]:
    """IAM actions for (signing name, operation) pairs."""
    return {iam_action(signing, operation) for signing, operation in calls}
