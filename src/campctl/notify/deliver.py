"""Posting notifications: every target at once, retried like vendor requests, and all of it
within one `--timeout` — a notification adds at most one round trip to a run, and never
outlives it by more than that.

A failure is returned as a `NotifyError` (kind as for vendor requests: `vendor_error`,
`timeout`, `network`, ...); nothing here raises for a target, and no message holds the URL
(the redactor knows it whole; the --verbose line names the target instead).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx

from campctl.diagnostics import Diagnostics
from campctl.http import make_client, read_body
from campctl.results import ErrorKind, NotifyError, Verdict, kind_for_status
from campctl.retry import RetryPolicy, with_retries
from campctl.transport import Exchange, Reply

if TYPE_CHECKING:
    from campctl.notify.targets import NotifyTarget

Post = tuple["NotifyTarget", dict[str, Any]]


async def deliver(
    posts: Sequence[Post], *, timeout: float, policy: RetryPolicy, diagnostics: Diagnostics
) -> list[NotifyError]:
    """POST each body to its target concurrently; the errors of those not delivered."""
    if not posts:
        return []
    urls = [_url(target) for target, _ in posts]
    async with make_client(urls, len(posts)) as client:
        outcomes = await asyncio.gather(
            *(_post(client, t, b, timeout, policy, diagnostics) for t, b in posts)
        )
    return [error for error in outcomes if error is not None]


async def _post(
    client: httpx.AsyncClient,
    target: NotifyTarget,
    body: dict[str, Any],
    timeout: float,
    policy: RetryPolicy,
    diagnostics: Diagnostics,
) -> NotifyError | None:
    last: Reply | Verdict | None = None

    async def attempt(number: int) -> Reply | Verdict:
        nonlocal last
        started = time.monotonic()
        last = await _once(client, _url(target), body, diagnostics)
        result = f"{last.status}" if isinstance(last, Reply) else last.message
        elapsed = (time.monotonic() - started) * 1000
        diagnostics.exchange(
            f"POST notify {target.name} (URL not shown) -> {result} in {elapsed:.0f} ms "
            f"(attempt {number})"
        )
        return last

    def waiting(reason: str, delay: float, _next: int) -> None:
        # --verbose only: a notification that fails in the end is one line, retries or not
        diagnostics.detail(f"notify {target.name}: {reason}, retrying in {delay:.1f} s")

    try:
        async with asyncio.timeout(timeout):
            exchange = await with_retries(attempt, policy, waiting)
    except TimeoutError:
        before = f"; last answer: {_said(last)}" if last is not None else ""
        message = f"not delivered within {timeout:g} s (--timeout){before}"
        return NotifyError.model_construct(
            target=target.name, kind=ErrorKind.TIMEOUT.value, message=message
        )
    return _verdict(target, exchange)


async def _once(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], diagnostics: Diagnostics
) -> Reply | Verdict:
    try:
        request = client.build_request("POST", url, json=body)
        response = await client.send(request, stream=True)
        try:
            return await read_body(response)
        finally:
            await response.aclose()
    except httpx.TimeoutException:
        return Verdict.failure(ErrorKind.TIMEOUT, "no answer in time")
    except (httpx.LocalProtocolError, httpx.InvalidURL, httpx.UnsupportedProtocol,
            UnicodeError) as exc:  # fmt: skip
        return Verdict.failure(
            ErrorKind.INVALID_REQUEST, f"could not build the request ({type(exc).__name__})"
        )
    except httpx.TransportError as exc:
        detail = diagnostics.redactor(str(exc)) or type(exc).__name__
        return Verdict.failure(ErrorKind.NETWORK, f"network error: {detail}")


def _verdict(target: NotifyTarget, exchange: Exchange) -> NotifyError | None:
    reply, failure = exchange.reply, exchange.failure
    if reply is not None and 200 <= reply.status < 300:
        return None
    if reply is not None:
        kind = ErrorKind.BAD_RESPONSE if reply.status < 400 else kind_for_status(reply.status)
        message = _said(reply)
    else:
        assert failure is not None  # noqa: S101 - an Exchange holds one or the other
        kind = failure.error.kind if failure.error else ErrorKind.BAD_RESPONSE
        message = failure.message
    if exchange.attempts > 1:
        message += f" after {exchange.attempts} attempts"
    return NotifyError.model_construct(target=target.name, kind=kind.value, message=message)


def _said(answer: Reply | Verdict) -> str:
    if isinstance(answer, Verdict):
        return answer.message
    if 300 <= answer.status < 400:
        return f"HTTP {answer.status}: redirected; redirects are not followed"
    return f"HTTP {answer.status}"


def _url(target: NotifyTarget) -> str:
    assert target.url is not None  # noqa: S101 - only resolved targets are delivered to
    return target.url.get_secret_value()
