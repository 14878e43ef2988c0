"""VoiceGenie adapter against every response in vendor-docs/voicegenie.md (real HttpTransport).

Pause and start are GETs; the envelope is `{"success", "data", "message"}` and errors add
`"error": "<CODE>"` (or, on start v2, an error object).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from campctl.errors import UsageError
from campctl.providers.base import Action
from campctl.providers.voicegenie import VoiceGenieAdapter
from campctl.results import ErrorKind, Outcome
from tests.helpers import IDS, act, url
from tests.providers.common import JSON, assert_failed, fixture_loader, respond

VENDOR = "voicegenie"
CAMPAIGN = IDS[VENDOR]

PATHS = {
    Action.PAUSE: f"/pauseTheCampaign/{CAMPAIGN}",
    Action.RESUME: f"/startCampaign/{CAMPAIGN}",
    Action.STATUS: f"/campaign/{CAMPAIGN}",
}
ACTIONS = list(PATHS)
SUCCESS = {
    Action.PAUSE: "pause_200.json",
    Action.RESUME: "start_200.json",
    Action.STATUS: "campaign_200.json",
}


fixture = fixture_loader(VENDOR)


def mock(
    router: respx.MockRouter,
    action: Action,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> respx.Route:
    return respond(
        router, VENDOR, "GET", PATHS[action], status, body, JSON if headers is None else headers
    )


# -- the request ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_request_is_a_get_with_x_api_key(respx_mock: respx.MockRouter, action: Action) -> None:
    route = mock(respx_mock, action, 200, fixture(SUCCESS[action]))

    act(VENDOR, action, key="your-api-key-here")

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == "GET"
    assert request.url == url(VENDOR, PATHS[action])
    assert request.headers["x-api-key"] == "your-api-key-here"
    assert "authorization" not in request.headers
    assert "cookie" not in request.headers
    assert request.content == b""


# -- documented success bodies ----------------------------------------------------------------


def test_pause_200_is_done_with_active_calls(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.PAUSE, 200, fixture("pause_200.json"))

    verdict = act(VENDOR, Action.PAUSE)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == "paused"
    assert verdict.at == "2024-01-16T14:30:00Z"
    assert verdict.details == {"active_calls": 3, "vendor_status": "paused"}
    assert verdict.message == "Campaign paused successfully. Active calls will complete normally."
    assert verdict.http_status == 200
    assert verdict.error is None
    assert verdict.attempts == 1


@pytest.mark.parametrize(
    ("calls", "details"),
    [
        (0, {"active_calls": 0, "vendor_status": "paused"}),
        (None, {"vendor_status": "paused"}),
        ("3", {"vendor_status": "paused"}),
    ],
)
def test_pause_active_calls_only_when_an_integer(
    respx_mock: respx.MockRouter, calls: object, details: dict[str, Any]
) -> None:
    body = json.loads(fixture("pause_200.json"))
    body["data"]["active_calls"] = calls
    mock(respx_mock, Action.PAUSE, 200, json.dumps(body).encode())

    verdict = act(VENDOR, Action.PAUSE)

    assert verdict.outcome is Outcome.DONE
    assert verdict.details == details


def test_start_200_is_done_running(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.RESUME, 200, fixture("start_200.json"))

    verdict = act(VENDOR, Action.RESUME)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == "running"
    assert verdict.at == "2024-01-16T10:30:00Z"
    assert verdict.message == "Campaign started successfully"
    assert verdict.details == {"vendor_status": "running"}
    assert verdict.http_status == 200
    assert verdict.error is None


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("running", "running"),
        ("in_progress", "running"),
        ("IN_PROGRESS", "running"),
        ("paused", "paused"),
        ("completed", "completed"),
        ("scheduled", "scheduled"),
        ("draft", "draft"),
        ("stopped", "stopped"),
        ("failed", "failed"),
    ],
)
def test_status_reads_campaign_status(respx_mock: respx.MockRouter, raw: str, status: str) -> None:
    body = json.loads(fixture("campaign_200.json"))
    body["data"]["campaign_status"] = raw
    mock(respx_mock, Action.STATUS, 200, json.dumps(body).encode())

    verdict = act(VENDOR, Action.STATUS)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == status
    assert verdict.details == {"vendor_status": raw}
    assert verdict.message == f"campaign is {status}"
    assert verdict.http_status == 200
    assert verdict.error is None


def test_status_fixture_as_documented(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.STATUS, 200, fixture("campaign_200.json"))

    verdict = act(VENDOR, Action.STATUS)

    assert (verdict.outcome, verdict.status) == (Outcome.DONE, "running")


def test_start_answering_in_progress_is_running(respx_mock: respx.MockRouter) -> None:
    body = json.loads(fixture("start_200.json"))
    body["data"]["status"] = "in_progress"
    mock(respx_mock, Action.RESUME, 200, json.dumps(body).encode())

    verdict = act(VENDOR, Action.RESUME)

    assert (verdict.outcome, verdict.status) == (Outcome.DONE, "running")
    assert verdict.details == {"vendor_status": "in_progress"}


# -- success: false on a 200 ------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("body", "code", "text"),
    [
        (
            {
                "success": False,
                "message": "Campaign is not running",
                "error": "CAMPAIGN_NOT_RUNNING",
            },
            "CAMPAIGN_NOT_RUNNING",
            "Campaign is not running",
        ),
        ({"success": False, "message": "Something went wrong"}, None, "Something went wrong"),
        ({"success": False}, None, "no message"),
        ({"success": "true", "data": {"status": "paused"}}, None, "no message"),
    ],
    ids=["with-code", "message-only", "bare", "string-true"],
)
def test_success_false_on_200_is_bad_response(
    respx_mock: respx.MockRouter,
    action: Action,
    body: dict[str, Any],
    code: str | None,
    text: str,
) -> None:
    mock(respx_mock, action, 200, json.dumps(body).encode())

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, code)
    assert verdict.message == f"VoiceGenie answered success: false: {text}"


# -- state errors that mean "nothing to do" ---------------------------------------------------


@pytest.mark.parametrize(
    ("action", "name", "message", "status", "details"),
    [
        # "Not running" does not say which state (paused, draft, completed, scheduled).
        (
            Action.PAUSE,
            "pause_400_not_running.json",
            "campaign is not running: nothing to pause",
            None,
            {},
        ),
        # "Already running" names the state without sending a word...
        (
            Action.RESUME,
            "start_400_already_running.json",
            "campaign is already running",
            "running",
            {},
        ),
        # ...and start v2's error object sends its own word too.
        (
            Action.RESUME,
            "start_400_v2_already_running.json",
            "campaign is already running",
            "running",
            {"vendor_status": "in_progress"},
        ),
    ],
)
def test_400_state_error_is_noop(
    respx_mock: respx.MockRouter,
    action: Action,
    name: str,
    message: str,
    status: str | None,
    details: dict[str, Any],
) -> None:
    mock(respx_mock, action, 400, fixture(name))

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.NOOP
    assert verdict.message == message
    assert verdict.error is None
    assert verdict.http_status == 400
    assert verdict.status == status
    assert verdict.details == details


def test_pause_400_not_running_as_error_object_is_noop(respx_mock: respx.MockRouter) -> None:
    body = {"success": False, "message": "x", "error": {"code": "CAMPAIGN_NOT_RUNNING"}}
    mock(respx_mock, Action.PAUSE, 400, json.dumps(body).encode())

    verdict = act(VENDOR, Action.PAUSE)

    assert verdict.outcome is Outcome.NOOP


@pytest.mark.parametrize(
    ("action", "name", "code"),
    [
        (Action.PAUSE, "start_400_already_running.json", "CAMPAIGN_ALREADY_RUNNING"),
        (Action.RESUME, "pause_400_not_running.json", "CAMPAIGN_NOT_RUNNING"),
        (Action.STATUS, "pause_400_not_running.json", "CAMPAIGN_NOT_RUNNING"),
    ],
)
def test_the_other_actions_state_code_is_not_a_noop(
    respx_mock: respx.MockRouter, action: Action, name: str, code: str
) -> None:
    mock(respx_mock, action, 400, fixture(name))

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.INVALID_REQUEST, 400, code)


def test_pause_not_running_on_retry_notes_the_earlier_attempt(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.get(url(VENDOR, PATHS[Action.PAUSE]))
    route.side_effect = [
        httpx.Response(502),
        httpx.Response(400, content=fixture("pause_400_not_running.json"), headers=JSON),
    ]

    verdict = act(VENDOR, Action.PAUSE, retries=1)

    assert route.call_count == 2
    assert verdict.outcome is Outcome.NOOP
    assert verdict.attempts == 2
    assert verdict.message.endswith("(an earlier attempt may have landed)")


def test_start_422_invalid_state_is_conflict_with_missing_fields(
    respx_mock: respx.MockRouter,
) -> None:
    mock(respx_mock, Action.RESUME, 422, fixture("start_422_invalid_state.json"))

    verdict = act(VENDOR, Action.RESUME)

    assert_failed(verdict, ErrorKind.CONFLICT, 422, "INVALID_CAMPAIGN_STATE")
    assert verdict.details == {"missing": ["script_id", "contacts"]}
    assert verdict.message == (
        "Campaign cannot be started. Missing required configuration. (HTTP 422)"
    )


def test_start_422_invalid_state_without_details_is_still_conflict(
    respx_mock: respx.MockRouter,
) -> None:
    body = {"success": False, "message": "Cannot start", "error": "INVALID_CAMPAIGN_STATE"}
    mock(respx_mock, Action.RESUME, 422, json.dumps(body).encode())

    verdict = act(VENDOR, Action.RESUME)

    assert_failed(verdict, ErrorKind.CONFLICT, 422, "INVALID_CAMPAIGN_STATE")
    assert verdict.details == {}


# -- documented error bodies ------------------------------------------------------------------

ERRORS = [
    (Action.PAUSE, 404, "not_found_404.json", ErrorKind.NOT_FOUND, "NOT_FOUND"),
    (Action.RESUME, 404, "not_found_404.json", ErrorKind.NOT_FOUND, "NOT_FOUND"),
    (Action.STATUS, 404, "not_found_404.json", ErrorKind.NOT_FOUND, "NOT_FOUND"),
    (Action.STATUS, 401, "campaign_401_unauthorized.json", ErrorKind.AUTH, "UNAUTHORIZED"),
    # The auth-level errors apply to every endpoint and carry no code.
    *[(a, 401, "auth_401.json", ErrorKind.AUTH, None) for a in ACTIONS],
    *[(a, 403, "auth_403.json", ErrorKind.PERMISSION, None) for a in ACTIONS],
    *[(a, 429, "auth_429.json", ErrorKind.RATE_LIMITED, None) for a in ACTIONS],
]


@pytest.mark.parametrize(
    ("action", "status", "name", "kind", "code"),
    ERRORS,
    ids=[f"{r[0].value}-{r[1]}-{r[2].removesuffix('.json')}" for r in ERRORS],
)
def test_documented_error(
    respx_mock: respx.MockRouter,
    action: Action,
    status: int,
    name: str,
    kind: ErrorKind,
    code: str | None,
) -> None:
    route = mock(respx_mock, action, status, fixture(name))

    verdict = act(VENDOR, action)

    assert route.call_count == 1
    assert verdict.attempts == 1
    assert_failed(verdict, kind, status, code)
    expected = json.loads(fixture(name))["message"]
    assert verdict.error is not None
    assert verdict.error.message == f"{expected} (HTTP {status})"
    assert verdict.message == verdict.error.message


# -- bodies that are not what VoiceGenie documents --------------------------------------------

MALFORMED = [
    (b"<html><body><h1>Oriserve</h1></body></html>", "body is an HTML page"),
    (b"", "empty body"),
    (b'{"success": true, "data": {"status": "pau', "body is invalid or truncated JSON"),
    (b'[{"success": true}]', "missing field 'success'"),
    (b'{"data": {"status": "paused"}}', "missing field 'success'"),
    (b'{"success": true}', "missing field 'data'"),
    (b'{"success": true, "data": []}', "missing field '"),
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("body", "detail"),
    MALFORMED,
    ids=["html", "empty", "truncated", "list", "no-success", "no-data", "data-list"],
)
def test_malformed_200_is_bad_response(
    respx_mock: respx.MockRouter, action: Action, body: bytes, detail: str
) -> None:
    mock(respx_mock, action, 200, body)

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert verdict.message.startswith("unexpected answer from VoiceGenie (HTTP 200): ")
    assert detail in verdict.message


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (Action.PAUSE, "status"),
        (Action.RESUME, "status"),
        (Action.STATUS, "campaign_status"),
    ],
)
def test_200_without_the_status_field_is_bad_response(
    respx_mock: respx.MockRouter, action: Action, field: str
) -> None:
    body = json.loads(fixture(SUCCESS[action]))
    del body["data"][field]
    mock(respx_mock, action, 200, json.dumps(body).encode())

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert verdict.message.endswith(f"missing field '{field}'")


@pytest.mark.parametrize("action", ACTIONS)
def test_redirect_is_bad_response_naming_the_host(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    route = mock(respx_mock, action, 302, b"", {"location": "https://evil.example/x"})

    verdict = act(VENDOR, action)

    assert route.call_count == 1
    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 302, None)
    assert "evil.example" in verdict.message


def test_html_error_page_keeps_its_status(respx_mock: respx.MockRouter) -> None:
    mock(
        respx_mock,
        Action.PAUSE,
        503,
        b"<html>503 Service Unavailable</html>",
        {"content-type": "text/html"},
    )

    verdict = act(VENDOR, Action.PAUSE)

    assert_failed(verdict, ErrorKind.VENDOR_ERROR, 503, None)
    assert verdict.message == (
        "the vendor had a server error (HTML page instead of JSON) (HTTP 503)"
    )


# -- campaign IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "campaign_id",
    ["550e8400-e29b-41d4-a716-446655440000", "507f1f77bcf86cd799439013", "c1", "v" * 128],
)
def test_check_id_accepts(campaign_id: str) -> None:
    VoiceGenieAdapter.check_id(campaign_id)


@pytest.mark.parametrize(
    "campaign_id",
    ["../x", "12 3", "a/b", "", "v" * 129, "abc\n", "abc?x=1", "abc&y", "..", "ab:c"],
)
def test_check_id_rejects(campaign_id: str) -> None:
    with pytest.raises(UsageError, match="not a valid VoiceGenie campaign ID"):
        VoiceGenieAdapter.check_id(campaign_id)
