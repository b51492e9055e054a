"""The allow-list is the only way to run anything remotely, and everything in it only reads."""

from __future__ import annotations

import ast
import shlex
from pathlib import Path

import pytest

from planner.discovery.ssh import allowlist
from planner.discovery.ssh.registry import all_probes
from planner.discovery.ssh.runner import CommandNotAllowed, RemoteHost

REPO = Path(__file__).resolve().parents[3]

# program -> the allowed non-option words (subcommands), or None for "any arguments"
READ_ONLY: dict[str, set[tuple[str, ...]] | None] = {
    "echo": None,
    "cat": None,
    "uname": None,
    "grep": None,
    "nproc": None,
    "df": None,
    "lsblk": None,
    "ls": None,
    "ss": None,
    "netstat": None,
    "head": None,
    "true": None,
    "find": None,
    "dpkg-query": None,
    "rpm": None,
    "ip": {("addr", "show")},
    "apk": {("info",)},
    "snap": {("list",)},
    "docker": {("ps",), ("images",)},
    "podman": {("ps",), ("images",)},
    "crictl": {("images",)},
    "postconf": {("relayhost",)},  # -h prints a value; only -e/-X/-# would write main.cf
}
FORBIDDEN_OPTIONS = {
    "find": {"-delete", "-execdir", "-ok", "-okdir", "-fprint", "-fprint0", "-fprintf", "-fls"},
    "rpm": {"-e", "-i", "-U", "-F", "--erase", "--install", "--upgrade", "--import", "--rebuilddb"},
    "dpkg-query": set(),
    "postconf": {"-e", "-X", "-#", "-M", "-F", "-P"},
}
SEPARATORS = {";", "|", "||", "&&", "(", ")"}


def simple_commands(command: str) -> list[list[str]]:
    """Split a command into simple commands; check that redirections only go to /dev/null."""
    assert "`" not in command and "$(" not in command, "no command substitution"
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";|&()<>")
    lexer.whitespace_split = True
    tokens = list(lexer)
    commands: list[list[str]] = [[]]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in SEPARATORS:
            commands.append([])
        elif set(token) <= set("<>&"):
            assert token in (">", ">>"), f"unexpected operator {token!r} in {command!r}"
            target = tokens[index + 1]
            assert target == "/dev/null", f"redirection to {target!r}: only /dev/null allowed"
            if commands[-1] and commands[-1][-1].isdigit():
                commands[-1].pop()  # the file descriptor of "2>/dev/null"
            index += 1
        else:
            commands[-1].append(token)
        index += 1
    return [c for c in commands if c]


def program_and_args(words: list[str]) -> tuple[str, list[str]]:
    while words and "=" in words[0] and words[0].split("=", 1)[0].isidentifier():
        words = words[1:]  # LC_ALL=C
    return words[0], words[1:]


def check_read_only(command: str) -> None:
    """Raise AssertionError unless every part of ``command`` only reads."""
    for words in simple_commands(command):
        program, args = program_and_args(words)
        assert program in READ_ONLY, f"{program!r} is not a known read-only program"
        allowed = READ_ONLY[program]
        if allowed is not None:
            words = tuple(a for a in args if not a.startswith("-") and not a.startswith("{{"))
            assert words in allowed, f"{program} {' '.join(words)} is not read-only"
        forbidden = FORBIDDEN_OPTIONS.get(program, set()) & set(args)
        assert not forbidden, f"{program} {sorted(forbidden)} could change the host"
        if program == "find" and "-exec" in args:
            assert args[args.index("-exec") + 1] == "grep", "find may only -exec grep"
            assert args[-1] == "+"


@pytest.mark.parametrize("name", list(allowlist.COMMANDS))
def test_every_command_only_reads(name: str) -> None:
    check_read_only(allowlist.COMMANDS[name])


@pytest.mark.parametrize(
    "command",
    [
        "cat /etc/hosts > /tmp/x",
        "echo x >> /etc/motd",
        "uname 2>/tmp/err",
        "rm -rf /",
        "uname; tee /tmp/x",
        "uname | sh",
        "find / -delete",
        "find /etc -exec rm {} +",
        "apk add curl",
        "docker rm -f x",
        "echo `id`",
        "echo $(id)",
        "ip addr add 10.0.0.1/24 dev eth0",
        "rpm -e awscli",
        "postconf -e relayhost=evil.example",
        "postconf -h myhostname",
        "LC_ALL=C touch /tmp/x",
    ],
)
def test_the_read_only_check_catches_writes(command: str) -> None:
    with pytest.raises(AssertionError):
        check_read_only(command)


def test_every_probe_runs_an_allowlisted_command() -> None:
    probes = all_probes()
    assert {p.name for p in probes} == set(allowlist.COMMANDS)
    for probe in probes:
        assert allowlist.is_allowed(probe.command)


def test_the_runner_refuses_anything_else_before_touching_the_connection() -> None:
    class NoTransport:
        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"the runner used the transport ({name}) for a refused command")

    host = RemoteHost(NoTransport(), timeout_seconds=1)  # type: ignore[arg-type]
    refused = [
        "touch /tmp/exitplan-pwned",
        allowlist.OS_RELEASE + "; touch /tmp/exitplan-pwned",
        allowlist.OS_RELEASE.upper(),
        " " + allowlist.OS_RELEASE,
        "",
    ]
    for command in refused:
        with pytest.raises(CommandNotAllowed):
            host.run(command)


def test_only_the_runner_executes_remote_commands() -> None:
    """No other module in planner/ calls paramiko's execution entry points or a local shell."""
    execute = {"exec_command", "invoke_shell", "invoke_subsystem", "open_sftp", "system", "popen"}
    found = []
    for path in sorted((REPO / "planner").rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.lower() in execute:
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.attr}")
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if "subprocess" in names and "discovery" in path.parts:
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}: imports subprocess")
    assert len(found) == 1, found
    assert found[0].startswith("planner/discovery/ssh/runner.py:")
    assert found[0].endswith(": exec_command")


def test_agent_paths_in_the_seed_are_in_the_command(signals) -> None:
    listed = allowlist.AGENT_FILES.split()
    for signal in signals.paths:
        assert signal.path in listed, f"{signal.path} is in the seed but not in the ls command"
