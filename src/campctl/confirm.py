"""The confirmation step of front-ends that act for someone else (an MCP client): a change is
first previewed, and the preview hands out a single-use token bound to the call's arguments
and to the targets it showed; only a call that brings that token back acts, and it acts on
exactly those targets.

Pure bookkeeping with an injectable clock — no I/O — so the rules (unknown, reused, expired,
other arguments) are tested on their own.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from campctl.errors import UsageError

TOKEN_LIFETIME = 300.0  # seconds: PRODUCT.md's 5 minutes
_REMEMBERED_USED = 10_000  # used tokens kept to say "already used" rather than "unknown"


class Previewed(NamedTuple):
    """What a confirmed call acts on: the previewed targets, and the run an undo named
    (`last` resolved to its ID at preview time)."""

    targets: tuple[str, ...]
    undo: str | None


class _Pending(NamedTuple):
    tool: str
    arguments: str  # canonical JSON of the call's arguments, `confirm` left out
    previewed: Previewed
    expires: float


class Confirmations:
    """Tokens handed out by previews and not yet redeemed, for one server process."""

    def __init__(
        self, clock: Callable[[], float] = time.time, lifetime: float = TOKEN_LIFETIME
    ) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._pending: dict[str, _Pending] = {}
        self._used: dict[str, None] = {}  # insertion-ordered, bounded

    def issue(
        self, tool: str, arguments: Mapping[str, Any], previewed: Previewed
    ) -> tuple[str, str]:
        """A new token for this preview and when it expires (ISO 8601, UTC)."""
        now = self._clock()
        self._forget_expired(now)
        token = secrets.token_urlsafe(24)
        expires = now + self._lifetime
        self._pending[_digest(token)] = _Pending(tool, _canonical(arguments), previewed, expires)
        stamp = datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return token, stamp

    def redeem(self, token: str, tool: str, arguments: Mapping[str, Any]) -> Previewed:
        """What the preview behind `token` showed; UsageError (and nothing sent) for a token
        that is unknown, used, expired, from another tool or for other arguments. A token
        is spent by any attempt to redeem it that names it correctly, so a mistaken call
        cannot be retried into a different action."""
        key = _digest(token)
        if key in self._used:
            raise UsageError("confirm token already used: preview the change again")
        pending = self._pending.pop(key, None)
        if pending is None:
            raise UsageError("unknown confirm token: preview the change first (omit confirm)")
        self._remember_used(key)
        if self._clock() >= pending.expires:
            raise UsageError("confirm token expired (tokens last 5 minutes): preview again")
        if pending.tool != tool:
            raise UsageError(f"confirm token belongs to {pending.tool}, not {tool}")
        if pending.arguments != _canonical(arguments):
            raise UsageError(
                "the arguments differ from the previewed call: preview the change again"
            )
        return pending.previewed

    def _forget_expired(self, now: float) -> None:
        for key in [k for k, p in self._pending.items() if p.expires <= now]:
            del self._pending[key]

    def _remember_used(self, key: str) -> None:
        self._used[key] = None
        while len(self._used) > _REMEMBERED_USED:
            del self._used[next(iter(self._used))]


def _canonical(arguments: Mapping[str, Any]) -> str:
    return json.dumps({k: v for k, v in arguments.items() if k != "confirm"}, sort_keys=True)


def _digest(token: str) -> str:
    """Tokens are kept only as digests, so a memory dump holds none that could be replayed."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
