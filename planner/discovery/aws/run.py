"""One discovery run: identity, regions, then every (region, collector) task in a bounded pool.

Global work (caller identity, region list, bucket list and locations) runs first; then each
region's collectors run as separate tasks in one ``ThreadPoolExecutor`` of ``concurrency``
threads, so a slow service or region never holds up the others. Task results are merged in the
calling thread; the pure :func:`~planner.discovery.aws.assemble.build_inventory` makes the
inventory.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from planner import __version__
from planner.discovery.aws import collect_data, collect_ec2, collect_s3
from planner.discovery.aws.assemble import build_inventory, statistics
from planner.discovery.aws.calls import Caller
from planner.discovery.aws.harvest import Harvest
from planner.discovery.aws.issues import Issue, IssueLog, describe_exception, summarize
from planner.discovery.aws.options import DiscoveryOptions
from planner.discovery.aws.session import ClientFactory, guard, make_session
from planner.errors import InputError
from planner.io.seeds import aws_census
from planner.models import Inventory
from planner.models.census import CensusCall

GLOBAL = "global"
ENABLED = frozenset({"opt-in-not-required", "opted-in"})
REJECTED_CREDENTIALS = frozenset(
    {"InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "UnrecognizedClientException"}
)
GLOBAL_REGIONS = {"aws": "us-east-1", "aws-cn": "cn-northwest-1", "aws-us-gov": "us-gov-west-1"}
Task = Callable[[], dict[str, Any]]


class Progress(Protocol):
    """Receives progress events (called from the calling thread only)."""

    def planned(self, region: str, tasks: int) -> None: ...

    def finished(self, region: str, task: str) -> None: ...


@dataclass
class DiscoveryResult:
    inventory: Inventory
    issues: list[Issue]
    harvest: Harvest
    stats: dict[str, Any] = field(default_factory=dict)
    regions: list[str] = field(default_factory=list)
    duration_seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.issues


def discover_aws(
    options: DiscoveryOptions,
    *,
    session: boto3.Session | None = None,
    progress: Progress | None = None,
) -> DiscoveryResult:
    """Read the account behind the session's credentials; never raises for an AWS failure
    after the identity check (failures are in ``result.issues``)."""
    started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    census = aws_census().calls  # a broken seed fails here, before any call
    session = guard(session) if session is not None else make_session(options.profile)
    clients = ClientFactory(session, options)
    issues = IssueLog()
    harvest = Harvest()
    # identity and the region list are read in the profile's region, which is enabled
    home = session.region_name or "us-east-1"
    account_wide = Caller(clients, issues, home, label=GLOBAL)
    _identify(account_wide, harvest)
    regions = _regions(account_wide, options, harvest, home)
    account_wide = Caller(clients, issues, _global_region(harvest.partition, home), label=GLOBAL)
    with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
        _buckets(account_wide, harvest, regions, pool)
        tasks = _plan(clients, issues, harvest, regions, options, census)
        _run(pool, tasks, harvest, issues, progress)
    inventory = build_inventory(harvest)
    result = DiscoveryResult(
        inventory=inventory,
        issues=issues.issues,
        harvest=harvest,
        stats=statistics(inventory, harvest),
        regions=regions,
        duration_seconds=round(time.monotonic() - started, 3),
    )
    inventory.metadata["discovery"] = _metadata(result, options, started_at)
    return result


def _global_region(partition: str, home: str) -> str:
    """Where account-wide APIs (S3 bucket list, CloudFront, Route 53) are called."""
    return GLOBAL_REGIONS.get(partition, home)


def _identify(caller: Caller, harvest: Harvest) -> None:
    """Account id and partition from STS; credentials that AWS rejects end the run (exit 2)."""
    try:
        identity = caller.client("sts").get_caller_identity()
    except NoCredentialsError:
        raise InputError(
            "no AWS credentials found: set AWS_PROFILE or pass --profile, run `aws sso login`, "
            "or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        ) from None
    except (ClientError, BotoCoreError) as exc:
        code, message = describe_exception(exc)
        if code in REJECTED_CREDENTIALS or code == "EndpointConnectionError":
            raise InputError(f"AWS did not accept the session ({code}): {message}") from None
        caller.issues.record(caller.label, "sts", "GetCallerIdentity", exc)
        return
    harvest.account = identity.get("Account")
    harvest.caller_arn = identity.get("Arn")
    parts = str(harvest.caller_arn or "").split(":")
    if len(parts) > 1 and parts[1]:
        harvest.partition = parts[1]


def _regions(caller: Caller, options: DiscoveryOptions, harvest: Harvest, home: str) -> list[str]:
    """Regions to read. Requested regions that are not enabled are recorded and skipped."""
    listed = caller.items("ec2", "describe_regions", "Regions[]", AllRegions=True)
    if listed is None:
        return sorted(set(options.regions)) if options.regions else [home]
    status = {
        r["RegionName"]: r.get("OptInStatus", "opt-in-not-required")
        for r in listed
        if caller.clients.partition_of(r["RegionName"]) in (None, harvest.partition)
    }
    enabled = sorted(name for name, state in status.items() if state in ENABLED)
    if options.all_regions:
        harvest.regions_not_enabled = sorted(set(status) - set(enabled))
        return enabled
    chosen = []
    for region in sorted(set(options.regions or (home,))):
        if region in enabled:
            chosen.append(region)
            continue
        known = region in status
        caller.issues.add(
            Issue(
                region=region,
                service="ec2",
                operation="DescribeRegions",
                kind="region-not-enabled" if known else "error",
                code="OptInRequired" if known else "UnknownRegion",
                message=f"region {region} is not enabled for this account (opt-in region)"
                if known
                else f"region {region} is not offered to this account",
            )
        )
    return chosen


def _buckets(
    caller: Caller, harvest: Harvest, regions: list[str], pool: ThreadPoolExecutor
) -> None:
    """All buckets with their regions; only buckets in the chosen regions are kept."""
    buckets = collect_s3.list_buckets(caller)
    if not buckets:
        return
    located = list(pool.map(lambda b: collect_s3.locate(caller, b), buckets))
    wanted = set(regions)
    harvest.buckets = [b for b in located if b.region is None or b.region in wanted]
    harvest.buckets_elsewhere = len(located) - len(harvest.buckets)


def _plan(
    clients: ClientFactory,
    issues: IssueLog,
    harvest: Harvest,
    regions: list[str],
    options: DiscoveryOptions,
    census: list[CensusCall],
) -> list[tuple[str, str, Task]]:
    """(region, task name, task) for every collector; the heavy EC2 tasks first."""
    types = collect_ec2.InstanceTypeCache()
    harvest.instance_types = types.info
    harvest.assumed_instance_types = types.assumed
    partition, account = harvest.partition, harvest.account
    first: list[tuple[str, str, Task]] = []
    rest: list[tuple[str, str, Task]] = []
    for region in regions:
        harvest.region(region)
        c = Caller(clients, issues, region)
        first += [
            (region, "ec2", partial(collect_ec2.collect_instances, c, types)),
            (region, "ebs", partial(collect_ec2.collect_volumes, c)),
            (region, "ebs-snapshots", partial(collect_ec2.collect_snapshots, c, account)),
        ]
        rest += [
            (region, "rds", partial(collect_data.collect_rds, c)),
            (region, "elasticache", partial(collect_data.collect_cache, c)),
            (region, "efs", partial(collect_data.collect_efs, c)),
            (region, "dynamodb", partial(collect_data.collect_dynamodb, c)),
        ]
        in_region = [b for b in harvest.buckets if b.region == region]
        if in_region:
            measure = partial(collect_s3.measure_buckets, c, in_region, options.deep)
            rest.append((region, "s3", measure))
        for call in census:
            if call.scope == "regional" and clients.offered_in(call.client, region, partition):
                task = partial(collect_data.collect_census, c, call, partition, account, region)
                rest.append((region, call.service, task))
    home = _global_region(partition, clients.session.region_name or "us-east-1")
    account_wide = Caller(clients, issues, home, label=GLOBAL)
    for call in census:
        if call.scope == "global":
            task = partial(collect_data.collect_census, account_wide, call, partition, account, "")
            rest.append((GLOBAL, call.service, task))
    return first + rest


def _run(
    pool: ThreadPoolExecutor,
    tasks: list[tuple[str, str, Task]],
    harvest: Harvest,
    issues: IssueLog,
    progress: Progress | None,
) -> None:
    if progress:
        counts: dict[str, int] = {}
        for region, _, _ in tasks:
            counts[region] = counts.get(region, 0) + 1
        for region, count in counts.items():
            progress.planned(region, count)
    futures: dict[Future[dict[str, Any]], tuple[str, str]] = {
        pool.submit(task): (region, name) for region, name, task in tasks
    }
    try:
        for future in as_completed(futures):
            region, name = futures[future]
            try:
                _merge(harvest, region, future.result())
            except Exception as exc:  # a bug in one collector must not end the run
                issues.record(region, name, "collect", exc)
            if progress:
                progress.finished(region, name)
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        raise


def _merge(harvest: Harvest, region: str, found: dict[str, Any]) -> None:
    target = harvest.region(region) if region != GLOBAL else None
    for key, value in found.items():
        if target is None:
            harvest.global_census.extend(value)
        elif isinstance(value, dict):
            getattr(target, key).update(value)
        else:
            getattr(target, key).extend(value)


def _metadata(
    result: DiscoveryResult, options: DiscoveryOptions, started_at: dt.datetime
) -> dict[str, Any]:
    harvest = result.harvest
    return {
        "source": "aws",
        "tool": f"exitplan {__version__}",
        "started_at": started_at.isoformat(),
        "duration_seconds": result.duration_seconds,
        "account": harvest.account,
        "partition": harvest.partition,
        "profile": options.profile,
        "endpoint_url": options.endpoint_url,
        "deep": options.deep,
        "regions": result.regions,
        "regions_not_enabled": harvest.regions_not_enabled,
        "complete": result.complete,
        "counts": result.stats,
        "errors_summary": summarize(result.issues),
        "errors": [
            {
                "region": i.region,
                "service": i.service,
                "operation": i.operation,
                "kind": i.kind,
                "code": i.code,
                "message": i.message,
            }
            for i in result.issues
        ],
    }
