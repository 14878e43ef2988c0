"""End-to-end fixtures: the installed console script and a simulator on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from campctl.sandbox import SANDBOX_API_KEY, Simulator, render_providers_toml

CAMPCTL = Path(sys.executable).parent / "campctl"


@dataclass
class Rig:
    sim: Simulator
    config: Path
    env: dict[str, str]

    def run(
        self, *args: str, timeout: float = 60, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CAMPCTL), *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=timeout,
            input=stdin,
            check=False,
        )

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(CAMPCTL), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
        )


def base_env(home: Path) -> dict[str, str]:
    assert CAMPCTL.exists(), f"campctl console script not installed beside {sys.executable}"
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".state"),
        NO_COLOR="1",
    )
    env.pop("CAMPCTL_CONFIG", None)
    return env


@pytest.fixture
def rig(tmp_path: Path, isolation: Path) -> Iterator[Rig]:
    with Simulator(extra_campaigns=60) as sim:
        config = tmp_path / "sandbox.toml"
        config.write_text(render_providers_toml(sim))
        env = base_env(isolation)
        env["CAMPCTL_CONFIG"] = str(config)
        env["CAMPCTL_SANDBOX_KEY"] = SANDBOX_API_KEY
        yield Rig(sim, config, env)
