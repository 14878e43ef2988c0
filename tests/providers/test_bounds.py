"""Answers out of range, for every adapter: an error body whose number cannot be parsed is
classified by its status alone, and a success that names another campaign is `bad_response`."""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx

from campctl.providers import VENDOR_NAMES, adapter_class
from campctl.providers.base import Action, BadBody, same_campaign
from campctl.results import ErrorKind, Outcome
from tests.helpers import IDS, act, url
from tests.providers.common import JSON

HUGE = b'{"error": {"code": "x", "message": "m", "n": ' + b"9" * 5000 + b"}}"


def _route(respx_mock: respx.MockRouter, vendor: str, action: Action) -> respx.Route:
    cls = adapter_class(vendor)
    spec = cls(cls.Options(), None).request_for(action, IDS[vendor])  # type: ignore[arg-type]
    assert spec is not None
    return respx_mock.route(method=spec.method, url=url(vendor, spec.path))


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@pytest.mark.parametrize(("status", "kind"), [(401, ErrorKind.AUTH), (503, ErrorKind.VENDOR_ERROR)])
def test_an_error_body_with_a_5000_digit_number_is_classified_by_status(
    respx_mock: respx.MockRouter, vendor: str, status: int, kind: ErrorKind
) -> None:
    _route(respx_mock, vendor, Action.PAUSE).respond(status, content=HUGE, headers=JSON)

    verdict = act(vendor, Action.PAUSE)

    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is kind
    assert verdict.http_status == status


@pytest.mark.parametrize("vendor", [v for v in VENDOR_NAMES if adapter_class(v).meta.can_status])
def test_a_200_with_a_5000_digit_number_is_bad_response(
    respx_mock: respx.MockRouter, vendor: str
) -> None:
    _route(respx_mock, vendor, Action.STATUS).respond(
        200, content=b'{"status": "paused", "n": ' + b"1" * 5000 + b"}", headers=JSON
    )

    verdict = act(vendor, Action.STATUS)

    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.BAD_RESPONSE
    assert "number too long" in verdict.message


OTHER = "other_campaign_42"
# Each answer as the vendor documents it, naming OTHER (an ID the operator did not ask for).
FOREIGN: dict[tuple[str, Action], Any] = {
    ("leadlex", Action.PAUSE): {"data": {"campaign": {"id": OTHER, "status": "paused"}}},
    ("leadlex", Action.RESUME): {"data": {"campaign_id": OTHER, "status": "active"}},
    ("leadlex", Action.STATUS): {"data": {"campaign": {"id": OTHER, "status": "paused"}}},
    ("leadterra", Action.PAUSE): {"id": OTHER, "status": "paused"},
    ("leadterra", Action.RESUME): {"id": OTHER, "status": "running"},
    ("voicegenie", Action.PAUSE): {
        "success": True,
        "data": {"campaign_id": OTHER, "status": "paused"},
    },
    ("voicegenie", Action.RESUME): {
        "success": True,
        "data": {"campaign_id": OTHER, "status": "running"},
    },
    ("voicegenie", Action.STATUS): {
        "success": True,
        "data": {"id": OTHER, "campaign_status": "paused"},
    },
    ("alta", Action.STATUS): {"id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "status": "paused"},
    ("woodpecker", Action.STATUS): {"id": 54321, "status": "PAUSED"},
    ("lemlist", Action.PAUSE): {"_id": OTHER, "state": "paused"},
    ("lemlist", Action.RESUME): {"_id": OTHER, "state": "running"},
    ("lemlist", Action.STATUS): {"_id": OTHER, "status": "paused"},
}


@pytest.mark.parametrize(("vendor", "action"), list(FOREIGN))
def test_a_success_about_another_campaign_is_bad_response(
    respx_mock: respx.MockRouter, vendor: str, action: Action
) -> None:
    body = json.dumps(FOREIGN[vendor, action]).encode()
    _route(respx_mock, vendor, action).respond(200, content=body, headers=JSON)

    verdict = act(vendor, action)

    assert verdict.outcome is Outcome.FAILED
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.BAD_RESPONSE
    assert f"another campaign than {IDS[vendor]}" in verdict.message
    assert "3c90c3cc" not in verdict.message  # the vendor's ID is vendor text: not quoted


@pytest.mark.parametrize(("vendor", "action"), list(FOREIGN))
def test_a_success_about_the_asked_campaign_is_accepted(
    respx_mock: respx.MockRouter, vendor: str, action: Action
) -> None:
    asked: Any = int(IDS[vendor]) if vendor == "woodpecker" else IDS[vendor]
    text = json.dumps(FOREIGN[vendor, action])
    for foreign in (OTHER, "3c90c3cc-0d44-4b50-8888-8dd25736052a"):
        text = text.replace(json.dumps(foreign), json.dumps(asked))
    text = text.replace("54321", str(asked))
    _route(respx_mock, vendor, action).respond(200, content=text.encode(), headers=JSON)

    verdict = act(vendor, action)

    assert verdict.outcome is not Outcome.FAILED, verdict.message


def test_same_campaign_accepts_absent_and_refuses_odd_types() -> None:
    same_campaign("12345", None)
    same_campaign("12345", 12345)
    same_campaign("7C9E6679-7425-40DE-944B-E07FC1F90AE7", IDS["alta"], fold_case=True)
    with pytest.raises(BadBody):
        same_campaign("cmp_ABC", "cmp_abc")
    with pytest.raises(BadBody):
        same_campaign("12345", {"id": 12345})
    with pytest.raises(BadBody):
        same_campaign("1", True)
