"""The Typer app. Commands are thin: they turn flags into options and call the core.

`CampctlGroup.main` is the one place run-stopping errors become a stderr line (or the
--json error document) and an exit code, for the console script and CliRunner alike.
"""

import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from campctl import __version__
from campctl.cli.context import AppContext
from campctl.errors import CampctlError, ExitCode, Interrupted


class CampctlGroup(TyperGroup):
    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        app_context = AppContext(json_mode="--json" in argv)
        extra.setdefault("obj", app_context)
        try:
            code = super().main(
                argv, prog_name or "campctl", complete_var, standalone_mode=False, **extra
            )
        except Interrupted as exc:
            code = app_context.fail(exc.kind, str(exc), exc.code)
        except CampctlError as exc:
            code = app_context.fail(exc.kind, str(exc), exc.exit_code)
        except typer.TyperException as exc:
            code = app_context.fail_typer(exc)
        except KeyboardInterrupt:
            code = app_context.fail("interrupted", "interrupted", ExitCode.INTERRUPTED)
        except Exception as exc:  # pragma: no cover - last line of defence, never a traceback
            code = app_context.fail(
                "internal", f"internal error ({type(exc).__name__}): {exc}", ExitCode.FAILED
            )
        code = int(code or 0)
        if standalone_mode:
            sys.exit(code)
        return code


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"campctl {__version__}\n")
        raise typer.Exit()


app = typer.Typer(
    cls=CampctlGroup,
    name="campctl",
    help="Pause and resume outreach campaigns across Leadlex, Leadterra, VoiceGenie, Alta "
    "and Woodpecker.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Pause and resume outreach campaigns across vendors."""


def _register() -> None:
    from campctl.cli import actions, config, info, journal, sandbox

    actions.register(app)
    journal.register(app)
    info.register(app)
    config.register(app)
    sandbox.register(app)


_register()
