"""Targets: `PROVIDER:CAMPAIGN_ID` or a bare ID, from arguments, a file or stdin."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import NamedTuple

from campctl.config import PROFILE_NAME
from campctl.errors import UsageError


class Target(NamedTuple):
    provider: str
    campaign_id: str

    @property
    def label(self) -> str:
        return f"{self.provider}:{self.campaign_id}"


def read_target_file(path: str) -> list[str]:
    """One target per line; '#' starts a comment anywhere; blank lines are ignored."""
    try:
        if path == "-":
            content = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                content = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"cannot read targets from '{path}': {reason}") from None
    lines = (line.split("#", 1)[0].strip() for line in content.splitlines())
    return [line for line in lines if line]


def parse_targets(raw: Iterable[str], default_provider: str | None) -> list[Target]:
    """Parse and de-duplicate, keeping each target at its first position."""
    seen: dict[Target, None] = {}
    for item in raw:
        seen.setdefault(parse_target(item.strip(), default_provider), None)
    if not seen:
        raise UsageError(
            "no targets given; pass PROVIDER:CAMPAIGN_ID arguments or --from-file PATH"
        )
    return list(seen)


def parse_target(item: str, default_provider: str | None) -> Target:
    if ":" in item:
        provider, campaign_id = item.split(":", 1)
        if not PROFILE_NAME.fullmatch(provider):
            raise UsageError(
                f"malformed target '{item}': expected PROVIDER:CAMPAIGN_ID with a provider "
                "name of a-z, 0-9, '_' and '-'"
            )
    elif default_provider:
        provider, campaign_id = default_provider, item
    else:
        raise UsageError(
            f"target '{item}' has no provider; write PROVIDER:{item} or pass --provider NAME"
        )
    if not campaign_id or any(ch.isspace() for ch in campaign_id):
        raise UsageError(f"malformed target '{item}': missing or blank campaign ID")
    return Target(provider, campaign_id)
