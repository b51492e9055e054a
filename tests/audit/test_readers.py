"""Unit tests of the pure evidence readers."""

import json

import pytest

from planner.audit.observations import PRESENT, UNRESOLVED
from planner.audit.readers import code, hcl, terraform, text
from planner.audit.readers.inventory import scan_inventory
from planner.audit.run import run_audit
from planner.models import Inventory

HCL = """# braces in comments { are ignored
resource "aws_db_instance" "main" {
  engine   = "postgres"   // trailing comment }
  name     = "db-${var.env}"
  tags     = { Owner = "a}b" }
  policy   = <<-EOT
    { "Statement": [ {
  EOT
  list = [
    "FARGATE",
  ]
  lifecycle_rule {
    storage_class = "GLACIER"
  }
  dynamic "setting" {
    for_each = var.settings
  }
}
/* block comment
resource "aws_sqs_queue" "hidden" {}
*/
data aws_region current {}
module "db" {
  source = "terraform-aws-modules/rds/aws"
}
"""


def test_hcl_blocks_lines_and_attributes():
    blocks = hcl.scan(HCL)
    assert [(b.kind, b.labels, b.line) for b in blocks] == [
        ("resource", ("aws_db_instance", "main"), 2),
        ("data", ("aws_region", "current"), 22),
        ("module", ("db",), 23),
    ]
    attrs = blocks[0].attrs
    assert ("engine", "postgres") in attrs
    assert ("name", UNRESOLVED) in attrs
    assert ("list", "FARGATE") in attrs
    assert ("lifecycle_rule", PRESENT) in attrs and ("storage_class", "GLACIER") in attrs
    assert ("setting", PRESENT) in attrs
    assert not any(name == "Statement" for name, _ in attrs)  # heredoc body is text


@pytest.mark.parametrize(
    ("source", "normal"),
    [
        ("terraform-aws-modules/eks/aws", "terraform-aws-modules/eks/aws"),
        (
            "terraform-aws-modules/iam/aws//modules/iam-assumable-role",
            "terraform-aws-modules/iam/aws//modules/iam-assumable-role",
        ),
        (
            "git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git?ref=v5.1.0",
            "terraform-aws-modules/vpc/aws",
        ),
        (
            "github.com/terraform-aws-modules/terraform-aws-eks//modules/karpenter",
            "terraform-aws-modules/eks/aws//modules/karpenter",
        ),
        (
            "registry.terraform.io/terraform-aws-modules/s3-bucket/aws",
            "terraform-aws-modules/s3-bucket/aws",
        ),
        ("./modules/network", None),
        ("../shared", None),
    ],
)
def test_module_sources(source, normal):
    assert terraform.normalize_module_source(source) == normal


def test_state_and_plan(tmp_path):
    state = {
        "version": 4,
        "terraform_version": "1.7.5",
        "resources": [
            {
                "mode": "managed",
                "type": "aws_db_instance",
                "name": "db",
                "instances": [
                    {"attributes": {"engine": "mysql", "arn": "arn:aws:rds:eu-west-1:1:db:x"}}
                ],
            },
            {"mode": "data", "type": "aws_caller_identity", "name": "me", "instances": []},
        ],
    }
    (tmp_path / "terraform.tfstate").write_text(json.dumps(state, indent=2))
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {"type": "aws_sqs_queue", "name": "q", "change": {"after": {"fifo_queue": True}}}
        ],
        "configuration": {
            "root_module": {"module_calls": {"eks": {"source": "terraform-aws-modules/eks/aws"}}}
        },
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=2))
    r = run_audit(iac=[tmp_path])
    got = {
        s.service: {(e.path.rsplit("/", 1)[-1], e.line, e.signal, e.feature) for e in s.evidence}
        for s in r.services
    }
    assert got == {
        "rds-mysql": {("terraform.tfstate", 7, "terraform:aws_db_instance", None)},
        "sqs": {
            ("plan.json", 5, "terraform:aws_sqs_queue", None),
            ("plan.json", 5, "terraform:aws_sqs_queue.fifo_queue", "fifo"),
        },
        "eks": {("plan.json", 18, "terraform:module:terraform-aws-modules/eks/aws", None)},
    }


def test_serverless_framework(tmp_path):
    (tmp_path / "serverless.yml").write_text(
        "service: orders\n"
        "provider:\n  name: aws\n  runtime: nodejs20.x\n"
        "functions:\n"
        "  create:\n    handler: src/create.handler\n    events:\n"
        "      - httpApi: {method: POST, path: /orders}\n"
        "      - sqs: {arn: !GetAtt Jobs.Arn}\n"
        "      - stream: {type: dynamodb, arn: '${self:custom.streamArn}'}\n"
        "      - schedule: rate(5 minutes)\n"
        "resources:\n  Resources:\n    Jobs:\n      Type: AWS::SQS::Queue\n"
    )
    r = run_audit(iac=[tmp_path])
    found = {s.service: s for s in r.services}
    assert set(found) == {
        "lambda",
        "api-gateway",
        "sqs",
        "dynamodb",
        "eventbridge",
        "cloudformation",
    }
    assert {f.id for f in found["lambda"].features} == {"event-source-mapping"}
    assert {f.id for f in found["dynamodb"].features} == {"streams"}
    sqs_lines = {(e.line, e.signal) for e in found["sqs"].evidence}
    assert sqs_lines == {(10, "serverless:sqs"), (15, "cloudformation:AWS::SQS::Queue")}
    assert r.workloads[0].id.startswith("serverless:")


def test_amplify_backend(tmp_path):
    backend = tmp_path / "amplify" / "backend"
    backend.mkdir(parents=True)
    (backend / "backend-config.json").write_text(
        json.dumps(
            {
                "auth": {"shopAuth": {"service": "Cognito"}},
                "api": {"shopApi": {"service": "AppSync"}},
                "storage": {"images": {"service": "S3"}},
                "hosting": {"amplifyhosting": {"service": "amplifyhosting"}},
            },
            indent=2,
        )
    )
    r = run_audit(iac=[tmp_path])
    assert {s.service for s in r.services} == {"cognito", "appsync", "s3", "amplify"}
    cognito = next(s for s in r.services if s.service == "cognito")
    assert cognito.evidence[0].line == 3 and cognito.evidence[0].signal == "amplify:auth:Cognito"


def test_nested_stack_joins_parent_workload(tmp_path):
    (tmp_path / "parent.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Child:\n"
        "    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: nested/db.yaml\n"
    )
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "db.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Table:\n"
        "    Type: AWS::DynamoDB::Table\n"
    )
    r = run_audit(iac=[tmp_path])
    assert [w.id for w in r.workloads] == [f"cloudformation:{tmp_path}/parent.yaml"]


CODE = {
    "app.py": "import boto3\nfrom pynamodb.models import Model\ns3 = boto3.resource('s3')\n"
    "q = session.client(service_name='sqs', endpoint_url='http://elasticmq:9324')\n"
    "x = boto3.client('iotdata')\n",
    "index.ts": "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\n"
    'const { SFNClient } = require("@aws-sdk/client-sfn");\n'
    "import { fromIni } from '@aws-sdk/credential-providers';\n",
    "legacy.js": "const AWS = require('aws-sdk');\nconst ddb = new AWS.DynamoDB.DocumentClient();\n"
    "const sns = new AWS.SNS({region: 'eu-west-1'});\n",
    "Main.java": "import software.amazon.awssdk.services.sqs.SqsClient;\n"
    "import com.amazonaws.services.kinesis.AmazonKinesis;\n",
    "main.go": 'import (\n\t"github.com/aws/aws-sdk-go-v2/service/s3"\n'
    '\t"github.com/aws/aws-sdk-go/service/secretsmanager"\n'
    '\t"github.com/aws/aws-lambda-go/lambda"\n)\n',
    "package.json": '{\n  "dependencies": {\n    "@aws-sdk/client-kinesis": "^3.0.0",\n'
    '    "aws-amplify": "^6.0.0"\n  }\n}\n',
}


def test_code_readers(tmp_path):
    for name, body in CODE.items():
        (tmp_path / name).write_text(body)
    r = run_audit(code=[tmp_path])
    got = {
        s.service: sorted((e.path.rsplit("/", 1)[-1], e.line) for e in s.evidence)
        for s in r.services
    }
    assert got == {
        "s3": [("app.py", 3), ("main.go", 2)],
        "sqs": [("Main.java", 1), ("app.py", 4)],
        "iotdata": [("app.py", 5)],
        "dynamodb": [("app.py", 2), ("index.ts", 1), ("legacy.js", 2)],
        "step-functions": [("index.ts", 2)],
        "sns": [("legacy.js", 3)],
        "kinesis-data-streams": [("Main.java", 2), ("package.json", 3)],
        "secrets-manager": [("main.go", 3)],
        "lambda": [("main.go", 4)],
        "amplify": [("package.json", 4)],
    }
    sqs = next(s for s in r.services if s.service == "sqs")
    assert any(
        "endpoint override to http://elasticmq:9324" in (e.detail or "") for e in sqs.evidence
    )
    iot = next(s for s in r.services if s.service == "iotdata")
    assert iot.classified is False and iot.lockin_class == "proprietary"


def test_text_hosts_arns_and_schedules():
    body = (
        "url = https://abc123.execute-api.eu-west-1.amazonaws.com/prod\n"
        "Resource: !Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:1:table/x\n"
        "image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1\n"
        "ScheduleExpression: rate(5 minutes)\n"
    )
    import re

    tokens = text.scan_text(body, "f", "w", [("sched", re.compile(r"rate\(\s*\d+"))])
    assert [(t.token, t.line) for t in tokens] == [
        ("host:abc123.execute-api.eu-west-1.amazonaws.com", 1),
        ("arn:dynamodb:table", 2),
        ("host:123456789012.dkr.ecr.us-east-1.amazonaws.com", 3),
        ("pattern:sched", 4),
    ]


def test_inventory_signals():
    inv = Inventory.model_validate(
        {
            "servers": [
                {
                    "id": "a",
                    "role": "web",
                    "source": {"provider": "aws"},
                    "os": {"name": "amzn", "family": "amazon"},
                    "volumes": [{"volume_type": "gp3"}],
                    "lockin": [{"service": "cognito-idp", "signal": "endpoint", "origin": "ssh"}],
                    "connections": [
                        {
                            "remote_address": "1.2.3.4",
                            "remote_port": 443,
                            "remote_host": "sqs.eu-west-1.amazonaws.com",
                        }
                    ],
                    "dependencies": ["aws:dynamodb"],
                }
            ],
            "data_stores": [{"id": "b", "kind": "database", "service": "rds-postgresql"}],
            "lockin": [
                {
                    "service": "kms",
                    "signal": "aws-api:kms:ListKeys",
                    "origin": "aws-api",
                    "detail": "arn:aws:kms:eu-west-1:1:key/x",
                }
            ],
        }
    )
    tokens = scan_inventory(inv, "inv.yaml")
    assert {(t.token, t.workload) for t in tokens} == {
        ("hostsig:inventory:source.provider=aws", "role:web"),
        ("hostsig:inventory:volume.type=ebs", "role:web"),
        ("hostsig:os:amazon-linux", "role:web"),
        ("service:cognito-idp", "role:web"),
        ("host:sqs.eu-west-1.amazonaws.com", "role:web"),
        ("service:dynamodb", "role:web"),
        ("service:rds-postgresql", "account"),
        ("service:kms", "account"),
    }
    assert code.CODE_SUFFIXES  # module imports cleanly


def test_large_inventory_lines_come_from_ids(repo, monkeypatch):
    from planner.audit import run as run_module

    monkeypatch.setattr(run_module, "EXACT_LINES_BYTES", 0)
    report = run_audit(repo / "inventories/three-tier.yaml")
    ses = next(s for s in report.services if s.service == "ses")
    assert [(e.line, e.detail) for e in ses.evidence] == [(42, "app-1")]  # "- id: app-1"
    s3 = next(s for s in report.services if s.service == "s3")
    assert (126, "shop-assets") in {(e.line, e.detail) for e in s3.evidence}
