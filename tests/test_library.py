"""campctl as a Python library: the pinned public surface, a light import, the engine's
import boundary, events instead of printing, errors, cancellation, and the journal."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

import campctl
from campctl.events import Event, Notice, RunFinished, RunStarted, TargetDone
from campctl.sandbox import SANDBOX_API_KEY, Simulator, campaign_ids, render_providers_toml

PUBLIC = {
    "CampaignListing", "CampctlError", "ConfigError", "Context", "RunDocument", "RunReport",
    "RunsDocument", "UsageError",
    "__version__", "list_campaigns", "pause", "resume", "run", "run_sync", "runs", "status",
}  # fmt: skip


def python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_the_public_surface_is_pinned() -> None:
    assert set(campctl.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(campctl, name) is not None


def test_import_campctl_stays_light() -> None:
    loaded = python(
        "import sys, campctl; "
        "print(sorted(m for m in ('httpx', 'pydantic', 'rich', 'typer') if m in sys.modules))"
    )
    assert loaded == "[]"


def test_the_engine_never_imports_the_cli_or_its_renderers(tmp_path: Path) -> None:
    # httpx imports its own command-line client (click, rich) when click is installed, as
    # it is beside the MCP SDK; the console script stubs that out (campctl.main), and so
    # does this test, to see what campctl itself imports.
    code = (
        "import os, sys, campctl, campctl.main\n"
        "campctl.main._without_httpx_cli()\n"
        f"os.environ['XDG_STATE_HOME'] = {str(tmp_path)!r}\n"
        "ctx = campctl.Context(sandbox=True)\n"
        "report = campctl.run_sync(campctl.pause(['woodpecker:12345'], context=ctx))\n"
        "assert report.exit_code == 0, report\n"
        "print(sorted(m for m in ('typer', 'rich', 'click', 'campctl.cli', 'campctl.output') "
        "if m in sys.modules))"
    )
    assert python(code) == "[]"


def test_a_run_prints_nothing_and_reports_through_events(
    capfd: pytest.CaptureFixture[str],
) -> None:
    seen: list[Event] = []
    ctx = campctl.Context(sandbox=True, on_event=seen.append)
    report = campctl.run_sync(campctl.pause(["woodpecker:12345"], reason="INC-1", context=ctx))
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert report.exit_code == 0
    assert report.results[0].outcome.value == "done"
    kinds = [type(e) for e in seen]
    assert kinds.index(RunStarted) < kinds.index(TargetDone) < kinds.index(RunFinished)
    started = next(e for e in seen if isinstance(e, RunStarted))
    assert started.run_id == report.run_id
    assert any(isinstance(e, Notice) and e.message.startswith("run ") for e in seen)


def test_the_report_is_the_json_document() -> None:
    ctx = campctl.Context(sandbox=True)
    report = campctl.run_sync(campctl.pause(["woodpecker:12345"], context=ctx))
    assert report.model_dump(mode="json") == json.loads(report.document())
    assert list(report.model_dump(mode="json")) == [
        "action", "dry_run", "sandbox", "run_id", "results", "summary", "exit_code",
    ]  # fmt: skip


def test_it_works_inside_a_running_event_loop_and_undoes_from_the_journal() -> None:
    async def incident() -> tuple[campctl.RunReport, campctl.RunReport]:
        ctx = campctl.Context(sandbox=True)
        paused = await campctl.pause(["woodpecker:12345"], reason="INC-2", context=ctx)
        restored = await campctl.resume(undo=paused.run_id, reason="fixed", context=ctx)
        return paused, restored

    paused, restored = asyncio.run(incident())
    assert [r.status for r in restored.results] == ["running"]
    ctx = campctl.Context(sandbox=True)
    runs = campctl.runs(context=ctx).runs
    assert [r.via for r in runs] == ["library", "library"]
    assert runs[1].undone_by == [restored.run_id]
    one = campctl.run(str(paused.run_id), context=ctx)
    assert one.results[0].prior_status == "running"
    assert set(one.model_dump(mode="json")) == {"run", "results", "skipped_lines", "exit_code"}


def test_usage_and_configuration_problems_raise_with_their_exit_codes(tmp_path: Path) -> None:
    with pytest.raises(campctl.UsageError) as usage:
        campctl.run_sync(campctl.pause(["nope:1"], context=campctl.Context(sandbox=True)))
    assert usage.value.exit_code == 2
    assert "unknown provider" in str(usage.value)
    with pytest.raises(campctl.ConfigError) as config:
        campctl.run_sync(campctl.pause(["woodpecker:1"], context=campctl.Context()))
    assert config.value.exit_code == 3
    assert isinstance(config.value, campctl.CampctlError)


def test_list_campaigns_is_the_list_document() -> None:
    listing = campctl.run_sync(
        campctl.list_campaigns(
            profiles=["woodpecker"], sender="acme.io", context=campctl.Context(sandbox=True)
        )
    )
    assert listing.exit_code == 0
    assert "woodpecker:12345" in [c.target for c in listing.campaigns]
    assert set(listing.model_dump(mode="json")) == {"campaigns", "errors", "exit_code"}


def test_a_cancelled_run_journals_its_targets_then_the_cancellation_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMPCTL_SANDBOX_KEY", SANDBOX_API_KEY)
    with Simulator(extra_campaigns=20, latency_ms=200) as sim:
        config = tmp_path / "sandbox.toml"
        config.write_text(render_providers_toml(sim))
        audit = tmp_path / "audit.jsonl"
        targets = [f"woodpecker:{i}" for i in campaign_ids("woodpecker", 20)]

        async def cancel_midway() -> None:
            ctx = campctl.Context(config=config, audit_log=audit)
            task = asyncio.create_task(campctl.pause(targets, context=ctx))
            await asyncio.sleep(1.5)
            task.cancel()
            await task

        with pytest.raises(asyncio.CancelledError):
            asyncio.run(cancel_midway())
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert (lines[0]["kind"], lines[0]["via"], lines[-1]["kind"]) == ("run", "library", "end")
    assert lines[-1]["exit_code"] == 130
    outcomes = [line["outcome"] for line in lines if line["kind"] == "target"]
    assert len(outcomes) == 20
    assert "done" in outcomes
    assert "skipped" in outcomes


def test_concurrent_calls_of_one_context_share_the_vendor_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Woodpecker takes one request at a time per key: two calls at once must not double it."""
    import httpx
    import respx

    monkeypatch.setenv("WOODPECKER_API_KEY", "wp-key-0123456789")
    seen = {"now": 0, "most": 0}

    async def slow(request: httpx.Request) -> httpx.Response:
        seen["now"] += 1
        seen["most"] = max(seen["most"], seen["now"])
        await asyncio.sleep(0.05)
        seen["now"] -= 1
        if request.method == "GET":
            return httpx.Response(200, json={"status": "RUNNING"})
        return httpx.Response(200)

    async def together(ctx: campctl.Context) -> list[campctl.RunReport]:
        calls = [campctl.pause([f"woodpecker:{i}"], context=ctx) for i in (1, 2, 3)]
        return list(await asyncio.gather(*calls))

    with respx.mock:
        respx.route(host="api.woodpecker.co").mock(side_effect=slow)
        shared = asyncio.run(together(campctl.Context(no_audit=True)))
        assert [r.exit_code for r in shared] == [0, 0, 0]
        assert seen["most"] == 1
        seen["most"] = 0

        async def apart() -> list[list[campctl.RunReport]]:
            contexts = [campctl.Context(no_audit=True) for _ in range(2)]
            return list(await asyncio.gather(*(together(ctx) for ctx in contexts)))

        assert len(asyncio.run(apart())) == 2
        assert seen["most"] == 2  # separate contexts: separate gates (the control)


def test_the_transport_never_imports_the_adapter_layer() -> None:
    """Layering runs one way: adapters use the transport's vocabulary, never the reverse."""
    loaded = python(
        "import sys; import campctl.http, campctl.retry, campctl.limits; "
        "print(sorted(m for m in sys.modules if m.startswith('campctl.providers')))"
    )
    assert loaded == "[]"
