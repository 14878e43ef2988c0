"""The adapter protocol every vendor module implements, and the parsing helpers they share.

An adapter knows a few vendor-specific things: which request an action is (`request_for`),
what an answer means (`interpret`), and — where the vendor documents a campaign list — which
request fetches a page (`list_request`) and what a page holds (`read_list_page`). Sending,
retries, limits and redaction live once in `campctl.http`; the `pause`/`resume`/`status`
verbs and the `campaigns` paging loop here glue the halves together so a vendor module never
touches the network itself.

Statuses are reported in one vocabulary for every vendor (`normalise_status`); the vendor's
own value, exactly as sent (a word, or a number for vendors that count their states), goes to
`details["vendor_status"]`. Where the key goes (`Auth`), which limits apply (`VendorLimit`)
and the vendor's status words are data in `VendorMeta`, applied by the shared transport.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ConfigDict

from campctl.results import ErrorKind, Outcome, Verdict, kind_for_status
from campctl.transport import Auth as Auth  # noqa: PLC0414 - re-exported for adapters
from campctl.transport import Exchange as Exchange  # noqa: PLC0414
from campctl.transport import Reply as Reply  # noqa: PLC0414
from campctl.transport import RequestSpec as RequestSpec  # noqa: PLC0414
from campctl.transport import Transport as Transport  # noqa: PLC0414
from campctl.transport import VendorLimit as VendorLimit  # noqa: PLC0414

# PRODUCT.md's one status vocabulary. A vendor word outside it is reported lower-cased.
RUNNING = "running"
PAUSED = "paused"
VENDOR_PAUSED = "vendor_paused"  # the vendor stopped the campaign itself, for safety
STATUS_VOCABULARY = frozenset(
    {
        RUNNING,
        PAUSED,
        "draft",
        "completed",
        "stopped",
        "scheduled",
        "edited",
        "pending_approval",
    }
)
# A vendor's status as sent: a word, or a number where the vendor counts its states.
VendorStatus = str | int
NO_SYNONYMS: Mapping[VendorStatus, str] = MappingProxyType({})

# A hostile or broken vendor must not keep a listing going forever.
MAX_LIST_PAGES = 1000


class Action(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    STATUS = "status"


class VendorMeta(NamedTuple):
    """Facts about a vendor that `campctl vendors`, config checks and the runner read."""

    name: str
    title: str
    default_base_url: str | None
    auth: Auth
    id_pattern: str
    id_format: str
    rate_limit: str
    docs_url: str
    limit: VendorLimit = VendorLimit()
    base_url_required: str | None = None
    # The vendor's own words (lower-case keys, e.g. {"active": "running"}) or numbers (int keys,
    # e.g. {2: "paused"}) for states of the one vocabulary; anything else is reported
    # lower-cased, a number as its decimal text.
    status_synonyms: Mapping[VendorStatus, str] = NO_SYNONYMS
    numeric_status: bool = False  # the vendor's status is a number, not a word
    can_status: bool = True  # documents a status GET (verify and `status` need it)
    can_list: bool = False  # documents a campaign list (`list`, --all-running, --sender)
    list_note: str | None = None  # why not, for vendors that cannot list
    exposes_senders: bool = False  # list items name their sending addresses (--sender)
    server_running_filter: bool = False  # the list request itself can ask for running only
    # The answer to a pause/resume itself says whether the campaign was already in the
    # target state (a 409 or 400 code naming it, a timestamp); where it
    # does not, campctl reads the prior state before acting (campctl.prior).
    answer_tells: bool = False
    # The vendor's own safety stops (values whose synonym is `vendor_paused`): why the vendor
    # stopped it and what a resume would override, as a refused resume says it.
    safety_pauses: Mapping[VendorStatus, str] = NO_SYNONYMS
    # Reads may lag writes: `--verify` reads once more, a second later, before it
    # reports a disagreement.
    reads_lag: bool = False

    def safety_reason(self, vendor_status: VendorStatus | None) -> str:
        """Why the vendor paused a `vendor_paused` campaign, as far as its value tells."""
        reason = self.safety_pauses.get(vendor_status) if vendor_status is not None else None
        return reason or "paused by the vendor for safety"

    @property
    def auth_style(self) -> str:
        return self.auth.style

    def cannot_select(self, *, by_sender: bool = False) -> str | None:
        """Why this vendor's campaigns cannot be chosen by a selector, or None when they can.

        `by_sender=False` is --all-running (needs a list), True is --sender (needs senders too).
        """
        if not self.can_list:
            return self.list_note or "documents no campaign list"
        if by_sender and not self.exposes_senders:
            return "exposes no senders on its campaigns"
        return None


def normalise_status(
    value: VendorStatus, synonyms: Mapping[VendorStatus, str] = NO_SYNONYMS
) -> str:
    """A vendor's status in PRODUCT.md's vocabulary: its synonym, else the word lower-cased or
    the number's decimal text."""
    if isinstance(value, int):
        return synonyms.get(value) or synonyms.get(str(value)) or str(value)
    lowered = value.strip().lower()
    return synonyms.get(lowered, lowered)


class Campaign(NamedTuple):
    """One campaign from a vendor's campaign list."""

    campaign_id: str
    name: str | None
    status: str | None  # the one vocabulary
    vendor_status: VendorStatus | None  # the vendor's value as sent
    senders: tuple[str, ...]  # lower-cased email addresses; () when the vendor exposes none


class CampaignList(NamedTuple):
    """A whole listing, or why it failed (then `campaigns` is empty)."""

    campaigns: list[Campaign]
    failure: Verdict | None  # error.kind / http_status / message say why


Cursor = str | int


class ListPage(NamedTuple):
    """What one list page holds; `next_cursor` None means it was the last page."""

    campaigns: list[Campaign]
    next_cursor: Cursor | None


class NoOptions(BaseModel):
    """Vendors without profile keys of their own."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class InvalidCampaignId(ValueError):
    """A campaign ID the vendor's documented format rejects. A domain error: the planning
    step turns it into a usage error (exit 2), before anything is sent."""


class BadBody(Exception):
    """The body is not what the vendor documents; the adapter reports `bad_response`."""


_DEFAULT_MESSAGES = {
    ErrorKind.INVALID_REQUEST: "the vendor rejected the request",
    ErrorKind.AUTH: "the vendor rejected the API key",
    ErrorKind.PERMISSION: "the API key lacks permission for this action",
    ErrorKind.NOT_FOUND: "campaign not found",
    ErrorKind.CONFLICT: "the campaign's state does not allow this action",
    ErrorKind.RATE_LIMITED: "rate limited by the vendor",
    ErrorKind.VENDOR_ERROR: "the vendor had a server error",
    ErrorKind.BAD_RESPONSE: "unexpected answer from the vendor",
}


class Adapter:
    """Base of every vendor adapter. Subclasses set `meta` and implement the two hooks."""

    meta: ClassVar[VendorMeta]
    Options: ClassVar[type[BaseModel]] = NoOptions

    def __init__(self, options: BaseModel, transport: Transport) -> None:
        self.options = options
        self.transport = transport

    # -- the protocol -----------------------------------------------------------------
    async def pause(self, campaign_id: str) -> Verdict:
        return await self.settled(Action.PAUSE, await self.perform(Action.PAUSE, campaign_id),
                                  campaign_id)  # fmt: skip

    async def resume(self, campaign_id: str) -> Verdict:
        return await self.settled(Action.RESUME, await self.perform(Action.RESUME, campaign_id),
                                  campaign_id)  # fmt: skip

    async def settled(self, action: Action, answer: Verdict, campaign_id: str) -> Verdict:
        """PRODUCT.md's rule for every vendor: an answer that states another state than the
        action's target (a `status` or `state` in the body)
        triggers one status read, which decides — the target state read back is `done`,
        another state is `conflict`, and a failed read leaves the outcome unknown. A state is
        a word of the one vocabulary: a word campctl does not know (a number outside a
        vendor's list, garbled text) is reported as stated, and `--verify` reads it back; an
        answer awaiting the vendor's approval states no settled state."""
        goal = intended_state(action)
        stated = answer.status
        known = STATUS_VOCABULARY | {VENDOR_PAUSED}
        if answer.outcome is not Outcome.DONE or stated == goal or stated not in known:
            return answer
        if stated == "pending_approval" or not self.meta.can_status:
            return answer
        raw = answer.details.get("vendor_status")
        shown = f" (status {raw})" if raw is not None and str(raw) != stated else ""
        said = f"{self.meta.title} answered the {action.value} with {stated}{shown}"
        read = await self.perform(Action.STATUS, campaign_id)
        if read.outcome is Outcome.DONE and read.status == goal:
            answer.status = goal
            answer.details = {**answer.details, **read.details}
            answer.message += f" ({said}; a status read confirms {goal})"
            return answer
        if read.outcome is Outcome.DONE:
            verdict = Verdict.failure(
                ErrorKind.CONFLICT, f"{said}, and a status read shows {read.status}",
                http_status=answer.http_status, details=read.details,
            )  # fmt: skip
            verdict.status = read.status
        else:
            kind = read.error.kind if read.error is not None else ErrorKind.BAD_RESPONSE
            verdict = Verdict.failure(
                kind, f"{said}, and the status read failed: {read.message}",
                http_status=answer.http_status,
                details={**answer.details, "outcome_unknown": True},
            )  # fmt: skip
        verdict.attempts = answer.attempts
        return verdict

    async def status(self, campaign_id: str) -> Verdict:
        return await self.perform(Action.STATUS, campaign_id)

    async def campaigns(self, running_only: bool = False) -> CampaignList:
        """Every campaign the vendor lists (only running ones with `running_only`)."""
        found: dict[str, Campaign] = {}
        async for page in self.pages(running_only):
            if isinstance(page, Verdict):
                return CampaignList([], page)
            for campaign in page.campaigns:
                found.setdefault(campaign.campaign_id, campaign)
        listed = list(found.values())
        if running_only:
            listed = [c for c in listed if c.status == RUNNING]
        return CampaignList(listed, None)

    async def find(self, wanted: set[str]) -> tuple[dict[str, Campaign], bool]:
        """The wanted campaigns from the unfiltered list, and whether the list was read to its
        end (then a missing ID is not there). Paging stops once at most one wanted ID is left
        unfound, since one more page would cost as much as reading that campaign itself; a
        failed list finds nothing, and the caller reads each campaign instead."""
        found: dict[str, Campaign] = {}
        async for page in self.pages(running_only=False):
            if isinstance(page, Verdict):
                return {}, False
            found.update((c.campaign_id, c) for c in page.campaigns if c.campaign_id in wanted)
            if page.next_cursor is None:
                return found, True
            if len(wanted) - len(found) <= 1:
                return found, False
        return found, False

    async def pages(self, running_only: bool) -> AsyncIterator[ListPage | Verdict]:
        """The list's pages (the last one with no `next_cursor`), or a final Verdict when the
        listing fails.

        One paging loop for all vendors: each page is sent through the transport (limits,
        timeouts, retries, redaction apply), read like any answer (a redirect, an HTML page or
        an error status is a failure of the whole listing), and a vendor that pages forever,
        repeats a cursor or sends items that are not campaigns ends as `bad_response`.
        """
        cursor: Cursor | None = None
        seen: set[Cursor] = set()
        for page in range(1, MAX_LIST_PAGES + 1):
            spec = self.list_request(cursor, running_only)
            if spec is None:
                yield self.unsupported_list()
                return
            exchange = await self.transport.send(spec, label=self.list_label(page))
            if exchange.failure is not None:
                yield self._list_failure(exchange.failure, exchange, page)
                return
            assert exchange.reply is not None  # noqa: S101 - transport contract
            result = self.read_list_reply(exchange.reply, cursor)
            if isinstance(result, Verdict):
                yield self._list_failure(result, exchange, page)
                return
            following = result.next_cursor
            if following is not None and (following in seen or _goes_back(cursor, following)):
                failure = _list_bad(
                    exchange.reply, f"the next-page cursor does not advance ({following!r})"
                )
                yield self._list_failure(failure, exchange, page)
                return
            yield result
            if following is None:
                return
            seen.add(following)
            cursor = following
        yield Verdict.failure(
            ErrorKind.BAD_RESPONSE,
            f"{self.meta.title} campaign list did not end within {MAX_LIST_PAGES} pages",
        )

    async def with_senders(self, campaigns: list[Campaign]) -> list[Campaign] | Verdict:
        """`campaigns` with the senders of the running ones filled in, where the vendor
        exposes senders only through one read per campaign (`senders_request`); a failed read
        fails the whole selection for this profile, since a campaign whose senders are
        unknown can be neither picked nor safely left out."""
        running = [c for c in campaigns if c.status == RUNNING]
        specs = {c.campaign_id: self.senders_request(c.campaign_id) for c in running}
        wanted = {cid: spec for cid, spec in specs.items() if spec is not None}
        if not wanted:
            return campaigns
        reads = await asyncio.gather(*(self._senders(cid, spec) for cid, spec in wanted.items()))
        found: dict[str, tuple[str, ...]] = {}
        for cid, read in zip(wanted, reads, strict=True):
            if isinstance(read, Verdict):
                return read
            found[cid] = read
        return [c._replace(senders=found.get(c.campaign_id, c.senders)) for c in campaigns]

    async def _senders(self, campaign_id: str, spec: RequestSpec) -> tuple[str, ...] | Verdict:
        label = f"{self.meta.name} senders of campaign {campaign_id}"
        exchange = await self.transport.send(spec, label=label)
        read = self._read_senders_reply(exchange)
        if isinstance(read, tuple):
            return read
        read.message += f" (senders of campaign {campaign_id})"
        if read.error is not None:
            read.error.message += f" (senders of campaign {campaign_id})"
        return read

    def _read_senders_reply(self, exchange: Exchange) -> tuple[str, ...] | Verdict:
        if exchange.failure is not None:
            return _annotate(exchange.failure, exchange)
        assert exchange.reply is not None  # noqa: S101 - transport contract
        reply = exchange.reply
        early = self._not_an_answer(reply, "")
        if early is not None:
            return early
        if not 200 <= reply.status < 300:
            return self.error(reply)
        try:
            return tuple(s.lower() for s in self.read_senders(reply))
        except _PARSE_ERRORS as exc:
            return self._bad_body(reply, exc)

    def verb(self, action: Action) -> Callable[[str], Awaitable[Verdict]]:
        return {Action.PAUSE: self.pause, Action.RESUME: self.resume, Action.STATUS: self.status}[
            action
        ]

    # -- vendor hooks -------------------------------------------------------------------
    def request_for(self, action: Action, campaign_id: str) -> RequestSpec | None:
        """The request for `action`, or None when the vendor documents no endpoint for it."""
        raise NotImplementedError

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        """Turn a non-redirect answer into a verdict. May raise BadBody."""
        raise NotImplementedError

    def list_request(self, cursor: Cursor | None, running_only: bool) -> RequestSpec | None:
        """The request for the list page at `cursor` (None: the first page), or None when the
        vendor documents no campaign list. `running_only` may use a documented server filter;
        the base filters on the normalised status either way."""
        return None

    def read_list_page(self, reply: Reply, cursor: Cursor | None) -> ListPage:
        """The campaigns on a 2xx list page and the next cursor. May raise BadBody."""
        raise NotImplementedError

    def senders_request(self, campaign_id: str) -> RequestSpec | None:
        """Where the list does not name a campaign's senders: the read that does (a
        single-campaign GET, an accounts endpoint). None (the default): the list does."""
        return None

    def read_senders(self, reply: Reply) -> list[str]:
        """The sending addresses in a 2xx answer to `senders_request`. May raise BadBody."""
        raise NotImplementedError

    def check_echo(self, action: Action, reply: Reply, campaign_id: str) -> None:
        """Where the vendor's 2xx answer names its campaign, raise BadBody (via
        `same_campaign`) when it names another one than `campaign_id`. Default: no echo."""

    def recorded_prospects(self) -> bool | None:
        """What the journal records as `prospects`; None for vendors without them."""
        return None

    def replaying(self, prospects: bool | None) -> Adapter:
        """This adapter as an undo replays a target the journal recorded with `prospects`."""
        return self

    @classmethod
    def profile_headers(cls, options: BaseModel) -> dict[str, str]:
        """Non-secret headers from the profile's options (an account or company ID); the key
        itself is the transport's to place (`meta.auth`)."""
        return {}

    # -- shared machinery ---------------------------------------------------------------
    @classmethod
    def check_id(cls, campaign_id: str) -> None:
        """InvalidCampaignId unless `campaign_id` has the vendor's documented format."""
        if not re.fullmatch(cls.meta.id_pattern, campaign_id):
            raise InvalidCampaignId(
                f"'{campaign_id}' is not a valid {cls.meta.title} campaign ID: "
                f"expected {cls.meta.id_format}"
            )

    @staticmethod
    def path(template: str, campaign_id: str) -> str:
        """Percent-encode the ID so nothing a user types can change path, host or query."""
        return template.format(quote(campaign_id, safe=""))

    async def perform(self, action: Action, campaign_id: str) -> Verdict:
        spec = self.request_for(action, campaign_id)
        if spec is None:
            return self.unsupported(action)
        exchange = await self.transport.send(spec, label=self.label(campaign_id))
        if exchange.failure is not None:
            verdict = exchange.failure
        else:
            assert exchange.reply is not None  # noqa: S101 - transport contract
            verdict = self.read_reply(action, exchange.reply, campaign_id)
        verdict.attempts = exchange.attempts
        return _annotate(verdict, exchange)

    def label(self, campaign_id: str) -> str:
        """How the transport names this campaign in notices and its record of sent requests."""
        return f"{self.meta.name}:{campaign_id}"

    def unsupported(self, action: Action) -> Verdict:
        """The verdict for an action the vendor has no endpoint for (sent or dry-run)."""
        return Verdict.failure(
            ErrorKind.UNSUPPORTED, f"{self.meta.title} documents no {action.value} endpoint"
        )

    def unsupported_list(self) -> Verdict:
        """The failure for listing a vendor that documents no campaign list."""
        note = self.meta.list_note or "documents no campaign list"
        return Verdict.failure(ErrorKind.UNSUPPORTED, f"{self.meta.title} {note}")

    def list_label(self, page: int) -> str:
        """The transport's name for a list request; never equal to a campaign's label."""
        return f"{self.meta.name} campaign list, page {page}"

    def read_reply(self, action: Action, reply: Reply, campaign_id: str | None = None) -> Verdict:
        """Interpret a reply; a redirect or any surprise in the body becomes `bad_response`,
        and so does a success that names another campaign than `campaign_id`."""
        early = self._not_an_answer(reply, "; the action may not have happened")
        if early is not None:
            return early
        try:
            verdict = self.interpret(action, reply)
            if (
                campaign_id is not None
                and 200 <= reply.status < 300
                and verdict.outcome is not Outcome.FAILED
            ):
                self.check_echo(action, reply, campaign_id)
        except _PARSE_ERRORS as exc:
            return self._bad_body(reply, exc)
        verdict.http_status = reply.status
        if verdict.error is not None:
            verdict.error.http_status = reply.status
        return verdict

    def read_list_reply(self, reply: Reply, cursor: Cursor | None) -> ListPage | Verdict:
        """A list page, or the failure it means: the same reading as an action's answer
        (redirect, HTML, error status, body surprises), and campaign IDs that pass `check_id`."""
        early = self._not_an_answer(reply, "")
        if early is not None:
            return early
        if not 200 <= reply.status < 300:
            return self.error(reply)
        try:
            page = self.read_list_page(reply, cursor)
            for campaign in page.campaigns:
                if not re.fullmatch(self.meta.id_pattern, campaign.campaign_id):
                    raise BadBody(
                        f"listed campaign ID {campaign.campaign_id[:40]!r} is not a valid "
                        f"{self.meta.title} campaign ID"
                    )
        except _PARSE_ERRORS as exc:
            return self._bad_body(reply, exc)
        return page

    def _not_an_answer(self, reply: Reply, consequence: str) -> Verdict | None:
        """A redirect, or a web page on a 2xx: never the vendor API speaking."""
        if 300 <= reply.status < 400:
            host = urlsplit(reply.headers.get("location", "")).hostname or "an unknown host"
            return Verdict.failure(
                ErrorKind.BAD_RESPONSE,
                f"vendor redirected to {host}; redirects are not followed",
                http_status=reply.status,
            )
        if 200 <= reply.status < 300 and _looks_like_html(reply.body):
            # A login wall, captive portal or wrong base URL: never a vendor API answer.
            return Verdict.failure(
                ErrorKind.BAD_RESPONSE,
                f"unexpected answer from {self.meta.title} (HTTP {reply.status}): "
                f"body is an HTML page, not the vendor API (check base_url){consequence}",
                http_status=reply.status,
            )
        return None

    def _bad_body(self, reply: Reply, exc: Exception) -> Verdict:
        detail = str(exc) or "body does not match the vendor's documented shape"
        return Verdict.failure(
            ErrorKind.BAD_RESPONSE,
            f"unexpected answer from {self.meta.title} (HTTP {reply.status}): {detail}",
            http_status=reply.status,
        )

    def _list_failure(self, verdict: Verdict, exchange: Exchange, page: int) -> Verdict:
        verdict.attempts = exchange.attempts
        verdict = _annotate(verdict, exchange)
        if page > 1:
            verdict.message += f" (campaign list page {page})"
            if verdict.error is not None:
                verdict.error.message += f" (campaign list page {page})"
        return verdict

    # -- helpers for subclasses -----------------------------------------------------------
    @classmethod
    def state(cls, value: object) -> str:
        """The vendor's status in the one vocabulary (its synonyms, else lower-cased); a value
        of the wrong kind raises BadBody (`status_value`)."""
        return normalise_status(cls.status_value(value, "the status"), cls.meta.status_synonyms)

    def done(
        self,
        message: str,
        status: str | None = None,
        at: object = None,
        details: dict[str, Any] | None = None,
        *,
        vendor_status: VendorStatus | None = None,
    ) -> Verdict:
        """Success. Pass the vendor's value as `vendor_status` (status then follows from it),
        or `status` alone where the docs define the state without the vendor sending one."""
        status, details = self._stated(status, details, vendor_status)
        return Verdict(Outcome.DONE, message, status=status, at=timestamp(at), details=details)

    def noop(
        self,
        message: str,
        status: str | None = None,
        at: object = None,
        *,
        vendor_status: VendorStatus | None = None,
    ) -> Verdict:
        status, details = self._stated(status, None, vendor_status)
        return Verdict(Outcome.NOOP, message, status=status, at=timestamp(at), details=details)

    def _stated(
        self,
        status: str | None,
        details: dict[str, Any] | None,
        vendor_status: VendorStatus | None,
    ) -> tuple[str | None, dict[str, Any]]:
        details = dict(details or {})
        if vendor_status is not None:
            vendor_status = self.status_value(vendor_status, "the status")
            details["vendor_status"] = vendor_status
            if status is None:
                status = self.state(vendor_status)
        return status, details

    def campaign(
        self,
        campaign_id: object,
        name: object,
        vendor_status: object,
        senders: tuple[str, ...] = (),
    ) -> Campaign:
        """A list item, type-checked: ID a string or a non-negative integer, name a string or
        absent, status as the vendor sends it (`status_value`); anything else raises BadBody."""
        if isinstance(campaign_id, int) and not isinstance(campaign_id, bool):
            campaign_id = str(campaign_id)
        if not isinstance(campaign_id, str):
            raise BadBody(f"a listed campaign's ID is not a string: {campaign_id!r:.40}")
        if name is not None and not isinstance(name, str):
            raise BadBody(f"campaign {campaign_id}: name is not a string")
        status = self.status_value(vendor_status, f"campaign {campaign_id}: status")
        return Campaign(campaign_id, name, self.state(status), status, senders)

    @classmethod
    def status_value(cls, value: object, what: str) -> VendorStatus:
        """A status of the kind the vendor sends: an integer where `meta.numeric_status` (never
        a bool, which JSON holds apart), else a string; anything else raises BadBody."""
        if cls.meta.numeric_status:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            raise BadBody(f"{what} is not an integer")
        if isinstance(value, str):
            return value
        raise BadBody(f"{what} is not a string")

    def error(self, reply: Reply, kind: ErrorKind | None = None, note: str = "") -> Verdict:
        """The shared reading of an error: kind from the status, code and text from the body."""
        code, message = error_fields(reply)
        kind = kind or kind_for_status(reply.status)
        if message is None:
            message = _DEFAULT_MESSAGES.get(kind, "request failed")
            if _looks_like_html(reply.body):
                message += " (HTML page instead of JSON)"
        text = f"{message} (HTTP {reply.status}){note}"
        return Verdict.failure(kind, text, http_status=reply.status, vendor_code=code)


_PARSE_ERRORS = (BadBody, KeyError, TypeError, ValueError, AttributeError, RecursionError)

# What the verbs are for: the state `--verify` expects to read back.
_INTENDED = {Action.PAUSE: PAUSED, Action.RESUME: RUNNING}


def intended_state(action: Action) -> str:
    """The state a successful `action` leaves a campaign in (pause → paused, resume →
    running)."""
    return _INTENDED[action]


def in_intended_state(action: Action, status: Verdict) -> bool | None:
    """For --verify: does a status read show the state `action` was meant to leave?

    True / False when the read says; None when it cannot tell — the read failed or is
    unsupported, the vendor named no state, or a resume is still awaiting approval.
    """
    if status.outcome is not Outcome.DONE or status.status is None:
        return None
    if action is Action.RESUME and status.status == "pending_approval":
        return None
    return status.status == intended_state(action)


def unverifiable(meta: VendorMeta, acted_status: str | None) -> str | None:
    """Why a `done` action cannot be read back (`details.verified: null` with this note), or
    None when --verify should read the status and ask `in_intended_state`."""
    if not meta.can_status:
        return f"{meta.title} documents no status endpoint"
    if acted_status == "pending_approval":
        return "awaiting the vendor's approval: the campaign starts once it is approved"
    return None


def _goes_back(cursor: Cursor | None, following: Cursor) -> bool:
    """An offset cursor must move forward."""
    return isinstance(cursor, int) and isinstance(following, int) and following <= cursor


def _list_bad(reply: Reply, detail: str) -> Verdict:
    return Verdict.failure(
        ErrorKind.BAD_RESPONSE, f"unexpected campaign list: {detail}", http_status=reply.status
    )


def _annotate(verdict: Verdict, exchange: Exchange) -> Verdict:
    """Add what only the retry loop knows: earlier attempts, and when to try again."""
    if verdict.outcome is Outcome.NOOP and exchange.attempts > 1:
        verdict.message += " (an earlier attempt may have landed)"
    if exchange.interrupted:
        verdict.message += " (interrupted while waiting to retry)"
        if verdict.error is not None:
            verdict.error.message += " (interrupted while waiting to retry)"
    if (
        verdict.error is not None
        and verdict.error.kind is ErrorKind.RATE_LIMITED
        and exchange.retry_after is not None
    ):
        note = _try_again(exchange.retry_after)
        verdict.message += note
        verdict.error.message += note
    return verdict


def _try_again(wait: float) -> str:
    """When to try again; `wait` is already clamped (campctl.retry), `math.inf` when the
    vendor's Retry-After was out of range, so this never does arithmetic that overflows."""
    if not math.isfinite(wait):
        return "; the vendor's Retry-After is out of range: try again later"
    when = datetime.now(UTC) + timedelta(seconds=wait)
    return f"; vendor asks to wait {wait:.0f} s: try again after {when:%Y-%m-%dT%H:%M:%SZ}"


def json_body(reply: Reply) -> Any:
    """Parse the body as JSON or raise BadBody naming what was wrong."""
    if not reply.body.strip():
        raise BadBody("empty body")
    try:
        return json.loads(reply.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        kind = "an HTML page" if _looks_like_html(reply.body) else "invalid or truncated JSON"
        raise BadBody(f"body is {kind}") from None
    except RecursionError:
        raise BadBody("body is JSON nested too deeply") from None
    except ValueError:  # Python's int-max-str-digits: a number thousands of digits long
        raise BadBody("body holds a number too long to read") from None


def dig(obj: Any, *keys: str) -> Any:
    """`obj[k1][k2]...` with a BadBody (not a KeyError) naming the missing field."""
    for index, key in enumerate(keys):
        if not isinstance(obj, dict) or key not in obj:
            raise BadBody(f"missing field '{'.'.join(keys[: index + 1])}'")
        obj = obj[key]
    return obj


def objects(value: Any, where: str) -> list[dict[str, Any]]:
    """A list whose items are all JSON objects (list pages), else BadBody."""
    if not isinstance(value, list):
        raise BadBody(f"field '{where}' is not a list")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise BadBody(f"item {index} of '{where}' is not an object")
    return value


def text(obj: Any, *keys: str) -> str:
    value = dig(obj, *keys)
    if not isinstance(value, str):
        raise BadBody(f"field '{'.'.join(keys)}' is not a string")
    return value


def optional_text(obj: Any, *keys: str) -> str | None:
    try:
        return text(obj, *keys)
    except BadBody:
        return None


def same_campaign(asked: str, echoed: object, *, fold_case: bool = False) -> None:
    """Raise BadBody when an answer's echoed campaign ID (None: absent, which is accepted)
    is not the one asked. The vendor's ID is never quoted: it is vendor text."""
    if echoed is None:
        return
    if isinstance(echoed, int) and not isinstance(echoed, bool):
        echoed = str(echoed)
    if not isinstance(echoed, str):
        raise BadBody("the campaign ID in the answer is not a string")
    same = echoed.casefold() == asked.casefold() if fold_case else echoed == asked
    if not same:
        raise BadBody(f"the answer is about another campaign than {asked}")


def echoed(obj: Any, *keys: str) -> object:
    """The value at `obj[k1][k2]...`, or None where any step is missing (for `same_campaign`)."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def error_fields(reply: Reply) -> tuple[str | None, str | None]:
    """Read (code, message) from the error shapes vendors use.

    `{"error": {"code", "message"}}`, `{"error": "<code>", "message"}`, `{"code", "message"}`,
    `{"type", "message"}` and problem objects `{"title", "detail"}`.
    """
    try:
        body = json_body(reply)
    except BadBody:
        return None, None
    if not isinstance(body, dict):
        return None, None
    err = body.get("error")
    if isinstance(err, dict):
        code, message = err.get("code"), err.get("message") or body.get("message")
    elif isinstance(err, str):
        code, message = err, body.get("message")
    else:
        code = body.get("code") or body.get("type")
        message = body.get("message") or body.get("detail") or body.get("title")
    return (
        code if isinstance(code, str) else None,
        message if isinstance(message, str) and message else None,
    )


def timestamp(value: object) -> str:
    """The vendor's timestamp when it gave one, else the moment the answer was read."""
    if isinstance(value, str) and value:
        return value
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _looks_like_html(body: bytes) -> bool:
    return body.lstrip()[:1] == b"<"
