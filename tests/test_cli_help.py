"""Help and the other commands: help topics, examples in --help, campctl's own wording for
option errors, JSON with real types, `config path` consistent with a run, the summary on
stderr, stdout closed or full — and none of it importing httpx or pydantic."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from campctl.cli.help import TOPICS
from campctl.errors import ExitCode
from campctl.providers import VENDOR_NAMES
from tests.helpers import TEST_KEY, cli

CAMPCTL = str(Path(sys.executable).parent / "campctl")
INTERNAL_NAMES = ("<list[str]>", "[[", "<int", "<float", "<str>", "<bool>", "<path>", "x<=", "x>=")


def all_commands() -> list[list[str]]:
    import typer

    from campctl.cli import app

    group = typer.main.get_command(app)
    paths: list[list[str]] = [[]]

    def walk(command: Any, path: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*path, name])
            walk(sub, [*path, name])

    walk(group, [])
    return paths


# -- help topics -------------------------------------------------------------------------------
def test_help_lists_the_topics() -> None:
    result = cli(["help"])
    assert result.exit_code == 0
    assert result.stderr == ""
    for name in ("exit-codes", "environment", "config", "targets", "runbook", "plugins"):
        assert f"  {name}" in result.stdout


@pytest.mark.parametrize("topic", list(TOPICS))
def test_each_topic_prints_its_reference(topic: str) -> None:
    result = cli(["help", topic])
    assert result.exit_code == 0
    assert result.stdout == TOPICS[topic].text
    assert result.stderr == ""


def test_exit_codes_topic_has_every_code() -> None:
    text = TOPICS["exit-codes"].text
    for code in [*ExitCode, 143, 129]:
        assert f"\n  {int(code):<4} " in text


def test_environment_topic_names_every_variable_campctl_reads() -> None:
    from campctl.config import Env

    text = TOPICS["environment"].text
    names = [Env.CONFIG, Env.XDG_CONFIG_HOME, Env.XDG_STATE_HOME, "NO_COLOR", "FORCE_COLOR"]
    names += ["TTY_COMPATIBLE", "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"]
    names += ["CAMPCTL_NO_PLUGINS"]
    names += [Env.api_key(v) for v in VENDOR_NAMES] + [Env.base_url(v) for v in VENDOR_NAMES]
    for name in names:
        assert name in text, name
    assert "only for https://" in text


def test_help_for_a_command_and_an_unknown_topic() -> None:
    result = cli(["help", "pause"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: campctl pause [OPTIONS] [TARGET]...")
    bad = cli(["help", "nope"])
    assert bad.exit_code == 2
    assert bad.stdout == ""
    assert bad.stderr == (
        "campctl: error: unknown help topic 'nope'; topics: exit-codes, environment, config, "
        "targets, runbook, mcp, plugins\n"
    )


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "campctl")
def test_every_help_is_free_of_internal_type_names(path: list[str]) -> None:
    result = cli([*path, "--help"])
    assert result.exit_code == 0
    for name in INTERNAL_NAMES:
        assert name not in result.stdout, (name, result.stdout)


@pytest.mark.parametrize(
    "path",
    [p for p in all_commands() if p and p[0] not in ("config", "sandbox")]
    + [["config", "init"], ["config", "path"], []],
    ids=lambda p: " ".join(p) or "campctl",
)
def test_each_command_help_ends_with_examples(path: list[str]) -> None:
    text = cli([*path, "--help"]).stdout
    examples = text[text.index("  Examples:\n") :]
    assert examples.splitlines()[1].startswith("    campctl ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pause", "--timeout", "0", "woodpecker:1"], "--timeout must be between 0.1 and 300 "
         "seconds, not 0"),
        (["pause", "--timeout", "301", "woodpecker:1"], "--timeout must be between 0.1 and 300 "
         "seconds, not 301"),
        (["pause", "--timeout", "abc", "woodpecker:1"], "--timeout must be a number between 0.1 "
         "and 300 seconds, not 'abc'"),
        (["pause", "--timeout", "nan", "woodpecker:1"], "--timeout must be a number"),
        (["pause", "--retries", "-1", "woodpecker:1"], "--retries must be between 0 and 10, "
         "not -1"),
        (["pause", "--retries", "1.5", "woodpecker:1"], "--retries must be a whole number "
         "between 0 and 10, not '1.5'"),
        (["status", "--concurrency", "0", "woodpecker:1"], "--concurrency must be between 1 and "
         "64, not 0"),
        (["sandbox", "serve", "--port", "70000"], "--port must be between 0 and 65535, "
         "not 70000"),
    ],
)  # fmt: skip
def test_option_errors_in_campctls_words(args: list[str], message: str) -> None:
    result = cli(args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"campctl: error: {message}")
    assert "see 'campctl " in result.stderr
    assert "Input should" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


# -- JSON of the other commands -----------------------------------------------------------
def write_config(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


CONFIG = """\
default_provider = "wp"
[providers.wp]
vendor = "woodpecker"
api_key_env = "WP_KEY"
[providers.alta-us]
vendor = "alta"
api_key_command = ["false"]
[providers.inline]
vendor = "leadlex"
api_key = "sk-inline-0123456789"
[providers.broken]
vendor = "nope"
"""


def test_providers_json_has_real_types_and_an_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WP_KEY", TEST_KEY)
    config = write_config(tmp_path / "p.toml", CONFIG, mode=0o644)
    result = cli(["providers", "--json", "--config", str(config)])
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == 3
    assert doc["config"] == str(config)
    assert doc["default_provider"] == "wp"
    rows = {row["name"]: row for row in doc["providers"]}
    assert all(list(row) == list(rows["wp"]) for row in rows.values())  # one shape
    assert rows["wp"]["key_available"] is True
    assert rows["wp"]["error"] is None
    assert rows["wp"]["note"] is None
    assert rows["alta-us"]["key_available"] is None  # a command is never run just to list
    assert rows["leadterra"]["key_available"] is False
    assert "readable by group or others" in rows["inline"]["error"]  # same rule as a run
    assert rows["broken"]["vendor"] is None
    assert "unknown vendor 'nope'" in rows["broken"]["error"]
    assert rows["voicegenie"]["base_url"] is None
    assert rows["voicegenie"]["origin"] == "built-in"
    assert "VOICEGENIE_BASE_URL" in rows["voicegenie"]["note"]
    assert "sk-inline" not in result.stdout + result.stderr


def test_providers_on_a_terminal_shows_the_note_and_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WP_KEY", TEST_KEY)
    monkeypatch.setenv("VOICEGENIE_API_KEY", TEST_KEY)  # VoiceGenie in use: the note applies
    config = write_config(tmp_path / "p.toml", CONFIG)
    result = cli(
        ["providers", "--config", str(config)], env={"TTY_COMPATIBLE": "1", "COLUMNS": "200"}
    )
    assert result.exit_code == 3
    assert "https://api.woodpecker.co/rest" in result.stdout
    assert "not checked" in result.stdout
    assert "campctl: note: built-in profiles, profile 'voicegenie'" in result.stderr
    assert "campctl: error: " in result.stderr
    assert "unknown vendor 'nope'" in result.stderr


def test_providers_piped_is_tab_separated() -> None:
    result = cli(["providers"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "leadlex\tleadlex\thttps://data.leadlex.com/functions/v1/api-gateway\t"
        "env LEADLEX_API_KEY\tno"
    )
    assert "voicegenie\tvoicegenie\t(not set)\tenv VOICEGENIE_API_KEY\tno" in lines
    assert result.stderr == ""  # nobody uses VoiceGenie here: no note about its base URL


@pytest.mark.parametrize(
    ("env", "config"),
    [
        ({"VOICEGENIE_API_KEY": TEST_KEY}, None),
        ({}, 'default_provider = "voicegenie"\n'),
    ],
)
def test_the_voicegenie_base_url_note_only_when_voicegenie_is_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], config: str | None
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    args = ["providers"]
    if config is not None:
        args += ["--config", str(write_config(tmp_path / "p.toml", config))]
    result = cli(args)
    assert result.exit_code == 0
    assert result.stderr.startswith("campctl: note: ")
    assert "VOICEGENIE_BASE_URL" in result.stderr


def test_vendors_json_has_real_types_and_an_exit_code() -> None:
    result = cli(["vendors", "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == 0
    rows = {row["name"]: row for row in doc["vendors"]}
    assert list(rows) == list(VENDOR_NAMES)
    assert rows["voicegenie"]["default_base_url"] is None
    assert rows["alta"]["per_minute"] == 100
    assert rows["woodpecker"]["max_in_flight"] == 1
    assert rows["leadterra"]["status"] is False
    assert rows["woodpecker"]["status"] is True


@pytest.mark.parametrize("width", [40, 60, 80, 120, 160])
def test_vendors_table_never_cuts_a_base_url(width: int) -> None:
    result = cli(["vendors"], env={"TTY_COMPATIBLE": "1", "COLUMNS": str(width)})
    assert result.exit_code == 0
    assert "…" not in result.stdout
    for url in (
        "https://data.leadlex.com/functions/v1/api-gateway",
        "https://app.leadterra.co",
        "https://api.altahq.com/v1",
        "https://api.woodpecker.co/rest",
    ):
        assert url in result.stdout, (url, result.stdout)


# -- config path ---------------------------------------------------------------------------------
def test_config_path_with_a_missing_explicit_file_is_the_error_a_pause_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing.toml"
    monkeypatch.setenv("WOODPECKER_API_KEY", TEST_KEY)
    pause = cli(["pause", "--config", str(missing), "woodpecker:1"])
    path = cli(["config", "path", "--config", str(missing)])
    assert pause.exit_code == path.exit_code == 3
    assert path.stdout == ""
    assert path.stderr == pause.stderr
    assert "config file not found" in path.stderr
    monkeypatch.setenv("CAMPCTL_CONFIG", str(missing))
    from_env = cli(["config", "path", "--json"])
    assert from_env.exit_code == 3
    assert json.loads(from_env.stdout)["error"]["kind"] == "config"


def test_config_path_json(tmp_path: Path, isolation: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = cli(["config", "path", "--json"])
    assert default.exit_code == 0
    assert json.loads(default.stdout) == {
        "path": str(isolation / ".config" / "campctl" / "providers.toml"),
        "exists": False,
        "source": "default",
        "exit_code": 0,
    }
    config = write_config(tmp_path / "p.toml", "")
    monkeypatch.setenv("CAMPCTL_CONFIG", str(config))
    doc = json.loads(cli(["config", "path", "--json"]).stdout)
    assert (doc["path"], doc["exists"], doc["source"]) == (str(config), True, "CAMPCTL_CONFIG")
    doc = json.loads(cli(["config", "path", "--json", "-c", str(config)]).stdout)
    assert doc["source"] == "--config"


# -- the real process: imports, stdout closed or full, a terminal on stderr ------------------------
def run(
    args: list[str], *, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([CAMPCTL, *args], env=full_env, check=False, timeout=60, **kwargs)


LOADED = (
    "import sys, runpy\n"
    "sys.argv = ['campctl', *sys.argv[1:]]\n"
    "from campctl.main import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "heavy = [m for m in ('httpx', 'pydantic', 'rich', 'asyncio') if m in sys.modules]\n"
    "sys.stderr.write('HEAVY=' + ','.join(heavy) + '\\n')\n"
)


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--help"], {}),
        (["pause", "--help"], {}),
        (["help", "exit-codes"], {}),
        (["help", "environment"], {}),
        ([], {"_CAMPCTL_COMPLETE": "complete_bash", "COMP_WORDS": "campctl pause -p ",
              "COMP_CWORD": "3"}),
        ([], {"_CAMPCTL_COMPLETE": "complete_bash", "COMP_WORDS": "campctl ", "COMP_CWORD": "1"}),
        ([], {"_CAMPCTL_COMPLETE": "complete_bash", "COMP_WORDS": "campctl pause wood",
              "COMP_CWORD": "2"}),
        ([], {"_CAMPCTL_COMPLETE": "complete_bash", "COMP_WORDS": "campctl resume --undo ",
              "COMP_CWORD": "3"}),
        ([], {"_CAMPCTL_COMPLETE": "complete_bash", "COMP_WORDS": "campctl runs ",
              "COMP_CWORD": "2"}),
        (["runs", "--help"], {}),
        (["list", "--help"], {}),
    ],
)  # fmt: skip
def test_help_and_completion_import_neither_httpx_nor_pydantic(
    args: list[str], env: dict[str, str]
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOADED, *args],
        env={**os.environ, **env},
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.stderr.decode().splitlines()[-1] == "HEAVY="


def test_json_into_a_full_disk_is_one_line_and_exit_1() -> None:
    with open("/dev/full", "wb") as full:
        done = run(["vendors", "--json"], stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 1
    assert done.stderr == b"campctl: cannot write to stdout: No space left on device\n"


@pytest.mark.parametrize(
    "args", [["vendors"], ["providers"], ["help", "targets"], ["--help"], ["config", "path"]]
)
def test_other_output_into_a_full_disk(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = run(args, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines()[-1] == (
        "campctl: cannot write to stdout: No space left on device"
    )
    assert b"Traceback" not in done.stderr


def test_results_into_a_full_disk_keep_a_worse_code(tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        ok = run(["status", "--sandbox", "woodpecker:12345"], stdout=full, stderr=subprocess.PIPE)
        unsupported = run(
            ["status", "--sandbox", "--json", "leadterra:camp_123"],
            stdout=full,
            stderr=subprocess.PIPE,
        )
    assert ok.returncode == 1  # nothing failed, but the results were lost
    assert ok.stderr.decode().endswith("campctl: cannot write to stdout: No space left on device\n")
    assert unsupported.returncode == 1  # the results' own code (1) stands
    assert b"Traceback" not in ok.stderr + unsupported.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["vendors"], 0),
        (["vendors", "--json"], 0),
        (["status", "--sandbox", "woodpecker:12345"], 0),
        (["status", "--sandbox", "--json", "woodpecker:12345"], 0),
        (["status", "--sandbox", "woodpecker:12345", "leadterra:camp_123"], 1),
        (["help", "environment"], 0),
    ],
)
def test_a_closed_pipe_exits_quietly_with_the_results_code(args: list[str], code: int) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before campctl writes a byte
    try:
        done = run(args, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert done.returncode == code
    assert b"Traceback" not in done.stderr
    assert b"Exception ignored" not in done.stderr
    assert b"cannot write" not in done.stderr


def test_head_closing_the_pipe_early() -> None:
    script = f'{CAMPCTL} help environment | head -1; echo "rc=${{PIPESTATUS[0]}}" >&2'
    done = subprocess.run(["bash", "-c", script], capture_output=True, check=False, timeout=60)
    assert done.stdout == b"Environment variables campctl reads\n"
    assert done.stderr == b"rc=0\n"


@pytest.mark.parametrize("args", [["vendors"], ["vendors", "--json"], ["--help"]])
def test_stdout_closed(args: list[str]) -> None:
    done = subprocess.run(
        ["bash", "-c", f'{CAMPCTL} "$@" >&-', "bash", *args],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == b"campctl: cannot write to stdout: Bad file descriptor\n"


def test_stdout_closed_still_acts_and_audits(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    done = subprocess.run(
        ["bash", "-c", f"{CAMPCTL} pause --sandbox --audit-log {log} woodpecker:12345 >&-"],
        capture_output=True,
        check=False,
        timeout=60,
        env={**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")},
    )
    assert done.returncode == 1
    assert done.stderr.decode().endswith("campctl: cannot write to stdout: Bad file descriptor\n")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["kind"] for line in lines] == ["run", "target", "end"]
    assert lines[1]["target"] == "woodpecker:12345"


def test_summary_on_stderr_when_stdout_is_redirected_in_a_terminal(tmp_path: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [CAMPCTL, "status", "--sandbox", "woodpecker:12345", "leadterra:camp_123"],
            stdout=subprocess.PIPE,
            stderr=follower,
            env={**os.environ, "NO_COLOR": "1", "XDG_STATE_HOME": str(tmp_path)},
            check=False,
            timeout=60,
        )
        os.close(follower)
        err = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            err += chunk
    finally:
        os.close(leader)
    assert done.returncode == 1
    assert (
        done.stdout == b"woodpecker:12345 done running\nleadterra:camp_123 failed - unsupported\n"
    )
    assert b"campctl: 2 target(s): 1 done, 0 noop, 1 failed, 0 skipped (exit 1)" in err


# -- each command's help describes its own options ------------------------------------------------
def help_text(*path: str) -> str:
    result = cli([*path, "--help"])
    assert result.exit_code == 0
    return result.stdout


def option_help(text: str, option: str) -> str:
    """An option's help, its lines joined (Click re-wraps: compare words, not lines)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"\s+(-\w, )?{option}\b", line))
    words = lines[start].split()
    words = words[words.index(option) + 1 :]
    for line in lines[start + 1 :]:
        if not line.startswith(" " * 6):  # the next option (2 spaces) or section
            break
        words += line.split()
    return " ".join(words)


def test_status_and_list_help_have_no_selectors_or_journal() -> None:
    for path in (["status"], ["list"]):
        text = help_text(*path)
        for absent in ("--all-running", "--dry-run", "--undo", "--audit-log", "--reason",
                       "--verify", "selector", "journal"):  # fmt: skip
            assert absent not in text, (path, absent)
    status = help_text("status")
    assert option_help(status, "--provider") == "NAME Provider profile for bare campaign IDs."
    assert "simulator" in option_help(status, "--sandbox")
    listing = help_text("list")
    assert "bare" not in listing
    assert "A profile to list; repeatable" in option_help(listing, "--provider")


def test_pause_and_resume_help_say_what_their_options_do_there() -> None:
    pause = help_text("pause")
    assert "--all-running or --sender, repeatable" in option_help(pause, "--provider")
    assert "sandbox journal" in option_help(pause, "--sandbox")
    resume = help_text("resume")
    assert option_help(resume, "--provider") == "NAME Provider profile for bare campaign IDs."
    assert "--all-running" not in resume  # accepted only to be refused, so not offered


def test_runs_sandbox_reads_the_sandbox_journal() -> None:
    text = option_help(help_text("runs"), "--sandbox")
    assert text.startswith("Read the sandbox journal")
    assert "no keys needed" not in text


def test_list_status_help_names_the_whole_vocabulary() -> None:
    from campctl.statuses import status_words

    text = option_help(help_text("list"), "--status")
    for word, meaning in status_words().items():
        if word == meaning:
            assert word in text, word
    assert "active" in text


def test_config_help_and_the_starter_point_to_what_a_pip_user_has(tmp_path: Path) -> None:
    assert "providers.example.toml" not in TOPICS["config"].text
    assert "'campctl config init' writes" in TOPICS["config"].text
    target = tmp_path / "p.toml"
    assert cli(["config", "init", str(target)]).exit_code == 0
    starter = target.read_text()
    assert "providers.example.toml" not in starter
    assert "campctl help config" in starter.splitlines()[0]


# -- list: a closed status vocabulary, vendors that can be listed ---------------------------------
@pytest.mark.parametrize(
    ("word", "hint"), [("runing", "did you mean 'running'? "), ("zzz", ""), ("activ", "")]
)
def test_list_status_outside_the_vocabulary_is_a_usage_error(word: str, hint: str) -> None:
    result = cli(["list", "--sandbox", "--status", word])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"campctl: error: --status '{word}' is not a campaign status; {hint}")
    assert "use one of: completed, draft, edited, paused, pending_approval, running, " in line
    assert "vendor_paused" in line
    assert "or a vendor's word for one: active (running)" in line
    as_json = cli(["list", "--sandbox", "--json", "--status", word])
    assert json.loads(as_json.stdout)["error"]["kind"] == "usage"


def test_list_status_takes_a_vendor_word_in_any_case() -> None:
    def listed(word: str) -> list[tuple[str, str]]:
        result = cli(["list", "--sandbox", "--json", "-p", "alta", "-p", "woodpecker",
                      "--status", word])  # fmt: skip
        assert result.exit_code == 0, result.stderr
        return [(c["target"], c["status"]) for c in json.loads(result.stdout)["campaigns"]]

    running = listed("running")
    assert {target.split(":")[0] for target, _ in running} == {"alta", "woodpecker"}
    assert {status for _, status in running} == {"running"}
    # Alta's word means running for every vendor: Woodpecker's RUNNING campaigns too.
    assert listed("active") == listed("RUNNING") == listed("in_progress") == running
    assert listed("vendor_paused") == []


def test_list_of_a_vendor_without_a_list_names_the_vendors_that_have_one() -> None:
    result = cli(["list", "--sandbox", "-p", "leadterra"])
    assert result.exit_code == 2
    listers = "voicegenie, alta, woodpecker, instantly, lemlist, smartlead"
    assert f"(vendors that document a campaign list: {listers})" in result.stderr
    sender = cli(["pause", "--sandbox", "--sender", "acme.io", "-p", "alta"])
    assert sender.exit_code == 2
    senders = "woodpecker, instantly, lemlist, smartlead"
    assert f"(vendors that expose senders: {senders})" in sender.stderr


def test_sandbox_titles_are_highlighted_even_without_colours(isolation: Path) -> None:
    """NO_COLOR (set by the isolation fixture) drops colours, not reverse video."""
    terminal = {"TTY_COMPATIBLE": "1", "COLUMNS": "120"}
    journal = isolation / ".state" / "campctl" / "sandbox" / "audit.jsonl"
    journal.parent.mkdir(parents=True)
    journal.write_text(
        json.dumps({"run_id": "20261201T090000Z-aaaaaa", "time": "2026-12-01T09:00:00Z",
                    "action": "pause", "target": "woodpecker:1", "provider": "woodpecker",
                    "campaign_id": "1", "outcome": "done"}) + "\n"
    )  # fmt: skip
    for args in (["runs", "--sandbox"], ["list", "--sandbox", "-p", "woodpecker"],
                 ["status", "--sandbox", "woodpecker:12345"]):  # fmt: skip
        result = cli(args, env=terminal)
        assert result.exit_code == 0, result.stderr
        title = result.stdout.splitlines()[0]
        assert title.endswith(" \x1b[1;7m SANDBOX \x1b[0m simulated vendors"), (args, title)
    assert "SANDBOX" not in cli(["runs"], env=terminal).stdout


def test_each_command_lives_in_its_own_module() -> None:
    """One module per command (groups: one per group), so a front-end or a reader finds a
    command's flags and its call into the engine in one place."""
    from campctl.cli import app

    modules = {
        info.name: info.callback.__module__
        for info in app.registered_commands
        if info.callback is not None
    }
    commands = ("pause", "resume", "status", "runs", "mcp")
    expected = {name: f"campctl.cli.{name}" for name in commands}
    expected |= {"list": "campctl.cli.listing", "providers": "campctl.cli.providers"}
    expected |= {"vendors": "campctl.cli.vendors", "help": "campctl.cli.help"}
    assert modules == expected


def test_the_mcp_sdk_is_imported_only_by_campctl_mcp() -> None:
    """`campctl --help` (and so every other command's start) never pays for the SDK."""
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from campctl.cli import app\n"
        "CliRunner().invoke(app, ['--help'])\n"
        "CliRunner().invoke(app, ['mcp', '--help'])\n"
        "print(sorted(m for m in ('mcp', 'mcp_types', 'campctl.mcp_server') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_sandbox_serve_help_lists_the_seeded_campaigns_of_every_simulator() -> None:
    """PRODUCT.md: the seeds, with their states and senders, are listed in the README and
    in `campctl sandbox serve --help` (built from the registry when that help is shown)."""
    result = cli(["sandbox", "serve", "--help"])
    assert result.exit_code == 0
    text = result.stdout
    assert "Seeded campaigns" in text
    for line in (
        "woodpecker  12345  RUNNING  erlich@acme.io, jared@acme.io",
        "woodpecker  12351  PAUSED  bighead@acme.io",
        "instantly  019cc043-aee6-7ae9-a545-d7de53430e3c  bounce_protect  bighead@acme.io",
        "smartlead  2710268  PAUSED  bighead@acme.io",
        "lemlist  cam_bSn8EORHQxbWPjHvu  running",
        "alta  7c9e6679-7425-40de-944b-e07fc1f90ae7  active  -",
    ):
        assert line in text, line
    assert "more (campctl list --sandbox -p alta)" in text
