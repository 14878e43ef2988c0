"""`campctl config init` and `campctl config path`."""

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from campctl.errors import ConfigError, UsageError

HEADER = """\
# campctl provider profiles. Reference: 'campctl help config'; 'campctl providers' checks them.
# Each [providers.NAME] is a profile; use it as NAME:CAMPAIGN_ID or with --provider NAME.
# One key source per profile: api_key_env, api_key_command (run without a shell) or
# api_key (inline, only in a file readable by you alone: chmod 600).
# default_provider = "woodpecker"

"""

# Commented hints appended under each generated profile.
HINTS = {
    "alta": [
        "# prospects = true          # also pause/resume prospects",
        '# account_id = "acc_123"   # multi-account users',
    ],
    "woodpecker": ['# company_id = "4567"       # agency keys: act for a client company'],
}

FOOTER = """\
# VoiceGenie publishes no production URL, so its profile needs base_url:
# [providers.voicegenie]
# vendor = "voicegenie"
# base_url = "https://your-voicegenie-host.example"
# api_key_env = "VOICEGENIE_API_KEY"
"""


def register(app: typer.Typer) -> None:
    from campctl.cli.help import EXAMPLES

    group = typer.Typer(help="Create or locate the config file.", no_args_is_help=True)
    group.command(
        "init", help="Write a commented starter providers.toml.", epilog=EXAMPLES["config init"]
    )(init)
    group.command(
        "path",
        help="Print which config file is in use: what a pause would read.",
        epilog=EXAMPLES["config path"],
    )(path)
    app.add_typer(group, name="config")


def starter_config() -> str:
    import tomli_w

    from campctl.config import Env
    from campctl.providers import VENDOR_NAMES

    parts = [HEADER]
    for vendor in VENDOR_NAMES:
        if vendor == "voicegenie":
            continue
        table = {"vendor": vendor, "api_key_env": Env.api_key(vendor)}
        parts.append(tomli_w.dumps({"providers": {vendor: table}}))
        parts.append("# timeout = 10.0\n# retries = 3\n")
        parts.extend(f"{hint}\n" for hint in HINTS.get(vendor, []))
        parts.append("\n")
    parts.append(FOOTER)
    return "".join(parts)


def init(
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="PATH",
            help="Where to write it [default: the file 'campctl config path' names].",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> int:
    from campctl.config import default_config_path

    path = Path(target).expanduser() if target else default_config_path()
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; pass --force to overwrite it")
    write_atomic(path, starter_config())
    sys.stderr.write(f"campctl: wrote {path}\n")
    return 0


def write_atomic(path: Path, content: str) -> None:
    """Write beside the target and rename over it, so a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write config file: {exc.strerror}") from None


def path(
    config: Annotated[
        str | None,
        typer.Option("--config", "-c", metavar="PATH", help="Config file (else $CAMPCTL_CONFIG)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> int:
    """Exactly what a pause would use: an explicit --config or $CAMPCTL_CONFIG that does not
    exist (or does not parse) is the same configuration error, exit 3."""
    import json

    from campctl.config import config_path, load_config
    from campctl.output import write_stdout

    found, named = config_path(config)
    load_config(config)  # raises the ConfigError a pause would raise
    exists = found.exists()
    if json_out:
        source = "--config" if config else ("CAMPCTL_CONFIG" if named else "default")
        document = {"path": str(found), "exists": exists, "source": source, "exit_code": 0}
        write_stdout(json.dumps(document, indent=2) + "\n")
        return 0
    write_stdout(f"{found}\n")
    if not exists:
        sys.stderr.write("campctl: (file does not exist: built-in profiles are in use)\n")
    return 0
