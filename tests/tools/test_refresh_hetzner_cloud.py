"""The refresh script's pure API-response -> CSV mapping, on a recorded response (no network)."""

import importlib.util
import json

import pytest

from planner.io.catalog import load_provider, rows_to_csv


@pytest.fixture(scope="module")
def refresh(repo_root):
    path = repo_root / "seeds" / "tools" / "refresh_hetzner_cloud.py"
    spec = importlib.util.spec_from_file_location("refresh_hetzner_cloud", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def repo_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def response(repo_root):
    return json.loads(
        (repo_root / "tests" / "fixtures" / "hetzner_cloud" / "server_types.json").read_text()
    )


def test_mapping_groups_locations_by_price_and_skips_deprecated(refresh, response):
    rows = refresh.rows_from_server_types(
        response["server_types"], as_of="2026-11-22", usd_per_unit={"EUR": 1.17, "USD": 1.0}
    )
    assert [r["id"] for r in rows] == ["cax11", "cpx21", "cpx21@ash+hil"]
    cax, eu, us = rows
    assert cax["architecture"] == "arm64" and cax["disks"] == "1x40GB nvme"
    assert eu["locations"] == "fsn1 hel1 nbg1"
    assert (eu["monthly_price"], eu["hourly_price"], eu["monthly_usd"]) == (
        "7.55",
        "0.0121",
        "8.83",
    )
    assert eu["included_traffic"] == "20TiB" and us["included_traffic"] == "2TiB"
    assert (us["monthly_price"], us["locations"]) == ("9.49", "ash hil")
    assert eu["memory"] == "4GiB" and eu["vcpus"] == "3" and eu["dedicated_cpu"] == "false"


def test_mapped_rows_load_as_a_valid_catalog(refresh, response, tmp_path, repo_root):
    import shutil

    rows = refresh.rows_from_server_types(
        response["server_types"],
        as_of="2026-11-22",
        usd_per_unit={"EUR": 1.17, "USD": 1.0},
        existing={"cpx21": {"lead_time": "2m", "nic": "2Gbps", "cpu": "AMD EPYC (shared)"}},
    )
    folder = tmp_path / "providers" / "hetzner-cloud"
    shutil.copytree(repo_root / "seeds" / "providers" / "hetzner-cloud", folder)
    (folder / "offerings.csv").write_text(rows_to_csv(rows))
    shutil.copy(repo_root / "seeds" / "providers" / "exchange_rates.yaml", tmp_path / "providers")
    catalog = load_provider("hetzner-cloud", tmp_path / "providers")
    cpx = catalog.offering("cpx21")
    assert cpx.lead_time_seconds == 120 and cpx.nic_bits_per_second == 2e9  # hand-kept columns
    assert cpx.cpu == "AMD EPYC (shared)"
    assert cpx.included_traffic_bytes == 20 * 2**40
    assert cpx.confidence == "high"


def test_without_token_the_script_does_nothing(refresh, monkeypatch, capsys):
    monkeypatch.delenv("HCLOUD_TOKEN", raising=False)
    assert refresh.main([]) == 2
    assert "HCLOUD_TOKEN is not set" in capsys.readouterr().err
