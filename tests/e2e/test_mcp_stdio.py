"""The installed `campctl mcp --sandbox`, spawned over stdio by the MCP SDK's own client: the
incident of the closing note — list what sends from acme.io, preview the pause, confirm it,
see it in the journal, undo it — and the CLI sees the same journal."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from tests.e2e.conftest import CAMPCTL, base_env

pytestmark = pytest.mark.e2e


def test_an_incident_over_stdio(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    server = StdioServerParameters(command=str(CAMPCTL), args=["mcp", "--sandbox"], env=env)

    async def go() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        async with Client(server, read_timeout_seconds=60) as client:
            seen["tools"] = sorted(t.name for t in (await client.list_tools()).tools)

            async def call(tool: str, **arguments: Any) -> Any:
                result = await client.call_tool(tool, arguments)
                assert not result.is_error, result.content
                return result.structured_content

            seen["listed"] = await call("list_campaigns", status="running", sender="acme.io")
            args = {"sender": "acme.io", "reason": "INC-42 acme.io blocklisted"}
            seen["preview"] = await call("pause_campaigns", **args)
            token = seen["preview"]["confirm"]
            seen["paused"] = await call("pause_campaigns", **args, confirm=token)
            seen["runs"] = await call("recent_runs", limit=5)
            undo = {"undo": "last", "reason": "INC-42 delisted"}
            preview = await call("resume_campaigns", **undo)
            seen["undone"] = await call("resume_campaigns", **undo, confirm=preview["confirm"])
        return seen

    seen = asyncio.run(asyncio.wait_for(go(), 120))

    assert len(seen["tools"]) == 6
    listed = {c["target"] for c in seen["listed"]["campaigns"]}
    assert {"woodpecker:12345", "woodpecker:12347", "woodpecker:12350"} <= listed
    previewed = [r["target"] for r in seen["preview"]["results"]]
    assert seen["preview"]["dry_run"] is True
    assert [r["target"] for r in seen["paused"]["results"]] == previewed
    assert all(r["outcome"] == "done" for r in seen["paused"]["results"])
    newest = seen["runs"]["runs"][0]
    assert (newest["run_id"], newest["via"]) == (seen["paused"]["run_id"], "mcp")
    assert [r["target"] for r in seen["undone"]["results"]] == previewed
    assert all(r["outcome"] == "done" for r in seen["undone"]["results"])

    runs = subprocess.run(
        [str(CAMPCTL), "runs", "--sandbox", "--json"], env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    journal = json.loads(runs.stdout)["runs"]
    assert [(r["action"], r["via"]) for r in journal[:2]] == [("resume", "mcp"), ("pause", "mcp")]
    assert journal[1]["undone_by"] == [journal[0]["run_id"]]


def test_without_the_sdk_it_is_a_config_error(tmp_path: Path) -> None:
    """`campctl mcp` where the SDK cannot be imported: exit 3 naming the extra."""
    env = base_env(tmp_path)
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "mcp.py").write_text("raise ImportError('blocked', name='mcp')\n")
    env["PYTHONPATH"] = str(blocker)
    done = subprocess.run(
        [str(CAMPCTL), "mcp", "--sandbox"], env=env, capture_output=True, text=True,
        timeout=60, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 3
    assert "pip install 'campctl[mcp]'" in done.stderr
    assert done.stdout == ""
