"""Typed documents of the read commands, shared by `--json` and the library: what
`campctl list` prints is `CampaignListing.model_dump(mode="json")`, field for field."""

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
