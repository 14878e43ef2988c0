"""VoiceGenie: GET-based pause/start that refuse (400) when there is nothing to do.

`GET /fetchCampaignData?limit=N&offset=M&call_count=false` lists in offset pages (`limit`
1-1000, default 10) with `pagination.total`; there is no status filter and no sender. The seed
holds 12 campaigns, so the default limit takes two pages (`Simulator(page_cap=...)` makes
smaller pages whatever `limit` asks, to exercise a client's paging at `limit=1000`).
"""

from __future__ import annotations

from campctl.sandbox.vendors.base import (
    SEED_TIME,
    Campaign,
    RecordedRequest,
    Reply,
    Vendor,
    fake_uuid,
    int_param,
    json_reply,
    route,
)

MISSING_CONFIG = "Campaign cannot be started. Missing required configuration."
ACTIVE_CALLS = 3
"""Calls still in progress when a pause lands (the documented example's value)."""
SEED_FAMILY = 0x5A0E0000
"""Ids of the generated seed campaigns: 5a0e0000-0000-4000-8000-000000000001, ..."""
GENERATED_SEEDS = (  # (name, campaign_status), numbered from 1
    ("Renewal reminders", "running"),
    ("Event RSVP calls", "paused"),
    ("Survey wave 1", "completed"),
    ("Survey wave 2", "completed"),
    ("Win-back", "scheduled"),
    ("Onboarding check-in", "running"),
    ("Payment reminders", "completed"),
    ("New year greetings", "scheduled"),
    ("Churn interviews", "draft"),
    ("Late shift dialer", "running"),  # the second page at the default limit of 10
)


class VoiceGenie(Vendor):
    name = "voicegenie"
    routes = (
        route("GET", "/pauseTheCampaign/{id}", "pause"),
        route("GET", "/startCampaign/{id}", "start"),
        route("GET", "/campaign/{id}", "get"),
        route("GET", "/fetchCampaignData", "list"),
    )
    auth_header = "x-api-key"
    code_style = "upper"
    running = "running"
    auth_error = ("UNAUTHORIZED", "Invalid or missing API key")
    not_found_error = ("NOT_FOUND", "Campaign not found")
    invalid_state_error = ("INVALID_CAMPAIGN_STATE", MISSING_CONFIG)

    @classmethod
    def seed(cls) -> list[Campaign]:
        return [
            Campaign(
                "550e8400-e29b-41d4-a716-446655440000",
                "Q4 Sales Campaign",
                "running",
                size=150,
                started_at=SEED_TIME,
            ),
            Campaign(
                "vg_unconfigured",
                "Missing script and contacts",
                "paused",
                size=0,
                missing=("script_id", "contacts"),
                paused_at=SEED_TIME,
            ),
            *(
                Campaign(
                    fake_uuid(SEED_FAMILY, i),
                    name,
                    status,
                    size=20 * i,
                    paused_at=SEED_TIME if status == "paused" else None,
                    started_at=SEED_TIME if status in ("running", "completed") else None,
                )
                for i, (name, status) in enumerate(GENERATED_SEEDS, start=1)
            ),
        ]

    @staticmethod
    def extra_id(i: int) -> str:
        return f"vg_bench_{i:04d}"

    def error(self, status: int, code: str, message: str) -> Reply:
        return json_reply(status, {"success": False, "message": message, "error": code})

    def rate_limited(self, retry_after_s: int | None) -> Reply:
        # The documented auth-level 429 carries no "error" code.
        return json_reply(
            429, {"success": False, "message": "Rate limit exceeded. Please try again later."}
        )

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        c = campaign
        match action:
            case "pause":
                if c.status != "running":
                    return self.error(400, "CAMPAIGN_NOT_RUNNING", "Campaign is not running")
                c.paused_at = c.move("paused")
                data = {
                    "campaign_id": c.id,
                    "status": "paused",
                    "paused_at": c.paused_at,
                    "active_calls": ACTIVE_CALLS,
                }
                message = "Campaign paused successfully. Active calls will complete normally."
                return json_reply(200, {"success": True, "data": data, "message": message})
            case "start":
                if c.status == "running":
                    return self.error(
                        400, "CAMPAIGN_ALREADY_RUNNING", "Campaign is already running"
                    )
                if c.missing:
                    return json_reply(
                        422,
                        {
                            "success": False,
                            "message": MISSING_CONFIG,
                            "error": "INVALID_CAMPAIGN_STATE",
                            "details": {"missing": list(c.missing)},
                        },
                    )
                c.started_at = c.move("running")
                data = {"campaign_id": c.id, "status": "running", "started_at": c.started_at}
                message = "Campaign started successfully"
                return json_reply(200, {"success": True, "data": data, "message": message})
            case _:
                return json_reply(200, {"success": True, "data": _describe(c)})

    def list_campaigns(self, action: str, request: RecordedRequest) -> Reply:
        params = request.params()
        try:
            limit = int_param(params, "limit", 10, 1, 1000)
            offset = int_param(params, "offset", 0, 0, 10**9)
            if params.get("call_count", "true") not in ("true", "false"):
                raise ValueError("call_count must be true or false")
        except ValueError as exc:
            return self.error(400, "VALIDATION_ERROR", str(exc))
        campaigns = list(self.campaigns.values())
        size = self.page_size(limit)
        page = campaigns[offset : offset + size]
        pagination = {"total": len(campaigns), "limit": size, "offset": offset}
        data = {"campaigns": [_list_item(c) for c in page], "pagination": pagination}
        return json_reply(200, {"success": True, "data": data})


def _describe(c: Campaign) -> dict[str, object]:
    return {
        "id": c.id,
        "name": c.name,
        "campaign_status": c.status,
        "script_id": None if "script_id" in c.missing else "660e8400-e29b-41d4-a716-446655440001",
        "contact_ids": [] if "contacts" in c.missing else [f"c{i}" for i in range(1, 4)],
        "total_count": c.size,
        "completed_count": c.size // 3,
        "failed_count": c.size // 30,
        "created_at": SEED_TIME,
        "updated_at": c.updated_at,
    }


def _list_item(c: Campaign) -> dict[str, object]:
    return {
        "id": c.id,
        "name": c.name,
        "campaign_status": c.status,
        "created_at": SEED_TIME,
        "updated_at": c.updated_at,
        "campaign_start_time": c.started_at,
        "campaign_end_time": c.updated_at if c.status == "completed" else None,
        "total_count": c.size,
        "registered_count": c.size,
        "completed_count": c.size // 3,
    }
