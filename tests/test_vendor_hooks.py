"""The engine hooks the later vendors stand on, tested without any of them: senders read
per running campaign, the vendor's safety reason in a refused resume, a second read for
vendors whose reads lag their writes, and several rate windows in the simulator."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from campctl import act
from campctl.act import Runner, make_result, verify
from campctl.config import KeySource, Profile
from campctl.plan import Job
from campctl.prior import Prior, decide
from campctl.providers.base import (
    PAUSED,
    RUNNING,
    VENDOR_PAUSED,
    Action,
    Adapter,
    Auth,
    BadBody,
    Campaign,
    NoOptions,
    VendorMeta,
)
from campctl.redact import Redactor
from campctl.results import ErrorKind, Outcome, Verdict
from campctl.sandbox.limits import SlidingWindows
from campctl.targets import Target
from campctl.transport import Exchange, Reply, RequestSpec

META = VendorMeta(
    name="hooked",
    title="Hooked",
    default_base_url="https://api.hooked.example",
    auth=Auth.header("x-api-key"),
    id_pattern=r"[a-z0-9]+",
    id_format="letters and digits",
    rate_limit="none",
    docs_url="https://hooked.example/docs",
    can_list=True,
    exposes_senders=True,
    safety_pauses={"bounced": "Hooked's bounce guard paused it"},
    reads_lag=True,
)


class StubTransport:
    """Answers each request with `answer(spec)`; records what was sent."""

    def __init__(self, answer: Callable[[RequestSpec], Reply]) -> None:
        self.answer = answer
        self.sent: set[str] = set()
        self.paths: list[str] = []

    async def send(self, spec: RequestSpec, label: str) -> Exchange:
        self.sent.add(label)
        self.paths.append(spec.path)
        return Exchange(self.answer(spec), None, 1)

    def describe(self, spec: RequestSpec) -> dict[str, Any]:
        return {"method": spec.method, "path": spec.path}


class Hooked(Adapter):
    meta: ClassVar[VendorMeta] = META
    reads: ClassVar[list[str]] = []

    def senders_request(self, campaign_id: str) -> RequestSpec:
        return RequestSpec("GET", f"/campaigns/{campaign_id}/senders")

    def read_senders(self, reply: Reply) -> list[str]:
        body = json.loads(reply.body)
        if not isinstance(body, list):
            raise BadBody("not a list of addresses")
        return body

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec:
        return RequestSpec("GET", f"/campaigns/{campaign_id}")

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        return self.done("read", vendor_status=json.loads(reply.body)["status"])


def ok(payload: object) -> Reply:
    return Reply(200, {"content-type": "application/json"}, json.dumps(payload).encode())


def listed(cid: str, status: str) -> Campaign:
    return Campaign(cid, f"campaign {cid}", status, status, ())


def test_senders_are_read_for_running_campaigns_only() -> None:
    transport = StubTransport(lambda spec: ok(["Ann@Acme.io", "bob@other.io"]))
    adapter = Hooked(NoOptions(), transport)
    campaigns = [listed("a1", RUNNING), listed("p1", PAUSED), listed("a2", RUNNING)]

    read = asyncio.run(adapter.with_senders(campaigns))

    assert isinstance(read, list)
    assert sorted(transport.paths) == ["/campaigns/a1/senders", "/campaigns/a2/senders"]
    assert [c.senders for c in read] == [
        ("ann@acme.io", "bob@other.io"),
        (),
        ("ann@acme.io", "bob@other.io"),
    ]
    assert all(label.startswith("hooked senders of campaign") for label in transport.sent)


@pytest.mark.parametrize(
    ("reply", "kind", "fragment"),
    [
        (Reply(404, {}, b'{"message": "no such campaign"}'), ErrorKind.NOT_FOUND, "no such"),
        (ok({"not": "a list"}), ErrorKind.BAD_RESPONSE, "unexpected answer"),
        (Reply(200, {}, b"<html>login</html>"), ErrorKind.BAD_RESPONSE, "HTML page"),
    ],
)
def test_a_failed_senders_read_fails_the_selection(
    reply: Reply, kind: ErrorKind, fragment: str
) -> None:
    adapter = Hooked(NoOptions(), StubTransport(lambda spec: reply))

    read = asyncio.run(adapter.with_senders([listed("a1", RUNNING)]))

    assert isinstance(read, Verdict)
    assert read.outcome is Outcome.FAILED
    assert read.error is not None
    assert read.error.kind is kind
    assert fragment in read.message
    assert read.message.endswith("(senders of campaign a1)")


def test_a_list_with_no_running_campaign_reads_no_senders() -> None:
    transport = StubTransport(lambda spec: ok([]))
    campaigns = [listed("p1", PAUSED)]

    assert asyncio.run(Hooked(NoOptions(), transport).with_senders(campaigns)) == campaigns
    assert transport.paths == []


def test_a_refused_resume_names_the_vendors_safety_reason() -> None:
    reason = META.safety_reason("bounced")
    prior = Prior(VENDOR_PAUSED, "bounced")

    refused = decide(Action.RESUME, prior, safety=reason)

    assert refused is not None
    assert refused.outcome is Outcome.FAILED
    assert refused.error is not None
    assert refused.error.kind is ErrorKind.CONFLICT
    assert refused.message.startswith("Hooked's bounce guard paused it")
    assert "--override-vendor-pause" in refused.message
    assert decide(Action.RESUME, prior, safety=reason, override=True) is None
    undo = decide(Action.RESUME, prior, undo_of="r1", safety=reason)
    assert undo is not None
    assert undo.outcome is Outcome.NOOP
    assert META.safety_reason("other") == "paused by the vendor for safety"
    assert META.safety_reason(None) == "paused by the vendor for safety"


def _job(adapter: Adapter) -> Job:
    profile = Profile(
        "hooked", "hooked", "https://api.hooked.example", KeySource("env", "X"), NoOptions()
    )
    return Job(Target("hooked", "c1"), profile, adapter)


def _verified(statuses: list[str], monkeypatch: pytest.MonkeyPatch, *, lag: bool) -> Any:
    answers = iter(statuses)
    adapter = Hooked(NoOptions(), StubTransport(lambda spec: ok({"status": next(answers)})))
    if not lag:
        adapter.meta = META._replace(reads_lag=False)  # type: ignore[misc]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)  # verify waits through asyncio.sleep
    job = _job(adapter)
    done = make_result(job, Verdict(Outcome.DONE, "paused", status=PAUSED), 0.0, Redactor())
    results = asyncio.run(verify(Action.PAUSE, [job], Runner(), Redactor(), [done]))
    return results[0], waits, adapter.transport


def test_a_lagging_vendor_is_read_again_a_second_later(monkeypatch: pytest.MonkeyPatch) -> None:
    result, waits, transport = _verified(["running", "paused"], monkeypatch, lag=True)

    assert result.outcome is Outcome.DONE
    assert result.details["verified"] is True
    assert waits == [act.LAGGING_READ_WAIT]
    assert len(transport.paths) == 2


def test_a_lagging_vendor_that_still_disagrees_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    result, _waits, transport = _verified(["running", "running"], monkeypatch, lag=True)

    assert result.outcome is Outcome.FAILED
    assert "still reports running" in result.message
    assert len(transport.paths) == 2


def test_other_vendors_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    result, waits, transport = _verified(["running", "paused"], monkeypatch, lag=False)

    assert result.outcome is Outcome.FAILED
    assert waits == []
    assert len(transport.paths) == 1


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_every_window_must_have_room_and_a_refusal_counts_in_none() -> None:
    clock = Clock()
    windows = SlidingWindows(((2, 2.0), (3, 60.0)), clock)

    assert [windows.admit("k").admitted for _ in range(3)] == [True, True, False]
    refused = windows.admit("k")
    assert not refused.admitted
    assert refused.retry_after == pytest.approx(2.0)
    clock.now += 2.0
    assert windows.admit("k").admitted  # the 2-s window emptied; the minute holds 3 now
    clock.now += 2.0
    minute = windows.admit("k")
    assert not minute.admitted
    assert minute.retry_after == pytest.approx(56.0)  # the first hit leaves the minute then
    assert windows.admit("other").admitted  # per key


def test_window_headers_report_the_first_window() -> None:
    clock = Clock()
    admission = SlidingWindows(((100, 60.0),), clock).admit("k")

    assert (admission.limit, admission.remaining, admission.window) == (100, 99, 60.0)
