"""`campctl mcp`: the tools through the SDK's own in-memory client, against the simulator.

Every tool, its annotations and output schema; the confirmation rules (no token, wrong,
reused, expired, other arguments, another tool); a confirmed call acting on exactly the
previewed targets; `--read-only`; the journal's `"via": "mcp"`; progress; shared limits;
and the key never in any result.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp_types import CallToolResult

from campctl.api import Context
from campctl.confirm import Confirmations
from campctl.documents import CampaignListing, ErrorDocument, RunDocument, RunsDocument
from campctl.mcp_server import ToolReport, build_server
from campctl.sandbox import SANDBOX_API_KEY, SANDBOX_KEY_ENV, Simulator, render_providers_toml

ACME_RUNNING = ["woodpecker:12345", "woodpecker:12347", "woodpecker:12350"]
READ_ONLY = {"list_campaigns", "campaign_status", "recent_runs", "run_details"}


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    with Simulator() as simulator:
        config = tmp_path / "sandbox.toml"
        config.write_text(render_providers_toml(simulator))
        monkeypatch.setenv(SANDBOX_KEY_ENV, SANDBOX_API_KEY)
        monkeypatch.setenv("CAMPCTL_CONFIG", str(config))
        yield simulator


def _server(clock: Clock | None = None, *, read_only: bool = False) -> Any:
    confirmations = Confirmations(clock) if clock is not None else None
    context = Context(via="mcp")
    return build_server(context, read_only=read_only, confirmations=confirmations)


async def _call(client: Client, tool: str, arguments: dict[str, Any], **kw: Any) -> Any:
    result: CallToolResult = await client.call_tool(tool, arguments, **kw)
    text = "".join(getattr(block, "text", "") for block in result.content)
    assert SANDBOX_API_KEY not in text
    assert SANDBOX_API_KEY not in json.dumps(result.structured_content)
    if result.structured_content is not None:  # the text is the same document
        assert json.loads(text) == result.structured_content
    return result


def _run(coro_fn: Any, *args: Any) -> Any:
    return asyncio.run(coro_fn(*args))


def test_the_tools_and_their_annotations(sim: Simulator) -> None:
    async def go() -> dict[str, Any]:
        async with Client(_server()) as client:
            return {t.name: t for t in (await client.list_tools()).tools}

    tools = _run(go)
    assert set(tools) == READ_ONLY | {"pause_campaigns", "resume_campaigns"}
    for name in READ_ONLY:
        assert tools[name].annotations.read_only_hint is True
    pause, resume = tools["pause_campaigns"].annotations, tools["resume_campaigns"].annotations
    assert (pause.read_only_hint, pause.destructive_hint, pause.idempotent_hint) == (
        False, False, True,
    )  # fmt: skip
    assert (resume.read_only_hint, resume.destructive_hint, resume.idempotent_hint) == (
        False, True, True,
    )  # fmt: skip
    for tool in tools.values():
        assert tool.output_schema is not None
    assert "reason" in tools["pause_campaigns"].input_schema["required"]
    assert "reason" in tools["resume_campaigns"].input_schema["required"]
    assert tools["list_campaigns"].output_schema["properties"].keys() == {
        "campaigns", "errors", "exit_code",
    }  # fmt: skip


def test_read_only_serves_only_the_read_only_tools(sim: Simulator) -> None:
    async def go() -> set[str]:
        async with Client(_server(read_only=True)) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            refused = await client.call_tool(
                "pause_campaigns", {"targets": ["woodpecker:12345"], "reason": "x"}
            )
            assert refused.is_error
            return names

    assert _run(go) == READ_ONLY
    assert sim.campaign_status("woodpecker", "12345") == "RUNNING"


def test_read_tools_return_the_json_documents(sim: Simulator) -> None:
    async def go() -> list[Any]:
        async with Client(_server()) as client:
            return [
                await _call(client, "list_campaigns", {"status": "running", "sender": "acme.io"}),
                await _call(client, "campaign_status", {"targets": ["woodpecker:12346"]}),
                await _call(client, "recent_runs", {}),
                await _call(client, "list_campaigns", {"status": "runing"}),
                await _call(client, "run_details", {"run_id": "nosuch"}),
            ]

    listed, status, runs, typo, missing = _run(go)
    listing = CampaignListing.model_validate(listed.structured_content)
    assert [c.target for c in listing.campaigns if c.vendor == "woodpecker"] == ACME_RUNNING
    assert status.structured_content["results"][0]["status"] == "paused"
    assert status.structured_content["exit_code"] == 0
    assert RunsDocument.model_validate(runs.structured_content).runs == []
    for error in (typo, missing):
        assert error.is_error
        document = ErrorDocument.model_validate(error.structured_content)
        assert (document.error.kind, document.exit_code) == ("usage", 2)
    assert "did you mean 'running'" in typo.structured_content["error"]["message"]


def test_preview_confirm_and_undo_across_the_journal(sim: Simulator) -> None:
    pause_args = {"sender": "acme.io", "profiles": ["woodpecker"], "reason": "INC-7 acme.io"}

    async def go() -> tuple[Any, ...]:
        async with Client(_server()) as client:
            preview = await _call(client, "pause_campaigns", pause_args)
            sent_after_preview = [r.method for r in sim.requests if r.method == "POST"]
            confirmed = await _call(
                client,
                "pause_campaigns",
                {**pause_args, "confirm": preview.structured_content["confirm"]},
            )
            details = await _call(client, "run_details", {"run_id": "last"})
            undo_preview = await _call(
                client, "resume_campaigns", {"undo": "last", "reason": "fixed"}
            )
            token = undo_preview.structured_content["confirm"]
            undone = await _call(
                client, "resume_campaigns", {"undo": "last", "reason": "fixed", "confirm": token}
            )
            return preview, sent_after_preview, confirmed, details, undo_preview, undone

    preview, sent_after_preview, confirmed, details, undo_preview, undone = _run(go)
    document = ToolReport.model_validate(preview.structured_content)
    assert document.dry_run is True
    assert [r.target for r in document.results] == ACME_RUNNING
    assert document.confirm
    assert document.confirm_expires_at
    assert sent_after_preview == []  # a preview sends only reads
    report = confirmed.structured_content
    assert [(r["target"], r["outcome"]) for r in report["results"]] == [
        (t, "done") for t in ACME_RUNNING
    ]
    assert "confirm" not in report
    run = RunDocument.model_validate(details.structured_content).run
    assert (run.run_id, run.via, run.reason) == (report["run_id"], "mcp", "INC-7 acme.io")
    assert undo_preview.structured_content["dry_run"] is True
    assert [r["outcome"] for r in undone.structured_content["results"]] == ["done"] * 3
    assert all(
        sim.campaign_status("woodpecker", t.split(":")[1]) == "RUNNING" for t in ACME_RUNNING
    )
    assert sim.campaign_status("woodpecker", "12346") == "PAUSED"  # never paused by the run


def test_a_confirmed_selector_is_not_evaluated_again(sim: Simulator) -> None:
    """Between preview and confirmation another acme.io campaign starts running; the
    confirmed call pauses exactly the previewed three."""
    args = {"sender": "acme.io", "profiles": ["woodpecker"], "reason": "INC-8"}

    async def go() -> Any:
        async with Client(_server()) as client:
            preview = await _call(client, "pause_campaigns", args)
            started = await _call(
                client, "resume_campaigns", {"targets": ["woodpecker:12346"], "reason": "ops"}
            )
            started = await _call(
                client, "resume_campaigns",
                {"targets": ["woodpecker:12346"], "reason": "ops",
                 "confirm": started.structured_content["confirm"]},
            )  # fmt: skip
            assert started.structured_content["results"][0]["outcome"] == "done"
            return await _call(
                client,
                "pause_campaigns",
                {**args, "confirm": preview.structured_content["confirm"]},
            )

    confirmed = _run(go)
    assert [r["target"] for r in confirmed.structured_content["results"]] == ACME_RUNNING
    assert sim.campaign_status("woodpecker", "12346") == "RUNNING"


@pytest.mark.parametrize(
    ("mistake", "message"),
    [
        ("wrong", "unknown confirm token"),
        ("reused", "already used"),
        ("expired", "expired"),
        ("other-arguments", "arguments differ"),
        ("other-tool", "belongs to pause_campaigns"),
    ],
)
def test_a_bad_confirmation_sends_nothing(sim: Simulator, mistake: str, message: str) -> None:
    clock = Clock()
    args = {"targets": ["woodpecker:12345"], "reason": "INC-9"}

    async def go() -> Any:
        async with Client(_server(clock)) as client:
            preview = await _call(client, "pause_campaigns", args)
            token = preview.structured_content["confirm"]
            tool, arguments = "pause_campaigns", {**args, "confirm": token}
            if mistake == "wrong":
                arguments["confirm"] = token[:-2] + "xx"
            elif mistake == "reused":
                first = await _call(client, tool, arguments)
                assert first.structured_content["results"][0]["outcome"] == "done"
                await _call(client, "pause_campaigns", {**args, "confirm": None})
            elif mistake == "expired":
                clock.now += 301
            elif mistake == "other-arguments":
                arguments["targets"] = ["woodpecker:12347"]
            else:
                tool = "resume_campaigns"
            posts_before = len([r for r in sim.requests if r.method == "POST"])
            refused = await _call(client, tool, arguments)
            posts_after = len([r for r in sim.requests if r.method == "POST"])
            return refused, posts_after - posts_before

    refused, posted = _run(go)
    assert refused.is_error
    assert message in refused.structured_content["error"]["message"]
    assert refused.structured_content["exit_code"] == 2
    assert posted == 0


def test_reason_is_required(sim: Simulator) -> None:
    async def go() -> Any:
        async with Client(_server()) as client:
            return await client.call_tool("pause_campaigns", {"targets": ["woodpecker:12345"]})

    assert _run(go).is_error
    assert sim.campaign_status("woodpecker", "12345") == "RUNNING"


def test_progress_is_reported_while_a_confirmed_run_acts(sim: Simulator) -> None:
    seen: list[tuple[float, str | None]] = []

    async def progress(value: float, total: float | None, message: str | None) -> None:
        seen.append((value, message))

    async def go() -> Any:
        async with Client(_server()) as client:
            args = {"targets": ACME_RUNNING, "reason": "INC-10"}
            preview = await _call(client, "pause_campaigns", args)
            token = preview.structured_content["confirm"]
            return await _call(
                client, "pause_campaigns", {**args, "confirm": token}, progress_callback=progress
            )

    _run(go)
    assert [value for value, _ in seen] == [1, 2, 3]
    assert {message for _, message in seen} == {f"{t}: done" for t in ACME_RUNNING}


def test_concurrent_tool_calls_share_the_vendor_limits(sim: Simulator) -> None:
    """Woodpecker takes one request at a time per key: two confirmed pauses at once still
    never have two requests in flight."""
    many = [f"woodpecker:{n}" for n in (12345, 12347, 12348, 12349, 12350, 12352)]
    halves = [many[:3], many[3:]]

    async def go() -> list[Any]:
        async with Client(_server()) as client:
            previews = [
                await _call(client, "pause_campaigns", {"targets": half, "reason": "INC-11"})
                for half in halves
            ]
            return list(await asyncio.gather(*(
                _call(client, "pause_campaigns", {"targets": half, "reason": "INC-11",
                                                  "confirm": p.structured_content["confirm"]})
                for half, p in zip(halves, previews, strict=True)
            )))  # fmt: skip

    results = _run(go)
    assert all(r.structured_content["summary"]["done"] == 3 for r in results)
    assert sim.max_in_flight("woodpecker") == 1
