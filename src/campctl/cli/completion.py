"""Shell-completion candidates that need campctl's knowledge: provider names (and the
`PROVIDER:` prefix of a target), run IDs from the journal, status words, help topics.

Completion runs on every Tab press, so this module stays light: it reads only the profile
names from the config file with `tomllib` — never pydantic, never an `api_key_command`,
never the network — and the run IDs from the last JOURNAL_TAIL bytes of the journal; any
problem with either file just means fewer candidates, never an error (the config file is
read with a run's bounds, `campctl.userfiles.read_toml`, so a FIFO never blocks Tab).
The config file and the journal are found by the same precedence as
`campctl.config.config_path` and `campctl.audit.default_audit_path` (tests keep them in
step): --config, else $CAMPCTL_CONFIG, else the XDG default; --audit-log, else the XDG
state directory (the sandbox's own journal under --sandbox).
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from campctl.errors import ConfigError
from campctl.registry import listed_names
from campctl.sanitize import printable
from campctl.userfiles import NoHomeError, expand, read_toml, xdg_dir

_PROFILE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_RUN_ID = re.compile(r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}")
JOURNAL_TAIL = 256 * 1024  # enough for the recent runs; a huge journal stays instant
MAX_RUN_IDS = 20


def config_file(explicit: str | None) -> Path:
    """NoHomeError when there is no home to find the default file in."""
    if explicit:
        return expand(explicit)
    from_env = os.environ.get("CAMPCTL_CONFIG")
    if from_env:
        return expand(from_env)
    return xdg_dir("XDG_CONFIG_HOME", ".config") / "campctl" / "providers.toml"


def provider_names(explicit: str | None = None) -> list[tuple[str, str]]:
    """(profile name, vendor) from the config file, then the built-in profile of every
    vendor (a plugin's too)."""
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
    names += [(vendor, "built-in") for vendor in listed_names() if vendor not in seen]
    return names


def _param(ctx: Any, name: str) -> Any:
    """A parameter given earlier on the command line (--config, --audit-log, --sandbox)."""
    context = ctx
    while context is not None:
        value = (getattr(context, "params", None) or {}).get(name)
        if value is not None:
            return value
        context = getattr(context, "parent", None)
    return None


def _config(ctx: Any) -> str | None:
    value = _param(ctx, "config")
    return value if isinstance(value, str) else None


def complete_provider(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Candidates for --provider: profile names, with the vendor as help (zsh, fish)."""
    return [(n, v) for n, v in provider_names(_config(ctx)) if n.startswith(incomplete)]


def complete_target(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """A target's `PROVIDER:` prefix; campaign IDs are the vendor's, so none are offered."""
    if ":" in incomplete:
        return []
    names = provider_names(_config(ctx))
    return [(f"{n}:", v) for n, v in names if n.startswith(incomplete)]


def journal_file(audit_log: str | Path | None, sandbox: bool) -> Path:
    """NoHomeError when there is no home to find the default journal in."""
    if audit_log:
        return expand(str(audit_log))
    base = xdg_dir("XDG_STATE_HOME", ".local", "state")
    return base / "campctl" / ("sandbox" if sandbox else "") / "audit.jsonl"


def recent_runs(path: Path) -> list[tuple[str, str]]:
    """(run ID, "action: reason") of the newest runs in the journal's tail, newest first.

    A run ID starts with its UTC start time, so sorting the IDs orders the runs. Lines that
    are not JSON objects with a well-formed run ID are skipped; any read error means none.
    The reason is journal text: shown with control characters escaped.
    """
    runs: dict[str, str] = {}
    try:  # non-blocking: a FIFO given as --audit-log must not hang the shell
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError):
        return []
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return []
        os.lseek(fd, max(0, info.st_size - JOURNAL_TAIL), os.SEEK_SET)
        tail = os.read(fd, JOURNAL_TAIL)
    except OSError:
        return []
    finally:
        os.close(fd)
    for line in tail.split(b"\n"):
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue
        run_id = record.get("run_id") if isinstance(record, dict) else None
        if not isinstance(run_id, str) or not _RUN_ID.fullmatch(run_id):
            continue
        action, reason = record.get("action"), record.get("reason")
        about = printable(": ".join(x for x in (action, reason) if isinstance(x, str) and x)[:80])
        if run_id not in runs or len(about) > len(runs[run_id]):
            runs[run_id] = about
    return sorted(runs.items(), reverse=True)[:MAX_RUN_IDS]


def complete_run_id(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """`last` and the recent run IDs; after `--undo`, only runs of the opposite action."""
    try:
        runs = recent_runs(journal_file(_param(ctx, "audit_log"), _param(ctx, "sandbox") is True))
    except NoHomeError:
        runs = []
    command = getattr(ctx, "info_name", None)
    wanted = {"pause": "resume", "resume": "pause"}.get(str(command))
    found = [("last", "the newest run")] + [
        (run_id, about) for run_id, about in runs if wanted is None or about.split(":")[0] == wanted
    ]
    return [(run_id, about) for run_id, about in found if run_id.startswith(incomplete)]


def complete_status(incomplete: str) -> list[tuple[str, str]]:
    """The words `list --status` takes, with what a vendor's own word means."""
    from campctl.statuses import status_words

    words = status_words().items()
    return [(w, "" if w == m else m) for w, m in words if w.startswith(incomplete)]


def complete_topic(incomplete: str) -> list[tuple[str, str]]:
    from campctl.cli.help import TOPICS

    return [(name, topic.summary) for name, topic in TOPICS.items() if name.startswith(incomplete)]
