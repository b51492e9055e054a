"""The bundled scenario's fleet carries its outside suppliers as profile data (deterministic)."""

from planner.audit.run import run_audit
from planner.core.generate import generate_fleet
from planner.io.inventory_file import save_inventory
from planner.io.seeds import aws_instance_types, load_yaml_seed
from planner.models.seeds import FleetProfile, Scenario


def _fleet(seed=2021):
    profile = load_yaml_seed("generator/fleet_profile.yaml", FleetProfile)
    return generate_fleet(profile, aws_instance_types(), servers=60, data_bytes=10**12, seed=seed)


def test_connections_come_from_the_profile_and_are_deterministic(tmp_path):
    fleet = _fleet()
    assert fleet == _fleet()
    app = [s for s in fleet.servers if s.role == "app"]
    twilio = [s.id for s in app if any(c.remote_host == "api.twilio.com" for c in s.connections)]
    assert twilio == [s.id for i, s in enumerate(app) if i % 3 == 0]  # every 3rd app host
    assert all(s.provenance["connections"] == "assumed" for s in fleet.servers if s.connections)
    scenario = load_yaml_seed("scenarios/forced-exit-2021.yaml", Scenario)
    assert any(a.name == "outside suppliers" for a in scenario.assumptions)

    path = save_inventory(fleet, tmp_path / "fleet.yaml")
    report = run_audit(path)
    found = {s.supplier for s in report.suppliers}
    assert {"twilio", "cloudflare-cdn", "apns", "apple-app-store", "fcm", "google-play"} <= found
    assert "unclassified:80.158.10.10" in found
