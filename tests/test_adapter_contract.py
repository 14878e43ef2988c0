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
from campctl.providers.base import (
    STATUS_VOCABULARY,
    VENDOR_PAUSED,
    Action,
    Adapter,
    CampaignList,
)
from campctl.results import ErrorKind, Outcome
from tests.helpers import IDS, act, url
from tests.providers.common import listing

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
    if vendor == "lemlist" and action is not Action.STATUS and status == 400:
        _route(vendor, Action.STATUS).respond(404)  # the read after a 400 finds no noop
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


# -- capabilities and the campaign list, over every adapter -----------------------------------

LISTERS = [v for v in VENDOR_NAMES if adapter_class(v).meta.can_list]
NON_LISTERS = [v for v in VENDOR_NAMES if not adapter_class(v).meta.can_list]


def _bare(vendor: str) -> Adapter:
    cls = adapter_class(vendor)
    return cls(cls.Options(), transport=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_meta_says_what_the_adapter_does(vendor: str) -> None:
    adapter, meta = _bare(vendor), adapter_class(vendor).meta
    assert meta.can_status is (adapter.request_for(Action.STATUS, IDS[vendor]) is not None)
    assert meta.can_list is (adapter.list_request(None, False) is not None)
    assert (meta.list_note is None) is meta.can_list  # a reason exactly when it cannot list
    assert not (meta.exposes_senders and not meta.can_list)
    assert not (meta.server_running_filter and not meta.can_list)
    for word, state in meta.status_synonyms.items():
        assert not isinstance(word, str) or word == word.lower()
        assert state in STATUS_VOCABULARY | {VENDOR_PAUSED}


def test_capabilities_as_product_md_tabulates_them() -> None:
    table = {
        v: (m.can_status, m.can_list, m.exposes_senders, m.server_running_filter)
        for v in VENDOR_NAMES
        for m in [adapter_class(v).meta]
    }
    assert table == {
        "leadlex": (True, False, False, False),
        "leadterra": (False, False, False, False),
        "voicegenie": (True, True, False, False),
        "alta": (True, True, False, False),
        "woodpecker": (True, True, True, True),
        "instantly": (True, True, True, False),
        "lemlist": (True, True, True, True),
        "smartlead": (True, True, True, False),
    }
    leadterra = adapter_class("leadterra").meta
    assert leadterra.cannot_select() == "documents no campaign list (senders come from a pool)"
    assert adapter_class("alta").meta.cannot_select() is None
    assert adapter_class("alta").meta.cannot_select(by_sender=True) is not None
    assert adapter_class("woodpecker").meta.cannot_select(by_sender=True) is None


@pytest.mark.parametrize("vendor", NON_LISTERS)
def test_list_without_a_documented_list_is_unsupported_and_sends_nothing(vendor: str) -> None:
    with respx.mock(assert_all_called=False) as router:
        listed = listing(vendor, running_only=True)
        assert router.calls.call_count == 0
    assert listed.campaigns == []
    assert listed.failure is not None
    assert listed.failure.error is not None
    assert listed.failure.error.kind is ErrorKind.UNSUPPORTED
    assert adapter_class(vendor).meta.list_note in listed.failure.message  # type: ignore[operator]


def _list_route(vendor: str, router: respx.Router | None = None) -> respx.Route:
    spec = _bare(vendor).list_request(None, True)
    assert spec is not None
    path = spec.path.split("?")[0]
    return (router or respx.mock).route(method=spec.method, url=url(vendor, path))


@pytest.mark.parametrize("vendor", LISTERS)
@pytest.mark.parametrize(("status", "body", "kind"), ERROR_ROWS)
@respx.mock
def test_list_error_statuses_map_to_shared_kinds(
    vendor: str, status: int, body: object, kind: ErrorKind
) -> None:
    _list_route(vendor).respond(status, content=_content(body))
    listed = listing(vendor, running_only=True)
    assert listed.campaigns == []
    failure = listed.failure
    assert failure is not None
    assert failure.error is not None
    assert failure.error.kind is kind
    assert failure.error.http_status == failure.http_status == status
    assert failure.attempts == 1


@pytest.mark.parametrize("vendor", LISTERS)
@pytest.mark.parametrize("body", BAD_BODIES)
@respx.mock
def test_list_bad_200_bodies_are_bad_response(vendor: str, body: bytes) -> None:
    _list_route(vendor).respond(200, content=body)
    listed = listing(vendor)
    if vendor in ("woodpecker", "lemlist", "smartlead") and body == b"[]":
        assert listed == CampaignList([], None)  # a bare array is their documented list
        return
    assert listed.campaigns == []
    assert listed.failure is not None
    assert listed.failure.error is not None
    assert listed.failure.error.kind is ErrorKind.BAD_RESPONSE


@pytest.mark.parametrize("vendor", LISTERS)
def test_list_redirect_is_not_followed(vendor: str) -> None:
    with respx.mock(assert_all_called=False) as router:
        _list_route(vendor, router).respond(302, headers={"Location": "https://evil.example/x"})
        elsewhere = router.route(host="evil.example").respond(200)
        listed = listing(vendor)
    assert listed.failure is not None
    assert listed.failure.error is not None
    assert listed.failure.error.kind is ErrorKind.BAD_RESPONSE
    assert "evil.example" in listed.failure.message
    assert elsewhere.call_count == 0


@pytest.mark.parametrize("vendor", LISTERS)
@respx.mock
def test_list_network_faults_are_typed(vendor: str) -> None:
    route = _list_route(vendor)
    for exc, kind in (
        (httpx.ConnectError("refused"), ErrorKind.NETWORK),
        (httpx.ReadTimeout("slow"), ErrorKind.TIMEOUT),
    ):
        route.side_effect = exc
        listed = listing(vendor, retries=1)
        assert listed.failure is not None
        assert listed.failure.error is not None
        assert listed.failure.error.kind is kind
        assert listed.failure.attempts == 2  # retried like any request
