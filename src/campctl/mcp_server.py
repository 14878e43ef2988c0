"""`campctl mcp`: campctl's engine as tools for an MCP client (an ops copilot), over stdio.

A front-end like the CLI: every tool calls the library (campctl.api) with one shared
`Context`, so limits, prior-state reads, the journal (`"via": "mcp"`) and redaction are the
CLI's. Each result is the document `--json` prints for that command, as structured content
with an output schema from the same models; usage and configuration errors are tool errors
carrying the error document.

Nothing changes without confirmation: `pause_campaigns` / `resume_campaigns` without
`confirm` send only a dry run's reads and return its document plus a single-use token
(campctl.confirm); the call that brings the token back acts on exactly the previewed
targets — a selector is not evaluated again.

Imports the MCP SDK (the optional extra `campctl[mcp]`) at module level: only `campctl mcp`
imports this module.
"""

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from mcp.server.mcpserver import Context as ToolContext
from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from campctl import __version__, api
from campctl.confirm import Confirmations, Previewed
from campctl.documents import CampaignListing, ErrorBody, ErrorDocument, RunDocument, RunsDocument
from campctl.errors import CampctlError, UsageError
from campctl.events import Event, TargetDone
from campctl.results import Report

INSTRUCTIONS = """\
campctl pauses and resumes outreach campaigns across vendors, and keeps a journal so that
every change can be undone exactly.

Find: list_campaigns (status="running", sender="acme.io") and campaign_status.
Stop: pause_campaigns with targets ("PROVIDER:CAMPAIGN_ID"), all_running or sender, and a
reason. Called without `confirm` it changes nothing and returns a preview with a `confirm`
token; show the preview to the person you act for, then call again with the same
arguments and that token (valid 5 minutes, once).
Check: recent_runs and run_details; verify=true reads each changed campaign back.
Restore: resume_campaigns with undo=RUN_ID (or "last"), previewed and confirmed the same way.
It never resumes a campaign the run did not pause, nor one the vendor paused for safety.
"""

_READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=True)  # reads vendors
_JOURNAL = ToolAnnotations(read_only_hint=True, open_world_hint=False)  # reads the local journal
_PAUSE = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)
# Resuming starts sending again: destructive in MCP's sense.
_RESUME = ToolAnnotations(
    read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=True
)


class ToolReport(Report):
    """A pause/resume tool's result: the run's --json document, or the preview's (a dry run)
    with the token that confirms it and when that token expires."""

    confirm: str | None = None
    confirm_expires_at: str | None = None


Targets = Annotated[
    list[str] | None,
    Field(description='Campaigns as "PROVIDER:CAMPAIGN_ID", e.g. "woodpecker:12345".'),
]
Profiles = Annotated[
    list[str] | None,
    Field(description="Provider profiles to select from (default: every profile that can)."),
]
Reason = Annotated[
    str, Field(min_length=1, description="Why (an incident ID): recorded in the journal.")
]
Undo = Annotated[
    str | None,
    Field(description='Undo a recorded run (its run_id, or "last"): only what it changed.'),
]
Verify = Annotated[bool, Field(description="Read each changed campaign's status back.")]
Confirm = Annotated[
    str | None,
    Field(description="The token a preview returned; omit it to preview (nothing changes)."),
]


def build_server(
    context: api.Context,
    *,
    read_only: bool = False,
    confirmations: Confirmations | None = None,
) -> MCPServer:
    """The server; `context` is shared by every tool call (and so are the vendor limits)."""
    # Warnings only on stderr: the SDK's INFO lines would log every vendor request.
    server = MCPServer(
        name="campctl", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )
    tools = _Tools(context, confirmations or Confirmations())
    server.add_tool(
        tools.list_campaigns,
        name="list_campaigns",
        description="Campaigns of each profile whose vendor documents a list, with status "
        "and senders; filter by status (running, paused, vendor_paused, ...) and sender "
        "(a domain or an address).",
        annotations=_READ_ONLY,
    )
    server.add_tool(
        tools.campaign_status,
        name="campaign_status",
        description="Read each campaign's current status.",
        annotations=_READ_ONLY,
    )
    server.add_tool(
        tools.recent_runs,
        name="recent_runs",
        description="The run journal: recent pause/resume runs, newest first.",
        annotations=_JOURNAL,
    )
    server.add_tool(
        tools.run_details,
        name="run_details",
        description='One run\'s targets and outcomes (a run_id, or "last").',
        annotations=_JOURNAL,
    )
    if not read_only:
        server.add_tool(
            tools.pause_campaigns,
            name="pause_campaigns",
            description="Pause campaigns: targets, all_running or sender (or undo a resume "
            "run). Without confirm: a preview and a confirm token; with it: the change.",
            annotations=_PAUSE,
        )
        server.add_tool(
            tools.resume_campaigns,
            name="resume_campaigns",
            description="Resume campaigns: best undo=RUN_ID of a pause run. Without "
            "confirm: a preview and a confirm token; with it: the change.",
            annotations=_RESUME,
        )
    return server


class _Tools:
    def __init__(self, context: api.Context, confirmations: Confirmations) -> None:
        self.context = context
        self.confirmations = confirmations

    async def list_campaigns(
        self,
        profiles: Profiles = None,
        status: Annotated[str | None, Field(description="Only campaigns in this state.")] = None,
        sender: Annotated[
            str | None, Field(description="Only campaigns sending from this domain or address.")
        ] = None,
    ) -> Annotated[CallToolResult, CampaignListing]:
        return await self._answer(
            lambda: api.list_campaigns(
                profiles=profiles or (), status=status, sender=sender, context=self.context
            )
        )

    async def campaign_status(
        self,
        targets: Annotated[
            list[str],
            Field(min_length=1, description='Campaigns as "PROVIDER:CAMPAIGN_ID".'),
        ],
    ) -> Annotated[CallToolResult, Report]:
        return await self._answer(lambda: api.status(targets, context=self.context))

    async def recent_runs(
        self, limit: Annotated[int, Field(ge=1, le=1000, description="Runs to show.")] = 20
    ) -> Annotated[CallToolResult, RunsDocument]:
        return await self._answer(lambda: asyncio.to_thread(api.runs, limit, context=self.context))

    async def run_details(
        self, run_id: Annotated[str, Field(min_length=1, description='A run_id, or "last".')]
    ) -> Annotated[CallToolResult, RunDocument]:
        return await self._answer(lambda: asyncio.to_thread(api.run, run_id, context=self.context))

    async def pause_campaigns(
        self,
        ctx: ToolContext,
        reason: Reason,
        targets: Targets = None,
        all_running: Annotated[
            bool, Field(description="Every running campaign of the selected profiles.")
        ] = False,
        sender: Annotated[
            str | None,
            Field(description="The running campaigns sending from this domain or address."),
        ] = None,
        profiles: Profiles = None,
        undo: Undo = None,
        verify: Verify = False,
        confirm: Confirm = None,
    ) -> Annotated[CallToolResult, ToolReport]:
        arguments = {
            "reason": reason, "targets": targets, "all_running": all_running, "sender": sender,
            "profiles": profiles, "undo": undo, "verify": verify,
        }  # fmt: skip
        return await self._change("pause_campaigns", api.pause, arguments, confirm, ctx)

    async def resume_campaigns(
        self,
        ctx: ToolContext,
        reason: Reason,
        targets: Targets = None,
        undo: Undo = None,
        verify: Verify = False,
        confirm: Confirm = None,
    ) -> Annotated[CallToolResult, ToolReport]:
        arguments = {"reason": reason, "targets": targets, "undo": undo, "verify": verify}
        return await self._change("resume_campaigns", api.resume, arguments, confirm, ctx)

    # -- the confirmation step ----------------------------------------------------------
    async def _change(
        self,
        tool: str,
        act: Callable[..., Awaitable[Report]],
        arguments: dict[str, Any],
        confirm: str | None,
        ctx: ToolContext,
    ) -> CallToolResult:
        try:
            if confirm is None:
                return await self._preview(tool, act, arguments)
            previewed = self.confirmations.redeem(confirm, tool, arguments)
            return await self._confirmed(act, arguments, previewed, ctx)
        except CampctlError as exc:
            return self._error(exc)

    async def _preview(
        self, tool: str, act: Callable[..., Awaitable[Report]], arguments: dict[str, Any]
    ) -> CallToolResult:
        flags = _flags(arguments)
        report = await act(**flags, dry_run=True, context=self.context)
        undo = arguments["undo"]
        if undo is not None:  # `last` now, not whichever run is last when confirmed
            undo = await asyncio.to_thread(
                api.undone_run, report.action, undo, context=self.context
            )
        previewed = Previewed(tuple(r.target for r in report.results), undo)
        token, expires = self.confirmations.issue(tool, arguments, previewed)
        document = report.model_dump(mode="json")
        document |= {"confirm": token, "confirm_expires_at": expires}
        return _result(document)

    async def _confirmed(
        self,
        act: Callable[..., Awaitable[Report]],
        arguments: dict[str, Any],
        previewed: Previewed,
        ctx: ToolContext,
    ) -> CallToolResult:
        reason, verify = arguments["reason"], arguments["verify"]
        if previewed.undo is not None:
            check = await act(
                undo=previewed.undo, reason=reason, dry_run=True, context=self.context
            )
            if tuple(r.target for r in check.results) != previewed.targets:
                raise UsageError(
                    f"run {previewed.undo}'s targets changed since the preview (another undo?): "
                    "nothing sent; preview again"
                )
            flags: dict[str, Any] = {"undo": previewed.undo}
        elif previewed.targets:
            flags = {"targets": list(previewed.targets)}
        else:
            raise UsageError("the preview showed no campaign to change: nothing to confirm")
        progress = _Progress(ctx)
        context = self.context.subscribed(progress.on_event)
        try:
            report = await act(**flags, reason=reason, verify=verify, context=context)
        finally:
            await progress.flush()
        return _result(report.model_dump(mode="json"))

    # -- results ------------------------------------------------------------------------
    async def _answer(self, call: Callable[[], Awaitable[Any]]) -> CallToolResult:
        """The call's document as the tool's result, or its usage/config error as a tool
        error."""
        try:
            document = await call()
        except CampctlError as exc:
            return self._error(exc)
        return _result(document.model_dump(mode="json"))

    def _error(self, exc: CampctlError) -> CallToolResult:
        message = str(self.context.redactor.scrub(str(exc)))
        document = ErrorDocument(
            error=ErrorBody(kind=exc.kind, message=message), exit_code=int(exc.exit_code)
        ).model_dump(mode="json")
        return CallToolResult(
            content=[TextContent(type="text", text=json.dumps(document, indent=2))],
            structured_content=document,
            is_error=True,
        )


def _flags(arguments: dict[str, Any]) -> dict[str, Any]:
    """The tool's arguments as the library's keywords."""
    flags = dict(arguments)
    flags["targets"] = flags.pop("targets") or ()
    if "profiles" in flags:
        flags["profiles"] = flags.pop("profiles") or ()
    return flags


def _result(document: dict[str, Any]) -> CallToolResult:
    """Structured content, and the same document as text for clients that read only text."""
    return CallToolResult(
        content=[TextContent(type="text", text=json.dumps(document, indent=2))],
        structured_content=document,
    )


class _Progress:
    """A run's finished targets as MCP progress notifications (sent only when the client
    asked for progress with a token)."""

    def __init__(self, ctx: ToolContext) -> None:
        self.ctx = ctx
        self.done = 0
        self.sending: set[asyncio.Task[None]] = set()

    def on_event(self, event: Event) -> None:
        if isinstance(event, TargetDone):
            self.done += 1
            message = f"{event.result.target}: {event.result.outcome.value}"
            task = asyncio.get_running_loop().create_task(
                self.ctx.report_progress(self.done, None, message)
            )
            self.sending.add(task)
            task.add_done_callback(self.sending.discard)

    async def flush(self) -> None:
        """Let the notifications already queued go out before the result does."""
        if self.sending:
            await asyncio.gather(*self.sending, return_exceptions=True)


async def serve(context: api.Context, *, read_only: bool) -> None:
    """Serve on stdin/stdout until the client closes the connection."""
    await build_server(context, read_only=read_only).run_stdio_async()
