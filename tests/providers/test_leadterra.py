"""Leadterra adapter against every response in vendor-docs/leadterra.md, over a real HttpTransport.

Leadterra's pause and start are idempotent: they answer 200 with the campaign's current state.
Its error bodies are not documented, so every error row is replayed in the three shapes
PRODUCT.md names, and with no readable body.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Any

import pytest
import respx

from campctl.providers.base import Action, InvalidCampaignId, Reply
from campctl.providers.leadterra.adapter import LeadterraAdapter
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


STAMP = {Action.PAUSE: "pausedAt", Action.RESUME: "startedAt"}
TARGET = {Action.PAUSE: "paused", Action.RESUME: "running"}


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(epoch: float) -> str:
    return formatdate(epoch, usegmt=True)


def answer(action: Action, stamp: str | None, status: str | None = None) -> bytes:
    body: dict[str, Any] = {"id": CAMPAIGN, "status": status or TARGET[action]}
    if stamp is not None:
        body[STAMP[action]] = stamp
    return json.dumps(body).encode()


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
    """The documented example, answered at the moment of its own timestamp."""
    moment = datetime.fromisoformat(at).timestamp()
    mock(respx_mock, action, 200, fixture(name), {**JSON, "date": http_date(moment + 1)})

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == status
    assert verdict.details == {"vendor_status": status}
    assert verdict.at == at
    assert verdict.message == message
    assert verdict.http_status == 200
    assert verdict.error is None
    assert verdict.attempts == 1


# -- already in the target state: told apart by the timestamp ---------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_fresh_timestamp_is_done(respx_mock: respx.MockRouter, action: Action) -> None:
    now = time.time()
    stamp = iso(now - 2)
    mock(respx_mock, action, 200, answer(action, stamp), {**JSON, "date": http_date(now)})

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == TARGET[action]
    assert verdict.at == stamp


@pytest.mark.parametrize("action", ACTIONS)
def test_two_minute_old_timestamp_is_noop_already(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    now = time.time()
    stamp = iso(now - 120)
    mock(respx_mock, action, 200, answer(action, stamp), {**JSON, "date": http_date(now)})

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.NOOP
    assert verdict.status == TARGET[action]
    assert verdict.details == {"vendor_status": TARGET[action]}
    assert verdict.message == f"already {TARGET[action]} since {stamp}"
    assert verdict.at == stamp
    assert verdict.error is None
    assert verdict.http_status == 200


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("age_by_vendor_clock", "outcome"),
    [(5, Outcome.DONE), (30, Outcome.DONE), (90, Outcome.NOOP), (120, Outcome.NOOP)],
)
def test_the_vendor_clock_decides_when_it_is_skewed_from_ours(
    respx_mock: respx.MockRouter, action: Action, age_by_vendor_clock: int, outcome: Outcome
) -> None:
    """Vendor clock 10 minutes behind ours: by our clock every stamp looks old; by the
    vendor's (its Date header) only the ones really older than 60 s are."""
    vendor_now = time.time() - 600
    stamp = iso(vendor_now - age_by_vendor_clock)
    headers = {**JSON, "date": http_date(vendor_now)}
    mock(respx_mock, action, 200, answer(action, stamp), headers)

    verdict = act(VENDOR, action)

    assert verdict.outcome is outcome
    assert verdict.status == TARGET[action]


@pytest.mark.parametrize("action", ACTIONS)
def test_vendor_clock_ahead_of_ours_is_not_mistaken_for_fresh(
    respx_mock: respx.MockRouter, action: Action
) -> None:
    """Vendor clock 10 minutes ahead: a stamp 2 minutes old by its clock is in our future."""
    vendor_now = time.time() + 600
    stamp = iso(vendor_now - 120)
    mock(respx_mock, action, 200, answer(action, stamp), {**JSON, "date": http_date(vendor_now)})

    assert act(VENDOR, action).outcome is Outcome.NOOP


def _read(action: Action, body: bytes, headers: dict[str, str], sent_at: float | None) -> Any:
    adapter = LeadterraAdapter(LeadterraAdapter.Options(), transport=None)  # type: ignore[arg-type]
    return adapter.read_reply(action, Reply(200, headers, body, sent_at=sent_at))


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("age_at_send", "outcome"), [(10, Outcome.DONE), (59, Outcome.DONE), (61, Outcome.NOOP)]
)
def test_without_date_header_the_send_moment_is_the_reference(
    action: Action, age_at_send: int, outcome: Outcome
) -> None:
    sent_at = time.time() - 3600  # an hour ago by our clock: "now" would call everything old
    verdict = _read(action, answer(action, iso(sent_at - age_at_send)), JSON, sent_at)
    assert verdict.outcome is outcome


@pytest.mark.parametrize("action", ACTIONS)
def test_date_header_wins_over_the_send_moment(action: Action) -> None:
    vendor_now = time.time() - 600
    stamp = iso(vendor_now - 5)
    headers = {**JSON, "date": http_date(vendor_now)}
    verdict = _read(action, answer(action, stamp), headers, sent_at=time.time())
    assert verdict.outcome is Outcome.DONE


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("age", "outcome"), [(3, Outcome.DONE), (300, Outcome.NOOP)])
def test_without_date_or_send_moment_local_now_is_the_reference(
    action: Action, age: int, outcome: Outcome
) -> None:
    verdict = _read(action, answer(action, iso(time.time() - age)), JSON, None)
    assert verdict.outcome is outcome


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    "date",
    ["yesterday", "", "Mon, 99 Foo 2025 99:99:99 GMT", "\x00", "Thu, 01 Jan 99999 00:00:00 GMT"],
)
def test_unusable_date_header_falls_back_to_the_send_moment(action: Action, date: str) -> None:
    sent_at = time.time() - 3600
    fresh = _read(action, answer(action, iso(sent_at - 5)), {"date": date}, sent_at)
    old = _read(action, answer(action, iso(sent_at - 120)), {"date": date}, sent_at)
    assert (fresh.outcome, old.outcome) == (Outcome.DONE, Outcome.NOOP)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    "stamp",
    ["yesterday", "", "2025-13-45T00:00:00Z", "99999-01-01T00:00:00Z", "1e12", "\u0000"],
)
def test_unparseable_timestamp_is_treated_as_fresh(
    respx_mock: respx.MockRouter, action: Action, stamp: str
) -> None:
    mock(respx_mock, action, 200, answer(action, stamp), {**JSON, "date": http_date(time.time())})

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.DONE
    assert verdict.status == TARGET[action]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("stamp", [None, 1736950920, ["2025-01-15T14:22:00Z"]])
def test_timestamp_absent_or_not_a_string_is_treated_as_fresh(
    action: Action, stamp: object
) -> None:
    body = json.loads(answer(action, None))
    body[STAMP[action]] = stamp
    headers = {"date": http_date(time.time())}
    verdict = _read(action, json.dumps(body).encode(), headers, None)
    assert verdict.outcome is Outcome.DONE


@pytest.mark.parametrize(
    "stamp", ["2025-01-15T16:22:00+02:00", "2025-01-15T14:22:00", "2025-01-15T14:22:00.123456Z"]
)
def test_timestamp_offsets_and_naive_utc(stamp: str) -> None:
    """All three are 14:22 UTC; the Date header is 14:23:30 (90 s later) → already paused."""
    body = answer(Action.PAUSE, stamp)
    verdict = _read(Action.PAUSE, body, {"date": "Wed, 15 Jan 2025 14:23:30 GMT"}, None)
    assert verdict.outcome is Outcome.NOOP
    near = _read(Action.PAUSE, body, {"date": "Wed, 15 Jan 2025 14:22:30 GMT"}, None)
    assert near.outcome is Outcome.DONE


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
    assert verdict.details == {"vendor_status": body["status"]}
    assert verdict.at  # the moment the answer was read
    assert verdict.error is None


def test_pause_on_draft_is_noop_with_current_state(respx_mock: respx.MockRouter) -> None:
    mock(respx_mock, Action.PAUSE, 200, fixture("pause_200_draft.json"))

    verdict = act(VENDOR, Action.PAUSE)

    assert verdict.outcome is Outcome.NOOP
    assert verdict.status == "draft"
    assert verdict.details == {"vendor_status": "draft"}
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
    with pytest.raises(InvalidCampaignId, match="not a valid Leadterra campaign ID"):
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
    assert verdict.error.http_status == verdict.http_status == 200
    assert f"still {state}" in verdict.message
    # The state the vendor reported travels with the failure (grep finds it still running).
    assert verdict.status == state
    assert verdict.details == {"vendor_status": state}


@pytest.mark.parametrize(
    ("action", "raw", "status"),
    [
        (Action.PAUSE, "draft", "draft"),
        (Action.PAUSE, "Draft", "draft"),
        (Action.PAUSE, "completed", "completed"),
        (Action.RESUME, "archived", "archived"),
    ],
)
def test_other_states_are_noop_in_the_one_vocabulary(
    respx_mock: respx.MockRouter, action: Action, raw: str, status: str
) -> None:
    mock(respx_mock, action, 200, json.dumps({"id": CAMPAIGN, "status": raw}).encode())

    verdict = act(VENDOR, action)

    assert verdict.outcome is Outcome.NOOP
    assert verdict.status == status
    assert verdict.details == {"vendor_status": raw}
