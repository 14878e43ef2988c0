"""The vendor simulator, exercised over real loopback HTTP."""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import json
import re
import socket
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import pytest

import campctl.sandbox
from campctl.providers.alta.simulator import Alta
from campctl.providers.leadlex.simulator import Leadlex
from campctl.providers.voicegenie.simulator import VoiceGenie
from campctl.sandbox import (
    SANDBOX_API_KEY,
    VENDORS,
    Fault,
    Simulator,
    campaign_ids,
    render_providers_toml,
)
from campctl.sandbox.vendors import simulated
from tests.sandbox.common import (
    ALTA,
    HTTP,
    ISO,
    PAUSE,
    RUNNING,
    SEED,
    UUID,
    VG,
    auth,
    body_of,
    call,
    raw_exchange,
    wait_until,
)

# -- happy paths, with the documented bodies ---------------------------------------------------


RUNNING_WORDS = ("active", "running", "RUNNING", "ACTIVE")  # the vendors' words


def test_leadlex_pause_status_start(sim: Simulator) -> None:
    r = call(sim, "leadlex", "POST /v1/campaigns/cmp_abc123/pause")
    assert r.status_code == 200
    campaign = r.json()["data"]["campaign"]
    assert campaign == {"id": "cmp_abc123", "status": "paused", "paused_at": campaign["paused_at"]}
    assert ISO.fullmatch(campaign["paused_at"])
    r = call(sim, "leadlex", "GET /v1/campaigns/cmp_abc123")
    assert r.status_code == 200
    assert r.json()["data"]["campaign"]["status"] == "paused"
    r = call(sim, "leadlex", "POST /v1/campaigns/cmp_abc123/start")
    assert r.status_code == 200
    assert r.json() == {"data": {"campaign_id": "cmp_abc123", "status": "active", "task_id": None}}
    assert sim.campaign_status("leadlex", "cmp_abc123") == "active"


def test_leadterra_pause_start(sim: Simulator) -> None:
    r = call(sim, "leadterra", "POST /v1/campaigns/camp_123/pause")
    assert r.status_code == 200
    body = r.json()
    assert body == {"id": "camp_123", "status": "paused", "pausedAt": body["pausedAt"]}
    assert ISO.fullmatch(body["pausedAt"])
    r = call(sim, "leadterra", "POST /v1/campaigns/camp_123/start")
    assert r.status_code == 200
    body = r.json()
    assert body == {"id": "camp_123", "status": "running", "startedAt": body["startedAt"]}
    assert sim.campaign_status("leadterra", "camp_123") == "running"


def test_leadterra_has_no_status_get_but_stats(sim: Simulator) -> None:
    assert call(sim, "leadterra", "GET /v1/campaigns/camp_123").status_code == 404
    r = call(sim, "leadterra", "GET /v1/campaigns/camp_123/stats")
    assert r.status_code == 200
    assert r.json()["campaignId"] == "camp_123"
    assert "status" not in r.json()


def test_voicegenie_pause_status_start(sim: Simulator) -> None:
    r = call(sim, "voicegenie", f"GET /pauseTheCampaign/{VG}")
    assert r.status_code == 200
    body = r.json()
    assert body == {
        "success": True,
        "data": {
            "campaign_id": VG,
            "status": "paused",
            "paused_at": body["data"]["paused_at"],
            "active_calls": 3,
        },
        "message": "Campaign paused successfully. Active calls will complete normally.",
    }
    r = call(sim, "voicegenie", f"GET /campaign/{VG}")
    assert r.json()["success"] is True
    assert r.json()["data"]["campaign_status"] == "paused"
    r = call(sim, "voicegenie", f"GET /startCampaign/{VG}")
    assert r.status_code == 200
    body = r.json()
    assert body == {
        "success": True,
        "data": {"campaign_id": VG, "status": "running", "started_at": body["data"]["started_at"]},
        "message": "Campaign started successfully",
    }
    assert sim.campaign_status("voicegenie", VG) == "running"


def test_alta_pause_resume_idempotent_with_prospects(sim: Simulator) -> None:
    r = call(sim, "alta", f"GET /campaigns/{ALTA}")
    assert r.status_code == 200
    assert r.json()["objectType"] == "campaign"
    assert r.json()["status"] == "active"
    for _ in range(2):  # a second pause is accepted and changes nothing
        r = call(
            sim,
            "alta",
            f"POST /campaigns/{ALTA}/pause",
            json={"pauseProspects": True},
            headers={"x-account-id": "acc_123"},
        )
        assert r.status_code == 200
        assert r.json() == {"message": "Campaign paused successfully"}
        assert call(sim, "alta", f"GET /campaigns/{ALTA}").json()["status"] == "paused"
    last_pause = next(q for q in reversed(sim.requests) if q.path.endswith("/pause"))
    assert last_pause.headers["x-account-id"] == "acc_123"
    assert last_pause.body == b'{"pauseProspects":true}'
    for _ in range(2):
        r = call(sim, "alta", f"POST /campaigns/{ALTA}/resume")
        assert r.status_code == 200
        assert r.json() == {"message": "Campaign resumed successfully"}
        assert call(sim, "alta", f"GET /campaigns/{ALTA}").json()["status"] == "active"


def test_woodpecker_pause_run_have_no_body(sim: Simulator) -> None:
    r = call(sim, "woodpecker", "POST /v2/campaigns/12345/pause", headers={"x-company-id": "4567"})
    assert (r.status_code, r.content, r.headers["content-length"]) == (200, b"", "0")
    assert sim.requests[-1].headers["x-company-id"] == "4567"
    r = call(sim, "woodpecker", "GET /v2/campaigns/12345")
    assert r.json()["id"] == 12345
    assert r.json()["status"] == "PAUSED"
    r = call(sim, "woodpecker", "POST /v2/campaigns/12345/run")
    assert (r.status_code, r.content) == (200, b"")
    assert call(sim, "woodpecker", "GET /v2/campaigns/12345").json()["status"] == "RUNNING"
    assert call(sim, "woodpecker", "GET /v2/campaigns/12346").json()["status"] == "PAUSED"


# -- state rules -----------------------------------------------------------------------------

STATE_RULES = [
    (
        "leadlex",
        "POST /v1/campaigns/cmp_paused/pause",
        409,
        {"error": {"code": "campaign_not_active", "message": "Campaign is not in active status"}},
    ),
    (
        "leadlex",
        "POST /v1/campaigns/cmp_abc123/start",
        400,
        {"error": {"code": "validation_error", "message": "Campaign is already running"}},
    ),
    (
        "leadlex",
        "POST /v1/campaigns/cmp_paused/start",
        200,
        {"data": {"campaign_id": "cmp_paused", "status": "active", "task_id": None}},
    ),
    (
        "leadterra",
        "POST /v1/campaigns/camp_draft/pause",
        200,
        {"id": "camp_draft", "status": "draft"},
    ),
    (
        "leadterra",
        "POST /v1/campaigns/camp_empty/pause",
        200,
        {"id": "camp_empty", "status": "paused", "pausedAt": SEED},
    ),
    (
        "leadterra",
        "POST /v1/campaigns/camp_123/start",
        200,
        {"id": "camp_123", "status": "running", "startedAt": SEED},
    ),
    (
        "leadterra",
        "POST /v1/campaigns/camp_empty/start",
        400,
        {
            "code": "no_leads_enrolled",
            "message": "The campaign has no enrolled leads and cannot be started",
        },
    ),
    (
        "voicegenie",
        "GET /pauseTheCampaign/vg_unconfigured",
        400,
        {"success": False, "message": "Campaign is not running", "error": "CAMPAIGN_NOT_RUNNING"},
    ),
    (
        "voicegenie",
        f"GET /startCampaign/{VG}",
        400,
        {
            "success": False,
            "message": "Campaign is already running",
            "error": "CAMPAIGN_ALREADY_RUNNING",
        },
    ),
    (
        "voicegenie",
        "GET /startCampaign/vg_unconfigured",
        422,
        {
            "success": False,
            "message": "Campaign cannot be started. Missing required configuration.",
            "error": "INVALID_CAMPAIGN_STATE",
            "details": {"missing": ["script_id", "contacts"]},
        },
    ),
]


@pytest.mark.parametrize(
    ("vendor", "request_line", "status", "body"),
    STATE_RULES,
    ids=[f"{v}:{line}" for v, line, _, _ in STATE_RULES],
)
def test_state_rules(
    sim: Simulator, vendor: str, request_line: str, status: int, body: object
) -> None:
    r = call(sim, vendor, request_line)
    assert (r.status_code, r.json()) == (status, body)


def test_leadterra_draft_pause_is_a_noop_and_start_launches_it(sim: Simulator) -> None:
    call(sim, "leadterra", "POST /v1/campaigns/camp_draft/pause")
    assert sim.campaign_status("leadterra", "camp_draft") == "draft"
    r = call(sim, "leadterra", "POST /v1/campaigns/camp_draft/start")
    assert r.json()["status"] == "running"


def test_leadlex_big_campaign_needs_approval(sim: Simulator) -> None:
    first = call(sim, "leadlex", "POST /v1/campaigns/cmp_big/start").json()["data"]
    assert first["campaign_id"] == "cmp_big"
    assert first["status"] == "pending_approval"
    assert UUID.fullmatch(first["task_id"])
    again = call(sim, "leadlex", "POST /v1/campaigns/cmp_big/start").json()["data"]
    assert again == first  # still waiting on the same approval task
    campaign = call(sim, "leadlex", "GET /v1/campaigns/cmp_big").json()["data"]["campaign"]
    assert campaign["status"] == "pending_approval"
    pause = call(sim, "leadlex", "POST /v1/campaigns/cmp_big/pause")
    assert pause.status_code == 409


# -- auth and unknown campaigns ----------------------------------------------------------------

UNAUTHORIZED = {
    "leadlex": {"error": {"code": "invalid_key", "message": "Invalid or expired API key"}},
    "leadterra": {
        "code": "authentication_failed",
        "message": "The Authorization header is missing, malformed, or the key is invalid",
    },
    "voicegenie": {
        "success": False,
        "message": "Invalid or missing API key",
        "error": "UNAUTHORIZED",
    },
    "alta": {"error": "Unauthorized", "message": "Invalid API token"},
    "instantly": {"statusCode": 401, "error": "Unauthorized", "message": "Invalid API key"},
    "lemlist": "The authentication you supplied is incorrect",
    "smartlead": {"message": "Invalid API Key"},
}


@pytest.mark.parametrize(
    "key", [None, "wrong-key", "SANDBOX-KEY"], ids=["missing", "wrong", "case"]
)
@pytest.mark.parametrize("vendor", VENDORS)
def test_unauthorized(sim: Simulator, vendor: str, key: str | None) -> None:
    r = call(sim, vendor, PAUSE[vendor], key=key)
    assert r.status_code == 401
    if vendor == "woodpecker":
        body = r.json()
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", body.pop("timestamp"))
        assert body == {"title": "Unauthorized", "status": 401, "detail": "Invalid api key"}
    else:
        assert body_of(r) == UNAUTHORIZED[vendor]
    assert sim.campaign_status(vendor, RUNNING[vendor]) in (
        "active",
        "running",
        "RUNNING",
        "ACTIVE",
    )


def test_bearer_scheme_is_required(sim: Simulator) -> None:
    r = call(
        sim,
        "leadlex",
        "GET /v1/campaigns/cmp_abc123",
        key=None,
        headers={"Authorization": SANDBOX_API_KEY},
    )
    assert r.status_code == 401
    r = call(
        sim,
        "leadlex",
        "GET /v1/campaigns/cmp_abc123",
        key=None,
        headers={"Authorization": f"bearer {SANDBOX_API_KEY}"},
    )
    assert r.status_code == 200


NOT_FOUND = [
    (
        "leadlex",
        "POST /v1/campaigns/cmp_nope/pause",
        {"error": {"code": "campaign_not_found", "message": "No campaign with this ID"}},
    ),
    (
        "leadlex",
        "POST /v1/campaigns/cmp_nope/start",
        {"error": {"code": "not_found", "message": "Campaign not found"}},
    ),
    (
        "leadlex",
        "GET /v1/campaigns/cmp_nope",
        {"error": {"code": "campaign_not_found", "message": "No campaign with this ID"}},
    ),
    *[
        (
            "leadterra",
            f"POST /v1/campaigns/camp_nope/{action}",
            {
                "code": "campaign_not_found",
                "message": "No campaign with the given id exists in your workspace",
            },
        )
        for action in ("pause", "start")
    ],
    *[
        (
            "voicegenie",
            f"GET /{path}/vg_nope",
            {"success": False, "message": "Campaign not found", "error": "NOT_FOUND"},
        )
        for path in ("pauseTheCampaign", "startCampaign", "campaign")
    ],
    *[
        (
            "alta",
            f"{line}/00000000-0000-4000-8000-000000000000{suffix}",
            {"error": "NotFound", "message": "Resource not found"},
        )
        for line, suffix in (
            ("POST /campaigns", "/pause"),
            ("POST /campaigns", "/resume"),
            ("GET /campaigns", ""),
        )
    ],
    *[
        (
            "woodpecker",
            line,
            {"code": "CAMPAIGN_NOT_EXIST", "message": "Campaign not found", "details": None},
        )
        for line in (
            "POST /v2/campaigns/99999/pause",
            "POST /v2/campaigns/99999/run",
            "GET /v2/campaigns/99999",
        )
    ],
]


@pytest.mark.parametrize(
    ("vendor", "request_line", "body"), NOT_FOUND, ids=[f"{v}:{x}" for v, x, _ in NOT_FOUND]
)
def test_unknown_campaign(sim: Simulator, vendor: str, request_line: str, body: object) -> None:
    r = call(sim, vendor, request_line)
    assert (r.status_code, r.json()) == (404, body)


def test_ids_the_vendor_rejects_outright(sim: Simulator) -> None:
    r = call(sim, "woodpecker", "POST /v2/campaigns/abc/pause")
    assert r.status_code == 400
    assert r.json()["detail"] == "Value of campaign_id is incorrect."
    r = call(sim, "alta", "POST /campaigns/not-a-uuid/pause")
    assert r.status_code == 400
    assert r.json()["error"] == "ValidationError"


def test_percent_encoded_ids_are_decoded(sim: Simulator) -> None:
    r = call(sim, "leadlex", "POST /v1/campaigns/cmp%5Fabc123/pause")
    assert r.status_code == 200
    assert r.json()["data"]["campaign"]["id"] == "cmp_abc123"
    assert sim.requests[-1].path == "/v1/campaigns/cmp%5Fabc123/pause"
    for encoded in ("cmp_abc123%2Fpause", "%FF%FE", "..%2F..%2Fx"):
        r = call(sim, "leadlex", f"GET /v1/campaigns/{encoded}")
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "campaign_not_found"


def test_unknown_paths_and_methods(sim: Simulator) -> None:
    r = call(sim, "leadlex", "GET /v1/nope")
    assert (r.status_code, r.json()["error"]["code"]) == (404, "not_found")
    r = HTTP.get(f"http://127.0.0.1:{sim.port}/nobody/v1/campaigns/x")
    assert r.status_code == 404
    assert "/woodpecker" in r.json()["message"]
    r = call(sim, "woodpecker", "DELETE /v2/campaigns/12345/pause")
    assert (r.status_code, r.headers["allow"]) == (405, "POST")
    r = call(sim, "voicegenie", f"POST /pauseTheCampaign/{VG}")
    assert (r.status_code, r.json()["error"]) == (405, "METHOD_NOT_ALLOWED")
    r = call(sim, "alta", f"HEAD /campaigns/{ALTA}/pause")
    assert (r.status_code, r.content) == (405, b"")
    assert sim.campaign_status("voicegenie", VG) == "running"


# -- garbage input -----------------------------------------------------------------------------


def test_alta_rejects_bad_bodies(sim: Simulator) -> None:
    for body in (b"{not json", b"[1]", b'{"pauseProspects": "yes"}', b'{"resumeProspects": true}'):
        r = call(sim, "alta", f"POST /campaigns/{ALTA}/pause", content=body)
        assert r.status_code == 400, body
        assert r.json() == {"error": "ValidationError", "message": "Invalid request body"}
    assert sim.campaign_status("alta", ALTA) == "active"


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /leadlex/v1/campaigns/x HTTP/1.1\r\n" + b"X-Big: y\r\n" * 200 + b"\r\n", 431),
        (b"GET /leadlex/v1/campaigns/x HTTP/1.1\r\nX-Big: " + b"y" * 70000 + b"\r\n\r\n", 431),
        (b"POST /alta/campaigns/x/pause HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
        (b"POST /alta/campaigns/x/pause HTTP/1.1\r\nContent-Length: 9999999\r\n\r\n", 413),
        (b"POST /alta/campaigns/x/pause HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
        (b"BREW /woodpecker/v2/campaigns/12345 HTTP/1.1\r\n\r\n", 501),
        (b"\x16\x03\x01garbage\r\n\r\n", 400),
    ],
    ids=["many-headers", "huge-header", "bad-length", "too-long", "chunked", "method", "tls"],
)
def test_garbage_gets_an_answer_and_the_server_survives(
    sim: Simulator, request_bytes: bytes, status: int
) -> None:
    assert raw_exchange(sim, request_bytes).startswith(f"HTTP/1.1 {status} ".encode())
    assert call(sim, "woodpecker", "GET /v2/campaigns/12345").status_code == 200


def test_client_hanging_up_mid_body_is_harmless(sim: Simulator) -> None:
    with socket.create_connection(("127.0.0.1", sim.port), timeout=5) as sock:
        sock.sendall(b"POST /alta/campaigns/x/pause HTTP/1.1\r\nContent-Length: 50\r\n\r\n{")
    assert call(sim, "alta", f"GET /campaigns/{ALTA}").status_code == 200


def test_simulator_bug_answers_500(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Leadlex, "act", explode)
    r = call(sim, "leadlex", "GET /v1/campaigns/cmp_abc123")
    assert r.status_code == 500
    assert r.json()["message"] == "sandbox simulator error: RuntimeError"


def test_never_writes_to_stdout_or_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    with Simulator(faults=[Fault("drop", count=1)]) as sim:
        with pytest.raises(httpx.RemoteProtocolError):
            call(sim, "leadlex", "GET /v1/campaigns/cmp_abc123")
        call(sim, "leadlex", "GET /v1/campaigns/cmp_abc123")
        call(sim, "leadlex", "GET /v1/campaigns/cmp_abc123", key="bad")
        raw_exchange(sim, b"BREW / HTTP/1.1\r\n\r\n")
        raw_exchange(sim, b"\x00\x01\x02\r\n\r\n")
    assert capfd.readouterr() == ("", "")


# -- limits ------------------------------------------------------------------------------------


def _concurrent(
    sim: Simulator, vendor: str, keys: list[str], path: str
) -> list[tuple[int, float, bytes]]:
    """Connect once per key, then send all the GETs at once: (status, seconds, body) each."""
    barrier = threading.Barrier(len(keys))

    def one(key: str) -> tuple[int, float, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=10)
        conn.connect()
        barrier.wait()
        started = time.monotonic()
        conn.request("GET", f"/{vendor}{path}", headers=auth(vendor, key))
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, time.monotonic() - started, body

    with ThreadPoolExecutor(len(keys)) as pool:
        return list(pool.map(one, keys))


def test_woodpecker_processes_one_request_at_a_time() -> None:
    with Simulator(latency_ms=50) as sim:
        started = time.monotonic()
        results = _concurrent(sim, "woodpecker", [SANDBOX_API_KEY] * 7, "/v2/campaigns/12345")
        assert [status for status, _, _ in results] == [200] * 7
        assert time.monotonic() - started >= 0.35
        assert sim.max_in_flight("woodpecker") == 1


TOO_MANY = {
    "code": "E_TOO_MANY_REQUESTS",
    "message": "too many requests simultaneously",
    "details": None,
}


def test_woodpecker_turns_away_requests_beyond_six_waiting() -> None:
    with Simulator(latency_ms=250) as sim:
        results = _concurrent(sim, "woodpecker", [SANDBOX_API_KEY] * 12, "/v2/campaigns/12345")
        assert sorted(status for status, _, _ in results) == [200] * 7 + [429] * 5
        for status, seconds, body in results:
            if status == 429:
                assert json.loads(body) == TOO_MANY
                assert seconds < 0.2  # answered at once, not after queueing
        assert len(sim.requests) == 12  # turned-away requests are recorded too
        assert sim.max_in_flight("woodpecker") == 1


def test_woodpecker_queue_timeout() -> None:
    with Simulator(latency_ms=300, queue_timeout=0.1) as sim, ThreadPoolExecutor(1) as pool:
        first = pool.submit(call, sim, "woodpecker", "GET /v2/campaigns/12345")
        wait_until(lambda: sim.max_in_flight("woodpecker") == 1)
        started = time.monotonic()
        r = call(sim, "woodpecker", "POST /v2/campaigns/12345/pause")
        assert 0.09 <= time.monotonic() - started < 0.25  # waited out the queue timeout
        assert (r.status_code, r.json()) == (429, TOO_MANY)
        assert first.result().status_code == 200
        assert sim.campaign_status("woodpecker", "12345") == "RUNNING"


def test_woodpecker_queue_is_per_key_and_others_run_in_parallel() -> None:
    with Simulator(latency_ms=200) as sim:
        results = _concurrent(sim, "woodpecker", [SANDBOX_API_KEY, "other"], "/v2/campaigns/12345")
        assert sorted(s for s, _, _ in results) == [200, 401]
        assert sim.max_in_flight("woodpecker") == 2
        _concurrent(sim, "leadlex", [SANDBOX_API_KEY] * 4, "/v1/campaigns/cmp_abc123")
        assert sim.max_in_flight("leadlex") == 4


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_alta_sliding_window() -> None:
    clock = FakeClock()
    with (
        Simulator(clock=clock) as sim,
        httpx.Client(base_url=sim.base_url("alta"), headers=auth("alta")) as client,
    ):
        url = f"/campaigns/{ALTA}"
        for _ in range(50):
            assert client.get(url).status_code == 200
        clock.now += 30
        for _ in range(50):
            r = client.get(url)
            assert r.status_code == 200
        assert r.headers["RateLimit-Limit"] == "100"
        assert r.headers["RateLimit-Remaining"] == "0"

        r = client.post(f"{url}/pause")
        assert r.status_code == 429
        assert r.json() == {
            "error": "TooManyRequests",
            "message": "Rate limit exceeded. Please retry after 30 seconds.",
        }
        assert (r.headers["Retry-After"], r.headers["RateLimit-Remaining"]) == ("30", "0")
        assert sim.campaign_status("alta", ALTA) == "active"

        clock.now += 29.5  # a rolling window: still full half a second before the first expire
        r = client.get(url)
        assert (r.status_code, r.headers["Retry-After"]) == (429, "1")
        clock.now += 0.5
        r = client.get(url)
        assert (r.status_code, r.headers["RateLimit-Remaining"]) == (200, "49")
        assert "Retry-After" not in r.headers


def test_latency_applies_to_every_request_and_can_change_while_running(sim: Simulator) -> None:
    sim.latency_ms = 300
    started = time.monotonic()
    assert call(sim, "leadterra", "GET /v1/nope", key="bad").status_code == 401
    assert time.monotonic() - started >= 0.3
    sim.latency_ms = 0
    started = time.monotonic()
    call(sim, "leadterra", "GET /v1/campaigns/camp_123/stats")
    assert time.monotonic() - started < 0.25


# -- faults ------------------------------------------------------------------------------------

GENERIC_503 = {
    "leadlex": {"error": {"code": "service_unavailable", "message": "Service Unavailable"}},
    "leadterra": {"code": "service_unavailable", "message": "Service Unavailable"},
    "voicegenie": {
        "success": False,
        "message": "Service Unavailable",
        "error": "SERVICE_UNAVAILABLE",
    },
    "alta": {"error": "ServiceUnavailable", "message": "Service Unavailable"},
    "woodpecker": {"type": "UNKNOWN", "message": "Unknown error, try again later", "details": None},
    "instantly": {
        "statusCode": 503,
        "error": "Service Unavailable",
        "message": "Service Unavailable",
    },
    "lemlist": "Service Unavailable",
    "smartlead": {"error": {"code": "SERVICE_UNAVAILABLE", "message": "Service Unavailable"}},
}


@pytest.mark.parametrize("vendor", VENDORS)
def test_status_fault_uses_the_vendor_error_shape_and_changes_nothing(vendor: str) -> None:
    with Simulator(faults=[Fault("status", count=2)]) as sim:
        for _ in range(2):
            r = call(sim, vendor, PAUSE[vendor])
            assert (r.status_code, body_of(r)) == (503, GENERIC_503[vendor])
        assert sim.campaign_status(vendor, RUNNING[vendor]) in (
            "active",
            "running",
            "RUNNING",
            "ACTIVE",
        )
        assert call(sim, vendor, PAUSE[vendor]).status_code == 200
        assert sim.campaign_status(vendor, RUNNING[vendor]) in ("paused", "PAUSED")


def test_status_fault_html_page(sim: Simulator) -> None:
    sim.add_fault(Fault("status", status=502, html=True, count=1))
    r = call(sim, "alta", f"GET /campaigns/{ALTA}")
    assert r.status_code == 502
    assert r.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in r.text


def test_rate_limit_fault(sim: Simulator) -> None:
    sim.add_fault(Fault("rate_limit", retry_after=2, vendor="alta", count=1))
    sim.add_fault(Fault("rate_limit", retry_after=0.5, vendor="woodpecker", count=1))
    date = "Wed, 21 Oct 2026 07:28:00 GMT"
    sim.add_fault(Fault("rate_limit", retry_after=date, vendor="leadlex", count=1))
    r = call(sim, "alta", f"POST /campaigns/{ALTA}/pause")
    assert (r.status_code, r.headers["retry-after"]) == (429, "2")
    assert r.json()["message"] == "Rate limit exceeded. Please retry after 2 seconds."
    r = call(sim, "woodpecker", "POST /v2/campaigns/12345/pause")
    assert (r.status_code, r.headers["retry-after"]) == (429, "0.5")
    assert r.json()["code"] == "E_TOO_MANY_REQUESTS"
    r = call(sim, "leadlex", "POST /v1/campaigns/cmp_abc123/pause")
    assert (r.status_code, r.headers["retry-after"]) == (429, date)
    assert r.json() == {"error": {"code": "rate_limited", "message": "Rate limit exceeded"}}
    r = call(sim, "voicegenie", f"GET /pauseTheCampaign/{VG}")
    assert r.status_code == 200
    sim.add_fault(Fault("rate_limit", vendor="voicegenie", count=1))
    r = call(sim, "voicegenie", f"GET /startCampaign/{VG}")
    assert (r.status_code, r.headers["retry-after"]) == (429, "1")
    assert r.json() == {"success": False, "message": "Rate limit exceeded. Please try again later."}


def test_malformed_fault(sim: Simulator) -> None:
    sim.add_fault(Fault("malformed", vendor="leadlex", count=1))
    r = call(sim, "leadlex", "POST /v1/campaigns/cmp_abc123/pause")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    with pytest.raises(ValueError, match="Unterminated string"):
        r.json()
    assert sim.campaign_status("leadlex", "cmp_abc123") == "active"


def test_drop_fault_closes_without_answering(sim: Simulator) -> None:
    sim.add_fault(Fault("drop", count=1))
    with httpx.Client(headers=auth("woodpecker")) as client:
        url = sim.base_url("woodpecker") + "/v2/campaigns/12345/pause"
        with pytest.raises(httpx.RemoteProtocolError):
            client.post(url)
        assert sim.campaign_status("woodpecker", "12345") == "RUNNING"
        assert client.post(url).status_code == 200


def test_redirect_fault(sim: Simulator) -> None:
    sim.add_fault(Fault("redirect", count=1))
    r = call(sim, "woodpecker", "POST /v2/campaigns/12345/pause")
    assert r.status_code == 302
    assert r.headers["location"] == "https://elsewhere.example/woodpecker/v2/campaigns/12345/pause"
    assert sim.campaign_status("woodpecker", "12345") == "RUNNING"


def test_slow_fault_times_the_client_out_but_the_action_lands(sim: Simulator) -> None:
    sim.add_fault(Fault("slow", seconds=0.4, count=1))
    with pytest.raises(httpx.ReadTimeout):
        call(sim, "woodpecker", "POST /v2/campaigns/12345/pause", timeout=0.1)
    assert sim.campaign_status("woodpecker", "12345") == "RUNNING"
    wait_until(lambda: sim.campaign_status("woodpecker", "12345") == "PAUSED", timeout=2)


def test_fault_filters_order_and_counts(sim: Simulator) -> None:
    sim.add_fault(Fault("status", status=500, vendor="woodpecker", campaign_id="12346", count=1))
    sim.add_fault(Fault("status", status=502, vendor="woodpecker", count=2))
    sim.add_fault(Fault("status", status=504, vendor="woodpecker"))
    statuses = [call(sim, "woodpecker", "GET /v2/campaigns/12345").status_code for _ in range(3)]
    assert statuses == [502, 502, 504]
    assert call(sim, "woodpecker", "GET /v2/campaigns/12346").status_code == 500
    assert call(sim, "woodpecker", "GET /v2/campaigns/12346").status_code == 504
    assert call(sim, "leadlex", "GET /v1/campaigns/cmp_abc123").status_code == 200


def test_same_fault_object_counts_separately_per_simulator() -> None:
    fault = Fault.parse("status:503*1")
    for _ in range(2):
        with Simulator(faults=[fault]) as sim:
            assert call(sim, "alta", f"GET /campaigns/{ALTA}").status_code == 503
            assert call(sim, "alta", f"GET /campaigns/{ALTA}").status_code == 200


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("status", Fault("status")),
        ("status:503*2", Fault("status", status=503, count=2)),
        ("status:502:html@leadlex", Fault("status", status=502, html=True, vendor="leadlex")),
        ("rate_limit:2@alta", Fault("rate_limit", retry_after=2, vendor="alta")),
        ("rate_limit:0.5", Fault("rate_limit", retry_after=0.5)),
        (
            "rate_limit:Wed, 21 Oct 2026 07:28:00 GMT*3",
            Fault("rate_limit", retry_after="Wed, 21 Oct 2026 07:28:00 GMT", count=3),
        ),
        ("drop*1", Fault("drop", count=1)),
        ("malformed@leadlex", Fault("malformed", vendor="leadlex")),
        ("redirect", Fault("redirect")),
        ("slow:30", Fault("slow", seconds=30)),
        ("slow", Fault("slow")),
        (
            " slow:0.5@woodpecker:12345*1 ",
            Fault("slow", seconds=0.5, vendor="woodpecker", campaign_id="12345", count=1),
        ),
    ],
)
def test_fault_parse(spec: str, expected: Fault) -> None:
    assert Fault.parse(spec) == expected


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "explode",
        "status:abc",
        "status:99",
        "status:503:xml",
        "drop:5",
        "malformed:x",
        "slow:soon",
        "slow:-1",
        "rate_limit:later",
        "status@nowhere",
        "status@",
        "status*0",
        "status*many",
        "status*",
    ],
)
def test_fault_parse_rejects_bad_specs(spec: str) -> None:
    with pytest.raises(ValueError, match=r"^bad fault spec ") as info:
        Fault.parse(spec)
    assert "\n" not in str(info.value)
    assert repr(spec) in str(info.value)


# -- helpers for the CLI -----------------------------------------------------------------------


def test_render_providers_toml(sim: Simulator) -> None:
    text = render_providers_toml(sim)
    assert "export CAMPCTL_SANDBOX_KEY=sandbox-key" in text
    providers = tomllib.loads(text)["providers"]
    assert list(providers) == list(VENDORS)
    for vendor, profile in providers.items():
        assert profile == {
            "vendor": vendor,
            "base_url": f"http://127.0.0.1:{sim.port}/{vendor}",
            "api_key_env": "CAMPCTL_SANDBOX_KEY",
        }


def test_campaign_ids_are_valid_unique_and_seeded() -> None:
    formats = {
        "leadlex": r"cmp_bench_\d{4}",
        "leadterra": r"camp_bench_\d{4}",
        "voicegenie": r"vg_bench_\d{4}",
        "alta": UUID.pattern,
        "woodpecker": r"[1-9]\d*",
        "instantly": UUID.pattern,
        "lemlist": r"cam_bench\d{8}",
        "smartlead": r"[1-9]\d*",
    }
    for vendor in VENDORS:
        ids = campaign_ids(vendor, 300)
        assert len(set(ids)) == 300
        assert all(re.fullmatch(formats[vendor], i) for i in ids), vendor
        assert campaign_ids(vendor, 3) == ids[:3]
    assert campaign_ids("woodpecker", 2) == ["100001", "100002"]
    assert campaign_ids("leadlex", 1) == ["cmp_bench_0001"]
    assert campaign_ids("alta", 63)[-1] == "a17a0000-0000-4000-8000-000000000063"  # decimal
    with pytest.raises(ValueError, match="unknown vendor"):
        campaign_ids("mailchimp", 1)
    with Simulator(extra_campaigns=3) as sim:
        for vendor in VENDORS:
            for cid in campaign_ids(vendor, 3):
                assert sim.campaign_status(vendor, cid) in (
                    "active",
                    "running",
                    "RUNNING",
                    "ACTIVE",
                )
            assert sim.campaign_status(vendor, campaign_ids(vendor, 4)[-1]) is None
        cid = campaign_ids("woodpecker", 1)[0]
        assert call(sim, "woodpecker", f"POST /v2/campaigns/{cid}/pause").status_code == 200


def test_docstring_table_matches_the_seeds(sim: Simulator) -> None:
    doc = campctl.sandbox.__doc__ or ""
    rows = re.findall(r"^\| (\w+) +\| (\S+) +\| (\w+) +\|", doc, re.MULTILINE)
    rows = [row for row in rows if row[0] in VENDORS]
    named = {
        (vendor, c.id)
        for vendor, cls in simulated().items()
        for c in cls.seed()
        if not c.id.startswith(("a17a5eed-", "5a0e0000-", "cam_gen"))  # generated: described apart
    }
    assert {(vendor, cid) for vendor, cid, _ in rows} == named
    assert len(rows) == len(named) == 53
    for vendor, cid, status in rows:
        assert sim.campaign_status(vendor, cid) == status, (vendor, cid)
    assert len(Alta.seed()) == 105
    assert len(VoiceGenie.seed()) == 12


# -- lifecycle ---------------------------------------------------------------------------------


def test_public_api_misuse() -> None:
    sim = Simulator()
    with pytest.raises(ValueError, match="unknown vendor"):
        sim.base_url("mailchimp")
    with pytest.raises(ValueError, match="extra_campaigns"):
        Simulator(extra_campaigns=-1)
    sim.stop()  # stopping a never-started simulator is harmless
    sim.start()
    try:
        assert sim.port > 0
        assert sim.base_url("alta") == f"http://127.0.0.1:{sim.port}/alta"
        with pytest.raises(RuntimeError):
            sim.start()
    finally:
        sim.stop()
    sim.stop()


def test_fixed_port(sim: Simulator) -> None:
    taken = sim.port
    sim.stop()
    with Simulator(port=taken) as again:
        assert again.port == taken
        assert call(again, "leadlex", "GET /v1/campaigns/cmp_abc123").status_code == 200


def test_stop_is_prompt_with_busy_and_idle_connections() -> None:
    sim = Simulator(latency_ms=30_000).start()
    idle = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    idle.connect()
    lines = [
        ("leadlex", "GET /v1/campaigns/cmp_abc123"),
        ("woodpecker", "GET /v2/campaigns/12345"),
        ("woodpecker", "GET /v2/campaigns/12346"),  # queued behind the one above
    ]
    with ThreadPoolExecutor(len(lines)) as pool:
        pending = [pool.submit(call, sim, v, line, timeout=10) for v, line in lines]
        wait_until(lambda: len(sim.requests) == len(lines))
        started = time.monotonic()
        sim.stop()
        assert time.monotonic() - started < 1.0
        for future in pending:  # answered or cut off, but none waits out its 30 s latency
            with contextlib.suppress(httpx.HTTPError):
                future.result(timeout=2)
    idle.close()
    with pytest.raises(httpx.ConnectError):
        HTTP.get(f"http://127.0.0.1:{sim.port}/leadlex/v1/campaigns/cmp_abc123")


# -- Leadterra's timestamps and the Date header -------------------------------------------------


def _age(stamp: str, response: httpx.Response) -> float:
    """Seconds between `stamp` and the answer's own Date header."""
    sent = email.utils.parsedate_to_datetime(response.headers["date"])
    return (sent - datetime.fromisoformat(stamp.replace("Z", "+00:00"))).total_seconds()


def test_leadterra_timestamps_tell_a_fresh_pause_from_a_repeat(sim: Simulator) -> None:
    r = call(sim, "leadterra", "POST /v1/campaigns/camp_paused/pause")  # seeded paused
    assert r.json() == {"id": "camp_paused", "status": "paused", "pausedAt": SEED}
    assert _age(SEED, r) > 86_400  # clearly older than the request
    first = call(sim, "leadterra", "POST /v1/campaigns/camp_123/pause")
    paused_at = first.json()["pausedAt"]
    assert abs(_age(paused_at, first)) <= 2  # a pause that lands: now
    again = call(sim, "leadterra", "POST /v1/campaigns/camp_123/pause")
    assert again.json() == first.json()  # a repeat: the original pausedAt
    started = call(sim, "leadterra", "POST /v1/campaigns/camp_123/start")
    assert abs(_age(started.json()["startedAt"], started)) <= 2
    assert call(sim, "leadterra", "POST /v1/campaigns/camp_123/start").json() == started.json()
    r = call(sim, "leadterra", "POST /v1/campaigns/camp_paused/start")
    assert r.json()["status"] == "running"


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_answer_has_a_date_header(sim: Simulator, vendor: str) -> None:
    for key in (SANDBOX_API_KEY, "wrong"):
        r = call(sim, vendor, PAUSE[vendor], key=key)
        sent = email.utils.parsedate_to_datetime(r.headers["date"])
        assert abs((sent - datetime.now(UTC)).total_seconds()) < 5


def test_refusals_under_the_documented_limits_are_counted() -> None:
    """The benchmarks assert a client never exceeds a vendor's window with this counter."""
    clock = [0.0]
    with Simulator(clock=lambda: clock[0]) as sim:
        url = f"{sim.base_url('alta')}/campaigns/{ALTA}"
        answers = [HTTP.get(url, headers=auth("alta")).status_code for _ in range(101)]
        assert answers.count(429) == 1
        assert sim.rate_limited("alta") == 1
        assert sim.rate_limited("woodpecker") == 0
