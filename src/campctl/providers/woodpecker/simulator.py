"""Woodpecker: pause/run answer 200 with no body; one request at a time per API key.

The legacy v1 `GET /v1/campaign_list` lists every campaign with its senders in one bare array
(no pages), filtered by `status` and `id` (comma-separated). Woodpecker marks nothing on a
campaign Bounce Shield paused (it reads `PAUSED` like any other); the seeded one says so in its
name only, so a rehearsal can see that resuming "everything paused" would undo it.
"""

from __future__ import annotations

import re
import time

from campctl.sandbox.vendors.base import (
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
STATUSES = ("RUNNING", "DRAFT", "EDITED", "PAUSED", "STOPPED", "COMPLETED")
BOUNCE_SHIELD_ID = "12351"
BENCH_DOMAIN = "bench.example"


class Woodpecker(Vendor):
    name = "woodpecker"
    routes = (
        route("POST", "/v2/campaigns/{id}/pause", "pause"),
        route("POST", "/v2/campaigns/{id}/run", "run"),
        route("GET", "/v2/campaigns/{id}", "get"),
        route("GET", "/v1/campaign_list", "list"),
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
        def running(cid: str, name: str, *senders: str) -> Campaign:
            return Campaign(cid, name, "RUNNING", senders=senders, started_at=SEED_TIME)

        def paused(cid: str, name: str, *senders: str) -> Campaign:
            return Campaign(cid, name, "PAUSED", senders=senders, paused_at=SEED_TIME)

        return [
            running("12345", "One-step email campaign", "erlich@acme.io", "jared@acme.io"),
            paused("12346", "Paused follow-up", "jared@acme.io"),
            running("12347", "Webinar invites", "monica@acme.io"),
            running("12348", "Partner newsletter", "dinesh@other.io", "gilfoyle@other.io"),
            running("12349", "Renewal reminders", "gavin@other.io"),
            running("12350", "Launch announcement", "richard@other.io", "Sales@Acme.IO"),
            paused(
                BOUNCE_SHIELD_ID, "Cold outreach US (paused by Bounce Shield)", "bighead@acme.io"
            ),
            running("12352", "Lookalike domain", "nina@notacme.io"),
            Campaign("12353", "Holiday promo 2025", "COMPLETED", senders=("laurie@other.io",)),
            Campaign("12354", "Q1 plan", "DRAFT", senders=("monica@acme.io",)),
        ]

    @staticmethod
    def extra_id(i: int) -> str:
        return str(100_000 + i)

    def extra_campaign(self, i: int) -> Campaign:
        campaign = super().extra_campaign(i)
        campaign.senders = (f"bench{i}@{BENCH_DOMAIN}",)
        return campaign

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

    def list_campaigns(self, action: str, request: RecordedRequest) -> Reply:
        params = request.params()
        statuses = _csv(params.get("status", ""))
        unknown = [s for s in statuses if s not in STATUSES]
        if unknown:
            message = f"Unknown status {unknown[0]!r}; use {', '.join(STATUSES)}"
            return self.error(400, "BAD_REQUEST", message)
        ids = _csv(params.get("id", ""))
        listed = [
            _list_item(c)
            for c in self.campaigns.values()
            if (not statuses or c.status in statuses) and (not ids or c.id in ids)
        ]
        return json_reply(200, listed)


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _list_item(c: Campaign) -> dict[str, object]:
    """One campaign of the v1 list, with the documented fields."""
    names = [_display_name(address) for address in c.senders]
    return {
        "id": int(c.id),
        "name": c.name,
        "status": c.status,
        "created": "2026-02-10T13:14:57+0100",
        "from_name": names[0] if names else "",
        "from_names": names,
        "from_email": c.senders[0] if c.senders else "",
        "from_emails": list(c.senders),
        "folder_name": "Sandbox",
        "folder_id": 0,
        "gdpr_unsubscribe": False,
        "per_day": 200,
        "bcc": "",
        "cc": "",
        "error": "",
    }


def _display_name(address: str) -> str:
    return address.partition("@")[0].replace(".", " ").title()


def _describe(c: Campaign) -> dict[str, object]:
    return {
        "id": int(c.id),
        "name": c.name,
        "status": c.status,
        "email_account_ids": [112233],
        "settings": {"timezone": "Europe/Warsaw", "daily_enroll": 50},
        "steps": {"id": "b90637e7-0000-4000-8000-000000000001", "type": "START"},
    }
