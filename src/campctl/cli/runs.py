"""`campctl runs`: the run journal — recent pause/resume runs, or one run's targets."""

from typing import Annotated

import typer

from campctl.cli.completion import complete_run_id
from campctl.cli.help import EXAMPLES
from campctl.cli.options import JsonOpt, ReadAuditLogOpt


def register(app: typer.Typer) -> None:
    app.command(
        "runs",
        help="The run journal: recent pause/resume runs, or one run's targets.",
        epilog=EXAMPLES["runs"],
    )(runs)


def runs(
    ctx: typer.Context,
    run_id: Annotated[
        str | None,
        typer.Argument(
            metavar="RUN_ID|last",
            help="Show this run's targets.",
            show_default=False,
            autocompletion=complete_run_id,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=1, max=1000, help="Runs to show.")
    ] = 20,
    json: JsonOpt = False,
    audit_log: ReadAuditLogOpt = None,
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox",
            help="Read the sandbox journal: runs made with --sandbox or through a config "
            "'campctl sandbox serve' printed.",
        ),
    ] = False,
) -> int:
    from campctl.audit import default_audit_path
    from campctl.errors import UsageError
    from campctl.journal import Journal
    from campctl.views import render_run, render_runs

    path = audit_log.expanduser() if audit_log else default_audit_path(sandbox=sandbox)
    journal = Journal(path)
    diagnostics = ctx.obj.diagnostics
    try:
        if run_id is None:
            found = journal.runs(limit)
            if not found:
                diagnostics.notice(f"no runs recorded in {path}")
            render_runs(found, journal.document(found), json_mode=json, sandbox=sandbox)
            return 0
        view = journal.newest() if run_id == "last" else journal.view(run_id)
        if view is None:
            raise UsageError(f"no run {run_id} in {path}; see 'campctl runs'")
        render_run(view, view.document(journal.skipped), json_mode=json)
        return 0
    finally:
        if journal.skipped:
            diagnostics.line(f"warning: skipped {journal.skipped} unreadable line(s) in {path}")
