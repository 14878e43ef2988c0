"""The README runbook, run verbatim against --sandbox with the installed campctl, ends where
the README says: what was running runs again, and the Bounce Shield campaign stays paused."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import CAMPCTL, base_env

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[2] / "README.md"
ACME = {
    "woodpecker:12345", "woodpecker:12347", "woodpecker:12350",
    "instantly:019cc043-aee6-7ae9-a545-d7de53430e37",
    "instantly:019cc043-aee6-7ae9-a545-d7de53430e38",
    "instantly:019cc043-aee6-7ae9-a545-d7de53430e3a",
    "instantly:019cc043-aee6-7ae9-a545-d7de53430e41",
    "lemlist:cam_bSn8EORHQxbWPjHvu", "lemlist:cam_suajL2SXxmH7NdZ6F",
    "lemlist:cam_4HrZbi8xsez4QlrnL", "lemlist:cam_gen0000000095",
    "smartlead:2710262", "smartlead:2710263", "smartlead:2710265",
}  # fmt: skip
BOUNCE_SHIELD = "woodpecker:12351"


def runbook_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = re.search(
        r"<!-- runbook:start -->\n```bash\n(.*?)```\n<!-- runbook:end -->", text, re.S
    )
    assert block is not None, "README runbook markers not found"
    lines = [line.strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def campctl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CAMPCTL), *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)  # fmt: skip


def running(env: dict[str, str]) -> set[str]:
    listed = campctl(env, "list", "--sandbox", "--json", "--status", "running")
    assert listed.returncode == 0, listed.stderr
    return {c["target"] for c in json.loads(listed.stdout)["campaigns"]}


def test_the_readme_runbook_runs_verbatim_and_restores_exactly(isolation: Path) -> None:
    env = base_env(isolation)
    commands = runbook_commands()
    assert commands[0] == "campctl sandbox reset"
    assert any("--undo last" in command for command in commands)
    before: set[str] | None = None
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "campctl"
        result = campctl(env, *argv[1:])
        assert result.returncode == 0, f"{command}\n{result.stderr}"
        assert "Traceback" not in result.stderr
        if argv[1:3] == ["sandbox", "reset"]:
            before = running(env)
            assert before >= ACME
        if argv[1] == "pause":
            paused = {line.split()[0] for line in result.stdout.splitlines()}
            assert paused == ACME
            assert ACME.isdisjoint(running(env))
        if argv[1] == "resume":
            resumed = {line.split()[0] for line in result.stdout.splitlines()}
            assert resumed == ACME
    assert before is not None
    assert running(env) == before
    status = campctl(env, "status", "--sandbox", "--json", BOUNCE_SHIELD)
    assert json.loads(status.stdout)["results"][0]["status"] == "paused"
