"""The Instantly simulator over real loopback HTTP, and campctl's engine and CLI against it:
numeric statuses, the Bounce Protect seed, cursor pages, tag senders, the edge's User-Agent
block and the documented limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import campctl
from campctl import __version__
from campctl.providers.instantly.simulator import (
    BOUNCE_PROTECT_ID,
    TAG_ACME,
    TAG_SALES,
    UNHEALTHY_ID,
    Instantly,
    seed_id,
)
from campctl.sandbox import (
    SANDBOX_API_KEY,
    SANDBOX_KEY_ENV,
    Fault,
    Simulator,
    campaign_ids,
    render_providers_toml,
)
from campctl.sandbox.limits import SlidingWindows
from tests.helpers import cli
from tests.sandbox.common import call

VENDOR = "instantly"
AGENT = {"User-Agent": f"campctl/{__version__}"}
FIRST = seed_id(0)  # "My First Campaign", active, erlich@ and jared@acme.io
SUSPENDED_ID = seed_id(11)
RUNNING_IDS = [seed_id(n) for n in (0, 1, 2, 3, 9, 10)]  # status 1, and 4 for seed 3
ACME_RUNNING = [seed_id(n) for n in (0, 1, 3, 10)]  # 1 by tag, 10 by tag (Sales@Acme.IO)
CAMPAIGN_FIELDS = {
    "id", "name", "status", "campaign_schedule", "timestamp_created", "timestamp_updated",
    "email_list", "daily_limit", "stop_on_reply", "email_tag_list", "open_tracking",
}  # fmt: skip


def ask(
    sim: Simulator, line: str, *, key: str | None = SANDBOX_API_KEY, agent: str | None = None
) -> httpx.Response:
    """`call` with a User-Agent the edge lets through (campctl's own, unless `agent`)."""
    return call(sim, VENDOR, line, key=key, headers={"User-Agent": agent or AGENT["User-Agent"]})


def items(sim: Simulator, query: str) -> list[dict[str, Any]]:
    """Every item of a list walk, following `next_starting_after` to the empty page."""
    path, _, params = query.partition("?")
    found: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        after = f"&starting_after={cursor}" if cursor else ""
        page = ask(sim, f"GET {path}?{params}{after}").json()
        if not page["items"]:
            assert set(page) == {"items"}
            return found
        found += page["items"]
        cursor = page["next_starting_after"]
        assert cursor == page["items"][-1]["id" if "campaigns" in path else "email"]
    raise AssertionError("the list did not end")


# -- the edge ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "agent",
    [
        None,  # httpx's own default
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Python-urllib/3.11",
        "Go-http-client/2.0",
        "Wget/1.21",
        "",
    ],
)
def test_default_library_user_agents_are_blocked_before_auth(
    sim: Simulator, agent: str | None
) -> None:
    headers = {} if agent is None else {"User-Agent": agent}
    url = sim.base_url(VENDOR) + f"/api/v2/campaigns/{FIRST}/pause"
    for key in (SANDBOX_API_KEY, "wrong"):
        with httpx.Client() as client:  # its own default User-Agent, whatever the tests share
            r = client.post(url, headers={"Authorization": f"Bearer {key}", **headers})
        assert r.status_code == 403
        assert r.headers["content-type"].startswith("text/html")
        assert "you have been blocked" in r.text
    assert sim.campaign_status(VENDOR, FIRST) == "active"


@pytest.mark.parametrize("agent", [f"campctl/{__version__}", "instantly-ai-sdk/0.1.0"])
def test_an_own_user_agent_gets_through(sim: Simulator, agent: str) -> None:
    assert ask(sim, f"GET /api/v2/campaigns/{FIRST}", agent=agent).status_code == 200


# -- actions, with the documented bodies --------------------------------------------------------


def test_pause_get_activate_answer_the_whole_campaign_with_numeric_status(sim: Simulator) -> None:
    paused = ask(sim, f"POST /api/v2/campaigns/{FIRST}/pause")
    assert paused.status_code == 200
    assert paused.headers["content-type"] == "application/json"
    body = paused.json()
    assert set(body) == CAMPAIGN_FIELDS
    assert (body["id"], body["name"], body["status"]) == (FIRST, "My First Campaign", 2)
    assert body["email_list"] == ["erlich@acme.io", "jared@acme.io"]
    assert body["timestamp_updated"] != body["timestamp_created"]
    assert sim.campaign_status(VENDOR, FIRST) == "paused"
    assert ask(sim, f"GET /api/v2/campaigns/{FIRST}").json() == body
    activated = ask(sim, f"POST /api/v2/campaigns/{FIRST}/activate").json()
    assert activated["status"] == 1
    assert sim.campaign_status(VENDOR, FIRST) == "active"


@pytest.mark.parametrize(
    ("n", "before", "after_pause", "after_activate"),
    [
        (0, 1, 2, 1),  # Active
        (3, 4, 2, 4),  # Running Subsequences: pause stops it; activate leaves it running
        (4, 2, 2, 1),  # Paused: a repeat pause answers like a fresh one
        (5, -2, -2, 1),  # Bounce Protect: activate overrides it
        (6, -1, -1, -1),  # Accounts Unhealthy: stays stopped
        (7, 0, 0, 1),  # Draft: activate starts it
        (8, 3, 3, 3),  # Completed
        (11, -99, -99, -99),  # Account Suspended
    ],
)
def test_state_rules(
    sim: Simulator, n: int, before: int, after_pause: int, after_activate: int
) -> None:
    cid = seed_id(n)
    assert ask(sim, f"GET /api/v2/campaigns/{cid}").json()["status"] == before
    assert ask(sim, f"POST /api/v2/campaigns/{cid}/pause").json()["status"] == after_pause
    with Simulator() as fresh:
        r = ask(fresh, f"POST /api/v2/campaigns/{cid}/activate")
        assert (r.status_code, r.json()["status"]) == (200, after_activate)


def test_errors_use_the_uniform_body(sim: Simulator) -> None:
    r = ask(sim, f"POST /api/v2/campaigns/{FIRST}/pause", key="wrong")
    assert (r.status_code, r.json()) == (
        401,
        {"statusCode": 401, "error": "Unauthorized", "message": "Invalid API key"},
    )
    assert ask(sim, f"GET /api/v2/campaigns/{FIRST}", key=None).status_code == 401
    missing = "00000000-0000-4000-8000-000000000000"
    r = ask(sim, f"POST /api/v2/campaigns/{missing}/activate")
    assert (r.status_code, r.json()["statusCode"], r.json()["error"]) == (404, 404, "Not Found")
    r = ask(sim, "POST /api/v2/campaigns/12345/pause")  # the 400 schema says 404, as documented
    assert (r.status_code, r.json()) == (
        400,
        {"statusCode": 404, "error": "Not Found", "message": "id must be a UUID"},
    )
    assert ask(sim, f"GET /api/v2/campaigns/{FIRST}/pause").status_code == 405
    assert ask(sim, "GET /api/v1/campaign/list").status_code == 404


def test_bearer_scheme_is_required(sim: Simulator) -> None:
    r = call(
        sim,
        VENDOR,
        f"GET /api/v2/campaigns/{FIRST}",
        key=None,
        headers={**AGENT, "Authorization": SANDBOX_API_KEY},
    )
    assert r.status_code == 401


# -- lists ---------------------------------------------------------------------------------------


def test_campaign_list_in_cursor_pages_ending_with_an_empty_page(sim: Simulator) -> None:
    first = ask(sim, "GET /api/v2/campaigns?limit=100").json()
    assert len(first["items"]) == 12
    assert first["next_starting_after"] == first["items"][-1]["id"]  # even on the last page
    last = ask(sim, f"GET /api/v2/campaigns?limit=100&starting_after={first['items'][-1]['id']}")
    assert last.json() == {"items": []}
    assert all(set(c) == CAMPAIGN_FIELDS for c in first["items"])
    assert [c["id"] for c in first["items"]] == [seed_id(n) for n in range(12)]  # by ID
    by_status: dict[int, list[str]] = {}
    for c in first["items"]:
        by_status.setdefault(c["status"], []).append(c["id"])
    assert by_status[-2] == [BOUNCE_PROTECT_ID]
    assert by_status[-1] == [UNHEALTHY_ID]
    assert by_status[-99] == [SUSPENDED_ID]
    assert sorted(by_status[1] + by_status[4]) == sorted(RUNNING_IDS)
    assert {2, 0, 3} <= set(by_status)


def test_campaign_list_pages_by_limit_and_filters_one_status(sim: Simulator) -> None:
    assert len(ask(sim, "GET /api/v2/campaigns").json()["items"]) == 10  # the default limit
    walked = items(sim, "/api/v2/campaigns?limit=5")
    assert [c["id"] for c in walked] == [seed_id(n) for n in range(12)]
    running = items(sim, "/api/v2/campaigns?limit=100&status=1")
    assert {c["status"] for c in running} == {1}
    assert [c["id"] for c in items(sim, "/api/v2/campaigns?status=-2")] == [BOUNCE_PROTECT_ID]
    for bad in ("limit=101", "limit=0", "status=7", "status=active"):
        r = ask(sim, f"GET /api/v2/campaigns?{bad}")
        assert (r.status_code, r.json()["error"]) == (400, "Bad Request"), bad


def test_campaign_list_follows_state_and_page_cap() -> None:
    with Simulator(page_cap=4, extra_campaigns=2) as sim:
        ask(sim, f"POST /api/v2/campaigns/{FIRST}/pause")
        walked = items(sim, "/api/v2/campaigns?limit=100")
        assert len(walked) == 14
        assert next(c for c in walked if c["id"] == FIRST)["status"] == 2
        bench = [c for c in walked if c["id"] in campaign_ids(VENDOR, 2)]
        assert [(c["status"], c["email_list"]) for c in bench] == [
            (1, ["bench1@bench.example"]),
            (1, ["bench2@bench.example"]),
        ]


def test_campaigns_sending_through_tags(sim: Simulator) -> None:
    campaigns = {c["id"]: c for c in items(sim, "/api/v2/campaigns?limit=100")}
    assert campaigns[seed_id(1)]["email_list"] == []
    assert campaigns[seed_id(1)]["email_tag_list"] == [TAG_ACME]
    assert campaigns[seed_id(10)]["email_tag_list"] == [TAG_SALES]
    acme = items(sim, f"/api/v2/accounts?limit=1&tag_ids={TAG_ACME}")
    assert [a["email"] for a in acme] == ["dinesh@acme.io", "monica@acme.io"]
    both = items(sim, f"/api/v2/accounts?tag_ids={TAG_ACME},{TAG_SALES}")
    assert len(both) == 4
    assert {"email", "status", "warmup_status", "provider_code"} <= set(both[0])
    assert ask(sim, "GET /api/v2/accounts?limit=500").status_code == 400


def test_endless_list_fault_never_reaches_an_empty_page(sim: Simulator) -> None:
    sim.add_fault(Fault.parse("endless-list@instantly"))
    cursors = []
    cursor = ""
    for _ in range(3):
        page = ask(sim, f"GET /api/v2/campaigns?limit=100&starting_after={cursor}").json()
        (item,) = page["items"]
        assert item["id"] == page["next_starting_after"]
        cursor = page["next_starting_after"]
        cursors.append(cursor)
    assert len(set(cursors)) == 3


def test_extra_campaigns_are_running_uuids_sending_from_bench() -> None:
    ids = campaign_ids(VENDOR, 3)
    assert ids[0] == "1a57a000-0000-4000-8000-000000000001"
    with Simulator(extra_campaigns=3) as sim:
        for cid in ids:
            assert sim.campaign_status(VENDOR, cid) == "active"
            assert ask(sim, f"GET /api/v2/campaigns/{cid}").json()["email_list"] == [
                f"bench{cid[-1]}@bench.example"
            ]


# -- limits --------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_100_requests_per_second_then_429_without_rate_limit_headers() -> None:
    clock = Clock()
    with Simulator(clock=clock) as sim, httpx.Client(headers=AGENT) as client:
        url = sim.base_url(VENDOR) + f"/api/v2/campaigns/{FIRST}"
        auth = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}
        answers = [client.get(url, headers=auth) for _ in range(100)]
        assert {r.status_code for r in answers} == {200}
        refused = client.get(url, headers=auth)
        assert refused.status_code == 429
        assert refused.json() == {
            "statusCode": 429,
            "error": "Too Many Requests",
            "message": "Rate limit exceeded, retry in 1 second",
        }
        assert not any(h.lower().startswith(("ratelimit", "x-ratelimit")) for h in refused.headers)
        assert "retry-after" not in refused.headers  # none documented
        assert "ratelimit-limit" not in answers[0].headers
        clock.now += 1.0
        assert client.get(url, headers=auth).status_code == 200


def test_6000_requests_per_minute() -> None:
    clock = Clock()
    windows = SlidingWindows(Instantly.rate_limits, clock)
    for _ in range(60):  # 100 a second, at the per-second limit, for a whole minute
        assert all(windows.admit("key").admitted for _ in range(100))
        clock.now += 1.0
    clock.now -= 0.5  # within the minute of the first requests, past every second
    refused = windows.admit("key")
    assert not refused.admitted
    assert refused.retry_after == pytest.approx(0.5)
    clock.now += 0.5
    assert windows.admit("key").admitted


# -- campctl's engine and CLI against the simulator ----------------------------------------------


@pytest.fixture
def rig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Simulator, Path]]:
    with Simulator() as sim:
        config = tmp_path / "sandbox.toml"
        config.write_text(render_providers_toml(sim))
        monkeypatch.setenv(SANDBOX_KEY_ENV, SANDBOX_API_KEY)
        yield sim, config


def sent(sim: Simulator) -> list[str]:
    """The state changes the simulator received: "pause <id>" / "activate <id>"."""
    changes = []
    for r in sim.requests:
        if r.vendor == VENDOR and r.method == "POST":
            _, _, cid, verb = r.path.rsplit("/", 3)
            changes.append(f"{verb} {cid}")
    return changes


def test_all_running_pauses_1_and_4_never_a_vendor_paused_one(rig: tuple[Simulator, Path]) -> None:
    sim, config = rig
    ctx = campctl.Context(config=config)

    report = campctl.run_sync(
        campctl.pause(profiles=[VENDOR], all_running=True, reason="INC-7", context=ctx)
    )

    assert report.exit_code == 0
    assert sorted(r.campaign_id for r in report.results) == sorted(RUNNING_IDS)
    assert {(r.outcome.value, r.status) for r in report.results} == {("done", "paused")}
    assert sorted(sent(sim)) == sorted(f"pause {cid}" for cid in RUNNING_IDS)
    assert sim.campaign_status(VENDOR, BOUNCE_PROTECT_ID) == "bounce_protect"
    renewal = next(r for r in report.results if r.campaign_id == seed_id(3))
    assert renewal.details["prior_status"] == "running"
    assert all(
        r.headers["user-agent"] == f"campctl/{__version__}"
        for r in sim.requests
        if r.vendor == VENDOR
    )

    undo = campctl.run_sync(campctl.resume(undo=report.run_id, context=ctx))

    assert undo.exit_code == 0
    assert {r.outcome.value for r in undo.results} == {"done"}
    assert sim.campaign_status(VENDOR, seed_id(3)) == "active"  # activate's one running state
    assert sim.campaign_status(VENDOR, BOUNCE_PROTECT_ID) == "bounce_protect"
    assert not any(BOUNCE_PROTECT_ID in change for change in sent(sim))


def test_sender_finds_campaigns_sending_through_tags(rig: tuple[Simulator, Path]) -> None:
    sim, config = rig
    ctx = campctl.Context(config=config)

    report = campctl.run_sync(
        campctl.pause(profiles=[VENDOR], sender="acme.io", dry_run=True, context=ctx)
    )

    assert report.exit_code == 0
    assert sorted(r.campaign_id for r in report.results) == sorted(ACME_RUNNING)
    assert sent(sim) == []
    reads = [r.query for r in sim.requests if r.path == "/api/v2/accounts"]
    assert sorted(reads) == sorted(
        f"limit=100&tag_ids={tag}{after}"
        for tag, last in ((TAG_ACME, "monica@acme.io"), (TAG_SALES, "sales@other.io"))
        for after in ("", f"&starting_after={last.replace('@', '%40')}")
    )


def test_list_status_vendor_paused(rig: tuple[Simulator, Path]) -> None:
    _, config = rig
    listing = campctl.run_sync(
        campctl.list_campaigns(
            profiles=[VENDOR], status="vendor_paused", context=campctl.Context(config=config)
        )
    )

    assert listing.exit_code == 0
    found = {c.campaign_id: c for c in listing.campaigns}
    assert set(found) == {BOUNCE_PROTECT_ID, UNHEALTHY_ID, SUSPENDED_ID}
    assert found[BOUNCE_PROTECT_ID].senders == ["bighead@acme.io"]
    assert found[BOUNCE_PROTECT_ID].name == "Cold outreach US (Bounce Protect)"


def test_pausing_bounce_protect_is_a_noop_and_sends_nothing(rig: tuple[Simulator, Path]) -> None:
    sim, config = rig
    report = campctl.run_sync(
        campctl.pause([f"{VENDOR}:{BOUNCE_PROTECT_ID}"], context=campctl.Context(config=config))
    )

    (result,) = report.results
    assert (result.outcome.value, result.status) == ("noop", "vendor_paused")
    assert report.exit_code == 0
    assert sent(sim) == []


def test_resuming_bounce_protect_is_refused_unless_overridden(rig: tuple[Simulator, Path]) -> None:
    sim, config = rig
    target = f"{VENDOR}:{BOUNCE_PROTECT_ID}"
    ctx = campctl.Context(config=config)

    refused = campctl.run_sync(campctl.resume([target], context=ctx))

    (result,) = refused.results
    assert refused.exit_code == 1
    assert result.outcome.value == "failed"
    assert result.error is not None
    assert result.error.kind.value == "conflict"
    assert "Bounce Protect" in result.message
    assert "will not be paused again for 7 days" in result.message
    assert "--override-vendor-pause" in result.message
    assert sent(sim) == []

    overridden = campctl.run_sync(
        campctl.resume([target], override_vendor_pause=True, verify=True, context=ctx)
    )

    (result,) = overridden.results
    assert overridden.exit_code == 0
    assert (result.outcome.value, result.status) == ("done", "running")
    assert result.details["prior_status"] == "vendor_paused"
    assert result.details["vendor_status"] == 1
    assert result.details["verified"] is True
    assert sent(sim) == [f"activate {BOUNCE_PROTECT_ID}"]


def test_resuming_an_unhealthy_campaign_reports_that_it_stayed_stopped(
    rig: tuple[Simulator, Path],
) -> None:
    """The answer states -1, not Active: one status read decides, and it disagrees."""
    _, config = rig
    report = campctl.run_sync(
        campctl.resume(
            [f"{VENDOR}:{UNHEALTHY_ID}"],
            override_vendor_pause=True,
            context=campctl.Context(config=config),
        )
    )

    (result,) = report.results
    assert result.outcome.value == "failed"
    assert result.error is not None
    assert result.error.kind.value == "conflict"
    assert result.status == "vendor_paused"
    assert "a status read shows vendor_paused" in result.message


def test_cli_sandbox_list_and_refused_resume() -> None:
    listed = cli(["list", "--sandbox", "-p", VENDOR, "--status", "vendor_paused", "--json"])
    assert listed.exit_code == 0, listed.stderr
    targets = [c["target"] for c in json.loads(listed.stdout)["campaigns"]]
    assert f"{VENDOR}:{BOUNCE_PROTECT_ID}" in targets

    refused = cli(["resume", "--sandbox", "--json", f"{VENDOR}:{BOUNCE_PROTECT_ID}"])
    assert refused.exit_code == 1
    (result,) = json.loads(refused.stdout)["results"]
    assert (result["outcome"], result["error"]["kind"]) == ("failed", "conflict")
    assert result["details"]["prior_status"] == "vendor_paused"

    forced = cli(
        ["resume", "--sandbox", "--override-vendor-pause", f"{VENDOR}:{BOUNCE_PROTECT_ID}"]
    )
    assert forced.exit_code == 0, forced.stderr
    assert forced.stdout == f"{VENDOR}:{BOUNCE_PROTECT_ID} done running\n"

    status = cli(["status", "--sandbox", "--json", f"{VENDOR}:{BOUNCE_PROTECT_ID}"])
    (read,) = json.loads(status.stdout)["results"]
    assert (read["status"], read["details"]["vendor_status"]) == ("running", 1)
