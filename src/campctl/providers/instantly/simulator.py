"""Instantly (API v2): pause and activate answer 200 with the whole campaign; `status` is a
number on the wire (the seeds keep the names of Instantly's values: `active` is 1,
`running_subsequences` 4, `paused` 2, `draft` 0, `completed` 3, `bounce_protect` -2,
`accounts_unhealthy` -1, `account_suspended` -99).

State rules where the docs are silent: pause stops what sends (1, 4) and leaves every other
state as it is; activate starts a draft, resumes a paused campaign and overrides Bounce
Protect (the help article's 7-day rule has nothing to model here), and leaves the rest as
they are (an unhealthy or suspended campaign stays stopped). Either answers 200 with the
campaign as it now is.

`GET /api/v2/campaigns?limit=N[&starting_after=<id>][&status=<n>]` lists by ID (UUIDv7 IDs
sort by creation); every non-empty page carries `next_starting_after` (its last ID), as the
recorded walk shows, so a client must stop at the empty page that follows.
`GET /api/v2/accounts?tag_ids=<ids>` lists the accounts behind a campaign's `email_tag_list`
the same way (cursor: the last email). `limit` is 1-100, default 10. Errors are
`{"statusCode", "error", "message"}`; an ID that is no UUID gets the pause page's 400, whose
body says 404 "Not Found" as the generated schema does.

The edge (Cloudflare) blocks default library user agents: a request whose User-Agent is
missing or names python-httpx, python-requests, python-urllib, curl, Wget, Go's or Node's
default client gets a 403 HTML page before auth (the docs say "blocks", not which status; 403
is Cloudflare's). Limits: 100 requests per rolling second and 6,000 per rolling minute per key
(the sandbox has one key, so one workspace); the docs name no rate-limit headers, so none
are sent.
"""

from __future__ import annotations

import re
from typing import Any

from campctl.sandbox.limits import Admission
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
    status_phrase,
)

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
CODES = {
    "account_suspended": -99,
    "bounce_protect": -2,
    "accounts_unhealthy": -1,
    "draft": 0,
    "active": 1,
    "paused": 2,
    "completed": 3,
    "running_subsequences": 4,
}
SENDING = ("active", "running_subsequences")
ACTIVATES = ("paused", "draft", "bounce_protect")
DEFAULT_AGENTS = re.compile(
    r"(python-httpx|python-requests|python-urllib|curl|wget|go-http-client|node-fetch|undici)"
    r"(/|$)",
    re.IGNORECASE,
)
BLOCKED_PAGE = (
    b"<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
    b"<body><h1>Sorry, you have been blocked</h1><h2>You are unable to access "
    b"api.instantly.ai</h2><p>Error 1010: The owner of this website has banned your access "
    b"based on your browser's signature.</p></body></html>"
)


def seed_id(n: int) -> str:
    """The n-th seed's ID: the docs' UUIDv7 example, counted on in its last hex digits."""
    return f"019cc043-aee6-7ae9-a545-d7de53430{0xE37 + n:03x}"


TAG_ACME = "019cc043-aee6-7ae9-a545-d7df85a583a2"  # the docs' example tag
TAG_SALES = "019cc043-aee6-7ae9-a545-d7df85a583a3"
BOUNCE_PROTECT_ID = seed_id(5)
UNHEALTHY_ID = seed_id(6)
TAGGED = {seed_id(1): (TAG_ACME,), seed_id(10): (TAG_SALES,)}
"""The seeds sending through tags (`email_tag_list`), beside their `email_list`."""
TAG_ACCOUNTS = {
    TAG_ACME: ("monica@acme.io", "dinesh@acme.io"),
    TAG_SALES: ("Sales@Acme.IO", "sales@other.io"),
}
BENCH_FAMILY = 0x1A57A000
"""Ids of `extra_campaigns`: 1a57a000-0000-4000-8000-000000000001, ..."""
ENDLESS_FAMILY = 0x1A57E000
BENCH_DOMAIN = "bench.example"


class Instantly(Vendor):
    name = "instantly"
    routes = (
        route("POST", "/api/v2/campaigns/{id}/pause", "pause"),
        route("POST", "/api/v2/campaigns/{id}/activate", "activate"),
        route("GET", "/api/v2/campaigns/{id}", "get"),
        route("GET", "/api/v2/campaigns", "list"),
        route("GET", "/api/v2/accounts", "accounts"),
    )
    auth_header = "authorization"
    code_style = "pascal"
    running = "active"
    auth_error = ("Unauthorized", "Invalid API key")
    not_found_error = ("Not Found", "Campaign not found")
    too_many_error = ("Too Many Requests", "Rate limit exceeded, retry in 1 second")
    rate_limits = ((100, 1.0), (6000, 60.0))

    @classmethod
    def seed(cls) -> list[Campaign]:
        def seeded(n: int, name: str, status: str, *senders: str) -> Campaign:
            return Campaign(
                seed_id(n),
                name,
                status,
                senders=senders,
                started_at=SEED_TIME if status in SENDING else None,
                paused_at=SEED_TIME if status == "paused" else None,
            )

        return [
            seeded(0, "My First Campaign", "active", "erlich@acme.io", "jared@acme.io"),
            seeded(1, "Webinar follow-up (senders by tag)", "active"),
            seeded(2, "Partner newsletter", "active", "gilfoyle@other.io"),
            seeded(3, "Renewal reminders", "running_subsequences", "gavin@acme.io"),
            seeded(4, "Paused follow-up", "paused", "jared@acme.io"),
            seeded(5, "Cold outreach US (Bounce Protect)", "bounce_protect", "bighead@acme.io"),
            seeded(6, "Nurture (accounts unhealthy)", "accounts_unhealthy", "laurie@other.io"),
            seeded(7, "Q1 plan", "draft", "monica@acme.io"),
            seeded(8, "Holiday promo 2025", "completed", "richard@other.io"),
            seeded(9, "Lookalike domain", "active", "nina@notacme.io"),
            seeded(10, "Launch announcement", "active", "richard@other.io"),
            seeded(11, "Agency pilot (account suspended)", "account_suspended", "russ@other.io"),
        ]

    @staticmethod
    def extra_id(i: int) -> str:
        return fake_uuid(BENCH_FAMILY, i)

    def extra_campaign(self, i: int) -> Campaign:
        campaign = super().extra_campaign(i)
        campaign.senders = (f"bench{i}@{BENCH_DOMAIN}",)
        return campaign

    def respond(
        self,
        request: RecordedRequest,
        matched: tuple[str, str | None] | Reply,
        *,
        dry: bool = False,
    ) -> Reply:
        """The edge answers before the API: a default library User-Agent never gets in."""
        agent = request.headers.get("user-agent", "").strip()
        if not agent or DEFAULT_AGENTS.match(agent):
            return Reply(403, BLOCKED_PAGE, "text/html; charset=UTF-8")
        return super().respond(request, matched, dry=dry)

    def error(self, status: int, code: str, message: str) -> Reply:
        """The uniform body; `error` is always the status's reason phrase."""
        return json_reply(
            status, {"statusCode": status, "error": status_phrase(status), "message": message}
        )

    def limit_headers(self, admission: Admission) -> dict[str, str]:
        return {}

    def check_id(self, campaign_id: str) -> Reply | None:
        if _UUID.fullmatch(campaign_id):
            return None
        quirk = {"statusCode": 404, "error": "Not Found", "message": "id must be a UUID"}
        return json_reply(400, quirk)

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        c = campaign
        if action == "pause" and c.status in SENDING:
            c.paused_at = c.move("paused")
        elif action == "activate" and c.status in ACTIVATES:
            c.started_at = c.move("active")
        return json_reply(200, _describe(c))

    def list_campaigns(self, action: str, request: RecordedRequest) -> Reply:
        params = request.params()
        try:
            limit = int_param(params, "limit", 10, 1, 100)
            wanted = _status_param(params)
        except ValueError as exc:
            return self.error(400, "Bad Request", f"querystring/{exc}")
        after = params.get("starting_after", "")
        if action == "accounts":
            return _page(_accounts(params.get("tag_ids", "")), after, self.page_size(limit))
        listed = [
            _describe(c)
            for c in self.campaigns.values()
            if wanted is None or CODES.get(c.status) == wanted
        ]
        return _page(listed, after, self.page_size(limit), key="id")

    def endless_list_page(self, request: RecordedRequest) -> Reply:
        """Instantly ends a list at an empty page, so a list that never ends has one completed
        campaign on every page, each with a new ID and cursor."""
        after = request.params().get("starting_after", "")
        n = int(after[-12:]) + 1 if after.startswith(f"{ENDLESS_FAMILY:08x}-") else 1
        filler = Campaign(fake_uuid(ENDLESS_FAMILY, n), f"Endless filler {n}", "completed")
        item = _describe(filler)
        return json_reply(200, {"items": [item], "next_starting_after": item["id"]})


def _status_param(params: dict[str, str]) -> int | None:
    text = params.get("status")
    if text is None:
        return None
    if not re.fullmatch(r"-?[0-9]{1,3}", text) or int(text) not in CODES.values():
        raise ValueError(f"status must be one of {', '.join(map(str, CODES.values()))}")
    return int(text)


def _page(items: list[dict[str, Any]], after: str, size: int, key: str = "email") -> Reply:
    """Items ordered by `key` after the cursor; a non-empty page names its last as the next."""
    ordered = sorted(items, key=lambda item: str(item[key]).lower())
    page = [item for item in ordered if str(item[key]).lower() > after.lower()][:size]
    if not page:
        return json_reply(200, {"items": []})
    return json_reply(200, {"items": page, "next_starting_after": page[-1][key]})


def _accounts(tag_ids: str) -> list[dict[str, Any]]:
    """The accounts holding any of the comma-separated tags (every account without one)."""
    wanted = {t.strip().lower() for t in tag_ids.split(",") if t.strip()}
    tags_of: dict[str, set[str]] = {}
    for tag, emails in TAG_ACCOUNTS.items():
        for email in emails:
            tags_of.setdefault(email, set()).add(tag)
    return [_account(email) for email, tags in tags_of.items() if not wanted or tags & wanted]


def _account(email: str) -> dict[str, Any]:
    first, _, _ = email.partition("@")
    return {
        "email": email,
        "timestamp_created": SEED_TIME,
        "timestamp_updated": SEED_TIME,
        "first_name": first.title(),
        "last_name": "Sandbox",
        "warmup_status": 1,
        "provider_code": 2,
        "setup_pending": False,
        "is_managed_account": False,
        "status": 1,
        "stat_warmup_score": 100,
    }


def _describe(c: Campaign) -> dict[str, Any]:
    """The campaign as get, pause, activate and the list answer it (the recorded fields)."""
    return {
        "id": c.id,
        "name": c.name,
        "status": CODES[c.status],
        "campaign_schedule": {
            "schedules": [
                {
                    "name": "Weekdays",
                    "timing": {"from": "09:00", "to": "17:00"},
                    "days": {str(d): 1 <= d <= 5 for d in range(7)},
                    "timezone": "Etc/GMT+12",
                }
            ]
        },
        "timestamp_created": SEED_TIME,
        "timestamp_updated": c.updated_at,
        "email_list": list(c.senders),
        "daily_limit": 50,
        "stop_on_reply": True,
        "email_tag_list": list(TAGGED.get(c.id, ())),
        "open_tracking": False,
    }
