"""Egress is priced only where the seeds know the source provider's prices."""

import pytest

from planner.core.plan import build_plan
from planner.io.transfer_seeds import transfer_seeds
from planner.models.plan import PlanOptions
from planner.plan_text import verdict_lines
from tests.core.plan_helpers import FAST_OPTIONS, fast_server, inventory

SEEDS = transfer_seeds()
GB = SEEDS.egress.bytes_per_gb  # AWS counts GB of 2^30 bytes


def _plan(*servers):
    return build_plan(
        inventory(*servers), SEEDS, PlanOptions(deadline_seconds=86400, **FAST_OPTIONS)
    )


def test_a_gcp_server_is_not_priced_at_aws_list_prices():
    plan = _plan(fast_server("g1", "5TB", source={"provider": "gcp", "region": "europe-west1"}))
    cost = plan.cost
    assert cost.egress_usd is None and cost.egress_usd_if_waived is None
    assert cost.egress_unpriced_ids == ["g1"] and cost.egress_unpriced_bytes == 5 * 10**12
    assert cost.by_region == [] and cost.waiver is None
    names = {a.name: a for a in plan.assumptions}
    assert "exit waiver" not in names and not any(n.startswith("egress prices") for n in names)
    assert "provider: gcp" in names["egress unknown"].value
    line = next(x for x in verdict_lines(plan) if x.startswith("Egress"))
    assert "AWS" not in line and "waiver" not in line and "unknown for 1 item(s)" in line


def test_mixed_sources_price_aws_and_aws_region_names_and_list_the_rest():
    plan = _plan(
        fast_server("aws", "1TB", source={"provider": "aws", "region": "us-east-1"}),
        fast_server("azure", "2TB", source={"provider": "azure", "region": "westeurope"}),
        fast_server("no-provider", "1TB", source={"region": "eu-west-1"}),
        fast_server("on-prem", "3TB", source={}),
    )
    cost = plan.cost
    assert sorted(cost.egress_unpriced_ids) == ["azure", "on-prem"]
    assert cost.egress_unpriced_bytes == 5 * 10**12
    # 10^12 bytes = 931.3 GB per region at $0.09; the 100 free GB once, on the dearer first
    # tier (equal here: the later region name, us-east-1)
    gb = 10**12 / GB
    assert {r.region: r.usd for r in cost.by_region} == pytest.approx(
        {"eu-west-1": round(gb * 0.09, 2), "us-east-1": round((gb - 100) * 0.09, 2)}
    )
    assert cost.egress_usd == pytest.approx(round((2 * gb - 100) * 0.09, 2))
    assert cost.waiver is not None and cost.egress_usd_if_waived == 0
    names = {a.name: a.value for a in plan.assumptions}
    assert "1 item(s) name no source provider" in names["egress provider"]
    assert "provider: azure, none given" in names["egress unknown"]


def test_egress_provider_comes_from_the_seed():
    assert SEEDS.egress.provider == "aws"
    plan = _plan(fast_server("a", "1TB", source={"provider": "AWS", "region": "us-east-1"}))
    assert plan.cost.egress_provider == "aws" and plan.cost.egress_unpriced_ids == []
