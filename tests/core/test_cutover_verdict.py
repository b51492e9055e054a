"""Convergence fields and the verdict agree (review finding 15)."""

import pytest

from planner.core.generate import generate_fleet
from planner.core.plan import build_plan
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.io.transfer_seeds import transfer_seeds
from planner.models.plan import PlanOptions
from planner.models.seeds import FleetProfile
from planner.plan_text import to_markdown, verdict_lines
from tests.core.plan_helpers import FAST_OPTIONS, fast_server, inventory

SEEDS = transfer_seeds()
RULES = SEEDS.cutover.pre_copy


@pytest.fixture(scope="module")
def fleet_plan():
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    catalog = aws_instance_types()
    inv = generate_fleet(profile, catalog, servers=500, data_bytes=20 * 10**12, seed=1)
    return build_plan(inv, SEEDS, PlanOptions(deadline_seconds=86400), catalog)


def test_a_host_converges_exactly_when_its_last_round_is_short(fleet_plan):
    cut = fleet_plan.cutover
    assert cut.non_converging  # review finding 15: media hosts stopped by the round limit
    for h in cut.hosts:
        assert h.converges == (h.reason is None), h
        if h.method == "pre-copy" and h.rounds:
            last = h.downtime_seconds - RULES.switch_over
            assert h.converges == (last <= RULES.final_round + 1e-9), h
    assert cut.converges == all(h.converges for h in cut.hosts)
    assert {h.id for h in cut.non_converging} == {h.id for h in cut.hosts if not h.converges}


def test_round_limit_hosts_are_named_in_the_verdict_not_called_converged():
    # D = R / 2 after a bulk copy of about 2.6 h: rounds of 1.3 h, 39 min, 20 min, 10 min and
    # 5 min; the round limit (5) ends them with a 5-minute last round
    fast = {**FAST_OPTIONS, "target_port_bits_per_second": 1e9}
    probe = build_plan(inventory(fast_server("busy", "1TB")), SEEDS, PlanOptions(**fast))
    cap = probe.transfer.hosts[0].cap_bits_per_second
    busy = fast_server("busy", "1TB", change_rate=cap / 16)  # bytes/s: half the rate
    plan = build_plan(inventory(busy), SEEDS, PlanOptions(**fast))
    [h] = plan.cutover.hosts
    bulk = plan.transfer.hosts[0].end_seconds - plan.transfer.hosts[0].start_seconds
    assert h.rounds == RULES.max_rounds and not h.converges
    assert h.downtime_seconds == pytest.approx(bulk / 2**5 + RULES.switch_over, rel=1e-6)
    assert h.reason.startswith(f"round limit ({RULES.max_rounds}) reached")
    line = verdict_lines(plan)[2]
    assert "every host" not in line
    assert "1 host(s) do not converge: 1 stop at the round limit" in line
    assert "## Hosts that do not converge\n\n- busy: round limit" in to_markdown(plan)


def test_a_host_changing_faster_than_it_copies_gets_one_pass_with_services_stopped():
    fast = {**FAST_OPTIONS, "target_port_bits_per_second": 1e9}
    probe = build_plan(inventory(fast_server("hot", "100GB")), SEEDS, PlanOptions(**fast))
    cap = probe.transfer.hosts[0].cap_bits_per_second
    hot = fast_server("hot", "100GB", change_rate=cap / 4)  # bytes/s: twice what it copies
    plan = build_plan(inventory(hot), SEEDS, PlanOptions(**fast))
    [h] = plan.cutover.hosts
    assert h.method == "offline" and not h.converges and h.rounds == 1
    # it changes more than its 100 GB during the bulk copy: the final pass copies all of it
    assert h.downtime_seconds == pytest.approx(100e9 * 8 / cap + RULES.switch_over)
    assert (
        "1 host(s) do not converge: 1 change data faster than they can copy it"
        in (verdict_lines(plan)[2])
    )
