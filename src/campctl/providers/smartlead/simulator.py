"""Smartlead: the key is the `api_key` query parameter; `POST /campaigns/{id}/status` takes
`{"status": "PAUSED" | "START" | "STOPPED" | "ARCHIVED"}` (STOPPED is accepted, as documented,
so a test can prove campctl never sends it). Limits: 60 requests per rolling minute and 10 per
2 s per key (the docs' two statements, both enforced), then 429 with `Retry-After` and the
`x-ratelimit-*` headers of the minute window (`x-ratelimit-reset` a Unix timestamp). No
one-at-a-time rule is documented, so none is enforced (one in flight is campctl's own choice).

Documented shapes, varied so a rehearsal meets each: pause answers `{"ok": true}` (OpenAPI),
start the page's `{"success": true, "message", "campaign": {"id", "status": "ACTIVE"}}`; the
single GET and the email-accounts read answer bare (OpenAPI) for odd IDs and wrapped (`success`
/ `ok` with `data`, the page examples) for even ones. `GET /campaigns/` is one bare array,
newest (highest ID) first, no pages.

Where the docs are silent: PAUSED on anything but ACTIVE, and START on ACTIVE, answer 200 and
change nothing (the answer does not tell); START on a draft missing leads is a 400, on STOPPED,
COMPLETED or ARCHIVED a 422; a status value outside the four (e.g. the `ACTIVE` the vendor's own
samples send) is a 422. The campaign "paused by bounce auto-pause" reads PAUSED like any other:
Smartlead marks it nowhere.
"""

from __future__ import annotations

import json
import math
import re
import time

from campctl.sandbox.limits import Admission
from campctl.sandbox.vendors.base import (
    SEED_TIME,
    Campaign,
    RecordedRequest,
    Reply,
    Vendor,
    json_reply,
    route,
)

_POSITIVE_INT = re.compile(r"[1-9][0-9]{0,14}")
BOUNCE_PAUSED_ID = "2710268"
BENCH_DOMAIN = "bench.example"
_REQUESTED = {"START": "ACTIVE", "PAUSED": "PAUSED", "STOPPED": "STOPPED", "ARCHIVED": "ARCHIVED"}
_CANNOT_START = ("STOPPED", "COMPLETED", "ARCHIVED")
_EXAMPLED = (400, 404, 422, 500)  # statuses whose `{"error": "<text>"}` the OpenAPI shows


class Smartlead(Vendor):
    name = "smartlead"
    routes = (
        route("POST", "/campaigns/{id}/status", "status"),
        route("GET", "/campaigns/{id}/email-accounts", "senders"),
        route("GET", "/campaigns/{id}", "get"),
        route("GET", "/campaigns/", "list"),
    )
    auth_header = "x-api-key"  # unused: the key travels in the query (`key_of`)
    code_style = "upper"
    running = "ACTIVE"
    auth_error = ("UNAUTHORIZED", "Invalid API Key")
    not_found_error = ("NOT_FOUND", "Resource not found")
    too_many_error = ("RATE_LIMIT_EXCEEDED", "Too many requests. Please slow down and retry later.")
    # The minute window first: its figures are the x-ratelimit-* headers ("will show 60").
    rate_limits = ((60, 60.0), (10, 2.0))

    @classmethod
    def seed(cls) -> list[Campaign]:
        def active(cid: str, name: str, *senders: str) -> Campaign:
            return Campaign(cid, name, "ACTIVE", senders=senders, started_at=SEED_TIME)

        def paused(cid: str, name: str, *senders: str) -> Campaign:
            return Campaign(cid, name, "PAUSED", senders=senders, paused_at=SEED_TIME)

        return [
            active("2710262", "Cold outreach Q2", "sarah@acme.io", "mike@acme.io"),
            active("2710263", "Webinar follow-up", "lena@acme.io"),
            active("2710264", "Partner newsletter", "dan@other.io"),
            active("2710265", "Agency pipeline", "ops@other.io", "Sales@Acme.IO"),
            active("2710266", "Lookalike domain", "nina@notacme.io"),
            paused("2710267", "Paused by hand", "jared@acme.io"),
            paused(
                BOUNCE_PAUSED_ID,
                "Cold outreach EU (paused by bounce auto-pause)",
                "bighead@acme.io",
            ),
            Campaign(
                "2710269", "Q3 plan", "DRAFTED", missing=("leads",), senders=("monica@acme.io",)
            ),
            Campaign("2710270", "Holiday promo 2025", "COMPLETED", senders=("laurie@other.io",)),
            Campaign("2710271", "Old launch", "STOPPED", senders=("gavin@other.io",)),
        ]

    @staticmethod
    def extra_id(i: int) -> str:
        return str(3_000_000 + i)

    def extra_campaign(self, i: int) -> Campaign:
        campaign = super().extra_campaign(i)
        campaign.senders = (f"bench{i}@{BENCH_DOMAIN}",)
        return campaign

    def key_of(self, request: RecordedRequest) -> str:
        return request.params().get("api_key", "").strip()

    def error(self, status: int, code: str, message: str) -> Reply:
        """The OpenAPI components where they have an example (`{"message"}` for a 401,
        `{"error": "<text>"}`), the error-handling guide's `{"error": {"code", "message"}}`
        for statuses without one (403, 409, 503, ...)."""
        if status == 401:
            return json_reply(status, {"message": message})
        if status in _EXAMPLED:
            return json_reply(status, {"error": message})
        return json_reply(status, {"error": {"code": code, "message": message}})

    def rate_limited(self, retry_after_s: int | None) -> Reply:
        """The rate-limit guide's body when the wait is known, else the OpenAPI one."""
        if retry_after_s is None:
            return json_reply(429, {"message": self.too_many_error[1]})
        message = f"Too many requests. Please retry after {retry_after_s} seconds."
        error = {"code": self.too_many_error[0], "message": message, "retry_after": retry_after_s}
        return json_reply(429, {"error": error})

    def limit_headers(self, admission: Admission) -> dict[str, str]:
        reset = max(1, math.ceil(admission.retry_after))
        headers = {
            "x-ratelimit-limit": str(admission.limit),
            "x-ratelimit-remaining": str(max(admission.remaining, 0)),
            "x-ratelimit-reset": str(math.ceil(time.time()) + reset),
        }
        if not admission.admitted:
            headers["Retry-After"] = str(reset)
        return headers

    def check_id(self, campaign_id: str) -> Reply | None:
        if _POSITIVE_INT.fullmatch(campaign_id):
            return None
        return self.error(400, "BAD_REQUEST", "Invalid request parameters")

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        match action:
            case "status":
                return self._set_status(campaign, request.body)
            case "senders":
                accounts = [_account(campaign, n) for n in range(len(campaign.senders))]
                return json_reply(200, _wrapped(campaign, accounts, "ok"))
            case _:
                return json_reply(200, _wrapped(campaign, _describe(campaign), "success"))

    def _set_status(self, c: Campaign, body: bytes) -> Reply:
        try:
            requested = json.loads(body).get("status")
        except (ValueError, AttributeError, RecursionError):
            return self.error(400, "BAD_REQUEST", "Invalid request parameters")
        if requested not in _REQUESTED:
            return self.error(422, "VALIDATION_ERROR", "Invalid parameters provided")
        if requested == "START":
            refused = self._cannot_start(c)
            if refused is not None:
                return refused
        if requested == "PAUSED" and c.status == "ACTIVE":
            c.paused_at = c.move("PAUSED")
        elif requested == "START" and c.status in ("PAUSED", "DRAFTED"):
            c.started_at = c.move("ACTIVE")
        elif requested in ("STOPPED", "ARCHIVED"):
            c.move(_REQUESTED[requested])
        if requested != "START":
            return json_reply(200, {"ok": True})
        summary = {"id": int(c.id), "status": c.status}
        message = "Campaign status updated successfully"
        return json_reply(200, {"success": True, "message": message, "campaign": summary})

    def _cannot_start(self, c: Campaign) -> Reply | None:
        if c.status in _CANNOT_START:
            return self.error(422, "VALIDATION_ERROR", "Invalid parameters provided")
        if c.missing:
            return self.error(400, "BAD_REQUEST", "Campaign must have at least one lead")
        return None

    def list_campaigns(self, action: str, request: RecordedRequest) -> Reply:
        newest_first = sorted(self.campaigns.values(), key=lambda c: int(c.id), reverse=True)
        return json_reply(200, [_describe(c) for c in newest_first])


def _wrapped(c: Campaign, payload: object, flag: str) -> object:
    """Bare for odd IDs (OpenAPI), `{flag: true, "data": ...}` for even ones (the pages)."""
    return {flag: True, "data": payload} if int(c.id) % 2 == 0 else payload


def _describe(c: Campaign) -> dict[str, object]:
    """The documented Campaign fields (OpenAPI schema and the list's example)."""
    return {
        "id": int(c.id),
        "user_id": 196026,
        "created_at": SEED_TIME,
        "updated_at": c.updated_at,
        "status": c.status,
        "name": c.name,
        "track_settings": ["DONT_EMAIL_OPEN"],
        "scheduler_cron_value": {
            "tz": "America/New_York",
            "days": [1, 2, 3, 4, 5],
            "endHour": "19:00",
            "startHour": "09:00",
        },
        "min_time_btwn_emails": 24,
        "max_leads_per_day": 100,
        "stop_lead_settings": "REPLY_TO_AN_EMAIL",
        "schedule_start_time": None,
        "enable_ai_esp_matching": False,
        "send_as_plain_text": False,
        "follow_up_percentage": 20,
        "unsubscribe_text": "",
        "parent_campaign_id": None,
        "client_id": None,
    }


def _account(c: Campaign, n: int) -> dict[str, object]:
    """One sender as the OpenAPI `EmailAccount` (no credentials)."""
    address = c.senders[n]
    return {
        "id": int(c.id) * 10 + n,
        "from_name": address.partition("@")[0].title(),
        "from_email": address,
        "type": "SMTP",
        "warmup_enabled": True,
        "max_email_per_day": 50,
        "is_suspended": False,
        "connection_status": "CONNECTED",
    }
