"""The shared transport against a hostile vendor: bombs, bad encodings, bad redirects,
header injection, proxies, and Alta's window counted at the real start."""

from __future__ import annotations

import asyncio
import bisect
import gzip
import socket
import threading
import zlib

import httpx
import pytest
import respx

from campctl.diagnostics import Diagnostics
from campctl.http import MAX_BODY_BYTES, HttpTransport, make_client
from campctl.limits import Limits
from campctl.providers import adapter_class
from campctl.providers.base import Action, VendorLimit
from campctl.redact import Redactor
from campctl.results import ErrorKind, Outcome, Verdict
from campctl.retry import RetryPolicy
from tests.helpers import TEST_KEY, act, url
from tests.test_limits import FakeClock

STATUS = url("woodpecker", "/v2/campaigns/12345")


def encoded(body: bytes, encoding: str) -> httpx.Response:
    """An answer whose body reaches campctl raw (httpx would decode `content=` eagerly)."""
    return httpx.Response(
        200, stream=httpx.ByteStream(body), headers={"content-encoding": encoding}
    )


def bomb(decoded_mib: int) -> bytes:
    """A gzip member of `decoded_mib` MiB of zeros, built without holding them in memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    return b"".join(packer.compress(block) for _ in range(decoded_mib)) + packer.flush()


@pytest.mark.parametrize("layers", [1, 2])
@respx.mock
def test_a_gzip_bomb_stops_at_the_cap(layers: int) -> None:
    body = bomb(64)
    if layers == 2:
        body = gzip.compress(body)
    encoding = ", ".join(["gzip"] * layers)
    respx.get(STATUS).mock(return_value=encoded(body, encoding))
    verdict = act("woodpecker", Action.STATUS)
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.BAD_RESPONSE
    assert "larger than 1024 KiB" in verdict.message


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "gzip, identity", "x-gzip"])
@respx.mock
def test_compressed_answers_are_decoded(encoding: str) -> None:
    raw = b'{"status": "PAUSED"}'
    body = zlib.compress(raw) if encoding == "deflate" else gzip.compress(raw)
    respx.get(STATUS).mock(return_value=encoded(body, encoding))
    verdict = act("woodpecker", Action.STATUS)
    assert (verdict.outcome, verdict.status) == (Outcome.DONE, "paused")


class RawServer:
    """A loopback server that answers every request with the same raw bytes (no respx:
    respx pre-reads bodies, and a real h11 connection is what is under test here)."""

    def __init__(self, answer: bytes) -> None:
        self.answer = answer
        self.requests = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                if conn.recv(65536):
                    self.requests += 1
                    conn.sendall(self.answer)

    def send(self, key: str = TEST_KEY, retries: int = 0) -> Verdict:
        async def go() -> Verdict:
            async with make_client([], 4) as client:
                cls = adapter_class("woodpecker")
                transport = HttpTransport(
                    client, base_url=f"http://127.0.0.1:{self.port}",
                    auth=cls.meta.auth, api_key=key,
                    timeout=5.0, policy=RetryPolicy(retries=retries, sleep=_no_sleep),
                    limits=Limits(4), scope="s", vendor_limit=VendorLimit(),
                    diagnostics=Diagnostics(Redactor()),
                )  # fmt: skip
                return await cls(cls.Options(), transport).status("12345")

        try:
            return asyncio.run(go())
        finally:
            self.sock.close()


async def _no_sleep(_seconds: float) -> None:
    return None


def raw_answer(body: bytes, encoding: str) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Encoding: {encoding}\r\nContent-Length: {len(body)}"
    return head.encode() + b"\r\nConnection: close\r\n\r\n" + body


@pytest.mark.parametrize(
    ("encoding", "body"),
    [("br", b"\x0b\x02\x80"), ("gzip", b"not gzip at all"), ("zstd, gzip", b"x")],
)
def test_undecodable_bodies_are_bad_responses(encoding: str, body: bytes) -> None:
    verdict = RawServer(raw_answer(body, encoding)).send()
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.BAD_RESPONSE


def test_a_real_gzip_bomb_over_loopback_stops_at_the_cap() -> None:
    verdict = RawServer(raw_answer(gzip.compress(bomb(64)), "gzip, gzip")).send()
    assert verdict.error is not None
    assert "larger than 1024 KiB" in verdict.message


@respx.mock
def test_exactly_the_cap_is_read() -> None:
    body = b'{"status": "PAUSED", "pad": "' + b"x" * (MAX_BODY_BYTES - 40) + b'"}'
    assert len(body) <= MAX_BODY_BYTES
    respx.get(STATUS).mock(return_value=encoded(gzip.compress(body), "gzip"))
    assert act("woodpecker", Action.STATUS).status == "paused"


@respx.mock
def test_a_redirect_with_a_control_character_is_bad_response_and_not_retried() -> None:
    route = respx.post(url("woodpecker", "/v2/campaigns/12345/pause")).mock(
        return_value=httpx.Response(302, headers={"location": "https://x.example/\x01"})
    )
    verdict = act("woodpecker", Action.PAUSE, retries=3)
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.BAD_RESPONSE
    assert route.call_count == 1


@pytest.mark.parametrize("key", ["abc\r\nx-evil: 1", "clé-non-ascii"])
def test_a_header_that_cannot_be_sent_is_not_a_retried_network_error(key: str) -> None:
    server = RawServer(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
    verdict = server.send(key=key, retries=3)
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.INVALID_REQUEST
    assert verdict.attempts == 1
    assert server.requests == 0


def test_proxies_apply_only_to_https_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "api.altahq.com")
    client = make_client(
        [
            "http://127.0.0.1:9999/woodpecker",
            "https://api.woodpecker.co/rest",
            "https://api.altahq.com/v1",
        ],
        4,
    )
    default = client._transport_for_url(httpx.URL("http://127.0.0.1:9999/x"))
    proxied = client._transport_for_url(httpx.URL("https://api.woodpecker.co/rest/x"))
    bypassed = client._transport_for_url(httpx.URL("https://api.altahq.com/v1/x"))
    assert proxied is not default
    assert bypassed is default
    assert client._transport_for_url(httpx.URL("http://localhost:1/")) is default


def test_no_https_profile_means_no_proxy_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALL_PROXY", "http://proxy.internal:3128")
    client = make_client(["http://127.0.0.1:9999/alta"], 4)
    assert not client._mounts


def test_alta_window_counts_starts_after_the_concurrency_slot() -> None:
    """A mixed run at --concurrency 4: slow requests of another vendor hold every slot for
    59 s. Alta's 100/minute must hold for the moments requests really start."""
    clock = FakeClock()
    limits = Limits(4, clock=clock, sleep=clock.sleep)
    alta = VendorLimit(windows=((100, 60.0),))
    starts: list[float] = []

    async def other() -> None:
        async with limits.slot("leadlex:k", VendorLimit()):
            await clock.sleep(59)

    async def alta_request() -> None:
        async with limits.slot("alta:k", alta):
            starts.append(clock.now)
            await asyncio.sleep(0)

    async def main() -> None:
        others = [asyncio.create_task(other()) for _ in range(4)]
        await asyncio.sleep(0)
        await asyncio.gather(*(alta_request() for _ in range(250)), *others)

    asyncio.run(main())
    assert len(starts) == 250
    starts.sort()
    for i, t in enumerate(starts):
        assert bisect.bisect_left(starts, t + 60.0) - i <= 100, f"more than 100 from {t}"
