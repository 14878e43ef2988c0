"""What every simulated vendor shares: replies, campaigns, routing, auth and error shapes.

A vendor subclass declares its metadata as class attributes and implements only its state
rules (`act`) and its error body (`error`); the server does the HTTP plumbing, latency,
faults and rate limits around it.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import ClassVar, Literal, NamedTuple
from urllib.parse import parse_qs, unquote

from campctl.sandbox.limits import Admission

SANDBOX_API_KEY = "sandbox-key"
SEED_TIME = "2026-04-01T09:00:00Z"
"""Creation / last-transition time of every seeded campaign, so seeded bodies are stable."""


def utc_now() -> str:
    """Current UTC time in the ISO 8601 form the vendors' examples use."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def fake_uuid(family: int, n: int) -> str:
    """A deterministic, well-formed (version 4, RFC 4122 variant) UUID whose last 12 characters
    are `n` in decimal digits, so `...-000000000063` is the 63rd."""
    if not 0 <= n < 10**12:
        raise ValueError(f"n must be between 0 and 10**12 - 1, got {n}")
    return f"{family:08x}-0000-4000-8000-{n:012d}"


class RecordedRequest(NamedTuple):
    """A request as received: `path` is relative to the vendor prefix and still percent-encoded;
    `query` is the raw query string (without `?`)."""

    vendor: str
    method: str
    path: str
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    query: str = ""

    def params(self) -> dict[str, str]:
        """The query parameters, the last value winning when one is repeated."""
        parsed = parse_qs(self.query, keep_blank_values=True)
        return {name: values[-1] for name, values in parsed.items()}


@dataclass(frozen=True)
class Reply:
    """What the handler writes back; `drop` closes the connection without answering, and
    `dribble` > 0 sends the headers at once and the body a little at a time over that many
    seconds."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    drop: bool = False
    dribble: float = 0.0

    def with_headers(self, extra: Mapping[str, str]) -> Reply:
        return replace(self, headers={**self.headers, **extra}) if extra else self


def json_reply(status: int, payload: object) -> Reply:
    return Reply(status, json.dumps(payload).encode(), "application/json")


CampaignState = tuple[str, str | None, str | None, str, str | None]
"""What changes when a campaign is acted on, and all that `--sandbox` remembers between runs."""
STATE_FIELDS = ("status", "paused_at", "started_at", "updated_at", "task_id")


@dataclass
class Campaign:
    """One simulated campaign; `status` uses the vendor's own vocabulary.

    The fields up to `archived` are fixed by the seed; the `STATE_FIELDS` change with actions.
    """

    id: str
    name: str
    status: str
    size: int = 25  # recipients / enrolled leads / contacts
    missing: tuple[str, ...] = ()  # configuration that blocks a start (VoiceGenie)
    senders: tuple[str, ...] = ()  # sending addresses, the primary one first (Woodpecker)
    archived: bool = False  # Alta's isArchived
    paused_at: str | None = None
    started_at: str | None = None
    updated_at: str = SEED_TIME
    task_id: str | None = None

    def move(self, status: str) -> str:
        """Change status; returns the time of the change."""
        self.status = status
        self.updated_at = utc_now()
        return self.updated_at

    def state(self) -> CampaignState:
        return (self.status, self.paused_at, self.started_at, self.updated_at, self.task_id)

    def restore(self, state: CampaignState) -> None:
        self.status, self.paused_at, self.started_at, self.updated_at, self.task_id = state


class Route(NamedTuple):
    method: str
    pattern: re.Pattern[str]
    action: str


def route(method: str, template: str, action: str) -> Route:
    """`template` is a path with at most one `{id}` placeholder matching one raw path segment;
    a route without one (a campaign list) is matched with campaign id None."""
    regex = re.escape(template).replace(r"\{id\}", "(?P<id>[^/]+)")
    return Route(method, re.compile(regex), action)


CodeStyle = Literal["snake", "upper", "pascal"]


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def phrase_code(status: int, style: CodeStyle) -> tuple[str, str]:
    """(code, message) for a generic error, spelt the way the vendor spells its codes."""
    phrase = status_phrase(status)
    words = re.findall(r"[A-Za-z0-9]+", phrase)
    if style == "snake":
        return "_".join(w.lower() for w in words), phrase
    if style == "upper":
        return "_".join(w.upper() for w in words), phrase
    return "".join(w[:1].upper() + w[1:] for w in words), phrase


class Vendor:
    """One vendor's seeded campaigns, auth rule, error shapes and state rules."""

    name: ClassVar[str]
    routes: ClassVar[tuple[Route, ...]]
    auth_header: ClassVar[Literal["authorization", "x-api-key"]]
    code_style: ClassVar[CodeStyle]
    running: ClassVar[str]  # status word of the running extras seeded by `extra_campaigns`
    auth_error: ClassVar[tuple[str, str]]  # (code, message) of the 401
    not_found_error: ClassVar[tuple[str, str]]  # (code, message) of the unknown-campaign 404
    too_many_error: ClassVar[tuple[str, str]] = ("rate_limited", "Rate limit exceeded")  # 429
    invalid_state_error: ClassVar[tuple[str, str] | None] = None  # a 422's (code, message)
    serial_queue: ClassVar[int | None] = None  # one request at a time per key, this many may wait
    # (requests, window seconds) per key, each enforced; a request must fit every window.
    rate_limits: ClassVar[tuple[tuple[int, float], ...]] = ()

    def __init__(self, extra_campaigns: int, *, page_cap: int | None = None) -> None:
        self.lock = threading.Lock()
        self.page_cap = page_cap  # most campaigns on one list page, whatever `limit` asks
        self.campaigns = {c.id: c for c in self.seed()}
        for i in range(1, extra_campaigns + 1):
            extra = self.extra_campaign(i)
            self.campaigns[extra.id] = extra

    def extra_campaign(self, i: int) -> Campaign:
        """The i-th (1-based) extra running campaign of `Simulator(extra_campaigns=n)`."""
        return Campaign(self.extra_id(i), f"Bench campaign {i}", self.running, started_at=SEED_TIME)

    def snapshot(self) -> dict[str, CampaignState]:
        """Every campaign's changeable state; call with `self.lock` held."""
        return {cid: c.state() for cid, c in self.campaigns.items()}

    @classmethod
    def seed(cls) -> list[Campaign]:
        raise NotImplementedError

    @staticmethod
    def extra_id(i: int) -> str:
        """Id of the i-th (1-based) extra campaign, valid for the vendor's id format."""
        raise NotImplementedError

    def error(self, status: int, code: str, message: str) -> Reply:
        raise NotImplementedError

    def act(self, action: str, campaign: Campaign, request: RecordedRequest) -> Reply:
        """Apply the state rule of `action`; called with `self.lock` held."""
        raise NotImplementedError

    def list_campaigns(self, action: str, request: RecordedRequest) -> Reply:
        """Answer a route without a campaign id (a campaign list); called with `self.lock` held."""
        raise NotImplementedError

    def check_id(self, campaign_id: str) -> Reply | None:
        """Reject an id the vendor would not accept at all (before looking it up)."""
        return None

    def page_size(self, limit: int) -> int:
        return limit if self.page_cap is None else min(limit, self.page_cap)

    def not_found(self, action: str) -> Reply:
        return self.error(404, *self.not_found_error)

    def endless_list_page(self, request: RecordedRequest) -> Reply:
        """A page of a list that never ends (the `endless-list` fault); vendors whose list has
        pages override this, the others answer that there is no such list."""
        return self.generic_error(404)

    def generic_error(self, status: int) -> Reply:
        return self.error(status, *phrase_code(status, self.code_style))

    def rate_limited(self, retry_after_s: int | None) -> Reply:
        """The 429 body; `retry_after_s` is for vendors whose message names the wait."""
        return self.error(429, *self.too_many_error)

    def limit_headers(self, admission: Admission) -> dict[str, str]:
        """The rate-limit headers on every answer under a window (and Retry-After on a
        refusal): the IETF RateLimit-* set Alta sends; vendors with their own override."""
        reset = max(1, math.ceil(admission.retry_after))
        headers = {
            "RateLimit-Limit": str(admission.limit),
            "RateLimit-Remaining": str(max(admission.remaining, 0)),
            "RateLimit-Reset": str(reset),
            "RateLimit-Policy": f"{admission.limit};w={admission.window:g}",
        }
        if not admission.admitted:
            headers["Retry-After"] = str(reset)
        return headers

    def key_of(self, request: RecordedRequest) -> str:
        """The credential presented, whether or not it is valid ("" when absent). Vendors
        that take the key elsewhere (HTTP Basic, a query parameter) override this."""
        value = request.headers.get(self.auth_header, "")
        if self.auth_header == "authorization":
            scheme, _, token = value.strip().partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
        return value.strip()

    def match(self, method: str, path: str) -> tuple[str, str | None] | Reply:
        """(action, decoded campaign id or None for a list), or the 404/405 reply."""
        allowed = []
        for r in self.routes:
            found = r.pattern.fullmatch(path)
            if found is None:
                continue
            if r.method == method:
                raw = found.groupdict().get("id")
                return r.action, None if raw is None else unquote(raw)
            allowed.append(r.method)
        if allowed:
            return self.generic_error(405).with_headers({"Allow": ", ".join(allowed)})
        code, _ = phrase_code(404, self.code_style)
        return self.error(404, code, f"No route {method} {path}")

    def respond(
        self,
        request: RecordedRequest,
        matched: tuple[str, str | None] | Reply,
        *,
        dry: bool = False,
    ) -> Reply:
        """The vendor's answer; with `dry`, the answer an action would get, changing nothing."""
        if self.key_of(request) != SANDBOX_API_KEY:
            return self.error(401, *self.auth_error)
        if isinstance(matched, Reply):
            return matched
        action, campaign_id = matched
        if campaign_id is None:
            with self.lock:
                return self.list_campaigns(action, request)
        rejected = self.check_id(campaign_id)
        if rejected is not None:
            return rejected
        with self.lock:
            campaign = self.campaigns.get(campaign_id)
            if campaign is None:
                return self.not_found(action)
            if dry:
                campaign = dataclasses.replace(campaign)
            return self.act(action, campaign, request)


def int_param(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole-number query parameter within [low, high]; ValueError naming it otherwise."""
    text = params.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"[0-9]{1,12}", text) or not low <= int(text) <= high:
        raise ValueError(f"{name} must be an integer between {low} and {high}")
    return int(text)
