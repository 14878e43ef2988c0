"""Targets: `PROVIDER:CAMPAIGN_ID` or a bare ID, from arguments, a file or stdin.

Checked in one pass before anything is sent: every bad target is reported, each with where
it came from (`argument 3`, `targets.txt:7`, `stdin:2`) and exactly what is wrong, in one
UsageError. This module is pure: which providers exist and what a vendor's campaign IDs
look like are passed in, so it knows nothing of the config file or the adapters.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from campctl.errors import UsageError
from campctl.sanitize import printable

MAX_LISTED = 20  # problems listed in the error; the rest are counted ("and 7 more")
MAX_TARGET_BYTES = 64 * 1024 * 1024  # a target file or stdin
MAX_LINE_BYTES = 4096
_CHUNK = 64 * 1024
# Anchored at line starts, so the scan stays linear whatever the lines' lengths.
_LONG_LINE = re.compile(b"(?:^|\n)[^\n]{%d}" % (MAX_LINE_BYTES + 1))
_SHOWN_CHARS = 60  # a pasted 5 KB line must not flood the terminal

VendorOf = Callable[[str], str | None]
"""Provider (profile) name → its vendor, or None when no such provider exists."""
CheckId = Callable[[str, str], str | None]
"""(vendor, campaign ID) → None when the ID is valid, else why not, naming the format."""


class Target(NamedTuple):
    provider: str
    campaign_id: str

    @property
    def label(self) -> str:
        return f"{self.provider}:{self.campaign_id}"


class TargetSource(NamedTuple):
    """One target as the user wrote it, and where: `argument 3`, `FILE:LINE`, `stdin:LINE`."""

    text: str
    origin: str


class Duplicate(NamedTuple):
    target: Target
    origin: str  # where the repeat was
    first: str  # where the target was first given (its result is reported there)


@dataclass(frozen=True)
class ParsedTargets:
    targets: list[Target] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    def duplicates_note(self) -> str | None:
        """One stderr line for --verbose: which repeats were dropped, or None."""
        if not self.duplicates:
            return None
        shown = ", ".join(
            f"{d.target.label} ({d.origin}, first at {d.first})"
            for d in self.duplicates[:MAX_LISTED]
        )
        more = len(self.duplicates) - MAX_LISTED
        if more > 0:
            shown += f" and {more} more"
        count = len(self.duplicates)
        noun = "duplicate target" if count == 1 else "duplicate targets"
        return printable(f"{count} {noun} acted on once, at the first position: {shown}")


def argument_sources(arguments: Iterable[str]) -> list[TargetSource]:
    """Command-line targets, numbered from 1 in the order given."""
    return [TargetSource(text, f"argument {n}") for n, text in enumerate(arguments, 1)]


def read_target_file(path: str) -> list[TargetSource]:
    """One target per line of a UTF-8 file ('-' = stdin); '#' starts a comment anywhere.

    Blank lines are skipped; a byte-order mark and CRLF line ends are accepted. Each target
    keeps its line number for error messages.
    """
    name = "stdin" if path == "-" else path
    try:
        if path == "-":
            content = _read_stdin()
        else:
            with open(path, "rb") as handle:
                content = _decode(_read_bounded(handle.read, name), name)
    except OSError as exc:
        raise UsageError(f"cannot read targets from '{name}': {exc.strerror}") from None
    sources = []
    for number, line in enumerate(content.split("\n"), 1):
        text = line.split("#", 1)[0].strip()
        if text:
            sources.append(TargetSource(text, f"{name}:{number}"))
    return sources


def _read_stdin() -> str:
    stream = sys.stdin
    if stream is None:
        raise UsageError("cannot read targets from stdin: stdin is closed")
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return _decode(_read_bounded(buffer.read, "stdin"), "stdin")
    return _read_bounded(lambda n: stream.read(n).encode(), "stdin").decode().removeprefix("\ufeff")


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UsageError(
            f"cannot read targets from '{name}': line {line} is not UTF-8 text"
        ) from None


def _read_bounded(read: Callable[[int], bytes], name: str) -> bytes:
    """Read in chunks, stopping at the first line over MAX_LINE_BYTES or once the whole is
    over MAX_TARGET_BYTES: `/dev/zero` or an endless pipe ends as a usage error, never as
    a MemoryError or a hang."""
    data = bytearray()
    line_start = 0  # where the line still being read begins
    while chunk := read(_CHUNK):
        data += chunk
        if len(data) > MAX_TARGET_BYTES:
            raise UsageError(
                f"cannot read targets from '{name}': larger than "
                f"{MAX_TARGET_BYTES // (1024 * 1024)} MiB; split it into smaller files"
            )
        long = _LONG_LINE.search(data, max(line_start - 1, 0))
        if long is not None:
            line = data.count(b"\n", 0, long.end()) + 1
            raise UsageError(
                f"cannot read targets from '{name}': line {line} is longer than "
                f"{MAX_LINE_BYTES} bytes; one target per line"
            )
        line_start = data.rfind(b"\n", line_start) + 1 or line_start
    return bytes(data)


def parse_targets(
    sources: Sequence[TargetSource],
    default_provider: str | None,
    vendor_of: VendorOf,
    check_id: CheckId,
    *,
    known_providers: Sequence[str] = (),
    require: bool = True,
) -> ParsedTargets:
    """Check every target; return them de-duplicated in input order, or raise one UsageError.

    The error's first line is a summary ("3 bad targets:"), then one line per problem (at
    most MAX_LISTED, then "and N more"); a single problem is a single line. `require=False`
    allows an empty result (targets found by a selector instead).
    """
    problems: list[str] = []
    unknown: set[str] = set()
    first_seen: dict[Target, str] = {}
    duplicates: list[Duplicate] = []
    vendors: dict[str, str | None] = {}
    default_reported = False

    def vendor(name: str) -> str | None:
        if name not in vendors:
            vendors[name] = vendor_of(name)
        return vendors[name]

    for source in sources:
        text = source.text.strip()
        bare = ":" not in text
        if bare and default_provider and vendor(default_provider) is None:
            if not default_reported:  # one line, not one per bare ID
                problems.append(
                    f"{source.origin}: '{_shown(text)}': unknown provider "
                    f"'{_shown(default_provider)}' (the provider for bare campaign IDs)"
                )
                unknown.add(default_provider)
                default_reported = True
            continue
        target, reason = _parse_one(text, default_provider, vendor, check_id)
        if reason is not None:
            problems.append(f"{source.origin}: '{_shown(text)}': {reason}")
            if target is not None and vendor(target.provider) is None:
                unknown.add(target.provider)
            continue
        assert target is not None  # noqa: S101 - _parse_one returns one or the other
        if target in first_seen:
            duplicates.append(Duplicate(target, source.origin, first_seen[target]))
        else:
            first_seen[target] = source.origin
    if problems:
        raise UsageError(_message(problems, unknown, known_providers))
    if require and not first_seen:
        raise UsageError(
            "no targets given; pass PROVIDER:CAMPAIGN_ID arguments or --from-file PATH"
        )
    return ParsedTargets(list(first_seen), duplicates)


def _parse_one(
    text: str, default_provider: str | None, vendor_of: VendorOf, check_id: CheckId
) -> tuple[Target | None, str | None]:
    """(target, None) when valid; (target or None, reason) when not."""
    if not text:
        return None, "empty target; expected PROVIDER:CAMPAIGN_ID"
    if ":" in text:
        provider, campaign_id = (part.strip() for part in text.split(":", 1))
        if not provider:
            return None, "missing provider before ':'; expected PROVIDER:CAMPAIGN_ID"
    elif default_provider:
        provider, campaign_id = default_provider, text
    else:
        return None, (f"no provider; write PROVIDER:{_shown(text)} or pass --provider NAME")
    target = Target(provider, campaign_id)
    vendor = vendor_of(provider)
    if vendor is None:
        return target, f"unknown provider '{_shown(provider)}'"
    if not campaign_id:
        return target, f"missing campaign ID after '{_shown(provider)}:'"
    reason = check_id(vendor, campaign_id)
    if reason is not None:
        return target, printable(reason)
    return target, None


def _message(problems: list[str], unknown: set[str], known: Sequence[str]) -> str:
    hint = f"known providers: {', '.join(known)}" if unknown and known else ""
    if len(problems) == 1:
        return f"bad target at {problems[0]}" + (f"; {hint}" if hint else "")
    lines = [f"{len(problems)} bad targets:"]
    lines += [f"  {problem}" for problem in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(f"  and {len(problems) - MAX_LISTED} more")
    if hint:
        lines.append(f"  {hint}")
    return "\n".join(lines)


def _shown(text: str) -> str:
    """User text as it may appear in a message: controls escaped, long text shortened."""
    text = printable(text)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"
