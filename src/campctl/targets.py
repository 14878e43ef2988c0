"""Targets: `PROVIDER:CAMPAIGN_ID` or a bare ID, from arguments, a file or stdin.

Checked in one pass before anything is sent: every bad target is reported, each with where
it came from (`argument 3`, `targets.txt:7`, `stdin:2`) and exactly what is wrong, in one
UsageError. Mistakes an operator makes at 3 a.m. get a suggestion: a misspelt provider
("did you mean 'woodpecker'?"), a space for the colon (`woodpecker 12345`), a pasted vendor
URL (the target it names). This module knows nothing of the config file: which providers
exist and what a vendor's campaign IDs look like are passed in; only a pasted URL's host is
matched against the vendors' default base URLs, read from the registry when one is pasted.
"""

from __future__ import annotations

import difflib
import itertools
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

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
VendorOfHost = Callable[[str], str | None]
"""A URL's host name → the vendor whose URLs live there, or None."""

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


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
    vendor_of_host: VendorOfHost | None = None,
) -> ParsedTargets:
    """Check every target; return them de-duplicated in input order, or raise one UsageError.

    The error's first line is a summary ("3 bad targets:"), then one line per problem (at
    most MAX_LISTED, then "and N more"); a single problem is a single line. `require=False`
    allows an empty result (targets found by a selector instead). `vendor_of_host` tells
    which vendor a pasted URL belongs to (default: the registry's base URLs).
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

    texts = [source.text.strip() for source in sources]
    for index, (source, text) in enumerate(zip(sources, texts, strict=True)):
        if _URL.match(text):
            where = vendor_of_host or registry_vendor_of_host
            shown, why = _pasted_url(text, known_providers, vendor, check_id, where)
            problems.append(f"{source.origin}: '{_shown(shown)}': {why}")
            continue
        bare = ":" not in text
        if bare and default_provider and vendor(default_provider) is None:
            if not default_reported:  # one line, not one per bare ID
                problems.append(
                    f"{source.origin}: '{_shown(text)}': unknown provider "
                    f"'{_shown(default_provider)}' (the provider for bare campaign IDs)"
                    + _did_you_mean(default_provider, known_providers)
                )
                unknown.add(default_provider)
                default_reported = True
            continue
        target, reason = _parse_one(text, default_provider, vendor, check_id)
        if reason is not None:
            after = texts[index + 1] if index + 1 < len(texts) else None
            spaced = bare or text.endswith(":")
            joined = _joined(text, after, default_provider, vendor, check_id) if spaced else None
            if joined is not None:
                reason = f"a provider without a campaign ID; did you mean {_shown(joined)}?"
            elif target is not None and vendor(target.provider) is None:
                unknown.add(target.provider)
                reason += _did_you_mean(target.provider, known_providers)
            problems.append(f"{source.origin}: '{_shown(text)}': {reason}")
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


# -- suggestions ------------------------------------------------------------------------------
def _did_you_mean(name: str, known: Sequence[str]) -> str:
    """The suffix "; did you mean 'woodpecker'?" for a misspelt provider, or nothing."""
    close = difflib.get_close_matches(name.lower(), list(known), n=1)
    return f"; did you mean '{_shown(close[0])}'?" if close else ""


def _joined(
    text: str,
    after: str | None,
    default_provider: str | None,
    vendor_of: VendorOf,
    check_id: CheckId,
) -> str | None:
    """`PROVIDER:ID` when a space stood for the colon, or followed it: `woodpecker 12345` as
    one line or quoted argument, or `woodpecker 12345` and `woodpecker: 12345` as two
    arguments of which the second is not a valid target."""
    provider, _, campaign_id = text.removesuffix(":").partition(" ")
    campaign_id = campaign_id.strip()
    if not campaign_id:
        if after is None or ":" in after or not after:
            return None
        if _parse_one(after, default_provider, vendor_of, check_id)[1] is None:
            return None  # the next argument stands on its own
        campaign_id = after
    vendor = vendor_of(provider)
    if vendor is None or check_id(vendor, campaign_id) is not None:
        return None
    return f"{provider}:{campaign_id}"


def _pasted_url(
    text: str,
    known: Sequence[str],
    vendor_of: VendorOf,
    check_id: CheckId,
    vendor_of_host: VendorOfHost,
) -> tuple[str, str]:
    """(the URL as it may be shown, the reason with the target it names when it can be read).

    Shown without user info, query or fragment: a pasted API URL may carry a key."""
    reason = "a URL, not a target; write PROVIDER:CAMPAIGN_ID"
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:  # an unbalanced bracket in the host
        return text.split("//", 1)[0] + "//…", reason
    shown = f"{parts.scheme}://{host}{parts.path}"
    vendor = vendor_of_host(host) if host else None
    providers = [name for name in known if vendor is not None and vendor_of(name) == vendor]
    if vendor is None or not providers:
        return shown, reason
    words = [unquote(word) for word in f"{parts.path}/{parts.fragment}".split("/") if word]
    ids = [now for before, now in itertools.pairwise(words) if "campaign" in before.lower()]
    ids += [value for key, value in parse_qsl(parts.query) if key.lower() in _ID_KEYS]
    valid = [campaign_id for campaign_id in ids if check_id(vendor, campaign_id) is None]
    if not valid:
        return shown, f"{reason} (no {vendor} campaign ID could be read from it)"
    options = " or ".join(f"{name}:{valid[0]}" for name in providers[:3])
    return shown, f"a URL, not a target; did you mean {_shown(options)}?"


_ID_KEYS = frozenset({"id", "campaign", "campaign_id", "campaignid"})


def registry_vendor_of_host(host: str) -> str | None:
    """The vendor whose default base URL shares `host`'s domain (api.woodpecker.co and
    app.woodpecker.co are both woodpecker.co); imported only when a URL was pasted."""
    from campctl.providers import VENDOR_NAMES, adapter_class

    for vendor in VENDOR_NAMES:
        base = adapter_class(vendor).meta.default_base_url
        domain = ".".join((urlsplit(base).hostname or "").split(".")[-2:]) if base else ""
        if domain and (host == domain or host.endswith(f".{domain}")):
            return vendor
    return None


def _message(problems: list[str], unknown: set[str], known: Sequence[str]) -> str:
    hint = f"known providers: {', '.join(known)}" if unknown and known else ""
    if len(problems) == 1:
        separator = " " if problems[0].endswith("?") else "; "
        return f"bad target at {problems[0]}" + (f"{separator}{hint}" if hint else "")
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
