"""`campctl help [TOPIC]` and the examples at the end of each command's --help.

Plain text only, and nothing heavy imported: `help TOPIC` answers as fast as `--help`.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

import typer

from campctl.cli.completion import complete_topic
from campctl.errors import ExitCode, UsageError
from campctl.registry import GROUP, NO_PLUGINS_ENV, VENDOR_NAMES


class Topic(NamedTuple):
    summary: str
    text: str


def _vendor_variables(suffix: str) -> str:
    """VENDOR_SUFFIX for every vendor, wrapped and indented for the environment topic."""
    import textwrap

    names = ", ".join(f"{vendor.upper()}_{suffix}" for vendor in VENDOR_NAMES) + "."
    return textwrap.fill(names, width=88, initial_indent=" " * 6, subsequent_indent=" " * 6)


EXIT_CODES = f"""\
Exit codes (never renumbered)

  {ExitCode.OK:<4} every target is done or noop (or skipped by --dry-run)
  {ExitCode.FAILED:<4} a target failed with invalid_request, not_found, conflict, unsupported or
       bad_response (or a noop under --strict); also: stdout could not be written
  {ExitCode.USAGE:<4} usage error: bad option, malformed target or campaign ID, unknown
       provider -- nothing was sent
  {ExitCode.CONFIG:<4} configuration error: unreadable or invalid config, missing API key, unsafe
       key file, unusable audit log -- nothing was sent
  {ExitCode.AUTH:<4} the vendor refused the credentials (auth, permission)
  {ExitCode.TEMPORARY:<4} temporary failure after retries (rate_limited, timeout, network,
       vendor_error): safe to run again later
  {ExitCode.INTERRUPTED:<4} interrupted (Ctrl-C); every target still gets a result (skipped if
       not sent)
  143  stopped by SIGTERM, handled like Ctrl-C
  129  stopped by SIGHUP, handled like Ctrl-C

When targets fail in different ways, the code is the first that applies in the order
4, 1, 5. With --json the code is also the document's "exit_code".
"""

ENVIRONMENT = f"""\
Environment variables campctl reads

  CAMPCTL_CONFIG
      The config file, when --config is not given. Like --config, it must exist.
  XDG_CONFIG_HOME
      Default config file: $XDG_CONFIG_HOME/campctl/providers.toml
      (unset or relative: ~/.config/campctl/providers.toml). Never the current directory.
  XDG_STATE_HOME
      Audit log and run journal: $XDG_STATE_HOME/campctl/audit.jsonl; the --sandbox
      simulator's state and journal under $XDG_STATE_HOME/campctl/sandbox/
      (unset or relative: ~/.local/state).
  HOME
      Base of the defaults above. With neither HOME nor a passwd entry, --no-audit runs
      still work; a command that needs a default path stops with exit 3.
  <VENDOR>_API_KEY
      The key of each built-in profile (and of each plugin vendor's):
{_vendor_variables("API_KEY")}
      A profile in the config file reads the variable its api_key_env names (default
      the same <VENDOR>_API_KEY).
  <VENDOR>_BASE_URL
      Base URL of a built-in profile (no config entry for that vendor):
{_vendor_variables("BASE_URL")}
      Required for a vendor with no default base URL ('campctl vendors' shows which).
  {NO_PLUGINS_ENV}
      Set to 1: vendor plugins are not loaded (see 'campctl help plugins').
  NO_COLOR
      No colours.
  FORCE_COLOR, TTY_COMPATIBLE=1, TERM, COLUMNS
      Terminal detection and width, by Rich's rules: FORCE_COLOR or TTY_COMPATIBLE=1 treat
      a pipe as a terminal (table, progress line); TERM=dumb means no colours or cursor
      movement; COLUMNS sets the width when it cannot be read from the terminal.
  HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY (and their lower-case forms)
      Proxies. Honoured only for https:// base URLs; a loopback or http:// base URL never
      goes through a proxy. NO_PROXY is respected. A malformed value (not
      http(s)://HOST[:PORT]) is a configuration error, exit 3, for any run with an https://
      base URL, --dry-run included: it shows the run that would fail.
  SSL_CERT_FILE, SSL_CERT_DIR
      CA certificates for https:// base URLs.
  _CAMPCTL_COMPLETE, COMP_WORDS, COMP_CWORD, _TYPER_COMPLETE_ARGS
      Set by the shell completion script (campctl --install-completion); not for humans.
"""

CONFIG = f"""\
The config file

Found at --config PATH, else $CAMPCTL_CONFIG, else $XDG_CONFIG_HOME/campctl/providers.toml
(default ~/.config/campctl/providers.toml) -- never in the current directory.
'campctl config path' prints which one is in use; 'campctl config init' writes a commented
starter file; 'campctl providers' checks every profile.

No file is fine: each vendor name is a built-in profile whose key comes from
<VENDOR>_API_KEY (see 'campctl help environment'). Vendors: {", ".join(VENDOR_NAMES)}
and any plugin's ('campctl vendors' lists them all).

  default_provider = "woodpecker"        # optional: the profile for bare campaign IDs

  [providers.woodpecker]                 # profile name: [a-z0-9][a-z0-9_-]*
  vendor = "woodpecker"                  # one of the vendors above
  api_key_env = "WOODPECKER_API_KEY"     # one key source: api_key_env, api_key_command, api_key
  # base_url = "https://api.woodpecker.co/rest"
  # timeout = 10.0                       # seconds per request (--timeout overrides)
  # retries = 3                          # retries of temporary failures (--retries overrides)
  # company_id = "4567"                  # Woodpecker agency keys: sent as x-company-id

  [providers.alta-us]
  vendor = "alta"
  api_key_command = ["op", "read", "op://ops/alta/token"]  # run without a shell; stdout = key
  prospects = true                       # Alta: also pause/resume prospects
  # account_id = "acc_123"               # Alta multi-account users: sent as x-account-id

  [providers.voicegenie]
  vendor = "voicegenie"
  base_url = "https://voicegenie.example.net"   # required: no production URL is published
  api_key_env = "VOICEGENIE_API_KEY"

  [[notify]]                             # told after every pause/resume that sends
  kind = "slack"                         # a Slack incoming webhook: {{"text": ...}}
  url_env = "CAMPCTL_SLACK_WEBHOOK"      # one URL source: url_env, url_command, url

  [[notify]]
  kind = "webhook"                       # POSTs the run's --json document (incident tools)
  url_command = ["op", "read", "op://ops/incident/webhook"]
  actions = ["pause"]                    # default: pause and resume

Rules:
  * api_key (inline) only in a file nobody else can read (chmod 600).
  * An api_key_env or api_key_command program that looks like a key is never shown: a
    variable name not in upper case, or any word (between _ - . /) of 24+ characters, or
    of 8+ that mixes letters and digits (A1B2C3D4E5F6G7H8); messages say so instead.
  * base_url must be https://; http:// only for 127.0.0.1, ::1 and localhost.
  * A [[notify]] URL is a secret, read like a key (url inline only under chmod 600), and
    follows the base_url rule. A bad [[notify]] table (unknown kind or key, two URL
    sources, an unset url_env) never stops a pause or resume: that target is reported as
    not delivered (kind config; a --dry-run warns); --no-notify skips them. Under --sandbox
    the [[notify]] tables of this file are used too (the message says SANDBOX).
  * A notification never changes a run's results or exit code: one that fails is one
    stderr line and "notify_errors" in --json. 'campctl notify test' tries each target.
  * Unknown keys, an unknown vendor or two key sources are errors naming the file, the
    profile and the key (exit 3). A profile is checked fully when it is used, so a typo in
    one profile never blocks pausing through another.
  * An explicit --config or $CAMPCTL_CONFIG that does not exist is an error (exit 3).
'campctl config init' writes a starter file with a commented profile for every vendor;
'campctl vendors' lists each vendor's default base URL and campaign-ID format.
"""

TARGETS = """\
Targets

  PROVIDER:CAMPAIGN_ID       e.g. woodpecker:12345, alta:7c9e6679-7425-40de-944b-e07fc1f90ae7
  CAMPAIGN_ID                with --provider/-p NAME, or default_provider from the config

PROVIDER is a profile name from the config file or a built-in vendor name. One command may
mix providers; results come back in input order.

--from-file PATH reads one target per line (--from-file - reads stdin):
  * '#' starts a comment anywhere on a line; blank lines are ignored;
  * a UTF-8 byte-order mark and CRLF line ends are accepted.
Arguments and file lines may be combined.

Every target is checked before anything is sent. All bad targets are reported at once --
up to 20 lines, then "and N more" -- each with where it came from ('argument 3',
'targets.txt:7', 'stdin:2') and what is wrong: an unknown provider, a missing campaign ID,
or an ID that does not match the vendor's format (the message names the format;
'campctl vendors' lists them all). Then campctl exits 2 and sends nothing. Common slips
get a suggestion: a misspelt provider ("did you mean 'woodpecker'?"), a space for the
colon ('woodpecker 12345': "did you mean woodpecker:12345?"), a pasted vendor URL (the
target it names, when the campaign ID can be read from it).

A target given twice is acted on once and reported once, at its first position; --verbose
names the duplicates on stderr.

Examples:
  campctl pause woodpecker:12345 leadlex:cmp_abc123
  campctl pause -p woodpecker 12345 12346
  grep -v '^#' targets.txt | campctl pause --from-file -
"""

RUNBOOK = """\
Runbook: a blocklisted sending domain

Find what is sending, stop it with a reason, confirm it stopped, and later restore exactly
what was stopped -- never a campaign a vendor paused for safety (Woodpecker's Bounce Shield).
Every command runs as written against the built-in simulator; drop --sandbox for the real
thing (and 'sandbox reset', which only rehearsal needs). The README has the same runbook.

  # 0. rehearsal only: start from the seeded sandbox
  campctl sandbox reset

  # 1. find: what is running, and what sends from the blocklisted domain
  campctl list --sandbox --status running
  campctl list --sandbox --sender acme.io

  # 2. stop, with a reason; --verify reads each campaign back
  campctl pause --sandbox --sender acme.io --reason "acme.io blocklisted (INC-1042)" --verify

  # 3. confirm: the journal has the run; status reads the campaigns back
  campctl runs --sandbox
  campctl runs --sandbox last
  campctl status --sandbox woodpecker:12345 woodpecker:12347 woodpecker:12350

  # 4. restore, once the domain is clean: resume exactly what step 2 paused
  campctl resume --sandbox --undo last --verify --reason "acme.io delisted (INC-1042)"

--all-running instead of --sender pauses every running campaign of the listable profiles
(-p NAME to choose); vendors without a list ('campctl vendors') are paused by ID or with
--from-file. --dry-run sends only the list requests.

See also: 'campctl help targets', 'campctl help exit-codes'.
"""

PLUGINS = f"""\
Vendor plugins

A package adds a vendor without changing campctl: one registry entry, published as an
entry point in the group '{GROUP}' whose name is the vendor name. In the
package's pyproject.toml:

  [project.entry-points."{GROUP}"]
  acme = "campctl_acme:ENTRY"

  # campctl_acme/__init__.py -- keep it light: only names, nothing imported yet
  from campctl.registry import VendorEntry
  ENTRY = VendorEntry(
      name="acme",                                    # [a-z][a-z0-9_]*, not a built-in
      adapter="campctl_acme.adapter:AcmeAdapter",     # "module:Class", imported on use
      simulator="campctl_acme.simulator:Acme",        # or None: then no --sandbox
  )

The adapter subclasses campctl.providers.base.Adapter:
  meta        VendorMeta: name (= the vendor name), title, default base URL, auth header
              and scheme, campaign-ID pattern and format, rate limits, what it documents
              (status, list, senders) -- 'campctl vendors' prints it
  Options     a pydantic model of the vendor's own profile keys (default: none)
  request_for(action, campaign_id)
              the RequestSpec of a pause, resume or status (None: not documented)
  interpret(action, reply)
              the Verdict of an answer: self.done(), self.noop(), self.error(reply)
  list_request, read_list_page
              a campaign list, for vendors that document one (meta can_list)
The shared transport applies auth, limits, retries and redaction; an adapter never
builds a client.

The simulator subclasses campctl.sandbox.vendors.base.Vendor (name = the vendor name):
routes, seed(), extra_id(), error() and act() answer like the vendor on 127.0.0.1, so
'--sandbox' and 'campctl sandbox serve' rehearse it. A vendor without a simulator cannot
be used with --sandbox: that would reach the real vendor, so it is a usage error.

Entry points are read only when a command needs a vendor that is not built in, or the
whole list ('campctl vendors', completion, a config naming an unknown vendor) -- never
for --help or a pause of built-in vendors. A plugin that fails to load, or claims a
name already taken, is skipped with one warning; everything else works.
{NO_PLUGINS_ENV}=1 turns plugins off. 'campctl vendors' shows each plugin's
package and version. The repository's examples/campctl-acme is a complete plugin with
tests.
"""

MCP = """\
campctl for an AI agent (MCP)

'campctl mcp' serves campctl's tools to an MCP client (an ops copilot) on stdin/stdout.
It needs the MCP SDK: pip install 'campctl[mcp]'. In the client's configuration:

  {"mcpServers": {"campctl": {"command": "campctl", "args": ["mcp"]}}}

  # rehearse first: "args": ["mcp", "--sandbox"]; look only: "args": ["mcp", "--read-only"]

Tools (each result is the document the matching command prints with --json):
  list_campaigns     profiles?, status?, sender?                 read-only
  campaign_status    targets                                     read-only
  recent_runs        limit?                                      read-only
  run_details        run_id                                      read-only
  pause_campaigns    targets? | all_running? | sender? (profiles?) | undo?, reason,
                     verify?, confirm?                           not destructive, idempotent
  resume_campaigns   targets? | undo?, reason, verify?, confirm? destructive, idempotent

Nothing changes without confirmation: a pause_campaigns or resume_campaigns call without
'confirm' sends only a dry run's reads and returns its document with 'confirm' (a token)
and 'confirm_expires_at'. The same call with that token acts on exactly the targets the
preview showed. A token works once, for those arguments, for 5 minutes; a wrong, used or
expired one is a tool error and sends nothing. 'reason' is required.

Runs are journaled like CLI runs ("via": "mcp"), undoable from either side, and share
the vendors' limits across concurrent calls. Usage and configuration errors are tool
errors carrying the error document. Options: --config, --sandbox, --audit-log,
--no-audit, --read-only (serve only the read-only tools).
"""

TOPICS: dict[str, Topic] = {
    "exit-codes": Topic("what each exit code means", EXIT_CODES),
    "environment": Topic("every environment variable campctl reads", ENVIRONMENT),
    "config": Topic("the config file: where it is and what it may say", CONFIG),
    "targets": Topic("target syntax, --from-file, validation", TARGETS),
    "runbook": Topic("the incident runbook", RUNBOOK),
    "mcp": Topic("campctl for an AI agent: the MCP server and its tools", MCP),
    "plugins": Topic("add a vendor from another package: the plugin API", PLUGINS),
}


def _examples(*lines: str) -> str:
    """An epilog Click prints as written (\\b: do not re-wrap)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


EXAMPLES = {
    "pause": _examples(
        "campctl pause woodpecker:12345 alta:7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "campctl pause -p woodpecker 12345 12346",
        "campctl pause --dry-run --from-file incident-targets.txt",
        "campctl pause --json --from-file incident-targets.txt > paused.json",
        "campctl pause --sandbox -p woodpecker 12345        # rehearse on the simulator",
        "campctl pause --sender acme.io --reason 'acme.io blocklisted' --verify",
        "campctl pause --all-running -p woodpecker -p alta --dry-run",
    ),
    "resume": _examples(
        "campctl resume woodpecker:12345",
        "campctl resume --prospects alta:7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "campctl resume --dry-run --from-file incident-targets.txt",
        "campctl resume --sandbox -p woodpecker 12345",
        "campctl resume --undo last --verify            # exactly what the last pause changed",
    ),
    "list": _examples(
        "campctl list",
        "campctl list -p woodpecker --sender acme.io",
        "campctl list --status running --json",
        "campctl list --sandbox --status active        # a vendor's word for running",
    ),
    "runs": _examples(
        "campctl runs",
        "campctl runs last",
        "campctl runs 20261129T143000Z-3f9a1c --json",
        "campctl runs --sandbox last                   # the last rehearsal",
    ),
    "status": _examples(
        "campctl status woodpecker:12345 leadlex:cmp_abc123",
        "campctl status --json --from-file incident-targets.txt",
        "campctl status --sandbox -p woodpecker 12345",
    ),
    "providers": _examples(
        "campctl providers",
        "campctl providers --json --config ./providers.toml",
    ),
    "vendors": _examples("campctl vendors", "campctl vendors --json"),
    "mcp": _examples(
        "campctl mcp                     # for an MCP client's configuration",
        "campctl mcp --sandbox           # rehearse against the simulator",
        "campctl mcp --read-only --config ./ops.toml",
    ),
    "config init": _examples(
        "campctl config init                     # the default location",
        "campctl config init ./providers.toml --force",
    ),
    "config path": _examples("campctl config path", "campctl config path --json"),
    "notify test": _examples(
        "campctl notify test",
        "campctl notify test --config ./providers.toml --json",
    ),
    "help": _examples(
        "campctl help exit-codes", "campctl help environment", "campctl help plugins"
    ),
}


def topics_overview() -> str:
    width = max(len(name) for name in TOPICS)
    lines = ["Help topics (campctl help TOPIC):", ""]
    lines += [f"  {name:<{width}}  {topic.summary}" for name, topic in TOPICS.items()]
    lines += ["", "Commands: campctl --help, or campctl COMMAND --help."]
    return "\n".join(lines) + "\n"


def help_command(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="TOPIC",
            help=f"One of: {', '.join(TOPICS)}; or a command name.",
            autocompletion=complete_topic,
            show_default=False,
        ),
    ] = None,
) -> int:
    """Print a help topic: exit codes, environment variables, the config file, targets."""
    from campctl.output import write_stdout

    if topic is None:
        write_stdout(topics_overview())
        return 0
    if topic in TOPICS:
        write_stdout(TOPICS[topic].text)
        return 0
    root = ctx.find_root()
    command = getattr(root.command, "get_command", lambda *_: None)(root, topic)
    if command is not None and topic != "help":
        with typer.Context(command, info_name=topic, parent=root) as sub:
            write_stdout(command.get_help(sub) + "\n")
        return 0
    raise UsageError(f"unknown help topic '{topic}'; topics: {', '.join(TOPICS)}")


def register(app: typer.Typer) -> None:
    app.command("help", help="Print a help topic.", epilog=EXAMPLES["help"])(help_command)
