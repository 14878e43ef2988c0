"""Where the user's files live (XDG directories, the home directory) and how a TOML config
file is read within bounds.

Standard library only, so Tab completion can use it without loading pydantic: completion
and a run must find the same file and refuse the same hostile ones (a FIFO that would block,
a file of gigabytes, TOML nested a thousand deep).
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from campctl.errors import ConfigError

MAX_CONFIG_BYTES = 1024 * 1024
MAX_CONFIG_DEPTH = 32


class NoHomeError(ConfigError):
    """Neither HOME nor a passwd entry says where the user's files are (some containers)."""


def home() -> Path | None:
    """The home directory, or None when neither HOME nor the passwd database names one."""
    try:
        return Path.home()
    except (RuntimeError, KeyError):
        return None


def expand(path: str) -> Path:
    """`~` expanded where a home is known; kept as typed otherwise (never an exception)."""
    return Path(os.path.expanduser(path))


def xdg_dir(variable: str, *default: str) -> Path:
    """`$variable` if it is an absolute path, else `~/<default>`: the XDG spec says a relative
    value is invalid and must be ignored. Without a home: NoHomeError naming the variable."""
    value = os.environ.get(variable, "")
    if os.path.isabs(value):
        return Path(value)
    base = home()
    if base is None:
        raise NoHomeError(
            "cannot tell where your files are: HOME is not set and your user has no passwd "
            f"entry; set HOME or {variable} to an absolute path"
        )
    return base.joinpath(*default)


def read_toml(path: Path) -> dict[str, Any]:
    """A config file's TOML document, read within bounds: a regular file (a FIFO or device
    is refused at once, never waited on), at most 1 MiB, nested at most 32 levels.

    FileNotFoundError goes to the caller (a missing default file is fine); every other
    problem is a ConfigError naming the file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ConfigError(f"{path}: cannot read config file: Is a directory")
        if not stat.S_ISREG(mode):
            raise ConfigError(
                f"{path}: cannot read config file: not a regular file (a FIFO, socket or "
                "device); give the path of a TOML file"
            )
        raw = _read_at_most(fd, MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: config file larger than {MAX_CONFIG_BYTES // 1024} KiB")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        data = None
    if data is None or _too_deep(data):
        raise ConfigError(f"{path}: invalid TOML: nested deeper than {MAX_CONFIG_DEPTH} levels")
    return data


def _read_at_most(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0 and (chunk := os.read(fd, min(left, 64 * 1024))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _too_deep(document: dict[str, Any]) -> bool:
    """Are tables or arrays nested more than MAX_CONFIG_DEPTH levels below the document?"""
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_CONFIG_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
