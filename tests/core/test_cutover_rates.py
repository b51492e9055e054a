"""The rate of delta rounds after a host's bulk copy (``delta_rates``) and its use in a plan."""

import pytest

from planner.core.cutover import Busy, delta_rates
from planner.core.plan import build_plan
from planner.core.schedule import SharedLink
from planner.io.transfer_seeds import transfer_seeds
from planner.models.plan import PlanOptions
from tests.core.plan_helpers import FAST_OPTIONS, fast_server, inventory

SEEDS = transfer_seeds()
MBIT = 1e6


def host(cap, size=10**9, start=0.0, end=100.0, change=0.0):
    return Busy(cap * MBIT, size, start, end, change * MBIT)


def test_without_links_each_host_gets_its_own_limit_and_empty_hosts_none():
    hosts = [host(750), host(200), host(900, size=0)]
    assert delta_rates(hosts, []) == [750 * MBIT, 200 * MBIT, 0.0]


def test_once_the_others_are_done_a_host_gets_the_link_less_their_change_rates():
    # 10 hosts end together on a 1,000 Mbit/s link, each changing at 20 Mbit/s: the other nine
    # need 180 Mbit/s, so 820 are left (more than the fair 100); own limits cap it
    hosts = [host(750, change=20) for _ in range(9)] + [host(900, change=20)]
    link = SharedLink("uplink", 1000 * MBIT, tuple(range(10)))
    rates = delta_rates(hosts, [link])
    assert rates[:9] == [pytest.approx(750 * MBIT)] * 9
    assert rates[9] == pytest.approx((1000 - 9 * 20) * MBIT)


def test_bulk_copies_still_running_take_their_share_first():
    # a and c end at 100 s; b's bulk copy runs at 600 Mbit/s on the same 1,000 Mbit/s until
    # 1,000 s. a gets 1,000 - 600 - 10 (b's changes) - 5 (c's) = 385, above the fair third
    a = host(900, end=100.0, change=5)
    b = host(600, size=int(600e6 / 8 * 1000), start=0.0, end=1000.0, change=10)
    c = host(900, end=100.0, change=5)
    link = SharedLink("uplink", 1000 * MBIT, (0, 1, 2))
    rate_a, rate_b, _ = delta_rates([a, b, c], [link])
    assert rate_a == pytest.approx(385 * MBIT)
    assert rate_b == pytest.approx(600 * MBIT)  # nothing else runs after 1,000 s: its own limit
    # with b still copying at 900 Mbit/s, a falls back to its fair third
    fast_b = host(900, size=int(900e6 / 8 * 1000), start=0.0, end=1000.0, change=10)
    assert delta_rates([a, fast_b, c], [link])[0] == pytest.approx(1000 / 3 * MBIT)


def test_fair_share_is_the_floor_when_the_changes_fill_the_link():
    # four hosts changing at 400 Mbit/s each on 1,000 Mbit/s: 1,200 for the others is more than
    # the link, so each gets its fair quarter; with at most two at once, half
    hosts = [host(800, change=400) for _ in range(4)]
    link = SharedLink("uplink", 1000 * MBIT, (0, 1, 2, 3))
    assert delta_rates(hosts, [link]) == [pytest.approx(250 * MBIT)] * 4
    assert delta_rates(hosts, [link], concurrency=2) == [pytest.approx(500 * MBIT)] * 4


def test_the_tightest_link_sets_the_rate():
    hosts = [host(900, change=10), host(900, change=10)]
    wide = SharedLink("wide", 10_000 * MBIT, (0, 1))
    narrow = SharedLink("narrow", 300 * MBIT, (0,))
    assert delta_rates(hosts, [wide, narrow]) == [pytest.approx(300 * MBIT), 900 * MBIT]


def test_a_small_host_slowed_by_water_filling_still_cuts_over_in_about_a_minute():
    # review finding 4: on a shared 10 Gbit/s link a 6 GB host changing at 1 MB/s is slowed to a
    # few Mbit/s so that it ends with 20 hosts of 2 TB; after that the link is free again
    servers = [fast_server(f"big-{i}", "2TB") for i in range(20)]
    servers.append(fast_server("cache", "6GB", change_rate="1MB/s"))
    links = [{"name": "uplink", "capacity": "10Gbps"}]
    fast = {**FAST_OPTIONS, "target_port_bits_per_second": 1e9}
    plan = build_plan(inventory(*servers, links=links), SEEDS, PlanOptions(**fast))
    transfer = {h.id: h for h in plan.transfer.hosts}["cache"]
    assert transfer.limited_by == "link:uplink"
    assert transfer.rate_bits_per_second < 8e6  # slower than it changes: 1 MB/s = 8 Mbit/s
    cut = {h.id: h for h in plan.cutover.hosts}["cache"]
    # after the bulk copy: its own limit (the 1 Gbit/s port at payload efficiency)
    rate = transfer.cap_bits_per_second / 8
    first = 6e9 / rate  # the whole 6 GB changed during the 10-hour bulk copy
    second = 1e6 * first / rate
    assert cut.method == "pre-copy" and cut.converges and cut.rounds == 2
    switch = SEEDS.cutover.pre_copy.switch_over
    assert cut.downtime_seconds == pytest.approx(second + switch)
    assert cut.completion_seconds == pytest.approx(transfer.end_seconds + first + second + switch)
    assert "delta-round rate" in {a.name for a in plan.assumptions}


def test_hosts_that_end_together_up_to_rounding_do_not_count_as_still_copying():
    # water-filling ends link-limited hosts "together"; a last-bit difference must not matter
    big = int(900e6 / 8 * 1000)  # 900 Mbit/s for 1,000 s
    a = host(900, size=big, end=1000.0)
    b = host(900, size=big, end=1000.0 * (1 + 1e-12))
    link = SharedLink("uplink", 1000 * MBIT, (0, 1))
    assert delta_rates([a, b], [link]) == [pytest.approx(900 * MBIT)] * 2
