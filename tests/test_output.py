"""Output: tables that fit any width, sanitised vendor text, grouped wait notices, honest
progress, the stderr summary, and stdout that cannot be written."""

from __future__ import annotations

import asyncio
import errno
import io
import json
import re
from typing import Any

import pytest
from rich.console import Console

from campctl.diagnostics import FLUSH_CAP, FLUSH_QUIET, Diagnostics
from campctl.output import Progress, StdoutError, render, write_stdout
from campctl.redact import Redactor
from campctl.results import ErrorKind, Outcome, Report, Result, Summary, Verdict, exit_code_for
from campctl.sanitize import printable

ALTA = "alta:7c9e6679-7425-40de-944b-e07fc1f90ae7"
VG = "voicegenie:550e8400-e29b-41d4-a716-446655440000"
LONG_DETAIL = (
    "the campaign's state does not allow this action because the vendor reports that it "
    "is already scheduled for deletion"
)
HOSTILE = "paused\x1b]0;owned\x07\x1b[2J\u202eevil"


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def result(target: str, verdict: Verdict) -> Result:
    provider, campaign_id = target.split(":", 1)
    return Result.model_construct(
        target=target,
        provider=provider,
        vendor=provider,
        campaign_id=campaign_id,
        outcome=verdict.outcome,
        status=verdict.status,
        at="2026-01-01T00:00:00Z",
        message=verdict.message,
        http_status=verdict.http_status,
        attempts=1,
        duration_ms=5,
        details=verdict.details,
        error=verdict.error,
    )


def report(results: list[Result], **kwargs: Any) -> Report:
    return Report.model_construct(
        action="pause",
        dry_run=False,
        sandbox=False,
        run_id=None,
        results=results,
        summary=Summary.of(results),
        exit_code=int(exit_code_for(results)),
        **kwargs,
    )


def sample() -> Report:
    return report(
        [
            result("woodpecker:12345", Verdict(Outcome.DONE, "campaign paused", status="paused")),
            result(ALTA, Verdict.failure(ErrorKind.CONFLICT, LONG_DETAIL, http_status=409)),
            result(VG, Verdict(Outcome.NOOP, "campaign is not running: nothing to pause")),
            result(
                "leadlex:cmp_abc123",
                Verdict(Outcome.SKIPPED, "interrupted before sending"),
            ),
        ]
    )


def draw(rep: Report, width: int, *, quiet: bool = False) -> str:
    out = io.StringIO()
    console = Console(
        file=out, width=width, force_terminal=True, color_system=None, markup=False, emoji=False
    )
    from campctl.output import _table

    _table(rep, console, quiet)
    return out.getvalue()


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_targets_and_outcomes_are_never_cut_and_detail_wraps_on_words(width: int) -> None:
    text = draw(sample(), width)
    lines = text.splitlines()
    assert "…" not in text
    for target in ("woodpecker:12345", ALTA, VG, "leadlex:cmp_abc123"):
        assert any(target in line for line in lines), (target, text)
    for outcome in ("done", "failed", "noop", "skipped"):
        assert re.search(rf"\b{outcome}\b", text), (outcome, text)
    # Every word of the detail survives whole: wrapped at spaces, never mid-word.
    words = re.findall(r"[\w'-]+", text)
    for word in LONG_DETAIL.split():
        assert word.strip("'") in " ".join(words), (word, text)
    # Only a target longer than the pane may exceed it (the terminal wraps it, uncut).
    for line in lines:
        assert len(line) <= width or any(t in line for t in (ALTA, VG)), (line, width)
    summary = "4 target(s): 1 done, 1 noop, 1 failed, 1 skipped (exit 1)"
    assert summary in text.replace("1\nskipped", "1 skipped")  # wrapped on a space at 40


@pytest.mark.parametrize(("width", "stacked"), [(40, True), (60, True), (80, True), (120, False)])
def test_table_when_it_fits_blocks_when_it_does_not(width: int, stacked: bool) -> None:
    text = draw(sample(), width)
    assert ("┃" not in text) is stacked, text
    if stacked:
        lines = text.splitlines()
        index = lines.index(ALTA)
        assert lines[index + 1] == "  failed"
        assert lines[index + 2].startswith("  conflict: the campaign's state")


def test_short_targets_fit_a_table_at_64_columns() -> None:
    rep = report(
        [
            result("woodpecker:12345", Verdict(Outcome.DONE, "campaign paused", status="paused")),
            result("woodpecker:7", Verdict.failure(ErrorKind.NOT_FOUND, "Campaign not found")),
        ]
    )
    text = draw(rep, 64)
    assert "┃ target" in text
    assert "│ failed  │" in text
    assert max(len(line) for line in text.splitlines()) <= 64


@pytest.mark.parametrize("width", [40, 120])
def test_vendor_text_is_sanitised_in_table_and_blocks(width: int) -> None:
    rep = report([result("woodpecker:1", Verdict(Outcome.DONE, f"ok {HOSTILE}", status=HOSTILE))])
    text = draw(rep, width)
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\u202e" not in text
    assert "\\x1b]0;owned\\x07" in text.replace("\n", "").replace(" ", "").replace("│", "")


def test_plain_lines_and_stderr_are_sanitised() -> None:
    """Results reach the renderer redacted (campctl.act); here only sanitising happens."""
    redactor = Redactor()
    rep = report(
        [
            result(
                "woodpecker:1",
                Verdict.failure(ErrorKind.AUTH, "bad key *** \x1b[31mred\x07"),
            ),
            result("woodpecker:2", Verdict(Outcome.DONE, "fine", status="weird\x1bstatus")),
        ]
    )
    out, err = io.StringIO(), io.StringIO()
    diagnostics = Diagnostics(redactor, stream=err)
    render(rep, json_mode=False, quiet=False, diagnostics=diagnostics, stream=out)
    assert out.getvalue() == "woodpecker:1 failed - auth\nwoodpecker:2 done weird\\x1bstatus\n"
    assert err.getvalue() == "campctl: woodpecker:1: bad key *** \\x1b[31mred\\x07\n"


def test_json_escapes_controls_as_json_does() -> None:
    rep = report([result("woodpecker:1", Verdict(Outcome.DONE, HOSTILE, status="paused"))])
    out = io.StringIO()
    render(
        rep,
        json_mode=True,
        quiet=False,
        diagnostics=Diagnostics(Redactor(), stream=io.StringIO()),
        stream=out,
    )
    assert "\x1b" not in out.getvalue()
    assert json.loads(out.getvalue())["results"][0]["message"] == HOSTILE


def test_a_lone_surrogate_is_escaped_in_lines_and_kept_valid_in_json() -> None:
    """Half an emoji (a JSON `\\ud800`) in one status sinks neither the lines nor the document."""
    rep = report(
        [
            result("voicegenie:vg_1", Verdict(Outcome.DONE, "ok\ud800", status="paused\ud800")),
            result("woodpecker:2", Verdict(Outcome.DONE, "fine", status="paused")),
        ]
    )
    lines, document = io.StringIO(), io.StringIO()
    diagnostics = Diagnostics(Redactor(), stream=io.StringIO())
    render(rep, json_mode=False, quiet=False, diagnostics=diagnostics, stream=lines)
    render(rep, json_mode=True, quiet=False, diagnostics=diagnostics, stream=document)
    assert lines.getvalue() == "voicegenie:vg_1 done paused\\ud800\nwoodpecker:2 done paused\n"
    document.getvalue().encode("ascii")  # writable under any encoding
    assert json.loads(document.getvalue())["results"][0]["status"] == "paused\ud800"
    assert "\\ud800" in draw(rep, 100)


@pytest.mark.parametrize("json_mode", [False, True])
def test_summary_on_stderr_when_only_stderr_is_a_terminal(
    json_mode: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    out, err = io.StringIO(), FakeTTY()
    render(
        sample(),
        json_mode=json_mode,
        quiet=False,
        diagnostics=Diagnostics(Redactor(), stream=err),
        stream=out,
    )
    assert err.getvalue().endswith(
        "campctl: 4 target(s): 1 done, 1 noop, 1 failed, 1 skipped (exit 1)\n"
    )
    assert "target(s)" not in out.getvalue()


def test_no_stderr_summary_when_stderr_is_not_a_terminal_or_quiet() -> None:
    for err, quiet in ((io.StringIO(), False), (FakeTTY(), True)):
        render(
            sample(),
            json_mode=False,
            quiet=quiet,
            diagnostics=Diagnostics(Redactor(), stream=err),
            stream=io.StringIO(),
        )
        assert "target(s)" not in err.getvalue()


class Failing(io.StringIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error


@pytest.mark.parametrize("json_mode", [False, True])
def test_a_closed_pipe_keeps_the_results_code_a_full_disk_names_the_reason(
    json_mode: bool,
) -> None:
    def attempt(error: OSError) -> StdoutError:
        with pytest.raises(StdoutError) as caught:
            render(
                sample(),
                json_mode=json_mode,
                quiet=False,
                diagnostics=Diagnostics(Redactor(), stream=io.StringIO()),
                stream=Failing(error),
            )
        return caught.value

    pipe = attempt(BrokenPipeError(errno.EPIPE, "Broken pipe"))
    assert (pipe.reason, pipe.final_code) == (None, 1)
    full = attempt(OSError(errno.ENOSPC, "No space left on device"))
    assert (full.reason, full.final_code) == ("No space left on device", 1)
    with pytest.raises(StdoutError) as caught:
        write_stdout("x", exit_code=0, stream=Failing(OSError(errno.ENOSPC, "No space")))
    assert caught.value.final_code == 1  # nothing failed, but the output is lost
    with pytest.raises(StdoutError) as caught:
        write_stdout("x", exit_code=5, stream=Failing(OSError(errno.ENOSPC, "No space")))
    assert caught.value.final_code == 5  # a worse code from the results stands


# -- grouped notices ---------------------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def diagnostics(**kwargs: Any) -> tuple[Diagnostics, io.StringIO, Clock]:
    err, clock = io.StringIO(), Clock()
    return Diagnostics(Redactor(), stream=err, clock=clock, **kwargs), err, clock


def test_a_burst_of_429s_is_one_line_without_a_loop() -> None:
    diag, err, clock = diagnostics()
    for n in range(100):
        diag.retrying("alta", f"alta:{n}", "HTTP 429", 35.0)
        clock.now += 0.001
    assert err.getvalue() == ""  # still collecting
    diag.flush()
    assert (
        err.getvalue() == "campctl: alta: 100 targets rate-limited (HTTP 429), retrying in 35 s\n"
    )


def test_groups_per_provider_and_reason_with_delay_ranges() -> None:
    diag, err, _ = diagnostics()
    diag.retrying("alta", "alta:1", "HTTP 503", 0.4)
    diag.retrying("alta", "alta:2", "HTTP 503", 1.9)
    diag.retrying("woodpecker", "woodpecker:1", "timeout", 2.0)
    diag.retrying("alta", "alta:3", "HTTP 429", 35)
    diag.flush()
    assert err.getvalue().splitlines() == [
        "campctl: alta: 2 targets got HTTP 503, retrying in 0.4-1.9 s",
        "campctl: woodpecker:1: timed out, retrying in 2.0 s",
        "campctl: alta:3: rate-limited (HTTP 429), retrying in 35 s",
    ]


def test_a_later_wait_is_a_new_line() -> None:
    diag, err, clock = diagnostics()
    diag.retrying("alta", "alta:1", "HTTP 429", 35)
    diag.retrying("alta", "alta:2", "HTTP 429", 35)
    clock.now += FLUSH_CAP + 0.1
    diag.retrying("alta", "alta:1", "HTTP 429", 20)  # the first group is due: printed now
    assert err.getvalue() == "campctl: alta: 2 targets rate-limited (HTTP 429), retrying in 35 s\n"
    diag.flush()
    assert err.getvalue().splitlines()[-1] == (
        "campctl: alta:1: rate-limited (HTTP 429), retrying in 20 s"
    )


def test_limit_waits_group_too() -> None:
    diag, err, _ = diagnostics()
    diag.limit_wait("alta", "alta:101", 58.2)
    diag.flush()
    diag.limit_wait("alta", "alta:102", 0.2)
    diag.limit_wait("alta", "alta:103", 0.3)
    diag.flush()
    assert err.getvalue().splitlines() == [
        "campctl: alta: vendor rate limit reached, waiting 58 s before the next request",
        "campctl: alta: vendor rate limit reached, 2 targets waiting, next request in 0.2-0.3 s",
    ]


def test_per_target_lines_only_with_verbose_and_nothing_with_quiet() -> None:
    diag, err, _ = diagnostics(verbose=True)
    diag.retrying("alta", "alta:1", "HTTP 429", 35)
    diag.limit_wait("alta", "alta:2", 12)
    assert err.getvalue().splitlines() == [
        "campctl: alta:1: rate-limited (HTTP 429), retrying in 35 s",
        "campctl: alta:2: waiting 12 s for the vendor rate limit",
    ]
    diag, err, _ = diagnostics(quiet=True)
    diag.retrying("alta", "alta:1", "HTTP 429", 35)
    diag.flush()
    assert err.getvalue() == ""
    assert diag.waiting() == "alta: rate limit, next try in 35 s"  # progress still knows


def test_on_a_running_loop_the_group_prints_itself_after_the_burst() -> None:
    err = io.StringIO()
    diag = Diagnostics(Redactor(), stream=err)

    async def burst() -> list[str]:
        for n in range(130):
            diag.retrying("alta", f"alta:{n}", "HTTP 429", 35.0)
            if n % 10 == 0:
                await asyncio.sleep(0.01)  # responses arrive over ~0.15 s
        await asyncio.sleep(FLUSH_QUIET + 0.2)
        printed = err.getvalue().splitlines()
        await asyncio.sleep(FLUSH_CAP)
        return printed

    printed = asyncio.run(burst())
    assert printed == ["campctl: alta: 130 targets rate-limited (HTTP 429), retrying in 35 s"]
    diag.flush()
    assert err.getvalue().splitlines() == printed  # nothing left over, nothing twice


def test_a_steady_trickle_is_printed_by_the_cap() -> None:
    err = io.StringIO()
    diag = Diagnostics(Redactor(), stream=err)

    async def trickle() -> None:
        for n in range(int(FLUSH_CAP / 0.1) + 5):
            diag.retrying("alta", f"alta:{n}", "HTTP 503", 1.0)
            await asyncio.sleep(0.1)

    asyncio.run(trickle())
    assert err.getvalue() != ""  # printed while the trickle went on, not only at the end


def test_waiting_says_what_the_run_waits_for() -> None:
    diag, _, clock = diagnostics()
    assert diag.waiting() is None
    diag.retrying("alta", "alta:1", "HTTP 429", 35)
    diag.retrying("alta", "alta:2", "HTTP 429", 30)
    diag.retrying("woodpecker", "woodpecker:1", "HTTP 503", 2)
    assert diag.waiting() == (
        "alta: rate limit, next try in 30 s · woodpecker: HTTP 503, next try in 2.0 s"
    )
    clock.now += 5
    assert diag.waiting() == "alta: rate limit, next try in 25 s"
    clock.now += 40
    assert diag.waiting() is None


def test_progress_line_reads_the_hook() -> None:
    diag, _, _ = diagnostics()
    progress = Progress(130, stream=io.StringIO(), waiting=diag.waiting)
    for _ in range(37):
        progress.advance()
    assert progress.text() == "37/130 done"
    diag.limit_wait("alta", "alta:101", 35)
    assert progress.text() == "37/130 done · alta: rate limit, next try in 35 s"
    progress.stop()


def test_progress_on_a_terminal_draws_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "80")
    err = FakeTTY()
    diag = Diagnostics(Redactor(), stream=err)
    diag.limit_wait("alta", "alta:101", 35)
    progress = Progress(130, stream=err, waiting=diag.waiting)
    progress.advance()
    progress.stop()
    assert "1/130 done · alta: rate limit, next try in" in err.getvalue()


def test_diagnostics_lines_are_sanitised_and_multiline_messages_keep_their_lines() -> None:
    diag, err, _ = diagnostics()
    diag.line("vendor said \x1b[2J\x07")
    diag.line("3 bad targets:\n  argument 1: 'x'")
    assert err.getvalue().splitlines() == [
        "campctl: vendor said \\x1b[2J\\x07",
        "campctl: 3 bad targets:",
        "  argument 1: 'x'",
    ]


def test_printable() -> None:
    assert printable("a\x00b\x1b\x7f\x85\u202e\u2066z é 日本") == (
        "a\\x00b\\x1b\\x7f\\x85\\u202e\\u2066z é 日本"
    )
