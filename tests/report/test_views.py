"""The views read the output contracts, tolerate extra keys and shapes, and name missing keys."""

from __future__ import annotations

import copy

import pytest

from planner.errors import InputError
from planner.report.audit_views import AuditView
from planner.report.render import read_view
from planner.report.views import PlanView, as_text


def test_fixture_plans_and_audit_read(plan500, plan_small, audit):
    plan = read_view(PlanView, plan500, "p", "plan")
    assert len(plan.transfer.hosts) == plan.inventory.servers == 500
    assert plan.capacity is not None and plan.capacity.provisioning_seconds == 5 * 3600
    small = read_view(PlanView, plan_small, "p", "plan")
    assert small.capacity is None and small.cutover.rounds == 3
    assert {h.wave for h in small.transfer.hosts} == {"1: data", "2: stateless"}
    view = read_view(AuditView, audit, "a", "audit")
    assert {s.lock_class for s in view.services} == {"portable", "compatible", "proprietary"}
    worker = next(w for w in view.workloads if w.id == "worker")
    assert worker.services == ["ec2", "sqs", "s3", "iam"]  # objects with a `service` key
    assert view.suppliers[0].name == "SMS provider"


def test_extra_keys_and_alternative_shapes_are_tolerated(plan_small):
    doc = copy.deepcopy(plan_small)
    doc["new_section"] = {"anything": [1, 2]}
    doc["transfer"]["hosts"][0]["streams"] = 4
    doc["transfer"]["bottleneck"] = {"kind": "link", "name": "dc-uplink 10 Gbit/s"}
    doc["inventory"]["servers"] = [{"id": h["id"]} for h in doc["transfer"]["hosts"]]
    doc["suggestions"] = [
        "add a second uplink",
        {"description": "10G ports", "bulk_seconds": 7200, "meets_deadline": True},
    ]
    doc["deadline"] = None
    doc["capacity"] = None
    doc["assumptions"][0]["source"] = {"title": "ESnet fasterdata", "url": "https://example"}
    plan = read_view(PlanView, doc, "p", "plan")
    assert plan.transfer.bottleneck == "dc-uplink 10 Gbit/s"
    assert plan.inventory.servers == 12
    assert [s.text for s in plan.suggestions] == ["add a second uplink", "10G ports"]
    assert plan.suggestions[1].seconds == 7200 and plan.suggestions[1].meets is True
    assert plan.assumptions[0].source == "ESnet fasterdata"


def test_missing_contract_keys_are_named(plan_small):
    doc = copy.deepcopy(plan_small)
    del doc["transfer"]["hosts"][2]["end_seconds"]
    del doc["cost"]
    with pytest.raises(InputError) as caught:
        read_view(PlanView, doc, "plan.json", "plan")
    message = str(caught.value)
    assert (
        "plan.json: transfer.hosts[2].end_seconds: missing (required by the output contract)"
        in message
    )
    assert "plan.json: cost: missing" in message


def test_wrong_schema_version_and_wrong_type(audit):
    doc = dict(audit, schema_version=2)
    with pytest.raises(InputError, match="unsupported schema_version 2"):
        read_view(AuditView, doc, "audit.json", "audit")
    with pytest.raises(InputError, match="expected a JSON object"):
        read_view(AuditView, [audit], "audit.json", "audit")


def test_as_text():
    assert as_text(None) == ""
    assert as_text(["a", {"message": "b"}, 3]) == "a; b; 3"
    assert as_text({"service": "kms", "reason": "keys stay"}) == "keys stay"
    assert as_text({"x": 1, "y": None}) == "x: 1"
