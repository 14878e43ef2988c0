"""pause / resume / status through the CLI: stdout, stderr and exit code checked separately."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
import respx

from tests.helpers import IDS, TEST_KEY, cli, running, url

ALTA_ID = IDS["alta"]
WP_PAUSE = url("woodpecker", "/v2/campaigns/12345/pause")


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for vendor in ("WOODPECKER", "ALTA", "LEADLEX", "LEADTERRA", "VOICEGENIE"):
        monkeypatch.setenv(f"{vendor}_API_KEY", TEST_KEY)
    monkeypatch.setenv("VOICEGENIE_BASE_URL", "https://voicegenie.test")


@respx.mock
def test_pause_bare_id_plain_output(keys: None) -> None:
    running("woodpecker:12345")
    route = respx.post(WP_PAUSE).respond(200)
    result = cli(["pause", "--provider", "woodpecker", "12345"])
    assert result.exit_code == 0
    assert result.stdout == "woodpecker:12345 done paused\n"
    assert re.fullmatch(r"campctl: run \d{8}T\d{6}Z-[0-9a-f]{6} \(pause\)\n", result.stderr)
    assert route.calls.last.request.headers["x-api-key"] == TEST_KEY


@respx.mock
def test_json_document_matches_the_contract(keys: None) -> None:
    running("woodpecker:12345")
    respx.post(WP_PAUSE).respond(200)
    result = cli(["pause", "--json", "woodpecker:12345"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert list(doc) == [
        "action", "dry_run", "sandbox", "run_id", "results", "summary", "exit_code",
    ]  # fmt: skip
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{6}", doc["run_id"])
    assert doc["action"] == "pause"
    assert doc["dry_run"] is False
    assert doc["sandbox"] is False
    assert doc["summary"] == {"total": 1, "done": 1, "noop": 0, "failed": 0, "skipped": 0}
    assert doc["exit_code"] == 0
    (item,) = doc["results"]
    assert list(item) == [
        "target", "provider", "vendor", "campaign_id", "outcome", "status", "at", "message",
        "http_status", "attempts", "duration_ms", "details", "error",
    ]  # fmt: skip
    assert item["target"] == "woodpecker:12345"
    assert item["outcome"] == "done"
    assert item["status"] == "paused"
    assert item["http_status"] == 200
    assert item["attempts"] == 1
    assert item["error"] is None
    assert item["at"].endswith("Z")


@respx.mock
def test_error_object_shape(keys: None) -> None:
    running("woodpecker:12345")
    respx.post(WP_PAUSE).respond(
        404, json={"code": "CAMPAIGN_NOT_EXIST", "message": "Campaign not found", "details": None}
    )
    result = cli(["pause", "--json", "woodpecker:12345"])
    assert result.exit_code == 1
    error = json.loads(result.stdout)["results"][0]["error"]
    assert error == {
        "kind": "not_found",
        "http_status": 404,
        "vendor_code": "CAMPAIGN_NOT_EXIST",
        "message": "Campaign not found (HTTP 404)",
        "retryable": False,
    }


@respx.mock
def test_mixed_vendors_from_file_in_input_order_once_each(keys: None, tmp_path: Path) -> None:
    running("woodpecker:12345", f"alta:{ALTA_ID}")
    wp = respx.post(WP_PAUSE).respond(200)
    alta = respx.post(url("alta", f"/campaigns/{ALTA_ID}/pause")).respond(200)
    ll = respx.post(url("leadlex", "/v1/campaigns/cmp_abc123/pause")).respond(
        200, json={"data": {"campaign": {"id": "cmp_abc123", "status": "paused"}}}
    )
    targets = tmp_path / "targets.txt"
    targets.write_text(
        "# incident 2026-11-22: stop everything\n"
        f"alta:{ALTA_ID}   # EU list\n"
        "\n"
        "woodpecker:12345\n"
        "leadlex:cmp_abc123\n"
        "woodpecker:12345  # duplicate\n"
    )
    result = cli(["pause", "--from-file", str(targets)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"alta:{ALTA_ID} done paused",
        "woodpecker:12345 done paused",
        "leadlex:cmp_abc123 done paused",
    ]
    assert (wp.call_count, alta.call_count, ll.call_count) == (1, 1, 1)


@respx.mock
def test_targets_from_stdin(keys: None) -> None:
    running("woodpecker:12345")
    respx.post(WP_PAUSE).respond(200)
    result = cli(["pause", "--from-file", "-", "-p", "woodpecker"], input="12345\n# c\n")
    assert result.exit_code == 0
    assert result.stdout == "woodpecker:12345 done paused\n"


def _respond(status: int, body: object = None) -> httpx.Response:
    return httpx.Response(status, json=body) if body is not None else httpx.Response(status)


NOT_ACTIVE = {"error": {"code": "campaign_not_active", "message": "Campaign is not active"}}


@pytest.mark.parametrize(
    ("answers", "flags", "code"),
    [
        ({"wp": _respond(200)}, [], 0),
        ({"ll": _respond(409, NOT_ACTIVE)}, [], 0),
        ({"ll": _respond(409, NOT_ACTIVE)}, ["--strict"], 1),
        ({"wp": _respond(404, {"code": "CAMPAIGN_NOT_EXIST"})}, [], 1),
        ({"wp": _respond(401, {"title": "Unauthorized"})}, [], 4),
        ({"wp": _respond(403)}, [], 4),
        ({"wp": _respond(503)}, [], 5),
        ({"wp": _respond(429)}, [], 5),
        # Precedence 4 → 1 → 5 when targets fail differently.
        ({"wp": _respond(401), "ll": _respond(404), "alta": _respond(503)}, [], 4),
        ({"wp": _respond(503), "ll": _respond(404)}, [], 1),
        (
            {
                "wp": _respond(503),
                "ll": _respond(200, {"data": {"campaign": {"status": "paused"}}}),
            },
            [],
            5,
        ),
    ],
)
@respx.mock
def test_exit_codes(
    keys: None, answers: dict[str, httpx.Response], flags: list[str], code: int
) -> None:
    routes = {
        "wp": ("woodpecker:12345", WP_PAUSE),
        "ll": ("leadlex:cmp_abc123", url("leadlex", "/v1/campaigns/cmp_abc123/pause")),
        "alta": (f"alta:{ALTA_ID}", url("alta", f"/campaigns/{ALTA_ID}/pause")),
    }
    targets = []
    for name, response in answers.items():
        target, endpoint = routes[name]
        respx.post(endpoint).mock(return_value=response)
        targets.append(target)
        if name != "ll":  # Leadlex's own answer tells; the others are read first
            running(target)
    result = cli(["pause", "--retries", "0", "--json", *flags, *targets])
    assert result.exit_code == code
    assert json.loads(result.stdout)["exit_code"] == code


@respx.mock
def test_quiet_shows_only_failures(keys: None) -> None:
    running("woodpecker:12345", f"alta:{ALTA_ID}")
    respx.post(WP_PAUSE).respond(200)
    respx.post(url("alta", f"/campaigns/{ALTA_ID}/pause")).respond(
        404, json={"error": "NotFound", "message": "Resource not found"}
    )
    result = cli(["pause", "-q", "woodpecker:12345", f"alta:{ALTA_ID}"])
    assert result.exit_code == 1
    assert result.stdout == f"alta:{ALTA_ID} failed - not_found\n"
    assert "Resource not found" in result.stderr


@respx.mock
def test_verbose_logs_each_exchange_on_stderr(keys: None) -> None:
    running("woodpecker:12345")
    route = respx.post(WP_PAUSE)
    route.side_effect = [httpx.Response(503), httpx.Response(200)]
    result = cli(["pause", "-v", "woodpecker:12345"], env={"CAMPCTL_TEST": "1"})
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert any(f"POST {WP_PAUSE} -> 503" in line and "(attempt 1)" in line for line in lines)
    assert any("retrying in" in line for line in lines)
    assert any(f"POST {WP_PAUSE} -> 200" in line and "(attempt 2)" in line for line in lines)
    assert result.stdout == "woodpecker:12345 done paused\n"


def test_dry_run_sends_only_the_prior_state_reads_and_masks_the_key(keys: None) -> None:
    with respx.mock(assert_all_called=False) as router:
        running("woodpecker:12345", f"alta:{ALTA_ID}", router=router)
        result = cli(
            ["pause", "--dry-run", "--json", "woodpecker:12345", f"alta:{ALTA_ID}", "--prospects"]
        )
        assert {c.request.method for c in router.calls} == {"GET"}
        assert router.calls.call_count == 2
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["dry_run"] is True
    assert doc["summary"]["skipped"] == 2
    wp, alta = (r["details"]["request"] for r in doc["results"])
    assert wp["method"] == "POST"
    assert wp["url"] == WP_PAUSE
    assert wp["headers"]["x-api-key"] == "***"
    assert wp["body"] is None
    assert alta["headers"]["authorization"] == "Bearer ***"  # PRODUCT.md, Output
    assert alta["body"] == {"pauseProspects": True}
    assert TEST_KEY not in result.stdout + result.stderr


@respx.mock
def test_dry_run_piped_is_one_line_per_target_headers_with_verbose(keys: None) -> None:
    running("woodpecker:12345", f"alta:{ALTA_ID}", paused=True)
    wp_run = url("woodpecker", "/v2/campaigns/12345/run")
    alta_resume = url("alta", f"/campaigns/{ALTA_ID}/resume")
    result = cli(["resume", "--dry-run", "--prospects", "woodpecker:12345", f"alta:{ALTA_ID}"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"woodpecker:12345 skipped - POST {wp_run}",
        f"alta:{ALTA_ID} skipped - POST {alta_resume}",
    ]
    verbose = cli(["resume", "--dry-run", "-v", "--prospects", "woodpecker:12345",
                   f"alta:{ALTA_ID}"])  # fmt: skip
    lines = verbose.stdout.splitlines()
    assert [line for line in lines if not line.startswith("  ")] == result.stdout.splitlines()
    woodpecker, alta = "\n".join(lines).split(f"alta:{ALTA_ID} ")
    assert "\n  x-api-key: ***\n" in woodpecker
    assert "\n  authorization: Bearer ***\n" in alta
    assert alta.endswith('\n  body: {"resumeProspects": true}')
    assert TEST_KEY not in verbose.stdout + verbose.stderr


@respx.mock
def test_dry_run_on_a_terminal_shows_headers_and_body(keys: None) -> None:
    running(f"alta:{ALTA_ID}")
    result = cli(
        ["pause", "--dry-run", "--prospects", f"alta:{ALTA_ID}"],
        env={"TTY_COMPATIBLE": "1", "COLUMNS": "200"},
    )
    assert result.exit_code == 0
    assert "DRY RUN" in result.stdout
    assert "authorization: Bearer ***" in result.stdout
    assert 'body: {"pauseProspects": true}' in result.stdout


@respx.mock
def test_prospects_flag_sends_the_body_only_to_alta(keys: None) -> None:
    running("woodpecker:12345", paused=True)
    respx.get(url("alta", f"/campaigns/{ALTA_ID}")).respond(200, json={"status": "paused"})
    alta = respx.post(url("alta", f"/campaigns/{ALTA_ID}/resume")).respond(200)
    wp = respx.post(url("woodpecker", "/v2/campaigns/12345/run")).respond(200)
    result = cli(["resume", "--prospects", f"alta:{ALTA_ID}", "woodpecker:12345"])
    assert result.exit_code == 0
    assert json.loads(alta.calls.last.request.content) == {"resumeProspects": True}
    assert wp.calls.last.request.content == b""


def test_prospects_without_alta_target_is_a_usage_error(keys: None) -> None:
    with respx.mock(assert_all_called=False) as router:
        result = cli(["pause", "--prospects", "woodpecker:12345"])
        assert router.calls.call_count == 0
    assert result.exit_code == 2
    assert "--prospects" in result.stderr


@respx.mock
def test_status_reads_and_leadterra_is_unsupported(keys: None) -> None:
    respx.get(url("woodpecker", "/v2/campaigns/12345")).respond(
        200, json={"id": 12345, "status": "RUNNING"}
    )
    result = cli(["status", "woodpecker:12345", "leadterra:camp_123"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "woodpecker:12345 done running",
        "leadterra:camp_123 failed - unsupported",
    ]


@respx.mock
def test_terminal_output_is_a_table(keys: None) -> None:
    running("woodpecker:12345")
    respx.post(WP_PAUSE).respond(200)
    result = cli(["pause", "woodpecker:12345"], env={"TTY_COMPATIBLE": "1", "COLUMNS": "120"})
    assert result.exit_code == 0
    assert "target" in result.stdout
    assert "woodpecker:12345" in result.stdout
    assert "campaign paused" not in result.stdout  # routine: the status column says it
    assert "1 target(s): 1 done, 0 noop, 0 failed, 0 skipped (exit 0)" in result.stdout
    assert "\x1b[32m" not in result.stdout  # NO_COLOR (set by the isolation fixture): no green


@respx.mock
def test_terminal_output_is_coloured_without_no_color(
    keys: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR")
    respx.post(WP_PAUSE).respond(200)
    running("woodpecker:12345")
    result = cli(["pause", "woodpecker:12345"], env={"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[32mdone" in result.stdout


@respx.mock
def test_audit_log_lines(keys: None, tmp_path: Path) -> None:
    respx.post(WP_PAUSE).respond(200)
    running("woodpecker:12345")
    log = tmp_path / "sub" / "audit.jsonl"
    assert cli(["pause", "--audit-log", str(log), "woodpecker:12345"]).exit_code == 0
    assert cli(["pause", "--audit-log", str(log), "woodpecker:12345"]).exit_code == 0
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["kind"] for line in lines] == ["run", "target", "end"] * 2
    run, target, end = lines[:3]
    assert set(run) == {
        "kind", "run_id", "time", "user", "host", "version", "action", "reason", "undo_of",
        "sandbox", "via", "config", "targets",
    }  # fmt: skip
    assert run["targets"] == [
        {"target": "woodpecker:12345", "provider": "woodpecker", "vendor": "woodpecker",
         "campaign_id": "12345", "endpoint": "https://api.woodpecker.co/rest", "position": 1,
         "prior_status": "running"}
    ]  # fmt: skip
    assert (run["sandbox"], run["via"], run["config"]) == (False, "cli", None)
    assert set(target) == {
        "kind", "run_id", "time", "target", "provider", "vendor", "campaign_id", "position",
        "outcome", "status", "prior_status", "error_kind", "http_status", "attempts",
        "endpoint", "outcome_unknown", "message",
    }  # fmt: skip
    assert (target["outcome"], target["prior_status"]) == ("done", "running")
    assert end["summary"]["done"] == 1
    assert end["exit_code"] == 0
    assert log.stat().st_mode & 0o777 == 0o600


@respx.mock
def test_audit_default_location_and_opt_outs(keys: None, isolation: Path) -> None:
    respx.post(WP_PAUSE).respond(200)
    respx.get(url("woodpecker", "/v2/campaigns/12345")).respond(200, json={"status": "PAUSED"})
    default = isolation / ".state" / "campctl" / "audit.jsonl"
    assert cli(["pause", "--no-audit", "woodpecker:12345"]).exit_code == 0
    assert cli(["status", "woodpecker:12345"]).exit_code == 0
    assert cli(["pause", "--dry-run", "woodpecker:12345"]).exit_code == 0
    assert not default.exists()
    assert cli(["pause", "woodpecker:12345"]).exit_code == 0
    kinds = [json.loads(line)["kind"] for line in default.read_text().splitlines()]
    assert kinds == ["run", "target", "end"]  # already paused: noop, journaled all the same


def test_unwritable_audit_log_is_a_config_error_before_sending(keys: None, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with respx.mock(assert_all_called=False) as router:
        result = cli(["pause", "--audit-log", str(blocker / "audit.jsonl"), "woodpecker:12345"])
        assert router.calls.call_count == 0
    assert result.exit_code == 3
    assert "--no-audit" in result.stderr


# -- operator experience: tables that fit, sanitised vendor text, a real terminal ---------------
HOSTILE = "Campaign \x1b]0;pwned\x07\x1b[2Jnot found\u202e"


def _two_results() -> None:
    running("woodpecker:12345", f"alta:{ALTA_ID}")
    respx.post(WP_PAUSE).respond(200)
    respx.post(url("alta", f"/campaigns/{ALTA_ID}/pause")).respond(
        409, json={"error": "Conflict", "message": "the campaign's state does not allow pausing"}
    )


@pytest.mark.parametrize(("width", "stacked"), [(40, True), (60, True), (80, False), (120, False)])
@respx.mock
def test_terminal_table_fits_every_width(keys: None, width: int, stacked: bool) -> None:
    _two_results()
    result = cli(
        ["pause", "--no-audit", "woodpecker:12345", f"alta:{ALTA_ID}"],
        env={"TTY_COMPATIBLE": "1", "COLUMNS": str(width)},
    )
    assert result.exit_code == 1
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", result.stdout)  # styles (bold) are not width
    assert "…" not in out
    assert f"alta:{ALTA_ID}" in out
    assert "failed" in out
    assert (f"alta:{ALTA_ID}\n" in out) is stacked  # a block starts with the target alone
    assert ("┃" in out) is (width > 80)  # 80 columns: borderless, one line per target
    for line in out.splitlines():
        assert len(line) <= width or f"alta:{ALTA_ID}" in line
    assert "2 target(s): 1 done, 0 noop, 1 failed, 0 skipped (exit 1)" in out.replace("\n", " ")
    assert "target(s)" not in result.stderr  # stdout is the terminal: no stderr summary
    assert "2/2 done" in result.stderr  # the progress line


@respx.mock
def test_vendor_control_characters_are_escaped_everywhere(keys: None) -> None:
    running("woodpecker:12345")
    respx.post(WP_PAUSE).respond(404, json={"code": "CAMPAIGN_NOT_EXIST", "message": HOSTILE})
    piped = cli(["pause", "--no-audit", "woodpecker:12345"])
    table = cli(
        ["pause", "--no-audit", "woodpecker:12345"], env={"TTY_COMPATIBLE": "1", "COLUMNS": "120"}
    )
    blocks = cli(
        ["pause", "--no-audit", "woodpecker:12345"], env={"TTY_COMPATIBLE": "1", "COLUMNS": "40"}
    )
    as_json = cli(["pause", "--no-audit", "--json", "woodpecker:12345"])
    for result in (piped, table, blocks):
        assert result.exit_code == 1
        text = result.stdout + result.stderr
        assert "\x07" not in text
        assert "\u202e" not in text
        assert "]0;pwned" not in text.replace("\\x1b]0;pwned", "")
        assert "\\x1b]0;pwned\\x07" in text.replace("\n", "").replace(" ", "").replace("│", "")
    assert "campctl: woodpecker:12345: Campaign \\x1b]0;pwned\\x07\\x1b[2Jnot found\\u202e" in (
        piped.stderr
    )
    assert json.loads(as_json.stdout)["results"][0]["error"]["message"].startswith(HOSTILE)


def _in_a_pty(args: list[str], columns: int, env: dict[str, str]) -> tuple[int, str]:
    """Run the installed campctl with stdout and stderr on a pseudo-terminal `columns` wide."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    campctl = str(Path(sys.executable).parent / "campctl")
    process = subprocess.Popen(
        [campctl, *args], stdout=follower, stderr=follower, env={**os.environ, **env}
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    code = process.wait(timeout=60)
    text = output.decode("utf-8", "replace").replace("\r", "")
    return code, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


@pytest.mark.parametrize("columns", [60, 120])
def test_in_a_real_pseudo_terminal(isolation: Path, columns: int) -> None:
    targets = ["woodpecker:12345", "leadterra:camp_123", f"alta:{ALTA_ID}", "woodpecker:999"]
    code, text = _in_a_pty(
        ["status", "--sandbox", *targets], columns, {"XDG_STATE_HOME": str(isolation / "s")}
    )
    assert code == 1
    lines = text.splitlines()
    for target in targets:
        assert target in lines or any(line.startswith(f"│ {target} ") for line in lines), text
    assert "…" not in text
    assert "4 target(s): 2 done, 0 noop, 2 failed, 0 skipped (exit 1)" in text
    assert ("┃ target" in text) is (columns == 120)
    for line in lines:
        if "done" in line and "/4" in line:  # the progress line, redrawn in place
            continue
        assert len(line) <= columns or f"alta:{ALTA_ID}" in line, line
