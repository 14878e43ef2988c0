"""Alta adapter against every response in vendor-docs/alta.md (real HttpTransport).

Pause/resume successes have no documented body ("no schema"): the 200 itself is the answer.
Errors are `{"error": "<type>", "message": "<text>"}`; the type is the vendor code.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from campctl.providers.alta.adapter import AltaAdapter
from campctl.providers.base import Action, Campaign, CampaignList, InvalidCampaignId
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

VENDOR = "alta"
CAMPAIGN = IDS[VENDOR]

REQUESTS = {
    Action.PAUSE: ("POST", f"/campaigns/{CAMPAIGN}/pause"),
    Action.RESUME: ("POST", f"/campaigns/{CAMPAIGN}/resume"),
    Action.STATUS: ("GET", f"/campaigns/{CAMPAIGN}"),
}
ACTIONS = list(REQUESTS)
CHANGES = [Action.PAUSE, Action.RESUME]
SUCCESS = {
    Action.PAUSE: "pause_200.json",
    Action.RESUME: "resume_200.json",
    Action.STATUS: "campaign_200.json",
}
PROSPECTS_FLAG = {Action.PAUSE: "pauseProspects", Action.RESUME: "resumeProspects"}


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
def test_request_method_path_and_bearer_token(respx_mock: respx.MockRouter, action: Action) -> None:
    route = mock(respx_mock, action, 200, fixture(SUCCESS[action]))

    act(VENDOR, action, key="alta_tok_123")

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == REQUESTS[action][0]
    assert request.url == url(VENDOR, REQUESTS[action][1])
    assert request.url.path == "/v1" + REQUESTS[action][1]
    assert request.headers["authorization"] == "Bearer alta_tok_123"
    assert "x-account-id" not in request.headers
    assert "x-api-key" not in request.headers


@pytest.mark.parametrize("action", CHANGES)
@pytest.mark.parametrize(
    "options", [None, {}, {"prospects": False}, {"account_id": "acc_1"}], ids=str
)
def test_no_body_unless_prospects_are_asked_for(
    respx_mock: respx.MockRouter, action: Action, options: dict[str, Any] | None
) -> None:
    route = mock(respx_mock, action, 200)

    act(VENDOR, action, options=options)

    request = route.calls.last.request
    assert request.content == b""
    assert "content-type" not in request.headers
    assert request.headers.get("content-length", "0") == "0"


@pytest.mark.parametrize("action", CHANGES)
def test_prospects_sends_the_documented_body(respx_mock: respx.MockRouter, action: Action) -> None:
    route = mock(respx_mock, action, 200)

    act(VENDOR, action, options={"prospects": True})

    request = route.calls.last.request
    assert json.loads(request.content) == {PROSPECTS_FLAG[action]: True}
    assert request.headers["content-type"] == "application/json"


def test_status_never_sends_a_body(respx_mock: respx.MockRouter) -> None:
    route = mock(respx_mock, Action.STATUS, 200, fixture("campaign_200.json"))

    act(VENDOR, Action.STATUS, options={"prospects": True, "account_id": "acc_1"})

    request = route.calls.last.request
    assert request.content == b""
    assert request.headers["x-account-id"] == "acc_1"


@pytest.mark.parametrize("action", ACTIONS)
def test_account_id_header_when_set(respx_mock: respx.MockRouter, action: Action) -> None:
    route = mock(respx_mock, action, 200, fixture(SUCCESS[action]))

    act(VENDOR, action, options={"prospects": True, "account_id": "acc_1"})

    request = route.calls.last.request
    assert request.headers["x-account-id"] == "acc_1"
    assert request.headers["authorization"].startswith("Bearer ")


@pytest.mark.parametrize("account_id", [None, ""])
def test_no_account_id_header_when_unset_or_empty(
    respx_mock: respx.MockRouter, account_id: str | None
) -> None:
    route = mock(respx_mock, Action.PAUSE, 200)

    act(VENDOR, Action.PAUSE, options={"account_id": account_id})

    assert "x-account-id" not in route.calls.last.request.headers


# -- documented successes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [(Action.PAUSE, "paused", "campaign paused"), (Action.RESUME, "running", "campaign resumed")],
)
@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"", {}),
        (None, JSON),  # the documented message as a JSON body
        (b"{}", JSON),
    ],
    ids=["empty", "json-message", "json-empty-object"],
)
def test_200_is_done_in_the_new_state(
    respx_mock: respx.MockRouter,
    action: Action,
    status: str,
    message: str,
    body: bytes | None,
    headers: dict[str, str],
) -> None:
    mock(respx_mock, action, 200, fixture(SUCCESS[action]) if body is None else body, headers)

    verdict = act(VENDOR, action, options={"prospects": True})

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == status
    assert "vendor_status" not in verdict.details  # Alta sent no word; the 200 is the answer
    assert verdict.message == message
    assert verdict.http_status == 200
    assert verdict.error is None
    assert verdict.attempts == 1


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("draft", "draft"),
        ("active", "running"),
        ("paused", "paused"),
        ("completed", "completed"),
        ("COMPLETED", "completed"),
        ("archived", "archived"),
    ],
)
def test_status_reads_the_campaign_object(
    respx_mock: respx.MockRouter, raw: str, status: str
) -> None:
    body = json.loads(fixture("campaign_200.json"))
    body["status"] = raw
    mock(respx_mock, Action.STATUS, 200, json.dumps(body).encode())

    verdict = act(VENDOR, Action.STATUS)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == status
    assert verdict.details == {"vendor_status": raw}
    assert verdict.message == f"campaign is {status}"
    assert verdict.http_status == 200
    assert verdict.error is None


# -- documented errors: {"error": "<type>", "message"} on every endpoint ----------------------

ERRORS = [
    (400, "error_400.json", ErrorKind.INVALID_REQUEST, "ValidationError"),
    (401, "error_401.json", ErrorKind.AUTH, "Unauthorized"),
    (403, "error_403.json", ErrorKind.PERMISSION, "Forbidden"),
    (404, "error_404.json", ErrorKind.NOT_FOUND, "NotFound"),
    (429, "error_429.json", ErrorKind.RATE_LIMITED, "TooManyRequests"),
    (500, "error_500.json", ErrorKind.VENDOR_ERROR, "InternalServerError"),
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("status", "name", "kind", "code"), ERRORS, ids=[str(row[0]) for row in ERRORS]
)
def test_documented_error(
    respx_mock: respx.MockRouter,
    action: Action,
    status: int,
    name: str,
    kind: ErrorKind,
    code: str,
) -> None:
    route = mock(respx_mock, action, status, fixture(name))

    verdict = act(VENDOR, action)

    assert route.call_count == 1  # retries=0
    assert verdict.attempts == 1
    assert_failed(verdict, kind, status, code)
    expected = json.loads(fixture(name))["message"]
    assert verdict.error is not None
    assert verdict.error.message == f"{expected} (HTTP {status})"
    assert verdict.message == verdict.error.message


def test_429_retry_after_is_reported(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.PAUSE, 429, fixture("error_429.json"), {**JSON, "retry-after": "60"})

    verdict = act(VENDOR, Action.PAUSE)

    assert_failed(verdict, ErrorKind.RATE_LIMITED, 429, "TooManyRequests")
    assert "vendor asks to wait 60 s: try again after " in verdict.message
    assert verdict.error is not None
    assert "try again after" in verdict.error.message


@pytest.mark.parametrize("action", ACTIONS)
def test_500_without_body_is_vendor_error(respx_mock: respx.MockRouter, action: Action) -> None:
    mock(respx_mock, action, 500, b"", {})

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.VENDOR_ERROR, 500, None)
    assert verdict.message == "the vendor had a server error (HTTP 500)"


# -- bodies that are not what Alta documents --------------------------------------------------

HTML = b"<!DOCTYPE html><html><head><title>Alta</title></head><body>Log in</body></html>"


@pytest.mark.parametrize("action", CHANGES)
def test_html_page_on_200_is_bad_response(respx_mock: respx.MockRouter, action: Action) -> None:
    """A web page (login wall, proxy, wrong base URL) is not Alta saying "paused"."""
    mock(respx_mock, action, 200, HTML, {"content-type": "text/html; charset=utf-8"})

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert "HTML" in verdict.message


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (HTML, "body is an HTML page"),
        (b"", "empty body"),
        (b'{"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "status": "act', "invalid or truncated"),
        (b'[{"status": "active"}]', "missing field 'status'"),
        (b'{"data": [{"status": "active"}], "hasMore": false}', "missing field 'status'"),
        (b'{"status": null}', "field 'status' is not a string"),
    ],
    ids=["html", "empty", "truncated", "list", "list-envelope", "null-status"],
)
def test_malformed_status_200_is_bad_response(
    respx_mock: respx.MockRouter, body: bytes, detail: str
) -> None:
    mock(respx_mock, Action.STATUS, 200, body)

    verdict = act(VENDOR, Action.STATUS)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert verdict.message.startswith("unexpected answer from Alta (HTTP 200): ")
    assert detail in verdict.message


@pytest.mark.parametrize("action", ACTIONS)
def test_redirect_is_bad_response_naming_the_host(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    route = mock(respx_mock, action, 302, b"", {"location": "https://evil.example/x"})

    verdict = act(VENDOR, action, options={"prospects": True})

    assert route.call_count == 1
    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 302, None)
    assert "evil.example" in verdict.message


# -- campaign IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "campaign_id",
    [
        "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "3c90c3cc-0d44-4b50-8888-8dd25736052a",
        "7C9E6679-7425-40DE-944B-E07FC1F90AE7",
    ],
)
def test_check_id_accepts_uuids(campaign_id: str) -> None:
    AltaAdapter.check_id(campaign_id)


@pytest.mark.parametrize(
    "campaign_id",
    [
        "../x",
        "12 3",
        "a/b",
        "",
        "a" * 129,
        "cmp_abc123",
        "7c9e6679742540de944be07fc1f90ae7",
        "7c9e6679-7425-40de-944b-e07fc1f90ae",
        "7c9e6679-7425-40de-944b-e07fc1f90ae7a",
        "{7c9e6679-7425-40de-944b-e07fc1f90ae7}",
        "7c9e6679-7425-40de-944b-e07fc1f90ae7\n",
        "7g9e6679-7425-40de-944b-e07fc1f90ae7",
        "7c9e6679-7425-40de-944b-e07fc1f90ae7/../x",
    ],
)
def test_check_id_rejects(campaign_id: str) -> None:
    with pytest.raises(InvalidCampaignId, match="not a valid Alta campaign ID: expected a UUID"):
        AltaAdapter.check_id(campaign_id)


# -- campaign list: cursor pages while hasMore, running picked client-side --------------------

LIST = "/campaigns"
IDS3 = [
    "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "3c90c3cc-0d44-4b50-8888-8dd25736052a",
    "0f8fad5b-d9cb-469f-a165-70867728950e",
    "a3bb189e-8bf9-3888-9912-ace4e6543002",
]


def item(campaign_id: str, status: str = "active", name: str | None = "Q3 outbound") -> Any:
    return {
        "id": campaign_id,
        "objectType": "campaign",
        "createdAt": "2023-11-07T05:31:56Z",
        "updatedAt": "2023-11-07T05:31:56Z",
        "name": name,
        "status": status,
        "isArchived": False,
    }


def page(items: list[Any], next_cursor: str | None = None, **extra: Any) -> httpx.Response:
    body = {"data": items, "hasMore": next_cursor is not None, "next": next_cursor, **extra}
    return httpx.Response(200, json=body)


def list_route(router: respx.MockRouter, *answers: httpx.Response) -> respx.Route:
    route = router.get(url(VENDOR, LIST))
    route.side_effect = list(answers)
    return route


def test_list_first_page_as_documented(respx_mock: respx.MockRouter) -> None:
    route = list_route(
        respx_mock,
        httpx.Response(200, content=fixture("list_page_1.json"), headers=JSON),
        page([]),
    )

    listed = listing(VENDOR, key="alta_tok_123", options={"account_id": "acc_1"})

    assert listed.failure is None
    assert listed.campaigns == [
        Campaign(IDS3[0], "Q3 outbound", "running", "active", ()),  # no sender field
    ]
    first, second = (call.request for call in route.calls)
    assert first.url.path == "/v1/campaigns"
    assert dict(first.url.params) == {"limit": "100"}
    assert dict(second.url.params) == {"cursor": "cursor-page-2"}
    for request in (first, second):
        assert request.method == "GET"
        assert request.headers["authorization"] == "Bearer alta_tok_123"
        assert request.headers["x-account-id"] == "acc_1"
        assert request.content == b""


def test_list_three_pages_follow_the_cursors(respx_mock: respx.MockRouter) -> None:
    route = list_route(
        respx_mock,
        page([item(IDS3[0]), item(IDS3[1], "paused")], "c2"),
        page([item(IDS3[2], "draft", None)], "c3"),
        page([item(IDS3[3], "completed")], None),
    )

    listed = listing(VENDOR)

    assert listed.failure is None
    assert [(c.campaign_id, c.status, c.vendor_status, c.name) for c in listed.campaigns] == [
        (IDS3[0], "running", "active", "Q3 outbound"),
        (IDS3[1], "paused", "paused", "Q3 outbound"),
        (IDS3[2], "draft", "draft", None),
        (IDS3[3], "completed", "completed", "Q3 outbound"),
    ]
    queries = [dict(call.request.url.params) for call in route.calls]
    assert queries == [{"limit": "100"}, {"cursor": "c2"}, {"cursor": "c3"}]


def test_list_running_only_is_client_side(respx_mock: respx.MockRouter) -> None:
    route = list_route(
        respx_mock,
        page([item(IDS3[0]), item(IDS3[1], "paused")], "c2"),
        page([item(IDS3[2], "ACTIVE"), item(IDS3[3], "draft")]),
    )

    listed = listing(VENDOR, running_only=True)

    assert [(c.campaign_id, c.status) for c in listed.campaigns] == [
        (IDS3[0], "running"),
        (IDS3[2], "running"),
    ]
    assert dict(route.calls[0].request.url.params) == {"limit": "100"}  # no status filter


def test_list_cursor_is_percent_encoded_into_the_query(respx_mock: respx.MockRouter) -> None:
    hostile = "a/../b?x=1&limit=5#frag @evil.example"
    route = list_route(respx_mock, page([], hostile), page([]))

    listing(VENDOR)

    request = route.calls[1].request
    assert request.url.host == "api.altahq.com"
    assert request.url.path == "/v1/campaigns"
    assert dict(request.url.params) == {"cursor": hostile}


def test_list_empty(respx_mock: respx.MockRouter) -> None:
    list_route(respx_mock, page([]))

    assert listing(VENDOR, running_only=True) == CampaignList([], None)


def test_list_duplicate_across_pages_is_listed_once(respx_mock: respx.MockRouter) -> None:
    list_route(respx_mock, page([item(IDS3[0])], "c2"), page([item(IDS3[0]), item(IDS3[1])]))

    assert [c.campaign_id for c in listing(VENDOR).campaigns] == IDS3[:2]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"", "empty body"),
        (b'{"data": [', "invalid or truncated JSON"),
        (HTML, "HTML page"),
        (b"[]", "missing field 'data'"),
        (b'{"hasMore": false}', "missing field 'data'"),
        (b'{"data": {}, "hasMore": false}', "field 'data' is not a list"),
        (b'{"data": [1], "hasMore": false}', "item 0 of 'data' is not an object"),
        (b'{"data": []}', "missing field 'hasMore'"),
        (b'{"data": [], "hasMore": "false"}', "'hasMore' is not true or false"),
        (b'{"data": [], "hasMore": null}', "'hasMore' is not true or false"),
        (b'{"data": [], "hasMore": true}', "'next' is not a cursor"),
        (b'{"data": [], "hasMore": true, "next": ""}', "'next' is not a cursor"),
        (b'{"data": [], "hasMore": true, "next": 5}', "'next' is not a cursor"),
        (b'{"data": [{"id": "x", "status": "active"}], "hasMore": false}', "not a valid Alta"),
        (
            b'{"data": [{"id": "7c9e6679-7425-40de-944b-e07fc1f90ae7"}], "hasMore": false}',
            "missing field 'status'",
        ),
    ],
)
def test_list_malformed_page_is_bad_response(
    respx_mock: respx.MockRouter, body: bytes, detail: str
) -> None:
    list_route(respx_mock, httpx.Response(200, content=body, headers=JSON))

    listed = listing(VENDOR)

    assert_list_failed(listed, ErrorKind.BAD_RESPONSE, 200, "Alta", detail)


@pytest.mark.parametrize(
    "cursors",
    [["c2", "c2"], ["c2", "c3", "c2"]],
    ids=["same-again", "back-to-an-earlier-one"],
)
def test_list_repeating_cursor_is_bad_response(
    respx_mock: respx.MockRouter, cursors: list[str]
) -> None:
    route = list_route(respx_mock, *(page([item(IDS3[0])], c) for c in cursors))

    listed = listing(VENDOR)

    assert_list_failed(listed, ErrorKind.BAD_RESPONSE, 200, "does not advance", "'c2'")
    assert route.call_count == len(cursors)  # stops at once, asks for nothing more


def test_list_malformed_later_page_fails_the_whole_listing(respx_mock: respx.MockRouter) -> None:
    list_route(respx_mock, page([item(IDS3[0])], "c2"), httpx.Response(200, content=b"{"))

    assert_list_failed(listing(VENDOR), ErrorKind.BAD_RESPONSE, 200, "page 2")


def test_list_auth_failure_on_page_2(respx_mock: respx.MockRouter) -> None:
    route = list_route(
        respx_mock,
        page([item(IDS3[0])], "c2"),
        httpx.Response(401, content=fixture("error_401.json"), headers=JSON),
    )

    listed = listing(VENDOR, retries=3)

    failure = assert_list_failed(listed, ErrorKind.AUTH, 401, "Invalid API token", "page 2")
    assert failure.error is not None
    assert failure.error.vendor_code == "Unauthorized"
    assert route.call_count == 2  # a 401 is not retried


def test_list_pages_are_retried_like_any_request(respx_mock: respx.MockRouter) -> None:
    route = list_route(
        respx_mock,
        page([item(IDS3[0])], "c2"),
        httpx.Response(429, content=fixture("error_429.json"), headers={"retry-after": "1"}),
        page([item(IDS3[1])]),
    )

    listed = listing(VENDOR, retries=1)

    assert listed.failure is None
    assert [c.campaign_id for c in listed.campaigns] == IDS3[:2]
    assert [dict(c.request.url.params) for c in route.calls][1:] == [{"cursor": "c2"}] * 2


def test_list_rate_limited_after_retries(respx_mock: respx.MockRouter) -> None:
    list_route(
        respx_mock,
        httpx.Response(429, content=fixture("error_429.json"), headers={"retry-after": "1"}),
        httpx.Response(429, content=fixture("error_429.json"), headers={"retry-after": "1"}),
    )

    failure = assert_list_failed(listing(VENDOR, retries=1), ErrorKind.RATE_LIMITED, 429)

    assert failure.attempts == 2
    assert failure.error is not None
    assert failure.error.retryable
