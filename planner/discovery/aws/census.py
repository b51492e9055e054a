"""The managed-service census: turn what a list call selected into lock-in hits with ARNs (pure).

The calls themselves are data: ``seeds/aws/census.yaml``, one
:class:`~planner.models.census.CensusCall` per read-only list call (service id, boto3 client and
method, JMESPath select, ARN template, name normaliser, paging, scope and the API reference page
it was checked against), loaded by :func:`planner.io.seeds.aws_census`. Data stores (S3, RDS,
ElastiCache, EFS, DynamoDB) are found by their own collectors. Adding a service is one entry in
the seed and one action in ``docs/aws-readonly-policy.json``.
"""

from __future__ import annotations

from typing import Any

from planner.discovery.aws.harvest import CensusHit
from planner.models.census import CensusCall


def hits_from_items(
    call: CensusCall,
    items: list[Any],
    *,
    operation: str,
    partition: str,
    region: str,
    account: str | None,
) -> list[CensusHit]:
    """ARNs for the items one census call (API ``operation``) selected (pure)."""
    signal = f"{call.client}:{operation}"
    hits = []
    for item in items:
        value = str(item)
        name = call.name_of(value)
        if name in call.exclude or not name:
            continue
        if call.arn is None:
            found = value
        else:
            found = call.arn.format(
                partition=partition, region=region, account=account or "", name=name
            )
        hits.append(CensusHit(call.service, signal, found))
    return hits
