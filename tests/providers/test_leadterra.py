"""Leadterra adapter against every response in vendor-docs/leadterra.md, over a real HttpTransport.

Leadterra's pause and start are idempotent: they answer 200 with the campaign's current state.
Its error bodies are not documented, so every error row is replayed in the three shapes
PRODUCT.md names, and with no readable body.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx

from campctl.errors import UsageError
from campctl.providers.base import Action
from campctl.providers.leadterra import LeadterraAdapter
from campctl.results import ErrorKind, Outcome
from tests.helpers import IDS, act, url
from tests.providers.common import JSON, SHAPES, assert_failed, fixture_loader, respond, shaped

VENDOR = "leadterra"
CAMPAIGN = IDS[VENDOR]

REQUESTS = {
    Action.PAUSE: ("POST", f"/v1/campaigns/{CAMPAIGN}/pause"),
    Action.RESUME: ("POST", f"/v1/campaigns/{CAMPAIGN}/start"),
}
ACTIONS = list(REQUESTS)
SUCCESS = {Action.PAUSE: "pause_200.json", Action.RESUME: "start_200.json"}


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
    route = mock(respx_mock, action, 200, fixture(SUCCESS[action]))

    act(VENDOR, action, key="sk_live_YOUR_KEY")

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == "POST"
    assert request.url == url(VENDOR, REQUESTS[action][1])
    assert request.headers["authorization"] == "Bearer sk_live_YOUR_KEY"
    assert "x-api-key" not in request.headers
    assert request.content == b""  # "Request body: none"


# -- documented success bodies and idempotent answers -----------------------------------------


@pytest.mark.parametrize(
    ("action", "name", "status", "at", "message"),
    [
        (Action.PAUSE, "pause_200.json", "paused", "2025-01-15T14:22:00Z", "campaign paused"),
        (Action.RESUME, "start_200.json", "running", "2025-01-15T11:00:00Z", "campaign running"),
    ],
)
def test_200_in_target_state_is_done(
    respx_mock: respx.MockRouter,
    action: Action,
    name: str,
    status: str,
    at: str,
    message: str,
) -> None:
    mock(respx_mock, action, 200, fixture(name))

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == status
    assert verdict.at == at
    assert verdict.message == message
    assert verdict.http_status == 200
    assert verdict.error is None
    assert verdict.attempts == 1


@pytest.mark.parametrize(
    ("action", "body", "status"),
    [
        # Already paused / already running: the current state without a timestamp.
        (Action.PAUSE, {"id": "camp_123", "status": "paused"}, "paused"),
        (Action.RESUME, {"id": "camp_123", "status": "running"}, "running"),
        (Action.PAUSE, {"id": "camp_123", "status": "PAUSED"}, "paused"),
    ],
)
def test_already_in_target_state_is_done(
    respx_mock: respx.MockRouter, action: Action, body: dict[str, Any], status: str
) -> None:
    mock(respx_mock, action, 200, json.dumps(body).encode())

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == status
    assert verdict.at  # the moment the answer was read
    assert verdict.error is None


def test_pause_on_draft_is_noop_with_current_state(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.PAUSE, 200, fixture("pause_200_draft.json"))

    verdict = act(VENDOR, Action.PAUSE)

    assert verdict.outcome is Outcome.NOOP
    assert verdict.status == "draft"
    assert verdict.message == "campaign is draft: nothing to pause"
    assert verdict.http_status == 200
    assert verdict.error is None


def test_status_is_unsupported_and_sends_nothing() -> None:
    with respx.mock(assert_all_called=False) as router:
        catch_all = router.route().respond(200, json={"id": CAMPAIGN, "status": "running"})

        verdict = act(VENDOR, Action.STATUS)

        assert router.calls.call_count == 0
        assert catch_all.call_count == 0
    assert_failed(verdict, ErrorKind.UNSUPPORTED, None, None)
    assert verdict.attempts == 0
    assert "Leadterra" in verdict.message
    assert "status" in verdict.message


# -- documented error tables ------------------------------------------------------------------

ERRORS = [
    (
        Action.PAUSE,
        400,
        "invalid_request",
        "The request was malformed or contained unexpected parameters",
        ErrorKind.INVALID_REQUEST,
    ),
    (
        Action.PAUSE,
        401,
        "authentication_failed",
        "The Authorization header is missing, malformed, or the key is invalid",
        ErrorKind.AUTH,
    ),
    (
        Action.PAUSE,
        404,
        "campaign_not_found",
        "No campaign with the given id exists in your workspace",
        ErrorKind.NOT_FOUND,
    ),
    (
        Action.RESUME,
        400,
        "no_leads_enrolled",
        "The campaign has no enrolled leads and cannot be started",
        ErrorKind.CONFLICT,
    ),
    (
        Action.RESUME,
        400,
        "no_sequence_steps",
        "The campaign has no sequence steps defined",
        ErrorKind.CONFLICT,
    ),
    (
        Action.RESUME,
        400,
        "invalid_request",
        "The request was malformed or contained unexpected parameters",
        ErrorKind.INVALID_REQUEST,
    ),
    (
        Action.RESUME,
        401,
        "authentication_failed",
        "Authorization header missing, malformed, or key invalid",
        ErrorKind.AUTH,
    ),
    (
        Action.RESUME,
        404,
        "campaign_not_found",
        "No campaign with the given id in your workspace",
        ErrorKind.NOT_FOUND,
    ),
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

    assert route.call_count == 1
    assert verdict.attempts == 1
    assert_failed(verdict, kind, status, code)
    assert verdict.error is not None
    assert verdict.error.message == f"{message} (HTTP {status})"
    assert verdict.message == verdict.error.message


@pytest.mark.parametrize(
    ("action", "status", "kind", "default"),
    [
        (Action.PAUSE, 400, ErrorKind.INVALID_REQUEST, "the vendor rejected the request"),
        (Action.PAUSE, 401, ErrorKind.AUTH, "the vendor rejected the API key"),
        (Action.PAUSE, 404, ErrorKind.NOT_FOUND, "campaign not found"),
        # Without a readable code a 400 on start cannot be told apart from invalid_request.
        (Action.RESUME, 400, ErrorKind.INVALID_REQUEST, "the vendor rejected the request"),
        (Action.RESUME, 401, ErrorKind.AUTH, "the vendor rejected the API key"),
        (Action.RESUME, 403, ErrorKind.PERMISSION, "the API key lacks permission"),
        (Action.RESUME, 429, ErrorKind.RATE_LIMITED, "rate limited by the vendor"),
        (Action.RESUME, 502, ErrorKind.VENDOR_ERROR, "the vendor had a server error"),
    ],
)
@pytest.mark.parametrize(
    ("body", "headers"),
    [(b"", {}), (b"<html><body>Error</body></html>", {"content-type": "text/html"})],
    ids=["empty", "html"],
)
def test_error_without_readable_body_is_classified_by_status(
    respx_mock: respx.MockRouter,
    action: Action,
    status: int,
    kind: ErrorKind,
    default: str,
    body: bytes,
    headers: dict[str, str],
) -> None:
    mock(respx_mock, action, status, body, headers)

    verdict = act(VENDOR, action)

    assert_failed(verdict, kind, status, None)
    assert verdict.error is not None
    assert verdict.error.message.startswith(default)
    assert verdict.error.message.endswith(f"(HTTP {status})")
    assert ("HTML page" in verdict.error.message) is body.startswith(b"<")


# -- bodies that are not what Leadterra documents ---------------------------------------------

MALFORMED = [
    (b"<!DOCTYPE html><html><head><title>Leadterra</title></head></html>", "body is an HTML page"),
    (b"", "empty body"),
    (b'{"id": "camp_123", "status": "pau', "body is invalid or truncated JSON"),
    (b'[{"id": "camp_123", "status": "paused"}]', "missing field 'status'"),
    (b'{"id": "camp_123"}', "missing field 'status'"),
    (b'{"id": "camp_123", "status": null}', "field 'status' is not a string"),
    (b'{"data": {"status": "paused"}}', "missing field 'status'"),
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("body", "detail"),
    MALFORMED,
    ids=["html", "empty", "truncated", "list", "no-status", "null-status", "wrapped"],
)
def test_malformed_200_is_bad_response(
    respx_mock: respx.MockRouter, action: Action, body: bytes, detail: str
) -> None:
    mock(respx_mock, action, 200, body)

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert verdict.message.startswith(f"unexpected answer from Leadterra (HTTP 200): {detail}")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_is_bad_response_naming_the_host(
    respx_mock: respx.MockRouter, action: Action, status: int
) -> None:
    route = mock(respx_mock, action, status, b"", {"location": "https://evil.example/x"})

    verdict = act(VENDOR, action)

    assert route.call_count == 1
    assert_failed(verdict, ErrorKind.BAD_RESPONSE, status, None)
    assert "evil.example" in verdict.message


# -- campaign IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize("campaign_id", ["camp_123", "camp-123", "C", "9" * 128])
def test_check_id_accepts(campaign_id: str) -> None:
    LeadterraAdapter.check_id(campaign_id)


@pytest.mark.parametrize(
    "campaign_id",
    ["../x", "12 3", "a/b", "", "c" * 129, "camp_123\n", "camp?x", "camp%2e", "camp.123"],
)
def test_check_id_rejects(campaign_id: str) -> None:
    with pytest.raises(UsageError, match="not a valid Leadterra campaign ID"):
        LeadterraAdapter.check_id(campaign_id)


@pytest.mark.parametrize(
    ("action", "state"), [(Action.PAUSE, "running"), (Action.RESUME, "paused")]
)
def test_200_in_the_opposite_state_is_not_success(
    respx_mock: respx.MockRouter, action: Action, state: str
) -> None:
    """A pause answered 'still running' must not pass as noop: outreach would continue."""
    verb = "pause" if action is Action.PAUSE else "start"
    respx_mock.post(url(VENDOR, f"/v1/campaigns/camp_123/{verb}")).respond(
        200, json={"id": "camp_123", "status": state}
    )
    verdict = act(VENDOR, action)
    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.BAD_RESPONSE
    assert f"still {state}" in verdict.message
