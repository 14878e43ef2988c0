"""`[[notify]]` tables → notification targets, their URLs resolved like API keys.

A URL is a secret as a whole: it comes from `url_env`, `url_command` or an inline `url`
(only in a file nobody else can read), is checked like a `base_url` (https, or http to
loopback only), and is handed to the redactor and the HTTP log filter before anything is
sent. Messages name the target (`[[notify]] #2 (slack)`) and the source, never the URL.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, NamedTuple
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from campctl.config import ENV_NAME, KeySource, NotifySection, insecure_http
from campctl.credentials import SecretSite, check_private_file, resolve_secret
from campctl.errors import ConfigError
from campctl.redact import Redactor

KINDS = ("slack", "webhook")
ACTIONS = ("pause", "resume")
SOURCES = ("url_env", "url_command", "url")


class NotifyTarget(NamedTuple):
    kind: str  # slack | webhook
    name: str  # the kind, or `kind#N` when that kind is configured more than once
    source: KeySource
    actions: frozenset[str]
    site: SecretSite
    url: SecretStr | None = None  # set once resolved


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    url_env: str | None = Field(default=None, pattern=ENV_NAME)
    url_command: list[Annotated[str, Field(min_length=1)]] | None = Field(
        default=None, min_length=1
    )
    url: SecretStr | None = None
    actions: list[str] = Field(default=list(ACTIONS), min_length=1)


_ALLOWED = ", ".join(_Table.model_fields)
# campctl's words, never pydantic's: its messages can quote the value, i.e. the URL.
_RULES = {
    "kind": "kind must be one of slack, webhook",
    "url_env": "url_env must name an environment variable (letters, digits, '_'), e.g. "
    '"CAMPCTL_SLACK_WEBHOOK"; did you paste the URL itself?',
    "url_command": "url_command must be a list of non-empty strings, the program and its "
    'arguments, e.g. ["op", "read", "op://ops/slack/webhook"]',
    "url": "url must be a string: the webhook URL itself (or use url_env)",
    "actions": 'actions must be a non-empty list of "pause" and "resume"',
}


class Broken(NamedTuple):
    """A [[notify]] table that cannot be used, and why (a run reports it and goes on)."""

    name: str  # the target's name (`slack`, `slack#2`), or `notify#N` when its kind is bad
    problem: str


def configured(
    section: NotifySection, action: str | None, redactor: Redactor, *, resolve: bool = True
) -> tuple[tuple[NotifyTarget, ...], list[Broken]]:
    """The targets for `action` (None: every one) with their URLs, known to `redactor` from
    then on, and every target that cannot be used, in one pass. Without `resolve` (a dry
    run) the tables are only checked: no command runs, and no target is returned."""
    tables = section.tables
    kinds = Counter(t.get("kind") for t in tables if isinstance(t, dict))
    seen: Counter[str] = Counter()
    targets: list[NotifyTarget] = []
    broken: list[Broken] = []
    for number, table in enumerate(tables, 1):
        kind = table.get("kind") if isinstance(table, dict) else None
        label = f"[[notify]] #{number}" + (f" ({kind})" if kind in KINDS else "")
        name = f"notify#{number}"
        if isinstance(kind, str) and kind in KINDS:
            seen[kind] += 1
            name = kind if kinds[kind] == 1 else f"{kind}#{seen[kind]}"
        site = SecretSite(
            section.path, section=label, noun="URL",
            unset_fix="or pass --no-notify to run without notifications",
            pasted_fix='Use url_env = "CAMPCTL_SLACK_WEBHOOK" and export that',
        )  # fmt: skip
        try:
            target = _target(table, site, name)
            if resolve and (action is None or action in target.actions):
                targets.append(_resolved(target, redactor))
        except ConfigError as exc:
            broken.append(Broken(name, str(exc)))
    return tuple(targets), broken


def _target(table: Any, site: SecretSite, name: str) -> NotifyTarget:
    if not isinstance(table, dict):
        raise site.error("notify", "must be a table: [[notify]]")
    try:
        parsed = _Table.model_validate(table)
    except ValidationError as exc:
        raise _error(exc, site) from None
    if parsed.kind not in KINDS:
        raise site.error("kind", _RULES["kind"])
    unknown = [a for a in parsed.actions if a not in ACTIONS]
    if unknown:
        raise site.error("actions", _RULES["actions"])
    given = [k for k in SOURCES if getattr(parsed, k) is not None]
    if not given:
        raise site.error("url_env", f"set one of {', '.join(SOURCES)}")
    if len(given) > 1:
        raise site.error(given[1], f"set only one of {', '.join(given)}")
    if parsed.url_command is not None:
        source = KeySource("command", command=tuple(parsed.url_command), field="url")
    elif parsed.url is not None:
        source = KeySource("inline", inline=parsed.url, field="url")
        check_private_file(source, site)
        _check_url(parsed.url.get_secret_value().strip(), source, site)
    else:
        source = KeySource("env", env=parsed.url_env, field="url")
    return NotifyTarget(parsed.kind, name, source, frozenset(parsed.actions), site)


def _resolved(target: NotifyTarget, redactor: Redactor) -> NotifyTarget:
    from campctl.http import never_log

    url = resolve_secret(target.source, target.site)
    _check_url(url, target.source, target.site)
    redactor.add_whole(url)
    never_log(url)
    return target._replace(url=SecretStr(url))


def _check_url(url: str, source: KeySource, site: SecretSite) -> None:
    """The base_url rule: https, or http only to loopback. Nothing of the URL is shown."""
    import httpx

    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("https", "http") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number 0-65535
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL):
        valid = False
    if not valid:
        problem = "is not an http(s) URL; use https://HOST/PATH"
    elif insecure_http(url):
        problem = "must use https:// (http:// is allowed only for 127.0.0.1, ::1, localhost)"
    else:
        return
    raise site.error(source.key_name, f"the URL from {source.describe()} {problem}")


def _error(exc: ValidationError, site: SecretSite) -> ConfigError:
    first = exc.errors()[0]
    key = str(first["loc"][0]) if first["loc"] else "notify"
    if first["type"] == "extra_forbidden":
        return site.error(key, f"unknown key; allowed keys: {_ALLOWED}")
    if first["type"] == "missing":
        return site.error(key, "required key is missing")
    return site.error(key, _RULES.get(key, f"{key} has a value of the wrong type"))
