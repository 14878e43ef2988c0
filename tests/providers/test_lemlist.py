"""lemlist adapter against every response in vendor-docs/lemlist.md (real HttpTransport).

Basic auth with an empty user name; pause/start answer `{"_id", "state"}`; errors are
`text/plain` strings classified by HTTP status; a 400 on pause/start is re-read once; the
list is a bare array or `{"campaigns", "pagination"}`; senders need one GET per campaign.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
import respx

from campctl.diagnostics import Diagnostics
from campctl.http import HttpTransport, make_client
from campctl.limits import Limits
from campctl.providers.base import Action, Campaign, InvalidCampaignId
from campctl.providers.lemlist.adapter import LemlistAdapter
from campctl.redact import Redactor
from campctl.results import ErrorKind, Outcome, Verdict
from campctl.retry import RetryPolicy
from campctl.transport import VendorLimit
from tests.providers.common import JSON, assert_failed, assert_list_failed, fixture_loader

BASE = "https://api.lemlist.com/api"
KEY = "lm-test-key-0123456789"
CAMPAIGN = "cam_bSn8EORHQxbWPjHvu"
TEXT = {"content-type": "text/plain; charset=utf-8"}
REQUESTS = {
    Action.PAUSE: ("POST", f"/campaigns/{CAMPAIGN}/pause"),
    Action.RESUME: ("POST", f"/campaigns/{CAMPAIGN}/start"),
    Action.STATUS: ("GET", f"/campaigns/{CAMPAIGN}"),
}
ACTIONS = list(REQUESTS)
CHANGES = [Action.PAUSE, Action.RESUME]
TARGET = {Action.PAUSE: "paused", Action.RESUME: "running"}
LIST = f"{BASE}/campaigns"

fixture = fixture_loader("lemlist")


async def _no_sleep(_seconds: float) -> None:
    return None


def build(
    client: httpx.AsyncClient,
    *,
    retries: int = 0,
    sleep: Callable[[float], Awaitable[None]] = _no_sleep,
    key: str = KEY,
) -> LemlistAdapter:
    """The adapter on a real transport, as campctl builds it."""
    meta = LemlistAdapter.meta
    transport = HttpTransport(
        client,
        base_url=BASE,
        auth=meta.auth,
        api_key=key,
        timeout=5.0,
        policy=RetryPolicy(retries=retries, sleep=sleep, random=lambda: 1.0),
        limits=Limits(8),
        scope=Limits.scope("lemlist", key),
        vendor_limit=meta.limit,
        diagnostics=Diagnostics(Redactor()),
        provider="lemlist",
    )
    return LemlistAdapter(LemlistAdapter.Options(), transport)


def run(use: Callable[[LemlistAdapter], Awaitable[Any]], **kwargs: Any) -> Any:
    async def go() -> Any:
        async with make_client([BASE], 8) as client:
            return await use(build(client, **kwargs))

    return asyncio.run(go())


def act(action: Action, campaign_id: str = CAMPAIGN, **kwargs: Any) -> Verdict:
    verdict: Verdict = run(lambda adapter: adapter.verb(action)(campaign_id), **kwargs)
    return verdict


def mock(
    router: respx.MockRouter,
    action: Action,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> respx.Route:
    method, path = REQUESTS[action]
    if headers is None:
        headers = JSON if status == 200 else TEXT
    return router.route(method=method, url=BASE + path).respond(
        status, content=body, headers=headers
    )


def campaign(status: str, campaign_id: str = CAMPAIGN, **extra: Any) -> bytes:
    body = json.loads(fixture("campaign_200.json"))
    return json.dumps({**body, "_id": campaign_id, "status": status, **extra}).encode()


def answer(action: Action, campaign_id: str = CAMPAIGN) -> bytes:
    name = "pause_200.json" if action is Action.PAUSE else "start_200.json"
    return json.dumps({**json.loads(fixture(name)), "_id": campaign_id}).encode()


# -- the request ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_request_method_path_and_basic_auth(respx_mock: respx.MockRouter, action: Action) -> None:
    body = campaign("running") if action is Action.STATUS else answer(action)
    route = mock(respx_mock, action, 200, body)

    act(action)

    request = route.calls.last.request
    assert request.method == REQUESTS[action][0]
    assert request.url == BASE + REQUESTS[action][1]
    # "login:password where the login is always empty": base64 of ":" + key, exactly.
    assert request.headers["authorization"] == "Basic " + base64.b64encode(
        b":" + KEY.encode()
    ).decode("ascii")
    assert request.headers["authorization"] == "Basic OmxtLXRlc3Qta2V5LTAxMjM0NTY3ODk="
    assert "access_token" not in str(request.url)
    assert request.headers["user-agent"].startswith("campctl/")
    assert request.content == b""  # no request body


def test_meta_is_the_documented_contract() -> None:
    meta = LemlistAdapter.meta
    assert meta.default_base_url == BASE
    assert (meta.auth.kind, meta.auth.name) == ("basic", "")
    assert meta.limit == VendorLimit(windows=((20, 2.0),))
    assert meta.answer_tells is False  # a repeat pause is a 400 that needs a read to tell
    assert meta.reads_lag is True
    assert (meta.can_status, meta.can_list, meta.exposes_senders) == (True, True, True)
    assert meta.server_running_filter is True


# -- documented successes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "name", "campaign_id"),
    [
        (Action.PAUSE, "pause_200.json", "cam_tWpCFrJj7oW8ip39e"),
        (Action.RESUME, "start_200.json", "cam_suajL2SXxmH7NdZ6F"),
        (Action.PAUSE, "pause_200_openapi.json", "cam_A1B2C3D4E5F6G7H8I9"),
        (Action.RESUME, "start_200_openapi.json", "cam_A1B2C3D4E5F6G7H8I9"),
    ],
    ids=["pause-observed", "start-observed", "pause-openapi", "start-openapi"],
)
def test_200_state_is_done(
    respx_mock: respx.MockRouter, action: Action, name: str, campaign_id: str
) -> None:
    method = "POST"
    verb = "pause" if action is Action.PAUSE else "start"
    respx_mock.route(method=method, url=f"{BASE}/campaigns/{campaign_id}/{verb}").respond(
        200, content=fixture(name), headers={**json.loads(fixture("headers_200.json"))}
    )

    verdict = act(action, campaign_id)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == TARGET[action]
    assert verdict.details == {"vendor_status": TARGET[action]}
    assert verdict.message == f"campaign {TARGET[action]}"
    assert verdict.http_status == 200
    assert verdict.attempts == 1


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("running", "running"),
        ("paused", "paused"),
        ("draft", "draft"),
        ("ended", "completed"),
        ("archived", "archived"),
        ("errors", "errors"),
        ("Ended", "completed"),
        ("sleeping", "sleeping"),  # outside the enum: lower-cased, never running
    ],
)
def test_status_maps_every_documented_value(
    respx_mock: respx.MockRouter, raw: str, status: str
) -> None:
    mock(respx_mock, Action.STATUS, 200, campaign(raw))

    verdict = act(Action.STATUS)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == status
    assert verdict.details == {"vendor_status": raw}
    assert verdict.message == f"campaign is {status}"


def test_status_of_the_openapi_example(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.STATUS, 200, fixture("campaign_200.json"))

    verdict = act(Action.STATUS)

    assert (verdict.outcome, verdict.status) == (Outcome.DONE, "draft")


def test_running_with_errors_is_running_and_names_them(respx_mock: respx.MockRouter) -> None:
    errors = ["One of your sender has no email provider."]
    mock(respx_mock, Action.STATUS, 200, campaign("running", hasError=True, errors=errors))

    verdict = act(Action.STATUS)

    assert verdict.status == "running"
    assert verdict.details == {"vendor_status": "running", "errors": errors}


@pytest.mark.parametrize("action", ACTIONS)
def test_an_answer_about_another_campaign_is_bad_response(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    other = "cam_OtherCampaign0001"
    body = campaign("running", other) if action is Action.STATUS else answer(action, other)
    mock(respx_mock, action, 200, body)

    verdict = act(action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert "another campaign" in verdict.message


@pytest.mark.parametrize(
    "body",
    [b"", b"[]", b'"paused"', b'{"_id": "cam_bSn8EORHQxbWPjHvu"}', b'{"state": 1}', b'{"state'],
    ids=["empty", "array", "string", "no-state", "state-number", "truncated"],
)
@pytest.mark.parametrize("action", CHANGES)
def test_bad_200_bodies_on_pause_and_start(
    respx_mock: respx.MockRouter, action: Action, body: bytes
) -> None:
    mock(respx_mock, action, 200, body)

    verdict = act(action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)


# -- a 200 naming another state than the target: one read decides ---------------------------


@pytest.mark.parametrize("action", CHANGES)
def test_other_state_in_the_answer_is_settled_by_a_read(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    wrong = "running" if action is Action.PAUSE else "paused"
    mock(respx_mock, action, 200, json.dumps({"_id": CAMPAIGN, "state": wrong}).encode())
    read = mock(respx_mock, Action.STATUS, 200, campaign(TARGET[action]))

    verdict = act(action)

    assert read.call_count == 1
    assert verdict.outcome is Outcome.DONE
    assert verdict.status == TARGET[action]
    assert verdict.http_status == 200
    assert wrong in verdict.message


@pytest.mark.parametrize("action", CHANGES)
def test_other_state_confirmed_by_the_read_is_a_conflict(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    wrong = "running" if action is Action.PAUSE else "paused"
    mock(respx_mock, action, 200, json.dumps({"_id": CAMPAIGN, "state": wrong}).encode())
    mock(respx_mock, Action.STATUS, 200, campaign(wrong))

    verdict = act(action)

    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert (verdict.error.kind, verdict.http_status) == (ErrorKind.CONFLICT, 200)
    assert verdict.status == wrong  # the state the read shows
    assert f"a status read shows {wrong}" in verdict.message


def test_other_state_and_a_failed_read_is_that_read_failure(
    respx_mock: respx.MockRouter,
) -> None:
    mock(respx_mock, Action.PAUSE, 200, json.dumps({"_id": CAMPAIGN, "state": "running"}).encode())
    mock(respx_mock, Action.STATUS, 404, fixture("error_404_campaign_not_found.txt"))

    verdict = act(Action.PAUSE)

    assert_failed(verdict, ErrorKind.NOT_FOUND, 200, None)  # 200: the pause's own answer
    assert "lemlist answered the pause with running, and the status read failed" in (
        verdict.message
    )
    assert verdict.details["outcome_unknown"] is True
    assert verdict.error is not None
    assert verdict.error.message == verdict.message


# -- the 400 on a repeated pause / start: one status read tells ------------------------------


@pytest.mark.parametrize(
    ("action", "body"),
    [
        (Action.PAUSE, "error_400_bad_team.txt"),  # the repeat's own body is unrecorded
        (Action.RESUME, "start_400_already_running.txt"),  # as a connector page quotes it
    ],
)
def test_400_on_a_campaign_already_in_the_target_state_is_a_noop(
    respx_mock: respx.MockRouter, action: Action, body: str
) -> None:
    refused = mock(respx_mock, action, 400, fixture(body))
    read = mock(respx_mock, Action.STATUS, 200, campaign(TARGET[action]))

    verdict = act(action)

    assert (refused.call_count, read.call_count) == (1, 1)
    assert verdict.outcome is Outcome.NOOP
    assert verdict.status == TARGET[action]
    assert verdict.details == {"vendor_status": TARGET[action]}
    assert verdict.message == f"campaign is already {TARGET[action]}"
    assert verdict.http_status == 400
    assert verdict.attempts == 1
    assert verdict.error is None


@pytest.mark.parametrize("action", CHANGES)
@pytest.mark.parametrize("now", ["draft", "ended", "archived", "errors"])
def test_400_on_a_campaign_in_another_state_stands(
    respx_mock: respx.MockRouter, action: Action, now: str
) -> None:
    mock(respx_mock, action, 400, fixture("error_400_bad_team.txt"))
    read = mock(respx_mock, Action.STATUS, 200, campaign(now))

    verdict = act(action)

    assert read.call_count == 1
    assert_failed(verdict, ErrorKind.INVALID_REQUEST, 400, None)
    assert verdict.message == "Bad team (HTTP 400)"
    assert verdict.attempts == 1


@pytest.mark.parametrize("action", CHANGES)
def test_400_stands_when_the_state_cannot_be_read(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    mock(respx_mock, action, 400, fixture("error_400_bad_team.txt"))
    mock(respx_mock, Action.STATUS, 503, b"")

    verdict = act(action)

    assert_failed(verdict, ErrorKind.INVALID_REQUEST, 400, None)


def test_400_on_a_status_read_is_not_read_again(respx_mock: respx.MockRouter) -> None:
    route = mock(respx_mock, Action.STATUS, 400, fixture("error_400_bad_team.txt"))

    verdict = act(Action.STATUS)

    assert route.call_count == 1
    assert_failed(verdict, ErrorKind.INVALID_REQUEST, 400, None)
    assert verdict.message == "Bad team (HTTP 400)"


def test_a_retried_pause_that_meets_400_says_an_earlier_attempt_may_have_landed(
    respx_mock: respx.MockRouter,
) -> None:
    _, path = REQUESTS[Action.PAUSE]
    respx_mock.post(BASE + path).mock(
        side_effect=[httpx.Response(503), httpx.Response(400, content=b"Bad team")]
    )
    mock(respx_mock, Action.STATUS, 200, campaign("paused"))

    verdict = act(Action.PAUSE, retries=1)

    assert verdict.outcome is Outcome.NOOP
    assert verdict.attempts == 2
    assert verdict.message == "campaign is already paused (an earlier attempt may have landed)"


# -- documented errors: text/plain strings, classified by status ------------------------------

ERRORS = [
    (400, "error_400_bad_team.txt", ErrorKind.INVALID_REQUEST),
    (404, "error_404_campaign_not_found.txt", ErrorKind.NOT_FOUND),
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("status", "name", "kind"), ERRORS, ids=["400", "404"])
def test_documented_text_errors(
    respx_mock: respx.MockRouter, action: Action, status: int, name: str, kind: ErrorKind
) -> None:
    route = mock(respx_mock, action, status, fixture(name))
    if action is not Action.STATUS:  # a 400 is re-read: here the campaign is running
        mock(
            respx_mock,
            Action.STATUS,
            200,
            campaign("running" if action is Action.PAUSE else "paused"),
        )

    verdict = act(action)

    assert route.call_count == 1
    assert_failed(verdict, kind, status, None)
    assert verdict.message == f"{fixture(name).decode()} (HTTP {status})"
    assert verdict.error is not None
    assert verdict.error.message == verdict.message


@pytest.mark.parametrize("action", ACTIONS)
def test_401_without_a_body_is_auth(respx_mock: respx.MockRouter, action: Action) -> None:
    mock(respx_mock, action, 401, b"", {})

    verdict = act(action)

    assert_failed(verdict, ErrorKind.AUTH, 401, None)
    assert verdict.message == "the vendor rejected the API key (HTTP 401)"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"  Campaign\r\n not\tfound \x1b[2J ", "Campaign not found \x1b[2J (HTTP 404)"),
        (b"x" * 5000, "x" * 300 + " (HTTP 404)"),
        (b'{"message": "Campaign not found"}', "Campaign not found (HTTP 404)"),
        (b"{}", "campaign not found (HTTP 404)"),
        (
            b"<html><body>404</body></html>",
            "campaign not found (HTML page instead of JSON) (HTTP 404)",
        ),
        (b"\xff\xfeoops", "\ufffd\ufffdoops (HTTP 404)"),
    ],
    ids=["whitespace", "long", "json", "json-empty", "html", "not-utf8"],
)
def test_error_text_is_one_bounded_line(
    respx_mock: respx.MockRouter, body: bytes, message: str
) -> None:
    """Escaping control characters is the output's job; the adapter keeps one line."""
    mock(respx_mock, Action.STATUS, 404, body)

    verdict = act(Action.STATUS)

    assert_failed(verdict, ErrorKind.NOT_FOUND, 404, None)
    assert verdict.message == message


# -- rate limits: fractional Retry-After, honoured on a 429 only ------------------------------


def _recorder() -> tuple[list[float], Callable[[float], Awaitable[None]]]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return waits, sleep


def test_429_with_fractional_retry_after_is_retried_after_that_wait(
    respx_mock: respx.MockRouter,
) -> None:
    _, path = REQUESTS[Action.PAUSE]
    limited = {
        "retry-after": "0.5",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": "Thu Oct 01 2026 22:58:16 GMT+0200 (Central European Summer Time)",
    }
    route = respx_mock.post(BASE + path).mock(
        side_effect=[
            httpx.Response(429, content=b"Too Many Requests", headers=limited),
            httpx.Response(200, content=answer(Action.PAUSE), headers=JSON),
        ]
    )
    waits, sleep = _recorder()

    verdict = act(Action.PAUSE, retries=1, sleep=sleep)

    assert route.call_count == 2
    assert waits == [0.5]
    assert (verdict.outcome, verdict.status, verdict.attempts) == (Outcome.DONE, "paused", 2)


def test_a_200_with_retry_after_delays_nothing(respx_mock: respx.MockRouter) -> None:
    headers = {**json.loads(fixture("headers_200.json")), "retry-after": "2"}
    mock(respx_mock, Action.PAUSE, 200, answer(Action.PAUSE), headers)
    waits, sleep = _recorder()

    verdict = act(Action.PAUSE, retries=3, sleep=sleep)

    assert waits == []
    assert (verdict.outcome, verdict.attempts) == (Outcome.DONE, 1)


def test_429_after_retries_is_rate_limited_and_says_when(respx_mock: respx.MockRouter) -> None:
    headers = {"retry-after": "0.88", "x-ratelimit-reset": "Thu Oct 01 2026 22:59:03 GMT+0200"}
    mock(respx_mock, Action.RESUME, 429, b"", headers)

    verdict = act(Action.RESUME)

    assert_failed(verdict, ErrorKind.RATE_LIMITED, 429, None)
    assert "vendor asks to wait 1 s: try again after" in verdict.message


# -- campaign IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "campaign_id",
    ["cam_bSn8EORHQxbWPjHvu", "cam_A1B2C3D4E5F6G7H8I9", "cam_123456", "cam_" + "a" * 60],
)
def test_check_id_accepts_cam_ids(campaign_id: str) -> None:
    LemlistAdapter.check_id(campaign_id)


@pytest.mark.parametrize(
    "campaign_id",
    ["bSn8EORHQxbWPjHvu", "cam_", "CAM_abc", "cam_abc-def", "cam_abc_def", "cam_" + "a" * 61,
     "cam_abc/../x", "usr_ahfFktBBHUIxbVG5P"],
)  # fmt: skip
def test_check_id_rejects_other_ids(campaign_id: str) -> None:
    with pytest.raises(InvalidCampaignId, match="'cam_' then letters or digits"):
        LemlistAdapter.check_id(campaign_id)


# -- the campaign list ------------------------------------------------------------------------


def listing(running_only: bool = False, **kwargs: Any) -> Any:
    return run(lambda adapter: adapter.campaigns(running_only), **kwargs)


def envelope(items: list[dict[str, Any]], page: int, total_pages: int) -> dict[str, Any]:
    following = page + 1 if page < total_pages else page
    pagination = {"totalRecords": 0, "currentPage": page, "nextPage": following}
    return {"campaigns": items, "pagination": {**pagination, "totalPage": total_pages}}


def item(n: int, status: str = "running") -> dict[str, Any]:
    return {"_id": f"cam_Listed{n:05d}", "name": f"Campaign {n}", "status": status}


def test_list_envelope_as_observed(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(LIST).respond(200, content=fixture("list_200_envelope.json"))

    listed = listing()

    assert route.call_count == 1
    assert route.calls.last.request.url.query == b"version=v2&limit=100&page=1"
    assert listed.failure is None
    assert listed.campaigns == [
        Campaign("cam_vyzp8v33RBTfNQRvz", "Nango Seed Campaign", "draft", "draft", ())
    ]


def test_list_bare_array_as_the_spec_shows(respx_mock: respx.MockRouter) -> None:
    respx_mock.get(LIST).respond(200, content=fixture("list_200_array.json"))

    listed = listing()

    assert listed.failure is None
    assert [(c.campaign_id, c.status) for c in listed.campaigns] == [
        ("cam_4HrZbi8xsez4QlrnL", "running"),  # running with errors is running
        ("cam_k3gu2sa4KIfhRK34M", "running"),
    ]
    assert all(c.senders == () for c in listed.campaigns)  # list items carry none


def test_list_running_filter_is_server_side(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(LIST).respond(200, json=envelope([item(1), item(2, "paused")], 1, 1))

    listed = listing(running_only=True)

    assert route.calls.last.request.url.query == b"version=v2&limit=100&page=1&status=running"
    assert [c.campaign_id for c in listed.campaigns] == ["cam_Listed00001"]


def test_list_envelope_pages_until_current_reaches_total(respx_mock: respx.MockRouter) -> None:
    pages = [
        envelope([item(n) for n in range(1, 101)], 1, 3),
        envelope([item(n) for n in range(101, 140)], 2, 3),  # a short page that is not the last
        envelope([item(200, "ended")], 3, 3),
    ]
    route = respx_mock.get(LIST).mock(side_effect=[httpx.Response(200, json=p) for p in pages])

    listed = listing()

    assert [c.request.url.params["page"] for c in route.calls] == ["1", "2", "3"]
    assert listed.failure is None
    assert len(listed.campaigns) == 140
    assert listed.campaigns[-1].status == "completed"


def test_list_bare_array_pages_until_a_short_page(respx_mock: respx.MockRouter) -> None:
    pages = [[item(n) for n in range(1, 101)], [item(n) for n in range(101, 103)]]
    route = respx_mock.get(LIST).mock(side_effect=[httpx.Response(200, json=p) for p in pages])

    listed = listing()

    assert [c.request.url.params["page"] for c in route.calls] == ["1", "2"]
    assert len(listed.campaigns) == 102


def test_list_empty_envelope(respx_mock: respx.MockRouter) -> None:
    respx_mock.get(LIST).respond(200, json=envelope([], 1, 0))

    listed = listing()

    assert (listed.campaigns, listed.failure) == ([], None)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"campaigns": []}, "missing field 'pagination'"),
        ({"data": []}, "missing field 'campaigns'"),
        ("campaigns", "neither an array nor"),
        ({"campaigns": {}, "pagination": {}}, "'campaigns' is not a list"),
        ([1, 2], "not an object"),
        (envelope([item(1)], 2, 2), "asked for page 1, the answer is page 2"),
        (envelope([], 1, 5), "page 1 of 5 is empty"),
        ({"campaigns": [], "pagination": {"currentPage": "1", "totalPage": 1}}, "whole numbers"),
        ([{"_id": "cam_x", "status": 1}], "status is not a string"),
        ([{"_id": "usr_notACampaign", "status": "running"}], "not a valid lemlist campaign ID"),
    ],
    ids=[
        "no-pagination", "data", "string", "campaigns-object", "numbers", "wrong-page",
        "empty-not-last", "page-text", "status-number", "not-a-campaign-id",
    ],
)  # fmt: skip
def test_list_other_shapes_are_bad_response(
    respx_mock: respx.MockRouter, body: Any, detail: str
) -> None:
    respx_mock.get(LIST).respond(200, json=body)

    failure = assert_list_failed(listing(), ErrorKind.BAD_RESPONSE, 200)

    assert detail in failure.message


@pytest.mark.parametrize(
    ("status", "name", "kind"),
    [
        (400, "list_400_no_api_key.txt", ErrorKind.INVALID_REQUEST),
        (401, "list_401_incorrect.txt", ErrorKind.AUTH),
        (403, "list_403_blocked.txt", ErrorKind.PERMISSION),
        (404, "list_404_no_user.txt", ErrorKind.NOT_FOUND),
    ],
)
def test_list_documented_text_errors(
    respx_mock: respx.MockRouter, status: int, name: str, kind: ErrorKind
) -> None:
    respx_mock.get(LIST).respond(status, content=fixture(name), headers=TEXT)

    assert_list_failed(listing(), kind, status, fixture(name).decode())


def test_list_page_two_failure_names_the_page(respx_mock: respx.MockRouter) -> None:
    respx_mock.get(LIST).mock(
        side_effect=[
            httpx.Response(200, json=envelope([item(n) for n in range(1, 101)], 1, 2)),
            httpx.Response(401, content=fixture("list_401_incorrect.txt"), headers=TEXT),
        ]
    )

    assert_list_failed(listing(), ErrorKind.AUTH, 401, "(campaign list page 2)")


# -- senders: one single-campaign GET per running campaign ------------------------------------


def listed(campaign_id: str, status: str) -> Campaign:
    return Campaign(campaign_id, None, status, status, ())


def test_senders_are_read_only_for_running_campaigns(respx_mock: respx.MockRouter) -> None:
    running = respx_mock.get(f"{BASE}/campaigns/cam_Running00001").respond(
        200,
        json={
            "_id": "cam_Running00001",
            "status": "running",
            "senders": [
                {"id": "usr_a", "email": "Erlich@Acme.IO", "sendUserMailboxId": "usm_a"},
                {"id": "usr_b", "email": "jared@acme.io", "sendUserMailboxId": "usm_b"},
            ],
        },
    )
    no_senders = respx_mock.get(f"{BASE}/campaigns/cam_Running00002").respond(
        200, json={"_id": "cam_Running00002", "status": "running"}
    )
    campaigns = [
        listed("cam_Running00001", "running"),
        listed("cam_Paused000001", "paused"),
        listed("cam_Running00002", "running"),
        listed("cam_Ended0000001", "completed"),
    ]

    result = run(lambda adapter: adapter.with_senders(campaigns))

    assert (running.call_count, no_senders.call_count) == (1, 1)
    assert len(respx_mock.calls) == 2  # nothing read for the paused and the ended one
    assert [c.senders for c in result] == [("erlich@acme.io", "jared@acme.io"), (), (), ()]


def test_senders_of_the_openapi_example(respx_mock: respx.MockRouter) -> None:
    respx_mock.get(f"{BASE}/campaigns/{CAMPAIGN}").respond(
        200, content=fixture("campaign_200.json")
    )

    result = run(lambda adapter: adapter.with_senders([listed(CAMPAIGN, "running")]))

    assert result[0].senders == ("support@lemlist.com",)


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (404, b"Campaign not found", ErrorKind.NOT_FOUND),
        (200, b'{"senders": [{"id": "usr_a"}]}', ErrorKind.BAD_RESPONSE),
        (200, b'{"senders": "a@acme.io"}', ErrorKind.BAD_RESPONSE),
        (200, b"[]", ErrorKind.BAD_RESPONSE),
    ],
    ids=["404", "no-email", "senders-string", "array"],
)
def test_a_failed_senders_read_fails_the_selection(
    respx_mock: respx.MockRouter, status: int, body: bytes, kind: ErrorKind
) -> None:
    respx_mock.get(f"{BASE}/campaigns/{CAMPAIGN}").respond(status, content=body)

    result = run(lambda adapter: adapter.with_senders([listed(CAMPAIGN, "running")]))

    assert isinstance(result, Verdict)
    assert result.error is not None
    assert result.error.kind is kind
    assert f"(senders of campaign {CAMPAIGN})" in result.message
