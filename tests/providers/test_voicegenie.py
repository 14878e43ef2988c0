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

from campctl.providers.base import Action, Campaign, CampaignList, InvalidCampaignId
from campctl.providers.voicegenie.adapter import VoiceGenieAdapter
from campctl.results import ErrorKind, Outcome
from tests.helpers import IDS, act, url
from tests.providers.common import (
    JSON,
    assert_failed,
    assert_list_failed,
    fixture_loader,
    listing,
    respond,
)

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
    with pytest.raises(InvalidCampaignId, match="not a valid VoiceGenie campaign ID"):
        VoiceGenieAdapter.check_id(campaign_id)


# -- campaign list: offset pages until pagination.total, running picked client-side -----------

LIST = "/fetchCampaignData"


def vg_item(n: int, status: str = "running") -> dict[str, Any]:
    return {"id": f"vg-{n:05d}", "name": f"Campaign {n}", "campaign_status": status}


def vg_page(items: list[Any], total: int, offset: int = 0, **extra: Any) -> httpx.Response:
    pagination = {"total": total, "limit": 1000, "offset": offset}
    body = {"success": True, "data": {"campaigns": items, "pagination": pagination}, **extra}
    return httpx.Response(200, json=body)


def list_route(router: respx.MockRouter, *answers: httpx.Response) -> respx.Route:
    route = router.get(url(VENDOR, LIST))
    route.side_effect = list(answers)
    return route


def test_list_as_documented(respx_mock: respx.MockRouter) -> None:
    route = list_route(respx_mock, httpx.Response(200, content=fixture("list_200.json")))

    listed = listing(VENDOR, key="your-api-key-here")

    assert listed.failure is None
    assert listed.campaigns == [
        Campaign(CAMPAIGN, "Q4 Sales Campaign", "running", "running", ()),  # no senders
    ]
    request = route.calls.last.request
    assert request.method == "GET"
    assert request.url.path == LIST
    assert dict(request.url.params) == {"limit": "1000", "offset": "0", "call_count": "false"}
    assert request.headers["x-api-key"] == "your-api-key-here"
    assert "cookie" not in request.headers


def test_list_pages_by_offset_until_total_is_read(respx_mock: respx.MockRouter) -> None:
    route = list_route(
        respx_mock,
        vg_page([vg_item(n) for n in range(1000)], 2500, 0),
        vg_page([vg_item(n) for n in range(1000, 2000)], 2500, 1000),
        vg_page([vg_item(n, "paused") for n in range(2000, 2500)], 2500, 2000),
    )

    listed = listing(VENDOR)

    assert listed.failure is None
    assert len(listed.campaigns) == 2500
    assert listed.campaigns[-1] == Campaign("vg-02499", "Campaign 2499", "paused", "paused", ())
    offsets = [call.request.url.params["offset"] for call in route.calls]
    assert offsets == ["0", "1000", "2000"]


def test_list_short_pages_advance_by_what_was_read(respx_mock: respx.MockRouter) -> None:
    """A vendor may send fewer than `limit`; the next offset is what has been read so far."""
    route = list_route(
        respx_mock,
        vg_page([vg_item(1), vg_item(2)], 3),
        vg_page([vg_item(3)], 3, 2),
    )

    listed = listing(VENDOR)

    assert [c.campaign_id for c in listed.campaigns] == ["vg-00001", "vg-00002", "vg-00003"]
    assert [call.request.url.params["offset"] for call in route.calls] == ["0", "2"]


def test_list_running_only_is_client_side_with_both_words(respx_mock: respx.MockRouter) -> None:
    items = [
        vg_item(1, "running"),
        vg_item(2, "paused"),
        vg_item(3, "in_progress"),
        vg_item(4, "scheduled"),
        vg_item(5, "draft"),
        vg_item(6, "completed"),
        vg_item(7, "stopped"),
    ]
    route = list_route(respx_mock, vg_page(items, 7))

    listed = listing(VENDOR, running_only=True)

    assert [(c.campaign_id, c.status, c.vendor_status) for c in listed.campaigns] == [
        ("vg-00001", "running", "running"),
        ("vg-00003", "running", "in_progress"),
    ]
    assert "status" not in route.calls.last.request.url.params  # no documented filter


def test_list_empty(respx_mock: respx.MockRouter) -> None:
    route = list_route(respx_mock, vg_page([], 0))

    assert listing(VENDOR, running_only=True) == CampaignList([], None)
    assert route.call_count == 1


def test_list_total_never_reached_is_bad_response(respx_mock: respx.MockRouter) -> None:
    route = list_route(respx_mock, vg_page([vg_item(1), vg_item(2)], 5), vg_page([], 5, 2))

    listed = listing(VENDOR)

    assert_list_failed(listed, ErrorKind.BAD_RESPONSE, 200, "total says 5", "offset 2", "page 2")
    assert route.call_count == 2


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"", "empty body"),
        (b'{"success": true, "data": {"campaigns": [', "invalid or truncated JSON"),
        (b"<html><body>Login</body></html>", "HTML page"),
        (b"[]", "missing field 'success'"),
        (b'{"success": false, "message": "Nope"}', "success: false: Nope"),
        (b'{"success": "true", "data": {}}', "success: false: no message"),
        (b'{"success": true}', "missing field 'data'"),
        (b'{"success": true, "data": {"pagination": {"total": 0}}}', "'data.campaigns'"),
        (
            b'{"success": true, "data": {"campaigns": {}, "pagination": {"total": 0}}}',
            "field 'data.campaigns' is not a list",
        ),
        (
            b'{"success": true, "data": {"campaigns": ["x"], "pagination": {"total": 1}}}',
            "item 0 of 'data.campaigns' is not an object",
        ),
        (b'{"success": true, "data": {"campaigns": []}}', "missing field 'data.pagination'"),
        (
            b'{"success": true, "data": {"campaigns": [], "pagination": {}}}',
            "missing field 'data.pagination.total'",
        ),
        (
            b'{"success": true, "data": {"campaigns": [], "pagination": {"total": "1"}}}',
            "'data.pagination.total' is not a count",
        ),
        (
            b'{"success": true, "data": {"campaigns": [], "pagination": {"total": true}}}',
            "'data.pagination.total' is not a count",
        ),
        (
            b'{"success": true, "data": {"campaigns": [], "pagination": {"total": -1}}}',
            "'data.pagination.total' is not a count",
        ),
        (
            b'{"success": true, "data": {"campaigns": [{"id": "a b", "campaign_status": "x"}],'
            b' "pagination": {"total": 1}}}',
            "not a valid VoiceGenie campaign ID",
        ),
        (
            b'{"success": true, "data": {"campaigns": [{"_id": "abc", "campaign_status": "x"}],'
            b' "pagination": {"total": 1}}}',
            "missing field 'id'",
        ),
        (
            b'{"success": true, "data": {"campaigns": [{"id": "abc", "status": "running"}],'
            b' "pagination": {"total": 1}}}',
            "missing field 'campaign_status'",
        ),
    ],
)
def test_list_malformed_page_is_bad_response(
    respx_mock: respx.MockRouter, body: bytes, detail: str
) -> None:
    list_route(respx_mock, httpx.Response(200, content=body, headers=JSON))

    listed = listing(VENDOR)

    assert_list_failed(listed, ErrorKind.BAD_RESPONSE, 200, "VoiceGenie", detail)


def test_list_auth_failure_on_page_2(respx_mock: respx.MockRouter) -> None:
    list_route(
        respx_mock,
        vg_page([vg_item(1)], 2),
        httpx.Response(401, content=fixture("campaign_401_unauthorized.json"), headers=JSON),
    )

    listed = listing(VENDOR, retries=2)

    failure = assert_list_failed(listed, ErrorKind.AUTH, 401, "Invalid or missing API key")
    assert failure.error is not None
    assert failure.error.vendor_code == "UNAUTHORIZED"


@pytest.mark.parametrize(
    ("status", "name", "kind"),
    [
        (403, "auth_403.json", ErrorKind.PERMISSION),
        (429, "auth_429.json", ErrorKind.RATE_LIMITED),
        (500, None, ErrorKind.VENDOR_ERROR),
    ],
)
def test_list_errors_share_the_action_reading(
    respx_mock: respx.MockRouter, status: int, name: str | None, kind: ErrorKind
) -> None:
    list_route(respx_mock, httpx.Response(status, content=fixture(name) if name else b""))

    assert_list_failed(listing(VENDOR), kind, status)
