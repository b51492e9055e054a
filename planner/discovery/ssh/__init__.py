"""SSH discovery: read facts from the hosts themselves over paramiko, read-only.

Layout: :mod:`allowlist` holds every command that may run on a host; :mod:`probes` pairs each
command with a pure parser; :mod:`enrich` merges the facts into an inventory (pure). The impure
side is :mod:`config` (targets from the inventory and ``~/.ssh/config``), :mod:`hostkeys`
(known_hosts), :mod:`connect` (transports, jump hosts, authentication), :mod:`runner` (the only
code that executes anything remotely), :mod:`host` (one host) and :mod:`fleet` (many hosts).
"""
