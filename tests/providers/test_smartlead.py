"""Smartlead adapter against every response in vendor-docs/smartlead.md (real HttpTransport).

The key is the `api_key` query parameter; pause and start are one endpoint with two bodies;
answers come in several documented envelopes, each accepted, anything else `bad_response`.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from campctl.config import ConfigError, load_config, resolve_profile
from campctl.providers.base import Action, Campaign, CampaignList, InvalidCampaignId
from campctl.providers.smartlead.adapter import (
    STATUS_REQUESTS,
    SmartleadAdapter,
    SmartleadOptions,
)
from campctl.results import ErrorKind, Outcome
from tests import helpers
from tests.helpers import act, build, cli
from tests.providers.common import JSON, assert_failed, assert_list_failed, fixture_loader, listing

VENDOR = "smartlead"
BASE = "https://server.smartlead.ai/api/v1"
CAMPAIGN = "123"  # the id of the docs' status and wrapped-GET examples
KEY = "sl-key-0123456789abcdef"

REQUESTS = {
    Action.PAUSE: ("POST", f"/campaigns/{CAMPAIGN}/status"),
    Action.RESUME: ("POST", f"/campaigns/{CAMPAIGN}/status"),
    Action.STATUS: ("GET", f"/campaigns/{CAMPAIGN}"),
}
CHANGES = [Action.PAUSE, Action.RESUME]
STATUS_WORDS = [
    ("ACTIVE", "running"),
    ("PAUSED", "paused"),
    ("STOPPED", "stopped"),
    ("COMPLETED", "completed"),
    ("DRAFTED", "draft"),
    ("DRAFT", "draft"),
    ("ARCHIVED", "archived"),
    ("SOMETHING_NEW", "something_new"),
]

fixture = fixture_loader(VENDOR)


@pytest.fixture(autouse=True)
def smartlead_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared helpers' tables, extended for this module's tests only."""
    monkeypatch.setitem(helpers.BASE_URLS, VENDOR, BASE)
    monkeypatch.setitem(helpers.IDS, VENDOR, CAMPAIGN)


def mock(
    router: respx.MockRouter,
    action: Action,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> respx.Route:
    method, path = REQUESTS[action]
    return router.route(method=method, url=BASE + path).respond(
        status, content=body, headers=JSON if headers is None else headers
    )


def answer(status: int, payload: object) -> bytes:
    return json.dumps(payload).encode()


# -- the request ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "body"),
    [(Action.PAUSE, {"status": "PAUSED"}), (Action.RESUME, {"status": "START"})],
)
def test_status_update_request(respx_mock: respx.MockRouter, action: Action, body: Any) -> None:
    route = mock(respx_mock, action, 200, fixture("status_200_openapi.json"))

    act(VENDOR, action, key=KEY)

    request = route.calls.last.request
    assert request.method == "POST"
    assert request.url.path == f"/api/v1/campaigns/{CAMPAIGN}/status"
    assert dict(request.url.params) == {"api_key": KEY}
    assert json.loads(request.content) == body
    assert request.headers["content-type"] == "application/json"
    assert "authorization" not in request.headers
    assert KEY not in str(dict(request.headers))  # the key goes in the query only


def test_status_read_request(respx_mock: respx.MockRouter) -> None:
    route = mock(respx_mock, Action.STATUS, 200, fixture("campaign_200_wrapped.json"))

    act(VENDOR, Action.STATUS, key=KEY)

    request = route.calls.last.request
    assert request.method == "GET"
    assert request.url.path == f"/api/v1/campaigns/{CAMPAIGN}"
    assert dict(request.url.params) == {"api_key": KEY}
    assert request.content == b""


def test_the_key_is_percent_encoded_into_the_query(respx_mock: respx.MockRouter) -> None:
    route = mock(respx_mock, Action.STATUS, 200, fixture("campaign_200_wrapped.json"))

    act(VENDOR, Action.STATUS, key="a&b=c+d")

    assert dict(route.calls.last.request.url.params) == {"api_key": "a&b=c+d"}


def test_no_request_campctl_can_build_sends_stopped() -> None:
    """STOPPED is permanent (and ARCHIVED hides the campaign): no hook ever builds either."""
    adapter = SmartleadAdapter(SmartleadOptions(), transport=None)  # type: ignore[arg-type]
    specs = [adapter.request_for(action, CAMPAIGN) for action in Action]
    specs += [adapter.list_request(None, True), adapter.list_request(None, False)]
    specs += [adapter.senders_request(CAMPAIGN)]
    bodies = [spec.json for spec in specs if spec is not None and spec.json is not None]
    assert bodies == [{"status": "PAUSED"}, {"status": "START"}]
    assert set(STATUS_REQUESTS.values()) == {"PAUSED", "START"}
    for spec in specs:
        assert spec is not None
        assert spec.method in ("GET", "POST")
        sent = json.dumps([spec.method, spec.path, spec.json, dict(spec.headers)]).upper()
        assert "STOPPED" not in sent
        assert "ARCHIVED" not in sent


# -- documented successes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [(Action.PAUSE, "paused", "campaign paused"), (Action.RESUME, "running", "campaign started")],
)
def test_openapi_ok_true_is_done_in_the_target_state(
    respx_mock: respx.MockRouter, action: Action, status: str, message: str
) -> None:
    mock(respx_mock, action, 200, fixture("status_200_openapi.json"))

    verdict = act(VENDOR, action)

    assert (verdict.outcome, verdict.status, verdict.message) == (Outcome.DONE, status, message)
    assert verdict.details == {}  # the vendor named no state
    assert verdict.http_status == 200
    assert verdict.error is None
    assert verdict.attempts == 1


def test_the_pages_start_answer_is_done_running_with_the_vendor_word(
    respx_mock: respx.MockRouter,
) -> None:
    route = mock(respx_mock, Action.RESUME, 200, fixture("status_200_page.json"))

    verdict = act(VENDOR, Action.RESUME)

    assert (verdict.outcome, verdict.status) == (Outcome.DONE, "running")
    assert verdict.details == {"vendor_status": "ACTIVE"}
    assert route.call_count == 1  # the answer states the target state: no read


def test_a_pause_answer_stating_paused_is_done(respx_mock: respx.MockRouter) -> None:
    body = {"success": True, "message": "ok", "campaign": {"id": 123, "status": "PAUSED"}}
    mock(respx_mock, Action.PAUSE, 200, answer(200, body))

    verdict = act(VENDOR, Action.PAUSE)

    assert (verdict.outcome, verdict.status) == (Outcome.DONE, "paused")
    assert verdict.details == {"vendor_status": "PAUSED"}


@pytest.mark.parametrize(
    "envelope", [{"success": True}, {"ok": True}, {"ok": True, "success": True}]
)
def test_either_flag_without_a_campaign_is_done(
    respx_mock: respx.MockRouter, envelope: dict[str, Any]
) -> None:
    mock(respx_mock, Action.PAUSE, 200, answer(200, envelope))

    assert act(VENDOR, Action.PAUSE).status == "paused"


# -- an answer stating another state: one status read decides -------------------------------


def stated(word: str) -> bytes:
    return answer(200, {"success": True, "campaign": {"id": 123, "status": word}})


def test_another_stated_state_confirmed_by_the_read_is_done(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.PAUSE, 200, stated("ACTIVE"))
    read = mock(respx_mock, Action.STATUS, 200, answer(200, {"id": 123, "status": "PAUSED"}))

    verdict = act(VENDOR, Action.PAUSE)

    assert read.call_count == 1
    assert (verdict.outcome, verdict.status) == (Outcome.DONE, "paused")
    assert verdict.details == {"vendor_status": "PAUSED"}
    assert verdict.message == (
        "campaign paused (Smartlead answered the pause with running (status ACTIVE); "
        "a status read confirms paused)"
    )


def test_another_stated_state_the_read_repeats_is_a_conflict(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.RESUME, 200, stated("PAUSED"))
    mock(respx_mock, Action.STATUS, 200, answer(200, {"id": 123, "status": "PAUSED"}))

    verdict = act(VENDOR, Action.RESUME)

    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.CONFLICT
    assert verdict.status == "paused"
    assert verdict.message == (
        "Smartlead answered the resume with paused (status PAUSED), and a status read shows paused"
    )
    assert verdict.details == {"vendor_status": "PAUSED"}


def test_another_stated_state_with_a_failed_read_is_outcome_unknown(
    respx_mock: respx.MockRouter,
) -> None:
    mock(respx_mock, Action.PAUSE, 200, stated("ACTIVE"))
    mock(respx_mock, Action.STATUS, 500, fixture("error_500.json"))

    verdict = act(VENDOR, Action.PAUSE)

    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.VENDOR_ERROR
    assert verdict.http_status == 200  # the action's answer
    assert verdict.details == {"vendor_status": "ACTIVE", "outcome_unknown": True}
    assert "answered the pause with running (status ACTIVE), and the status read failed" in (
        verdict.message
    )
    assert "Internal server error occurred (HTTP 500)" in verdict.message


# -- status read: both documented envelopes, every documented word ----------------------------


@pytest.mark.parametrize(("raw", "status"), STATUS_WORDS)
@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "wrapped"])
def test_status_reads_every_word_in_either_envelope(
    respx_mock: respx.MockRouter, raw: str, status: str, wrapped: bool
) -> None:
    body = json.loads(fixture("campaign_200_wrapped.json"))
    body["data"]["status"] = raw
    mock(respx_mock, Action.STATUS, 200, answer(200, body if wrapped else body["data"]))

    verdict = act(VENDOR, Action.STATUS)

    assert (verdict.outcome, verdict.status) == (Outcome.DONE, status)
    assert verdict.details == {"vendor_status": raw}
    assert verdict.message == f"campaign is {status}"


def test_status_fixtures_as_documented(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.STATUS, 200, fixture("campaign_200_wrapped.json"))
    respx_mock.get(BASE + "/campaigns/2710262").respond(
        200, content=fixture("campaign_200_bare.json")
    )

    wrapped = act(VENDOR, Action.STATUS)
    bare = act(VENDOR, Action.STATUS, "2710262")

    assert (wrapped.outcome, wrapped.status) == (Outcome.DONE, "running")
    assert (bare.outcome, bare.status) == (Outcome.DONE, "running")


# -- bodies that are not what Smartlead documents -----------------------------------------------

HTML = b"<!DOCTYPE html><html><body>Smartlead - Sign in</body></html>"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"success", "invalid or truncated JSON"),  # the plain text a peer client tolerates
        (b"", "empty body"),
        (HTML, "HTML"),
        (b"[]", "not a JSON object"),
        (b"{}", "neither ok nor success"),
        (b'{"message": "Campaign status updated successfully"}', "neither ok nor success"),
        (b'{"ok": false}', "'ok' is not true"),
        (b'{"success": false, "message": "Campaign has no leads"}', "Campaign has no leads"),
        (b'{"success": "true"}', "'success' is not true"),
        (b'{"ok": true, "success": false}', "'success' is not true"),
        (b'{"ok": true, "campaign": "PAUSED"}', "'campaign' is not an object"),
        (b'{"success": true, "campaign": {"status": 2}}', "the status is not a string"),
    ],
)
@pytest.mark.parametrize("action", CHANGES)
def test_undocumented_status_answer_is_bad_response(
    respx_mock: respx.MockRouter, action: Action, body: bytes, detail: str
) -> None:
    mock(respx_mock, action, 200, body)

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert verdict.message.startswith("unexpected answer from Smartlead (HTTP 200)")
    assert detail in verdict.message


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"[]", "not a JSON object"),
        (b'{"success": false, "data": {}}', "'success' is not true"),
        (b'{"success": true}', "missing field 'data'"),
        (b'{"success": true, "data": []}', "'data' is not an object"),
        (b'{"data": {"id": 123}}', "missing field 'status'"),
        (b'{"id": 123}', "missing field 'status'"),
        (b'{"id": 123, "status": 1}', "'status' is not a string"),
        (b'{"id": 123, "status": "ACT', "invalid or truncated JSON"),
    ],
)
def test_malformed_status_read_is_bad_response(
    respx_mock: respx.MockRouter, body: bytes, detail: str
) -> None:
    mock(respx_mock, Action.STATUS, 200, body)

    verdict = act(VENDOR, Action.STATUS)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert detail in verdict.message


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        (Action.PAUSE, {"success": True, "campaign": {"id": 124, "status": "PAUSED"}}),
        (Action.RESUME, {"success": True, "campaign": {"id": "124", "status": "ACTIVE"}}),
        (Action.STATUS, {"id": 124, "status": "PAUSED"}),
        (Action.STATUS, {"success": True, "data": {"id": 124, "status": "PAUSED"}}),
    ],
)
def test_an_answer_about_another_campaign_is_bad_response(
    respx_mock: respx.MockRouter, action: Action, payload: Any
) -> None:
    mock(respx_mock, action, 200, answer(200, payload))

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 200, None)
    assert f"another campaign than {CAMPAIGN}" in verdict.message


@pytest.mark.parametrize("action", list(Action))
def test_redirect_is_bad_response(respx_mock: respx.MockRouter, action: Action) -> None:
    mock(respx_mock, action, 302, b"", {"location": "https://app.smartlead.ai/login"})

    verdict = act(VENDOR, action)

    assert_failed(verdict, ErrorKind.BAD_RESPONSE, 302, None)
    assert "app.smartlead.ai" in verdict.message


# -- documented errors ------------------------------------------------------------------------

ERRORS = [
    (400, "error_400.json", ErrorKind.INVALID_REQUEST, None, "Invalid request parameters"),
    (401, "error_401.json", ErrorKind.AUTH, None, "Invalid API Key"),
    (401, "error_401_authentication_page.json", ErrorKind.AUTH, "UNAUTHORIZED",
     "Invalid or missing API key"),
    (404, "error_404.json", ErrorKind.NOT_FOUND, None, "Resource not found"),
    (422, "error_422.json", ErrorKind.INVALID_REQUEST, None, "Invalid parameters provided"),
    (422, "error_422_error_handling_guide.json", ErrorKind.INVALID_REQUEST, "VALIDATION_ERROR",
     "email field is required for all leads in lead_list"),
    (429, "error_429.json", ErrorKind.RATE_LIMITED, None,
     "Too many requests. Please slow down and retry later."),
    (429, "error_429_rate_limits_guide.json", ErrorKind.RATE_LIMITED, "RATE_LIMIT_EXCEEDED",
     "Too many requests. Please retry after 30 seconds."),
    (500, "error_500.json", ErrorKind.VENDOR_ERROR, None, "Internal server error occurred"),
]  # fmt: skip


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize(
    ("status", "name", "kind", "code", "text"), ERRORS, ids=[r[1] for r in ERRORS]
)
def test_documented_error(
    respx_mock: respx.MockRouter,
    action: Action,
    status: int,
    name: str,
    kind: ErrorKind,
    code: str | None,
    text: str,
) -> None:
    route = mock(respx_mock, action, status, fixture(name))

    verdict = act(VENDOR, action)

    assert route.call_count == 1  # retries=0
    assert_failed(verdict, kind, status, code)
    assert verdict.message == f"{text} (HTTP {status})"
    assert verdict.error is not None
    assert verdict.error.message == verdict.message


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize(
    ("status", "kind"),
    [(503, ErrorKind.VENDOR_ERROR), (403, ErrorKind.PERMISSION), (409, ErrorKind.CONFLICT)],
)
def test_error_without_an_example_is_classified_by_status(
    respx_mock: respx.MockRouter, action: Action, status: int, kind: ErrorKind
) -> None:
    mock(respx_mock, action, status, b"")

    verdict = act(VENDOR, action)

    assert_failed(verdict, kind, status, None)
    assert verdict.message.endswith(f"(HTTP {status})")


def test_error_response_schema_reads_error_as_the_message_and_code_as_the_code(
    respx_mock: respx.MockRouter,
) -> None:
    body = {"error": "Campaign must have at least one lead", "code": "NO_LEADS", "details": {}}
    mock(respx_mock, Action.RESUME, 400, answer(400, body))

    verdict = act(VENDOR, Action.RESUME)

    assert_failed(verdict, ErrorKind.INVALID_REQUEST, 400, "NO_LEADS")
    assert verdict.message == "Campaign must have at least one lead (HTTP 400)"


def test_plain_text_error_is_not_quoted(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.PAUSE, 400, b"password=aGVsbG8=", {"content-type": "text/plain"})

    verdict = act(VENDOR, Action.PAUSE)

    assert_failed(verdict, ErrorKind.INVALID_REQUEST, 400, None)
    assert "aGVsbG8" not in verdict.message


def test_a_429_is_retried_honouring_retry_after(respx_mock: respx.MockRouter) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    method, path = REQUESTS[Action.PAUSE]
    route = respx_mock.route(method=method, url=BASE + path).mock(
        side_effect=[
            httpx.Response(429, json=json.loads(fixture("error_429_rate_limits_guide.json")),
                           headers={"Retry-After": "3"}),
            httpx.Response(200, json={"ok": True}),
        ]
    )  # fmt: skip

    verdict = act(VENDOR, Action.PAUSE, retries=2, sleep=sleep)

    assert (verdict.outcome, verdict.attempts, route.call_count) == (Outcome.DONE, 2, 2)
    assert 3 in waits


# -- campaign IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize("campaign_id", ["1", "123", "2710262", "9" * 15])
def test_check_id_accepts_positive_integers(campaign_id: str) -> None:
    SmartleadAdapter.check_id(campaign_id)


@pytest.mark.parametrize(
    "campaign_id",
    ["0", "0123", "-1", "+5", "1.5", "1e3", "abc", "12 3", "../1", "1/status", "9" * 16, "",
     "123\n", "\uff11\uff12\uff13", "123?api_key=x"],
)  # fmt: skip
def test_check_id_rejects(campaign_id: str) -> None:
    with pytest.raises(InvalidCampaignId, match="not a valid Smartlead campaign ID"):
        SmartleadAdapter.check_id(campaign_id)


# -- metadata and limits ----------------------------------------------------------------------


def test_meta_as_product_md_states_it() -> None:
    meta = SmartleadAdapter.meta
    assert meta.default_base_url == BASE
    assert meta.auth.style == "?api_key=<key>"
    assert meta.answer_tells is False  # a repeat pause looks like a fresh one: read first
    assert (meta.can_status, meta.can_list, meta.exposes_senders) == (True, True, True)
    assert meta.server_running_filter is False
    assert meta.safety_pauses == {}  # a bounce auto-pause reads PAUSED: only the journal tells
    assert meta.cannot_select(by_sender=True) is None


def test_limits_stay_under_the_strictest_reading() -> None:
    limit = SmartleadAdapter.meta.limit
    assert limit.windows == ((10, 2.0), (50, 60.0), (1000, 3600.0))
    assert limit.max_in_flight == 1
    assert limit.per_minute == 50


@pytest.mark.parametrize("budget", [1, 120, 300])
def test_rate_limit_per_minute_raises_only_the_minute_window(budget: int) -> None:
    limit = SmartleadAdapter.meta.limit.for_profile(SmartleadOptions(rate_limit_per_minute=budget))
    assert limit.windows == ((10, 2.0), (budget, 60.0), (1000, 3600.0))
    assert limit.max_in_flight == 1
    default = SmartleadAdapter.meta.limit.for_profile(SmartleadOptions())
    assert default == SmartleadAdapter.meta.limit


def profile_options(tmp_path: Path, line: str) -> Any:
    path = tmp_path / "providers.toml"
    path.write_text(f'[providers.sl]\nvendor = "smartlead"\napi_key_env = "SL_KEY"\n{line}\n')
    return resolve_profile(load_config(str(path)), "sl").options


def test_rate_limit_per_minute_from_the_profile(tmp_path: Path) -> None:
    assert profile_options(tmp_path, "rate_limit_per_minute = 120").rate_limit_per_minute == 120
    assert profile_options(tmp_path, "").rate_limit_per_minute is None


@pytest.mark.parametrize("value", ["0", "-5", "301", '"fast"', "1.5", "true"])
def test_rate_limit_per_minute_out_of_bounds_is_a_config_error(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="rate_limit_per_minute"):
        profile_options(tmp_path, f"rate_limit_per_minute = {value}")


# -- campaign list: one array, no pages, three documented shapes ------------------------------

LIST = BASE + "/campaigns/"


def list_items() -> list[dict[str, Any]]:
    item = json.loads(fixture("list_200_array.json"))[0]
    words = [w for w, _ in STATUS_WORDS]
    return [{**item, "id": 2710262 - i, "status": w} for i, w in enumerate(words)]


SHAPES = {
    "array": lambda items: items,
    "campaigns": lambda items: {"success": True, "campaigns": items},
    "data": lambda items: {"data": items},
}


def test_list_request_is_one_get_with_only_the_key(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(LIST).respond(200, content=fixture("list_200_array.json"))

    listing(VENDOR, running_only=True, key=KEY)

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.url.path == "/api/v1/campaigns/"  # trailing slash as documented
    assert dict(request.url.params) == {"api_key": KEY}


def test_list_fixture_as_documented(respx_mock: respx.MockRouter) -> None:
    respx_mock.get(LIST).respond(200, content=fixture("list_200_array.json"))

    listed = listing(VENDOR)

    assert listed == CampaignList(
        [Campaign("2710262", "Cold Outreach Q1 2024", "running", "ACTIVE", ())], None
    )


@pytest.mark.parametrize("shape", list(SHAPES))
def test_list_every_shape_and_word(respx_mock: respx.MockRouter, shape: str) -> None:
    respx_mock.get(LIST).respond(200, json=SHAPES[shape](list_items()))

    listed = listing(VENDOR)

    assert listed.failure is None
    assert [(c.campaign_id, c.status, c.vendor_status) for c in listed.campaigns] == [
        (str(2710262 - i), status, raw) for i, (raw, status) in enumerate(STATUS_WORDS)
    ]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_list_running_only_is_filtered_client_side(
    respx_mock: respx.MockRouter, shape: str
) -> None:
    route = respx_mock.get(LIST).respond(200, json=SHAPES[shape](list_items()))

    listed = listing(VENDOR, running_only=True)

    assert [c.campaign_id for c in listed.campaigns] == ["2710262"]
    assert "status" not in dict(route.calls.last.request.url.params)


@pytest.mark.parametrize("body", [[], {"campaigns": []}, {"data": []}])
def test_an_empty_list_in_any_shape_is_empty(respx_mock: respx.MockRouter, body: Any) -> None:
    respx_mock.get(LIST).respond(200, json=body)

    assert listing(VENDOR) == CampaignList([], None)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"", "empty body"),
        (HTML, "HTML"),
        (b'"campaigns"', "neither an array nor an object"),
        (b"{}", "neither an array nor holds one under 'campaigns' or 'data'"),
        (b'{"campaigns": {}}', "neither an array nor holds one"),
        (b'{"success": false, "campaigns": []}', "'success' is not true"),
        (b'{"ok": false, "data": []}', "'ok' is not true"),
        (b"[1]", "is not an object"),
        (b'[{"name": "x", "status": "ACTIVE"}]', "missing field 'id'"),
        (b'[{"id": 1, "name": "x"}]', "missing field 'status'"),
        (b'[{"id": 1, "status": 1}]', "status is not a string"),
        (b'[{"id": 1, "status": "ACTIVE", "name": 5}]', "name is not a string"),
        (b'[{"id": 0, "status": "ACTIVE"}]', "not a valid Smartlead campaign ID"),
        (b'[{"id": "12a", "status": "ACTIVE"}]', "not a valid Smartlead campaign ID"),
        (b'[{"id": 1.0, "status": "ACTIVE"}]', "ID is not a string"),
    ],
)
def test_list_malformed_is_bad_response(
    respx_mock: respx.MockRouter, body: bytes, detail: str
) -> None:
    respx_mock.get(LIST).respond(200, content=body, headers=JSON)

    listed = listing(VENDOR, running_only=True)

    assert_list_failed(listed, ErrorKind.BAD_RESPONSE, 200, "Smartlead", detail)


@pytest.mark.parametrize(
    ("status", "name", "kind", "text"),
    [
        (401, "error_401.json", ErrorKind.AUTH, "Invalid API Key"),
        (404, "error_404.json", ErrorKind.NOT_FOUND, "Resource not found"),
        (422, "error_422.json", ErrorKind.INVALID_REQUEST, "Invalid parameters provided"),
        (429, "error_429.json", ErrorKind.RATE_LIMITED, "Too many requests"),
        (500, "error_500.json", ErrorKind.VENDOR_ERROR, "Internal server error occurred"),
    ],
)
def test_list_documented_errors(
    respx_mock: respx.MockRouter, status: int, name: str, kind: ErrorKind, text: str
) -> None:
    respx_mock.get(LIST).respond(status, content=fixture(name), headers=JSON)

    listed = listing(VENDOR)

    assert assert_list_failed(listed, kind, status, text).attempts == 1


# -- senders: one email-accounts read per running campaign --------------------------------------


def accounts_url(campaign_id: str) -> str:
    return f"{BASE}/campaigns/{campaign_id}/email-accounts"


def with_senders(campaigns: list[Campaign], **kwargs: Any) -> list[Campaign] | Any:
    async def go() -> Any:
        async with httpx.AsyncClient(follow_redirects=False) as client:
            return await build(VENDOR, client, **kwargs).with_senders(campaigns)

    return asyncio.run(go())


def campaign(cid: str, status: str) -> Campaign:
    return Campaign(cid, f"c{cid}", status, status.upper(), ())


@pytest.mark.parametrize(
    ("name", "senders"),
    [
        ("email_accounts_200_openapi.json", ("ops@acme.io", "sales@other.io")),
        ("email_accounts_200_page.json", ("sales@mycompany.com",)),
    ],
)
def test_senders_in_either_documented_shape(
    respx_mock: respx.MockRouter, name: str, senders: tuple[str, ...]
) -> None:
    route = respx_mock.get(accounts_url("7")).respond(200, content=fixture(name))

    (read,) = with_senders([campaign("7", "running")], key=KEY)

    assert read.senders == senders
    assert dict(route.calls.last.request.url.params) == {"api_key": KEY}


def test_senders_are_read_only_for_running_campaigns(respx_mock: respx.MockRouter) -> None:
    active = respx_mock.get(accounts_url("1")).respond(200, json=[{"from_email": "a@acme.io"}])
    paused = respx_mock.get(accounts_url("2")).respond(200, json=[{"from_email": "b@acme.io"}])
    draft = respx_mock.get(accounts_url("3")).respond(200, json=[{"from_email": "c@acme.io"}])
    listed = [campaign("1", "running"), campaign("2", "paused"), campaign("3", "draft")]

    read = with_senders(listed)

    assert [c.senders for c in read] == [("a@acme.io",), (), ()]
    assert (active.call_count, paused.call_count, draft.call_count) == (1, 0, 0)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{}", "neither an array nor holds one under 'data'"),
        (b'{"ok": false, "data": []}', "'ok' is not true"),
        (b"[1]", "is not an object"),
        (b'[{"id": 1}]', "missing field 'from_email'"),
        (b'[{"from_email": null}]', "'from_email' is not a string"),
    ],
)
def test_a_malformed_senders_read_fails_the_selection(
    respx_mock: respx.MockRouter, body: bytes, detail: str
) -> None:
    respx_mock.get(accounts_url("1")).respond(200, content=body, headers=JSON)

    failure = with_senders([campaign("1", "running")])

    assert failure.outcome is Outcome.FAILED
    assert failure.error.kind is ErrorKind.BAD_RESPONSE
    assert detail in failure.message
    assert "(senders of campaign 1)" in failure.message


def test_a_failed_senders_read_names_the_error(respx_mock: respx.MockRouter) -> None:
    respx_mock.get(accounts_url("1")).respond(404, content=fixture("error_404.json"))

    failure = with_senders([campaign("1", "running")])

    assert failure.error.kind is ErrorKind.NOT_FOUND
    assert failure.message == "Resource not found (HTTP 404) (senders of campaign 1)"


def test_blank_senders_are_skipped_and_addresses_lower_cased(respx_mock: respx.MockRouter) -> None:
    accounts = [{"from_email": " Ops@Acme.IO "}, {"from_email": ""}]
    respx_mock.get(accounts_url("1")).respond(200, json={"success": True, "data": accounts})

    (read,) = with_senders([campaign("1", "running")])

    assert read.senders == ("ops@acme.io",)


# -- the key never shows: --verbose, --dry-run, HTTP-stack errors, the journal, --json ----------

SENTINEL = f"sk-SENTINEL-{uuid.uuid4().hex}"


def connect_error(request: httpx.Request) -> httpx.Response:
    """The HTTP stack's error quoting the full URL, query string and all."""
    raise httpx.ConnectError(f"cannot connect to {request.url}", request=request)


def echo_key(request: httpx.Request) -> httpx.Response:
    return httpx.Response(401, json={"message": f"Invalid API Key {request.url.params['api_key']}"})


@pytest.fixture
def sentinel_vendor() -> Iterator[respx.MockRouter]:
    """Smartlead with one running campaign (123) sending from ops@acme.io."""
    with respx.mock(assert_all_called=False) as router:
        router.get(LIST).respond(200, json=[{"id": 123, "name": "Q2", "status": "ACTIVE"}])
        router.get(accounts_url(CAMPAIGN)).respond(200, json=[{"from_email": "ops@acme.io"}])
        yield router


RUNS = [
    ("ok", ["pause", "-v", "smartlead:123"]),
    ("ok", ["pause", "--json", "-v", "smartlead:123"]),
    ("ok", ["resume", "-v", "--json", "smartlead:123"]),
    ("ok", ["pause", "--dry-run", "smartlead:123"]),
    ("ok", ["pause", "--dry-run", "--json", "-v", "smartlead:123"]),
    ("ok", ["status", "-v", "--json", "smartlead:123"]),
    ("ok", ["list", "-v", "--json"]),
    ("ok", ["pause", "--sender", "acme.io", "-v", "--json"]),
    ("connect", ["pause", "-v", "--json", "--retries", "1", "smartlead:123"]),
    ("connect", ["pause", "-v", "--retries", "0", "smartlead:123"]),
    ("read_connect", ["pause", "-v", "--json", "--retries", "0", "smartlead:123"]),
    ("echo", ["pause", "-v", "--json", "smartlead:123"]),
]


@pytest.mark.parametrize(("mock_kind", "args"), RUNS)
def test_the_key_never_appears(
    sentinel_vendor: respx.MockRouter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mock_kind: str,
    args: list[str],
) -> None:
    monkeypatch.setenv("SMARTLEAD_API_KEY", SENTINEL)
    router = sentinel_vendor
    status = router.get(BASE + f"/campaigns/{CAMPAIGN}")
    if mock_kind == "read_connect":
        status.mock(side_effect=connect_error)
    else:
        state = "PAUSED" if args[0] == "resume" else "ACTIVE"
        status.respond(200, json={"id": 123, "status": state})
    change = router.post(BASE + f"/campaigns/{CAMPAIGN}/status")
    effects = {"connect": connect_error, "echo": echo_key}
    if mock_kind in effects:
        change.mock(side_effect=effects[mock_kind])
    else:
        change.respond(200, json={"ok": True})
    audit = tmp_path / "audit.jsonl"
    acting = args[0] in ("pause", "resume") and "--dry-run" not in args

    result = cli([*args, *(["--audit-log", str(audit)] if acting else [])])
    journal = [cli(["runs", "--json", "--audit-log", str(audit)]),
               cli(["runs", "last", "--audit-log", str(audit)])] if acting else []  # fmt: skip

    shown = result.stdout + result.stderr + "".join(r.stdout + r.stderr for r in journal)
    everything = shown + (audit.read_text() if audit.exists() else "")
    assert router.calls.call_count  # campctl did reach the (mocked) vendor with the key
    assert any(SENTINEL in str(call.request.url) for call in router.calls)
    assert all(c.request.headers["user-agent"].startswith("campctl/") for c in router.calls)
    assert SENTINEL not in everything
    assert SENTINEL[-8:] not in everything
    if "-v" in args or "--dry-run" in args:
        assert "api_key=***" in shown  # the URL was shown, masked
    if mock_kind in ("connect", "read_connect"):
        assert "network" in everything
    if acting:
        assert audit.exists()
        assert "?" not in json.loads(audit.read_text().splitlines()[0])["targets"][0]["endpoint"]


def test_dry_run_shows_the_exact_request_with_the_key_masked(
    sentinel_vendor: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARTLEAD_API_KEY", SENTINEL)
    sentinel_vendor.get(BASE + "/campaigns/123").respond(200, json={"id": 123, "status": "ACTIVE"})

    out = cli(["pause", "--dry-run", "--json", "smartlead:123"])

    request = json.loads(out.stdout)["results"][0]["details"]["request"]
    assert request["method"] == "POST"
    assert request["url"] == f"{BASE}/campaigns/123/status?api_key=***"
    assert request["body"] == {"status": "PAUSED"}
    assert SENTINEL not in out.stdout + out.stderr
