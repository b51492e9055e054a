"""known_hosts checking: a changed key is always refused, an unknown one only without opt-in.

With ``accept_new`` an *unknown* host's key is accepted and appended to the known_hosts file
(rewritten atomically, under a lock shared by all threads); a host whose key differs from a
recorded one — even of another key type — is refused, like OpenSSH's
``StrictHostKeyChecking accept-new``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from pathlib import Path

import paramiko

from planner.errors import InputError
from planner.io.atomic import write_text


class HostKeyError(Exception):
    """The server's host key cannot be trusted; ``reason`` says why and what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def fingerprint(key: paramiko.PKey) -> str:
    """OpenSSH-style ``SHA256:...`` fingerprint of a public key."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def key_name(host: str, port: int) -> str:
    """The known_hosts name of a host: ``host`` on port 22, else ``[host]:port``."""
    return host if port == 22 else f"[{host}]:{port}"


class KnownHosts:
    """A known_hosts file shared by every connection of a run (thread-safe)."""

    def __init__(self, path: Path, accept_new: bool = False) -> None:
        self.path = path
        self.accept_new = accept_new
        self.accepted: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._keys = paramiko.HostKeys()
        self._hashed = False
        if path.exists():
            try:
                self._keys.load(str(path))
                text = path.read_text(encoding="utf-8", errors="replace")
            except (OSError, paramiko.SSHException) as exc:
                raise InputError(f"{path}: cannot read known_hosts: {exc}") from None
            self._hashed = any(line.startswith("|1|") for line in text.splitlines())
        elif not accept_new:
            raise InputError(
                f"{path}: no such known_hosts file (create it, pass --known-hosts, or use "
                "--accept-new-host-keys to record the keys of new hosts)"
            )

    def key_types(self, name: str) -> list[str]:
        """Key types recorded for ``name``, to ask the server for one of those first."""
        with self._lock:
            known = self._keys.lookup(name)
            return list(known.keys()) if known else []

    def check(self, name: str, key: paramiko.PKey) -> None:
        """Return if ``key`` is trusted for ``name``; record it if new and allowed; else raise."""
        with self._lock:
            known = self._keys.lookup(name)
            if known:
                if known.get(key.get_name()) == key:
                    return
                recorded = ", ".join(f"{t} {fingerprint(k)}" for t, k in known.items())
                raise HostKeyError(
                    f"host key for {name} has CHANGED: the server offers {key.get_name()} "
                    f"{fingerprint(key)}, {self.path} has {recorded}. This may be a "
                    "man-in-the-middle attack; refusing to connect. If the change is expected, "
                    f"remove the old key (ssh-keygen -R '{name}' -f {self.path}) and run again."
                )
            if not self.accept_new:
                raise HostKeyError(
                    f"host key for {name} is unknown ({key.get_name()} {fingerprint(key)}, not "
                    f"in {self.path}); check it and add it to known_hosts, or run with "
                    "--accept-new-host-keys"
                )
            self._record(name, key)

    def _record(self, name: str, key: paramiko.PKey) -> None:
        entry = paramiko.HostKeys.hash_host(name) if self._hashed else name
        line = f"{entry} {key.get_name()} {key.get_base64()}\n"
        try:
            current = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
            mode = self.path.stat().st_mode & 0o777 if self.path.exists() else 0o644
        except OSError as exc:
            raise HostKeyError(f"cannot read {self.path} to record a new key: {exc}") from None
        if current and not current.endswith("\n"):
            current += "\n"
        try:
            write_text(self.path, current + line)
            os.chmod(self.path, mode)
        except OSError as exc:
            raise HostKeyError(f"cannot record the new key in {self.path}: {exc}") from None
        self._keys.add(name, key.get_name(), key)
        self.accepted.append(
            {"host": name, "key_type": key.get_name(), "fingerprint": fingerprint(key)}
        )
