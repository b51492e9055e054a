"""Lock-in audit speed: inventories of N servers and synthetic IaC/code trees of N files.

Usage: python -m benchmarks.audit_scale [SERVERS ...]
Prints wall time per input and servers or files per second. Everything is generated into a
temporary folder; nothing is sent anywhere.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from planner.audit.run import default_catalog, run_audit
from planner.core.generate import generate_fleet
from planner.io.inventory_file import save_inventory
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models.seeds import FleetProfile

TF = """resource "aws_instance" "app{i}" {{
  ami           = var.ami
  instance_type = "m6i.large"
  iam_instance_profile = aws_iam_instance_profile.app.name
}}
resource "aws_db_instance" "db{i}" {{
  engine = "postgres"
  iam_database_authentication_enabled = true
}}
resource "aws_sqs_queue" "q{i}" {{
  name   = "jobs-{i}"
  policy = <<POLICY
{{"Statement": [{{"Principal": {{"Service": "sns.amazonaws.com"}},
  "Resource": "arn:aws:sqs:eu-west-1:123456789012:jobs-{i}"}}]}}
POLICY
}}
"""
PY = """import boto3
from boto3.dynamodb.conditions import Key

table = boto3.resource("dynamodb").Table("t{i}")
queue = boto3.client("sqs", endpoint_url="https://sqs.eu-west-1.amazonaws.com")


def lambda_handler(event, context):
    return table.query(KeyConditionExpression=Key("pk").eq(event["id"]))
"""


def _time(label: str, count: int, unit: str, **kwargs: object) -> None:
    start = time.perf_counter()
    report = run_audit(**kwargs)  # type: ignore[arg-type]
    took = time.perf_counter() - start
    evidence = sum(len(s.evidence) for s in report.services)
    print(
        f"{label:<34} {took:7.2f} s  {count / took:9.0f} {unit}/s  "
        f"{len(report.services)} services, {evidence} evidence items, score {report.score}"
    )


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [500, 10_000]
    start = time.perf_counter()
    default_catalog()
    print(f"{'load the rule catalogue':<34} {time.perf_counter() - start:7.2f} s")
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for n in sizes:
            inventory = generate_fleet(
                profile,
                aws_instance_types(),
                servers=n,
                data_bytes=n * 10**11,
                seed=1,
                regions=["us-east-1"],
            )
            for fmt in ("yaml", "json"):
                path = save_inventory(inventory, base / f"fleet-{n}.{fmt}")
                _time(f"inventory {n} servers ({fmt})", n, "servers", inventory=path)
        for files in (100, 1000):
            root = base / f"tree-{files}"
            for i in range(files):
                folder = root / f"svc{i % 50}"
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"main{i}.tf").write_text(TF.format(i=i))
                (folder / f"handler{i}.py").write_text(PY.format(i=i))
            _time(f"tree of {2 * files} files (.tf + .py)", 2 * files, "files", iac=[root])


if __name__ == "__main__":
    main(sys.argv[1:])
