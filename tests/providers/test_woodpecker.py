"""Woodpecker adapter against every response in vendor-docs/woodpecker.md (real HttpTransport).

Pause and run answer 200 with no body; the docs define that as PAUSED / RUNNING. Error bodies
differ by status: problem objects (400/401), a code object (404) and a type object (500).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx

from campctl.providers.base import Action, Campaign, CampaignList, InvalidCampaignId
from campctl.providers.woodpecker.adapter import WoodpeckerAdapter
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

VENDOR = "woodpecker"
CAMPAIGN = IDS[VENDOR]

REQUESTS = {
    Action.PAUSE: ("POST", f"/v2/campaigns/{CAMPAIGN}/pause"),
    Action.RESUME: ("POST", f"/v2/campaigns/{CAMPAIGN}/run"),
    Action.STATUS: ("GET", f"/v2/campaigns/{CAMPAIGN}"),
}
ACTIONS = list(REQUESTS)
CHANGES = [Action.PAUSE, Action.RESUME]


fixture = fixture_loader(VENDOR)


def mock(
    router: respx.MockRouter,
    action: Action,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> respx.Route:
    method, path = REQUESTS[action]
    if headers is None:
        headers = JSON if body else {}  # the documented success has no body, so no type
    return respond(router, VENDOR, method, path, status, body, headers)


def success_body(action: Action) -> bytes:
    return fixture("campaign_200.json") if action is Action.STATUS else b""


# -- the request ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_request_method_path_and_api_key(respx_mock: respx.MockRouter, action: Action) -> None:
    route = mock(respx_mock, action, 200, success_body(action))

    act(VENDOR, action, key="wp-key-abc")

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == REQUESTS[action][0]
    assert request.url == url(VENDOR, REQUESTS[action][1])
    assert request.url.path == "/rest" + REQUESTS[action][1]
    assert request.headers["x-api-key"] == "wp-key-abc"
    assert "authorization" not in request.headers
    assert "x-company-id" not in request.headers
    assert request.content == b""  # "No request body"


@pytest.mark.parametrize("action", ACTIONS)
def test_company_id_header_for_agency_keys(respx_mock: respx.MockRouter, action: Action) -> None:
    route = mock(respx_mock, action, 200, success_body(action))

    act(VENDOR, action, options={"company_id": "4567"})

    request = route.calls.last.request
    assert request.headers["x-company-id"] == "4567"
    assert request.headers["x-api-key"]


@pytest.mark.parametrize("options", [{}, {"company_id": None}, {"company_id": ""}], ids=str)
def test_no_company_id_header_when_unset(
    respx_mock: respx.MockRouter, options: dict[str, Any]
) -> None:
    route = mock(respx_mock, Action.PAUSE, 200)

    act(VENDOR, Action.PAUSE, options=options)

    assert "x-company-id" not in route.calls.last.request.headers


# -- documented successes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [(Action.PAUSE, "paused", "campaign paused"), (Action.RESUME, "running", "campaign running")],
)
def test_empty_200_is_done_in_the_documented_state(
    respx_mock: respx.MockRouter, action: Action, status: str, message: str
) -> None:
    mock(respx_mock, action, 200, b"", {})

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == status
    assert verdict.message == message
    assert verdict.at  # the moment the answer was read
    assert verdict.http_status == 200
    assert verdict.error is None
    assert verdict.details == {}  # the docs define the state; the vendor sent no word
    assert verdict.attempts == 1


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("DRAFT", "draft"),
        ("RUNNING", "running"),
        ("PAUSED", "paused"),
        ("STOPPED", "stopped"),
        ("EDITED", "edited"),
        ("COMPLETED", "completed"),
        ("ERROR", "error"),
    ],
)
def test_status_reads_the_top_level_status(
    respx_mock: respx.MockRouter, raw: str, status: str
) -> None:
    body = json.loads(fixture("campaign_200.json"))
    body["status"] = raw
    mock(respx_mock, Action.STATUS, 200, json.dumps(body).encode())

    verdict = act(VENDOR, Action.STATUS)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == status
    assert verdict.details == {"vendor_status": raw}  # exactly as sent
    assert verdict.message == f"campaign is {status}"
    assert verdict.http_status == 200
    assert verdict.error is None


def test_status_fixture_as_documented(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.STATUS, 200, fixture("campaign_200.json"))

    verdict = act(VENDOR, Action.STATUS)

    assert (verdict.outcome, verdict.status) == (Outcome.DONE, "draft")


# -- documented errors ------------------------------------------------------------------------

ERRORS = [
    # pause: 400, 401, 404, 500
    (Action.PAUSE, 400, "error_400.json", ErrorKind.INVALID_REQUEST, None),
    (Action.PAUSE, 401, "error_401.json", ErrorKind.AUTH, None),
    (Action.PAUSE, 404, "error_404.json", ErrorKind.NOT_FOUND, "CAMPAIGN_NOT_EXIST"),
    (Action.PAUSE, 500, "error_500.json", ErrorKind.VENDOR_ERROR, "UNKNOWN"),
    # run: 400, 401, 403, 404, 409, 500
    (Action.RESUME, 400, "error_400.json", ErrorKind.INVALID_REQUEST, None),
    (Action.RESUME, 401, "error_401.json", ErrorKind.AUTH, None),
    (Action.RESUME, 403, "error_403.json", ErrorKind.PERMISSION, None),
    (Action.RESUME, 404, "error_404.json", ErrorKind.NOT_FOUND, "CAMPAIGN_NOT_EXIST"),
    (Action.RESUME, 409, "error_409.json", ErrorKind.CONFLICT, "UNSUPPORTED_FEATURE"),
    (Action.RESUME, 500, "error_500.json", ErrorKind.VENDOR_ERROR, "UNKNOWN"),
    # get: 401, 404, 409, 500
    (Action.STATUS, 401, "error_401.json", ErrorKind.AUTH, None),
    (Action.STATUS, 404, "error_404.json", ErrorKind.NOT_FOUND, "CAMPAIGN_NOT_EXIST"),
    (Action.STATUS, 409, "error_409.json", ErrorKind.CONFLICT, "UNSUPPORTED_FEATURE"),
    (Action.STATUS, 500, "error_500.json", ErrorKind.VENDOR_ERROR, "UNKNOWN"),
]


@pytest.mark.parametrize(
    ("action", "status", "name", "kind", "code"),
    ERRORS,
    ids=[f"{r[0].value}-{r[1]}" for r in ERRORS],
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

    assert route.call_count == 1  # retries=0, also for the 500
    assert verdict.attempts == 1
    assert_failed(verdict, kind, status, code)
    body = json.loads(fixture(name))
    text = body.get("detail") or body["message"]  # problem objects carry `detail`
    assert verdict.error is not None
    assert verdict.error.message == f"{text} (HTTP {status})"
    assert verdict.message == verdict.error.message


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("error_400.json", "Value of campaign_id is incorrect."),
        ("error_401.json", "Invalid api key"),
    ],
)
def test_problem_object_message_comes_from_detail(
    respx_mock: respx.MockRouter, name: str, text: str
) -> None:
    status = json.loads(fixture(name))["status"]
    mock(respx_mock, Action.PAUSE, status, fixture(name))

    verdict = act(VENDOR, Action.PAUSE)

    assert verdict.message == f"{text} (HTTP {status})"
    assert "Bad Request" not in verdict.message
    assert "Unauthorized" not in verdict.message


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("status", "kind"),
    [(429, ErrorKind.RATE_LIMITED), (503, ErrorKind.VENDOR_ERROR), (403, ErrorKind.PERMISSION)],
)
def test_error_without_body_is_classified_by_status(
    respx_mock: respx.MockRouter, action: Action, status: int, kind: ErrorKind
) -> None:
    mock(respx_mock, action, status)

    verdict = act(VENDOR, action)

    assert_failed(verdict, kind, status, None)
    assert verdict.message.endswith(f"(HTTP {status})")


# -- bodies that are not what Woodpecker documents --------------------------------------------

HTML = b"<!DOCTYPE html><html><head><title>Woodpecker</title></head><body>Sign in</body></html>"


@pytest.mark.parametrize("action", CHANGES)
def test_html_page_on_200_is_bad_response(respx_mock: respx.MockRouter, action: Action) -> None:
    """The documented 200 has no body; a web page in its place is not Woodpecker's answer."""
    mock(respx_mock, action, 200, HTML, {"content-type": "text/html; charset=utf-8"})

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert "HTML" in verdict.message


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (HTML, "body is an HTML page"),
        (b"", "empty body"),
        (b'{"id": 12345678, "name": "One-step", "status": "DRA', "invalid or truncated JSON"),
        (b'[{"id": 12345678, "status": "DRAFT"}]', "missing field 'status'"),
        (b'{"id": 12345678}', "missing field 'status'"),
        (b'{"id": 12345678, "status": 3}', "field 'status' is not a string"),
    ],
    ids=["html", "empty", "truncated", "list", "no-status", "int-status"],
)
def test_malformed_status_200_is_bad_response(
    respx_mock: respx.MockRouter, body: bytes, detail: str
) -> None:
    mock(respx_mock, Action.STATUS, 200, body, JSON)

    verdict = act(VENDOR, Action.STATUS)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert verdict.message.startswith("unexpected answer from Woodpecker (HTTP 200): ")
    assert detail in verdict.message


@pytest.mark.parametrize("action", ACTIONS)
def test_redirect_is_bad_response_naming_the_host(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    route = mock(respx_mock, action, 302, b"", {"location": "https://evil.example/x"})

    verdict = act(VENDOR, action)

    assert route.call_count == 1
    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 302, None)
    assert "evil.example" in verdict.message


# -- campaign IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize("campaign_id", ["12345", "123", "1", "12345678", "9" * 19])
def test_check_id_accepts_positive_integers(campaign_id: str) -> None:
    WoodpeckerAdapter.check_id(campaign_id)


@pytest.mark.parametrize(
    "campaign_id",
    [
        "0",
        "-1",
        "abc",
        "../x",
        "12 3",
        "a/b",
        "",
        "1" * 129,
        "1" * 20,
        "+5",
        "1.5",
        "1e3",
        " 12345",
        "12345\n",
        "\uff11\uff12\uff13",  # full-width digits
        "\u0661\u0662\u0663",  # Arabic-Indic digits
    ],
)
def test_check_id_rejects(campaign_id: str) -> None:
    with pytest.raises(InvalidCampaignId, match="not a valid Woodpecker campaign ID"):
        WoodpeckerAdapter.check_id(campaign_id)


# -- campaign list: legacy v1, one bare array, server-side status filter ------------------------

LIST = "/v1/campaign_list"


def mock_list(
    router: respx.MockRouter, status: int, body: bytes, headers: dict[str, str] | None = None
) -> respx.Route:
    return respond(router, VENDOR, "GET", LIST, status, body, JSON if headers is None else headers)


@pytest.mark.parametrize(("running_only", "query"), [(True, "status=RUNNING"), (False, "")])
def test_list_request_filters_running_on_the_server(
    respx_mock: respx.MockRouter, running_only: bool, query: str
) -> None:
    route = mock_list(respx_mock, 200, b"[]")

    listing(VENDOR, running_only, key="wp-key-abc", options={"company_id": "4567"})

    assert route.call_count == 1  # one array, no pages
    request = route.calls.last.request
    assert request.method == "GET"
    assert request.url.path == "/rest/v1/campaign_list"
    assert request.url.query.decode() == query
    assert request.headers["x-api-key"] == "wp-key-abc"
    assert request.headers["x-company-id"] == "4567"
    assert request.content == b""


def test_list_reads_every_documented_field(respx_mock: respx.MockRouter) -> None:
    mock_list(respx_mock, 200, fixture("campaign_list_200.json"))

    listed = listing(VENDOR, running_only=True)

    assert listed.failure is None
    assert listed.campaigns == [
        Campaign(
            campaign_id="1234567",
            name="SaaS CEOs",
            status="running",
            vendor_status="RUNNING",
            senders=(
                "erlich.bachman@piedpiper.com",
                "jared.dunn@piedpiper.com",
                "jian@bachmanity.com",
            ),
        )
    ]


@pytest.mark.parametrize(
    ("fields", "senders"),
    [
        ({"from_email": "Ops@Acme.IO"}, ("ops@acme.io",)),
        ({"from_email": "a@x.io", "from_emails": ["B@Y.io", "a@x.io"]}, ("a@x.io", "b@y.io")),
        ({"from_emails": [" c@z.io ", ""]}, ("c@z.io",)),
        ({"from_email": "", "from_emails": []}, ()),
        ({"from_email": None, "from_emails": None}, ()),
        ({}, ()),
    ],
    ids=["single", "both-deduplicated", "trimmed", "empty", "null", "absent"],
)
def test_list_senders_lower_cased_each_once(
    respx_mock: respx.MockRouter, fields: dict[str, Any], senders: tuple[str, ...]
) -> None:
    item = {"id": 7, "name": "x", "status": "RUNNING", **fields}
    mock_list(respx_mock, 200, json.dumps([item]).encode())

    (campaign,) = listing(VENDOR).campaigns

    assert campaign.senders == senders


def test_list_every_status_in_the_one_vocabulary(respx_mock: respx.MockRouter) -> None:
    words = ["RUNNING", "PAUSED", "DRAFT", "EDITED", "STOPPED", "COMPLETED", "ERROR"]
    items = [{"id": i + 1, "name": None, "status": w} for i, w in enumerate(words)]
    mock_list(respx_mock, 200, json.dumps(items).encode())

    listed = listing(VENDOR)

    assert listed.failure is None
    assert [(c.campaign_id, c.status, c.vendor_status, c.name) for c in listed.campaigns] == [
        ("1", "running", "RUNNING", None),
        ("2", "paused", "PAUSED", None),
        ("3", "draft", "DRAFT", None),
        ("4", "edited", "EDITED", None),
        ("5", "stopped", "STOPPED", None),
        ("6", "completed", "COMPLETED", None),
        ("7", "error", "ERROR", None),
    ]


def test_list_running_only_also_filters_what_the_server_let_through(
    respx_mock: respx.MockRouter,
) -> None:
    items = [{"id": 1, "status": "RUNNING"}, {"id": 2, "status": "PAUSED"}]
    mock_list(respx_mock, 200, json.dumps(items).encode())

    listed = listing(VENDOR, running_only=True)

    assert [c.campaign_id for c in listed.campaigns] == ["1"]


def test_list_empty_array_is_an_empty_list(respx_mock: respx.MockRouter) -> None:
    mock_list(respx_mock, 200, b"[]")

    assert listing(VENDOR, running_only=True) == CampaignList([], None)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"", "empty body"),
        (b"[{", "invalid or truncated JSON"),
        (HTML, "HTML page"),
        (b"{}", "not a JSON array"),
        (b'{"campaigns": []}', "not a JSON array"),
        (b"[1, 2]", "is not an object"),
        (b'[{"name": "x", "status": "RUNNING"}]', "missing field 'id'"),
        (b'[{"id": 1, "name": "x"}]', "missing field 'status'"),
        (b'[{"id": 1, "status": 3}]', "status is not a string"),
        (b'[{"id": 1, "status": "RUNNING", "name": 5}]', "name is not a string"),
        (b'[{"id": "abc", "status": "RUNNING"}]', "not a valid Woodpecker campaign ID"),
        (b'[{"id": 0, "status": "RUNNING"}]', "not a valid Woodpecker campaign ID"),
        (b'[{"id": -5, "status": "RUNNING"}]', "not a valid Woodpecker campaign ID"),
        (b'[{"id": true, "status": "RUNNING"}]', "ID is not a string"),
        (b'[{"id": 1.5, "status": "RUNNING"}]', "ID is not a string"),
        (b'[{"id": 1, "status": "RUNNING", "from_email": 5}]', "'from_email' is not a string"),
        (b'[{"id": 1, "status": "RUNNING", "from_emails": "a@b.c"}]', "'from_emails' is not a"),
        (b'[{"id": 1, "status": "RUNNING", "from_emails": [1]}]', "'from_emails' is not a"),
    ],
)
def test_list_malformed_is_bad_response_never_a_crash(
    respx_mock: respx.MockRouter, body: bytes, detail: str
) -> None:
    mock_list(respx_mock, 200, body)

    listed = listing(VENDOR, running_only=True)

    assert_list_failed(listed, ErrorKind.BAD_RESPONSE, 200, "Woodpecker", detail)


@pytest.mark.parametrize(
    ("status", "name", "kind"),
    [
        (401, "error_401.json", ErrorKind.AUTH),
        (403, "error_403.json", ErrorKind.PERMISSION),
        (500, "error_500.json", ErrorKind.VENDOR_ERROR),
        (429, None, ErrorKind.RATE_LIMITED),
    ],
)
def test_list_errors_share_the_action_reading(
    respx_mock: respx.MockRouter, status: int, name: str | None, kind: ErrorKind
) -> None:
    mock_list(respx_mock, status, fixture(name) if name else b"")

    listed = listing(VENDOR)

    failure = assert_list_failed(listed, kind, status)
    assert failure.attempts == 1
