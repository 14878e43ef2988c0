"""VoiceGenie: GET-based pause/start that refuse (400) when there is nothing to do."""

from __future__ import annotations

from .base import SEED_TIME, Campaign, RecordedRequest, Reply, Vendor, json_reply, route

MISSING_CONFIG = "Campaign cannot be started. Missing required configuration."
ACTIVE_CALLS = 3
"""Calls still in progress when a pause lands (the documented example's value)."""


class VoiceGenie(Vendor):
    name = "voicegenie"
    routes = (
        route("GET", "/pauseTheCampaign/{id}", "pause"),
        route("GET", "/startCampaign/{id}", "start"),
        route("GET", "/campaign/{id}", "get"),
    )
    auth_header = "x-api-key"
    code_style = "upper"
    running = "running"
    auth_error = ("UNAUTHORIZED", "Invalid or missing API key")
    not_found_error = ("NOT_FOUND", "Campaign not found")

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
