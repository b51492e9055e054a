"""Where the host's mail agent sends outgoing mail: its relays (smarthosts).

One section per agent, each a bounded ``grep -o`` of the one setting that names the relay:
Postfix ``relayhost``/``smtp_fallback_relay`` (``main.cf``, ``-o relayhost=`` in ``master.cf``,
``smtp:``/``relay:`` entries of ``transport``) and the value ``postconf`` resolves; Exim's Debian
``dc_smarthost`` (only when ``dc_eximconfig_configtype`` sends through a smarthost) and
``route_list``/``route_data`` of a monolithic config; sendmail's ``SMART_HOST``/``DS``; ssmtp's
``mailhub``; msmtp's ``host``/``port``; the first word of nullmailer's ``remotes``; dma's
``SMARTHOST``/``PORT``; OpenSMTPD's ``relay host``/``relay via``. Credential files
(``sasl_passwd``, ``passwd.client``, ``authinfo``) are never read, and the patterns stop before
any password on a line that has one (nullmailer's ``--pass=``).
"""

from __future__ import annotations

import re

from planner.discovery.ssh.facts import HostFacts
from planner.discovery.ssh.probes.base import Probe, ProbeOutputError, sections, snippet
from planner.discovery.ssh.signals import HostSignals
from planner.models import MailRelay

AGENTS = ("postfix", "exim", "sendmail", "ssmtp", "msmtp", "nullmailer", "dma", "opensmtpd")
_MATCH = re.compile(r"^(?P<path>/[^:]*):(?P<line>\d+):(?P<text>.*)$")
_MACRO = re.compile(r"^[A-Z][A-Z0-9_]*$")
_HOST = re.compile(r"^[A-Za-z0-9_.:-]+$")
_EXIM_SMARTHOST_TYPES = {"smarthost", "satellite"}
_EXIM_OPTIONS = {"byname", "bydns", "randomize", "no_randomize", "ipv4_prefer", "ipv6_prefer"}

Match = tuple[str, int, str]


def _matches(lines: list[str], agent: str) -> list[Match]:
    found = []
    for raw in lines:
        if not raw.strip():
            continue
        m = _MATCH.match(raw)
        if m is None:
            raise ProbeOutputError(f"{agent}: grep printed {snippet(raw)}, not 'path:line:match'")
        found.append((m["path"], int(m["line"]), m["text"].strip()))
    return found


def split_hostport(spec: str) -> tuple[str | None, int | None]:
    """``[smtp.example.com]:587``, ``host:25``, ``[ipv6:2001:db8::1]:25``, ``2001:db8::1`` ..."""
    value = spec.strip().strip("'\"")
    if "://" in value:  # OpenSMTPD: smtp+tls://label@host:port
        value = value.split("://", 1)[1].rsplit("@", 1)[-1]
    value = re.sub(r"^(smtp|relay|esmtp|smtps?):", "", value)
    host, port = value, None
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    elif value.count(":") == 1:
        host, _, number = value.partition(":")
        port = int(number) if number.isdigit() else None
    host = host.removeprefix("ipv6:").removeprefix("IPv6:").rstrip(".").strip()
    if not host or not _HOST.match(host) or _MACRO.match(host) or "$" in spec:
        return None, None
    return host.lower(), port if port is None or 0 < port < 65536 else None


def _relay(agent: str, spec: str, path: str | None, line: int | None) -> MailRelay | None:
    host, port = split_hostport(spec)
    if host is None:
        return None
    return MailRelay(host=host, port=port, agent=agent, path=path, line=line)


def _value(text: str) -> str:
    """The part after ``=`` (or after the first word): ``relayhost = [a]:587`` -> ``[a]:587``."""
    if "=" in text:
        return text.split("=", 1)[1].strip()
    parts = text.split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


def _list(value: str) -> list[str]:
    return [v for v in re.split(r"[\s,]+", value.strip().strip("'\"")) if v]


def _postfix(lines: list[str], postconf: list[str]) -> list[MailRelay]:
    relays: list[MailRelay] = []
    resolved = next((v.strip() for v in postconf if v.strip()), None)
    for path, line, text in _matches(lines, "postfix"):
        key = text.split("=", 1)[0].strip().removeprefix("-o").strip()
        if path.endswith("/transport"):
            specs = [text.split(None, 1)[1]] if len(text.split(None, 1)) == 2 else []
        elif key == "relayhost" and resolved is not None and "$" in text:
            specs = _list(resolved)
        else:
            specs = _list(_value(text))
        relays.extend(r for s in specs if (r := _relay("postfix", s, path, line)))
    if resolved and not any(r.path and r.path.endswith("main.cf") for r in relays):
        relays.extend(r for s in _list(resolved) if (r := _relay("postfix", s, None, None)))
    return relays


def _exim_hosts(value: str) -> list[str]:
    """An Exim host list: ``a::587 : b`` (``::`` is a literal colon, `` : `` separates)."""
    text = value.strip().strip("'\"").replace("::", "\0")
    return [h.replace("\0", ":").strip() for h in re.split(r"[:;]", text) if h.strip()]


def _exim(lines: list[str]) -> list[MailRelay]:
    found = _matches(lines, "exim")
    configtype = next(
        (_value(t).strip("'\"") for _, _, t in found if "dc_eximconfig_configtype" in t), None
    )
    relays: list[MailRelay] = []
    for path, line, text in found:
        if "dc_smarthost" in text:
            if configtype is not None and configtype not in _EXIM_SMARTHOST_TYPES:
                continue
            specs = _exim_hosts(_value(text))
        elif "route_list" in text:
            words = _value(text).split(None, 1)  # "<domains> <hosts> [options]"
            hosts = words[1] if len(words) > 1 else ""
            if hosts.startswith('"'):
                hosts = hosts[1:].split('"', 1)[0]
            else:
                hosts = hosts.split()[0] if hosts else ""
            specs = _exim_hosts(hosts)
        elif "route_data" in text:
            specs = [] if "$" in text else _exim_hosts(_value(text).split()[0])
        else:
            continue
        relays.extend(
            r
            for s in specs
            if s not in _EXIM_OPTIONS
            and not s[:1].isupper()  # an Exim macro (DCsmarthost), not a host
            and (r := _relay("exim", s, path, line))
        )
    return relays


def _sendmail(lines: list[str]) -> list[MailRelay]:
    relays = []
    for path, line, text in _matches(lines, "sendmail"):
        if text.startswith("DS"):
            spec = text[2:]
        else:
            spec = text.split(",", 1)[1].rstrip(")").strip().strip("`'\"")
        if relay := _relay("sendmail", spec, path, line):
            relays.append(relay)
    return relays


def _keyed(lines: list[str], agent: str, host_key: str, port_key: str) -> list[MailRelay]:
    """msmtp and dma: ``host``/``SMARTHOST`` lines and the ``port`` of the same account.

    A port outside any account (msmtp's ``defaults``, dma's global ``PORT``) applies to every
    relay without one of its own.
    """
    relays: list[MailRelay] = []
    default_port: int | None = None
    pending: int | None = None
    current: int | None = None
    in_account = False
    for path, line, text in _matches(lines, agent):
        key, value = [*text.split(None, 1), ""][:2]
        if key == "account":
            in_account, pending, current = True, None, None
        elif key == port_key and value.strip().isdigit():
            port = int(value.strip())
            if current is not None:
                relays[current] = relays[current].model_copy(update={"port": port})
            elif in_account:
                pending = port
            else:
                default_port = port
        elif (
            key == host_key
            and value.split()
            and (relay := _relay(agent, value.split()[0], path, line))
        ):
            relays.append(relay.model_copy(update={"port": pending}))
            current = len(relays) - 1
    return [
        r if r.port is not None else r.model_copy(update={"port": default_port}) for r in relays
    ]


def _ssmtp(lines: list[str]) -> list[MailRelay]:
    found = _matches(lines, "ssmtp")
    return [r for path, line, text in found if (r := _relay("ssmtp", _value(text), path, line))]


def _nullmailer(lines: list[str]) -> list[MailRelay]:
    relays: list[MailRelay] = []
    for path, line, text in _matches(lines, "nullmailer"):
        if text.startswith("--port="):
            if relays and relays[-1].line == line:
                relays[-1] = relays[-1].model_copy(update={"port": int(text[7:])})
        elif relay := _relay("nullmailer", text, path, line):
            relays.append(relay)
    return relays


def _opensmtpd(lines: list[str]) -> list[MailRelay]:
    found = _matches(lines, "opensmtpd")
    return [
        r for path, line, text in found if (r := _relay("opensmtpd", text.split()[-1], path, line))
    ]


def parse(output: str) -> list[MailRelay]:
    parts = sections(output, ("postfix", "postconf", *AGENTS[1:]))
    relays = [
        *_postfix(parts["postfix"], parts["postconf"]),
        *_exim(parts["exim"]),
        *_sendmail(parts["sendmail"]),
        *_ssmtp(parts["ssmtp"]),
        *_keyed(parts["msmtp"], "msmtp", "host", "port"),
        *_nullmailer(parts["nullmailer"]),
        *_keyed(parts["dma"], "dma", "SMARTHOST", "PORT"),
        *_opensmtpd(parts["opensmtpd"]),
    ]
    unique: dict[tuple[str, int | None, str], MailRelay] = {}
    for relay in relays:
        unique.setdefault((relay.host, relay.port, relay.agent), relay)
    return list(unique.values())


def contribute(value: list[MailRelay], signals: HostSignals) -> HostFacts:
    return HostFacts(mail_relays=value)


PROBE = Probe("mail_relays", parse, contribute)
