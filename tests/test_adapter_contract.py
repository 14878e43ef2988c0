"""One table of (status, body) → (outcome, kind), run over every adapter and verb.

Vendor quirks (a 409 that means "already paused", a 200 whose body is ignored) are the
exceptions listed in `_quirk`; everything else must follow the shared mapping.
"""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from campctl.providers import VENDOR_NAMES, adapter_class
from campctl.providers.base import Action
from campctl.results import ErrorKind, Outcome
from tests.helpers import IDS, act, url

HTML = b"<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>"

# (status, body, expected kind) — error answers shared by every vendor.
ERROR_ROWS = [
    (400, {}, ErrorKind.INVALID_REQUEST),
    (401, {}, ErrorKind.AUTH),
    (403, {}, ErrorKind.PERMISSION),
    (404, {}, ErrorKind.NOT_FOUND),
    (409, {"code": "something_else", "message": "no"}, ErrorKind.CONFLICT),
    (418, {}, ErrorKind.INVALID_REQUEST),
    (422, {}, ErrorKind.INVALID_REQUEST),
    (429, {}, ErrorKind.RATE_LIMITED),
    (500, {}, ErrorKind.VENDOR_ERROR),
    (502, HTML, ErrorKind.VENDOR_ERROR),
    (503, b"", ErrorKind.VENDOR_ERROR),
    (504, {}, ErrorKind.VENDOR_ERROR),
]

# 200 bodies that no vendor documents for a JSON answer.
BAD_BODIES = [HTML, b"", b'{"data": {"camp', b"[]", b'"paused"', b"\xff\xfe"]

CASES = [
    (vendor, action)
    for vendor in VENDOR_NAMES
    for action in Action
    if not (vendor == "leadterra" and action is Action.STATUS)
]


def _route(vendor: str, action: Action, router: respx.Router | None = None) -> respx.Route:
    cls = adapter_class(vendor)
    spec = cls(cls.Options(), transport=None).request_for(action, IDS[vendor])  # type: ignore[arg-type]
    assert spec is not None
    return (router or respx.mock).route(method=spec.method, url=url(vendor, spec.path))


def _content(body: object) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


@pytest.mark.parametrize(("vendor", "action"), CASES)
@pytest.mark.parametrize(("status", "body", "kind"), ERROR_ROWS)
@respx.mock
def test_error_statuses_map_to_shared_kinds(
    vendor: str, action: Action, status: int, body: object, kind: ErrorKind
) -> None:
    if vendor == "leadlex" and action is Action.PAUSE and status == 409:
        kind = ErrorKind.CONFLICT  # a 409 naming another code; the not-active 409 is a noop
    _route(vendor, action).respond(status, content=_content(body))
    verdict = act(vendor, action)
    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is kind
    assert verdict.error.http_status == status
    assert verdict.http_status == status
    assert verdict.error.retryable is kind.retryable
    assert verdict.attempts == 1


@pytest.mark.parametrize(("vendor", "action"), CASES)
@pytest.mark.parametrize("body", BAD_BODIES)
@respx.mock
def test_bad_200_bodies_are_bad_response_not_exceptions(
    vendor: str, action: Action, body: bytes
) -> None:
    _route(vendor, action).respond(200, content=body)
    verdict = act(vendor, action)
    body_is_ignored = vendor in ("alta", "woodpecker") and action is not Action.STATUS
    if body_is_ignored and body != HTML:
        # Documented as "200, no body": the status code alone is the answer.
        assert verdict.outcome is Outcome.DONE
        return
    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.BAD_RESPONSE
    assert verdict.http_status == 200


@pytest.mark.parametrize(("vendor", "action"), CASES)
def test_redirect_is_not_followed_and_names_the_host(vendor: str, action: Action) -> None:
    with respx.mock(assert_all_called=False) as router:
        _route(vendor, action, router).respond(302, headers={"Location": "https://evil.example/x"})
        elsewhere = router.route(host="evil.example").respond(200)
        verdict = act(vendor, action)
    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.BAD_RESPONSE
    assert verdict.http_status == 302
    assert "evil.example" in verdict.message
    assert elsewhere.call_count == 0


@pytest.mark.parametrize(("vendor", "action"), CASES)
@respx.mock
def test_network_faults_are_typed(vendor: str, action: Action) -> None:
    route = _route(vendor, action)
    for exc, kind in (
        (httpx.ConnectError("refused"), ErrorKind.NETWORK),
        (httpx.ReadTimeout("slow"), ErrorKind.TIMEOUT),
        (httpx.RemoteProtocolError("peer closed"), ErrorKind.NETWORK),
    ):
        route.side_effect = exc
        verdict = act(vendor, action)
        assert verdict.outcome is Outcome.FAILED
        assert verdict.error is not None
        assert verdict.error.kind is kind
        assert verdict.error.retryable
        assert verdict.http_status is None


def test_leadterra_status_is_unsupported_without_a_request() -> None:
    with respx.mock(assert_all_called=False) as mock:
        verdict = act("leadterra", Action.STATUS)
        assert mock.calls.call_count == 0
    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.UNSUPPORTED
    assert verdict.attempts == 0
