"""The shared transport: body cap, whole-attempt deadline, retry notices on stderr."""

from __future__ import annotations

import asyncio
import io

import httpx
import respx

from campctl.diagnostics import Diagnostics
from campctl.http import MAX_BODY_BYTES, HttpTransport, make_client
from campctl.limits import Limits
from campctl.providers import adapter_class
from campctl.providers.base import Action, Auth, RequestSpec
from campctl.redact import Redactor
from campctl.results import ErrorKind, Outcome
from campctl.retry import RetryPolicy
from tests.helpers import act, url

STATUS = url("woodpecker", "/v2/campaigns/12345")


@respx.mock
def test_body_over_one_mib_is_not_read_whole() -> None:
    chunks_read = 0

    async def stream() -> object:
        nonlocal chunks_read
        for _ in range(64):  # 64 × 64 KiB = 4 MiB offered
            chunks_read += 1
            yield b"x" * 65536

    respx.get(STATUS).mock(return_value=httpx.Response(200, content=stream()))
    verdict = act("woodpecker", Action.STATUS)
    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.BAD_RESPONSE
    assert "larger than 1024 KiB" in verdict.message
    assert chunks_read <= MAX_BODY_BYTES // 65536 + 1


@respx.mock
def test_a_slow_vendor_hits_the_whole_request_deadline() -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return httpx.Response(200)

    respx.get(STATUS).mock(side_effect=hang)
    loop_time = asyncio.new_event_loop()
    started = loop_time.time()
    verdict = act("woodpecker", Action.STATUS, timeout=0.2)
    elapsed = loop_time.time() - started
    loop_time.close()
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.TIMEOUT
    assert "0.2 s" in verdict.message
    assert elapsed < 5


@respx.mock
def test_retry_notice_goes_to_stderr_stream() -> None:
    stream = io.StringIO()
    route = respx.get(STATUS)
    route.side_effect = [httpx.Response(503), httpx.Response(200, json={"status": "PAUSED"})]
    diagnostics = Diagnostics(Redactor(), stream=stream)
    verdict = act("woodpecker", Action.STATUS, retries=1, diagnostics=diagnostics)
    diagnostics.flush()
    assert verdict.status == "paused"
    assert stream.getvalue() == "campctl: woodpecker:12345: HTTP 503, retrying in 0.5 s\n"


def test_one_accounts_cookie_is_never_sent_with_anothers_request() -> None:
    """Two profiles of one vendor share the run's client: it must keep no cookie jar."""

    async def exchange() -> httpx.Request:
        client = make_client(["http://127.0.0.1:9/acct-a", "http://127.0.0.1:9/acct-b"], 4)
        async with client:
            with respx.mock:
                respx.post("http://127.0.0.1:9/acct-a/pause").respond(
                    200, headers={"Set-Cookie": "session=account-a; Path=/"}
                )
                second = respx.post("http://127.0.0.1:9/acct-b/pause").respond(200)
                await client.post("http://127.0.0.1:9/acct-a/pause")
                await client.post("http://127.0.0.1:9/acct-b/pause")
                assert not client.cookies
                return second.calls.last.request

    assert "cookie" not in asyncio.run(exchange()).headers


@respx.mock
def test_verbose_exchange_lines_and_dry_run_urls_are_redacted() -> None:
    """A key pasted into a base_url path, a secret query value: masked, campctl's words kept."""
    key = "sk_live_VERBOSE0123456789abcdef"
    redactor = Redactor()
    redactor.add(key)
    stream = io.StringIO()
    diagnostics = Diagnostics(redactor, verbose=True, stream=stream)
    base = f"https://vg.example/{key.upper()}/api"
    spec = RequestSpec("GET", "/x?api_key=zz&limit=5")
    respx.get(f"{base}/x?api_key=zz&limit=5").respond(200)

    async def send() -> dict[str, object]:
        async with httpx.AsyncClient() as client:
            transport = HttpTransport(
                client, base_url=base, auth=Auth.header("x-api-key"), api_key="k", timeout=5,
                policy=RetryPolicy(retries=0), limits=Limits(1), scope="vg",
                vendor_limit=adapter_class("voicegenie").meta.limit, diagnostics=diagnostics,
            )  # fmt: skip
            await transport.send(spec, label="vg:x")
            return transport.describe(spec)

    described = asyncio.run(send())
    shown = "https://vg.example/***/api/x?api_key=***&limit=5"
    assert stream.getvalue().startswith(f"campctl: GET {shown} -> 200 in ")
    assert stream.getvalue().endswith(" ms (attempt 1)\n")
    assert described["url"] == shown
