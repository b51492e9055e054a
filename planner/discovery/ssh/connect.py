"""SSH connections with paramiko: TCP or a jump-host channel, host key check, key auth.

:class:`Connector` opens one authenticated :class:`paramiko.Transport` per endpoint. Jump hosts
are connected once and shared: each target behind them gets a ``direct-tcpip`` channel through
the jump host's transport. Keys come from ``--identity`` files, the ssh config's IdentityFile,
ssh-agent and the default ``~/.ssh/id_*`` files; encrypted key files are skipped (load them into
ssh-agent). No key material or password is ever logged or written.
"""

from __future__ import annotations

import logging
import socket
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import paramiko

from planner.discovery.ssh.config import Endpoint
from planner.discovery.ssh.hostkeys import HostKeyError, KnownHosts, key_name

logging.getLogger("paramiko").addHandler(logging.NullHandler())

DEFAULT_KEYS = ("~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa")
MAX_KEYS_TRIED = 6  # sshd's default MaxAuthTries


class ConnectError(Exception):
    """Connecting, verifying or authenticating failed; ``reason`` is for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Jump:
    lock: threading.Lock = field(default_factory=threading.Lock)
    transport: paramiko.Transport | None = None
    error: str | None = None


class Connector:
    """Opens authenticated transports; shares jump-host transports between threads."""

    def __init__(
        self,
        known_hosts: KnownHosts,
        timeout_seconds: float,
        identity_files: tuple[Path, ...] = (),
        use_agent: bool = True,
    ) -> None:
        self.known_hosts = known_hosts
        self.timeout = timeout_seconds
        self.identity_files = tuple(str(p) for p in identity_files)
        self.use_agent = use_agent
        self._lock = threading.Lock()
        self._jumps: dict[str, _Jump] = {}
        self._keys: dict[str, paramiko.PKey | str] = {}
        self._live: weakref.WeakSet[paramiko.Transport] = weakref.WeakSet()

    def open(self, endpoint: Endpoint) -> paramiko.Transport:
        """An authenticated transport to ``endpoint``, or :class:`ConnectError`."""
        sock = self._socket(endpoint)
        transport = paramiko.Transport(sock)
        with self._lock:
            self._live.add(transport)
        try:
            self._handshake(transport, endpoint)
            self._authenticate(transport, endpoint)
        except BaseException:
            transport.close()
            raise
        return transport

    def close(self) -> None:
        """Close the shared jump-host connections (at the end of a run)."""
        with self._lock:
            jumps = list(self._jumps.values())
        for jump in jumps:
            if jump.transport is not None:
                jump.transport.close()

    def abort(self) -> None:
        """Close every connection this connector opened, so threads blocked on one return."""
        with self._lock:
            live = list(self._live)
        for transport in live:
            transport.close()
        self.close()

    def _socket(self, endpoint: Endpoint) -> socket.socket | paramiko.Channel:
        if endpoint.jump:
            via = self._jump(endpoint.jump[-1])
            try:
                return via.open_channel(
                    "direct-tcpip",
                    (endpoint.host, endpoint.port),
                    ("127.0.0.1", 0),
                    timeout=self.timeout,
                )
            except (paramiko.SSHException, OSError, EOFError) as exc:
                hop = endpoint.jump[-1]
                raise ConnectError(
                    f"jump host {hop.host}:{hop.port} could not reach "
                    f"{endpoint.host}:{endpoint.port}: {exc or type(exc).__name__}"
                ) from None
        where = f"{endpoint.host}:{endpoint.port}"
        try:
            return socket.create_connection((endpoint.host, endpoint.port), timeout=self.timeout)
        except ConnectionRefusedError:
            raise ConnectError(
                f"connection refused by {where} (no SSH server on that port)"
            ) from None
        except TimeoutError:
            raise ConnectError(
                f"no answer from {where} within {self.timeout:g} s (host down or filtered)"
            ) from None
        except socket.gaierror as exc:
            raise ConnectError(f"cannot resolve {endpoint.host}: {exc.strerror}") from None
        except OSError as exc:
            raise ConnectError(f"cannot reach {where}: {exc.strerror or exc}") from None

    def _jump(self, hop: Endpoint) -> paramiko.Transport:
        with self._lock:
            state = self._jumps.setdefault(hop.label, _Jump())
        with state.lock:
            if state.transport is not None and state.transport.is_active():
                return state.transport
            if state.error is not None:
                raise ConnectError(state.error)
            try:
                state.transport = self.open(hop)
            except (ConnectError, HostKeyError) as exc:
                state.error = f"jump host {hop.host}:{hop.port}: {exc}"
                raise ConnectError(state.error) from None
            return state.transport

    def _handshake(self, transport: paramiko.Transport, endpoint: Endpoint) -> None:
        transport.banner_timeout = self.timeout
        transport.handshake_timeout = self.timeout
        transport.auth_timeout = self.timeout
        name = key_name(endpoint.host, endpoint.port)
        known_types = self.known_hosts.key_types(name)
        if known_types:
            options = transport.get_security_options()
            others = [t for t in options.key_types if t not in known_types]
            options.key_types = [t for t in known_types if t in options.key_types] + others
        try:
            transport.start_client(timeout=self.timeout)
        except paramiko.SSHException as exc:
            text = str(exc)
            if "banner" in text.lower():
                raise ConnectError(self._hangs(endpoint)) from None
            raise ConnectError(f"SSH handshake failed: {text or type(exc).__name__}") from None
        except (EOFError, OSError) as exc:
            raise ConnectError(f"connection closed during the SSH handshake ({exc!s})") from None
        try:
            key = transport.get_remote_server_key()
        except paramiko.SSHException:  # start_client gave up waiting: the peer never finished
            raise ConnectError(self._hangs(endpoint)) from None
        try:
            self.known_hosts.check(name, key)
        except HostKeyError as exc:
            raise ConnectError(exc.reason) from None

    def _hangs(self, endpoint: Endpoint) -> str:
        return (
            f"no SSH handshake with {endpoint.host}:{endpoint.port} within {self.timeout:g} s "
            "(the host accepts TCP connections but hangs, or is not an SSH server)"
        )

    def _load_key(self, path: str) -> paramiko.PKey | str:
        """A private key, or a short reason why it cannot be used (cached per file)."""
        with self._lock:
            cached = self._keys.get(path)
        if cached is not None:
            return cached
        loaded: paramiko.PKey | str
        try:
            loaded = paramiko.PKey.from_path(Path(path).expanduser())
        except paramiko.PasswordRequiredException:
            loaded = f"{path}: encrypted (add it to ssh-agent)"
        except FileNotFoundError:
            loaded = f"{path}: no such file"
        except (paramiko.SSHException, OSError, ValueError) as exc:
            loaded = f"{path}: unusable key ({type(exc).__name__})"
        with self._lock:
            self._keys[path] = loaded
        return loaded

    def _candidates(
        self, endpoint: Endpoint, agent: paramiko.Agent | None
    ) -> list[tuple[str, paramiko.PKey | str]]:
        files = [*self.identity_files, *endpoint.identity_files]
        candidates: list[tuple[str, paramiko.PKey | str]] = [(f, self._load_key(f)) for f in files]
        if agent is not None:
            for key in agent.get_keys():
                candidates.append((f"agent key {key.get_name()} {key.fingerprint}", key))
        if not files:
            for path in DEFAULT_KEYS:
                if Path(path).expanduser().exists():
                    candidates.append((path, self._load_key(path)))
        return candidates

    def _authenticate(self, transport: paramiko.Transport, endpoint: Endpoint) -> None:
        agent = paramiko.Agent() if self.use_agent and not endpoint.identities_only else None
        tried: list[str] = []
        attempts = 0
        try:
            for label, key in self._candidates(endpoint, agent):
                if isinstance(key, str):
                    tried.append(key)
                    continue
                if attempts >= MAX_KEYS_TRIED:
                    break
                attempts += 1
                tried.append(label)
                try:
                    transport.auth_publickey(endpoint.user, key)
                except paramiko.AuthenticationException:
                    continue
                except (paramiko.SSHException, EOFError, OSError) as exc:
                    raise ConnectError(f"connection lost during authentication ({exc!s})") from None
                if transport.is_authenticated():
                    return
        finally:
            if agent is not None:
                agent.close()
        keys = (
            "; ".join(tried)
            if tried
            else "no keys: pass --identity, set IdentityFile or run ssh-agent"
        )
        raise ConnectError(f"authentication failed for user {endpoint.user!r} (tried {keys})")
