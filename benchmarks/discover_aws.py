"""Wall time of ``discover aws`` on the 500-instance account, against a local moto server.

    python -m benchmarks.discover_aws [--concurrency 4 8 16] [--in-process] [--repeat N]

By default moto runs as its own process (``python -m moto.server`` on 127.0.0.1, a free port),
so server and client do not share an interpreter; ``--in-process`` uses the tests'
``ThreadedMotoServer`` instead. The account is the one the tests use
(:mod:`benchmarks.aws_account`): 500 instances in 3 regions, 700 volumes, 50 buckets, RDS,
DynamoDB, SQS, Lambda and more. Target: under 20 s per discovery.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3

from benchmarks.aws_account import REGIONS, seed_account
from planner.discovery.aws import DiscoveryOptions, discover_aws

TARGET_SECONDS = 20.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def moto_server(in_process: bool) -> Iterator[str]:
    if in_process:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()
        return
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("moto server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[4, 8, 16])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "credentials"
        config.write_text(
            "[bench]\naws_access_key_id = AKIAEXITPLANBENCH001\n"
            "aws_secret_access_key = bench-only-not-a-secret\n"
        )
        os.environ.update(
            AWS_SHARED_CREDENTIALS_FILE=str(config),
            AWS_CONFIG_FILE=str(Path(tmp) / "config"),
            AWS_EC2_METADATA_DISABLED="true",
            AWS_DEFAULT_REGION="us-east-1",
        )
        for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            os.environ.pop(name, None)
        with moto_server(args.in_process) as url:
            started = time.perf_counter()
            expected = seed_account(url, boto3.Session(profile_name="bench"))
            print(
                f"moto ({'in-process' if args.in_process else 'own process'}) at {url}; seeded "
                f"{len(expected.servers)} instances, {len(expected.volumes)} volumes, "
                f"{len(expected.buckets)} buckets in {time.perf_counter() - started:.1f} s"
            )
            print(
                f"{'concurrency':>11} {'wall s':>8} {'servers':>8} {'stores':>7} "
                f"{'calls':>6} {'errors':>6}  target < {TARGET_SECONDS:.0f} s"
            )
            for concurrency in args.concurrency:
                for _ in range(args.repeat):
                    session = boto3.Session(profile_name="bench")
                    calls: list[str] = []
                    session.events.register(
                        "before-call", lambda calls=calls, **_: calls.append("call")
                    )
                    options = DiscoveryOptions(
                        profile="bench",
                        regions=REGIONS,
                        endpoint_url=url,
                        concurrency=concurrency,
                    )
                    began = time.perf_counter()
                    result = discover_aws(options, session=session)
                    wall = time.perf_counter() - began
                    inventory = result.inventory
                    verdict = "ok" if wall < TARGET_SECONDS else "SLOW"
                    print(
                        f"{concurrency:>11} {wall:>8.2f} {len(inventory.servers):>8} "
                        f"{len(inventory.data_stores):>7} {len(calls):>6} "
                        f"{len(result.issues):>6}  {verdict}"
                    )


if __name__ == "__main__":
    main()
