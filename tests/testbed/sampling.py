"""Sample an interface's byte counter while a transfer runs, to see its rate over time.

A tiny Python loop runs inside the namespace (``ip netns exec`` mounts that namespace's
``/sys``) and prints ``monotonic_seconds tx_bytes`` every ``interval``; CLOCK_MONOTONIC is the
same in every network namespace, so the samples line up with the transfer's own timestamps.
The steady rate is taken between the moments 20 % and 80 % of the bytes had passed, which
leaves out session set-up, TCP ramp-up and the tail.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from types import TracebackType

from .netns import in_ns

_LOOP = (
    "import sys, time\n"
    "path = sys.argv[1]\n"
    "while True:\n"
    "    with open(path) as f:\n"
    "        print(time.monotonic(), f.read().strip(), flush=True)\n"
    "    time.sleep(float(sys.argv[2]))\n"
)


class CounterSampler:
    """``with CounterSampler(ns, dev) as s: ...`` then ``s.samples`` / ``s.window_rate()``."""

    def __init__(
        self, namespace: str, dev: str, counter: str = "tx_bytes", interval: float = 0.02
    ) -> None:
        self.path = f"/sys/class/net/{dev}/statistics/{counter}"
        self.namespace = namespace
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    def __enter__(self) -> CounterSampler:
        argv = [sys.executable, "-c", _LOOP, self.path, str(self.interval)]
        self._process = subprocess.Popen(
            in_ns(self.namespace, argv), stdout=subprocess.PIPE, text=True
        )
        first = self._process.stdout.readline() if self._process.stdout else ""
        self._add(first)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _add(self, line: str) -> None:
        parts = line.split()
        if len(parts) == 2:
            self.samples.append((float(parts[0]), int(parts[1])))

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self._add(line)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=5)
        if self._reader is not None:
            self._reader.join(timeout=5)

    def window_rate(self, low: float = 0.2, high: float = 0.8) -> float:
        """Bits per second between the samples where ``low`` and ``high`` of the bytes passed."""
        return window_rate(self.samples, low, high)


def window_rate(samples: list[tuple[float, int]], low: float = 0.2, high: float = 0.8) -> float:
    if len(samples) < 3:
        raise ValueError("too few samples for a rate (transfer shorter than the interval?)")
    base, total = samples[0][1], samples[-1][1] - samples[0][1]
    if total <= 0:
        raise ValueError("no bytes passed while sampling")
    first = next(s for s in samples if s[1] - base >= low * total)
    last = next(s for s in samples if s[1] - base >= high * total)
    if last[0] <= first[0]:
        raise ValueError("window too short: sample more often or move more bytes")
    return (last[1] - first[1]) * 8 / (last[0] - first[0])
