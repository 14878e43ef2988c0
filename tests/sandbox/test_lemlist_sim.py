"""The lemlist simulator over real loopback HTTP, then the real adapter and CLI against it."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from campctl.diagnostics import Diagnostics
from campctl.http import HttpTransport, make_client
from campctl.limits import Limits
from campctl.providers.base import Campaign
from campctl.providers.lemlist.adapter import LemlistAdapter
from campctl.providers.lemlist.simulator import Lemlist
from campctl.redact import Redactor
from campctl.results import ErrorKind, Outcome, Verdict
from campctl.retry import RetryPolicy
from campctl.sandbox import SANDBOX_API_KEY, Fault, Simulator, campaign_ids
from tests.helpers import cli

RUNNING = "cam_bSn8EORHQxbWPjHvu"
PAUSED = "cam_tWpCFrJj7oW8ip39e"
DRAFT = "cam_vyzp8v33RBTfNQRvz"
ENDED = "cam_O3BQOaXuyUuyqEHug"
ARCHIVED = "cam_tBpHORyt3WhTQoi5A"
NEWEST = "cam_gen0000000095"  # running, on the second list page
TEXT = "text/plain; charset=utf-8"
JS_DATE = re.compile(  # JavaScript's Date.toString()
    r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d{4} \d\d:\d\d:\d\d GMT\+0000 "
    r"\(Coordinated Universal Time\)"
)


def basic(user_and_key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(user_and_key.encode()).decode()}


AUTH = basic(":" + SANDBOX_API_KEY)


def call(
    sim: Simulator, line: str, headers: dict[str, str] | None = None, **params: Any
) -> httpx.Response:
    method, path = line.split(" ", 1)
    url = sim.base_url("lemlist") + path
    return httpx.request(method, url, headers=AUTH if headers is None else headers, params=params)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- auth ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic(":wrong-key"),
        basic(SANDBOX_API_KEY + ":"),  # the key as user name
        basic("user:" + SANDBOX_API_KEY),  # the login must be empty
        {"Authorization": f"Bearer {SANDBOX_API_KEY}"},
        {"Authorization": "Basic not-base64!"},
    ],
    ids=["missing", "wrong", "key-as-user", "with-user", "bearer", "garbage"],
)
def test_pause_needs_basic_auth_with_an_empty_user(sim: Simulator, headers: dict[str, str]) -> None:
    r = call(sim, f"POST /campaigns/{RUNNING}/pause", headers)
    assert (r.status_code, r.text) == (401, "The authentication you supplied is incorrect")
    assert r.headers["content-type"] == TEXT
    assert sim.campaign_status("lemlist", RUNNING) == "running"


def test_list_without_any_key_is_the_documented_400(sim: Simulator) -> None:
    r = call(sim, "GET /campaigns", {}, version="v2")
    assert (r.status_code, r.text) == (400, "No API key provided")
    r = call(sim, "GET /campaigns", basic(":nope"), version="v2")
    assert (r.status_code, r.text) == (401, "The authentication you supplied is incorrect")


# -- state rules --------------------------------------------------------------------------------


def test_pause_start_and_the_400_on_a_repeat(sim: Simulator) -> None:
    r = call(sim, f"POST /campaigns/{RUNNING}/pause")
    assert (r.status_code, r.json()) == (200, {"_id": RUNNING, "state": "paused"})
    r = call(sim, f"POST /campaigns/{RUNNING}/pause")
    assert (r.status_code, r.text) == (400, "You can't pause campaigns that are not running")
    assert r.headers["content-type"] == TEXT
    assert call(sim, f"GET /campaigns/{RUNNING}").json()["status"] == "paused"
    r = call(sim, f"POST /campaigns/{RUNNING}/start")
    assert (r.status_code, r.json()) == (200, {"_id": RUNNING, "state": "running"})
    r = call(sim, f"POST /campaigns/{RUNNING}/start")
    assert (r.status_code, r.text) == (400, "You can't start campaigns that are already running")
    assert sim.campaign_status("lemlist", RUNNING) == "running"


@pytest.mark.parametrize(
    ("campaign_id", "verb", "status", "after"),
    [
        (PAUSED, "start", 200, "running"),
        (DRAFT, "start", 200, "running"),  # undocumented: starting a draft launches it
        (DRAFT, "pause", 400, "draft"),
        (ENDED, "pause", 400, "ended"),
        (ENDED, "start", 400, "ended"),
        (ARCHIVED, "start", 400, "archived"),
        (ARCHIVED, "pause", 400, "archived"),
    ],
)
def test_state_rules(sim: Simulator, campaign_id: str, verb: str, status: int, after: str) -> None:
    r = call(sim, f"POST /campaigns/{campaign_id}/{verb}")
    assert r.status_code == status
    assert sim.campaign_status("lemlist", campaign_id) == after
    if status == 400:
        assert r.headers["content-type"] == TEXT
        assert r.text.startswith(("You can't", "An archived campaign cannot be started"))


@pytest.mark.parametrize("line", ["POST /campaigns/cam_Nope/pause", "GET /campaigns/cam_Nope"])
def test_unknown_campaign_is_a_text_404(sim: Simulator, line: str) -> None:
    r = call(sim, line)
    assert (r.status_code, r.text, r.headers["content-type"]) == (404, "Campaign not found", TEXT)


def test_single_get_names_the_senders(sim: Simulator) -> None:
    body = call(sim, f"GET /campaigns/{RUNNING}").json()
    assert body["_id"] == RUNNING
    assert body["status"] == "running"
    assert [s["email"] for s in body["senders"]] == ["erlich@acme.io", "jared@acme.io"]
    assert all(s["id"].startswith("usr_") for s in body["senders"])
    assert all(s["sendUserMailboxId"].startswith("usm_") for s in body["senders"])
    errors = call(sim, "GET /campaigns/cam_k3gu2sa4KIfhRK34M").json()
    assert (errors["status"], errors["hasError"]) == ("running", True)
    assert errors["errors"] == ["One of your sender has no email provider."]


# -- the list -----------------------------------------------------------------------------------


def test_list_envelope_in_pages_without_senders(sim: Simulator) -> None:
    first = call(sim, "GET /campaigns", version="v2", limit=100, page=1).json()
    second = call(sim, "GET /campaigns", version="v2", limit=100, page=2).json()
    assert first["pagination"] == {
        "totalRecords": 105,
        "currentPage": 1,
        "nextPage": 2,
        "totalPage": 2,
    }
    assert second["pagination"] == {
        "totalRecords": 105,
        "currentPage": 2,
        "nextPage": 2,  # as observed: nextPage == currentPage on the last page
        "totalPage": 2,
    }
    items = first["campaigns"] + second["campaigns"]
    assert (len(first["campaigns"]), len(items), len({c["_id"] for c in items})) == (100, 105, 105)
    assert all("senders" not in c and c["name"] for c in items)
    assert items[0]["_id"] == RUNNING
    assert [c["_id"] for c in second["campaigns"] if c["status"] == "running"] == [NEWEST]
    assert {c["status"] for c in items} == {"running", "paused", "draft", "ended", "archived"}


def test_list_filters_running_server_side(sim: Simulator) -> None:
    body = call(sim, "GET /campaigns", version="v2", limit=100, page=1, status="running").json()
    ids = [c["_id"] for c in body["campaigns"]]
    assert ids == [
        RUNNING,
        "cam_suajL2SXxmH7NdZ6F",
        "cam_k3gu2sa4KIfhRK34M",
        "cam_4HrZbi8xsez4QlrnL",
        "cam_LookalikeDomain01",
        "cam_NoSenderCampaign1",
        NEWEST,
    ]
    assert body["pagination"]["totalPage"] == 1
    call(sim, f"POST /campaigns/{RUNNING}/pause")
    body = call(sim, "GET /campaigns", version="v2", status="running").json()
    assert RUNNING not in [c["_id"] for c in body["campaigns"]]


def test_list_without_version_is_the_bare_array_in_offset_pages(sim: Simulator) -> None:
    first = call(sim, "GET /campaigns").json()
    rest = call(sim, "GET /campaigns", offset=100).json()
    assert isinstance(first, list)
    assert (len(first), len(rest)) == (100, 5)
    assert rest[-1]["_id"] == NEWEST


@pytest.mark.parametrize(
    "query",
    [{"limit": 0}, {"limit": 101}, {"page": 0}, {"version": "v1"}, {"status": "sleeping"}],
    ids=["limit-0", "limit-101", "page-0", "version", "status"],
)
def test_list_rejects_bad_params_as_text(sim: Simulator, query: dict[str, Any]) -> None:
    r = call(sim, "GET /campaigns", **query)
    assert r.status_code == 400
    assert r.headers["content-type"] == TEXT
    assert r.text.startswith(("limit", "page", "Bad params"))


def test_page_cap_and_the_endless_list_fault() -> None:
    with Simulator(page_cap=40) as sim:
        body = call(sim, "GET /campaigns", version="v2", limit=100, page=3).json()
        assert len(body["campaigns"]) == 25
        assert body["pagination"]["totalPage"] == 3
        sim.add_fault(Fault.parse("endless-list@lemlist*1"))
        body = call(sim, "GET /campaigns", version="v2", page=7).json()
        assert body == {
            "campaigns": [],
            "pagination": {"totalRecords": 0, "currentPage": 7, "nextPage": 8, "totalPage": 8},
        }


# -- limits and faults --------------------------------------------------------------------------


def test_twenty_per_two_seconds_with_lemlist_headers() -> None:
    clock = FakeClock()
    with Simulator(clock=clock) as sim:
        for n in range(20):
            r = call(sim, f"GET /campaigns/{RUNNING}")
            assert r.status_code == 200
            assert r.headers["X-RateLimit-Remaining"] == str(19 - n)
            # On 200s too: until the first request leaves the window, in fractional seconds.
            assert r.headers["Retry-After"] == ("2" if n == 0 else "1.95")
            clock.now += 0.05 if n == 0 else 0
        assert r.headers["X-RateLimit-Limit"] == "20"
        assert JS_DATE.fullmatch(r.headers["X-RateLimit-Reset"])
        r = call(sim, f"POST /campaigns/{RUNNING}/pause")
        assert (r.status_code, r.text) == (429, "Too Many Requests")
        assert r.headers["Retry-After"] == "1.95"  # fractional, as lemlist sends it
        assert sim.campaign_status("lemlist", RUNNING) == "running"
        clock.now += 1.95
        assert call(sim, f"POST /campaigns/{RUNNING}/pause").status_code == 200


def test_status_fault_answers_in_text(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("status:503@lemlist*1"))
    r = call(sim, f"POST /campaigns/{RUNNING}/pause")
    assert (r.status_code, r.text, r.headers["content-type"]) == (503, "Service Unavailable", TEXT)
    assert sim.campaign_status("lemlist", RUNNING) == "running"


def test_bench_campaigns_send_from_bench_example() -> None:
    assert campaign_ids("lemlist", 2) == ["cam_bench00000001", "cam_bench00000002"]
    assert all(LemlistAdapter.check_id(cid) is None for cid in campaign_ids("lemlist", 300))
    with Simulator(extra_campaigns=2) as sim:
        body = call(sim, "GET /campaigns/cam_bench00000002").json()
        assert body["status"] == "running"
        assert [s["email"] for s in body["senders"]] == ["bench2@bench.example"]


def test_every_seed_has_a_valid_id_and_a_name() -> None:
    seeds = Lemlist.seed()
    assert len(seeds) == 105
    for seed in seeds:
        LemlistAdapter.check_id(seed.id)
        assert seed.name


# -- the real adapter against the simulator -----------------------------------------------------


def on_sim(
    sim: Simulator,
    use: Callable[[LemlistAdapter], Awaitable[Any]],
    *,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> Any:
    async def go() -> Any:
        meta = LemlistAdapter.meta
        base = sim.base_url("lemlist")
        async with make_client([base], 8) as client:
            transport = HttpTransport(
                client,
                base_url=base,
                auth=meta.auth,
                api_key=SANDBOX_API_KEY,
                timeout=5.0,
                policy=RetryPolicy(retries=2, sleep=sleep or asyncio.sleep),
                limits=Limits(8),
                scope=Limits.scope("lemlist", SANDBOX_API_KEY),
                vendor_limit=meta.limit,
                diagnostics=Diagnostics(Redactor()),
                provider="lemlist",
            )
            return await use(LemlistAdapter(LemlistAdapter.Options(), transport))

    return asyncio.run(go())


def test_adapter_pause_repeat_and_resume(sim: Simulator) -> None:
    first: Verdict = on_sim(sim, lambda a: a.pause(RUNNING))
    assert (first.outcome, first.status, first.details) == (
        Outcome.DONE,
        "paused",
        {"vendor_status": "paused"},
    )
    again: Verdict = on_sim(sim, lambda a: a.pause(RUNNING))  # the 400, then one read
    assert (again.outcome, again.status, again.http_status) == (Outcome.NOOP, "paused", 400)
    lines = [f"{q.method} {q.path}" for q in sim.requests[-2:]]
    assert lines == [f"POST /campaigns/{RUNNING}/pause", f"GET /campaigns/{RUNNING}"]
    resumed: Verdict = on_sim(sim, lambda a: a.resume(RUNNING))
    assert (resumed.outcome, resumed.status) == (Outcome.DONE, "running")
    refused: Verdict = on_sim(sim, lambda a: a.resume(ARCHIVED))
    assert refused.outcome is Outcome.FAILED
    assert refused.error is not None
    assert refused.error.kind is ErrorKind.INVALID_REQUEST
    assert (
        refused.message == "An archived campaign cannot be started. Unarchive it first (HTTP 400)"
    )
    missing: Verdict = on_sim(sim, lambda a: a.status("cam_Nope"))
    assert missing.error is not None
    assert (missing.error.kind, missing.message) == (
        ErrorKind.NOT_FOUND,
        "Campaign not found (HTTP 404)",
    )


def test_adapter_lists_both_pages_and_reads_senders_of_running_only(sim: Simulator) -> None:
    async def everything(adapter: LemlistAdapter) -> tuple[list[Campaign], Any]:
        listed = await adapter.campaigns()
        return listed.campaigns, await adapter.with_senders(listed.campaigns)

    campaigns, with_senders = on_sim(sim, everything)
    assert len(campaigns) == 105
    reads = [q.path for q in sim.requests if q.path != "/campaigns"]
    running = [c.campaign_id for c in campaigns if c.status == "running"]
    assert sorted(reads) == sorted(f"/campaigns/{cid}" for cid in running)
    senders = {c.campaign_id: c.senders for c in with_senders if c.senders}
    assert senders[NEWEST] == ("launch@acme.io",)
    assert senders["cam_4HrZbi8xsez4QlrnL"] == ("richard@other.io", "sales@acme.io")
    assert PAUSED not in senders  # not running: not read
    statuses = {c.campaign_id: c.status for c in campaigns}
    assert (statuses[ENDED], statuses[ARCHIVED], statuses[DRAFT]) == (
        "completed",
        "archived",
        "draft",
    )


def test_adapter_waits_out_a_fractional_429_and_lands() -> None:
    clock = FakeClock()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:  # the retry's wait moves the simulator's clock
        waits.append(seconds)
        clock.now += seconds

    with Simulator(clock=clock) as sim:
        for _ in range(20):
            call(sim, f"GET /campaigns/{PAUSED}")
        clock.now += 0.5
        verdict: Verdict = on_sim(sim, lambda a: a.pause(RUNNING), sleep=sleep)
    assert waits == [1.5]
    assert (verdict.outcome, verdict.status, verdict.attempts) == (Outcome.DONE, "paused", 2)


# -- the CLI: --sandbox end to end --------------------------------------------------------------


def run_json(*args: str) -> dict[str, Any]:
    out = cli([*args, "--sandbox", "--json"])
    document: dict[str, Any] = json.loads(out.stdout)
    assert document["exit_code"] == out.exit_code, out.stderr
    return document


def test_cli_pause_verify_status_and_undo() -> None:
    paused = run_json("pause", "--verify", "--reason", "rehearsal", f"lemlist:{RUNNING}")
    (result,) = paused["results"]
    assert (result["outcome"], result["status"]) == ("done", "paused")
    assert result["details"]["prior_status"] == "running"
    assert result["details"]["verified"] is True
    again = run_json("pause", f"lemlist:{RUNNING}", f"lemlist:{DRAFT}")
    assert [r["outcome"] for r in again["results"]] == ["noop", "noop"]  # read first, not sent
    status = run_json("status", f"lemlist:{RUNNING}")
    assert status["results"][0]["status"] == "paused"
    undone = run_json("resume", "--undo", "last")
    assert [(r["target"], r["outcome"]) for r in undone["results"]] == [
        (f"lemlist:{RUNNING}", "done")
    ]


def test_cli_pause_by_sender_reads_both_pages() -> None:
    document = run_json("pause", "--sender", "acme.io", "-p", "lemlist", "--dry-run")
    targets = sorted(r["target"] for r in document["results"])
    assert targets == sorted(
        f"lemlist:{cid}"
        for cid in (RUNNING, "cam_suajL2SXxmH7NdZ6F", "cam_4HrZbi8xsez4QlrnL", NEWEST)
    )
    assert document["exit_code"] == 0
