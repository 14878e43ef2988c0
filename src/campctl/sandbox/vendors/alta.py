"""Alta: idempotent pause/resume with an optional prospects flag; 100 requests/min per key."""

from __future__ import annotations

import json
import re

from .base import SEED_TIME, Campaign, RecordedRequest, Reply, Vendor, fake_uuid, json_reply, route

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class Alta(Vendor):
    name = "alta"
    routes = (
        route("POST", "/campaigns/{id}/pause", "pause"),
        route("POST", "/campaigns/{id}/resume", "resume"),
        route("GET", "/campaigns/{id}", "get"),
    )
    auth_header = "authorization"
    code_style = "pascal"
    running = "active"
    auth_error = ("Unauthorized", "Invalid API token")
    not_found_error = ("NotFound", "Resource not found")
    rate_limit = (100, 60.0)

    @classmethod
    def seed(cls) -> list[Campaign]:
        return [
            Campaign("7c9e6679-7425-40de-944b-e07fc1f90ae7", "ABM tier 1", "active"),
            Campaign(
                "9b2f4c1e-5d3a-4e8b-9c7d-2a1b3c4d5e6f",
                "Paused nurture",
                "paused",
                paused_at=SEED_TIME,
            ),
        ]

    @staticmethod
    def extra_id(i: int) -> str:
        return fake_uuid(0xA17A0000, i)

    def error(self, status: int, code: str, message: str) -> Reply:
        return json_reply(status, {"error": code, "message": message})

    def rate_limited(self, retry_after_s: int | None) -> Reply:
        message = "Rate limit exceeded."
        if retry_after_s is not None:
            message = f"Rate limit exceeded. Please retry after {retry_after_s} seconds."
        return self.error(429, "TooManyRequests", message)

    def check_id(self, campaign_id: str) -> Reply | None:
        if _UUID.fullmatch(campaign_id):
            return None
        return self.error(400, "ValidationError", "campaignId must be a UUID")

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        c = campaign
        match action:
            case "pause" | "resume":
                flag = "pauseProspects" if action == "pause" else "resumeProspects"
                if not _valid_body(request.body, flag):
                    return self.error(400, "ValidationError", "Invalid request body")
                # Undocumented for other states: leave them alone and answer 200.
                if action == "pause" and c.status == "active":
                    c.paused_at = c.move("paused")
                elif action == "resume" and c.status == "paused":
                    c.started_at = c.move("active")
                return json_reply(200, {"message": f"Campaign {action}d successfully"})
            case _:
                return json_reply(200, _describe(c))


def _valid_body(body: bytes, flag: str) -> bool:
    """Empty, or a JSON object holding at most `flag` as a boolean (catches a swapped flag)."""
    if not body.strip():
        return True
    try:
        payload = json.loads(body)
    except ValueError:
        return False
    return (
        isinstance(payload, dict)
        and set(payload) <= {flag}
        and all(isinstance(v, bool) for v in payload.values())
    )


def _describe(c: Campaign) -> dict[str, object]:
    return {
        "id": c.id,
        "objectType": "campaign",
        "createdAt": SEED_TIME,
        "updatedAt": c.updated_at,
        "name": c.name,
        "status": c.status,
        "isArchived": False,
        "launchedAt": SEED_TIME,
    }
