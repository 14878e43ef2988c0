"""Notification pieces on their own: the Slack text, the undo command, the whole-value
redaction of URLs, and delivery (respx) with retries, redirects and httpx's own log."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest
import respx
from pydantic import SecretStr

from campctl.config import KeySource, NotifySection
from campctl.credentials import SecretSite
from campctl.diagnostics import Diagnostics
from campctl.notify import Occasion, configured, notify_run
from campctl.notify.message import slack_text, undo_command
from campctl.notify.targets import NotifyTarget
from campctl.redact import Redactor
from campctl.results import ErrorInfo, ErrorKind, Outcome, Report, Result, Summary

HOOK = "https://hooks.example.com/services/T000/B000/SENTINELsecret"


def result(target: str, outcome: Outcome, kind: ErrorKind | None = None) -> Result:
    provider, campaign_id = target.split(":")
    error = None
    if kind is not None:
        error = ErrorInfo.model_construct(
            kind=kind, http_status=None, vendor_code=None, message="x", retryable=False
        )
    return Result.model_construct(
        target=target, provider=provider, vendor=provider, campaign_id=campaign_id,
        outcome=outcome, status=None, at=None, message="x", http_status=None, attempts=1,
        duration_ms=1, details={}, error=error,
    )  # fmt: skip


def report(results: list[Result], action: str = "pause", sandbox: bool = False) -> Report:
    return Report.model_construct(
        action=action, dry_run=False, sandbox=sandbox, run_id="20260417T143000Z-3f9a1c",
        results=results, summary=Summary.of(results), exit_code=5,
    )  # fmt: skip


def target(name: str = "slack", url: str = HOOK) -> NotifyTarget:
    source = KeySource("env", env="HOOK", field="url")
    return NotifyTarget(
        name.split("#", maxsplit=1)[0],
        name,
        source,
        frozenset({"pause"}),
        SecretSite(None),
        SecretStr(url),
    )


def test_the_slack_text_names_ten_failed_targets_then_counts_the_rest() -> None:
    failed = [result(f"woodpecker:{n}", Outcome.FAILED, ErrorKind.TIMEOUT) for n in range(12)]
    done = [result("alta:<!channel>", Outcome.DONE)]
    about = Occasion("ops", "bastion", "INC-1", "mcp", "campctl resume --undo R")
    text = slack_text(report(done + failed), about)
    assert text.splitlines()[0] == "*campctl pause by ops@bastion via MCP*"
    assert "Failed (12): woodpecker:0 (timeout), " in text
    assert "woodpecker:9 (timeout) and 2 more" in text
    assert "woodpecker:10" not in text
    assert "SANDBOX" not in text
    assert "Undo: `campctl resume --undo R`" in text
    sandboxed = slack_text(report(done, sandbox=True), about._replace(via="cli"))
    assert sandboxed.startswith("*SANDBOX rehearsal: campctl pause by ops@bastion*")


def test_the_undo_command_is_the_opposite_action_with_the_runs_own_flags() -> None:
    done = [result("woodpecker:1", Outcome.DONE)]
    assert undo_command(report(done), ()) == "campctl resume --undo 20260417T143000Z-3f9a1c"
    assert undo_command(report(done, action="resume"), ("--config", "/etc/my ops.toml")) == (
        "campctl pause --undo 20260417T143000Z-3f9a1c --config '/etc/my ops.toml'"
    )
    assert undo_command(report([result("woodpecker:1", Outcome.NOOP)]), ()) is None


def test_a_url_is_masked_whole_never_by_its_pieces() -> None:
    redactor = Redactor()
    redactor.add_whole(HOOK)
    assert redactor(f"failed: {HOOK.upper()}!") == "failed: ***!"
    assert redactor("see https://hooks.example.com/services/") == (
        "see https://hooks.example.com/services/"
    )


def test_resolving_a_url_teaches_the_redactor(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOOK", HOOK)
    redactor = Redactor()
    section = NotifySection(tmp_path / "p.toml", ({"kind": "slack", "url_env": "HOOK"},))
    (resolved,), problems = configured(section, "pause", redactor)
    assert problems == []
    assert resolved.url is not None
    assert resolved.url.get_secret_value() == HOOK
    assert redactor(HOOK) == "***"
    assert configured(section, "pause", Redactor(), resolve=False) == ((), [])


def deliver(*targets: NotifyTarget, retries: int = 0, timeout: float = 5) -> list[object]:
    diagnostics = Diagnostics(Redactor())
    done = report([result("woodpecker:1", Outcome.DONE)])
    return list(
        asyncio.run(
            notify_run(
                targets,
                done,
                Occasion("u", "h"),
                timeout=timeout,
                retries=retries,
                diagnostics=diagnostics,
            )
        )
    )


@respx.mock
def test_a_temporary_failure_is_retried_like_a_vendor_request() -> None:
    route = respx.post(HOOK).mock(side_effect=[httpx.Response(503), httpx.Response(200)])
    assert deliver(target(), retries=1) == []
    assert route.call_count == 2
    assert route.calls.last.request.headers["content-type"] == "application/json"


@respx.mock
def test_a_client_error_is_not_retried_and_a_redirect_not_followed() -> None:
    bad = respx.post(HOOK).respond(400)
    moved = respx.post(HOOK + "2").respond(301, headers={"location": "https://x.example"})
    errors = deliver(target(), target("webhook", HOOK + "2"), retries=3)
    assert [(e.target, e.kind) for e in errors] == [  # type: ignore[attr-defined]
        ("slack", "invalid_request"),
        ("webhook", "bad_response"),
    ]
    assert (bad.call_count, moved.call_count) == (1, 1)


@respx.mock
def test_all_attempts_together_end_within_one_timeout() -> None:
    respx.post(HOOK).respond(429, headers={"retry-after": "30"})
    (error,) = deliver(target(), retries=3, timeout=0.5)
    assert error.kind == "timeout"  # type: ignore[attr-defined]
    assert "last answer: HTTP 429" in error.message  # type: ignore[attr-defined]


@respx.mock
def test_a_network_error_quoting_the_url_is_masked() -> None:
    respx.post(HOOK).mock(side_effect=httpx.ConnectError(f"cannot reach {HOOK}"))
    diagnostics = Diagnostics(Redactor())
    diagnostics.redactor.add_whole(HOOK)
    done = report([result("woodpecker:1", Outcome.DONE)])
    (error,) = asyncio.run(
        notify_run(
            [target()], done, Occasion("u", "h"), timeout=5, retries=0, diagnostics=diagnostics
        )
    )
    assert error.message == "network error: cannot reach ***"


@respx.mock
def test_httpx_never_logs_a_notification_url(caplog: pytest.LogCaptureFixture) -> None:
    from campctl.http import never_log

    never_log(HOOK)
    respx.post(HOOK).respond(200)
    with caplog.at_level(logging.INFO, logger="httpx"):
        assert deliver(target()) == []
    assert caplog.records
    assert "SENTINEL" not in caplog.text
