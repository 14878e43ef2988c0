"""Typed documents of the read commands, shared by `--json` and the library (and the schemas
of future front-ends): what `campctl list` prints is `CampaignListing.model_dump(mode="json")`,
and `campctl runs [RUN_ID]` prints a `RunsDocument` / `RunDocument`, field for field."""

from __future__ import annotations

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
