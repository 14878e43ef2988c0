"""Shell-completion candidates that need campctl's knowledge: provider names, help topics.

Completion runs on every Tab press, so this module stays light: it reads only the profile
names from the config file with `tomllib` — never pydantic, never an `api_key_command`,
never the network — and any problem with the file just means fewer candidates (the file
is read with a run's bounds, `campctl.userfiles.read_toml`).
The config file is found by the same precedence as `campctl.config.config_path` (a test
keeps the two in step): --config, else $CAMPCTL_CONFIG, else the XDG default.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from campctl.errors import ConfigError
from campctl.providers import VENDOR_NAMES
from campctl.userfiles import expand, read_toml, xdg_dir

_PROFILE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def config_file(explicit: str | None) -> Path:
    """NoHomeError when there is no home to find the default file in."""
    if explicit:
        return expand(explicit)
    from_env = os.environ.get("CAMPCTL_CONFIG")
    if from_env:
        return expand(from_env)
    return xdg_dir("XDG_CONFIG_HOME", ".config") / "campctl" / "providers.toml"


def provider_names(explicit: str | None = None) -> list[tuple[str, str]]:
    """(profile name, vendor) from the config file, then the built-in vendor profiles."""
    try:
        data = read_toml(config_file(explicit))
    except (OSError, ConfigError):  # read with a run's bounds: a FIFO never blocks Tab
        data = {}
    tables = data.get("providers")
    names: list[tuple[str, str]] = []
    if isinstance(tables, dict):
        for name, table in tables.items():
            if _PROFILE_NAME.fullmatch(name):
                vendor = table.get("vendor") if isinstance(table, dict) else None
                names.append((name, str(vendor) if isinstance(vendor, str) else "?"))
    seen = {name for name, _ in names}
    names += [(vendor, "built-in") for vendor in VENDOR_NAMES if vendor not in seen]
    return names


def complete_provider(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Candidates for --provider: profile names, with the vendor as help (zsh, fish)."""
    explicit = None
    context = ctx
    while context is not None and explicit is None:  # --config given earlier on the line
        value = getattr(context, "params", {}).get("config")
        explicit = value if isinstance(value, str) else None
        context = getattr(context, "parent", None)
    return [(n, v) for n, v in provider_names(explicit) if n.startswith(incomplete)]


def complete_topic(incomplete: str) -> list[tuple[str, str]]:
    from campctl.cli.help import TOPICS

    return [(name, topic.summary) for name, topic in TOPICS.items() if name.startswith(incomplete)]
