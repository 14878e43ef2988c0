"""Leadlex adapter against every response in vendor-docs/leadlex.md, over a real HttpTransport.

Leadlex documents its error *codes* but not the error body, so every error row is replayed in
the three shapes PRODUCT.md says to read (and with no readable body at all).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from campctl.providers.base import Action, InvalidCampaignId
from campctl.providers.leadlex.adapter import LeadlexAdapter
from campctl.results import ErrorKind, Outcome
from tests.helpers import IDS, TEST_KEY, act, url
from tests.providers.common import JSON, SHAPES, assert_failed, fixture_loader, respond, shaped

VENDOR = "leadlex"
CAMPAIGN = IDS[VENDOR]

REQUESTS = {
    Action.PAUSE: ("POST", f"/v1/campaigns/{CAMPAIGN}/pause"),
    Action.RESUME: ("POST", f"/v1/campaigns/{CAMPAIGN}/start"),
    Action.STATUS: ("GET", f"/v1/campaigns/{CAMPAIGN}"),
}
ACTIONS = list(REQUESTS)


fixture = fixture_loader(VENDOR)


def mock(
    router: respx.MockRouter,
    action: Action,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> respx.Route:
    method, path = REQUESTS[action]
    return respond(router, VENDOR, method, path, status, body, JSON if headers is None else headers)


# -- the request ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_request_method_path_and_bearer_key(respx_mock: respx.MockRouter, action: Action) -> None:
    body = {
        Action.PAUSE: "pause_200.json",
        Action.RESUME: "start_active.json",
        Action.STATUS: "get_200.json",
    }[action]
    route = mock(respx_mock, action, 200, fixture(body))

    act(VENDOR, action, key="wbk_live_9f8e7d")

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == REQUESTS[action][0]
    assert request.url == url(VENDOR, REQUESTS[action][1])
    assert request.url.path == "/functions/v1/api-gateway" + REQUESTS[action][1]
    assert request.headers["authorization"] == "Bearer wbk_live_9f8e7d"
    assert "x-api-key" not in request.headers
    assert request.content == b""  # no body is documented for any of the three


# -- documented success bodies ----------------------------------------------------------------


def test_pause_200_is_done_paused(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.PAUSE, 200, fixture("pause_200.json"))

    verdict = act(VENDOR, Action.PAUSE)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == "paused"
    assert verdict.at == "2026-04-17T14:30:00Z"
    assert verdict.message == "campaign paused"
    assert verdict.http_status == 200
    assert verdict.error is None
    assert verdict.details == {"vendor_status": "paused"}
    assert verdict.attempts == 1


def test_start_pending_approval_is_done_and_says_approval_is_needed(
    respx_mock: respx.MockRouter,
) -> None:
    mock(respx_mock, Action.RESUME, 200, fixture("start_pending_approval.json"))

    verdict = act(VENDOR, Action.RESUME)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == "pending_approval"
    assert verdict.details == {"task_id": "lexi-task-uuid", "vendor_status": "pending_approval"}
    assert "approval needed" in verdict.message
    assert "lexi-task-uuid" in verdict.message
    assert verdict.http_status == 200
    assert verdict.error is None


def test_start_active_without_task_is_done(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.RESUME, 200, fixture("start_active.json"))

    verdict = act(VENDOR, Action.RESUME)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == "running"  # Leadlex's "active"
    assert verdict.message == "campaign started"
    assert "approval" not in verdict.message
    assert verdict.details == {"vendor_status": "active"}
    assert verdict.http_status == 200


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("draft", "draft"),
        ("active", "running"),
        ("ACTIVE", "running"),
        ("paused", "paused"),
        ("completed", "completed"),
        ("pending_approval", "pending_approval"),
        ("PAUSED", "paused"),
        ("archived", "archived"),
    ],
)
def test_status_reads_data_campaign_status(
    respx_mock: respx.MockRouter, raw: str, status: str
) -> None:
    body = json.loads(fixture("get_200.json"))
    body["data"]["campaign"]["status"] = raw
    mock(respx_mock, Action.STATUS, 200, json.dumps(body).encode())

    verdict = act(VENDOR, Action.STATUS)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == status
    assert verdict.details == {"vendor_status": raw}
    assert verdict.message == f"campaign is {status}"
    assert verdict.http_status == 200
    assert verdict.error is None


def test_status_fixture_as_documented(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.STATUS, 200, fixture("get_200.json"))

    verdict = act(VENDOR, Action.STATUS)

    assert (verdict.outcome, verdict.status) == (Outcome.DONE, "paused")


# -- 409 on pause: "not active" is a noop, in any error shape ---------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_pause_409_campaign_not_active_is_noop(respx_mock: respx.MockRouter, shape: str) -> None:
    body = shaped(shape, "campaign_not_active", "Campaign is not in active status")
    mock(respx_mock, Action.PAUSE, 409, body)

    verdict = act(VENDOR, Action.PAUSE)

    assert verdict.outcome is Outcome.NOOP
    assert verdict.error is None
    assert verdict.http_status == 409
    assert verdict.status is None
    assert "not active" in verdict.message


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"", {}),
        (b"<html><body>409 Conflict</body></html>", {"content-type": "text/html"}),
        (b"Conflict", {"content-type": "text/plain"}),
        (b'{"message": "Campaign is not in active status"}', JSON),
        (b"[]", JSON),
        (b'{"error": {"code": 409', JSON),
    ],
    ids=["empty", "html", "text", "message-only", "list", "truncated"],
)
def test_pause_409_without_readable_code_is_noop(
    respx_mock: respx.MockRouter, body: bytes, headers: dict[str, str]
) -> None:
    mock(respx_mock, Action.PAUSE, 409, body, headers)

    verdict = act(VENDOR, Action.PAUSE)

    assert verdict.outcome is Outcome.NOOP
    assert verdict.error is None
    assert verdict.http_status == 409


@pytest.mark.parametrize("shape", SHAPES)
def test_pause_409_other_code_is_conflict(respx_mock: respx.MockRouter, shape: str) -> None:
    body = shaped(shape, "campaign_locked", "Campaign is being edited")
    mock(respx_mock, Action.PAUSE, 409, body)

    verdict = act(VENDOR, Action.PAUSE)

    assert_failed(verdict, ErrorKind.CONFLICT, 409, "campaign_locked")
    assert verdict.error is not None
    assert verdict.error.message == "Campaign is being edited (HTTP 409)"


def test_pause_409_on_retry_after_an_attempt_that_may_have_landed_is_noop(
    respx_mock: respx.MockRouter,
) -> None:
    method, path = REQUESTS[Action.PAUSE]
    route = respx_mock.route(method=method, url=url(VENDOR, path))
    route.side_effect = [
        httpx.Response(503),
        httpx.Response(409, json={"error": {"code": "campaign_not_active", "message": "x"}}),
    ]

    verdict = act(VENDOR, Action.PAUSE, retries=2)

    assert route.call_count == 2
    assert verdict.outcome is Outcome.NOOP
    assert verdict.attempts == 2
    assert "an earlier attempt may have landed" in verdict.message


# -- documented error tables ------------------------------------------------------------------

ERRORS = [
    # pause
    (Action.PAUSE, 401, "invalid_key", "Invalid or expired API key", ErrorKind.AUTH),
    (
        Action.PAUSE,
        403,
        "insufficient_permissions",
        "Missing campaigns:write permission",
        ErrorKind.PERMISSION,
    ),
    (Action.PAUSE, 404, "campaign_not_found", "No campaign with this ID", ErrorKind.NOT_FOUND),
    (Action.PAUSE, 429, "rate_limited", "Rate limit exceeded", ErrorKind.RATE_LIMITED),
    # start
    (
        Action.RESUME,
        400,
        "validation_error",
        "Campaign is empty or already running",
        ErrorKind.INVALID_REQUEST,
    ),
    (Action.RESUME, 401, "invalid_key", "Invalid API key", ErrorKind.AUTH),
    (
        Action.RESUME,
        403,
        "insufficient_permissions",
        "Missing write permission",
        ErrorKind.PERMISSION,
    ),
    (Action.RESUME, 404, "not_found", "Campaign not found", ErrorKind.NOT_FOUND),
    (Action.RESUME, 429, "rate_limited", "Rate limit exceeded", ErrorKind.RATE_LIMITED),
    # status (the get page lists no errors; these are the stats page's, same resource)
    (Action.STATUS, 401, "invalid_key", "Invalid or expired API key", ErrorKind.AUTH),
    (
        Action.STATUS,
        403,
        "insufficient_permissions",
        "Missing campaigns:read permission",
        ErrorKind.PERMISSION,
    ),
    (Action.STATUS, 404, "campaign_not_found", "No campaign with this ID", ErrorKind.NOT_FOUND),
    (Action.STATUS, 429, "rate_limited", "Rate limit exceeded", ErrorKind.RATE_LIMITED),
]


def _row_id(row: tuple[Action, int, str, str, ErrorKind]) -> str:
    return f"{row[0].value}-{row[1]}-{row[2]}"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    ("action", "status", "code", "message", "kind"), ERRORS, ids=[_row_id(r) for r in ERRORS]
)
def test_documented_error(
    respx_mock: respx.MockRouter,
    action: Action,
    status: int,
    code: str,
    message: str,
    kind: ErrorKind,
    shape: str,
) -> None:
    route = mock(respx_mock, action, status, shaped(shape, code, message))

    verdict = act(VENDOR, action)

    assert route.call_count == 1  # retries=0: one attempt, also for 429
    assert verdict.attempts == 1
    assert_failed(verdict, kind, status, code)
    assert verdict.error is not None
    assert verdict.error.message.startswith(f"{message} (HTTP {status})")
    assert verdict.message == verdict.error.message


def test_start_400_validation_error_explains_both_causes(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.RESUME, 400, shaped("error-string", "validation_error", "Invalid"))

    verdict = act(VENDOR, Action.RESUME)

    assert_failed(verdict, ErrorKind.INVALID_REQUEST, 400, "validation_error")
    assert "empty or already running" in verdict.message
    assert verdict.error is not None
    assert verdict.error.message == verdict.message


@pytest.mark.parametrize(
    ("action", "status", "kind", "default"),
    [
        (Action.PAUSE, 401, ErrorKind.AUTH, "the vendor rejected the API key"),
        (Action.PAUSE, 403, ErrorKind.PERMISSION, "the API key lacks permission"),
        (Action.PAUSE, 404, ErrorKind.NOT_FOUND, "campaign not found"),
        (Action.PAUSE, 429, ErrorKind.RATE_LIMITED, "rate limited by the vendor"),
        (Action.RESUME, 400, ErrorKind.INVALID_REQUEST, "the vendor rejected the request"),
        (Action.RESUME, 409, ErrorKind.CONFLICT, "the campaign's state does not allow"),
        (Action.STATUS, 404, ErrorKind.NOT_FOUND, "campaign not found"),
        (Action.STATUS, 500, ErrorKind.VENDOR_ERROR, "the vendor had a server error"),
    ],
)
def test_error_without_readable_body_is_classified_by_status(
    respx_mock: respx.MockRouter, action: Action, status: int, kind: ErrorKind, default: str
) -> None:
    mock(respx_mock, action, status, b"", {})

    verdict = act(VENDOR, action)

    assert_failed(verdict, kind, status, None)
    assert verdict.error is not None
    assert verdict.error.message.startswith(default)
    assert f"(HTTP {status})" in verdict.error.message


def test_429_with_retry_after_says_when_to_try_again(respx_mock: respx.MockRouter) -> None:
    mock(
        respx_mock,
        Action.PAUSE,
        429,
        shaped("error-object", "rate_limited", "Rate limit exceeded"),
        {**JSON, "retry-after": "120"},
    )

    verdict = act(VENDOR, Action.PAUSE, retries=3)

    assert verdict.attempts == 1  # 120 s is beyond the 60 s ceiling: not retried
    assert_failed(verdict, ErrorKind.RATE_LIMITED, 429, "rate_limited")
    assert "wait 120 s" in verdict.message
    assert "try again after" in verdict.message


# -- bodies that are not what Leadlex documents -----------------------------------------------

MALFORMED = [
    (b"<!doctype html><html><body>Sign in</body></html>", "an HTML page"),
    (b"", "empty body"),
    (b"   \n", "empty body"),
    (b'{"data": {"campaign": {"id": "cmp_abc123", "status": "pau', "invalid or truncated JSON"),
    (b'[{"status": "paused"}]', "missing field 'data"),
    (b"null", "missing field 'data"),
    (b'{"data": []}', "missing field 'data."),
    (b'"paused"', "missing field 'data"),
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("body", "detail"),
    MALFORMED,
    ids=["html", "empty", "blank", "truncated", "list", "null", "data-list", "string"],
)
def test_malformed_200_is_bad_response(
    respx_mock: respx.MockRouter, action: Action, body: bytes, detail: str
) -> None:
    mock(respx_mock, action, 200, body)

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert detail in verdict.message
    assert "Leadlex" in verdict.message


@pytest.mark.parametrize(
    ("action", "body", "detail"),
    [
        (
            Action.PAUSE,
            {"data": {"id": "cmp_abc123", "status": "paused"}},
            "missing field 'data.campaign'",
        ),
        (Action.PAUSE, {"campaign": {"status": "paused"}}, "missing field 'data'"),
        (Action.PAUSE, {"data": {"campaign": {"id": "cmp_abc123"}}}, "missing field 'status'"),
        (Action.PAUSE, {"data": {"campaign": {"status": None}}}, "field 'status' is not a string"),
        (
            Action.RESUME,
            {"data": {"campaign_id": "c", "task_id": None}},
            "missing field 'data.status'",
        ),
        (Action.RESUME, {"data": {"status": 1}}, "field 'data.status' is not a string"),
        (Action.STATUS, {"data": {"status": "paused"}}, "missing field 'data.campaign'"),
        (
            Action.STATUS,
            {"data": {"campaign": {"status": ["paused"]}}},
            "field 'data.campaign.status' is not a string",
        ),
    ],
)
def test_200_missing_documented_field_is_bad_response(
    respx_mock: respx.MockRouter, action: Action, body: dict[str, Any], detail: str
) -> None:
    mock(respx_mock, action, 200, json.dumps(body).encode())

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert verdict.message == f"unexpected answer from Leadlex (HTTP 200): {detail}"


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_is_bad_response_naming_the_host(
    respx_mock: respx.MockRouter, action: Action, status: int
) -> None:
    route = mock(respx_mock, action, status, b"", {"location": "https://evil.example/x"})

    verdict = act(VENDOR, action)

    assert route.call_count == 1  # not followed, not retried
    assert_failed(verdict, ErrorKind.BAD_RESPONSE, status, None)
    assert "evil.example" in verdict.message
    assert verdict.error is not None
    assert "evil.example" in verdict.error.message


# -- campaign IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "campaign_id",
    ["cmp_abc123", "campaign-uuid", "550e8400-e29b-41d4-a716-446655440000", "A", "x" * 128],
)
def test_check_id_accepts(campaign_id: str) -> None:
    LeadlexAdapter.check_id(campaign_id)


@pytest.mark.parametrize(
    "campaign_id",
    [
        "../x",
        "12 3",
        "a/b",
        "",
        "x" * 129,
        "cmp_abc123\n",
        "cmp?x=1",
        "cmp#frag",
        "cmp%2F",
        "cmp.abc",
        "cmp_é",
    ],
)
def test_check_id_rejects(campaign_id: str) -> None:
    with pytest.raises(InvalidCampaignId, match="not a valid Leadlex campaign ID"):
        LeadlexAdapter.check_id(campaign_id)


def test_default_key_is_sent_as_bearer(respx_mock: respx.MockRouter) -> None:
    route = mock(respx_mock, Action.STATUS, 200, fixture("get_200.json"))

    act(VENDOR, Action.STATUS)

    assert route.calls.last.request.headers["authorization"] == f"Bearer {TEST_KEY}"
