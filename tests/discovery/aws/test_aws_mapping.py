"""Pure mapping of recorded AWS responses (``responses/``) to inventory models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planner.discovery.aws.assemble import build_inventory
from planner.discovery.aws.census import hits_from_items
from planner.discovery.aws.collect_s3 import bucket_region
from planner.discovery.aws.harvest import Bucket, CensusHit, Harvest, metric_key
from planner.discovery.aws.iam_policy import iam_action
from planner.discovery.aws.issues import Issue, classify, summarize
from planner.discovery.aws.mapping import (
    operating_system,
    role_hint,
    servers_and_loose_volumes,
    snapshots_by_volume,
)
from planner.discovery.aws.mapping_stores import (
    census_evidence,
    rds_service_id,
    store_from_bucket,
    store_from_file_system,
    store_from_table,
    stores_from_cache_clusters,
    stores_from_rds,
    unique_ids,
)
from planner.discovery.aws.mapping_types import limits_from_type, type_info_from_seed
from planner.discovery.aws.options import DiscoveryOptions
from planner.errors import InputError
from planner.io.seeds import aws_census, aws_instance_types
from planner.models import DataStore, Source

RESPONSES = Path(__file__).parent / "responses"
GIB = 2**30
ACCOUNT = "123456789012"
# service ids of research/lockin_knowledge.md §1 (main table and extra rows)
KNOWLEDGE_BASE_IDS = {
    "ec2",
    "ebs",
    "efs",
    "s3",
    "glacier",
    "rds-mysql",
    "rds-postgresql",
    "rds-mariadb",
    "rds-oracle",
    "rds-sqlserver",
    "rds-db2",
    "aurora-mysql",
    "aurora-postgresql",
    "rds-proxy",
    "dynamodb",
    "elasticache-redis",
    "elasticache-valkey",
    "elasticache-memcached",
    "memorydb",
    "sqs",
    "sns",
    "kinesis-data-streams",
    "kinesis-firehose",
    "kinesis-analytics",
    "msk",
    "eventbridge",
    "lambda",
    "step-functions",
    "api-gateway",
    "ecs",
    "fargate",
    "eks",
    "ecr",
    "elb",
    "cloudfront",
    "route53",
    "acm",
    "iam",
    "cognito",
    "kms",
    "secrets-manager",
    "ssm-parameter-store",
    "ssm",
    "cloudwatch",
    "xray",
    "ses",
    "opensearch",
    "redshift",
    "athena",
    "glue",
    "emr",
    "batch",
    "sagemaker",
    "elastic-beanstalk",
    "amplify",
    "appsync",
    "timestream",
    "neptune",
    "documentdb",
    "keyspaces",
    "vpc",
    "autoscaling",
    "application-autoscaling",
    "cloudformation",
    "codecommit",
    "codebuild",
    "codepipeline",
    "codedeploy",
    "amazon-mq",
    "waf",
    "serverless-application-repository",
    "bedrock",
    "transfer",
}


def recorded(name: str) -> Any:
    return json.loads((RESPONSES / f"{name}.json").read_text())


def instances() -> list[dict[str, Any]]:
    reservation = recorded("ec2_describe_instances")["Reservations"][0]
    return [{**i, "OwnerId": reservation["OwnerId"]} for i in reservation["Instances"]]


def instance_types() -> dict[str, Any]:
    types = recorded("ec2_describe_instance_types")["InstanceTypes"]
    return {t["InstanceType"]: t for t in types}


@pytest.mark.parametrize(
    ("tags", "role"),
    [
        ({"Role": "web"}, "web"),
        ({"role": "Database"}, "db"),
        ({"Tier": "Cache"}, "cache"),
        ({"ROLE": "Payments Service"}, "payments-service"),
        ({"Name": "prod-web-01"}, "web"),
        ({"Name": "eu-postgres-3"}, "db"),
        ({"Name": "ip-10-0-0-1"}, None),
        ({"Role": "worker", "Name": "web-1"}, "worker"),
        ({}, None),
    ],
)
def test_role_hints(tags: dict[str, str], role: str | None) -> None:
    assert role_hint(tags) == role


def test_operating_system_and_platform() -> None:
    assert operating_system({"Platform": "windows"})[0] == "windows"
    platform, found = operating_system(
        {"PlatformDetails": "Red Hat Enterprise Linux", "Architecture": "arm64"}
    )
    assert (platform, found.family, found.architecture) == ("linux", "rhel", "arm64")
    assert operating_system({})[1].name is None


def test_instance_type_limits_use_network_card_zero() -> None:
    types = instance_types()
    network, storage = limits_from_type(types["m5.large"])
    assert network.baseline_bits_per_second == 0.75e9
    assert network.burst_bits_per_second == 10e9
    assert storage.baseline_bytes_per_second == 81.25e6
    assert storage.burst_bytes_per_second == 593.75e6
    assert storage.baseline_iops == 3600
    big, _ = limits_from_type(types["c6in.32xlarge"])
    cards = types["c6in.32xlarge"]["NetworkInfo"]["NetworkCards"]
    assert len(cards) == 2 and big.baseline_bits_per_second == 200e9  # not 2 x 200


def test_catalog_fallback_gives_the_same_limits_as_the_api() -> None:
    from_api = limits_from_type(instance_types()["m5.large"])
    from_seed = limits_from_type(type_info_from_seed(aws_instance_types()["m5.large"]))
    assert from_api == from_seed


def test_servers_volumes_and_snapshots_from_recorded_ec2() -> None:
    volumes = recorded("ec2_describe_volumes")["Volumes"]
    snapshots = recorded("ec2_describe_snapshots")["Snapshots"]
    servers, loose = servers_and_loose_volumes(
        instances(),
        volumes,
        snapshots,
        region="eu-west-1",
        partition="aws",
        account=ACCOUNT,
        instance_types=instance_types(),
    )
    assert [s.id for s in servers] == ["i-11175c1e6e60d9ac5", "i-93c251227d0da6a6e"]
    rhel, web = servers
    assert web.role == "web" and web.tags == {"Name": "prod-web-01", "env": "prod"}
    assert web.hostname == "ip-10-216-99-91.eu-west-1.compute.internal"
    assert (web.address, web.private_address, web.public_address) == (
        "10.216.99.91",
        "10.216.99.91",
        "54.214.170.22",
    )
    assert web.source.zone == "eu-west-1b" and web.source.account == ACCOUNT
    assert (web.vcpus, web.memory_bytes) == (2, 8192 * 2**20)
    assert [v.id for v in web.volumes] == ["vol-4e81c94eb10327d00", "vol-6a73c0f2569f750e5"]
    root, data = web.volumes
    assert (root.device, root.volume_type, root.size_bytes, root.iops) == (
        "/dev/sda1",
        "gp2",
        8 * GIB,
        None,
    )
    assert root.throughput_bytes_per_second is None
    assert (data.device, data.size_bytes, data.iops) == ("/dev/sdf", 500 * GIB, 6000)
    assert data.throughput_bytes_per_second == 500 * 2**20
    assert data.snapshot_ids == ["snap-c846d1c063fb2c786"]
    # stopped RHEL host with an instance profile: kept, no public address, IAM evidence
    assert rhel.role == "app" and rhel.public_address is None
    assert (rhel.platform, rhel.os.family, rhel.os.architecture) == ("linux", "rhel", "arm64")
    assert [(e.service, e.detail) for e in rhel.lockin] == [
        ("ec2", f"arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/i-11175c1e6e60d9ac5"),
        ("iam", "arn:aws:iam::123456789012:instance-profile/web-role"),
    ]
    assert [(d.id, d.service, d.engine, d.size_bytes) for d in loose] == [
        ("vol-4da496314f2212a10", "ebs", "st1", 2000 * GIB)
    ]


def test_unknown_instance_type_leaves_limits_unknown() -> None:
    servers, _ = servers_and_loose_volumes(
        instances()[:1],
        [],
        [],
        region="eu-west-1",
        partition="aws",
        account=ACCOUNT,
        instance_types={},
    )
    assert servers[0].vcpus is None and servers[0].network.baseline_bits_per_second is None
    assert "vcpus" not in servers[0].provenance


def test_snapshots_owned_completed_newest_first() -> None:
    snaps = [
        {
            "SnapshotId": "s-old",
            "VolumeId": "v",
            "State": "completed",
            "OwnerId": ACCOUNT,
            "StartTime": "2024-01-01T00:00:00+00:00",
        },
        {
            "SnapshotId": "s-new",
            "VolumeId": "v",
            "State": "completed",
            "OwnerId": ACCOUNT,
            "StartTime": "2024-03-01T00:00:00+00:00",
        },
        {"SnapshotId": "s-pending", "VolumeId": "v", "State": "pending", "OwnerId": ACCOUNT},
        {"SnapshotId": "s-public", "VolumeId": "v", "State": "completed", "OwnerId": "999"},
    ]
    assert snapshots_by_volume(snaps, ACCOUNT) == {"v": ["s-new", "s-old"]}


@pytest.mark.parametrize(
    ("engine", "service"),
    [
        ("postgres", "rds-postgresql"),
        ("mysql", "rds-mysql"),
        ("mariadb", "rds-mariadb"),
        ("aurora-mysql", "aurora-mysql"),
        ("aurora", "aurora-mysql"),
        ("aurora-postgresql", "aurora-postgresql"),
        ("oracle-ee", "rds-oracle"),
        ("sqlserver-se", "rds-sqlserver"),
        ("db2-se", "rds-db2"),
        ("docdb", "documentdb"),
        ("neptune", "neptune"),
        ("something-new", "rds"),
        (None, "rds"),
    ],
)
def test_rds_engines_map_to_knowledge_base_ids(engine: str | None, service: str) -> None:
    assert rds_service_id(engine) == service
    assert service in KNOWLEDGE_BASE_IDS | {"rds"}


def test_rds_instances_replicas_and_aurora_clusters() -> None:
    metrics = {
        metric_key("FreeStorageSpace", "DBInstanceIdentifier", "orders-db"): 200e9,
        metric_key("VolumeBytesUsed", "DBClusterIdentifier", "analytics"): 1.5e12,
    }
    stores = stores_from_rds(
        recorded("rds_describe_db_instances")["DBInstances"],
        recorded("rds_describe_db_clusters")["DBClusters"],
        metrics,
        region="eu-west-1",
        account=ACCOUNT,
    )
    by_id = {s.id: s for s in stores}
    assert set(by_id) == {"analytics", "orders-db", "orders-db-replica"}
    orders = by_id["orders-db"]
    assert (orders.service, orders.engine, orders.engine_version) == (
        "rds-postgresql",
        "postgres",
        "15.4",
    )
    assert (orders.size_bytes, orders.used_bytes) == (500 * GIB, 500 * GIB - 200_000_000_000)
    assert orders.tags == {"team": "shop"} and orders.instance_class == "db.r6g.xlarge"
    replica = by_id["orders-db-replica"]
    assert replica.dependencies == ["orders-db"] and replica.used_bytes is None
    aurora = by_id["analytics"]
    assert (aurora.service, aurora.size_bytes, aurora.used_bytes) == (
        "aurora-postgresql",
        None,
        1_500_000_000_000,
    )
    assert aurora.instance_class == "db.r6g.large"  # from the writer member


def test_free_space_larger_than_allocation_does_not_go_negative() -> None:
    db = {"DBInstanceIdentifier": "x", "Engine": "mysql", "AllocatedStorage": 10}
    metrics = {metric_key("FreeStorageSpace", "DBInstanceIdentifier", "x"): 50 * GIB}
    (store,) = stores_from_rds([db], [], metrics, region="r", account=None)
    assert store.used_bytes == 0


def test_cache_nodes_fold_into_replication_groups() -> None:
    recorded_cluster = recorded("elasticache_describe_cache_clusters")["CacheClusters"]
    nodes = [
        {
            "CacheClusterId": "carts-001",
            "ReplicationGroupId": "carts",
            "Engine": "valkey",
            "CacheNodeType": "cache.m7g.large",
        },
        {
            "CacheClusterId": "carts-002",
            "ReplicationGroupId": "carts",
            "Engine": "valkey",
            "CacheNodeType": "cache.m7g.large",
        },
    ]
    stores = stores_from_cache_clusters(
        recorded_cluster + nodes, region="eu-west-1", partition="aws", account=ACCOUNT
    )
    assert [(s.id, s.service, s.kind) for s in stores] == [
        ("carts", "elasticache-valkey", "cache"),
        ("sessions", "elasticache-redis", "cache"),
    ]
    assert stores[0].lockin[0].detail == (
        f"arn:aws:elasticache:eu-west-1:{ACCOUNT}:replicationgroup:carts"
    )
    assert stores[1].lockin[0].detail == recorded_cluster[0]["ARN"]


def test_file_system_and_table() -> None:
    fs = recorded("efs_describe_file_systems")["FileSystems"][0]
    store = store_from_file_system(fs, region="eu-west-1", partition="aws", account=ACCOUNT)
    assert (store.id, store.kind, store.used_bytes, store.tags) == (
        fs["FileSystemId"],
        "file-system",
        0,
        {"Name": "shared"},
    )
    table = recorded("dynamodb_describe_table")["Table"]
    empty = store_from_table(table, region="eu-west-1", partition="aws", account=ACCOUNT)
    assert (empty.used_bytes, empty.object_count) == (0, 0)
    stale = store_from_table(
        {**table, "ItemCount": 12}, region="eu-west-1", partition="aws", account=ACCOUNT
    )
    assert (stale.used_bytes, stale.object_count) == (None, 12)  # size not refreshed yet
    sized = store_from_table(
        {**table, "ItemCount": 12, "TableSizeBytes": 4096},
        region="eu-west-1",
        partition="aws",
        account=ACCOUNT,
    )
    assert sized.used_bytes == 4096


def test_bucket_regions_and_stores() -> None:
    assert [bucket_region(c) for c in (None, "", "EU", "eu-central-1")] == [
        "us-east-1",
        "us-east-1",
        "eu-west-1",
        "eu-central-1",
    ]
    store = store_from_bucket(
        Bucket("media", "eu-west-1", 10, 2, "metrics"), partition="aws", account=ACCOUNT
    )
    assert (store.id, store.used_bytes, store.object_count) == ("media", 10, 2)
    assert store.lockin[0].detail == "arn:aws:s3:::media"
    unknown = store_from_bucket(Bucket("cold"), partition="aws", account=ACCOUNT)
    assert unknown.used_bytes is None and "used_bytes" not in unknown.provenance


def _store(
    name: str, region: str, service: str = "dynamodb", deps: list[str] | None = None
) -> DataStore:
    return DataStore(
        id=name,
        kind="database",
        service=service,
        dependencies=deps or [],
        source=Source(region=region),
    )


def test_unique_ids_rename_collisions_and_follow_dependencies() -> None:
    stores = [
        _store("orders", "eu-west-1", "rds-postgresql"),
        _store("orders", "us-east-1", "rds-postgresql"),
        _store("orders-replica", "us-east-1", "rds-postgresql", deps=["orders"]),
        _store(
            "orders-xr", "eu-west-1", "rds-postgresql", deps=["arn:aws:rds:us-east-1:1:db:orders"]
        ),
        _store("lost-replica", "eu-west-1", "rds-postgresql", deps=["gone"]),
        _store("i-1", "eu-west-1"),
    ]
    result = unique_ids(stores, taken={"i-1"})
    assert [s.id for s in result] == [
        "orders",
        "orders@us-east-1",
        "orders-replica",
        "orders-xr",
        "lost-replica",
        "i-1@eu-west-1",
    ]
    assert result[2].dependencies == ["orders@us-east-1"]
    assert result[3].dependencies == ["orders@us-east-1"]
    assert result[4].dependencies == []  # a source outside the inventory is dropped


def test_census_arns_from_recorded_pages() -> None:
    specs = {spec.client: spec for spec in aws_census().calls}
    sqs = hits_from_items(
        specs["sqs"],
        recorded("sqs_list_queues")["QueueUrls"],
        operation="ListQueues",
        partition="aws",
        region="eu-west-1",
        account=ACCOUNT,
    )
    assert sqs == [CensusHit("sqs", "sqs:ListQueues", f"arn:aws:sqs:eu-west-1:{ACCOUNT}:jobs")]
    zones = [z["Id"] for z in recorded("route53_list_hosted_zones")["HostedZones"]]
    (zone,) = hits_from_items(
        specs["route53"],
        zones,
        operation="ListHostedZones",
        partition="aws",
        region="",
        account=ACCOUNT,
    )
    assert zone.arn == "arn:aws:route53:::hostedzone/2QP6GYDQ5D63DTA29MRESC"
    names = [p["Name"] for p in recorded("ssm_describe_parameters")["Parameters"]]
    (param,) = hits_from_items(
        specs["ssm"],
        names,
        operation="DescribeParameters",
        partition="aws",
        region="eu-west-1",
        account=ACCOUNT,
    )
    assert param.arn == f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/app/db/url"
    groups = [g["Name"] for g in recorded("athena_list_work_groups")["WorkGroups"]]
    assert (
        hits_from_items(
            specs["athena"],
            groups,
            operation="ListWorkGroups",
            partition="aws",
            region="eu-west-1",
            account=ACCOUNT,
        )
        == []
    )
    arn = "arn:aws-cn:lambda:cn-north-1:1:function:f"
    (fn,) = hits_from_items(
        specs["lambda"],
        [arn],
        operation="ListFunctions",
        partition="aws-cn",
        region="cn-north-1",
        account="1",
    )
    assert fn.arn == arn


def test_census_specs_use_knowledge_base_ids() -> None:
    services = {spec.service for spec in aws_census().calls}
    assert len(services) >= 30
    assert services <= KNOWLEDGE_BASE_IDS
    assert len({spec.key for spec in aws_census().calls}) == len(aws_census().calls)


def test_census_evidence_is_sorted_and_deduplicated() -> None:
    hits = [
        CensusHit("sqs", "sqs:ListQueues", "arn:b"),
        CensusHit("kms", "kms:ListKeys", "arn:a"),
        CensusHit("sqs", "sqs:ListQueues", "arn:b"),
    ]
    evidence = census_evidence(hits)
    assert [(e.service, e.detail, e.origin) for e in evidence] == [
        ("kms", "arn:a", "aws-api"),
        ("sqs", "arn:b", "aws-api"),
    ]


def test_build_inventory_from_a_harvest() -> None:
    harvest = Harvest(account=ACCOUNT)
    region = harvest.region("eu-west-1")
    region.instances = instances()
    region.volumes = recorded("ec2_describe_volumes")["Volumes"]
    region.tables = [recorded("dynamodb_describe_table")["Table"]]
    harvest.instance_types = instance_types()
    harvest.buckets = [Bucket("carts", "eu-west-1", 1, 1, "metrics")]
    harvest.global_census = [CensusHit("route53", "route53:ListHostedZones", "arn:aws:route53:::x")]
    inventory = build_inventory(harvest)
    assert len(inventory.servers) == 2
    assert sorted(d.id for d in inventory.data_stores) == [
        "carts",
        "carts@eu-west-1",
        "vol-4da496314f2212a10",
    ]
    assert [e.service for e in inventory.lockin] == ["route53"]
    assert inventory.problems() == []


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("AccessDenied", "access-denied"),
        ("UnauthorizedOperation", "access-denied"),
        ("AccessDeniedException", "access-denied"),
        ("OptInRequired", "region-not-enabled"),
        ("AuthFailure", "region-not-enabled"),
        ("ThrottlingException", "throttled"),
        ("RequestLimitExceeded", "throttled"),
        ("SlowDown", "throttled"),
        ("EndpointConnectionError", "unreachable"),
        ("InternalError", "error"),
        (None, "error"),
    ],
)
def test_error_classification(code: str | None, kind: str) -> None:
    assert classify(code) == kind


def test_summary_counts_kinds_and_skipped_parts() -> None:
    issues = [
        Issue("eu-west-1", "ec2", "DescribeInstances", "access-denied", "X", "m"),
        Issue("eu-west-1", "ec2", "DescribeVolumes", "access-denied", "X", "m"),
        Issue("global", "s3", "ListBuckets", "throttled", "Y", "m"),
    ]
    assert summarize(issues) == {
        "errors": 3,
        "by_kind": {"access-denied": 2, "throttled": 1},
        "skipped": ["eu-west-1/ec2", "global/s3"],
    }


@pytest.mark.parametrize(
    ("signing", "operation", "action"),
    [
        ("monitoring", "GetMetricData", "cloudwatch:GetMetricData"),
        ("s3", "ListBuckets", "s3:ListAllMyBuckets"),
        ("s3", "ListObjectsV2", "s3:ListBucket"),
        ("apigateway", "GetRestApis", "apigateway:GET"),
        ("states", "ListStateMachines", "states:ListStateMachines"),
        (
            "elasticloadbalancing",
            "DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancers",
        ),
    ],
)
def test_iam_actions(signing: str, operation: str, action: str) -> None:
    assert iam_action(signing, operation) == action


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"concurrency": 0}, "--concurrency"),
        ({"max_attempts": 50}, "--max-attempts"),
        ({"regions": ("eu_west_1",)}, "not an AWS region"),
        ({"regions": ("eu-west-1",), "all_regions": True}, "either --region"),
        ({"endpoint_url": "127.0.0.1:5000"}, "--endpoint-url"),
    ],
)
def test_option_validation(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        DiscoveryOptions(**kwargs)


def test_service_availability_and_partitions_from_botocore_data() -> None:
    import boto3

    from planner.discovery.aws.session import ClientFactory

    factory = ClientFactory(boto3.Session(region_name="us-east-1"), DiscoveryOptions())
    ec2_regions = factory.session.get_available_regions("ec2")
    memorydb = set(factory.session.get_available_regions("memorydb"))
    missing = sorted(set(ec2_regions) - memorydb)
    assert missing, "botocore lists memorydb everywhere: pick another service"
    assert not factory.offered_in("memorydb", missing[0])
    assert factory.offered_in("memorydb", sorted(memorydb)[0])
    assert factory.offered_in("memorydb", "xx-future-1")  # newer than botocore: try it
    assert factory.partition_of("eu-west-1") == "aws"
    assert factory.partition_of("cn-north-1") == "aws-cn"
    assert factory.partition_of("xx-future-1") is None
