"""Turn a key source into the secret itself, without ever echoing it: a profile's API key,
or a notification URL (`url_env`, `url_command`, `url`), which follows the same rules."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from campctl.config import Env, KeySource, Profile
from campctl.errors import ConfigError

if TYPE_CHECKING:
    import subprocess

COMMAND_TIMEOUT = 10.0
MAX_COMMAND_OUTPUT = 64 * 1024  # a key is one short line


class SecretSite(NamedTuple):
    """Where a secret is configured, so messages can name it without showing it."""

    origin: Path | None
    profile: str | None = None
    section: str | None = None  # instead of a profile, e.g. `[[notify]] #2 (slack)`
    noun: str = "key"  # "key" or "URL"
    unset_fix: str = ""  # completes "NAME is not set; export it ..."
    pasted_fix: str = ""  # what to write instead when the variable's name is a pasted secret

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError.at(self.origin, self.profile, key, problem, section=self.section)


def key_site(profile: Profile) -> SecretSite:
    where = (
        f"or set api_key_env/api_key_command in [providers.{profile.name}] of {profile.origin}"
        if profile.origin
        else "or configure a profile with 'campctl config init'"
    )
    pasted = f'Use api_key_env = "{Env.api_key(profile.vendor)}" and export that'
    return SecretSite(profile.origin, profile.name, unset_fix=where, pasted_fix=pasted)


def key_available(profile: Profile) -> bool | None:
    """For `campctl providers`: the checks a run makes, except running a command (None).

    A key that is set but malformed, or inline in a file others can read, raises
    ConfigError just as a run would.
    """
    source = profile.key
    if source.kind == "command":
        return None
    if source.kind == "env" and not os.environ.get(source.env or "", "").strip():
        return False
    resolve_key(profile)
    return True


def resolve_key(profile: Profile) -> str:
    return resolve_secret(profile.key, key_site(profile))


def resolve_secret(source: KeySource, site: SecretSite) -> str:
    """The secret `source` names: a variable's value, a command's output or the inline
    value (only from a file nobody else can read), checked to be one printable line."""
    if source.kind == "env":
        raw = os.environ.get(source.env or "")
        value = (raw or "").strip()
        if not value:
            name = source.shown_name()
            state = "is not set" if raw is None else "is set but empty"
            problem = (
                f"{name} {state}; export it {site.unset_fix}"
                if name
                else f"the variable it names is not set ({source.key_name} {source.hidden()}); "
                f"did you paste the {site.noun} itself? {site.pasted_fix}"
            )
            raise site.error(source.key_name, problem)
        return _checked(source, site, value)
    if source.kind == "inline":
        assert source.inline is not None  # noqa: S101 - KeySource contract
        check_private_file(source, site)
        return _checked(source, site, source.inline.get_secret_value().strip())
    return _checked(source, site, _run_command(source, site))


def _checked(source: KeySource, site: SecretSite, key: str) -> str:
    """A key is one line of printable ASCII without spaces: it goes into an HTTP header (and
    a URL into a request line).

    The error names the owner and the source, never the value or any part of it.
    """
    if not key:
        problem = "is empty"
    elif "\n" in key or "\r" in key:
        problem = "contains a line break"
    elif not key.isascii():
        problem = "contains a non-ASCII character"
    elif any(not "!" <= char <= "~" for char in key):
        problem = "contains a space or control character"
    else:
        return key
    noun = site.noun
    raise site.error(
        source.key_name,
        f"the {noun} from {source.describe()} {problem}; "
        f"a {noun} is one line of printable ASCII without spaces",
    )


def check_private(profile: Profile) -> None:
    """Inline keys only in files nobody else can read, as ssh demands of private keys."""
    check_private_file(profile.key, key_site(profile))


def check_private_file(source: KeySource, site: SecretSite) -> None:
    """An inline secret only in a file nobody else can read (`chmod 600`)."""
    if site.origin is None:
        return
    try:
        mode = site.origin.stat().st_mode
    except OSError as exc:
        raise site.error(source.field, exc.strerror or "") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise site.error(
            source.field,
            f"inline {site.noun} in a file readable by group or others; run 'chmod 600 "
            f"{site.origin}' or use {source.field}_env",
        )


def _run_command(source: KeySource, site: SecretSite) -> str:
    """Run api_key_command in its own process group, so a timeout kills all it started."""
    import subprocess

    argv = list(source.command)
    name = source.shown_name()
    shown = f"command '{name}'" if name else f"the command ({source.hidden()})"

    def fail(problem: str) -> ConfigError:
        return site.error(source.key_name, problem)

    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:  # the program is not named: it may be a pasted key
        problem = (
            "program not found"
            if isinstance(exc, FileNotFoundError)
            else exc.strerror or "the program cannot be started"
        )
        raise fail(
            f"cannot run the command: {problem}; the first item must be a program on PATH "
            "or its full path"
        ) from None
    with proc:
        try:
            stdout = _bounded_output(proc, time.monotonic() + COMMAND_TIMEOUT)
        except BaseException as exc:  # a timeout, or Ctrl-C, which its own session never got
            _kill(proc)
            if isinstance(exc, subprocess.TimeoutExpired):
                raise fail(f"{shown} did not finish within {COMMAND_TIMEOUT:g} s") from None
            raise
        if stdout is None:
            _kill(proc)
            raise fail(
                f"command '{argv[0]}' printed more than {MAX_COMMAND_OUTPUT // 1024} KiB; "
                f"it must print the {site.noun} alone"
            )
    if proc.returncode != 0:
        raise fail(f"{shown} exited with status {proc.returncode}")
    key = stdout.decode("utf-8", "replace").strip()
    if not key:
        raise fail(f"{shown} printed no {site.noun}")
    return key


def _bounded_output(proc: subprocess.Popen[bytes], deadline: float) -> bytes | None:
    """The command's stdout once it has exited, or None as soon as it passes
    MAX_COMMAND_OUTPUT: a command that prints forever costs 64 KiB, never all memory.
    Raises subprocess.TimeoutExpired at `deadline` (monotonic)."""
    assert proc.stdout is not None  # noqa: S101 - started with stdout=PIPE
    out = bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while chunk := _read_before(selector, proc, deadline):
            out += chunk
            if len(out) > MAX_COMMAND_OUTPUT:
                return None
    proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    return bytes(out)


def _read_before(
    selector: selectors.BaseSelector, proc: subprocess.Popen[bytes], deadline: float
) -> bytes:
    """The next piece of stdout (b"" at its end), waiting until `deadline` at most."""
    import subprocess

    assert proc.stdout is not None  # noqa: S101 - started with stdout=PIPE
    left = deadline - time.monotonic()
    if left <= 0 or not selector.select(left):
        raise subprocess.TimeoutExpired(proc.args, COMMAND_TIMEOUT)
    return os.read(proc.stdout.fileno(), 64 * 1024)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill the command's whole process group, so nothing it started is left behind."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
