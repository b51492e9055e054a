"""``exitplan probe`` input handling: bad input exits 2 before anything connects."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import yaml


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    port = _closed_port()
    inv = tmp_path / "inv.yaml"
    inv.write_text(
        yaml.safe_dump(
            {
                "schema_version": 1,
                "servers": [
                    {"id": "web1", "address": "127.0.0.1", "ssh": {"user": "root", "port": port}},
                    {"id": "t1", "address": "127.0.0.1", "ssh": {"user": "root", "port": port}},
                ],
            }
        )
    )
    known = tmp_path / "known_hosts"
    known.write_text("")
    return inv, known


def probe(cli, setup, tmp_path, *args: object):
    inv, known = setup
    base = ["probe", "--inventory", inv, "--known-hosts", known, "-o", tmp_path / "cal.json"]
    return cli(*base, *args)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "t1"], "SRC 'nobody' is not a server id in the inventory"),
        (["web1", "bad host;id"], "neither a server id in the inventory nor [user@]host[:port]"),
        (["web1", "t1", "--bytes", "lots"], "invalid --bytes 'lots'"),
        (["web1", "t1", "--bytes", "0"], "between 1 byte and 10 TB"),
        (["web1", "t1", "--cipher", "none"], "unknown --cipher 'none'"),
        (["web1", "t1", "--source-file", "data/big.img"], "an absolute, plain path"),
        (["web1", "t1", "--dst-address", "-oProxyCommand=x"], "not an address or host name"),
        (["web1", "t1", "--nominal", "fast"], "invalid rate 'fast'"),
    ],
)
def test_bad_input_exits_2_with_a_message(cli, setup, tmp_path, args, message):
    result = probe(cli, setup, tmp_path, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (tmp_path / "cal.json").exists()


def test_an_unreachable_source_exits_1_and_writes_nothing(cli, setup, tmp_path):
    result = probe(cli, setup, tmp_path, "web1", "t1", "--timeout", "3s")
    assert result.exit_code == 1
    assert "src web1: connection refused" in result.stderr
    assert not (tmp_path / "cal.json").exists()


def test_a_missing_known_hosts_file_needs_the_opt_in(cli, setup, tmp_path):
    inv, _ = setup
    result = cli(
        "probe", "web1", "t1", "--inventory", inv, "--known-hosts", tmp_path / "none",
        "-o", tmp_path / "cal.json",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--accept-new-host-keys" in result.stderr
