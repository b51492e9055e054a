"""Seed a realistic AWS account into a moto server and remember what was created.

Used by the discovery tests (which compare the inventory with :class:`Expected` field by field)
and by ``benchmarks/discover_aws.py``. 500 live instances over three regions and several
instance families (plus terminated ones that must not appear), 700 EBS volumes of mixed types
(roots and data volumes, attached and loose) with snapshots, 50 buckets with objects, RDS
(PostgreSQL, MySQL, a read replica, an Aurora cluster, MariaDB), ElastiCache, EFS, DynamoDB,
SQS, Lambda and a score of other managed services.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import boto3

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
LINUX_AMI = "ami-1e749f67"  # an Ubuntu image in moto's default catalogue
WINDOWS_AMI = "ami-12c6146b"
GIB = 2**30


@dataclass(frozen=True)
class Batch:
    instance_type: str
    count: int
    tags: dict[str, str]
    role: str  # what discovery should infer
    root_type: str
    root_gib: int
    windows: bool = False
    unique_names: str | None = None  # Name tag prefix, one name per instance


FLEET: dict[str, list[Batch]] = {
    "us-east-1": [
        Batch("m5.large", 60, {"Role": "web", "env": "prod"}, "web", "gp3", 20),
        Batch("m5.xlarge", 40, {"role": "app"}, "app", "gp3", 30),
        Batch("c5.2xlarge", 30, {}, "worker", "gp2", 50, unique_names="prod-worker"),
        Batch("r5.xlarge", 20, {"Role": "db"}, "db", "gp2", 100),
        Batch("t3.medium", 40, {"team": "misc"}, "unknown", "gp2", 8),
        Batch("m6i.4xlarge", 20, {"Tier": "Cache"}, "cache", "gp3", 40),
        Batch("c6gn.16xlarge", 10, {"Name": "media-transcode"}, "media", "gp3", 100),
        Batch("m5.xlarge", 10, {"Role": "app", "os": "windows"}, "app", "gp2", 60, windows=True),
        Batch("i3.2xlarge", 20, {"Name": "search-node"}, "search", "gp2", 30),
    ],
    "eu-west-1": [
        Batch("m5.large", 50, {"Role": "web"}, "web", "gp3", 20),
        Batch("r5.xlarge", 30, {"Name": "eu-postgres"}, "db", "gp2", 200),
        Batch("c5.2xlarge", 40, {"Role": "worker"}, "worker", "gp3", 40),
        Batch("t3.medium", 30, {}, "unknown", "gp2", 8),
    ],
    "ap-southeast-2": [
        Batch("m6i.large", 40, {"Role": "web"}, "web", "gp3", 20),
        Batch("r6g.large", 30, {"Name": "redis-cache"}, "cache", "gp2", 20),
        Batch("c5.2xlarge", 30, {"role": "api"}, "app", "gp3", 30),
    ],
}
DATA_VOLUMES = {"us-east-1": (70, 30), "eu-west-1": (45, 15), "ap-southeast-2": (30, 10)}
VOLUME_KINDS: list[dict[str, Any]] = [
    {"VolumeType": "gp3", "Size": 500, "Iops": 6000, "Throughput": 500},
    {"VolumeType": "gp2", "Size": 250},
    {"VolumeType": "io2", "Size": 1000, "Iops": 20000},
    {"VolumeType": "st1", "Size": 2000},
    {"VolumeType": "gp3", "Size": 100, "Iops": 3000, "Throughput": 125},
    {"VolumeType": "io1", "Size": 400, "Iops": 8000},
    {"VolumeType": "sc1", "Size": 4000},
    {"VolumeType": "gp3", "Size": 1500, "Iops": 12000, "Throughput": 1000},
]


@dataclass
class ExpectedVolume:
    region: str
    volume_type: str
    size_gib: int
    iops: int | None
    throughput_mib: int | None
    instance_id: str | None = None
    device: str | None = None


@dataclass
class ExpectedServer:
    region: str
    instance_type: str
    role: str
    platform: str
    tags: dict[str, str]
    private_ip: str | None
    public_ip: str | None
    zone: str
    volume_ids: list[str] = field(default_factory=list)


@dataclass
class Expected:
    account: str
    servers: dict[str, ExpectedServer] = field(default_factory=dict)
    terminated: set[str] = field(default_factory=set)
    stopped: set[str] = field(default_factory=set)
    volumes: dict[str, ExpectedVolume] = field(default_factory=dict)
    snapshots: dict[str, set[str]] = field(default_factory=dict)
    buckets: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # region, bytes, n
    databases: dict[str, dict[str, Any]] = field(default_factory=dict)  # key: (id) -> fields
    stores: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    census: dict[str, set[str]] = field(default_factory=dict)  # service id -> ARNs

    def arn(self, service: str, arn: str) -> None:
        self.census.setdefault(service, set()).add(arn)


class Seeder:
    def __init__(self, url: str, session: boto3.Session) -> None:
        self.url = url
        self.session = session
        self._clients: dict[tuple[str, str], Any] = {}
        account = self.client("sts", "us-east-1").get_caller_identity()["Account"]
        self.expected = Expected(account=account)

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = self.session.client(
                service,
                region_name=region,
                endpoint_url=self.url,  # type: ignore[call-overload]
            )
        return self._clients[key]

    # -- EC2 ------------------------------------------------------------------------------
    def fleet(self, region: str) -> None:
        ec2 = self.client("ec2", region)
        zone = f"{region}a"
        for batch in FLEET[region]:
            tags = [{"Key": k, "Value": v} for k, v in batch.tags.items()]
            answer = ec2.run_instances(
                ImageId=WINDOWS_AMI if batch.windows else LINUX_AMI,
                MinCount=batch.count,
                MaxCount=batch.count,
                InstanceType=batch.instance_type,
                Placement={"AvailabilityZone": zone},
                BlockDeviceMappings=[
                    {
                        "DeviceName": "/dev/sda1",
                        "Ebs": {"VolumeSize": batch.root_gib, "VolumeType": batch.root_type},
                    }
                ],
                TagSpecifications=[{"ResourceType": "instance", "Tags": tags}] if tags else [],
            )
            for number, instance in enumerate(answer["Instances"], start=1):
                instance_tags = dict(batch.tags)
                if batch.unique_names:
                    name = f"{batch.unique_names}-{number:03d}"
                    ec2.create_tags(
                        Resources=[instance["InstanceId"]], Tags=[{"Key": "Name", "Value": name}]
                    )
                    instance_tags["Name"] = name
                root = instance["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
                self.expected.servers[instance["InstanceId"]] = ExpectedServer(
                    region=region,
                    instance_type=batch.instance_type,
                    role=batch.role,
                    platform="windows" if batch.windows else "linux",
                    tags=instance_tags,
                    private_ip=instance.get("PrivateIpAddress"),
                    public_ip=instance.get("PublicIpAddress"),
                    zone=zone,
                    volume_ids=[root],
                )
                # AWS reports the gp3 baseline (3,000 IOPS) for a root volume created without one
                self.expected.volumes[root] = ExpectedVolume(
                    region,
                    batch.root_type,
                    batch.root_gib,
                    3000 if batch.root_type == "gp3" else None,
                    None,
                    instance["InstanceId"],
                    "/dev/sda1",
                )
        # stopped instances stay in the inventory, terminated ones must not appear
        ids = sorted(i for i, s in self.expected.servers.items() if s.region == region)
        ec2.stop_instances(InstanceIds=ids[:5])
        self.expected.stopped.update(ids[:5])
        gone = ec2.run_instances(
            ImageId=LINUX_AMI,
            MinCount=4,
            MaxCount=4,
            InstanceType="t3.micro",
            Placement={"AvailabilityZone": zone},
            BlockDeviceMappings=[
                {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8, "DeleteOnTermination": True}}
            ],
        )
        gone_ids = [i["InstanceId"] for i in gone["Instances"]]
        ec2.terminate_instances(InstanceIds=gone_ids)
        self.expected.terminated.update(gone_ids)
        self._data_volumes(region, ids)

    def _data_volumes(self, region: str, instance_ids: list[str]) -> None:
        ec2 = self.client("ec2", region)
        attached, loose = DATA_VOLUMES[region]
        for index in range(attached + loose):
            kind = VOLUME_KINDS[index % len(VOLUME_KINDS)]
            volume = ec2.create_volume(AvailabilityZone=f"{region}a", **kind)
            expected = ExpectedVolume(
                region, kind["VolumeType"], kind["Size"], kind.get("Iops"), kind.get("Throughput")
            )
            if index < attached:
                # the first instances get up to two data volumes each
                instance_id = instance_ids[index % (attached // 2 + 1)]
                server = self.expected.servers[instance_id]
                device = f"/dev/sd{chr(ord('f') + len(server.volume_ids) - 1)}"
                ec2.attach_volume(
                    VolumeId=volume["VolumeId"], InstanceId=instance_id, Device=device
                )
                expected.instance_id, expected.device = instance_id, device
                server.volume_ids.append(volume["VolumeId"])
            self.expected.volumes[volume["VolumeId"]] = expected
        for count, (volume_id, vol) in enumerate(sorted(self.expected.volumes.items())):
            if vol.region != region or count % 9:
                continue
            snaps = [ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]]
            if count % 2 == 0:
                snaps.append(ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"])
            self.expected.snapshots[volume_id] = set(snaps)

    # -- S3 -----------------------------------------------------------------------------
    def buckets(self) -> None:
        """50 buckets; non-empty ones get the daily storage metrics S3 publishes (stamped
        00:00 UTC of the previous day), some split over two storage classes."""
        plan = [("us-east-1", 25), ("eu-west-1", 15), ("ap-southeast-2", 10)]
        yesterday = dt.datetime.now(dt.UTC).replace(
            hour=0, minute=0, second=0, microsecond=0
        ) - dt.timedelta(days=1)
        number = 0
        for region, count in plan:
            s3 = self.client("s3", region)
            metrics: list[dict[str, Any]] = []
            for _ in range(count):
                number += 1
                name = f"exitplan-{region}-data-{number:02d}"
                if region == "us-east-1":
                    s3.create_bucket(Bucket=name)
                else:
                    s3.create_bucket(
                        Bucket=name, CreateBucketConfiguration={"LocationConstraint": region}
                    )
                objects = number % 6
                size = 0
                for key in range(objects):
                    body = b"x" * (1000 * number + key)
                    s3.put_object(Bucket=name, Key=f"part/{key}.bin", Body=body)
                    size += len(body)
                self.expected.buckets[name] = (region, size, objects)
                self.expected.arn("s3", f"arn:aws:s3:::{name}")
                if objects:
                    infrequent = size // 3 if number % 4 == 0 else 0
                    classes = [("StandardStorage", size - infrequent)]
                    if infrequent:
                        classes.append(("StandardIAStorage", infrequent))
                    for storage, value in classes:
                        metrics.append(
                            _s3_datum("BucketSizeBytes", storage, name, value, yesterday)
                        )
                    metrics.append(
                        _s3_datum("NumberOfObjects", "AllStorageTypes", name, objects, yesterday)
                    )
            cw = self.client("cloudwatch", region)
            for first in range(0, len(metrics), 20):
                cw.put_metric_data(Namespace="AWS/S3", MetricData=metrics[first : first + 20])

    # -- databases ----------------------------------------------------------------------
    def databases(self) -> None:
        now = dt.datetime.now(dt.UTC)
        rds = self.client("rds", "us-east-1")
        cw = self.client("cloudwatch", "us-east-1")
        common = {"MasterUsername": "admin", "MasterUserPassword": "not-a-real-secret-1"}
        orders = rds.create_db_instance(
            DBInstanceIdentifier="orders-db",
            Engine="postgres",
            EngineVersion="15.4",
            DBInstanceClass="db.r6g.xlarge",
            AllocatedStorage=500,
            **common,
        )["DBInstance"]
        crm = rds.create_db_instance(
            DBInstanceIdentifier="legacy-crm",
            Engine="mysql",
            EngineVersion="8.0.35",
            DBInstanceClass="db.m5.large",
            AllocatedStorage=100,
            **common,
        )["DBInstance"]
        replica = rds.create_db_instance_read_replica(
            DBInstanceIdentifier="orders-db-replica",
            SourceDBInstanceIdentifier="orders-db",
            DBInstanceClass="db.r6g.xlarge",
        )["DBInstance"]
        cluster = rds.create_db_cluster(
            DBClusterIdentifier="analytics",
            Engine="aurora-postgresql",
            EngineVersion="15.4",
            **common,
        )["DBCluster"]
        for name in ("analytics-1", "analytics-2"):
            rds.create_db_instance(
                DBInstanceIdentifier=name,
                Engine="aurora-postgresql",
                DBInstanceClass="db.r6g.large",
                DBClusterIdentifier="analytics",
            )
        cw.put_metric_data(
            Namespace="AWS/RDS",
            MetricData=[
                _datum("FreeStorageSpace", "DBInstanceIdentifier", "orders-db", 200e9, now),
                _datum("FreeStorageSpace", "DBInstanceIdentifier", "orders-db-replica", 210e9, now),
                _datum("VolumeBytesUsed", "DBClusterIdentifier", "analytics", 1.5e12, now),
            ],
        )
        eu = self.client("rds", "eu-west-1")
        shop = eu.create_db_instance(
            DBInstanceIdentifier="shop-db",
            Engine="mariadb",
            EngineVersion="10.11.6",
            DBInstanceClass="db.m6g.large",
            AllocatedStorage=200,
            **common,
        )["DBInstance"]
        self.client("cloudwatch", "eu-west-1").put_metric_data(
            Namespace="AWS/RDS",
            MetricData=[_datum("FreeStorageSpace", "DBInstanceIdentifier", "shop-db", 50e9, now)],
        )
        e = self.expected
        e.stores[("us-east-1", "orders-db")] = {
            "service": "rds-postgresql",
            "engine": "postgres",
            "engine_version": "15.4",
            "instance_class": "db.r6g.xlarge",
            "size_bytes": 500 * GIB,
            "used_bytes": 500 * GIB - 200_000_000_000,
            "kind": "database",
        }
        e.stores[("us-east-1", "orders-db-replica")] = {
            "service": "rds-postgresql",
            "instance_class": "db.r6g.xlarge",
            "size_bytes": 500 * GIB,
            "used_bytes": 500 * GIB - 210_000_000_000,
            "dependencies": ["orders-db"],
            "kind": "database",
        }
        e.stores[("us-east-1", "legacy-crm")] = {
            "service": "rds-mysql",
            "engine": "mysql",
            "instance_class": "db.m5.large",
            "size_bytes": 100 * GIB,
            "used_bytes": None,
            "kind": "database",
        }
        e.stores[("us-east-1", "analytics")] = {
            "service": "aurora-postgresql",
            "engine": "aurora-postgresql",
            "instance_class": "db.r6g.large",
            "size_bytes": None,
            "used_bytes": 1_500_000_000_000,
            "kind": "database",
        }
        e.stores[("eu-west-1", "shop-db")] = {
            "service": "rds-mariadb",
            "engine": "mariadb",
            "instance_class": "db.m6g.large",
            "size_bytes": 200 * GIB,
            "used_bytes": 200 * GIB - 50_000_000_000,
            "kind": "database",
        }
        for region, db in (
            ("us-east-1", orders),
            ("us-east-1", crm),
            ("us-east-1", replica),
            ("eu-west-1", shop),
        ):
            service = e.stores[(region, db["DBInstanceIdentifier"])]["service"]
            e.arn(service, db["DBInstanceArn"])
        e.arn("aurora-postgresql", cluster["DBClusterArn"])
        self._caches_files_tables()

    def _caches_files_tables(self) -> None:
        e = self.expected
        redis = self.client("elasticache", "us-east-1").create_cache_cluster(
            CacheClusterId="sessions",
            Engine="redis",
            CacheNodeType="cache.r6g.large",
            NumCacheNodes=1,
        )["CacheCluster"]
        memcached = self.client("elasticache", "eu-west-1").create_cache_cluster(
            CacheClusterId="fragments",
            Engine="memcached",
            CacheNodeType="cache.m6g.large",
            NumCacheNodes=2,
        )["CacheCluster"]
        e.stores[("us-east-1", "sessions")] = {
            "service": "elasticache-redis",
            "engine": "redis",
            "instance_class": "cache.r6g.large",
            "kind": "cache",
        }
        e.stores[("eu-west-1", "fragments")] = {
            "service": "elasticache-memcached",
            "engine": "memcached",
            "instance_class": "cache.m6g.large",
            "kind": "cache",
        }
        e.arn("elasticache-redis", redis["ARN"])
        e.arn("elasticache-memcached", memcached["ARN"])
        fs = self.client("efs", "us-east-1").create_file_system(
            CreationToken="shared-files", Tags=[{"Key": "Name", "Value": "shared-files"}]
        )
        e.stores[("us-east-1", fs["FileSystemId"])] = {
            "service": "efs",
            "kind": "file-system",
            "tags": {"Name": "shared-files"},
            "used_bytes": fs["SizeInBytes"]["Value"],
        }
        e.arn("efs", fs["FileSystemArn"])
        for region, table, items in (
            ("us-east-1", "carts", 12),
            ("us-east-1", "events", 30),
            ("eu-west-1", "carts", 5),
        ):
            ddb = self.client("dynamodb", region)
            created = ddb.create_table(
                TableName=table,
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )["TableDescription"]
            for n in range(items):
                ddb.put_item(TableName=table, Item={"pk": {"S": f"k{n}"}, "v": {"S": "x" * 50}})
            e.stores[(region, table)] = {
                "service": "dynamodb",
                "kind": "database",
                "object_count": items,
            }
            e.arn("dynamodb", created["TableArn"])

    # -- managed services (census) ------------------------------------------------------
    def services(self) -> None:
        e = self.expected
        iam = self.client("iam", "us-east-1")
        role_arn = iam.create_role(
            RoleName="exitplan-test-role",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
        )["Role"]["Arn"]
        for region, names in (("us-east-1", 5), ("eu-west-1", 3)):
            sqs = self.client("sqs", region)
            for n in range(names):
                url = sqs.create_queue(QueueName=f"jobs-{n}")["QueueUrl"]
                attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
                e.arn("sqs", attrs["Attributes"]["QueueArn"])
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as archive:
            archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
        for region, name in (
            ("us-east-1", "resize-image"),
            ("us-east-1", "send-mail"),
            ("us-east-1", "nightly-report"),
            ("ap-southeast-2", "edge-hook"),
        ):
            fn = self.client("lambda", region).create_function(
                FunctionName=name,
                Runtime="python3.12",
                Role=role_arn,
                Handler="handler.handler",
                Code={"ZipFile": code.getvalue()},
            )
            e.arn("lambda", fn["FunctionArn"])
        us = "us-east-1"
        e.arn("sns", self.client("sns", us).create_topic(Name="alerts")["TopicArn"])
        e.arn("sns", self.client("sns", "eu-west-1").create_topic(Name="orders")["TopicArn"])
        e.arn(
            "step-functions",
            self.client("stepfunctions", us).create_state_machine(
                name="checkout",
                roleArn=role_arn,
                definition=json.dumps(
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
                ),
            )["stateMachineArn"],
        )
        e.arn("kms", self.client("kms", us).create_key()["KeyMetadata"]["Arn"])
        e.arn(
            "secrets-manager",
            self.client("secretsmanager", us).create_secret(
                Name="db-password", SecretString="not-a-real-secret"
            )["ARN"],
        )
        ssm = self.client("ssm", us)
        for name in ("/app/db/url", "feature-flags"):
            ssm.put_parameter(Name=name, Value="v", Type="String")
            e.arn(
                "ssm-parameter-store", f"arn:aws:ssm:{us}:{e.account}:parameter/{name.lstrip('/')}"
            )
        e.arn(
            "ecr",
            self.client("ecr", us).create_repository(repositoryName="web")["repository"][
                "repositoryArn"
            ],
        )
        e.arn(
            "ecs",
            self.client("ecs", us).create_cluster(clusterName="jobs")["cluster"]["clusterArn"],
        )
        kinesis = self.client("kinesis", us)
        kinesis.create_stream(StreamName="clicks", ShardCount=1)
        e.arn(
            "kinesis-data-streams",
            kinesis.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"][
                "StreamARN"
            ],
        )
        zone = self.client("route53", us).create_hosted_zone(
            Name="example.org", CallerReference="exitplan-test"
        )["HostedZone"]["Id"]
        e.arn("route53", f"arn:aws:route53:::hostedzone/{zone.removeprefix('/hostedzone/')}")
        logs = self.client("logs", us)
        logs.create_log_group(logGroupName="/app/web")
        group = logs.describe_log_groups(logGroupNamePrefix="/app/web")["logGroups"][0]
        e.arn("cloudwatch", group["arn"].removesuffix(":*"))
        pool = self.client("cognito-idp", us).create_user_pool(PoolName="customers")["UserPool"]
        e.arn("cognito", pool["Arn"])
        self.client("glue", us).create_database(DatabaseInput={"Name": "lake"})
        e.arn("glue", f"arn:aws:glue:{us}:{e.account}:database/lake")
        self.client("athena", us).create_work_group(Name="analysts")
        e.arn("athena", f"arn:aws:athena:{us}:{e.account}:workgroup/analysts")
        e.arn(
            "eventbridge",
            self.client("events", us).put_rule(
                Name="nightly", ScheduleExpression="cron(0 3 * * ? *)"
            )["RuleArn"],
        )
        api = self.client("apigateway", us).create_rest_api(name="public-api")["id"]
        e.arn("api-gateway", f"arn:aws:apigateway:{us}::/restapis/{api}")
        http_api = self.client("apigatewayv2", us).create_api(Name="webhooks", ProtocolType="HTTP")[
            "ApiId"
        ]
        e.arn("api-gateway", f"arn:aws:apigateway:{us}::/apis/{http_api}")
        cert = self.client("acm", us).request_certificate(DomainName="www.example.org")
        e.arn("acm", cert["CertificateArn"])

    def seed(self) -> Expected:
        for region in REGIONS:
            self.fleet(region)
        self.buckets()
        self.databases()
        self.services()
        return self.expected


def _datum(name: str, dimension: str, value: str, number: float, when: Any) -> dict[str, Any]:
    return {
        "MetricName": name,
        "Dimensions": [{"Name": dimension, "Value": value}],
        "Value": number,
        "Unit": "Bytes",
        "Timestamp": when,
    }


def _s3_datum(name: str, storage: str, bucket: str, value: float, when: Any) -> dict[str, Any]:
    return {
        "MetricName": name,
        # the order moto uses for its own S3 metrics (its dimension matching is order-sensitive)
        "Dimensions": [
            {"Name": "StorageType", "Value": storage},
            {"Name": "BucketName", "Value": bucket},
        ],
        "Value": value,
        "Unit": "Bytes" if name == "BucketSizeBytes" else "Count",
        "Timestamp": when,
    }


def seed_account(url: str, session: boto3.Session) -> Expected:
    """Create the account on the moto server at ``url``; return what was created."""
    return Seeder(url, session).seed()
