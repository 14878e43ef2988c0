"""Helpers shared by the simulator tests: authenticated calls over real loopback HTTP."""

from __future__ import annotations

import base64
import re
import socket
import time
from collections.abc import Callable

import httpx

from campctl.sandbox import SANDBOX_API_KEY, Simulator

SEED = "2026-04-01T09:00:00Z"
VG = "550e8400-e29b-41d4-a716-446655440000"
ALTA = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
INSTANTLY = "019cc043-aee6-7ae9-a545-d7de53430e37"
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")

RUNNING = {  # a seeded running campaign per vendor
    "leadlex": "cmp_abc123",
    "leadterra": "camp_123",
    "voicegenie": VG,
    "alta": ALTA,
    "woodpecker": "12345",
    "instantly": INSTANTLY,
    "lemlist": "cam_bSn8EORHQxbWPjHvu",
    "smartlead": "2710262",
}
PAUSE = {
    "leadlex": "POST /v1/campaigns/cmp_abc123/pause",
    "leadterra": "POST /v1/campaigns/camp_123/pause",
    "voicegenie": f"GET /pauseTheCampaign/{VG}",
    "alta": f"POST /campaigns/{ALTA}/pause",
    "woodpecker": "POST /v2/campaigns/12345/pause",
    "instantly": f"POST /api/v2/campaigns/{INSTANTLY}/pause",
    "lemlist": "POST /campaigns/cam_bSn8EORHQxbWPjHvu/pause",
    "smartlead": "POST /campaigns/2710262/status",
}
PAUSE_BODY = {"smartlead": {"status": "PAUSED"}}  # one endpoint: the body says what to do
QUERY_KEY = {"smartlead": "api_key"}  # vendors that take the key as a query parameter


# shared: building a client per call costs ~25 ms of TLS setup; Instantly's edge blocks
# httpx's default User-Agent
HTTP = httpx.Client(headers={"User-Agent": "campctl-tests"})


def auth(vendor: str, key: str | None = SANDBOX_API_KEY) -> dict[str, str]:
    if key is None or vendor in QUERY_KEY:
        return {}
    if vendor in ("voicegenie", "woodpecker"):
        return {"x-api-key": key}
    if vendor == "lemlist":  # HTTP Basic, an empty user name and the key as password
        return {"Authorization": "Basic " + base64.b64encode(f":{key}".encode()).decode()}
    return {"Authorization": f"Bearer {key}"}


def body_of(response: httpx.Response) -> object:
    """A JSON answer parsed; a plain-text one (lemlist's errors) as its text."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.json()
    return response.text


def call(
    sim: Simulator,
    vendor: str,
    request_line: str,
    *,
    key: str | None = SANDBOX_API_KEY,
    headers: dict[str, str] | None = None,
    json: object = None,
    content: bytes | None = None,
    timeout: float = 5.0,
) -> httpx.Response:
    """Send `request_line` ("METHOD /path") to `vendor`, authenticated with `key`."""
    method, path = request_line.split(" ", 1)
    if json is None and content is None and request_line == PAUSE.get(vendor):
        json = PAUSE_BODY.get(vendor)
    name = QUERY_KEY.get(vendor)
    return HTTP.request(
        method,
        sim.base_url(vendor) + path,
        params={name: key} if name and key is not None else None,
        headers={**auth(vendor, key), **(headers or {})},
        json=json,
        content=content,
        timeout=timeout,
    )


def raw_exchange(sim: Simulator, data: bytes) -> bytes:
    """Send raw bytes and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", sim.port), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.005)
