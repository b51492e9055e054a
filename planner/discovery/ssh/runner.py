"""The only code that executes anything on a host, and it runs only allow-listed commands.

:meth:`RemoteHost.run` refuses any string that is not exactly a value of
:data:`planner.discovery.ssh.allowlist.COMMANDS` (or, for ``exitplan probe``, accepted by
:func:`planner.probe.allowlist.is_allowed`) before a channel is opened. Each command gets its own
session channel, a deadline (a hanging command is abandoned and its channel closed) and an output
cap. With ``forward_agent`` the operator's ssh-agent is offered to the command (the probe's
``ssh`` from SRC to DST authenticates with it); no key ever leaves the agent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import paramiko
from paramiko.agent import AgentClientProxy

from planner.discovery.ssh.allowlist import is_allowed
from planner.errors import ExitplanError

MAX_OUTPUT_BYTES = 16 * 1024 * 1024
MAX_STDERR_BYTES = 64 * 1024
_POLL_SECONDS = 0.25


class CommandNotAllowed(ExitplanError):
    """A caller tried to run a command that is not in the allow-list (a programming error)."""


class CommandFailed(Exception):
    """The command could not run to completion (timeout, lost connection, too much output)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CommandResult:
    exit_status: int | None
    stdout: str
    stderr: str


class RemoteHost:
    """Runs allow-listed commands over one authenticated transport."""

    def __init__(
        self,
        transport: paramiko.Transport,
        timeout_seconds: float,
        allowed: Callable[[str], bool] = is_allowed,
        forward_agent: bool = False,
    ) -> None:
        self.transport = transport
        self.timeout = timeout_seconds
        self.allowed = allowed
        self.forward_agent = forward_agent
        self._agent_proxies: list[AgentClientProxy] = []

    def _agent_channel(self, channel: paramiko.Channel) -> None:
        """The host opened an agent channel: relay it to the local ssh-agent."""
        self._agent_proxies.append(AgentClientProxy(channel))

    def close(self) -> None:
        """Stop relaying agent requests (call when the transport's work is done)."""
        proxies, self._agent_proxies = self._agent_proxies, []
        for proxy in proxies:
            proxy.close()

    def run(self, command: str, timeout_seconds: float | None = None) -> CommandResult:
        if not self.allowed(command):
            raise CommandNotAllowed(
                f"refusing to run a command that is not in the allow-list: {command[:80]!r}"
            )
        timeout = timeout_seconds or self.timeout
        deadline = time.monotonic() + timeout
        try:
            channel = self.transport.open_session(timeout=self.timeout)
        except (paramiko.SSHException, EOFError, OSError) as exc:
            raise CommandFailed(f"cannot open a session: {exc or type(exc).__name__}") from None
        try:
            if self.forward_agent:
                channel.request_forward_agent(self._agent_channel)
            channel.exec_command(command)
            channel.shutdown_write()
            return self._collect(channel, deadline, timeout)
        except (paramiko.SSHException, EOFError, OSError) as exc:
            raise CommandFailed(f"connection lost: {exc or type(exc).__name__}") from None
        finally:
            channel.close()

    def _collect(self, channel: paramiko.Channel, deadline: float, timeout: float) -> CommandResult:
        stdout = bytearray()
        stderr = bytearray()
        stdout_open = True
        while stdout_open or not channel.exit_status_ready():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CommandFailed(f"no result within {timeout:g} s (the command hangs)")
            while channel.recv_stderr_ready():
                chunk = channel.recv_stderr(65536)
                if len(stderr) < MAX_STDERR_BYTES:
                    stderr += chunk
            if not stdout_open:
                channel.status_event.wait(min(remaining, _POLL_SECONDS))
                continue
            channel.settimeout(min(remaining, _POLL_SECONDS))
            try:
                chunk = channel.recv(65536)
            except TimeoutError:  # socket.timeout: nothing arrived in this poll
                continue
            if not chunk:
                stdout_open = False
                continue
            stdout += chunk
            if len(stdout) > MAX_OUTPUT_BYTES:
                raise CommandFailed(f"output larger than {MAX_OUTPUT_BYTES // 2**20} MiB")
        while channel.recv_stderr_ready() and len(stderr) < MAX_STDERR_BYTES:
            stderr += channel.recv_stderr(65536)
        status = channel.recv_exit_status()
        return CommandResult(
            exit_status=status if status >= 0 else None,
            stdout=stdout.decode("utf-8", errors="replace"),
            stderr=stderr.decode("utf-8", errors="replace"),
        )
