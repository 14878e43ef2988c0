"""`campctl config init` and `campctl config path`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from campctl.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from pydantic import BaseModel

HEADER = """\
# campctl provider profiles. Reference: 'campctl help config'; 'campctl providers' checks them.
# Each [providers.NAME] is a profile; use it as NAME:CAMPAIGN_ID or with --provider NAME.
# One key source per profile: api_key_env, api_key_command (run without a shell) or
# api_key (inline, only in a file readable by you alone: chmod 600).
# default_provider = "{default}"

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
    """A profile per registry vendor, with its own keys (adapter `Options`) as commented hints;
    a vendor without a default base URL gets a commented profile saying why it needs one."""
    import textwrap

    import tomli_w

    from campctl.config import Env
    from campctl.registry import adapter_class, names

    adapters = [adapter_class(vendor) for vendor in names()]
    ready = [cls for cls in adapters if cls.meta.default_base_url]
    parts = [HEADER.format(default=ready[0].meta.name if ready else "NAME")]
    for cls in ready:
        vendor = cls.meta.name
        table = {"vendor": vendor, "api_key_env": Env.api_key(vendor)}
        parts.append(tomli_w.dumps({"providers": {vendor: table}}))
        parts.append("# timeout = 10.0\n# retries = 3\n")
        parts.extend(f"{hint}\n" for hint in _option_hints(cls.Options))
        parts.append("\n")
    for cls in adapters:
        if cls.meta.default_base_url is None:
            vendor = cls.meta.name
            parts.append(
                textwrap.fill(
                    f"{cls.meta.base_url_required}. Its profile needs base_url:",
                    88,
                    initial_indent="# ",
                    subsequent_indent="# ",
                )
                + "\n"
                f'# [providers.{vendor}]\n# vendor = "{vendor}"\n'
                f'# base_url = "https://your-{vendor}-host.example"\n'
                f'# api_key_env = "{Env.api_key(vendor)}"\n'
            )
    return "".join(parts).rstrip("\n") + "\n"


def _option_hints(options: type[BaseModel]) -> list[str]:
    """`# key = example   # description` for each vendor-specific profile key."""
    import tomli_w

    hints = []
    for key, field in options.model_fields.items():
        example = field.examples[0] if field.examples else (not field.default)
        value = tomli_w.dumps({key: example}).strip()
        hints.append(f"# {value:<25} # {field.description}" if field.description else f"# {value}")
    return hints


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
