"""The probe's allow-list: every command it can build only reads, and nothing else gets through."""

from __future__ import annotations

import re
import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.discovery.ssh.runner import CommandNotAllowed, RemoteHost
from planner.probe import allowlist
from planner.probe.allowlist import NotAllowed, Peer, is_allowed, ping_command, stream_command

KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIGJvb3N0ZWQtYnktZXhpdHBsYW4tdGVzdHMtMDAwMDA"
PEER = Peer("10.222.128.2", 22, "root", "ssh-ed25519", KEY)

# ssh -o options the probe may set, with the only values that keep the client from writing
SAFE_SSH_OPTIONS = {
    "BatchMode": {"yes"},
    "StrictHostKeyChecking": {"yes"},
    "UserKnownHostsFile": {"/dev/null"},
    "GlobalKnownHostsFile": {"/dev/null"},
    "UpdateHostKeys": {"no"},
    "LogLevel": {"ERROR"},
    "ConnectTimeout": None,  # any number
    "HostKeyAlias": None,
    "KnownHostsCommand": None,  # checked below: /bin/echo only
}


def _words(command: str) -> list[list[str]]:
    """Simple commands of a pipeline; any other shell syntax fails the check."""
    assert "`" not in command and "$(" not in command, "no command substitution"
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";|&()<>")
    lexer.whitespace_split = True
    parts: list[list[str]] = [[]]
    for token in lexer:
        if token == "|":
            parts.append([])
            continue
        assert not set(token) & set(";&()<>"), f"shell syntax {token!r} in {command!r}"
        parts[-1].append(token)
    return parts


def _check_ssh(args: list[str]) -> None:
    index = 0
    while args[index].startswith("-"):
        flag = args[index]
        if flag in {"-a", "-x", "-T"}:  # no agent/X11 forwarding onwards, no tty
            index += 1
            continue
        value = args[index + 1]
        if flag == "-F":
            assert value == "/dev/null", "ssh reads no config (and so creates no ~/.ssh)"
        elif flag == "-o":
            key, _, setting = value.partition("=")
            assert key in SAFE_SSH_OPTIONS, f"ssh option {key} is not known to be safe"
            allowed = SAFE_SSH_OPTIONS[key]
            assert allowed is None or setting in allowed, f"{key}={setting} could write"
            if key == "KnownHostsCommand":  # prints the one accepted key, nothing else
                program, *rest = setting.split()
                assert program == "/bin/echo"
                assert all(re.fullmatch(r"[A-Za-z0-9+/=@.-]+", word) for word in rest)
        elif flag == "-c":
            assert value in allowlist.CIPHERS
        elif flag in {"-p", "-l"}:
            pass
        else:
            raise AssertionError(f"ssh {flag} is not a read-only option")
        index += 2
    host, *remote = args[index:]
    assert not host.startswith("-")
    assert remote == ["wc -c"], f"the peer may only count and discard, not run {remote}"


def check_read_only(command: str) -> None:
    """Raise AssertionError unless ``command`` only reads on the host it runs on."""
    for words in _words(command):
        program, args = words[0], words[1:]
        if program == "true":
            assert not args
        elif program == "head":
            assert args[:1] == ["-c"] and args[1].isdigit() and len(args) == 3
            assert args[2].startswith("/"), "head reads a file given by absolute path"
        elif program == "ping":
            assert args[:-1] == ["-n", "-q", "-c", args[3], "-i", "0.2", "-W", "2"]
        elif program == "ssh":
            _check_ssh(args)
        else:
            raise AssertionError(f"{program!r} is not a read-only program")


def valid_commands() -> list[str]:
    return [
        allowlist.CHANNEL_CHECK,
        stream_command(0, PEER),
        stream_command(100_000_000, PEER, "aes128-gcm@openssh.com"),
        stream_command(5, Peer("db.example.com", 2222, "ops", "ecdsa-sha2-nistp256", KEY)),
        stream_command(1 << 30, PEER, source="/var/lib/postgresql/base.tar"),
        ping_command("10.222.128.2", 10),
        ping_command("2001:db8::7", 3),
    ]


@pytest.mark.parametrize("command", valid_commands())
def test_every_command_only_reads_and_is_allowed(command: str) -> None:
    check_read_only(command)
    assert is_allowed(command)


@pytest.mark.parametrize(
    "command",
    [
        "head -c 10 /dev/zero > /tmp/x",
        "true; touch /tmp/x",
        stream_command(1, PEER).replace("'wc -c'", "'cat > /tmp/x'"),
        stream_command(1, PEER).replace("-F /dev/null", "-F /root/.ssh/config"),
        stream_command(1, PEER).replace("StrictHostKeyChecking=yes", "StrictHostKeyChecking=no"),
        stream_command(1, PEER).replace("UserKnownHostsFile=/dev/null", "UserKnownHostsFile=/k"),
        stream_command(1, PEER).replace("-a -x", "-E /tmp/ssh.log -a -x"),
        stream_command(1, PEER).replace("-a -x", "-o ProxyCommand=touch -a -x"),
        stream_command(1, PEER).replace("-a -x", "-L 8080:localhost:80 -a -x"),
        stream_command(1, PEER).replace("/bin/echo", "/bin/sh -c"),
        "rm -rf /",
        "ping -n -q -c 1 -i 0.2 -W 2 -f 10.0.0.1",
        "echo $(id)",
    ],
)
def test_the_read_only_check_catches_writes(command: str) -> None:
    with pytest.raises(AssertionError):
        check_read_only(command)


@pytest.mark.parametrize(
    "command",
    [
        stream_command(1, PEER) + "; touch /tmp/x",
        stream_command(1, PEER) + "\n",
        " " + stream_command(1, PEER),
        stream_command(1, PEER).replace("'wc -c'", "'cat > /tmp/x'"),
        stream_command(1, PEER).replace("'wc -c'", "'wc -c; reboot'"),
        stream_command(1, PEER).replace("StrictHostKeyChecking=yes", "StrictHostKeyChecking=no"),
        stream_command(1, PEER).replace("-a -x", "-o ProxyCommand=touch -a -x"),
        stream_command(1, PEER).replace("-p 22", "-p 22 -E /tmp/log"),
        stream_command(1, PEER).replace("/dev/zero", "/etc/shadow /dev/zero"),
        stream_command(1, PEER).replace("/dev/zero", "/tmp/../etc/shadow"),
        stream_command(1, PEER).replace("10.222.128.2", "10.222.128.2;id"),
        stream_command(1, PEER).replace("10.222.128.2", "-oProxyCommand=id"),
        stream_command(1, PEER).replace("-l root", "-l root;id"),
        stream_command(1, PEER).replace("ssh-ed25519", "ssh-ed25519 x'; touch /tmp/y; echo '"),
        stream_command(1, PEER).replace("head -c 1", "head -c 99999999999999"),
        stream_command(1, PEER).replace("  ", " ").replace(" -T ", "  -T "),
        ping_command("10.0.0.1", 3).replace("-c 3", "-c 300"),
        ping_command("10.0.0.1", 3) + " -f",
        "true ",
        "TRUE",
        "",
    ],
)
def test_anything_but_an_exact_built_command_is_refused(command: str) -> None:
    assert not is_allowed(command)


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (lambda: stream_command(-1, PEER), "byte count"),
        (lambda: stream_command(True, PEER), "byte count"),
        (lambda: stream_command(1, Peer("a b", 22, "root", "ssh-ed25519", KEY)), "host name"),
        (lambda: stream_command(1, Peer("-x", 22, "root", "ssh-ed25519", KEY)), "host name"),
        (lambda: stream_command(1, Peer("h", 0, "root", "ssh-ed25519", KEY)), "port"),
        (lambda: stream_command(1, Peer("h", 22, "-l", "ssh-ed25519", KEY)), "user"),
        (lambda: stream_command(1, Peer("h", 22, "root", "ssh-dsa'", KEY)), "key type"),
        (lambda: stream_command(1, Peer("h", 22, "root", "ssh-ed25519", "a'b")), "base64"),
        (lambda: stream_command(1, PEER, "none"), "cipher"),
        (lambda: stream_command(1, PEER, source="relative/file"), "source file"),
        (lambda: stream_command(1, PEER, source="/a b"), "source file"),
        (lambda: ping_command("10.0.0.1", 0), "ping count"),
        (lambda: ping_command("$(id)", 1), "host name"),
    ],
)
def test_builders_refuse_parameters_that_could_escape(build, problem: str) -> None:
    with pytest.raises(NotAllowed, match=problem):
        build()


@settings(max_examples=300, deadline=None)
@given(
    host=st.text(max_size=30),
    user=st.text(max_size=12),
    key=st.text(max_size=40),
    source=st.text(max_size=30),
    size=st.integers(min_value=-5, max_value=10**14),
)
def test_whatever_the_parameters_a_built_command_only_reads(host, user, key, source, size):
    try:
        command = stream_command(size, Peer(host, 22, user, "ssh-ed25519", key), None, source)
    except NotAllowed:
        return
    check_read_only(command)
    assert is_allowed(command)


def test_the_runner_checks_the_probe_list_before_touching_the_connection() -> None:
    class NoTransport:
        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"the runner used the transport ({name}) for a refused command")

    probe_host = RemoteHost(NoTransport(), 1, allowed=is_allowed)  # type: ignore[arg-type]
    for command in ["touch /tmp/x", stream_command(1, PEER) + "; id", "cat /etc/os-release"]:
        with pytest.raises(CommandNotAllowed):
            probe_host.run(command)
    # and discovery's runner (its own allow-list) does not run probe commands
    discovery_host = RemoteHost(NoTransport(), 1)  # type: ignore[arg-type]
    with pytest.raises(CommandNotAllowed):
        discovery_host.run(stream_command(1, PEER))
