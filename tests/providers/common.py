"""Helpers shared by the per-vendor adapter tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import respx

from campctl.providers.base import CampaignList
from campctl.results import ErrorKind, Outcome, Verdict
from tests.helpers import build, url

JSON = {"content-type": "application/json"}
FIXTURES = Path(__file__).parent / "fixtures"

# The three undocumented error shapes PRODUCT.md names (Leadlex, Leadterra).
SHAPES = ("error-object", "error-string", "top-level-code")


def fixture_loader(vendor: str) -> Callable[[str], bytes]:
    """`fixture("pause_200.json")` for one vendor's recorded bodies."""
    return lambda name: (FIXTURES / vendor / name).read_bytes()


def respond(
    router: respx.MockRouter,
    vendor: str,
    method: str,
    path: str,
    status: int,
    body: bytes,
    headers: dict[str, str],
) -> respx.Route:
    return router.route(method=method, url=url(vendor, path)).respond(
        status, content=body, headers=headers
    )


def shaped(shape: str, code: str, message: str) -> bytes:
    bodies: dict[str, dict[str, Any]] = {
        "error-object": {"error": {"code": code, "message": message}},
        "error-string": {"error": code, "message": message},
        "top-level-code": {"code": code, "message": message},
    }
    return json.dumps(bodies[shape]).encode()


def assert_failed(
    verdict: Verdict, kind: ErrorKind, http_status: int | None, vendor_code: str | None
) -> None:
    assert verdict.outcome is Outcome.FAILED
    assert verdict.status is None
    assert verdict.http_status == http_status
    assert verdict.error is not None
    assert verdict.error.kind is kind
    assert verdict.error.http_status == http_status
    assert verdict.error.vendor_code == vendor_code
    assert verdict.error.retryable is (kind in {ErrorKind.RATE_LIMITED, ErrorKind.VENDOR_ERROR})


def listing(vendor: str, running_only: bool = False, **kwargs: Any) -> CampaignList:
    """Run one adapter's `campaigns()` to completion on a fresh client (real HttpTransport)."""

    async def go() -> CampaignList:
        async with httpx.AsyncClient(follow_redirects=False) as client:
            return await build(vendor, client, **kwargs).campaigns(running_only)

    return asyncio.run(go())


def assert_list_failed(
    listed: CampaignList, kind: ErrorKind, http_status: int | None, *fragments: str
) -> Verdict:
    assert listed.campaigns == []
    failure = listed.failure
    assert failure is not None
    assert failure.outcome is Outcome.FAILED
    assert failure.error is not None
    assert failure.error.kind is kind
    assert failure.error.http_status == http_status
    assert failure.http_status == http_status
    for fragment in fragments:
        assert fragment in failure.message
        assert fragment in failure.error.message
    return failure
