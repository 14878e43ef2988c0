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
from campctl.output import RECAP_OVER, Progress, StdoutError, render, write_stdout
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


@pytest.mark.parametrize(
    ("width", "shape"), [(40, "blocks"), (60, "blocks"), (80, "borderless"), (120, "boxed")]
)
def test_boxed_when_it_fits_then_borderless_then_blocks(width: int, shape: str) -> None:
    text = draw(sample(), width)
    lines = text.splitlines()
    assert ("┃" in text) is (shape == "boxed"), text
    if shape == "blocks":
        index = lines.index(ALTA)
        assert lines[index + 1] == "  failed"
        assert lines[index + 2].startswith("  conflict: the campaign's state")
    if shape == "borderless":  # target, outcome, status and the detail's start on one line
        assert re.match(r"target +outcome +status +detail", lines[1]), text
        assert any(re.match(rf"{VG} +noop +- +campaign is", line) for line in lines), text
        assert all(len(line) <= width for line in lines), text


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


# -- big runs stay readable ------------------------------------------------------------------
def uuid_target(n: int, provider: str = "alta") -> str:
    return f"{provider}:{n:08x}-0000-4000-8000-{n:012x}"


def big_run(total: int, failed: set[int], provider: str = "alta", **details: Any) -> Report:
    results = []
    for n in range(total):
        if n in failed:
            verdict = Verdict.failure(
                ErrorKind.NOT_FOUND, "Campaign not found (HTTP 404)", http_status=404
            )
        else:
            verdict = Verdict(Outcome.DONE, "campaign paused", status="paused", details=details)
        results.append(result(uuid_target(n, provider), verdict))
    return report(results)


@pytest.mark.parametrize("provider", ["alta", "voicegenie"])
def test_300_uuid_targets_at_80_columns_are_one_line_each(provider: str) -> None:
    lines = draw(big_run(314, set(), provider), 80).splitlines()
    rows = [line for line in lines if f"{provider}:" in line]
    assert len(rows) == 314
    for n, line in enumerate(rows):
        assert re.fullmatch(rf"│? ?{uuid_target(n, provider)} +│? *done +│? *paused +│? *│?", line)
    assert len(lines) <= 314 + 6  # title, header, the box's three rules, summary: no blocks
    assert "campaign paused" not in "\n".join(lines)  # routine: the status says it
    assert lines[-1] == "314 target(s): 314 done, 0 noop, 0 failed, 0 skipped (exit 0)"
    assert all(len(line) <= 80 for line in lines)


def test_a_big_run_repeats_its_failures_after_the_summary() -> None:
    failed = {3, 100, 200, 317}
    lines = draw(big_run(318, failed), 80).splitlines()
    summary = lines.index("318 target(s): 314 done, 0 noop, 4 failed, 0 skipped (exit 1)")
    assert lines[summary + 1 :] == [
        "Failed (4):",
        *(f"  {uuid_target(n)}  not_found: Campaign not found (HTTP 404)" for n in sorted(failed)),
    ]
    rows = [line for line in lines[:summary] if "alta:" in line]
    assert len(rows) == 318  # one line each, the failed rows too: their kind, no reason
    for n in failed:
        assert re.search(rf"{uuid_target(n)} +│ failed +│ - +│ not_found +│", rows[n]), rows[n]
    assert len(lines) == 318 + 5 + 1 + 5  # title, box rules, header; summary; recap
    # At most 20 targets the failures are still on screen: no recap. Quiet shows only them.
    assert "Failed (" not in draw(big_run(RECAP_OVER, {3}), 80)
    assert "Failed (" not in draw(big_run(318, failed), 80, quiet=True)
    assert "Failed (" not in draw(big_run(318, set()), 80)


def test_a_big_run_keeps_long_details_to_one_line() -> None:
    noop = Verdict(Outcome.NOOP, "campaign is not running: nothing to pause (since April)")
    results = [result(uuid_target(n, "voicegenie"), noop) for n in range(RECAP_OVER + 1)]
    lines = draw(report(results), 80).splitlines()
    rows = [line for line in lines if "voicegenie:" in line]
    assert len(rows) == RECAP_OVER + 1
    assert all(row.rstrip().endswith("…") for row in rows), rows[0]
    assert len(lines) == len(rows) + 3  # title, header, summary
    small = draw(report(results[:RECAP_OVER]), 80)  # a small run wraps the whole text
    assert "…" not in small
    assert all(word in small for word in noop.message.split())


def test_verified_in_the_detail_the_summary_and_the_plain_line() -> None:
    rep = big_run(12, {5}, verified=True)
    text = draw(rep, 80)
    assert re.search(rf"{uuid_target(0)} +done +paused +verified", text), text
    assert "12 target(s): 11 done, 0 noop, 1 failed, 0 skipped, 11 verified (exit 1)" in text
    out = io.StringIO()
    render(rep, json_mode=False, quiet=False, diagnostics=Diagnostics(Redactor()), stream=out)
    assert out.getvalue().splitlines()[0] == f"{uuid_target(0)} done paused verified"
    unverifiable = big_run(1, set(), verified=None, verify_note="no status endpoint")
    assert "not verified: no status endpoint" in draw(unverifiable, 120)
    assert "verified" not in draw(big_run(2, set()), 120)  # no --verify: no count


def test_non_routine_messages_stay_in_the_detail() -> None:
    pending = Verdict(Outcome.DONE, "approval needed (task t_1)", status="pending_approval")
    rep = report([result("leadlex:cmp_abc123", pending)])
    rep.action = "resume"
    assert "approval needed (task t_1)" in draw(rep, 120)
    status = report([result("woodpecker:1", Verdict(Outcome.DONE, "campaign is running",
                                                    status="running"))])  # fmt: skip
    status.action = "status"
    assert "campaign is running" not in draw(status, 120)


def test_a_sandbox_title_is_highlighted() -> None:
    rep = report([result("woodpecker:1", Verdict(Outcome.DONE, "x", status="paused"))])
    rep.sandbox = True
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=True, color_system="standard")
    from campctl.output import _table

    _table(rep, console, quiet=False)
    first = out.getvalue().splitlines()[0]
    assert first == "campctl pause \x1b[1;7m SANDBOX \x1b[0m simulated vendors"
    assert draw(report(rep.results), 100).splitlines()[0] == "campctl pause"


def test_a_piped_dry_run_is_one_line_per_target() -> None:
    request = {"method": "POST", "url": "https://x.test/v2/campaigns/1/pause",
               "headers": {"x-api-key": "***"}, "body": {"a": 1}}  # fmt: skip
    rep = report(
        [
            result(f"woodpecker:{n}", Verdict(Outcome.SKIPPED, "dry run: not sent",
                                              details={"request": request}))
            for n in (1, 2)
        ]
    )  # fmt: skip
    out = io.StringIO()
    render(rep, json_mode=False, quiet=False, diagnostics=Diagnostics(Redactor()), stream=out)
    assert out.getvalue() == (
        "woodpecker:1 skipped - POST https://x.test/v2/campaigns/1/pause\n"
        "woodpecker:2 skipped - POST https://x.test/v2/campaigns/1/pause\n"
    )
    loud, verbose = io.StringIO(), Diagnostics(Redactor(), verbose=True)
    render(rep, json_mode=False, quiet=False, diagnostics=verbose, stream=loud)
    assert loud.getvalue().splitlines()[:3] == [
        "woodpecker:1 skipped - POST https://x.test/v2/campaigns/1/pause",
        "  x-api-key: ***",
        '  body: {"a": 1}',
    ]


def test_a_big_dry_run_on_a_terminal_shows_every_request_whole() -> None:
    url = "https://api.woodpecker.co/rest/v2/campaigns/{}/pause"
    results = [
        result(f"woodpecker:{n}", Verdict(Outcome.SKIPPED, "dry run: not sent", details={
            "request": {"method": "POST", "url": url.format(n),
                        "headers": {"x-api-key": "***"}, "body": None}}))
        for n in range(1, RECAP_OVER + 2)
    ]  # fmt: skip
    rep = report(
        results,
    )
    rep.dry_run = True
    text = draw(rep, 120)
    assert "…" not in text
    for n in range(1, RECAP_OVER + 2):
        assert f"POST {url.format(n)}" in text
    assert text.count("x-api-key: ***") == RECAP_OVER + 1
