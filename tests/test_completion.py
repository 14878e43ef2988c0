"""Shell completion through the installed console script, as bash, zsh and fish call it:
commands, options, provider names from the config — never a key command, never slow."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from campctl.cli.completion import config_file, provider_names
from campctl.registry import VENDOR_NAMES

CAMPCTL = str(Path(sys.executable).parent / "campctl")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    marker = tmp_path / "KEY-COMMAND-RAN"
    path = tmp_path / "providers.toml"
    path.write_text(
        'default_provider = "wp-eu"\n'
        "[providers.wp-eu]\n"
        'vendor = "woodpecker"\n'
        f'api_key_command = ["touch", "{marker}"]\n'
        "[providers.alta-us]\n"
        'vendor = "alta"\n'
        'api_key_env = "ALTA_US_KEY"\n'
    )
    return path


def complete(env: dict[str, str], config: Path | None = None) -> list[str]:
    full = {**os.environ, **env}
    if config is not None:
        full["CAMPCTL_CONFIG"] = str(config)
    done = subprocess.run(
        [CAMPCTL], env=full, capture_output=True, check=False, timeout=60, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


def bash(words: str, cword: int, config: Path | None = None) -> list[str]:
    env = {"_CAMPCTL_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    return complete(env, config)


def test_commands() -> None:
    assert bash("campctl ", 1) == [
        "pause", "resume", "status", "list", "runs", "providers", "vendors", "mcp", "help",
        "config", "sandbox", "notify",
    ]  # fmt: skip
    assert bash("campctl re", 1) == ["resume"]
    assert bash("campctl config ", 2) == ["init", "path"]


def test_options() -> None:
    options = bash("campctl pause --", 2)
    for option in ("--provider", "--from-file", "--json", "--dry-run", "--timeout", "--prospects"):
        assert option in options
    assert bash("campctl status --pro", 2) == ["--provider"]
    assert "--install-completion" in bash("campctl --", 1)


def test_provider_names_from_the_config_file(config: Path) -> None:
    names = ["wp-eu", "alta-us", "leadlex", "leadterra", "voicegenie", "alta", "woodpecker",
             "instantly", "lemlist", "smartlead"]  # fmt: skip
    assert bash("campctl pause -p ", 3, config) == names
    assert bash("campctl resume --provider al", 3, config) == ["alta-us", "alta"]
    assert not (config.parent / "KEY-COMMAND-RAN").exists()  # never runs api_key_command


def test_provider_names_from_an_explicit_config(config: Path) -> None:
    words = f"campctl status --config {config} -p w"
    assert bash(words, 5) == ["wp-eu", "woodpecker"]


def test_a_broken_or_missing_config_still_completes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[providers.x\n")
    builtins = list(VENDOR_NAMES)
    assert bash("campctl pause -p ", 3, broken) == builtins
    assert bash("campctl pause -p ", 3, tmp_path / "missing.toml") == builtins


def test_help_topics() -> None:
    assert bash("campctl help ", 2) == [
        "exit-codes",
        "environment",
        "config",
        "targets",
        "runbook",
        "mcp",
        "plugins",
    ]
    assert bash("campctl help e", 2) == ["exit-codes", "environment"]


def test_values_of_other_options_fall_back_to_the_shell() -> None:
    assert bash("campctl pause --timeout ", 3) in ([], [""])  # bash: complete -o default
    assert bash("campctl pause --timeout abc --", 4)  # a bad value earlier never breaks it


def test_zsh_and_fish(config: Path) -> None:
    zsh = complete(
        {"_CAMPCTL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "campctl pause -p "}, config
    )
    assert '"wp-eu":"woodpecker"' in "\n".join(zsh)
    fish = complete(
        {
            "_CAMPCTL_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_TYPER_COMPLETE_ARGS": "campctl pause -p ",
        },
        config,
    )
    assert "wp-eu\twoodpecker" in fish
    assert "alta\tbuilt-in" in fish


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_scripts(shell: str) -> None:
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = subprocess.run(
        [CAMPCTL, "--show-completion", shell], env=env, capture_output=True, check=False, text=True
    )
    assert done.returncode == 0
    assert f"_CAMPCTL_COMPLETE=complete_{shell}" in done.stdout


def test_install_completion_bash(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = subprocess.run(
        [CAMPCTL, "--install-completion", "bash"], env=env, capture_output=True, check=False
    )
    assert done.returncode == 0
    script = tmp_path / ".bash_completions" / "campctl.sh"
    assert "_CAMPCTL_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_bash_script_in_a_real_bash(config: Path) -> None:
    """Source the generated script and run its completion function as bash would."""
    script = (
        "source <(campctl --show-completion bash); COMP_WORDS=(campctl pause -p w); "
        'COMP_CWORD=3; _campctl_completion campctl; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    env = {
        **os.environ,
        "PATH": f"{Path(CAMPCTL).parent}{os.pathsep}{os.environ['PATH']}",
        "CAMPCTL_CONFIG": str(config),
        "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1",
    }
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
    )
    assert done.stdout.splitlines() == ["wp-eu", "woodpecker"]


def test_the_light_reader_finds_the_same_file_as_the_config_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from campctl.config import config_path

    assert config_file(None) == config_path(None)[0]
    assert config_file("~/x.toml") == config_path("~/x.toml")[0]
    monkeypatch.setenv("CAMPCTL_CONFIG", str(tmp_path / "env.toml"))
    assert config_file(None) == config_path(None)[0]
    monkeypatch.delenv("CAMPCTL_CONFIG")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert config_file(None) == config_path(None)[0]
    assert provider_names()[-1] == ("smartlead", "built-in")


def test_completion_answers_about_as_fast_as_help() -> None:
    def median(argv: list[str], env: dict[str, str]) -> float:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run(
                argv, env={**os.environ, **env}, capture_output=True, check=False, timeout=60
            )
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    help_time = median([CAMPCTL, "--help"], {})
    completion_time = median(
        [CAMPCTL],
        {
            "_CAMPCTL_COMPLETE": "complete_bash",
            "COMP_WORDS": "campctl pause -p ",
            "COMP_CWORD": "3",
        },
    )
    assert completion_time < help_time * 1.5 + 0.05, (completion_time, help_time)


# -- targets, run IDs, status words -------------------------------------------------------------
def test_target_provider_prefixes(config: Path) -> None:
    assert bash("campctl pause wood", 2) == ["woodpecker:"]
    assert bash("campctl status al", 2, config) == ["alta-us:", "alta:"]
    assert bash("campctl resume -p wp-eu 1 w", 5, config) == ["wp-eu:", "woodpecker:"]
    assert bash("campctl pause woodpecker:1", 2) in ([], [""])  # IDs are the vendor's
    fish = complete(
        {
            "_CAMPCTL_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_TYPER_COMPLETE_ARGS": "campctl pause wp",
        },
        config,
    )
    assert fish == ["wp-eu:\twoodpecker"]


def journal_line(run_id: str, action: str, reason: str | None = None, **more: object) -> str:
    import json

    record = {"run_id": run_id, "action": action, "reason": reason, "time": "t", **more}
    return json.dumps(record) + "\n"


PAUSE_1 = "20261201T090000Z-aaaaaa"
RESUME_1 = "20261201T100000Z-bbbbbb"
PAUSE_2 = "20261202T090000Z-cccccc"


@pytest.fixture
def journal(isolation: Path) -> Path:
    """Old-style target lines and new-style run lines, garbage in between, out of order."""
    path = isolation / ".state" / "campctl" / "audit.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text(
        journal_line(PAUSE_1, "pause", "drill", kind="target", target="woodpecker:1")
        + "not json\n[1, 2]\n"
        + journal_line("2026-bad-id", "pause")
        + journal_line(PAUSE_2, "pause", "acme.io blocklisted", kind="run")
        + journal_line(PAUSE_2, "pause", kind="target")
        + journal_line(RESUME_1, "resume", "\x1b]0;owned\x07", undo_of=PAUSE_1)
        + '{"run_id": "20261203T000000Z-dddddd", "action": '  # a torn last line
    )
    return path


def test_run_ids_for_runs_newest_first(journal: Path) -> None:
    assert bash("campctl runs ", 2) == ["last", PAUSE_2, RESUME_1, PAUSE_1]
    assert bash("campctl runs 2026120", 2) == [PAUSE_2, RESUME_1, PAUSE_1]
    zsh = "\n".join(
        complete({"_CAMPCTL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "campctl runs "})
    )
    assert f'"{PAUSE_2}":"pause\\\\: acme.io blocklisted"' in zsh
    assert "\x1b" not in zsh  # a journal's text never reaches the terminal raw
    assert "\\x1b]0;owned\\x07" in zsh


def test_undo_offers_only_runs_of_the_opposite_action(journal: Path) -> None:
    assert bash("campctl resume --undo ", 3) == ["last", PAUSE_2, PAUSE_1]
    assert bash("campctl pause --undo ", 3) == ["last", RESUME_1]


def test_run_ids_from_the_journal_the_command_would_read(journal: Path, tmp_path: Path) -> None:
    assert bash("campctl runs --sandbox ", 3) == ["last"]  # the sandbox journal is empty
    sandbox = journal.parent / "sandbox" / "audit.jsonl"
    sandbox.parent.mkdir()
    sandbox.write_text(journal_line(RESUME_1, "resume"))
    assert bash("campctl runs --sandbox ", 3) == ["last", RESUME_1]
    other = tmp_path / "other.jsonl"
    other.write_text(journal_line(PAUSE_1, "pause"))
    assert bash(f"campctl resume --audit-log {other} --undo ", 5) == ["last", PAUSE_1]


@pytest.mark.parametrize("kind", ["directory", "fifo", "missing", "unreadable"])
def test_a_journal_that_cannot_be_read_never_breaks_completion(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "journal"
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)  # opening it for reading would block without O_NONBLOCK
    elif kind == "unreadable":
        path.write_text(journal_line(PAUSE_1, "pause"))
        path.chmod(0)
    assert bash(f"campctl runs --audit-log {path} ", 4) == ["last"] or (
        kind == "unreadable" and os.geteuid() == 0  # root reads it anyway
    )


def test_a_huge_journal_is_read_from_its_tail_only(isolation: Path) -> None:
    from campctl.cli.completion import JOURNAL_TAIL, journal_file, recent_runs

    path = journal_file(None, sandbox=False)
    path.parent.mkdir(parents=True)
    with path.open("w") as handle:
        handle.write(journal_line(PAUSE_1, "pause"))  # beyond the tail: not offered
        handle.write("x" * (64 * 1024 * 1024) + "\n")  # a crash's 64 MB line
        handle.write(journal_line(PAUSE_2, "pause"))
    started = time.perf_counter()
    assert recent_runs(path) == [(PAUSE_2, "pause")]
    assert time.perf_counter() - started < 0.5
    assert path.stat().st_size > JOURNAL_TAIL


def test_the_light_journal_path_is_the_one_runs_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from campctl.audit import default_audit_path
    from campctl.cli.completion import journal_file

    for sandbox in (False, True):
        assert journal_file(None, sandbox) == default_audit_path(sandbox=sandbox)
    monkeypatch.delenv("XDG_STATE_HOME")
    for sandbox in (False, True):
        assert journal_file(None, sandbox) == default_audit_path(sandbox=sandbox)
    assert journal_file("~/a.jsonl", False) == Path("~/a.jsonl").expanduser()


def test_status_words_after_status() -> None:
    from campctl.providers.base import STATUS_VOCABULARY

    words = bash("campctl list --status ", 3)
    assert set(words) >= STATUS_VOCABULARY | {"vendor_paused", "active", "in_progress"}
    assert bash("campctl list --status ru", 3) == ["running"]
    zsh = complete(
        {"_CAMPCTL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "campctl list --status a"}
    )
    assert '"active":"running"' in "\n".join(zsh)
