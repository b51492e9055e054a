"""Every command SSH discovery may run on a host, and nothing else.

This module is the allow-list: :mod:`planner.discovery.ssh.runner` refuses any command string
that is not one of :data:`COMMANDS`' values, and ``tests/discovery/ssh/test_allowlist.py`` proves
that every command only reads (no redirection into files, only programs from a read-only set).

Conventions, so one command works on Debian/Ubuntu, RHEL-family, Amazon Linux and BusyBox:
- POSIX ``sh`` only; ``LC_ALL=C`` where output is localised; ``2>/dev/null`` is the only
  redirection; ``a || b`` tries a fallback (GNU first, BusyBox or older tools second).
- Each command prints section markers (``@@exitplan:NAME@@``) so a parser can tell the expected
  output from noise printed by a broken host, and ends with ``true`` when an empty section is a
  valid answer (no Docker, no snap).
- Output is bounded: ``grep -o`` prints only the matched text (never a secret value next to it),
  ``find`` is limited by depth, file size and ``head``.

Keys are probe names (``planner/discovery/ssh/probes/<name>.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

OS_RELEASE: Final = (
    "echo @@exitplan:os-release@@; cat /etc/os-release 2>/dev/null || "
    "cat /usr/lib/os-release 2>/dev/null; "
    "echo @@exitplan:uname@@; uname -s -r -m; "
    "echo @@exitplan:hostname@@; cat /proc/sys/kernel/hostname; "
    "echo @@exitplan:addresses@@; ip -o addr show 2>/dev/null; "
    "echo @@exitplan:dmi@@; grep -H . /sys/class/dmi/id/sys_vendor /sys/class/dmi/id/product_name "
    "/sys/class/dmi/id/board_asset_tag /sys/hypervisor/uuid 2>/dev/null; true"
)

CPU_MEMORY: Final = (
    "echo @@exitplan:nproc@@; nproc 2>/dev/null; "
    "echo @@exitplan:cpuinfo@@; grep -c '^processor' /proc/cpuinfo; "
    "grep -m 1 -E '^(model name|Model|cpu model|Hardware)[[:space:]]*:' /proc/cpuinfo; "
    "echo @@exitplan:meminfo@@; grep -E '^(MemTotal|MemAvailable|SwapTotal):' /proc/meminfo; true"
)

FILESYSTEMS: Final = (
    "echo @@exitplan:df-bytes@@; LC_ALL=C df -P -B1 2>/dev/null || LC_ALL=C df -P -k 2>/dev/null; "
    "echo @@exitplan:df-inodes@@; LC_ALL=C df -P -i 2>/dev/null; "
    "echo @@exitplan:mounts@@; cat /proc/mounts; "
    "echo @@exitplan:fstab@@; cat /etc/fstab 2>/dev/null; true"
)

BLOCK_DEVICES: Final = (
    "echo @@exitplan:lsblk@@; "
    "LC_ALL=C lsblk -b -P -o NAME,KNAME,PKNAME,TYPE,SIZE,RO,MODEL,SERIAL,FSTYPE,MOUNTPOINT "
    "2>/dev/null || LC_ALL=C lsblk -b -P -o NAME,KNAME,TYPE,SIZE,RO,MODEL,FSTYPE,MOUNTPOINT "
    "2>/dev/null; echo @@exitplan:partitions@@; cat /proc/partitions; true"
)

DISKSTATS: Final = (
    "echo @@exitplan:uptime@@; cat /proc/uptime; "
    "echo @@exitplan:block@@; ls /sys/block; "
    "echo @@exitplan:diskstats@@; cat /proc/diskstats"
)

LISTENING: Final = (
    "echo @@exitplan:sockets@@; LC_ALL=C ss -H -l -t -u -n -p 2>/dev/null || "
    "LC_ALL=C ss -l -t -u -n -p 2>/dev/null || LC_ALL=C netstat -l -t -u -n -p 2>/dev/null || "
    "LC_ALL=C netstat -l -t -u -n 2>/dev/null"
)

CONNECTIONS: Final = (
    "echo @@exitplan:sockets@@; LC_ALL=C ss -H -t -n -p state established 2>/dev/null || "
    "LC_ALL=C ss -t -n -p state established 2>/dev/null || "
    "LC_ALL=C netstat -t -n -p 2>/dev/null || LC_ALL=C netstat -t -n 2>/dev/null"
)

RESOLVERS: Final = (
    "echo @@exitplan:resolv.conf@@; cat /etc/resolv.conf 2>/dev/null; "
    "echo @@exitplan:resolved@@; cat /run/systemd/resolve/resolv.conf 2>/dev/null; true"
)

PACKAGES: Final = (
    "echo @@exitplan:dpkg@@; "
    r"dpkg-query -W -f '${db:Status-Abbrev}\t${Package}\t${Version}\n' 2>/dev/null; "
    r"echo @@exitplan:rpm@@; rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\n' 2>/dev/null; "
    "echo @@exitplan:apk@@; apk info -v 2>/dev/null; "
    "echo @@exitplan:snap@@; snap list 2>/dev/null; true"
)

AGENT_FILES: Final = (
    "echo @@exitplan:paths@@; ls -d /etc/amazon/ssm /var/lib/amazon/ssm /snap/amazon-ssm-agent "
    "/opt/aws/amazon-cloudwatch-agent /etc/awslogs /var/awslogs /usr/share/ec2-instance-connect "
    "/opt/aws/bin/cfn-init /etc/cfn/cfn-hup.conf /sbin/mount.efs /etc/amazon/efs "
    "/etc/ecs/ecs.config /etc/eks/bootstrap.sh /opt/codedeploy-agent /etc/aws-kinesis/agent.json "
    "/opt/elasticbeanstalk /usr/local/aws-cli /root/.aws /home/*/.aws 2>/dev/null; true"
)

CONFIG_REFS: Final = (
    "echo @@exitplan:matches@@; find /etc /opt /srv /usr/local/etc /var/spool/cron /var/www "
    "/root /home -maxdepth 4 -xdev -type f -size -256k ! -name '*_history' -exec grep -HnoE "
    r"'169\.254\.169\.(254|253|123)|fd00:ec2::(254|253|123)|"
    r"[A-Za-z0-9][A-Za-z0-9.-]*\.amazonaws\.com(\.cn)?|X-aws-ec2-metadata-token|"
    "aws_access_key_id|AWS_ACCESS_KEY_ID' {} + 2>/dev/null | head -n 2000"
)

MAIL_RELAYS: Final = (
    "echo @@exitplan:postfix@@; grep -HnoE "
    "'^[[:space:]]*(relayhost|smtp_fallback_relay|fallback_relay)[[:space:]]*=[^#]*' "
    "/etc/postfix/main.cf 2>/dev/null; "
    "grep -HnoE '[[:space:]]-o[[:space:]]+relayhost=[^[:space:]]+' /etc/postfix/master.cf "
    "2>/dev/null; grep -HnoE '^[^#[:space:]]+[[:space:]]+(smtp|relay):[^[:space:]]+' "
    "/etc/postfix/transport 2>/dev/null; "
    "echo @@exitplan:postconf@@; postconf -h -x relayhost 2>/dev/null || "
    "postconf -h relayhost 2>/dev/null; "
    "echo @@exitplan:exim@@; grep -HnoE "
    "'^[[:space:]]*dc_(smarthost|eximconfig_configtype)=[^#]*' "
    "/etc/exim4/update-exim4.conf.conf 2>/dev/null; "
    "grep -HnoE '^[[:space:]]*route_(list|data)[[:space:]]*=[^#]*' /etc/exim4/exim4.conf "
    "/etc/exim/exim.conf /etc/exim.conf 2>/dev/null; "
    "echo @@exitplan:sendmail@@; grep -HnoE '^[[:space:]]*define[(].SMART_HOST.,[^)]*[)]' "
    "/etc/mail/sendmail.mc 2>/dev/null; grep -HnoE '^DS[^[:space:]#]+' /etc/mail/sendmail.cf "
    "2>/dev/null; "
    "echo @@exitplan:ssmtp@@; grep -HnoE '^[[:space:]]*mailhub[[:space:]]*=[^[:space:]#]+' "
    "/etc/ssmtp/ssmtp.conf 2>/dev/null; "
    "echo @@exitplan:msmtp@@; grep -HnoE '^[[:space:]]*(account|host|port)[[:space:]]+[^#]+' "
    "/etc/msmtprc 2>/dev/null; "
    "echo @@exitplan:nullmailer@@; grep -HnoE '^[^#[:space:]]+|--port=[0-9]+' "
    "/etc/nullmailer/remotes 2>/dev/null; "
    "echo @@exitplan:dma@@; grep -HnoE '^[[:space:]]*(SMARTHOST|PORT)[[:space:]]+[^[:space:]#]+' "
    "/etc/dma/dma.conf 2>/dev/null; "
    "echo @@exitplan:opensmtpd@@; grep -HnoE "
    "'relay[[:space:]]+(host|via)[[:space:]]+[^[:space:]]+' /etc/smtpd.conf /etc/smtpd/smtpd.conf "
    "/etc/mail/smtpd.conf 2>/dev/null; true"
)

CONTAINERS: Final = (
    "echo @@exitplan:docker@@; docker ps -a --format '{{.Image}}' 2>/dev/null; "
    "docker images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null; "
    "echo @@exitplan:podman@@; podman ps -a --format '{{.Image}}' 2>/dev/null; "
    "podman images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null; "
    "echo @@exitplan:crictl@@; crictl images 2>/dev/null; true"
)

COMMANDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "os_release": OS_RELEASE,
        "cpu_memory": CPU_MEMORY,
        "filesystems": FILESYSTEMS,
        "block_devices": BLOCK_DEVICES,
        "diskstats": DISKSTATS,
        "listening": LISTENING,
        "connections": CONNECTIONS,
        "resolvers": RESOLVERS,
        "packages": PACKAGES,
        "agent_files": AGENT_FILES,
        "config_refs": CONFIG_REFS,
        "mail_relays": MAIL_RELAYS,
        "containers": CONTAINERS,
    }
)
"""Probe name -> the exact command string it runs."""

ALLOWED: Final[frozenset[str]] = frozenset(COMMANDS.values())


def is_allowed(command: str) -> bool:
    """True only for a command string that is exactly one of :data:`COMMANDS`' values."""
    return command in ALLOWED
