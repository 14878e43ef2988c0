"""Every `--json` document is its typed model (campctl.documents), field for field: the CLI,
the library and other front-ends' schemas cannot drift apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from campctl.documents import (
    DryRunRequest,
    ErrorDocument,
    ProvidersDocument,
    VendorsDocument,
)
from tests.helpers import cli


def _round_trip(model: type[BaseModel], document: dict[str, object]) -> None:
    """The document validates against the model, which dumps it back unchanged (no field
    missing, none added, every type the model's)."""
    parsed = model.model_validate(document, strict=True)
    assert parsed.model_dump(mode="json") == document


def test_vendors_json_is_a_vendors_document() -> None:
    result = cli(["vendors", "--json"], env={"CAMPCTL_NO_PLUGINS": "1"})

    assert result.exit_code == 0
    document = json.loads(result.stdout)
    _round_trip(VendorsDocument, document)
    assert [row["name"] for row in document["vendors"]][:5] == [
        "leadlex", "leadterra", "voicegenie", "alta", "woodpecker",
    ]  # fmt: skip


def test_providers_json_is_a_providers_document(tmp_path: Path) -> None:
    config = tmp_path / "providers.toml"
    config.write_text(
        '[providers.wp]\nvendor = "woodpecker"\napi_key_env = "WP_KEY"\n\n'
        '[providers.broken]\nvendor = "nosuch"\n'
    )
    config.chmod(0o600)

    result = cli(["providers", "--json", "--config", str(config)], env={"WP_KEY": "k-123456789"})

    assert result.exit_code == 3  # the broken profile is an error, the others still listed
    document = json.loads(result.stdout)
    _round_trip(ProvidersDocument, document)
    rows = {row["name"]: row for row in document["providers"]}
    assert rows["wp"]["key_available"] is True
    assert rows["broken"]["error"]


@pytest.mark.parametrize(
    ("args", "kind", "code"),
    [
        (["pause", "--json", "nosuch:1"], "usage", 2),
        (["pause", "--json", "--dryrun", "woodpecker:1"], "usage", 2),
    ],
)
def test_a_stopping_error_is_an_error_document(args: list[str], kind: str, code: int) -> None:
    result = cli(args)

    assert result.exit_code == code
    document = json.loads(result.stdout)
    _round_trip(ErrorDocument, document)
    assert document["error"]["kind"] == kind


def test_a_dry_run_request_is_a_dry_run_request() -> None:
    result = cli(
        ["pause", "--sandbox", "--dry-run", "--json", "alta:7c9e6679-7425-40de-944b-e07fc1f90ae7"]
    )

    assert result.exit_code == 0
    request = json.loads(result.stdout)["results"][0]["details"]["request"]
    _round_trip(DryRunRequest, request)
    assert request["method"] == "POST"
    assert request["headers"]["authorization"] == "Bearer ***"
