"""The documented campaign lists: fields, filters, pages, limits and seeds."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from campctl.sandbox import Fault, Simulator, campaign_ids
from tests.sandbox.common import ALTA, VG, call

WOODPECKER_FIELDS = {
    "id", "name", "status", "created", "from_name", "from_names", "from_email", "from_emails",
    "folder_name", "folder_id", "gdpr_unsubscribe", "per_day", "bcc", "cc", "error",
}  # fmt: skip
ALTA_FIELDS = {"id", "objectType", "createdAt", "updatedAt", "name", "status", "isArchived"}
VOICEGENIE_FIELDS = {
    "id", "name", "campaign_status", "created_at", "updated_at", "campaign_start_time",
    "campaign_end_time", "total_count", "registered_count", "completed_count",
}  # fmt: skip


def senders(campaign: dict[str, Any]) -> set[str]:
    return {campaign["from_email"], *campaign["from_emails"]}


def domains(campaign: dict[str, Any]) -> set[str]:
    return {address.rpartition("@")[2].lower() for address in senders(campaign)}


# -- Woodpecker --------------------------------------------------------------------------------


def test_woodpecker_list_is_one_bare_array_with_senders(sim: Simulator) -> None:
    r = call(sim, "woodpecker", "GET /v1/campaign_list")
    assert r.status_code == 200
    campaigns = r.json()
    assert isinstance(campaigns, list)
    assert all(set(c) == WOODPECKER_FIELDS for c in campaigns)
    by_id = {c["id"]: c for c in campaigns}
    assert list(by_id)[:2] == [12345, 12346]
    assert by_id[12345]["status"] == "RUNNING"
    assert by_id[12346]["status"] == "PAUSED"
    assert all(c["name"] and c["from_email"] in c["from_emails"] for c in campaigns)
    assert by_id[12345]["from_name"] == "Erlich"
    assert by_id[12345]["from_names"] == ["Erlich", "Jared"]

    running_acme = sorted(
        c["id"] for c in campaigns if c["status"] == "RUNNING" and "acme.io" in domains(c)
    )
    assert running_acme == [12345, 12347, 12350]
    assert len([c for c in campaigns if domains(c) == {"acme.io"}]) >= 4
    assert len([c for c in campaigns if domains(c) == {"other.io"}]) >= 2
    mixed = by_id[12350]
    assert mixed["from_email"] == "richard@other.io"
    assert mixed["from_emails"] == ["richard@other.io", "Sales@Acme.IO"]
    assert domains(by_id[12352]) == {"notacme.io"}  # a lookalike that must not match acme.io


def test_woodpecker_bounce_shield_campaign_is_paused(sim: Simulator) -> None:
    campaigns = call(sim, "woodpecker", "GET /v1/campaign_list?status=PAUSED").json()
    shielded = [c for c in campaigns if "Bounce Shield" in c["name"]]
    assert [(c["id"], c["status"]) for c in shielded] == [(12351, "PAUSED")]
    assert domains(shielded[0]) == {"acme.io"}
    assert call(sim, "woodpecker", "GET /v2/campaigns/12351").json()["status"] == "PAUSED"
    assert {c["id"] for c in campaigns} == {12346, 12351}


def test_woodpecker_list_filters(sim: Simulator) -> None:
    running = call(sim, "woodpecker", "GET /v1/campaign_list?status=RUNNING").json()
    assert {c["status"] for c in running} == {"RUNNING"}
    assert {c["id"] for c in running} == {12345, 12347, 12348, 12349, 12350, 12352}
    both = call(sim, "woodpecker", "GET /v1/campaign_list?status=RUNNING,PAUSED").json()
    assert len(both) == len(running) + 2
    picked = call(sim, "woodpecker", "GET /v1/campaign_list?id=12346,12353").json()
    assert [(c["id"], c["status"]) for c in picked] == [(12346, "PAUSED"), (12353, "COMPLETED")]
    r = call(sim, "woodpecker", "GET /v1/campaign_list?status=SLEEPING")
    assert r.status_code == 400
    assert "SLEEPING" in r.json()["detail"]


def test_woodpecker_list_follows_state_and_extras(sim: Simulator) -> None:
    call(sim, "woodpecker", "POST /v2/campaigns/12345/pause")
    running = call(sim, "woodpecker", "GET /v1/campaign_list?status=RUNNING").json()
    assert 12345 not in {c["id"] for c in running}
    with Simulator(extra_campaigns=2) as extra:
        campaigns = call(extra, "woodpecker", "GET /v1/campaign_list?status=RUNNING").json()
        bench = [c for c in campaigns if str(c["id"]) in campaign_ids("woodpecker", 2)]
        assert [c["from_email"] for c in bench] == ["bench1@bench.example", "bench2@bench.example"]


def test_woodpecker_list_is_one_request_at_a_time_and_needs_the_key(sim: Simulator) -> None:
    assert call(sim, "woodpecker", "GET /v1/campaign_list", key="bad").status_code == 401
    call(sim, "woodpecker", "GET /v1/campaign_list")
    assert sim.max_in_flight("woodpecker") == 1
    sim.add_fault(Fault.parse("status:503@woodpecker*1"))
    assert call(sim, "woodpecker", "GET /v1/campaign_list").status_code == 503
    assert call(sim, "woodpecker", "POST /v1/campaign_list").status_code == 405


# -- Alta --------------------------------------------------------------------------------------


def alta_pages(sim: Simulator, client: httpx.Client, first: str) -> list[dict[str, Any]]:
    pages = [client.get(sim.base_url("alta") + first).json()]
    while pages[-1]["hasMore"]:
        r = client.get(sim.base_url("alta") + "/campaigns", params={"cursor": pages[-1]["next"]})
        assert r.status_code == 200, r.text
        pages.append(r.json())
    return pages


@pytest.fixture
def alta_client() -> httpx.Client:
    return httpx.Client(headers={"Authorization": "Bearer sandbox-key"})


def test_alta_list_in_cursor_pages(sim: Simulator, alta_client: httpx.Client) -> None:
    pages = alta_pages(sim, alta_client, "/campaigns?limit=100")
    assert [len(p["data"]) for p in pages] == [100, 5]
    assert set(pages[0]) == {"data", "hasMore", "next", "previous"}
    assert pages[0]["previous"] is None
    assert pages[1]["previous"] is not None
    assert (pages[1]["hasMore"], pages[1]["next"]) == (False, None)
    campaigns = [c for p in pages for c in p["data"]]
    assert len({c["id"] for c in campaigns}) == 105
    assert all(ALTA_FIELDS <= set(c) <= {*ALTA_FIELDS, "launchedAt"} for c in campaigns)
    assert all(c["objectType"] == "campaign" and c["name"] for c in campaigns)
    assert campaigns[0]["id"] == ALTA
    active = [c["name"] for c in campaigns if c["status"] == "active"]
    assert active == ["ABM tier 1", "Q3 outbound", "Founders list", "Product launch (newest)"]
    assert any(c["status"] == "active" for c in pages[1]["data"])  # a client must read page 2
    assert {c["status"] for c in campaigns} == {"active", "paused", "draft", "completed"}
    assert any(c["isArchived"] for c in campaigns)
    assert all(c.get("launchedAt") is None for c in campaigns if c["status"] == "draft")


def test_alta_list_default_and_small_limits(sim: Simulator, alta_client: httpx.Client) -> None:
    first = alta_client.get(sim.base_url("alta") + "/campaigns").json()
    assert len(first["data"]) == 10  # the documented default
    pages = alta_pages(sim, alta_client, "/campaigns?limit=40")
    assert [len(p["data"]) for p in pages] == [40, 40, 25]
    back = alta_client.get(
        sim.base_url("alta") + "/campaigns", params={"cursor": pages[2]["previous"]}
    ).json()
    assert back["data"] == pages[1]["data"]


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=101", "limit=ten", "cursor=garbage", "cursor=", "limit=50&cursor=NEXT"],
)
def test_alta_list_rejects_bad_queries(
    sim: Simulator, alta_client: httpx.Client, query: str
) -> None:
    cursor = alta_client.get(sim.base_url("alta") + "/campaigns?limit=100").json()["next"]
    r = alta_client.get(sim.base_url("alta") + "/campaigns?" + query.replace("NEXT", cursor))
    assert r.status_code == 400
    assert r.json()["error"] == "ValidationError"


def test_alta_list_pages_count_toward_the_rate_limit(alta_client: httpx.Client) -> None:
    class Clock:
        now = 0.0

        def __call__(self) -> float:
            return self.now

    with Simulator(clock=Clock()) as sim:
        for _ in range(98):
            assert call(sim, "alta", f"GET /campaigns/{ALTA}").status_code == 200
        pages = alta_pages(sim, alta_client, "/campaigns?limit=100")  # the 99th and 100th
        assert len(pages) == 2
        r = alta_client.get(sim.base_url("alta") + "/campaigns?limit=100")
        assert r.status_code == 429
        assert r.headers["Retry-After"] == "60"


def test_alta_list_follows_state(sim: Simulator, alta_client: httpx.Client) -> None:
    call(sim, "alta", f"POST /campaigns/{ALTA}/pause")
    pages = alta_pages(sim, alta_client, "/campaigns?limit=100")
    assert pages[0]["data"][0]["status"] == "paused"


# -- VoiceGenie --------------------------------------------------------------------------------


def voicegenie_pages(sim: Simulator, limit: int) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    offset, total = 0, None
    while total is None or offset < total:
        r = call(
            sim,
            "voicegenie",
            f"GET /fetchCampaignData?limit={limit}&offset={offset}&call_count=false",
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["success"] is True
        pages.append(body["data"])
        total = body["data"]["pagination"]["total"]
        offset += len(body["data"]["campaigns"])
    return pages


def test_voicegenie_list_in_offset_pages(sim: Simulator) -> None:
    pages = voicegenie_pages(sim, 10)
    assert [len(p["campaigns"]) for p in pages] == [10, 2]
    assert [p["pagination"] for p in pages] == [
        {"total": 12, "limit": 10, "offset": 0},
        {"total": 12, "limit": 10, "offset": 10},
    ]
    campaigns = [c for p in pages for c in p["campaigns"]]
    assert all(set(c) == VOICEGENIE_FIELDS for c in campaigns)
    assert campaigns[0]["id"] == VG
    assert all(c["name"] for c in campaigns)
    running = [c["name"] for c in campaigns if c["campaign_status"] == "running"]
    assert running == [
        "Q4 Sales Campaign",
        "Renewal reminders",
        "Onboarding check-in",
        "Late shift dialer",
    ]
    assert pages[1]["campaigns"][-1]["campaign_status"] == "running"  # page 2 matters
    assert {c["campaign_status"] for c in campaigns} == {
        "running", "paused", "completed", "scheduled", "draft",
    }  # fmt: skip
    one_page = voicegenie_pages(sim, 1000)
    assert sim.requests[-1].path == "/fetchCampaignData"
    assert sim.requests[-1].query == "limit=1000&offset=0&call_count=false"
    assert len(one_page) == 1
    assert one_page[0]["campaigns"] == campaigns
    assert one_page[0]["pagination"] == {"total": 12, "limit": 1000, "offset": 0}


def test_voicegenie_list_defaults_and_errors(sim: Simulator) -> None:
    body = call(sim, "voicegenie", "GET /fetchCampaignData").json()
    assert body["data"]["pagination"] == {"total": 12, "limit": 10, "offset": 0}
    body = call(sim, "voicegenie", "GET /fetchCampaignData?offset=500").json()
    assert body["data"]["campaigns"] == []
    for query in ("limit=0", "limit=1001", "offset=-1", "call_count=maybe"):
        r = call(sim, "voicegenie", f"GET /fetchCampaignData?{query}")
        assert r.status_code == 400, query
        assert r.json()["success"] is False
    assert call(sim, "voicegenie", "GET /fetchCampaignData", key=None).status_code == 401


def test_page_cap_makes_small_pages_whatever_the_limit() -> None:
    with Simulator(page_cap=5) as sim:
        pages = voicegenie_pages(sim, 1000)
        assert [len(p["campaigns"]) for p in pages] == [5, 5, 2]
        assert pages[0]["pagination"]["limit"] == 5
        client = httpx.Client(headers={"Authorization": "Bearer sandbox-key"})
        alta = alta_pages(sim, client, "/campaigns?limit=100")
        assert len(alta) == 21
        assert len({c["id"] for p in alta for c in p["data"]}) == 105
    with pytest.raises(ValueError, match="page_cap"):
        Simulator(page_cap=0)


# -- no list at all ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vendor", "path"),
    [("leadlex", "/v1/campaigns"), ("leadterra", "/v1/campaigns"), ("leadterra", "/campaigns")],
)
def test_vendors_without_a_documented_list_answer_404(
    sim: Simulator, vendor: str, path: str
) -> None:
    r = call(sim, vendor, f"GET {path}")
    assert r.status_code == 404
