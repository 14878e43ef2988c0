"""Typed documents of every `--json` output besides a run's report (campctl.results.Report),
shared by the renderers, the library and the schemas of other front-ends: what `campctl list`
prints is `CampaignListing.model_dump(mode="json")`, `campctl runs [RUN_ID]` a `RunsDocument`
/ `RunDocument`, `providers` a `ProvidersDocument`, `vendors` a `VendorsDocument`, `notify
test` a `NotifyTestDocument`, an error
that stops a command an `ErrorDocument`, and a dry run's `details.request` a `DryRunRequest`,
field for field."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Document(BaseModel):
    model_config = ConfigDict(defer_build=True)


class ListedCampaign(_Document):
    target: str
    provider: str
    vendor: str
    campaign_id: str
    name: str | None
    status: str | None
    senders: list[str]


class ListingError(_Document):
    provider: str | None
    kind: str
    http_status: int | None
    message: str


class CampaignListing(_Document):
    campaigns: list[ListedCampaign]
    errors: list[ListingError]
    exit_code: int


class RunCounts(_Document):
    total: int
    done: int
    noop: int
    failed: int
    skipped: int


class RunEntry(_Document):
    """One run as `campctl runs` lists it."""

    run_id: str
    time: str
    user: str | None
    host: str | None
    action: str
    reason: str | None
    via: str | None
    undo_of: str | None
    undone_by: list[str]
    sandbox: bool
    incomplete: bool
    summary: RunCounts


class RunTarget(_Document):
    """One target of a run, a flat projection of the journal (not the action document)."""

    target: str
    provider: str
    vendor: str
    campaign_id: str
    outcome: str
    status: str | None
    prior_status: str | None
    error_kind: str | None
    message: str | None
    verified: bool | None
    time: str | None


class RunsDocument(_Document):
    runs: list[RunEntry]
    skipped_lines: int
    exit_code: int


class RunDocument(_Document):
    run: RunEntry
    results: list[RunTarget]
    skipped_lines: int
    exit_code: int


class ProviderRow(_Document):
    """One profile as `campctl providers` checks it; `key_available` is None where the key
    comes from a command, which is never run just to list."""

    name: str
    vendor: str | None = None
    base_url: str | None = None
    key_source: str | None = None
    key_available: bool | None = None
    origin: str | None = None
    note: str | None = None
    error: str | None = None


class ProvidersDocument(_Document):
    config: str | None
    default_provider: str | None
    providers: list[ProviderRow]
    exit_code: int


class PluginOrigin(_Document):
    package: str
    version: str


class VendorRow(_Document):
    """One registered vendor: what `campctl vendors` shows."""

    name: str
    title: str
    default_base_url: str | None
    base_url_required: str | None
    auth: str
    campaign_id: str
    campaign_id_pattern: str
    rate_limit: str
    max_in_flight: int | None
    per_minute: int | None
    status: bool
    list: bool
    senders: bool
    docs_url: str
    plugin: PluginOrigin | None


class VendorsDocument(_Document):
    vendors: list[VendorRow]
    exit_code: int


class NotifyTestRow(_Document):
    """One [[notify]] target as `campctl notify test` reached it (or not)."""

    target: str  # the kind, or kind#N
    kind: str  # slack | webhook
    delivered: bool
    error: dict[str, str] | None  # {"kind", "message"} when not delivered


class NotifyTestDocument(_Document):
    targets: list[NotifyTestRow]
    exit_code: int


class ErrorBody(_Document):
    kind: str
    message: str


class ErrorDocument(_Document):
    """What `--json` prints when an error stops the whole command (usage, config, ...)."""

    error: ErrorBody
    exit_code: int


class DryRunRequest(_Document):
    """The exact request a dry run would send, the key shown as ***."""

    method: str
    url: str
    headers: dict[str, str]
    body: dict[str, Any] | None
