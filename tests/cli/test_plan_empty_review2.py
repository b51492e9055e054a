"""An inventory with nothing in it is an input error, not a met deadline (second review 13)."""


def test_an_empty_inventory_is_nothing_to_plan(cli, tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("schema_version: 1\nservers: []\n")
    result = cli("plan", str(empty), "--deadline", "24h")
    assert result.exit_code == 2
    assert "nothing to plan" in result.output
    assert "MET" not in result.output
