"""A small HTTP proxy in front of the moto server that injects AWS errors.

Requests are matched on the SigV4 credential scope (region, signing service) and optionally on
the API action; a matching request is answered with an AWS error in the wire format of the
service's protocol (query XML, EC2 XML, JSON, rest-json, rest-xml, RPC v2 CBOR) so botocore
parses it exactly as a real one, retries included. Everything else is forwarded to moto.
"""

from __future__ import annotations

import http.client
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass
class Rule:
    code: str
    status: int = 400
    region: str | None = None
    service: str | None = None  # SigV4 signing name: ec2, monitoring, lambda, s3, ...
    action: str | None = None
    times: int | None = None  # answer only the first N matching requests; None = always
    spare: frozenset[str] = frozenset()  # regions the rule never touches
    matched: int = 0

    def matches(self, region: str, service: str, action: str | None) -> bool:
        if (self.region and self.region != region) or region in self.spare:
            return False
        if self.service and self.service != service:
            return False
        if self.action and self.action != action:
            return False
        return self.times is None or self.matched < self.times


@dataclass
class FaultProxy:
    upstream: str
    rules: list[Rule] = field(default_factory=list)
    seen: list[tuple[str, str, str | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        parsed = urllib.parse.urlsplit(self.upstream)
        self._target = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: object) -> None:
                return

            def _handle(self) -> None:
                proxy._serve(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        found = SCOPE.search(request.headers.get("Authorization", ""))
        region, service = (found.group(1), found.group(2)) if found else ("", "")
        action = _action(request, body)
        with self._lock:
            self.seen.append((region, service, action))
            rule = next((r for r in self.rules if r.matches(region, service, action)), None)
            if rule is not None:
                rule.matched += 1
        if rule is not None:
            status, headers, payload = _error(request, service, rule)
        else:
            status, headers, payload = self._forward(request, body)
        request.send_response(status)
        for name, value in headers:
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(payload)

    def _forward(
        self, request: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(*self._target, timeout=60)
        try:
            headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
            headers["Host"] = f"{self._target[0]}:{self._target[1]}"
            connection.request(request.command, request.path, body=body, headers=headers)
            answer = connection.getresponse()
            payload = answer.read()
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_HEADERS]
            return answer.status, kept, payload
        finally:
            connection.close()


def _action(request: BaseHTTPRequestHandler, body: bytes) -> str | None:
    target = request.headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    if body and b"Action=" in body:
        query = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        return query.get("Action", [None])[0]
    path = request.path.split("?")[0]
    if "/operation/" in path:  # RPC v2 CBOR: /service/<Service>/operation/<Operation>
        return path.rsplit("/", 1)[-1]
    return None


def _error(
    request: BaseHTTPRequestHandler, service: str, rule: Rule
) -> tuple[int, list[tuple[str, str]], bytes]:
    message = f"injected by the test proxy: {rule.code}"
    content_type = request.headers.get("Content-Type", "")
    if request.headers.get("Smithy-Protocol") == "rpc-v2-cbor":
        body = _cbor_map({"__type": rule.code, "message": message})
        return (
            rule.status,
            [("Content-Type", "application/cbor"), ("Smithy-Protocol", "rpc-v2-cbor")],
            body,
        )
    if request.headers.get("X-Amz-Target"):
        text = f'{{"__type": "{rule.code}", "message": "{message}"}}'
        return rule.status, [("Content-Type", "application/x-amz-json-1.1")], text.encode()
    if service == "ec2":
        xml = (
            f"<Response><Errors><Error><Code>{rule.code}</Code><Message>{message}</Message>"
            "</Error></Errors><RequestID>test</RequestID></Response>"
        )
        return rule.status, [("Content-Type", "text/xml")], xml.encode()
    if "x-www-form-urlencoded" in content_type or service in {"cloudfront", "route53"}:
        xml = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{rule.code}</Code>"
            f"<Message>{message}</Message></Error><RequestId>test</RequestId></ErrorResponse>"
        )
        return rule.status, [("Content-Type", "text/xml")], xml.encode()
    if service == "s3":
        xml = f"<Error><Code>{rule.code}</Code><Message>{message}</Message></Error>"
        return rule.status, [("Content-Type", "application/xml")], xml.encode()
    text = f'{{"message": "{message}"}}'
    return (
        rule.status,
        [("Content-Type", "application/json"), ("x-amzn-ErrorType", rule.code)],
        text.encode(),
    )


def _cbor_head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    if length < 256:
        return bytes([major << 5 | 24, length])
    return bytes([major << 5 | 25]) + length.to_bytes(2, "big")


def _cbor_map(values: dict[str, str]) -> bytes:
    """CBOR encoding of a map of short text strings (all the error bodies need)."""
    out = _cbor_head(5, len(values))
    for key, value in values.items():
        for text in (key, value):
            raw = text.encode()
            out += _cbor_head(3, len(raw)) + raw
    return out
