"""Test isolation: config and state in temp dirs, no vendor keys leaking in, no colours."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Installed vendor plugins (examples/campctl-acme in CI) never change what a test sees, not
# even in session fixtures set up before `isolation`; the plugin tests turn them back on.
os.environ["CAMPCTL_NO_PLUGINS"] = "1"


@pytest.fixture(autouse=True)
def isolation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".state"))
    monkeypatch.setenv("NO_COLOR", "1")
    for name in list(os.environ):
        if name.endswith(("_API_KEY", "_BASE_URL")) or name in (
            "CAMPCTL_CONFIG",
            "FORCE_COLOR",
            "TTY_COMPATIBLE",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ):
            monkeypatch.delenv(name, raising=False)
    return home
