"""Four realistic multi-service projects: the services, features, blockers, lines and levels the
audit must report for each (fixtures written for these tests under tests/audit/fixtures/)."""

from functools import cache
from pathlib import Path

import pytest

from planner.audit.run import run_audit

FIXTURES = Path(__file__).parent / "fixtures"

# What each project must report. ``evidence`` rows are (service, file name, line, signal) that
# must be among the service's evidence; ``features`` and ``blockers`` are the exact sets.
PROJECTS = {
    "three-tier": {
        "iac": ["three-tier/infra"],
        "services": {
            "ec2",
            "iam",
            "vpc",
            "elb",
            "rds-postgresql",
            "elasticache-redis",
            "acm",
            "route53",
            "s3",
        },
        "features": {"ec2": {"imds", "instance-profile"}, "route53": {"alias-records"}},
        "evidence": [
            ("rds-postgresql", "main.tf", 93, "terraform:aws_db_instance"),
            ("elasticache-redis", "main.tf", 103, "terraform:aws_elasticache_replication_group"),
            ("ec2", "userdata.sh", 4, "pattern:imds-address"),
            ("ec2", "main.tf", 48, "host:ec2.amazonaws.com"),  # principal inside jsonencode()
            ("s3", "userdata.sh", 5, "pattern:s3-uri"),
        ],
        "blockers": [],
        "level": "medium",
    },
    "serverless-api": {
        "iac": ["serverless-api"],
        "services": {
            "lambda",
            "api-gateway",
            "dynamodb",
            "cognito",
            "cloudformation",
            "xray",
            "ssm-parameter-store",
        },
        "features": {
            "lambda": {"event-source-mapping"},
            "dynamodb": {"streams"},
            "api-gateway": {"authorizers"},
            "cloudformation": {"sam"},
        },
        "evidence": [
            ("lambda", "template.yaml", 36, "cloudformation:AWS::Serverless::Function"),
            ("lambda", "handler.py", 12, "pattern:lambda-handler"),
            ("dynamodb", "handler.py", 9, "sdk:boto3:dynamodb"),
        ],
        "blockers": ["password-hashes"],
        "level": "very-high",
    },
    "data-pipeline": {
        "iac": ["data-pipeline/stack"],
        "code": ["data-pipeline/jobs", "data-pipeline/app"],
        "services": {
            "kinesis-data-streams",
            "kinesis-firehose",
            "s3",
            "glue",
            "athena",
            "iam",
            "cloudformation",
        },
        "features": {"s3": {"archive-tiers"}},
        "evidence": [
            ("kinesis-data-streams", "pipeline.json", 5, "cloudformation:AWS::Kinesis::Stream"),
            ("kinesis-data-streams", "producer.py", 7, "sdk:boto3:kinesis"),
            ("athena", "report.py", 12, "pattern:athena-query-api"),
            ("s3", "pipeline.json", 28, "arn:s3"),
        ],
        "blockers": ["archive-restore", "dynamicframe"],
        "level": "very-high",
    },
    "eks-modules": {
        "iac": ["eks-modules"],
        "services": {"eks", "vpc", "ecr", "iam"},
        "features": {
            "eks": {"irsa", "managed-node-groups", "karpenter", "addons", "lb-controller"}
        },
        "evidence": [
            ("eks", "main.tf", 16, "terraform:module:terraform-aws-modules/eks/aws"),
            # git URL of the same repository resolves to the registry submodule
            (
                "eks",
                "main.tf",
                42,
                "terraform:module:terraform-aws-modules/eks/aws//modules/karpenter",
            ),
            ("vpc", "main.tf", 2, "terraform:module:terraform-aws-modules/vpc/aws"),
            ("ecr", "web.yaml", 23, "host:123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
        ],
        "blockers": [],
        # EKS is portable Kubernetes: medium, nothing proprietary but the IRSA role
        "level": "medium",
    },
}


@cache
def audit(project):
    spec = PROJECTS[project]
    return run_audit(
        iac=[FIXTURES / p for p in spec["iac"]], code=[FIXTURES / p for p in spec.get("code", [])]
    )


def _service(report, service):
    return next(s for s in report.services if s.service == service)


def _evidence(report, service):
    return {(Path(e.path).name, e.line, e.signal) for e in _service(report, service).evidence}


def _features(report, service):
    return {f.id for f in _service(report, service).features}


def _lockin(report):
    """The lock-in dimension's (level, score); the overall score also counts suppliers."""
    [dim] = [d for d in report.dimensions if d.id == "lock-in"]
    return dim.level, dim.score


@pytest.mark.parametrize("project", PROJECTS)
def test_project_services_features_evidence_blockers_and_level(project):
    spec, r = PROJECTS[project], audit(project)
    assert {s.service for s in r.services} == spec["services"]
    for service, features in spec["features"].items():
        assert _features(r, service) == features, service
    for service, name, line, signal in spec["evidence"]:
        assert (name, line, signal) in _evidence(r, service)
    assert sorted(b.id for b in r.blockers) == spec["blockers"]
    assert _lockin(r)[0] == spec["level"]


def test_three_tier_terraform_workload_and_what_names_no_service():
    r = audit("three-tier")
    # data "aws_availability_zones" names no service; variables.tf holds none either
    assert all("availability_zones" not in e.signal for s in r.services for e in s.evidence)
    [workload] = r.workloads
    assert workload.id == "terraform:" + str(FIXTURES / "three-tier/infra")
    assert workload.proprietary == ["iam"]


def test_serverless_sam_api_tracing_and_workload():
    r = audit("serverless-api")
    # Globals.Function.Tracing applies to both functions -> X-Ray
    assert {line for _, line, _ in _evidence(r, "xray")} == {36, 52}
    [workload] = r.workloads
    assert workload.kind == "cloudformation" and workload.blockers == ["cognito:password-hashes"]


def test_data_pipeline_cfn_json_and_boto3_workloads():
    r = audit("data-pipeline")
    assert _features(r, "glue") >= {"dynamicframe-jobs", "crawlers", "job-bookmarks"}
    kinds = {w.id.split(":")[0] for w in r.workloads}
    assert kinds == {"cloudformation", "code"}


def test_one_proprietary_service_is_not_averaged_away(tmp_path):
    lines = [f'resource "aws_vpc" "v{i}" {{}}' for i in range(30)]
    lines.append('resource "aws_sfn_state_machine" "flow" {}')
    (tmp_path / "main.tf").write_text("\n".join(lines) + "\n")
    r = run_audit(iac=[tmp_path])
    assert r.services[0].service == "step-functions"
    assert r.score >= 50 and r.level == "high"
    (tmp_path / "main.tf").write_text("\n".join(lines[:-1]) + "\n")
    assert _lockin(run_audit(iac=[tmp_path]))[0] == "low"


def test_an_easy_exit_weighs_less(tmp_path):
    inv = tmp_path / "inv.yaml"
    inv.write_text(
        "servers:\n"
        "  - id: web-1\n"
        "    lockin:\n"
        "      - {service: ssm, signal: 'package:amazon-ssm-agent', origin: ssh}\n"
    )
    r = run_audit(inv)
    (line,) = [x for x in r.explain.lines if x.service == "ssm"]
    assert line.lockin_class == "proprietary"
    assert line.effort_weight == 0.6
    assert line.risk == round(line.points / line.max_points * 100 * 0.6)
    assert any("exit effort S" in reason for reason in line.reasons)
    assert _lockin(r)[0] == "medium"
