"""SSH targets: inventory settings over ~/.ssh/config over defaults; ProxyJump chains."""

from __future__ import annotations

import paramiko
import pytest

from planner.discovery.ssh.config import TargetError, endpoint_for, load_ssh_config
from planner.errors import InputError
from planner.models import Server

CONFIG = paramiko.SSHConfig.from_text(
    """
Host web-1
  HostName 10.0.1.11
  User ubuntu
  Port 2222
  IdentityFile /keys/web

Host 10.0.2.*
  User ec2-user
  ProxyJump bastion
  IdentitiesOnly yes
  IdentityFile /keys/private

Host bastion
  HostName 203.0.113.10
  User jump
  ProxyJump edge

Host edge
  HostName 198.51.100.1
  Port 2200

Host legacy
  ProxyCommand nc %h %p
"""
)


def test_an_alias_with_its_own_hostname_wins() -> None:
    server = Server.model_validate({"id": "web-1", "address": "10.9.9.9"})
    endpoint = endpoint_for(server, CONFIG, default_user="me")
    assert (endpoint.host, endpoint.port, endpoint.user) == ("10.0.1.11", 2222, "ubuntu")
    assert endpoint.identity_files == ("/keys/web",)
    assert endpoint.jump == ()


def test_inventory_values_override_the_config() -> None:
    server = Server.model_validate({"id": "web-1", "ssh": {"user": "admin", "port": 22}})
    endpoint = endpoint_for(server, CONFIG, default_user="me")
    assert (endpoint.user, endpoint.port) == ("admin", 22)


def test_address_patterns_and_a_nested_jump_chain() -> None:
    server = Server.model_validate({"id": "app-7", "address": "10.0.2.7"})
    endpoint = endpoint_for(server, CONFIG, default_user="me")
    assert (endpoint.host, endpoint.user, endpoint.identities_only) == (
        "10.0.2.7",
        "ec2-user",
        True,
    )
    hops = [(h.host, h.port, h.user) for h in endpoint.jump]
    assert hops == [("198.51.100.1", 2200, "me"), ("203.0.113.10", 22, "jump")]
    assert endpoint.jump[1].jump == endpoint.jump[:1]
    assert endpoint.label == "ec2-user@10.0.2.7:22 via me@198.51.100.1:2200 -> jump@203.0.113.10:22"


def test_inventory_jump_host_spec() -> None:
    server = Server.model_validate(
        {"id": "x", "address": "192.0.2.5", "ssh": {"jump_host": "ops@[2001:db8::1]:2022,bastion"}}
    )
    endpoint = endpoint_for(server, CONFIG, default_user="me")
    assert [(h.host, h.port, h.user) for h in endpoint.jump] == [
        ("2001:db8::1", 2022, "ops"),
        ("203.0.113.10", 22, "jump"),
    ]


def test_proxycommand_is_refused_clearly() -> None:
    with pytest.raises(TargetError, match="ProxyCommand"):
        endpoint_for(Server(id="legacy"), CONFIG)


def test_defaults_without_config() -> None:
    endpoint = endpoint_for(Server(id="h", hostname="h.example"), paramiko.SSHConfig(), "me")
    assert (endpoint.host, endpoint.port, endpoint.user) == ("h.example", 22, "me")


def test_an_explicit_missing_config_is_an_input_error(tmp_path) -> None:
    with pytest.raises(InputError, match="no such ssh config"):
        load_ssh_config(tmp_path / "nope")
    assert load_ssh_config(None) is not None
