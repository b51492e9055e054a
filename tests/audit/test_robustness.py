"""Real-world files never crash the audit: each bad file becomes a finding and the rest goes on."""

import yaml

from planner.audit import files
from planner.audit.readers import yamldoc
from planner.audit.run import run_audit

GOOD_TF = 'resource "aws_sqs_queue" "jobs" {\n  fifo_queue = true\n}\n'


def _run(tmp_path):
    return run_audit(iac=[tmp_path])


def _services(report):
    return {s.service for s in report.services}


def test_binary_file_with_an_iac_name_is_reported(tmp_path):
    (tmp_path / "main.tf").write_text(GOOD_TF)
    (tmp_path / "state.tf").write_bytes(b"\x00\x01\x02resource \xff\xfe" * 100)
    (tmp_path / "logo.png.json").write_bytes(bytes(range(256)) * 10)
    r = _run(tmp_path)
    assert _services(r) == {"sqs"}
    bad = {u.path.rsplit("/", 1)[-1]: u for u in r.unparsed}
    assert set(bad) == {"state.tf", "logo.png.json"}
    assert all(u.signal == "unparseable" and "binary" in u.detail for u in bad.values())


def test_latin1_and_utf16_files_are_still_read(tmp_path):
    text = '# Kommentar: Größe\nresource "aws_sns_topic" "events" {}\n'
    (tmp_path / "latin.tf").write_bytes(text.encode("latin-1"))
    yaml_text = (
        "AWSTemplateFormatVersion: '2010-09-09'\nDescription: Café\nResources:\n"
        "  Q:\n    Type: AWS::SQS::Queue\n"
    )
    (tmp_path / "utf16.yaml").write_bytes(yaml_text.encode("utf-16"))
    r = _run(tmp_path)
    assert _services(r) == {"sns", "sqs", "cloudformation"}
    assert r.unparsed == []
    sns = next(s for s in r.services if s.service == "sns")
    assert sns.evidence[0].line == 2


def test_huge_file_is_skipped_with_a_finding(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    (tmp_path / "big.tf").write_text(GOOD_TF + "# padding\n" * 500)
    (tmp_path / "small.tf").write_text('resource "aws_sns_topic" "t" {}\n')
    r = _run(tmp_path)
    assert _services(r) == {"sns"}
    [problem] = r.unparsed
    assert problem.signal == "too-large" and problem.path.endswith("big.tf")


def test_really_large_file_scans_within_bounds(tmp_path):
    body = "".join(
        f'resource "aws_sqs_queue" "q{i}" {{\n  name = "q{i}"\n}}\n' for i in range(5000)
    )
    (tmp_path / "many.tf").write_text(body)
    r = _run(tmp_path)
    [sqs] = r.services
    assert len(sqs.evidence) == 5000
    assert sqs.evidence[-1].line == 3 * 4999 + 1


def test_broken_yaml_template_reports_the_line(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n"
        "    Properties: {QueueName: [unclosed\n  T:\n    Type: AWS::SNS::Topic\n"
    )
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    r = _run(tmp_path)
    [problem] = r.unparsed
    assert problem.signal == "unparseable" and problem.line is not None
    assert "YAML" in problem.detail
    assert "s3" in _services(r)


def test_unknown_and_short_form_tags_load(tmp_path):
    (tmp_path / "template.yml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Resources:\n"
        "  Table:\n"
        "    Type: AWS::DynamoDB::Table\n"
        "    Properties:\n"
        "      TableName: !Sub '${AWS::StackName}-t'\n"
        "      StreamSpecification: !If [Cond, {StreamViewType: NEW_IMAGE}, !Ref AWS::NoValue]\n"
        "      Tags: !MyCompany::Tags {team: data}\n"
        "      BillingMode: !FindInMap [Modes, !Ref Env, billing]\n"
        "  Fn:\n"
        "    Type: AWS::Lambda::Function\n"
        "    Properties:\n"
        "      Role: !GetAtt Role.Arn\n"
        "      Code: !Base64 |\n"
        "        def lambda_handler(event, context): pass\n"
    )
    r = _run(tmp_path)
    assert r.unparsed == []
    assert {"dynamodb", "lambda", "cloudformation"} <= _services(r)


def test_alias_bomb_is_stopped(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 9)]
    text = "AWSTemplateFormatVersion: '2010-09-09'\n" + "\n".join(lines) + "\nResources: {}\n"
    try:
        yamldoc.load_all(text)
    except yaml.YAMLError as exc:
        assert "expands too much" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("alias bomb not stopped")
    (tmp_path / "bomb.yaml").write_text(text)
    r = _run(tmp_path)
    assert [u.signal for u in r.unparsed] == ["unparseable"]


def test_broken_json_and_hcl_keep_going(tmp_path):
    (tmp_path / "template.json").write_text('{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}')
    (tmp_path / "weird.tf").write_text(
        'resource "aws_sns_topic" "t" {\n  name = "unterminated\n  policy = <<EOT\n{ "a": {\n'
    )
    (tmp_path / "terraform.tfstate").write_text('{"version": 4, "terraform_version": "1.7",')
    r = _run(tmp_path)
    assert "sns" in _services(r)
    assert {u.path.rsplit("/", 1)[-1] for u in r.unparsed} == {"template.json", "terraform.tfstate"}


def test_skipped_directories_and_lockfiles(tmp_path):
    for folder in (".git", "node_modules/x", ".terraform/modules/m"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "main.tf").write_text(GOOD_TF)
    (tmp_path / "package-lock.json").write_text('{"x": "@aws-sdk/client-dynamodb"}')
    assert run_audit(iac=[tmp_path]).services == []


def test_unreadable_file_is_reported(tmp_path):
    if __import__("os").geteuid() == 0:
        import pytest

        pytest.skip("root can read anything")
    (tmp_path / "main.tf").write_text(GOOD_TF)
    (tmp_path / "main.tf").chmod(0)
    r = _run(tmp_path)
    assert [u.signal for u in r.unparsed] == ["unreadable"]
