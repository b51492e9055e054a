"""Faults injected by a real HTTP proxy in front of moto: denied regions, throttling beyond
retries, throttling that retries absorb, opt-in regions, denied CloudWatch, denied instance
types, and a collector that crashes. None of them ends the run."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from benchmarks.aws_account import Expected
from planner.discovery.aws import DiscoveryOptions, collect_data
from planner.io.seeds import aws_instance_types
from tests.discovery.aws.aws_fault_proxy import Rule
from tests.discovery.aws.conftest import EMPTY_PROFILE, MAIN_PROFILE, Moto, Run, recorded_run

pytestmark = [pytest.mark.network, pytest.mark.slow]


def options(url: str, *regions: str, **kw: Any) -> DiscoveryOptions:
    return DiscoveryOptions(profile=MAIN_PROFILE, regions=regions, endpoint_url=url, **kw)


def servers_in(run: Run, region: str) -> set[str]:
    return {s.id for s in run.result.inventory.servers if s.source.region == region}


def test_a_region_answering_access_denied_is_skipped_not_fatal(
    moto: Moto, account: Expected, fault_proxy: Any
) -> None:
    proxy = fault_proxy(Rule("UnauthorizedOperation", 403, region="eu-west-1"))
    run = recorded_run(options(proxy.url, "ap-southeast-2", "eu-west-1", max_attempts=2))
    expected = {i for i, s in account.servers.items() if s.region == "ap-southeast-2"}
    assert servers_in(run, "ap-southeast-2") == expected
    assert servers_in(run, "eu-west-1") == set()
    issues = run.result.issues
    assert issues and {i.region for i in issues} == {"eu-west-1"}
    assert {i.kind for i in issues} == {"access-denied"}
    skipped = {i.service for i in issues}
    assert {"ec2", "rds", "dynamodb", "sqs", "lambda", "cloudwatch"} <= skipped
    meta = run.result.inventory.metadata["discovery"]
    assert meta["complete"] is False
    assert meta["errors_summary"]["by_kind"] == {"access-denied": len(issues)}
    # buckets are listed account-wide, so eu-west-1 buckets are known but not measured
    eu_buckets = [
        d
        for d in run.result.inventory.data_stores
        if d.service == "s3" and d.source.region == "eu-west-1"
    ]
    assert len(eu_buckets) == 15 and all(b.used_bytes is None for b in eu_buckets)
    assert run.result.inventory.problems() == []


def test_throttling_beyond_retries_is_recorded_per_region(
    moto: Moto, account: Expected, fault_proxy: Any
) -> None:
    proxy = fault_proxy(Rule("ThrottlingException", 400, service="lambda"))
    run = recorded_run(options(proxy.url, "eu-west-1", "ap-southeast-2", max_attempts=2))
    issues = run.result.issues
    assert {(i.region, i.service, i.operation, i.kind) for i in issues} == {
        ("eu-west-1", "lambda", "ListFunctions", "throttled"),
        ("ap-southeast-2", "lambda", "ListFunctions", "throttled"),
    }
    lambda_requests = [s for s in proxy.seen if s[1] == "lambda"]
    assert len(lambda_requests) == 2 * 2  # every attempt reached the wire: it was retried
    assert "lambda" not in run.result.stats["census"]
    assert len(servers_in(run, "ap-southeast-2")) == 100  # everything else is complete


def test_throttling_that_retries_absorb_leaves_no_trace(
    moto: Moto, account: Expected, fault_proxy: Any
) -> None:
    proxy = fault_proxy(Rule("ThrottlingException", 400, service="sqs", times=2))
    run = recorded_run(options(proxy.url, "eu-west-1", max_attempts=3))
    assert run.result.complete, run.result.issues
    assert proxy.rules[0].matched == 2
    found = {e.detail for e in run.result.inventory.lockin if e.service == "sqs"}
    assert found == {a for a in account.census["sqs"] if ":eu-west-1:" in a}
    assert len(found) == 3


def test_opt_in_and_unknown_regions(moto: Moto, account: Expected, fault_proxy: Any) -> None:
    proxy = fault_proxy(Rule("OptInRequired", 403, region="ap-southeast-2"))
    run = recorded_run(options(proxy.url, "ap-southeast-2", "xx-nowhere-1", max_attempts=1))
    kinds = {(i.region, i.kind) for i in run.result.issues}
    assert ("ap-southeast-2", "region-not-enabled") in kinds
    assert ("xx-nowhere-1", "error") in kinds
    assert run.result.regions == ["ap-southeast-2"]  # the unknown region was not called at all
    assert not any(r == "xx-nowhere-1" for _, _, r in run.regional)
    assert run.result.inventory.servers == []


def test_all_regions_reads_every_enabled_region_and_skips_the_others(
    moto: Moto, account: Expected, fault_proxy: Any
) -> None:
    listed = (
        boto3.Session(profile_name=EMPTY_PROFILE)
        .client("ec2", endpoint_url=moto.url)
        .describe_regions(AllRegions=True)["Regions"]
    )
    aws = [r for r in listed if not r["RegionName"].startswith(("cn-", "us-gov-"))]
    enabled = sorted(r["RegionName"] for r in aws if r["OptInStatus"] != "not-opted-in")
    not_enabled = sorted(r["RegionName"] for r in aws if r["OptInStatus"] == "not-opted-in")
    assert len(enabled) > 10 and not_enabled
    # every region but us-east-1 answers AccessDenied at once, which keeps this test quick
    proxy = fault_proxy(Rule("AccessDenied", 403, spare=frozenset({"us-east-1"})))
    run = recorded_run(
        DiscoveryOptions(
            profile=EMPTY_PROFILE,
            all_regions=True,
            endpoint_url=proxy.url,
            max_attempts=1,
            concurrency=16,
        )
    )
    assert run.result.regions == enabled
    assert run.result.harvest.regions_not_enabled == not_enabled
    called = {region for _, _, region in run.regional}
    assert set(enabled) <= called and not called & set(not_enabled)
    denied = {i.region for i in run.result.issues}
    assert denied == set(enabled) - {"us-east-1"}
    assert {i.kind for i in run.result.issues} == {"access-denied"}


def test_denied_cloudwatch_falls_back_to_listing_with_deep(
    no_cloudwatch_run: Run, account: Expected
) -> None:
    buckets = {d.id: d for d in no_cloudwatch_run.result.inventory.data_stores if d.service == "s3"}
    expected = {n: v for n, v in account.buckets.items() if v[0] == "eu-west-1"}
    assert set(buckets) == set(expected)
    for name, (_, size, count) in expected.items():
        assert (buckets[name].used_bytes, buckets[name].object_count) == (size, count)
    assert no_cloudwatch_run.result.stats["buckets"]["size_from_listing"] == 15
    issues = no_cloudwatch_run.result.issues
    assert issues and {(i.service, i.kind) for i in issues} == {("cloudwatch", "access-denied")}
    shop = next(d for d in no_cloudwatch_run.result.inventory.data_stores if d.id == "shop-db")
    assert shop.size_bytes == 200 * 2**30 and shop.used_bytes is None  # no FreeStorageSpace


def test_denied_cloudwatch_without_deep_leaves_sizes_unknown(
    moto: Moto, account: Expected, fault_proxy: Any
) -> None:
    proxy = fault_proxy(Rule("AccessDenied", 403, service="monitoring"))
    run = recorded_run(options(proxy.url, "ap-southeast-2", max_attempts=1))
    buckets = [d for d in run.result.inventory.data_stores if d.service == "s3"]
    assert len(buckets) == 10
    assert all(b.used_bytes is None and b.object_count is None for b in buckets)
    assert sorted(b.id for b in buckets) == run.result.stats["buckets"]["size_unknown"]
    assert not any(op == "ListObjectsV2" for _, op in run.calls)


def test_denied_instance_types_fall_back_to_the_bundled_catalog(
    moto: Moto, account: Expected, fault_proxy: Any
) -> None:
    proxy = fault_proxy(
        Rule("UnauthorizedOperation", 403, service="ec2", action="DescribeInstanceTypes")
    )
    run = recorded_run(options(proxy.url, "ap-southeast-2", max_attempts=1))
    catalog = aws_instance_types()
    servers = run.result.inventory.servers
    assert len(servers) == 100
    for server in servers:
        assert server.instance_type is not None
        assert server.vcpus == catalog[server.instance_type].vcpus
        assert server.provenance["vcpus"] == "assumed"
    assert run.result.stats["instance_types_assumed"] == ["c5.2xlarge", "m6i.large", "r6g.large"]
    assert [(i.service, i.operation) for i in run.result.issues] == [
        ("ec2", "DescribeInstanceTypes")
    ]


def test_a_crashing_collector_is_recorded_and_the_rest_completes(
    moto: Moto, account: Expected, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(caller: Any) -> dict[str, Any]:
        raise RuntimeError("collector bug")

    monkeypatch.setattr(collect_data, "collect_efs", broken)
    run = recorded_run(options(moto.url, "ap-southeast-2"))
    assert [(i.region, i.service, i.code) for i in run.result.issues] == [
        ("ap-southeast-2", "efs", "RuntimeError")
    ]
    assert len(run.result.inventory.servers) == 100
