"""The Smartlead simulator over real loopback HTTP, and the real adapter and CLI against it."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from campctl.providers.base import Action, Campaign, CampaignList
from campctl.providers.smartlead.simulator import BOUNCE_PAUSED_ID, Smartlead
from campctl.results import Outcome
from campctl.sandbox import ESCAPE_TEXT, SANDBOX_API_KEY, Fault, Simulator, campaign_ids, key_echo
from tests import helpers
from tests.helpers import act, build, cli
from tests.providers.common import listing
from tests.sandbox.common import HTTP, ISO, SEED

VENDOR = "smartlead"
ACTIVE = "2710262"  # even: GET and email-accounts answer wrapped
ODD = "2710263"  # odd: bare
HAND_PAUSED = "2710267"
DRAFT, COMPLETED, STOPPED = "2710269", "2710270", "2710271"
CAMPAIGN_FIELDS = {
    "id", "user_id", "created_at", "updated_at", "status", "name", "track_settings",
    "scheduler_cron_value", "min_time_btwn_emails", "max_leads_per_day", "stop_lead_settings",
    "schedule_start_time", "enable_ai_esp_matching", "send_as_plain_text",
    "follow_up_percentage", "unsubscribe_text", "parent_campaign_id", "client_id",
}  # fmt: skip
PAUSE = {"status": "PAUSED"}
START = {"status": "START"}


def sl(
    sim: Simulator,
    request_line: str,
    *,
    key: str | None = SANDBOX_API_KEY,
    json: object = None,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """`request_line` ("METHOD /path") to Smartlead, the key as the `api_key` parameter."""
    method, path = request_line.split(" ", 1)
    params = {"api_key": key} if key is not None else None
    url = sim.base_url(VENDOR) + path
    return HTTP.request(
        method, url, params=params, json=json, content=content, headers=headers, timeout=5
    )


def status_of(sim: Simulator, cid: str) -> str | None:
    return sim.campaign_status(VENDOR, cid)


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def fast_windows() -> float:
    """A simulator clock racing 1000x ahead: its rate windows never bind in CLI flows."""
    return time.monotonic() * 1000


# -- auth: the query parameter ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "headers"),
    [
        (None, None),
        ("wrong-key", None),
        (SANDBOX_API_KEY.upper(), None),
        (None, {"x-api-key": SANDBOX_API_KEY}),
        (None, {"Authorization": f"Bearer {SANDBOX_API_KEY}"}),
    ],
    ids=["missing", "wrong", "case", "header", "bearer"],
)
def test_the_key_is_only_the_query_parameter(
    sim: Simulator, key: str | None, headers: dict[str, str] | None
) -> None:
    r = sl(sim, f"POST /campaigns/{ACTIVE}/status", key=key, json=PAUSE, headers=headers)
    assert (r.status_code, r.json()) == (401, {"message": "Invalid API Key"})
    assert status_of(sim, ACTIVE) == "ACTIVE"
    assert sl(sim, f"GET /campaigns/{ACTIVE}", key=key, headers=headers).status_code == 401
    assert sl(sim, "GET /campaigns/", key=key, headers=headers).status_code == 401


# -- the status endpoint ------------------------------------------------------------------------


def test_pause_read_start(sim: Simulator) -> None:
    r = sl(sim, f"POST /campaigns/{ACTIVE}/status", json=PAUSE)
    assert (r.status_code, r.json()) == (200, {"ok": True})  # the OpenAPI answer
    assert status_of(sim, ACTIVE) == "PAUSED"
    read = sl(sim, f"GET /campaigns/{ACTIVE}").json()
    assert read["success"] is True  # an even ID: the page's wrapped shape
    assert set(read["data"]) == CAMPAIGN_FIELDS
    assert (read["data"]["id"], read["data"]["status"]) == (int(ACTIVE), "PAUSED")
    assert ISO.fullmatch(read["data"]["updated_at"])
    r = sl(sim, f"POST /campaigns/{ACTIVE}/status", json=START)
    assert r.json() == {
        "success": True,
        "message": "Campaign status updated successfully",
        "campaign": {"id": int(ACTIVE), "status": "ACTIVE"},
    }
    assert status_of(sim, ACTIVE) == "ACTIVE"


def test_odd_ids_answer_the_bare_campaign(sim: Simulator) -> None:
    body = sl(sim, f"GET /campaigns/{ODD}").json()
    assert set(body) == CAMPAIGN_FIELDS
    assert (body["id"], body["status"], body["name"]) == (int(ODD), "ACTIVE", "Webinar follow-up")
    assert body["created_at"] == SEED


def test_repeats_answer_like_fresh_actions_and_change_nothing(sim: Simulator) -> None:
    before = sl(sim, f"GET /campaigns/{HAND_PAUSED}").json()
    r = sl(sim, f"POST /campaigns/{HAND_PAUSED}/status", json=PAUSE)
    assert (r.status_code, r.json()) == (200, {"ok": True})  # the answer cannot tell
    assert sl(sim, f"GET /campaigns/{HAND_PAUSED}").json() == before
    r = sl(sim, f"POST /campaigns/{ODD}/status", json=START)
    assert (r.status_code, r.json()["campaign"]["status"]) == (200, "ACTIVE")
    assert status_of(sim, ODD) == "ACTIVE"


@pytest.mark.parametrize("cid", [DRAFT, COMPLETED, STOPPED])
def test_a_pause_of_a_campaign_that_is_not_sending_changes_nothing(
    sim: Simulator, cid: str
) -> None:
    before = status_of(sim, cid)
    r = sl(sim, f"POST /campaigns/{cid}/status", json=PAUSE)
    assert (r.status_code, r.json()) == (200, {"ok": True})
    assert status_of(sim, cid) == before


@pytest.mark.parametrize(
    ("cid", "status", "body"),
    [
        (DRAFT, 400, {"error": "Campaign must have at least one lead"}),
        (COMPLETED, 422, {"error": "Invalid parameters provided"}),
        (STOPPED, 422, {"error": "Invalid parameters provided"}),
    ],
)
def test_start_refusals(sim: Simulator, cid: str, status: int, body: Any) -> None:
    before = status_of(sim, cid)
    r = sl(sim, f"POST /campaigns/{cid}/status", json=START)
    assert (r.status_code, r.json()) == (status, body)
    assert status_of(sim, cid) == before


@pytest.mark.parametrize(
    ("content", "status", "error"),
    [
        (b'{"status": "ACTIVE"}', 422, "Invalid parameters provided"),  # the vendor's samples
        (b'{"status": "paused"}', 422, "Invalid parameters provided"),
        (b"{}", 422, "Invalid parameters provided"),
        (b"", 400, "Invalid request parameters"),
        (b"[]", 400, "Invalid request parameters"),
        (b'{"status": "PAU', 400, "Invalid request parameters"),
    ],
)
def test_undocumented_request_bodies_are_refused(
    sim: Simulator, content: bytes, status: int, error: str
) -> None:
    r = sl(sim, f"POST /campaigns/{ACTIVE}/status", content=content)
    assert (r.status_code, r.json()) == (status, {"error": error})
    assert status_of(sim, ACTIVE) == "ACTIVE"


def test_stopped_is_accepted_and_permanent(sim: Simulator) -> None:
    """Documented, so simulated: the reason campctl must never send it."""
    assert sl(sim, f"POST /campaigns/{ODD}/status", json={"status": "STOPPED"}).json() == {
        "ok": True
    }
    assert status_of(sim, ODD) == "STOPPED"
    assert sl(sim, f"POST /campaigns/{ODD}/status", json=START).status_code == 422
    assert status_of(sim, ODD) == "STOPPED"


def test_unknown_and_malformed_ids(sim: Simulator) -> None:
    assert sl(sim, "GET /campaigns/999").json() == {"error": "Resource not found"}
    assert sl(sim, "POST /campaigns/999/status", json=PAUSE).status_code == 404
    for bad in ("abc", "0123", "1" * 16):
        r = sl(sim, f"GET /campaigns/{bad}")
        assert (r.status_code, r.json()) == (400, {"error": "Invalid request parameters"})
    assert sl(sim, "GET /campaigns").status_code == 404  # the list has a trailing slash
    r = sl(sim, f"PATCH /campaigns/{ACTIVE}/status", json=PAUSE)
    assert (r.status_code, r.headers["allow"]) == (405, "POST")
    assert r.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


# -- list, seeds and senders --------------------------------------------------------------------


def test_list_is_one_bare_array_newest_first(sim: Simulator) -> None:
    campaigns = sl(sim, "GET /campaigns/").json()
    assert isinstance(campaigns, list)
    assert all(set(c) == CAMPAIGN_FIELDS and c["name"] for c in campaigns)
    ids = [c["id"] for c in campaigns]
    assert ids == sorted(ids, reverse=True)
    by_status: dict[str, list[int]] = {}
    for c in campaigns:
        by_status.setdefault(c["status"], []).append(c["id"])
    assert by_status == {
        "STOPPED": [2710271],
        "COMPLETED": [2710270],
        "DRAFTED": [2710269],
        "PAUSED": [2710268, 2710267],
        "ACTIVE": [2710266, 2710265, 2710264, 2710263, 2710262],
    }


def test_the_bounce_auto_paused_campaign_reads_like_any_pause(sim: Simulator) -> None:
    body = sl(sim, f"GET /campaigns/{BOUNCE_PAUSED_ID}").json()["data"]
    assert (body["status"], body["name"]) == (
        "PAUSED",
        "Cold outreach EU (paused by bounce auto-pause)",
    )
    assert set(body) == CAMPAIGN_FIELDS  # no field says why


def senders_of(sim: Simulator, cid: str) -> list[str]:
    body = sl(sim, f"GET /campaigns/{cid}/email-accounts").json()
    accounts = body["data"] if isinstance(body, dict) else body
    return [a["from_email"] for a in accounts]


def test_email_accounts_in_both_shapes_without_credentials(sim: Simulator) -> None:
    wrapped = sl(sim, f"GET /campaigns/{ACTIVE}/email-accounts").json()
    assert wrapped["ok"] is True
    assert [a["from_email"] for a in wrapped["data"]] == ["sarah@acme.io", "mike@acme.io"]
    bare = sl(sim, "GET /campaigns/2710265/email-accounts").json()
    assert [a["from_email"] for a in bare] == ["ops@other.io", "Sales@Acme.IO"]
    assert all("password" not in key for a in bare for key in a)
    assert senders_of(sim, "2710266") == ["nina@notacme.io"]  # a lookalike of acme.io
    assert senders_of(sim, BOUNCE_PAUSED_ID) == ["bighead@acme.io"]
    assert sl(sim, "GET /campaigns/999/email-accounts").status_code == 404


def test_bench_campaigns_run_and_send_from_bench_addresses() -> None:
    assert campaign_ids(VENDOR, 2) == ["3000001", "3000002"]
    with Simulator(extra_campaigns=2) as sim:
        listed = sl(sim, "GET /campaigns/").json()
        assert [(c["id"], c["status"]) for c in listed[:2]] == [
            (3000002, "ACTIVE"),
            (3000001, "ACTIVE"),
        ]
        assert senders_of(sim, "3000001") == ["bench1@bench.example"]
        assert status_of(sim, "3000003") is None
    assert all(c.name for c in Smartlead.seed())


# -- limits: 10 per 2 s and 60 per minute, per key ----------------------------------------------


def test_ten_per_two_seconds_then_429_with_the_guides_body() -> None:
    clock = Clock()
    with Simulator(clock=clock) as sim:
        for _ in range(10):
            r = sl(sim, f"GET /campaigns/{ODD}")
            assert r.status_code == 200
        assert (r.headers["x-ratelimit-limit"], r.headers["x-ratelimit-remaining"]) == ("60", "50")
        refused = sl(sim, f"GET /campaigns/{ODD}")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "2"
        assert refused.json() == {
            "error": {
                "code": "RATE_LIMIT_EXCEEDED",
                "message": "Too many requests. Please retry after 2 seconds.",
                "retry_after": 2,
            }
        }
        assert abs(int(refused.headers["x-ratelimit-reset"]) - (time.time() + 2)) <= 2
        assert sl(sim, "GET /campaigns/", key="other-key").status_code == 401  # per key
        clock.now = 2.0
        assert sl(sim, f"GET /campaigns/{ODD}").status_code == 200


def test_sixty_per_minute() -> None:
    clock = Clock()
    with Simulator(clock=clock) as sim:
        for step in range(6):
            clock.now = step * 2.0
            assert all(sl(sim, "GET /campaigns/").status_code == 200 for _ in range(10))
        clock.now = 12.0
        refused = sl(sim, "GET /campaigns/")
        assert (refused.status_code, refused.headers["Retry-After"]) == (429, "48")
        assert refused.headers["x-ratelimit-remaining"] == "0"
        clock.now = 60.0
        assert sl(sim, "GET /campaigns/").status_code == 200


# -- faults in Smartlead's shapes ---------------------------------------------------------------


def test_faults_answer_in_smartleads_error_shapes() -> None:
    faults = ["status:503*1", "rate_limit*1", "escape*1", "huge-number:401*1"]
    with Simulator(faults=[Fault.parse(f) for f in faults]) as sim:
        line = f"POST /campaigns/{ACTIVE}/status"
        r = sl(sim, line, json=PAUSE)
        unavailable = {"code": "SERVICE_UNAVAILABLE", "message": "Service Unavailable"}
        assert (r.status_code, r.json()) == (503, {"error": unavailable})
        r = sl(sim, line, json=PAUSE)
        assert (r.status_code, r.headers["retry-after"]) == (429, "1")
        assert r.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
        r = sl(sim, line, json=PAUSE)
        assert r.status_code == 409
        assert r.json()["error"]["message"].endswith(ESCAPE_TEXT)
        r = sl(sim, line, json=PAUSE)
        assert r.status_code == 401
        assert b"9" * 5000 in r.content
        assert status_of(sim, ACTIVE) == "ACTIVE"
        assert sl(sim, line, json=PAUSE).status_code == 200


def test_reflect_key_echoes_the_query_key() -> None:
    key = "sk_live_0123456789abcdefSENTINEL"
    with Simulator(faults=[Fault.parse("reflect-key")]) as sim:
        r = sl(sim, f"POST /campaigns/{ACTIVE}/status", key=key, json=PAUSE)
    assert r.status_code == 401
    assert key_echo(key) in r.json()["message"]


def test_key_id_and_deep_details_reach_smartleads_bodies() -> None:
    with Simulator(faults=[Fault.parse("key-id:8@smartlead*1")]) as sim:
        listed = sl(sim, "GET /campaigns/").json()
        assert listed[-1]["id"] == "andbox-k"
    with Simulator(faults=[Fault.parse("deep-json:5:details")]) as sim:
        body = sl(sim, f"POST /campaigns/{ACTIVE}/status", json=PAUSE).json()
        assert isinstance(body["error"], str)  # a 422: the OpenAPI's text shape
        assert body["details"]["missing"]["a"]["a"]["a"]["a"]["a"] == 1


# -- the real adapter against the simulator -----------------------------------------------------


@pytest.fixture
def adapter_sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    """The shared helpers pointed at a fresh simulator, with its key."""
    with Simulator() as sim:
        monkeypatch.setitem(helpers.BASE_URLS, VENDOR, sim.base_url(VENDOR))
        monkeypatch.setitem(helpers.IDS, VENDOR, ACTIVE)
        yield sim


def test_adapter_pause_status_resume(adapter_sim: Simulator) -> None:
    paused = act(VENDOR, Action.PAUSE, key=SANDBOX_API_KEY)
    assert (paused.outcome, paused.status, paused.details) == (Outcome.DONE, "paused", {})
    read = act(VENDOR, Action.STATUS, key=SANDBOX_API_KEY)
    assert (read.status, read.details) == ("paused", {"vendor_status": "PAUSED"})
    resumed = act(VENDOR, Action.RESUME, key=SANDBOX_API_KEY)
    assert (resumed.outcome, resumed.status) == (Outcome.DONE, "running")
    assert resumed.details == {"vendor_status": "ACTIVE"}
    bare = act(VENDOR, Action.STATUS, ODD, key=SANDBOX_API_KEY)
    assert bare.status == "running"
    bodies = [json.loads(r.body) for r in adapter_sim.requests if r.method == "POST"]
    assert bodies == [PAUSE, START]


def test_adapter_lists_and_reads_senders_only_for_running(adapter_sim: Simulator) -> None:
    listed = listing(VENDOR, key=SANDBOX_API_KEY)
    assert listed.failure is None
    assert [c.status for c in listed.campaigns].count("running") == 5

    async def go() -> list[Campaign] | Any:
        async with httpx.AsyncClient() as client:
            return await build(VENDOR, client, key=SANDBOX_API_KEY).with_senders(listed.campaigns)

    read = asyncio.run(go())
    senders = {c.campaign_id: c.senders for c in read}
    assert senders[ACTIVE] == ("sarah@acme.io", "mike@acme.io")
    assert senders["2710265"] == ("ops@other.io", "sales@acme.io")
    assert senders[BOUNCE_PAUSED_ID] == ()  # paused: not read
    reads = [r.path for r in adapter_sim.requests if r.path.endswith("/email-accounts")]
    assert sorted(reads) == [f"/campaigns/{cid}/email-accounts" for cid in range(2710262, 2710267)]
    assert listing(VENDOR, key="wrong").failure is not None
    assert listing(VENDOR, running_only=True, key=SANDBOX_API_KEY) != CampaignList([], None)


# -- the CLI against the simulator: the incident workflow ---------------------------------------


@pytest.fixture
def workflow(tmp_path: Path) -> Iterator[tuple[Simulator, list[str], dict[str, str]]]:
    """A simulator, the options that point campctl at it, and the key's environment."""
    with Simulator(clock=fast_windows) as sim:
        config = tmp_path / "providers.toml"
        config.write_text(
            f'[providers.sl]\nvendor = "smartlead"\nbase_url = "{sim.base_url(VENDOR)}"\n'
            'api_key_env = "SL_KEY"\n'
        )
        options = ["--config", str(config), "--audit-log", str(tmp_path / "audit.jsonl")]
        yield sim, options, {"SL_KEY": SANDBOX_API_KEY}


def test_sender_pause_then_undo_restores_exactly_what_it_paused(
    workflow: tuple[Simulator, list[str], dict[str, str]],
) -> None:
    sim, options, env = workflow
    out = cli(["pause", "--sender", "acme.io", "--reason", "INC-1", "--json", *options], env=env)
    assert out.exit_code == 0, out.stderr
    document = json.loads(out.stdout)
    assert [(r["target"], r["outcome"]) for r in document["results"]] == [
        ("sl:2710265", "done"),
        ("sl:2710263", "done"),
        ("sl:2710262", "done"),
    ]  # newest first, as listed; not the lookalike, nor the paused ones
    assert all(r["details"]["prior_status"] == "running" for r in document["results"])
    reads = [r.path for r in sim.requests if r.path.endswith("/email-accounts")]
    assert len(reads) == 5  # one per running campaign

    undo = cli(["resume", "--undo", "last", "--verify", "--json", *options], env=env)
    assert undo.exit_code == 0, undo.stderr
    results = json.loads(undo.stdout)["results"]
    assert {r["target"] for r in results} == {"sl:2710262", "sl:2710263", "sl:2710265"}
    assert all(r["outcome"] == "done" and r["details"]["verified"] for r in results)
    assert status_of(sim, BOUNCE_PAUSED_ID) == "PAUSED"  # never resumed: this run did not pause it
    assert status_of(sim, HAND_PAUSED) == "PAUSED"
    bodies = [json.loads(r.body) for r in sim.requests if r.method == "POST"]
    assert bodies == [PAUSE] * 3 + [START] * 3  # and never STOPPED
    assert all(SANDBOX_API_KEY in r.query for r in sim.requests)


def test_a_bounce_paused_campaign_is_left_alone_by_a_pause(
    workflow: tuple[Simulator, list[str], dict[str, str]],
) -> None:
    sim, options, env = workflow
    out = cli(["pause", "--json", *options, f"sl:{BOUNCE_PAUSED_ID}", f"sl:{DRAFT}"], env=env)
    assert out.exit_code == 0, out.stderr
    results = json.loads(out.stdout)["results"]
    assert [(r["outcome"], r["status"]) for r in results] == [("noop", "paused"), ("noop", "draft")]
    assert not [r for r in sim.requests if r.method == "POST"]  # read, nothing sent


def test_a_resume_of_anything_but_paused_is_refused_unsent(
    workflow: tuple[Simulator, list[str], dict[str, str]],
) -> None:
    sim, options, env = workflow
    out = cli(["resume", "--json", *options, f"sl:{STOPPED}", f"sl:{COMPLETED}"], env=env)
    assert out.exit_code == 1
    results = json.loads(out.stdout)["results"]
    assert [r["error"]["message"] for r in results] == [
        "not paused: now stopped",
        "not paused: now completed",
    ]
    assert not [r for r in sim.requests if r.method == "POST"]


def test_list_in_the_vocabulary_with_senders_read_only_for_a_sender_filter(
    workflow: tuple[Simulator, list[str], dict[str, str]],
) -> None:
    sim, options, env = workflow
    out = cli(["list", "--json", "--config", options[1]], env=env)
    assert out.exit_code == 0, out.stderr
    campaigns = {c["campaign_id"]: c for c in json.loads(out.stdout)["campaigns"]}
    assert (campaigns[DRAFT]["status"], campaigns[STOPPED]["status"]) == ("draft", "stopped")
    assert campaigns[BOUNCE_PAUSED_ID]["status"] == "paused"
    assert campaigns[ACTIVE]["senders"] == []  # not read without --sender
    assert not [r for r in sim.requests if r.path.endswith("/email-accounts")]
    out = cli(["list", "--sender", "acme.io", "--json", "--config", options[1]], env=env)
    listed = {c["campaign_id"]: c["senders"] for c in json.loads(out.stdout)["campaigns"]}
    assert listed == {
        ACTIVE: ["sarah@acme.io", "mike@acme.io"],
        ODD: ["lena@acme.io"],
        "2710265": ["ops@other.io", "sales@acme.io"],
    }


def test_sandbox_rehearsal_pause_status_undo() -> None:
    paused = cli(["pause", "--sandbox", "--json", f"smartlead:{ACTIVE}"])
    assert paused.exit_code == 0, paused.stderr
    assert json.loads(paused.stdout)["results"][0]["status"] == "paused"
    status = cli(["status", "--sandbox", "--json", f"smartlead:{ACTIVE}"])
    result = json.loads(status.stdout)["results"][0]
    assert (result["status"], result["details"]["vendor_status"]) == ("paused", "PAUSED")
    undo = cli(["resume", "--sandbox", "--undo", "last", "--json"])
    assert json.loads(undo.stdout)["results"][0]["outcome"] == "done"
