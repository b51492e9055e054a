"""known_hosts: unknown keys refused unless opted in, changed keys always refused, records kept."""

from __future__ import annotations

import paramiko
import pytest

from planner.discovery.ssh.hostkeys import HostKeyError, KnownHosts, fingerprint, key_name
from planner.errors import InputError


@pytest.fixture(scope="module")
def keys() -> tuple[paramiko.PKey, paramiko.PKey]:
    return paramiko.ECDSAKey.generate(), paramiko.ECDSAKey.generate()


def test_key_names_follow_openssh() -> None:
    assert key_name("10.0.0.1", 22) == "10.0.0.1"
    assert key_name("10.0.0.1", 2222) == "[10.0.0.1]:2222"


def test_known_key_passes_and_changed_key_is_refused(tmp_path, keys) -> None:
    good, other = keys
    path = tmp_path / "known_hosts"
    path.write_text(f"[h]:2222 {good.get_name()} {good.get_base64()}\n")
    store = KnownHosts(path)
    store.check("[h]:2222", good)
    with pytest.raises(HostKeyError, match="CHANGED") as caught:
        store.check("[h]:2222", other)
    assert fingerprint(other) in caught.value.reason and fingerprint(good) in caught.value.reason


def test_changed_key_is_refused_even_with_accept_new(tmp_path, keys) -> None:
    good, other = keys
    path = tmp_path / "known_hosts"
    path.write_text(f"h {good.get_name()} {good.get_base64()}\n")
    with pytest.raises(HostKeyError, match="CHANGED"):
        KnownHosts(path, accept_new=True).check("h", other)
    assert path.read_text().count("\n") == 1


def test_a_key_of_another_type_counts_as_changed(tmp_path, keys) -> None:
    good, _ = keys
    rsa_line = (
        "h ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
    )
    path = tmp_path / "known_hosts"
    path.write_text(rsa_line)
    with pytest.raises(HostKeyError, match="CHANGED"):
        KnownHosts(path, accept_new=True).check("h", good)


def test_unknown_key_is_refused_without_opt_in(tmp_path, keys) -> None:
    path = tmp_path / "known_hosts"
    path.write_text("")
    with pytest.raises(HostKeyError, match=r"unknown.*--accept-new-host-keys"):
        KnownHosts(path).check("new", keys[0])
    assert path.read_text() == ""


def test_accept_new_records_the_key_and_keeps_the_file_mode(tmp_path, keys) -> None:
    good, other = keys
    path = tmp_path / "known_hosts"
    path.write_text(f"old {other.get_name()} {other.get_base64()}")  # no final newline
    path.chmod(0o600)
    store = KnownHosts(path, accept_new=True)
    store.check("[new]:2200", good)
    assert path.read_text().splitlines() == [
        f"old {other.get_name()} {other.get_base64()}",
        f"[new]:2200 {good.get_name()} {good.get_base64()}",
    ]
    assert path.stat().st_mode & 0o777 == 0o600
    assert store.accepted == [
        {"host": "[new]:2200", "key_type": good.get_name(), "fingerprint": fingerprint(good)}
    ]
    KnownHosts(path).check("[new]:2200", good)  # a fresh reader trusts it now


def test_hashed_files_get_hashed_entries(tmp_path, keys) -> None:
    good, other = keys
    path = tmp_path / "known_hosts"
    hashed = paramiko.HostKeys.hash_host("old")
    path.write_text(f"{hashed} {other.get_name()} {other.get_base64()}\n")
    KnownHosts(path, accept_new=True).check("secret-host", good)
    text = path.read_text()
    assert "secret-host" not in text and text.count("|1|") == 2
    KnownHosts(path).check("secret-host", good)


def test_missing_file_needs_opt_in(tmp_path, keys) -> None:
    with pytest.raises(InputError, match="no such known_hosts"):
        KnownHosts(tmp_path / "absent")
    store = KnownHosts(tmp_path / "sub" / "known_hosts", accept_new=True)
    store.check("h", keys[0])
    assert (tmp_path / "sub" / "known_hosts").exists()
