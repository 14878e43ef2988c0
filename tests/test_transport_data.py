"""Auth, limits and statuses as adapter data, applied by the shared transport.

Made-up vendors stand in for the kinds PRODUCT.md names (a key in the query string, HTTP
Basic, numeric statuses, several rate windows); no real vendor module is involved.
"""

from __future__ import annotations

import asyncio
import base64
import bisect
import io
import json
import logging
from typing import Any, ClassVar

import httpx
import pytest
import respx
from pydantic import BaseModel, ConfigDict

from campctl import __version__
from campctl.diagnostics import Diagnostics
from campctl.http import HttpTransport, make_client
from campctl.limits import Limits, Scope
from campctl.providers.base import (
    Action,
    Adapter,
    Auth,
    Cursor,
    ListPage,
    Reply,
    RequestSpec,
    VendorLimit,
    VendorMeta,
    dig,
    json_body,
    normalise_status,
    objects,
)
from campctl.redact import Redactor
from campctl.results import ErrorKind, Outcome, Report, Result, Summary, Verdict
from campctl.retry import RetryPolicy
from tests.test_limits import FakeClock

KEY = "sk_Query+Key/0123=&456"  # characters a URL must encode
BASE = "https://fake.test/api"


def _meta(name: str, auth: Auth, **more: Any) -> VendorMeta:
    return VendorMeta(
        name=name,
        title=name.title(),
        default_base_url=BASE,
        auth=auth,
        id_pattern=r"[0-9]{1,9}",
        id_format="digits",
        rate_limit="made up",
        docs_url="https://fake.test/docs",
        **more,
    )


class Fake(Adapter):
    """`GET /campaigns/{id}?include_tags=true` → `{"status": ...}`; `POST .../pause`."""

    meta: ClassVar[VendorMeta] = _meta("queried", Auth.query("api_key"))

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        if action is Action.STATUS:
            return RequestSpec("GET", self.path("/campaigns/{}?include_tags=true", campaign_id))
        return RequestSpec("POST", self.path("/campaigns/{}/pause", campaign_id), {"a": 1})

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            return self.error(reply)
        raw = dig(json_body(reply), "status")
        return self.done(f"campaign is {self.state(raw)}", vendor_status=raw)

    def list_request(self, cursor: Cursor | None, running_only: bool) -> RequestSpec:
        return RequestSpec("GET", "/campaigns")

    def read_list_page(self, reply: Reply, cursor: Cursor | None) -> ListPage:
        items = objects(json_body(reply), "campaigns")
        return ListPage([self.campaign(i["id"], None, i.get("status")) for i in items], None)


class OddParam(Fake):
    """A query key whose name the redactor's URL rule does not know as a secret."""

    meta: ClassVar[VendorMeta] = _meta("oddparam", Auth.query("access"))


class Basic(Fake):
    meta: ClassVar[VendorMeta] = _meta("basic", Auth.basic())


class Numeric(Fake):
    meta: ClassVar[VendorMeta] = _meta(
        "numeric",
        Auth.header("Authorization", "Bearer"),
        status_synonyms={1: "running", 4: "running", 2: "paused", -2: "vendor_paused"},
        numeric_status=True,
        can_list=True,
    )


def transport(
    cls: type[Adapter],
    client: httpx.AsyncClient,
    diagnostics: Diagnostics | None = None,
    policy: RetryPolicy | None = None,
) -> HttpTransport:
    return HttpTransport(
        client,
        base_url=BASE,
        auth=cls.meta.auth,
        api_key=KEY,
        headers={"x-account-id": "acc_1"},
        timeout=5.0,
        policy=policy or RetryPolicy(retries=0),
        limits=Limits(4),
        scope=Limits.scope(cls.meta.name, KEY),
        vendor_limit=cls.meta.limit,
        diagnostics=diagnostics or Diagnostics(Redactor()),
        provider=cls.meta.name,
    )


def run(
    cls: type[Adapter],
    action: Action,
    diagnostics: Diagnostics | None = None,
    policy: RetryPolicy | None = None,
) -> Verdict:
    async def go() -> Verdict:
        async with make_client([BASE], 4) as client:
            adapter = cls(cls.Options(), transport(cls, client, diagnostics, policy))
            return await adapter.verb(action)("123")

    return asyncio.run(go())


def described(cls: type[Adapter], action: Action) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        async with make_client([BASE], 4) as client:
            adapter = cls(cls.Options(), transport(cls, client))
            spec = adapter.request_for(action, "123")
            assert spec is not None
            return adapter.transport.describe(spec)

    return asyncio.run(go())


# -- auth ---------------------------------------------------------------------------------
@respx.mock
def test_a_query_key_is_sent_as_the_parameter_beside_the_path_query() -> None:
    route = respx.get(url__startswith=f"{BASE}/campaigns/123").respond(200, json={"status": "x"})
    run(Fake, Action.STATUS)
    request = route.calls.last.request
    assert request.url.path == "/api/campaigns/123"
    assert dict(request.url.params) == {"include_tags": "true", "api_key": KEY}
    assert KEY not in json.dumps(dict(request.headers))
    assert request.headers["x-account-id"] == "acc_1"
    assert request.headers["user-agent"] == f"campctl/{__version__}"


@pytest.mark.parametrize("cls", [Fake, OddParam])
def test_a_dry_run_shows_the_query_key_as_stars(cls: type[Adapter]) -> None:
    param = cls.meta.auth.name
    status, pause = described(cls, Action.STATUS), described(cls, Action.PAUSE)
    assert status["url"] == f"{BASE}/campaigns/123?include_tags=true&{param}=***"
    assert pause["url"] == f"{BASE}/campaigns/123/pause?{param}=***"
    assert pause["body"] == {"a": 1}
    assert KEY not in json.dumps([status, pause])
    assert "authorization" not in pause["headers"]


@respx.mock
@pytest.mark.parametrize("cls", [Fake, OddParam])
def test_verbose_lines_never_show_a_query_key(cls: type[Adapter]) -> None:
    """The redactor knows neither the key nor, for `access`, the parameter as a secret: the
    transport masks its own key parameter by name."""
    respx.get(url__startswith=f"{BASE}/campaigns/123").respond(200, json={"status": "x"})
    stream = io.StringIO()
    run(cls, Action.STATUS, Diagnostics(Redactor(), verbose=True, stream=stream))
    param = cls.meta.auth.name
    assert f"GET {BASE}/campaigns/123?include_tags=true&{param}=*** -> 200" in stream.getvalue()
    assert "0123" not in stream.getvalue()


@respx.mock
@pytest.mark.parametrize("cls", [Fake, OddParam])
def test_an_http_stack_error_quoting_the_url_never_shows_a_query_key(cls: type[Adapter]) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"connection refused for {request.url}", request=request)

    respx.get(url__startswith=f"{BASE}/campaigns/123").mock(side_effect=refuse)
    verdict = run(cls, Action.STATUS)
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.NETWORK
    assert f"{cls.meta.auth.name}=***" in verdict.message
    assert "0123" not in verdict.message


@respx.mock
def test_httpx_own_log_lines_never_show_a_query_key(caplog: pytest.LogCaptureFixture) -> None:
    """A Python caller logging at INFO sees httpx's "HTTP Request: GET <url>" lines."""
    respx.get(url__startswith=f"{BASE}/campaigns/123").respond(200, json={"status": "x"})
    with caplog.at_level(logging.INFO, logger="httpx"):
        run(Fake, Action.STATUS)
    assert f"GET {BASE}/campaigns/123?include_tags=***&api_key=***" in caplog.text
    assert "0123" not in caplog.text


@respx.mock
def test_basic_auth_sends_the_key_as_password_with_an_empty_user() -> None:
    route = respx.get(url__startswith=f"{BASE}/campaigns/123").respond(200, json={"status": "x"})
    run(Basic, Action.STATUS)
    request = route.calls.last.request
    token = request.headers["authorization"].removeprefix("Basic ")
    assert base64.b64decode(token).decode() == f":{KEY}"
    assert "api_key" not in str(request.url)
    shown = described(Basic, Action.PAUSE)
    assert shown["headers"]["authorization"] == "Basic ***"
    assert shown["url"] == f"{BASE}/campaigns/123/pause"


def test_auth_describes_itself_for_campctl_vendors() -> None:
    assert Auth.header("Authorization", "Bearer").style == "Authorization: Bearer <key>"
    assert Auth.header("x-api-key").style == "x-api-key: <key>"
    assert Auth.query("api_key").style == "?api_key=<key>"
    assert Auth.basic().style == "HTTP Basic: user name '', the key as password"
    assert Auth.header("x-api-key").headers(None) == {"x-api-key": "***"}
    assert Auth.query("api_key").headers(KEY) == {}


# -- statuses -----------------------------------------------------------------------------
def test_numbers_and_words_normalise_through_the_synonyms() -> None:
    synonyms: dict[str | int, str] = {2: "paused", "7": "draft", "active": "running"}
    assert normalise_status(2, synonyms) == "paused"
    assert normalise_status(7, synonyms) == "draft"  # a vendor's numbers may be keyed as text
    assert normalise_status(-99, synonyms) == "-99"
    assert normalise_status(" ACTIVE ", synonyms) == "running"
    assert normalise_status("Archived", synonyms) == "archived"


@respx.mock
@pytest.mark.parametrize(
    ("sent", "status"), [(2, "paused"), (4, "running"), (-2, "vendor_paused"), (99, "99")]
)
def test_a_numeric_status_keeps_the_vendors_number_in_the_json_document(
    sent: int, status: str
) -> None:
    respx.get(url__startswith=f"{BASE}/campaigns/123").respond(200, json={"status": sent})
    verdict = run(Numeric, Action.STATUS)
    assert (verdict.outcome, verdict.status) == (Outcome.DONE, status)
    details = Redactor().scrub(verdict.details)  # as campctl.act does before any output
    result = Result.model_construct(
        target="numeric:123", provider="numeric", vendor="numeric", campaign_id="123",
        outcome=verdict.outcome, status=verdict.status, at=verdict.at, message=verdict.message,
        http_status=200, attempts=1, duration_ms=1, details=details, error=None,
    )  # fmt: skip
    document = Report.model_construct(
        action="status", dry_run=False, sandbox=False, run_id=None, results=[result],
        summary=Summary.of([result]), exit_code=0,
    ).document()  # fmt: skip
    assert f'"vendor_status": {sent}' in document
    assert json.loads(document)["results"][0]["details"]["vendor_status"] == sent


@respx.mock
@pytest.mark.parametrize("sent", [True, "2", 2.0, None])
def test_a_numeric_vendor_rejects_bools_text_and_fractions(sent: object) -> None:
    respx.get(url__startswith=f"{BASE}/campaigns/123").respond(200, json={"status": sent})
    verdict = run(Numeric, Action.STATUS)
    assert verdict.error is not None
    assert verdict.error.kind is ErrorKind.BAD_RESPONSE
    assert "the status is not an integer" in verdict.message


@respx.mock
def test_a_word_vendor_still_rejects_a_number() -> None:
    respx.get(url__startswith=f"{BASE}/campaigns/123").respond(200, json={"status": 2})
    verdict = run(Fake, Action.STATUS)
    assert verdict.error is not None
    assert "the status is not a string" in verdict.message


@respx.mock
def test_a_listed_numeric_status_is_normalised_and_kept_as_sent() -> None:
    respx.get(f"{BASE}/campaigns").respond(
        200, json=[{"id": 1, "status": 1}, {"id": 2, "status": 2}, {"id": 3, "status": False}]
    )

    async def go() -> tuple[Any, ...]:
        async with make_client([BASE], 4) as client:
            adapter = Numeric(Numeric.Options(), transport(Numeric, client))
            whole = await adapter.campaigns()
            respx.get(f"{BASE}/campaigns").respond(200, json=[{"id": 1, "status": 1}])
            return whole, await adapter.campaigns(running_only=True)

    whole, running = asyncio.run(go())
    assert whole.failure is not None
    assert "campaign 3: status is not an integer" in whole.failure.message
    assert [(c.status, c.vendor_status) for c in running.campaigns] == [("running", 1)]


# -- limits -------------------------------------------------------------------------------
SMARTLEAD_LIKE = VendorLimit(
    windows=((10, 2.0), (50, 60.0), (1000, 3600.0)),
    max_in_flight=1,
    per_minute_option="rate_limit_per_minute",
)


class PlanOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rate_limit_per_minute: int | None = None


def starts_under(limit: VendorLimit, count: int, concurrency: int = 4) -> list[float]:
    """When each of `count` requests on one key starts, on a clock that moves only by
    sleeping; each request takes no time."""
    clock = FakeClock()
    limits = Limits(concurrency, clock=clock, sleep=clock.sleep)
    starts: list[float] = []

    async def request() -> None:
        async with limits.slot("fake:k", limit):
            starts.append(clock.now)
            await asyncio.sleep(0)

    async def main() -> None:
        await asyncio.gather(*(request() for _ in range(count)))

    asyncio.run(main())
    return sorted(starts)


def most_in_any(starts: list[float], seconds: float) -> int:
    return max(bisect.bisect_left(starts, t + seconds) - i for i, t in enumerate(starts))


def test_every_window_holds_at_once() -> None:
    starts = starts_under(SMARTLEAD_LIKE, 1100)
    assert len(starts) == 1100
    assert most_in_any(starts, 2.0) == 10
    assert most_in_any(starts, 60.0) == 50
    assert most_in_any(starts, 3600.0) == 1000
    assert starts[9] == 0.0  # the first burst goes at once
    assert starts[10] == pytest.approx(2.2)  # 2 s plus a tenth of it as slack
    assert starts[50] == pytest.approx(61.0)  # the minute, plus its one-second slack
    assert starts[1000] == pytest.approx(3601.0)


def test_a_short_window_without_an_in_flight_cap_uses_the_shared_slots() -> None:
    starts = starts_under(VendorLimit(windows=((20, 2.0),)), 100, concurrency=3)
    assert most_in_any(starts, 2.0) == 20
    assert starts[19] == 0.0
    assert starts[20] == pytest.approx(2.2)


def test_a_profile_may_set_the_per_minute_budget_only() -> None:
    raised = SMARTLEAD_LIKE.for_profile(PlanOptions(rate_limit_per_minute=120))
    assert raised.windows == ((10, 2.0), (120, 60.0), (1000, 3600.0))
    assert raised.per_minute == 120
    assert SMARTLEAD_LIKE.for_profile(PlanOptions()) == SMARTLEAD_LIKE
    fixed = VendorLimit(windows=((100, 60.0),))  # a vendor that names no option
    assert fixed.for_profile(PlanOptions(rate_limit_per_minute=500)) == fixed
    starts = starts_under(raised, 300)
    assert most_in_any(starts, 60.0) == 120
    assert most_in_any(starts, 2.0) == 10


def test_profiles_of_one_key_with_different_budgets_count_together() -> None:
    """One key, two profiles: 100 per minute for one, 50 for the other. The 50-profile may
    not start while its key already made 50 starts in the minute."""
    clock = FakeClock()
    limits = Limits(4, clock=clock, sleep=clock.sleep)
    generous = VendorLimit(windows=((100, 60.0),))
    strict = VendorLimit(windows=((50, 60.0),))
    starts: list[tuple[str, float]] = []

    async def request(name: str, limit: VendorLimit) -> None:
        async with limits.slot("fake:k", limit):
            starts.append((name, clock.now))

    async def main() -> None:
        await asyncio.gather(*(request("generous", generous) for _ in range(60)))
        await request("strict", strict)

    asyncio.run(main())
    name, started = starts[-1]
    assert (name, started) == ("strict", 61.0)
    assert [t for name, t in starts[:60]] == [0.0] * 60


class AccountOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    account_id: str | None = None


ALTA_LIKE = VendorLimit(windows=((100, 60.0),), shared_by="account_id")


def waits(*bursts: tuple[str, str, str | None, int]) -> dict[str, int]:
    """Bursts of (name, key, account_id, requests), one after the other on one Limits: how
    many requests of each had to wait for the window."""
    clock = FakeClock()
    limits = Limits(4, clock=clock, sleep=clock.sleep)
    waited: dict[str, int] = {}

    async def one(name: str, scope: Scope, began: float) -> None:
        async with limits.slot(scope, ALTA_LIKE):
            waited[name] += clock.now > began

    async def main() -> None:
        for name, key, account, count in bursts:
            waited[name] = 0
            shared = ALTA_LIKE.shared_with(AccountOptions(account_id=account))
            scope = Limits.scope("v", key, shared)
            await asyncio.gather(*(one(name, scope, clock.now) for _ in range(count)))

    asyncio.run(main())
    return waited


def test_profiles_naming_one_account_share_its_window_whatever_their_keys() -> None:
    """Alta counts per account: two keys on account acc_1 share 100 a minute; a profile on
    acc_2 has its own; one without an account_id still shares its key's window."""
    assert ALTA_LIKE.shared_with(AccountOptions()) is None
    assert waits(("a", "key-a", "acc_1", 80), ("c", "key-c", "acc_2", 100),
                 ("b", "key-b", "acc_1", 30)) == {"a": 0, "c": 0, "b": 10}  # fmt: skip
    assert waits(("a", "key-a", "acc_1", 80), ("alone", "key-a", None, 30)) == {
        "a": 0,
        "alone": 10,
    }


# -- Retry-After --------------------------------------------------------------------------
def _policy(slept: list[float]) -> RetryPolicy:
    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    return RetryPolicy(retries=1, sleep=sleep, random=lambda: 1.0)


@respx.mock
@pytest.mark.parametrize(
    ("status", "wait"), [(429, 0.209), (503, 1.5), (500, 0.5), (502, 0.5), (504, 0.5)]
)
def test_retry_after_is_honoured_fractional_on_429_and_503_only(status: int, wait: float) -> None:
    """lemlist's Retry-After is fractional; a 500 that carries one backs off as usual."""
    respx.post(f"{BASE}/campaigns/123/pause").mock(
        side_effect=[
            httpx.Response(status, headers={"retry-after": "0.209" if status == 429 else "1.5"}),
            httpx.Response(200, json={"status": "paused"}),
        ]
    )
    slept: list[float] = []
    verdict = run(Basic, Action.PAUSE, policy=_policy(slept))
    assert verdict.outcome is Outcome.DONE
    assert slept == [wait]


@respx.mock
def test_retry_after_on_a_success_is_not_a_wait() -> None:
    respx.post(f"{BASE}/campaigns/123/pause").respond(
        200, json={"status": "paused"}, headers={"retry-after": "2"}
    )
    slept: list[float] = []
    verdict = run(Basic, Action.PAUSE, policy=_policy(slept))
    assert (verdict.outcome, verdict.attempts, slept) == (Outcome.DONE, 1, [])
    assert "try again" not in verdict.message
