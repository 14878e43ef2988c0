"""The one way campctl talks HTTP: a shared httpx.AsyncClient, per-profile transports with
timeouts, capped bodies, no redirects, vendor limits and retries."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from campctl import __version__
from campctl.diagnostics import Diagnostics
from campctl.limits import Limits
from campctl.providers.base import Exchange, Reply, RequestSpec, VendorLimit
from campctl.redact import MASK
from campctl.results import ErrorKind, Verdict
from campctl.retry import RetryPolicy, with_retries

MAX_BODY_BYTES = 1024 * 1024
USER_AGENT = f"campctl/{__version__}"


def make_client(concurrency: int, *, tls: bool) -> httpx.AsyncClient:
    """One client per run. Without any https base URL (sandbox, loopback) no CA bundle is
    loaded and proxy variables are ignored, so loopback traffic never leaves the host."""
    return httpx.AsyncClient(
        follow_redirects=False,
        headers={"user-agent": USER_AGENT, "accept": "application/json"},
        limits=httpx.Limits(
            max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4
        ),
        trust_env=tls,
        verify=tls,  # no https base URL in this run: TLS is never used
    )


class HttpTransport:
    """Sends one profile's requests; adapters only see `send(spec) -> Exchange`."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        base_url: str,
        headers: dict[str, str],
        secret_header: str,
        timeout: float,
        policy: RetryPolicy,
        limits: Limits,
        scope: str,
        vendor_limit: VendorLimit,
        diagnostics: Diagnostics,
    ) -> None:
        self.client = client
        self.base_url = base_url
        self.headers = headers
        self.secret_header = secret_header.lower()
        self.timeout = timeout
        self.policy = policy
        self.limits = limits
        self.scope = scope
        self.vendor_limit = vendor_limit
        self.diagnostics = diagnostics
        self.sent: set[str] = set()

    def build(self, spec: RequestSpec) -> httpx.Request:
        return self.client.build_request(
            spec.method,
            self.base_url + spec.path,
            headers={**self.headers, **spec.headers},
            json=spec.json,
        )

    def describe(self, spec: RequestSpec) -> dict[str, Any]:
        """The exact request `send` would make, with the key shown as ***."""
        request = self.build(spec)
        headers = {
            name: (MASK if name.lower() == self.secret_header else value)
            for name, value in request.headers.items()
        }
        body = request.content.decode("utf-8", "replace") or None
        return {"method": request.method, "url": str(request.url), "headers": headers, "body": body}

    async def send(self, spec: RequestSpec, label: str) -> Exchange:
        def notify(reason: str, delay: float, next_attempt: int) -> None:
            self.diagnostics.notice(
                f"{label}: {reason}, retrying in {delay:.1f} s "
                f"(attempt {next_attempt} of {self.policy.retries + 1})"
            )

        async def attempt(number: int) -> Reply | Verdict:
            def on_wait(seconds: float) -> None:
                self.diagnostics.notice(f"{label}: vendor rate limit, waiting {seconds:.1f} s")

            async with self.limits.slot(self.scope, self.vendor_limit, on_wait):
                self.sent.add(label)
                return await self._once(spec, number)

        return await with_retries(attempt, self.policy, notify)

    async def _once(self, spec: RequestSpec, number: int) -> Reply | Verdict:
        request = self.build(spec)
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.timeout):
                response = await self.client.send(request, stream=True)
                try:
                    answer = await _read_capped(response)
                finally:
                    await response.aclose()
        except (TimeoutError, httpx.TimeoutException):
            answer = Verdict.failure(
                ErrorKind.TIMEOUT, f"no answer within {self.timeout:g} s (--timeout)"
            )
        except httpx.TransportError as exc:
            host = urlsplit(self.base_url).hostname
            detail = str(exc) or type(exc).__name__
            answer = Verdict.failure(
                ErrorKind.NETWORK, f"network error talking to {host}: {detail}"
            )
        elapsed = (time.monotonic() - started) * 1000
        result = f"{answer.status}" if isinstance(answer, Reply) else str(answer.message)
        self.diagnostics.exchange(
            f"{request.method} {request.url} -> {result} in {elapsed:.0f} ms (attempt {number})"
        )
        return answer


async def _read_capped(response: httpx.Response) -> Reply | Verdict:
    """Read at most 1 MiB: a vendor (or anything in between) cannot make campctl swallow more."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return Verdict.failure(
                ErrorKind.BAD_RESPONSE,
                f"response body larger than {MAX_BODY_BYTES // 1024} KiB; not read",
                http_status=response.status_code,
            )
        chunks.append(chunk)
    headers = {name.lower(): value for name, value in response.headers.items()}
    return Reply(response.status_code, headers, b"".join(chunks))
