"""Suggestions state what they cost in time and claim no proof they lack; the target cost says
what it leaves out (second review 1, 2, 4, 5, 8)."""

import pytest

from planner.core.plan import build_plan
from planner.core.plan_target import plan_on_target
from planner.core.suggest import remedies
from planner.io.transfer_seeds import transfer_seeds
from planner.models import DataStore
from planner.models.capacity import CapacityOptions, SizingOptions
from planner.models.plan import PlanOptions
from planner.units import format_duration
from tests.core.catalog_helpers import fleet, make_offering, tiny_catalog, with_offerings

SEEDS = transfer_seeds()
HOUR = 3600.0
FAST_COPY = {"streams": 64, "rtt_seconds": 0.001, "loss_rate": 0.0}


def _plan(inventory, catalog, deadline, others=()):
    options = PlanOptions(deadline_seconds=deadline, **FAST_COPY)
    cap_options = CapacityOptions(sizing=SizingOptions(), deadline_seconds=deadline)
    return plan_on_target(inventory, SEEDS, options, catalog, cap_options, {}, others)


def _small_only():
    """A target with only a small machine: a large server gets none there."""
    return with_offerings(tiny_catalog(), [make_offering("small", 2, 4, 50, 10.0)])


def _big_elsewhere(lead: float):
    other = with_offerings(tiny_catalog(), [make_offering("big", 64, 512, 5000, 900.0, lead=lead)])
    return other.model_copy(update={"provider": "big-cloud"})


SERVERS = (
    {"id": "huge", "vcpus": 32, "memory": 256, "used": 10},
    {"id": "small", "vcpus": 2, "memory": 4, "used": 1},
)


def test_placing_elsewhere_counts_the_other_targets_provisioning():
    slow = 5 * HOUR
    plan = _plan(fleet(*SERVERS), _small_only(), 6 * HOUR, others=[_big_elsewhere(slow)])
    place = plan.suggestions[0]
    assert place.action == "place-elsewhere"
    assert f"in {format_duration(slow)}" in place.summary
    assert place.resulting_completion_seconds >= slow  # not the target's own minute
    late = _plan(fleet(*SERVERS), _small_only(), 4 * HOUR, others=[_big_elsewhere(slow)])
    assert late.suggestions[0].action == "place-elsewhere"
    assert late.suggestions[0].meets is False  # the other machines arrive after the deadline


def test_a_suggestion_that_fits_with_unknown_sizes_is_not_proven():
    blank = {"id": "blank", "vcpus": 2, "memory": 4}  # no volumes: size unknown
    plan = _plan(fleet(*SERVERS, blank), _small_only(), 6 * HOUR, others=[_big_elsewhere(60.0)])
    assert plan.inventory.unknown_size == ["blank"]
    place = plan.suggestions[0]
    assert place.action == "place-elsewhere" and place.meets is None
    known = _plan(fleet(*SERVERS), _small_only(), 6 * HOUR, others=[_big_elsewhere(60.0)])
    assert known.suggestions[0].meets is True


def test_copy_suggestions_with_unknown_sizes_are_not_proven():
    known = {"id": "big", "vcpus": 2, "memory": 4, "used": 20000, "source": {"provider": "aws"}}
    blank = {"id": "blank", "vcpus": 2, "memory": 4}
    options = PlanOptions(deadline_seconds=24 * HOUR)
    plan = build_plan(fleet(known, blank), SEEDS, options)
    alone = build_plan(fleet(known), SEEDS, options)
    assert alone.deadline.meets is False and alone.suggestions
    fitting = [s for s in alone.suggestions if s.meets]
    assert fitting, "the fixture needs a suggestion that meets the deadline"
    by_action = {s.action: s.meets for s in plan.suggestions}
    assert all(by_action[s.action] is None for s in fitting)


def test_no_port_suggestion_for_a_data_store_and_the_remedy_fits_the_limit():
    inventory = fleet({"id": "a", "vcpus": 2, "memory": 4, "used": 1})
    bucket = DataStore.model_validate(
        {
            "id": "bucket",
            "kind": "object-storage",
            "service": "s3",
            "used": "400TB",
            "object_count": 1000,
            "source": {"provider": "aws", "region": "us-east-1"},
        }
    )
    inventory = inventory.model_copy(update={"data_stores": [bucket]})
    plan = _plan(inventory, tiny_catalog(), 6 * HOUR)
    assert not any(s.action == "target-port" for s in plan.suggestions)
    [stuck] = [s for s in plan.suggestions if s.action == "none"]
    assert "bucket" in stuck.targets
    assert "limited by target-port" in stuck.summary
    assert "data store planned with the seeded default port" in stuck.summary
    assert "a target with faster ports" in stuck.summary
    assert "larger source instance" not in stuck.summary


@pytest.mark.parametrize("limits", [["target-port"], ["ebs-instance-limit"]])
def test_remedies_name_what_lifts_the_limit(limits):
    text = remedies(limits, None)
    assert ("larger source instance" in text) == ("ebs-instance-limit" in limits)
    assert ("faster target ports" in text) == ("target-port" in limits)


def test_data_stores_are_named_as_not_in_the_target_cost():
    bucket = DataStore.model_validate(
        {
            "id": "bucket",
            "kind": "object-storage",
            "service": "s3",
            "used": "1TB",
            "object_count": 1000,
            "source": {"provider": "aws", "region": "us-east-1"},
        }
    )
    inventory = fleet({"id": "a", "vcpus": 2, "memory": 4, "used": 1})
    plan = _plan(inventory.model_copy(update={"data_stores": [bucket]}), tiny_catalog(), None)
    assert plan.cost.target_not_costed == ["bucket"]
    assert any(
        "1 data store (object-storage; 1 TB) is" in w and "not sized or costed" in w
        for w in plan.warnings
    )
    alone = _plan(inventory, tiny_catalog(), None)
    assert alone.cost.target_not_costed == [] and alone.warnings == []


def test_other_targets_needing_no_raise_come_first_and_the_slowest_named_counts():
    from planner.core.capacity import plan_capacity
    from planner.core.suggest_target import fits_elsewhere

    raise_needed = with_offerings(
        _big_elsewhere(60.0),
        _big_elsewhere(60.0).offerings,
        servers_per_project=tiny_catalog().limits.servers_per_project.model_copy(
            update={"value": None}
        ),
    ).model_copy(update={"provider": "needs-raise"})
    no_raise = _big_elsewhere(HOUR).model_copy(update={"provider": "no-raise"})
    subset = fleet(SERVERS[0])
    found = fits_elsewhere("here", [raise_needed, no_raise], lambda c: plan_capacity(subset, c))
    assert found is not None
    # the one that needs no raise first; the raise of the other is named as a step ahead
    assert found.text.index(f"in {format_duration(HOUR)})") < found.text.index(
        "once its server limit allows 1; request the raise ahead of the exit"
    )
    assert found.provisioning_seconds >= HOUR  # the slowest named, without the raise
    assert found.provisioning_seconds < 2 * HOUR  # the fixture's raise (2 h) is not counted
