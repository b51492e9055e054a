"""The plan fixtures are reproducible from the generator, and the regulation seed is coherent."""

from __future__ import annotations

import json

from planner.io.seeds import load_yaml_seed
from planner.report.regulation import SEED, RegulationSeed
from tests.report import make_fixtures
from tests.report.conftest import FIXTURES


def test_plan_fixtures_regenerate_identically():
    for name, build in (
        ("plan-500.json", make_fixtures.plan_500),
        ("plan-small.json", make_fixtures.plan_small),
    ):
        assert json.loads(json.dumps(build())) == json.loads((FIXTURES / name).read_text()), name


def test_plan_500_is_a_consistent_schedule(plan500):
    hosts = plan500["transfer"]["hosts"]
    assert len(hosts) == plan500["inventory"]["servers"] == 500
    assert sum(h["bytes"] for h in hosts) == plan500["inventory"]["total_bytes"]
    assert max(h["end_seconds"] for h in hosts) == plan500["transfer"]["bulk_seconds"]
    assert plan500["transfer"]["lower_bound_seconds"] <= plan500["transfer"]["bulk_seconds"]
    for h in hosts:
        assert h["end_seconds"] >= h["start_seconds"] >= 0
        expected = h["bytes"] * 8 / h["rate_bits_per_second"]
        assert abs(h["end_seconds"] - h["start_seconds"] - expected) < 1


def test_regulation_seed_is_coherent():
    seed = load_yaml_seed(SEED, RegulationSeed)
    periods = {p.id for p in seed.periods}
    for scenario in seed.scenarios:
        assert scenario.window == "deadline" or scenario.window in periods, scenario.id
    assert len({e.id for e in seed.elements}) == len(seed.elements)
    assert {"data-act-transition", "data-act-retrieval", "data-act-notice"} <= periods
    assert all(s.url for s in seed.sources)
