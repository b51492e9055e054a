import pytest
from pydantic import BaseModel, ValidationError

from planner.io.transfer_seeds import transfer_seeds
from planner.models.transfer_seeds import EbsVolumeType, EgressSchedule, SeedRecord


def records(model):
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SeedRecord):
            yield value
        elif isinstance(value, dict):
            yield from (v for v in value.values() if isinstance(v, SeedRecord))
        elif isinstance(value, BaseModel):
            yield from records(value)


def test_every_seed_record_has_a_source_and_date():
    found = list(records(transfer_seeds()))
    assert len(found) >= 20
    for record in found:
        assert record.source.title and record.source.claim
        assert record.as_of.year >= 2024


SOURCE = {"source": {"title": "t", "claim": "c"}, "as_of": "2026-01-01"}


def test_tiers_must_be_ordered_and_end_open():
    with pytest.raises(ValidationError, match="open-ended"):
        EgressSchedule.model_validate({"tiers": [{"up_to_gb": 10, "usd_per_gb": 1}], **SOURCE})
    with pytest.raises(ValidationError, match="increasing"):
        EgressSchedule.model_validate(
            {
                "tiers": [
                    {"up_to_gb": 10, "usd_per_gb": 1},
                    {"up_to_gb": 5, "usd_per_gb": 1},
                    {"usd_per_gb": 1},
                ],
                **SOURCE,
            }
        )


def test_volume_type_needs_exactly_one_throughput_model():
    with pytest.raises(ValidationError, match="exactly one"):
        EbsVolumeType.model_validate({**SOURCE})
    ok = EbsVolumeType.model_validate({"default_throughput": "125 MiB/s", **SOURCE})
    assert ok.default_throughput == 125 * 2**20
