"""lemlist: Basic auth (empty user name, the key as password), `text/plain` errors, a 400 on
a repeated pause or start, and 20 requests per rolling 2 s per key.

`GET /campaigns?version=v2&limit=N&page=P` answers the observed envelope
`{"campaigns", "pagination": {totalRecords, currentPage, nextPage, totalPage}}`; without
`version=v2` it answers the spec's bare array, paged by `offset` (the older docs). `limit` is
1-100 (default 100); `status` filters server-side. List items carry no senders: they are on
the single-campaign GET only. The seed holds 105 campaigns, so `limit=100` takes two pages
and a running acme.io campaign sits on the second. Every answer carries lemlist's
rate-limit headers: a fractional `Retry-After` (on 200s too) and an `X-RateLimit-Reset` date
in JavaScript's `Date.toString()` form.

Undocumented answers, as simulated: pausing a campaign that is not running and starting one
that is already running (or archived, or ended) are 400s with a text body; starting a draft
launches it.
"""

from __future__ import annotations

import base64
import binascii
import time

from campctl.sandbox.limits import Admission
from campctl.sandbox.vendors.base import (
    SEED_TIME,
    Campaign,
    RecordedRequest,
    Reply,
    Vendor,
    int_param,
    json_reply,
    route,
)

STATUSES = ("running", "draft", "archived", "ended", "paused", "errors")
GENERATED = 95  # seeded beyond the named ones: 105 in all, two pages at limit=100
GENERATED_PREFIX = "cam_gen"
BENCH_DOMAIN = "bench.example"
# Configuration errors lemlist reports on a campaign that is still `running` (`hasError`).
ERRORS = {
    "cam_k3gu2sa4KIfhRK34M": ("One of your sender has no email provider.",),
    "cam_NoSenderCampaign1": ("Your campaign does not have sender.",),
}
NOT_RUNNING = "You can't pause campaigns that are not running"
START_REFUSALS = {
    "running": "You can't start campaigns that are already running",
    "archived": "An archived campaign cannot be started. Unarchive it first",
    "ended": "You can't start campaigns that are ended",
}


class Lemlist(Vendor):
    name = "lemlist"
    routes = (
        route("POST", "/campaigns/{id}/pause", "pause"),
        route("POST", "/campaigns/{id}/start", "start"),
        route("GET", "/campaigns/{id}", "get"),
        route("GET", "/campaigns", "list"),
    )
    auth_header = "authorization"
    code_style = "pascal"
    running = "running"
    auth_error = ("Unauthorized", "The authentication you supplied is incorrect")
    not_found_error = ("NotFound", "Campaign not found")
    too_many_error = ("TooManyRequests", "Too Many Requests")
    rate_limits = ((20, 2.0),)

    @classmethod
    def seed(cls) -> list[Campaign]:
        def seeded(cid: str, name: str, status: str, *senders: str) -> Campaign:
            return Campaign(
                cid,
                name,
                status,
                senders=senders,
                paused_at=SEED_TIME if status == "paused" else None,
                started_at=SEED_TIME if status == "running" else None,
            )

        return [
            seeded("cam_bSn8EORHQxbWPjHvu", "Product launch", "running", "erlich@acme.io",
                   "jared@acme.io"),
            seeded("cam_tWpCFrJj7oW8ip39e", "Paused follow-up", "paused", "jared@acme.io"),
            seeded("cam_suajL2SXxmH7NdZ6F", "Webinar invites", "running", "monica@acme.io"),
            seeded("cam_k3gu2sa4KIfhRK34M", "Sales outreach (with errors)", "running",
                   "dinesh@other.io", "gilfoyle@other.io"),
            seeded("cam_4HrZbi8xsez4QlrnL", "Partner newsletter", "running", "richard@other.io",
                   "Sales@Acme.IO"),
            seeded("cam_LookalikeDomain01", "Lookalike domain", "running", "nina@notacme.io"),
            seeded("cam_NoSenderCampaign1", "No sender yet", "running"),
            seeded("cam_vyzp8v33RBTfNQRvz", "Q1 plan", "draft", "monica@acme.io"),
            seeded("cam_O3BQOaXuyUuyqEHug", "Holiday promo 2025", "ended", "laurie@other.io"),
            seeded("cam_tBpHORyt3WhTQoi5A", "Old onboarding", "archived", "bighead@acme.io"),
            *(_generated(i) for i in range(1, GENERATED + 1)),
        ]  # fmt: skip

    @staticmethod
    def extra_id(i: int) -> str:
        return f"cam_bench{i:08d}"

    def extra_campaign(self, i: int) -> Campaign:
        campaign = super().extra_campaign(i)
        campaign.senders = (f"bench{i}@{BENCH_DOMAIN}",)
        return campaign

    def key_of(self, request: RecordedRequest) -> str:
        """The Basic password; a user name before the colon makes it no key of ours."""
        scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
        if scheme.lower() != "basic":
            return ""
        try:
            user, _, password = base64.b64decode(token, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return password if user == "" else f"{user}:{password}"

    def respond(
        self,
        request: RecordedRequest,
        matched: tuple[str, str | None] | Reply,
        *,
        dry: bool = False,
    ) -> Reply:
        """The list answers a request without any key as documented: 400, not 401."""
        if matched == ("list", None) and not request.headers.get("authorization"):
            return self.error(400, "NoApiKey", "No API key provided")
        return super().respond(request, matched, dry=dry)

    def error(self, status: int, code: str, message: str) -> Reply:
        """lemlist's errors are bare strings."""
        return Reply(status, message.encode(), "text/plain; charset=utf-8")

    def limit_headers(self, admission: Admission) -> dict[str, str]:
        """On every answer: `Retry-After` in fractional seconds until the window frees, and
        `X-RateLimit-Reset` as JavaScript's `Date.toString()` of that moment (in UTC)."""
        wait = max(admission.retry_after, 0.001)
        reset = time.gmtime(time.time() + wait)
        return {
            "X-RateLimit-Limit": str(admission.limit),
            "X-RateLimit-Remaining": str(max(admission.remaining, 0)),
            "X-RateLimit-Reset": time.strftime(
                "%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)", reset
            ),
            "Retry-After": f"{wait:.3f}".rstrip("0").rstrip("."),
        }

    def endless_list_page(self, request: RecordedRequest) -> Reply:
        """Empty pages, each promising one more."""
        page = int_param(request.params(), "page", 1, 1, 10**9)
        pagination = _pagination(0, page, page + 1)
        return json_reply(200, {"campaigns": [], "pagination": pagination})

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        c = campaign
        if action == "get":
            return json_reply(200, _describe(c))
        refusal = _refusal(action, c.status)
        if refusal is not None:
            return self.error(400, "BadRequest", refusal)
        if action == "pause":
            c.paused_at = c.move("paused")
        else:
            c.started_at = c.move("running")
        return json_reply(200, {"_id": c.id, "state": c.status})

    def list_campaigns(self, action: str, request: RecordedRequest) -> Reply:
        params = request.params()
        try:
            limit = int_param(params, "limit", 100, 1, 100)
            page = int_param(params, "page", 1, 1, 10**9)
            offset = int_param(params, "offset", 0, 0, 10**9)
            if params.get("version", "v2") != "v2":
                raise ValueError("Bad params (invalid version parameter)")
            if params.get("status", "running") not in STATUSES:
                raise ValueError("Bad params (invalid status parameter)")
        except ValueError as exc:
            return self.error(400, "BadRequest", str(exc))
        wanted = params.get("status")
        matching = [c for c in self.campaigns.values() if wanted in (None, c.status)]
        size = self.page_size(limit)
        start = (page - 1) * size if "page" in params else offset  # page wins over offset
        items = [_list_item(c) for c in matching[start : start + size]]
        if params.get("version") != "v2":
            return json_reply(200, items)
        total_pages = -(-len(matching) // size)
        pagination = _pagination(len(matching), page, total_pages)
        return json_reply(200, {"campaigns": items, "pagination": pagination})


def _refusal(action: str, status: str) -> str | None:
    """Why lemlist refuses `action` in `status` (a 400), or None when it acts."""
    if action == "pause":
        return None if status == "running" else NOT_RUNNING
    return START_REFUSALS.get(status)


def _pagination(total: int, page: int, total_pages: int) -> dict[str, int]:
    """As observed: `nextPage` equals `currentPage` on the last page."""
    following = page + 1 if page < total_pages else page
    return {
        "totalRecords": total,
        "currentPage": page,
        "nextPage": following,
        "totalPage": total_pages,
    }


def _generated(i: int) -> Campaign:
    """Finished sequences (every fourth archived); the last one runs, on page 2."""
    if i == GENERATED:
        return Campaign(
            f"{GENERATED_PREFIX}{i:010d}",
            "Launch follow-up (newest)",
            "running",
            senders=("launch@acme.io",),
            started_at=SEED_TIME,
        )
    status = "archived" if i % 4 == 0 else "ended"
    return Campaign(
        f"{GENERATED_PREFIX}{i:010d}", f"Sequence {i:03d} (finished)", status,
        senders=("archive@other.io",),
    )  # fmt: skip


def _list_item(c: Campaign) -> dict[str, object]:
    """A list item: the documented fields, no senders."""
    item: dict[str, object] = {
        "_id": c.id,
        "name": c.name,
        "labels": [],
        "createdAt": SEED_TIME,
        "createdBy": "usr_SandboxCreator01",
        "status": c.status,
        "sequenceId": "seq_" + c.id.removeprefix("cam_"),
    }
    errors = ERRORS.get(c.id)
    if errors:
        item |= {"hasError": True, "errors": list(errors)}
    return item


def _describe(c: Campaign) -> dict[str, object]:
    """The single-campaign GET: the list item plus creator and senders."""
    senders = [
        {"id": f"usr_Sender{n:02d}", "email": email, "sendUserMailboxId": f"usm_Mailbox{n:02d}"}
        for n, email in enumerate(c.senders, start=1)
    ]
    creator = {"userId": "usr_SandboxCreator01", "userEmail": "ops@acme.io"}
    return {**_list_item(c), "creator": creator, "senders": senders}
