"""A unique fake key runs through every command path; it must never appear in any output."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from tests.helpers import IDS, cli, url

SENTINEL = f"sk-SENTINEL-{uuid.uuid4().hex}"
WP_PAUSE = url("woodpecker", "/v2/campaigns/12345/pause")
ALTA_PAUSE = url("alta", f"/campaigns/{IDS['alta']}/pause")


def echo_key(request: httpx.Request) -> httpx.Response:
    """A hostile vendor that repeats whatever credential it was sent."""
    key = request.headers.get("x-api-key") or request.headers.get("authorization", "")
    return httpx.Response(401, json={"title": "Unauthorized", "detail": f"Invalid api key {key}"})


def raise_with_key(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError(f"cannot connect using {request.headers.get('x-api-key')}")


MOCKS: dict[str, Callable[[respx.Router], Any]] = {
    "ok": lambda r: r.post(WP_PAUSE).respond(200),
    "echo_401": lambda r: r.post(WP_PAUSE).mock(side_effect=echo_key),
    "404": lambda r: r.post(WP_PAUSE).respond(404, json={"code": "CAMPAIGN_NOT_EXIST"}),
    "500_then_ok": lambda r: r.post(WP_PAUSE).mock(
        side_effect=[httpx.Response(500, text=f"<html>{SENTINEL}</html>"), httpx.Response(200)]
    ),
    "timeout": lambda r: r.post(WP_PAUSE).mock(side_effect=httpx.ReadTimeout(SENTINEL)),
    "connect": lambda r: r.post(WP_PAUSE).mock(side_effect=raise_with_key),
    "429_long": lambda r: r.post(WP_PAUSE).respond(429, headers={"Retry-After": "600"}),
    "redirect": lambda r: r.post(WP_PAUSE).respond(
        302, headers={"Location": f"https://x.example/?k={SENTINEL}"}
    ),
    "html_200_status": lambda r: r.get(url("woodpecker", "/v2/campaigns/12345")).respond(
        200, text=f"<p>{SENTINEL}</p>"
    ),
    "alta_echo": lambda r: r.post(ALTA_PAUSE).mock(side_effect=echo_key),
}

RUNS = [
    ("ok", ["pause", "woodpecker:12345"]),
    ("ok", ["pause", "--json", "woodpecker:12345"]),
    ("ok", ["pause", "-v", "woodpecker:12345"]),
    ("echo_401", ["pause", "woodpecker:12345"]),
    ("echo_401", ["pause", "--json", "-v", "woodpecker:12345"]),
    ("alta_echo", ["pause", "--json", "-v", f"alta:{IDS['alta']}"]),
    ("404", ["pause", "-v", "woodpecker:12345"]),
    ("500_then_ok", ["pause", "-v", "--json", "woodpecker:12345"]),
    ("timeout", ["pause", "-v", "--retries", "0", "woodpecker:12345"]),
    ("connect", ["pause", "-v", "--json", "--retries", "1", "woodpecker:12345"]),
    ("429_long", ["pause", "-v", "woodpecker:12345"]),
    ("redirect", ["pause", "-v", "--json", "woodpecker:12345"]),
    ("html_200_status", ["status", "-v", "--json", "woodpecker:12345"]),
    (None, ["pause", "--dry-run", "woodpecker:12345"]),
    (None, ["pause", "--dry-run", "--json", "-v", "woodpecker:12345", f"alta:{IDS['alta']}"]),
    (None, ["pause", "woodpecker:abc"]),
    (None, ["providers"]),
    (None, ["providers", "--json"]),
]


@pytest.fixture
def sentinel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WOODPECKER_API_KEY", SENTINEL)
    monkeypatch.setenv("ALTA_API_KEY", SENTINEL)


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "tty"])
@pytest.mark.parametrize(("mock", "args"), RUNS)
def test_key_never_in_output_or_audit(
    sentinel_env: None, tmp_path: Path, mock: str | None, args: list[str], terminal: bool
) -> None:
    audit = tmp_path / "audit.jsonl"
    env = {"TTY_COMPATIBLE": "1", "COLUMNS": "200"} if terminal else {}
    extra = ["--audit-log", str(audit)] if args[0] == "pause" and "--dry-run" not in args else []
    with respx.mock(assert_all_called=False) as router:
        if mock:
            MOCKS[mock](router)
        # Woodpecker and Alta targets are read before acting (after the mocks above: the
        # first matching route answers).
        router.get(url("woodpecker", "/v2/campaigns/12345")).respond(json={"status": "RUNNING"})
        router.get(url("alta", f"/campaigns/{IDS['alta']}")).respond(json={"status": "active"})
        result = cli([*args, *extra], env=env)
    everything = result.stdout + result.stderr + (audit.read_text() if audit.exists() else "")
    assert SENTINEL not in everything
    assert result.stdout + result.stderr  # something was said
    if mock == "echo_401":
        assert "Invalid api key" in everything  # the vendor's message survives, redacted


def test_key_never_in_config_errors(tmp_path: Path) -> None:
    shared = tmp_path / "shared.toml"
    shared.write_text(f'[providers.wp]\nvendor = "woodpecker"\napi_key = "{SENTINEL}"\n')
    os.chmod(shared, 0o644)
    command = tmp_path / "cmd.toml"
    script = f"import sys; print('{SENTINEL}', file=sys.stderr); sys.exit(1)"
    command.write_text(
        '[providers.wp]\nvendor = "woodpecker"\n'
        f'api_key_command = ["{sys.executable}", "-c", "{script}"]\n'
    )
    typo = tmp_path / "typo.toml"
    typo.write_text(f'[providers.wp]\nvendor = "woodpecker"\napi_kee = "{SENTINEL}"\n')
    os.chmod(typo, 0o600)
    for path in (shared, command, typo):
        for extra in ([], ["--json"], ["--dry-run"]):
            result = cli(["pause", "--config", str(path), *extra, "wp:12345"])
            assert result.exit_code == 3
            assert SENTINEL not in result.stdout + result.stderr
        listing = cli(["providers", "--config", str(path)])
        assert SENTINEL not in listing.stdout + listing.stderr
