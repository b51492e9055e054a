"""Every bundled catalog file: schema, unique ids, sources and as-of dates, USD consistency."""

import csv
import shutil

import pytest

from planner.errors import InputError, SeedError
from planner.io.catalog import (
    COLUMNS,
    list_providers,
    load_exchange_rates,
    load_provider,
    load_target,
    normalised_row,
    providers_dir,
    read_rows,
)

REQUIRED = {
    "hetzner-cloud",
    "hetzner-robot",
    "scaleway-instances",
    "scaleway-elastic-metal",
    "ovh-baremetal",
    "ovh-public-cloud",
}
PROVIDERS = list_providers()


def test_required_providers_are_bundled():
    assert set(PROVIDERS) >= REQUIRED


@pytest.mark.parametrize("provider", PROVIDERS)
def test_catalog_loads_and_is_consistent(provider):
    catalog = load_provider(provider)
    assert catalog.limits.provider == provider
    ids = [o.id for o in catalog.offerings]
    assert len(ids) == len(set(ids))
    assert len(catalog.offerings) >= 4
    rate = load_exchange_rates().usd_per_unit
    for o in catalog.offerings:
        assert o.source.strip() and o.as_of.year >= 2024
        assert o.memory_bytes >= 2**30 and o.vcpus >= 1
        assert o.monthly_usd == pytest.approx(o.monthly_price * rate[o.currency], rel=0.011)
        assert set(o.locations)
        if o.confidence != "high":
            assert o.note, f"{o.id}: uncertain rows must say why in the note"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_csv_has_the_documented_columns_and_every_cell_of_provenance(provider):
    path = providers_dir() / provider / "offerings.csv"
    rows = read_rows(path)
    with path.open() as handle:
        assert next(csv.reader(handle)) == COLUMNS
    for row in rows:
        assert row["source"] and row["as_of"] and row["confidence"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_limit_names_a_known_source_and_date(provider):
    limits = load_provider(provider).limits
    for name in type(limits).model_fields:
        item = getattr(limits, name)
        if hasattr(item, "source") and hasattr(item, "as_of"):
            assert item.source in limits.sources, name
            assert item.as_of is not None
    for ref in limits.sources.values():
        assert ref.title


@pytest.mark.parametrize("provider", PROVIDERS)
def test_usd_columns_are_what_the_exchange_rate_gives(provider):
    rates = load_exchange_rates().usd_per_unit
    for row in read_rows(providers_dir() / provider / "offerings.csv"):
        assert normalised_row(row, rates) == row, row["id"]


def test_hetzner_cloud_unknown_server_limit_is_explicit_not_zero():
    limits = load_provider("hetzner-cloud").limits
    assert limits.servers_per_project.value is None
    assert "--server-limit" in (limits.servers_per_project.note or "")
    assert limits.api_rate_limit.requests == 3600
    assert limits.servers_per_network.value == 100


def test_normalised_row_computes_usd():
    row = {
        "id": "x",
        "currency": "EUR",
        "monthly_price": "10",
        "hourly_price": "",
        "setup_fee": "5",
    }
    out = normalised_row(row, {"EUR": 1.17})
    assert (out["monthly_usd"], out["hourly_usd"], out["setup_usd"]) == ("11.7", "", "5.85")
    with pytest.raises(SeedError, match="no exchange rate"):
        normalised_row({**row, "currency": "CHF"}, {"EUR": 1.17})


@pytest.fixture
def tiny_dir(repo, tmp_path):
    root = tmp_path / "cat"
    shutil.copytree(repo / "tests" / "fixtures" / "providers", root)
    return root


@pytest.mark.parametrize(
    ("file", "old", "new", "error"),
    [
        pytest.param(
            "offerings.csv",
            ",40,,0,40,,0,",
            ",40,,0,44,,0,",
            r"t-large: monthly_usd 44.0 does not match",
            id="stale-usd-column-names-the-offering",
        ),
        pytest.param(
            "offerings.csv",
            "1x50GB ssd",
            "fifty gigs",
            r"offerings.csv:2: disks: .*invalid disk spec",
            id="bad-cell-names-file-and-row",
        ),
        pytest.param(
            "limits.yaml",
            "servers_per_network: {value: 3, source: fixture",
            "servers_per_network: {value: 3, source: nowhere",
            r"servers_per_network\.source: 'nowhere'",
            id="limit-with-unknown-source-key",
        ),
        pytest.param(
            "offerings.csv",
            ",test fixture,2026-01-01,",
            ",test fixture,,",
            r"as_of: Field required",
            id="missing-as-of",
        ),
    ],
)
def test_a_broken_catalog_file_is_refused(tiny_dir, file, old, new, error):
    path = tiny_dir / "tiny" / file
    text = path.read_text()
    assert old in text  # the edit below really changes the file
    path.write_text(text.replace(old, new))
    with pytest.raises(InputError, match=error):
        load_provider("tiny", tiny_dir)


def test_duplicate_offering_id_is_refused(tiny_dir):
    path = tiny_dir / "tiny" / "offerings.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(InputError, match="duplicate offering id 't-small'"):
        load_provider("tiny", tiny_dir)


def test_unknown_target_lists_known_ones(tiny_dir):
    with pytest.raises(InputError, match=r"unknown target 'nope' \(known: tiny"):
        load_target("nope", tiny_dir)


def test_disk_usable_space_mirrors_pairs(tiny_dir):
    metal = load_provider("tiny", tiny_dir).offering("t-metal")
    assert metal.usable_disk_bytes(mirror=True) == 2 * 10**12
    assert metal.usable_disk_bytes(mirror=False) == 4 * 10**12
    assert metal.traffic_unmetered and metal.included_traffic_bytes is None
    assert metal.lead_time_out_of_stock_seconds == 5 * 86400
