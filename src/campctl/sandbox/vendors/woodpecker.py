"""Woodpecker: pause/run answer 200 with no body; one request at a time per API key."""

from __future__ import annotations

import re
import time

from .base import (
    SEED_TIME,
    Campaign,
    RecordedRequest,
    Reply,
    Vendor,
    json_reply,
    route,
    status_phrase,
)

_POSITIVE_INT = re.compile(r"[1-9][0-9]{0,18}")


class Woodpecker(Vendor):
    name = "woodpecker"
    routes = (
        route("POST", "/v2/campaigns/{id}/pause", "pause"),
        route("POST", "/v2/campaigns/{id}/run", "run"),
        route("GET", "/v2/campaigns/{id}", "get"),
    )
    auth_header = "x-api-key"
    code_style = "upper"
    running = "RUNNING"
    auth_error = ("UNAUTHORIZED", "Invalid api key")
    not_found_error = ("CAMPAIGN_NOT_EXIST", "Campaign not found")
    serial_queue = 6
    # A dropped request: the docs name no status; 429 with the legacy v1 code is what a client
    # already treats as "retry later".
    too_many_error = ("E_TOO_MANY_REQUESTS", "too many requests simultaneously")

    @classmethod
    def seed(cls) -> list[Campaign]:
        return [
            Campaign("12345", "One-step email campaign", "RUNNING", started_at=SEED_TIME),
            Campaign("12346", "Paused follow-up", "PAUSED", paused_at=SEED_TIME),
        ]

    @staticmethod
    def extra_id(i: int) -> str:
        return str(100_000 + i)

    def error(self, status: int, code: str, message: str) -> Reply:
        """The documented body differs by status: type object (5xx), code object, problem object."""
        if status >= 500:
            return json_reply(status, {"type": code, "message": message, "details": None})
        if status in (404, 409, 429):
            return json_reply(status, {"code": code, "message": message, "details": None})
        problem = {
            "title": status_phrase(status),
            "status": status,
            "detail": message,
            "timestamp": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
        }
        return json_reply(status, problem)

    def generic_error(self, status: int) -> Reply:
        if status >= 500:
            return self.error(status, "UNKNOWN", "Unknown error, try again later")
        return super().generic_error(status)

    def check_id(self, campaign_id: str) -> Reply | None:
        if _POSITIVE_INT.fullmatch(campaign_id):
            return None
        return self.error(400, "BAD_REQUEST", "Value of campaign_id is incorrect.")

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        c = campaign
        match action:
            case "pause":
                c.paused_at = c.move("PAUSED")
                return Reply(200)
            case "run":
                c.started_at = c.move("RUNNING")
                return Reply(200)
            case _:
                return json_reply(200, _describe(c))


def _describe(c: Campaign) -> dict[str, object]:
    return {
        "id": int(c.id),
        "name": c.name,
        "status": c.status,
        "email_account_ids": [112233],
        "settings": {"timezone": "Europe/Warsaw", "daily_enroll": 50},
        "steps": {"id": "b90637e7-0000-4000-8000-000000000001", "type": "START"},
    }
