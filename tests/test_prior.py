"""Prior state: the decision rules, and what each vendor costs to learn it (request counts)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import respx

from campctl.prior import NOT_READ, Prior, decide, needs_read, read_priors
from campctl.providers import adapter_class
from campctl.providers.base import Action
from campctl.results import ErrorKind, Outcome, Verdict
from tests.helpers import build, url

UNDONE = "20261129T100000Z-00000a"


@pytest.mark.parametrize(
    ("status", "sent"),
    [("running", True), ("scheduled", True), ("edited", True), ("warming_up", True),
     ("paused", False), ("vendor_paused", False), ("stopped", False), ("draft", False),
     ("completed", False), ("pending_approval", False)],
)  # fmt: skip
def test_a_pause_is_sent_only_where_the_campaign_may_be_sending(status: str, sent: bool) -> None:
    verdict = decide(Action.PAUSE, Prior(status))
    assert (verdict is None) is sent
    if verdict is not None:
        assert verdict.outcome is Outcome.NOOP
        assert verdict.details == {"prior_status": status}


@pytest.mark.parametrize(
    ("status", "override", "outcome"),
    [("paused", False, None), ("running", False, Outcome.NOOP), ("draft", False, Outcome.FAILED),
     ("vendor_paused", False, Outcome.FAILED), ("vendor_paused", True, None)],
)  # fmt: skip
def test_a_resume_is_sent_only_to_a_paused_campaign(
    status: str, override: bool, outcome: Outcome | None
) -> None:
    verdict = decide(Action.RESUME, Prior(status), override=override)
    assert (verdict.outcome if verdict else None) is outcome
    if outcome is Outcome.FAILED:
        assert verdict is not None
        assert verdict.error is not None
        assert verdict.error.kind is ErrorKind.CONFLICT
    if status == "draft":
        assert verdict is not None
        assert verdict.message == "not paused: now draft"


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [(Action.RESUME, "paused", None), (Action.RESUME, "running", "already running"),
     (Action.RESUME, "stopped", f"changed since run {UNDONE}: now stopped — left alone"),
     (Action.RESUME, "vendor_paused", "now vendor_paused — left alone"),
     (Action.PAUSE, "running", None), (Action.PAUSE, "completed", "now completed")],
)  # fmt: skip
def test_an_undo_acts_only_on_what_is_still_as_the_run_left_it(
    action: Action, status: str, message: str | None
) -> None:
    verdict = decide(action, Prior(status), undo_of=UNDONE)
    if message is None:
        assert verdict is None
    else:
        assert verdict is not None
        assert verdict.outcome is Outcome.NOOP
        assert message in verdict.message


def test_an_unreadable_prior_state_fails_with_the_reads_kind_and_sends_nothing() -> None:
    read = Verdict.failure(ErrorKind.NOT_FOUND, "campaign not found (HTTP 404)", http_status=404)
    verdict = decide(Action.PAUSE, Prior(None, None, read))
    assert verdict is not None
    assert verdict.error is not None
    assert (verdict.error.kind, verdict.http_status) == (ErrorKind.NOT_FOUND, 404)
    assert verdict.message.startswith("could not read the campaign's state before acting")
    assert decide(Action.PAUSE, NOT_READ) is None  # the vendor's own answer will tell


@pytest.mark.parametrize(
    ("vendor", "undo", "reads"),
    [("woodpecker", False, True), ("alta", False, True), ("leadlex", False, False),
     ("voicegenie", False, False), ("leadterra", False, False), ("leadlex", True, True),
     ("voicegenie", True, True), ("leadterra", True, False)],
)  # fmt: skip
def test_which_vendors_are_read_first(vendor: str, undo: bool, reads: bool) -> None:
    assert needs_read(adapter_class(vendor).meta, undo=undo) is reads


def priors(vendor: str, ids: list[str], known: dict[str, Prior] | None = None) -> Any:
    async def go() -> dict[str, Prior]:
        async with httpx.AsyncClient() as client:
            return await read_priors(build(vendor, client), ids, known or {})

    return asyncio.run(go())


@respx.mock
def test_a_single_target_is_read_not_listed() -> None:
    read = respx.get(url("woodpecker", "/v2/campaigns/12345")).respond(json={"status": "PAUSED"})
    assert priors("woodpecker", ["12345"]) == {"12345": Prior("paused", "PAUSED")}
    assert read.call_count == 1


@respx.mock
def test_several_woodpecker_targets_cost_one_unfiltered_list() -> None:
    listed = respx.get(url("woodpecker", "/v1/campaign_list")).respond(
        json=[{"id": 1, "status": "RUNNING"}, {"id": 2, "status": "PAUSED"},
              {"id": 3, "status": "DRAFT"}]
    )  # fmt: skip
    found = priors("woodpecker", ["1", "2", "3", "404"])
    assert listed.call_count == 1
    assert listed.calls.last.request.url.query == b""  # every state, not just running
    assert [found[i].status for i in ("1", "2", "3")] == ["running", "paused", "draft"]
    missing = found["404"].failure
    assert missing is not None
    assert missing.error is not None
    assert missing.error.kind is ErrorKind.NOT_FOUND


def alta_page(ids: range, more: bool) -> dict[str, Any]:
    data = [{"id": f"a17a0000-0000-4000-8000-{i:012d}", "status": "active"} for i in ids]
    return {"data": data, "hasMore": more, "next": "c2" if more else None}


@respx.mock
def test_alta_pages_stop_once_what_is_left_costs_no_more_to_read() -> None:
    first = respx.get(url("alta", "/campaigns?limit=100")).respond(
        json=alta_page(range(1, 101), True)
    )
    second = respx.get(url("alta", "/campaigns?cursor=c2")).respond(
        json=alta_page(range(101, 201), False)
    )
    wanted = [f"a17a0000-0000-4000-8000-{i:012d}" for i in (5, 6, 150)]
    read = respx.get(url("alta", f"/campaigns/{wanted[2]}")).respond(json={"status": "paused"})
    found = priors("alta", wanted)
    assert (first.call_count, second.call_count, read.call_count) == (1, 0, 1)
    assert [found[i].status for i in wanted] == ["running", "running", "paused"]


@respx.mock
def test_a_failed_list_falls_back_to_a_read_each() -> None:
    respx.get(url("woodpecker", "/v1/campaign_list")).respond(500)
    reads = respx.get(url("woodpecker", "/v2/campaigns/1")).respond(json={"status": "RUNNING"})
    respx.get(url("woodpecker", "/v2/campaigns/2")).respond(json={"status": "RUNNING"})
    found = priors("woodpecker", ["1", "2"])
    assert reads.call_count == 1
    assert {p.status for p in found.values()} == {"running"}


def test_known_states_cost_nothing() -> None:
    with respx.mock(assert_all_called=False) as router:
        found = priors("woodpecker", ["1", "2"], {"1": Prior("running"), "2": Prior("paused")})
        assert router.calls.call_count == 0
    assert found == {"1": Prior("running"), "2": Prior("paused")}
