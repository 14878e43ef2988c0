"""Turn a profile's key source into the key itself, without ever echoing it."""

from __future__ import annotations

import os
import stat

from campctl.config import Profile
from campctl.errors import ConfigError

COMMAND_TIMEOUT = 10.0


def key_available(profile: Profile) -> str:
    """For `campctl providers`: yes / no / not checked (commands are not run just to list)."""
    if profile.key.kind == "env":
        return "yes" if os.environ.get(profile.key.env or "") else "no"
    if profile.key.kind == "inline":
        return "yes"
    return "not checked"


def resolve_key(profile: Profile) -> str:
    source = profile.key
    if source.kind == "env":
        value = os.environ.get(source.env or "", "").strip()
        if not value:
            where = (
                f"or set api_key_env/api_key_command in [providers.{profile.name}] of "
                f"{profile.origin}"
                if profile.origin
                else "or configure a profile with 'campctl config init'"
            )
            raise ConfigError.at(
                profile.origin,
                profile.name,
                "api_key_env",
                f"{source.env} is not set; export it {where}",
            )
        return value
    if source.kind == "inline":
        assert source.inline is not None  # noqa: S101 - KeySource contract
        _check_private(profile)
        return source.inline.get_secret_value()
    return _run_command(profile)


def _check_private(profile: Profile) -> None:
    """Inline keys only in files nobody else can read, as ssh demands of private keys."""
    if profile.origin is None:
        return
    try:
        mode = profile.origin.stat().st_mode
    except OSError as exc:
        raise ConfigError.at(profile.origin, profile.name, "api_key", exc.strerror or "") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError.at(
            profile.origin,
            profile.name,
            "api_key",
            f"inline key in a file readable by group or others; run 'chmod 600 "
            f"{profile.origin}' or use api_key_env",
        )


def _run_command(profile: Profile) -> str:
    import subprocess

    argv = list(profile.key.command)
    fail = ConfigError.at
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise fail(
            profile.origin, profile.name, "api_key_command", f"command '{argv[0]}' not found"
        ) from None
    except subprocess.TimeoutExpired:
        raise fail(
            profile.origin,
            profile.name,
            "api_key_command",
            f"command '{argv[0]}' did not finish within {COMMAND_TIMEOUT:.0f} s",
        ) from None
    except OSError as exc:
        raise fail(
            profile.origin,
            profile.name,
            "api_key_command",
            f"cannot run '{argv[0]}': {exc.strerror}",
        ) from None
    if done.returncode != 0:
        raise fail(
            profile.origin,
            profile.name,
            "api_key_command",
            f"command '{argv[0]}' exited with status {done.returncode}",
        )
    key = done.stdout.decode("utf-8", "replace").strip()
    if not key:
        raise fail(
            profile.origin, profile.name, "api_key_command", f"command '{argv[0]}' printed no key"
        )
    return key
