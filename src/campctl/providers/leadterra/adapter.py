"""Leadterra: Bearer auth; pause and start are idempotent and answer 200 with the current
state; there is no documented status endpoint and no campaign list.

**Already in the target state.** Leadterra answers an already-paused campaign exactly like a
fresh pause — `{"status": "paused", "pausedAt": ...}` — except for the timestamp (start:
`startedAt`). The rule that tells them apart:

- reference ("vendor now") = the answer's `Date` header: the vendor's own clock when it
  answered, so skew between the vendor's clock and ours does not matter; without a usable
  `Date`, the moment the request was sent (`Reply.sent_at`, our clock); without that, the
  moment the answer is read.
- `pausedAt` more than 60 s before the reference → `noop` "already paused since <pausedAt>";
  otherwise (fresh, no timestamp, or a timestamp that cannot be parsed) → `done`.

`Date` is never earlier than the request's send moment, so the rule errs only by the request's
own duration, towards `noop` — and a `noop` is never resumed by `--undo`, which is what keeps an
undo from resuming a campaign this run did not pause.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import ClassVar

from campctl.providers.base import (
    PAUSED,
    RUNNING,
    Action,
    Adapter,
    Auth,
    Reply,
    RequestSpec,
    VendorMeta,
    echoed,
    error_fields,
    json_body,
    optional_text,
    same_campaign,
    text,
)
from campctl.results import ErrorKind, Verdict

# Codes Leadterra uses for "the campaign cannot be started as it is".
_STATE_CODES = frozenset({"no_leads_enrolled", "no_sequence_steps"})
# A target-state timestamp older than this (before the request was sent) means "already".
ALREADY_AFTER_SECONDS = 60.0


class LeadterraAdapter(Adapter):
    meta: ClassVar[VendorMeta] = VendorMeta(
        name="leadterra",
        title="Leadterra",
        default_base_url="https://app.leadterra.co",
        auth=Auth.header("Authorization", "Bearer"),
        id_pattern=r"[A-Za-z0-9_-]{1,128}",
        id_format="letters, digits, '_' or '-' (1-128), e.g. camp_123",
        rate_limit="not published",
        docs_url="https://docs.leadterra.co/api-reference/campaigns-pause",
        can_status=False,
        list_note="documents no campaign list (senders come from a pool)",
        answer_tells=True,
    )

    def request_for(self, action: Action, campaign_id: str) -> RequestSpec | None:
        if action is Action.STATUS:
            return None
        verb = "pause" if action is Action.PAUSE else "start"
        return RequestSpec("POST", self.path("/v1/campaigns/{}/" + verb, campaign_id))

    def interpret(self, action: Action, reply: Reply) -> Verdict:
        if reply.status != 200:
            code, _ = error_fields(reply)
            if reply.status == 400 and code in _STATE_CODES:
                return self.error(reply, ErrorKind.CONFLICT)
            return self.error(reply)
        body = json_body(reply)
        raw = text(body, "status")
        status = self.state(raw)
        target, opposite, field = (
            (PAUSED, RUNNING, "pausedAt")
            if action is Action.PAUSE
            else (RUNNING, PAUSED, "startedAt")
        )
        if status == target:
            stamp = optional_text(body, field)
            if stamp is not None and _older_than_request(stamp, reply):
                return self.noop(f"already {target} since {stamp}", at=stamp, vendor_status=raw)
            return self.done(f"campaign {target}", at=stamp, vendor_status=raw)
        if status == opposite:
            # Not "nothing to do": the vendor says the action did not take effect.
            verdict = Verdict.failure(
                ErrorKind.BAD_RESPONSE,
                f"unexpected answer from {self.meta.title} (HTTP 200): "
                f"200 answer says the campaign is still {status}",
                details={"vendor_status": raw},
            )
            verdict.status = status
            return verdict
        return self.noop(f"campaign is {status}: nothing to {action.value}", vendor_status=raw)

    def check_echo(self, action: Action, reply: Reply, campaign_id: str) -> None:
        """Pause and start answer the campaign's `id`."""
        same_campaign(campaign_id, echoed(json_body(reply), "id"))


def _older_than_request(stamp: str, reply: Reply) -> bool:
    """Is `stamp` more than 60 s before the request was sent, by the vendor's clock?"""
    when = _iso_epoch(stamp)
    if when is None:
        return False  # unparseable: treat as fresh
    return _reference(reply) - when > ALREADY_AFTER_SECONDS


def _reference(reply: Reply) -> float:
    """The vendor's `Date` when usable, else the send moment, else now (see module doc)."""
    date = reply.headers.get("date") or reply.headers.get("Date")
    if date:
        try:
            parsed = parsedate_to_datetime(date)
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed = None
        if parsed is not None:
            vendor_now = _epoch(parsed)
            if vendor_now is not None:
                return vendor_now
    if reply.sent_at is not None and math.isfinite(reply.sent_at):
        return reply.sent_at
    return time.time()


def _iso_epoch(value: str) -> float | None:
    try:
        return _epoch(datetime.fromisoformat(value))
    except ValueError:
        return None


def _epoch(moment: datetime) -> float | None:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # vendor timestamps without an offset are UTC
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):
        return None
