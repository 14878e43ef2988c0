"""Build real adapters on a real HttpTransport (respx intercepts the HTTP) for unit tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from campctl.diagnostics import Diagnostics
from campctl.http import HttpTransport
from campctl.limits import Limits
from campctl.providers import adapter_class
from campctl.providers.base import Action, Adapter
from campctl.redact import Redactor
from campctl.results import Verdict
from campctl.retry import RetryPolicy

TEST_KEY = "test-key-0123456789"
BASE_URLS = {
    "leadlex": "https://data.leadlex.com/functions/v1/api-gateway",
    "leadterra": "https://app.leadterra.co",
    "voicegenie": "https://voicegenie.test",
    "alta": "https://api.altahq.com/v1",
    "woodpecker": "https://api.woodpecker.co/rest",
    "instantly": "https://api.instantly.ai",
    "lemlist": "https://api.lemlist.com/api",
    "smartlead": "https://server.smartlead.ai/api/v1",
}
# One valid campaign ID per vendor, from the vendor docs' examples.
IDS = {
    "leadlex": "cmp_abc123",
    "leadterra": "camp_123",
    "voicegenie": "550e8400-e29b-41d4-a716-446655440000",
    "alta": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "woodpecker": "12345",
    "instantly": "019cc043-aee6-7ae9-a545-d7de53430e37",
    "lemlist": "cam_bSn8EORHQxbWPjHvu",
    "smartlead": "123",
}


async def _no_sleep(_seconds: float) -> None:
    return None


def build(
    vendor: str,
    client: httpx.AsyncClient,
    *,
    key: str = TEST_KEY,
    options: dict[str, Any] | None = None,
    retries: int = 0,
    timeout: float = 5.0,
    sleep: Callable[[float], Awaitable[None]] = _no_sleep,
    random: Callable[[], float] = lambda: 1.0,
    limits: Limits | None = None,
    diagnostics: Diagnostics | None = None,
) -> Adapter:
    cls = adapter_class(vendor)
    parsed = cls.Options.model_validate(options or {})
    transport = HttpTransport(
        client,
        base_url=BASE_URLS[vendor],
        auth=cls.meta.auth,
        api_key=key,
        headers=cls.profile_headers(parsed),
        timeout=timeout,
        policy=RetryPolicy(retries=retries, sleep=sleep, random=random),
        limits=limits or Limits(8),
        scope=Limits.scope(vendor, key),
        vendor_limit=cls.meta.limit,
        diagnostics=diagnostics or Diagnostics(Redactor()),
        provider=vendor,
    )
    return cls(parsed, transport)


def act(vendor: str, action: Action, campaign_id: str | None = None, **kwargs: Any) -> Verdict:
    """Run one adapter verb to completion on a fresh client."""

    async def go() -> Verdict:
        async with httpx.AsyncClient(follow_redirects=False) as client:
            adapter = build(vendor, client, **kwargs)
            return await adapter.verb(action)(campaign_id or IDS[vendor])

    return asyncio.run(go())


def url(vendor: str, path: str) -> str:
    return BASE_URLS[vendor] + path


def cli(args: list[str], *, env: dict[str, str] | None = None, input: str | None = None) -> Any:
    """Invoke campctl through Typer's CliRunner; stdout and stderr stay separate."""
    from typer.testing import CliRunner

    from campctl.cli import app

    return CliRunner().invoke(app, args, env=env, input=input, catch_exceptions=False)


_STATUS_PATHS = {"woodpecker": ("/v2/campaigns/{}", "RUNNING", "PAUSED"),
                 "alta": ("/campaigns/{}", "active", "paused")}  # fmt: skip


def running(*targets: str, paused: bool = False, router: Any = None) -> None:
    """Woodpecker and Alta do not tell a repeat pause from a fresh one, so campctl reads each
    target's state before acting: answer those reads (inside a respx mock) with running, or
    paused (for a resume)."""
    import respx

    for target in targets:
        vendor, campaign_id = target.split(":")
        path, up, down = _STATUS_PATHS[vendor]
        (router or respx).get(url(vendor, path.format(campaign_id))).respond(
            200, json={"status": down if paused else up}
        )
