"""Keys are checked when resolved; api_key_command leaves nothing behind; providers' view."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from campctl.config import Profile, load_config, resolve_profile
from campctl.credentials import check_private, key_available, resolve_key
from campctl.errors import ConfigError, ExitCode
from tests.helpers import TEST_KEY


def profile_from(tmp_path: Path, table: str, mode: int = 0o600) -> Profile:
    path = tmp_path / "p.toml"
    path.write_text(f'[providers.wp]\nvendor = "woodpecker"\n{table}')
    os.chmod(path, mode)
    return resolve_profile(load_config(str(path)), "wp")


def env_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> Profile:
    monkeypatch.setenv("WP_KEY", value)
    return profile_from(tmp_path, 'api_key_env = "WP_KEY"\n')


def command_profile(tmp_path: Path, argv: list[str]) -> Profile:
    rendered = ", ".join(map(json.dumps, argv))  # a JSON string is a TOML basic string
    return profile_from(tmp_path, f"api_key_command = [{rendered}]\n")


def printing(value: str) -> list[str]:
    """A command whose stdout is exactly `value`."""
    return [sys.executable, "-c", f"import sys; sys.stdout.write({value!r})"]


def inline_profile(tmp_path: Path, value: str, mode: int = 0o600) -> Profile:
    return profile_from(tmp_path, f"api_key = {json.dumps(value)}\n", mode)


def config_error(profile: Profile) -> str:
    with pytest.raises(ConfigError) as caught:
        resolve_key(profile)
    assert caught.value.exit_code == ExitCode.CONFIG
    return str(caught.value)


BAD_KEYS = [
    ("sk_live_FIRSTLINE\nsk_live_SECONDLINE", "contains a line break"),
    ("sk_live_CARRIAGE\rRETURN", "contains a line break"),
    ("sk_live_CAFÉ12345", "contains a non-ASCII character"),
    ("sk_live_ZERO\u200bWIDTH", "contains a non-ASCII character"),
    ("sk_live_INNER SPACE", "contains a space or control character"),
    ("sk_live_TAB\tBED", "contains a space or control character"),
    ("sk_live_ESC\x1b[2J", "contains a space or control character"),
    ("sk_live_DEL\x7fDEL", "contains a space or control character"),
]


def assert_names_source_not_value(message: str, value: str, source: str, problem: str) -> None:
    assert "profile 'wp'" in message
    assert source in message
    assert problem in message
    for part in value.replace("\n", " ").replace("\r", " ").replace("\t", " ").split():
        assert part.removeprefix("sk_live_") not in message
    assert "sk_live" not in message
    assert "\n" not in message


@pytest.mark.parametrize(("value", "problem"), BAD_KEYS)
def test_a_malformed_env_key_is_a_config_error_without_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, problem: str
) -> None:
    message = config_error(env_profile(tmp_path, monkeypatch, value))
    assert_names_source_not_value(message, value, "key 'api_key_env'", problem)
    assert "env WP_KEY" in message


@pytest.mark.parametrize(("value", "problem"), BAD_KEYS)
def test_a_malformed_command_key_is_a_config_error_without_the_value(
    tmp_path: Path, value: str, problem: str
) -> None:
    message = config_error(command_profile(tmp_path, printing(value + "\n")))
    assert_names_source_not_value(message, value, "key 'api_key_command'", problem)
    assert f"command {sys.executable}" in message


@pytest.mark.parametrize(("value", "problem"), BAD_KEYS)
def test_a_malformed_inline_key_is_a_config_error_without_the_value(
    tmp_path: Path, value: str, problem: str
) -> None:
    message = config_error(inline_profile(tmp_path, value))
    assert_names_source_not_value(message, value, "key 'api_key'", problem)
    assert "inline api_key" in message


@pytest.mark.parametrize("mode", [0o600, 0o644])
def test_a_command_that_cannot_run_is_not_named(tmp_path: Path, mode: int) -> None:
    """A key pasted into api_key_command is 'not found': the message must not echo it."""
    program = tmp_path / "sk_live_PASTED0123456789"
    if mode == 0o644:  # exists, but is not executable
        program.write_text("#!/bin/sh\n")
        program.chmod(mode)
    message = config_error(command_profile(tmp_path, [str(program)]))
    assert "key 'api_key_command'" in message
    assert "program not found" in message or "Permission denied" in message
    assert "PASTED" not in message


@pytest.mark.parametrize(("script", "problem"), [("exit 1", "exited with status 1"),
                                               ("true", "printed no key")])  # fmt: skip
def test_a_program_named_like_a_key_is_never_echoed(
    tmp_path: Path, script: str, problem: str
) -> None:
    """A key pasted as the program, in a directory where it happens to run."""
    program = tmp_path / "A1B2C3D4E5F6G7H8"
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(0o700)
    message = config_error(command_profile(tmp_path, [str(program)]))
    assert (
        f"the command (value not shown: it looks like a key rather than a program) {problem}"
        in message
    )
    assert "A1B2" not in message.upper()


def test_a_program_with_an_ordinary_name_is_named(tmp_path: Path) -> None:
    assert "command 'false' exited with status 1" in config_error(
        command_profile(tmp_path, ["false"])
    )


def test_an_empty_inline_key_is_a_config_error(tmp_path: Path) -> None:
    assert "is empty" in config_error(inline_profile(tmp_path, "  "))


def test_surrounding_whitespace_and_a_trailing_newline_are_stripped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_key(env_profile(tmp_path, monkeypatch, f"{TEST_KEY}\n")) == TEST_KEY
    assert resolve_key(command_profile(tmp_path, printing(f" {TEST_KEY}\r\n"))) == TEST_KEY
    assert resolve_key(inline_profile(tmp_path, f"{TEST_KEY}\n")) == TEST_KEY
    punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    assert resolve_key(env_profile(tmp_path, monkeypatch, punctuation)) == punctuation


def wait_gone(pid: int, seconds: float = 10.0) -> None:
    """An orphan is reaped by init a moment after it dies."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail(f"process {pid} is still alive")


def test_a_timed_out_command_is_killed_with_everything_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("campctl.credentials.COMMAND_TIMEOUT", 0.5)
    pidfile = tmp_path / "child.pid"
    script = f"sleep 300 & echo $! > {shlex.quote(str(pidfile))}; sleep 300"
    message = config_error(command_profile(tmp_path, ["sh", "-c", script]))
    assert "command 'sh' did not finish within 0.5 s" in message
    wait_gone(int(pidfile.read_text()))


def test_an_interrupted_command_is_killed_with_everything_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C reaches campctl's process group only; the command has a session of its own."""
    pidfile = tmp_path / "child.pid"
    script = f"sleep 300 & echo $! > {shlex.quote(str(pidfile))}; sleep 300"

    def interrupted(proc: subprocess.Popen[bytes], deadline: float) -> Any:
        while not pidfile.exists() or not pidfile.read_text().strip():
            time.sleep(0.01)
        raise KeyboardInterrupt

    monkeypatch.setattr("campctl.credentials._bounded_output", interrupted)
    with pytest.raises(KeyboardInterrupt):
        resolve_key(command_profile(tmp_path, ["sh", "-c", script]))
    wait_gone(int(pidfile.read_text()))


def test_key_available_makes_a_runs_checks_without_running_a_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WP_KEY", "")
    assert key_available(profile_from(tmp_path, 'api_key_env = "WP_KEY"\n')) is False
    monkeypatch.delenv("WP_KEY")
    assert key_available(profile_from(tmp_path, 'api_key_env = "WP_KEY"\n')) is False
    assert key_available(env_profile(tmp_path, monkeypatch, TEST_KEY)) is True
    with pytest.raises(ConfigError, match="line break"):
        key_available(env_profile(tmp_path, monkeypatch, "two\nlines"))
    marker = tmp_path / "ran"
    command = command_profile(tmp_path, ["touch", str(marker)])
    assert key_available(command) is None
    assert not marker.exists()
    assert key_available(inline_profile(tmp_path, TEST_KEY)) is True
    with pytest.raises(ConfigError, match="chmod 600") as caught:
        key_available(inline_profile(tmp_path, TEST_KEY, 0o640))
    assert TEST_KEY not in str(caught.value)


def test_check_private_is_public_for_providers(tmp_path: Path) -> None:
    check_private(inline_profile(tmp_path, TEST_KEY))
    with pytest.raises(ConfigError, match="readable by group or others"):
        check_private(inline_profile(tmp_path, TEST_KEY, 0o604))


FOREVER = "import sys\nwhile True: sys.stdout.buffer.write(b'k' * 65536)"


@pytest.mark.parametrize(
    "script",
    [FOREVER, "import sys; sys.stdout.write('k' * (64 * 1024 + 1))"],
    ids=["forever", "just-over"],
)
def test_a_command_printing_over_64_kib_is_a_config_error(tmp_path: Path, script: str) -> None:
    profile = command_profile(tmp_path, [sys.executable, "-c", script])
    started = time.monotonic()
    message = config_error(profile)
    assert "printed more than 64 KiB" in message
    assert time.monotonic() - started < 8  # stopped at the cap, not at the 10 s timeout


def test_a_command_printing_exactly_64_kib_is_read(tmp_path: Path) -> None:
    profile = command_profile(
        tmp_path, [sys.executable, "-c", "import sys; sys.stdout.write('k' * 64 * 1024)"]
    )
    assert resolve_key(profile) == "k" * 64 * 1024
