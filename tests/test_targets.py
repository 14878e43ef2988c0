"""Targets: syntax, default providers, per-vendor ID validation — every bad target reported
in one pass, with its source, then exit 2 before any request."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import respx

from campctl.errors import UsageError
from campctl.registry import VENDOR_NAMES
from campctl.targets import (
    MAX_LISTED,
    Duplicate,
    ParsedTargets,
    Target,
    TargetSource,
    argument_sources,
    parse_targets,
    read_target_file,
)
from tests.helpers import TEST_KEY, cli, running

VENDORS = {"woodpecker": "woodpecker", "alta": "alta", "wp-eu": "woodpecker"}
FORMATS = {"woodpecker": (r"[1-9][0-9]*", "a positive integer"), "alta": (r"[a-z-]+", "letters")}


def vendor_of(name: str) -> str | None:
    return VENDORS.get(name)


def check_id(vendor: str, campaign_id: str) -> str | None:
    pattern, described = FORMATS[vendor]
    if re.fullmatch(pattern, campaign_id):
        return None
    return f"not a valid {vendor} campaign ID: expected {described}"


def parse(raw: list[str], default: str | None = None, **kwargs: object) -> ParsedTargets:
    return parse_targets(argument_sources(raw), default, vendor_of, check_id, **kwargs)  # type: ignore[arg-type]


def problems(raw: list[str], default: str | None = None) -> str:
    with pytest.raises(UsageError) as caught:
        parse(raw, default, known_providers=list(VENDORS))
    return str(caught.value)


def test_parse_mixed_and_default_provider() -> None:
    assert parse(["woodpecker:1", "2", "alta:x"], "woodpecker").targets == [
        Target("woodpecker", "1"),
        Target("woodpecker", "2"),
        Target("alta", "x"),
    ]


def test_profiles_are_providers_and_spaces_around_the_colon_are_ignored() -> None:
    assert parse(["wp-eu:7", " alta : abc "]).targets == [
        Target("wp-eu", "7"),
        Target("alta", "abc"),
    ]


def test_duplicates_are_kept_once_at_first_position_and_named() -> None:
    parsed = parse(["woodpecker:1", "alta:b", "1", "alta:b"], "woodpecker")
    assert parsed.targets == [Target("woodpecker", "1"), Target("alta", "b")]
    assert parsed.duplicates == [
        Duplicate(Target("woodpecker", "1"), "argument 3", "argument 1"),
        Duplicate(Target("alta", "b"), "argument 4", "argument 2"),
    ]
    assert parsed.duplicates_note() == (
        "2 duplicate targets acted on once, at the first position: "
        "woodpecker:1 (argument 3, first at argument 1), alta:b (argument 4, first at argument 2)"
    )
    assert parse(["woodpecker:1"]).duplicates_note() is None


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [
        (["12345"], None, "bad target at argument 1: '12345': no provider; write "
         "PROVIDER:12345 or pass --provider NAME"),
        (["nope:1"], None, "bad target at argument 1: 'nope:1': unknown provider 'nope'; "
         "known providers: woodpecker, alta, wp-eu"),
        (["Wood:1"], None, "unknown provider 'Wood'"),
        (["woodpecker:"], None, "bad target at argument 1: 'woodpecker:': missing campaign ID "
         "after 'woodpecker:'"),
        (["woodpecker:   "], None, "missing campaign ID"),
        ([":12"], None, "missing provider before ':'"),
        ([""], "woodpecker", "empty target"),
        (["woodpecker:abc"], None, "bad target at argument 1: 'woodpecker:abc': not a valid "
         "woodpecker campaign ID: expected a positive integer"),
        (["bad id!"], "alta", "'bad id!': not a valid alta campaign ID: expected letters"),
    ],
)  # fmt: skip
def test_each_problem_has_its_precise_reason(
    raw: list[str], default: str | None, expected: str
) -> None:
    message = problems(raw, default)
    assert expected in message
    assert "\n" not in message  # one problem: one line


def test_every_bad_target_in_one_pass_with_its_source() -> None:
    message = problems(["woodpecker:1", "woodpecker:abc", "nope:2", "alta:ok", "alta:"])
    assert message.splitlines() == [
        "3 bad targets:",
        "  argument 2: 'woodpecker:abc': not a valid woodpecker campaign ID: expected a "
        "positive integer",
        "  argument 3: 'nope:2': unknown provider 'nope'",
        "  argument 5: 'alta:': missing campaign ID after 'alta:'",
        "  known providers: woodpecker, alta, wp-eu",
    ]


def test_at_most_twenty_lines_then_a_count() -> None:
    lines = problems([f"woodpecker:x{n}" for n in range(57)]).splitlines()
    assert lines[0] == "57 bad targets:"
    assert len(lines) == 1 + MAX_LISTED + 1
    assert lines[-1] == f"  and {57 - MAX_LISTED} more"
    assert lines[MAX_LISTED].startswith(f"  argument {MAX_LISTED}: ")


def test_an_unknown_default_provider_is_reported_once_not_per_bare_id() -> None:
    message = problems(["1", "2", "3", "woodpecker:x"], default="nope")
    assert message.splitlines()[:3] == [
        "2 bad targets:",
        "  argument 1: '1': unknown provider 'nope' (the provider for bare campaign IDs)",
        "  argument 4: 'woodpecker:x': not a valid woodpecker campaign ID: expected a positive "
        "integer",
    ]


def test_control_characters_and_long_lines_never_reach_the_terminal_raw() -> None:
    message = problems(["woodpecker:1\x1b]0;pwned\x07", "woodpecker:" + "9" * 500 + "x"])
    assert "\x1b" not in message
    assert "\x07" not in message
    assert "\\x1b]0;pwned\\x07" in message
    assert max(len(line) for line in message.splitlines()) < 200
    assert "…" in message


def test_no_targets() -> None:
    with pytest.raises(UsageError, match="no targets given"):
        parse([])
    assert parse([], require=False).targets == []


# -- suggestions -------------------------------------------------------------------------------
def host_vendor(host: str) -> str | None:
    return {"app.woodpecker.co": "woodpecker", "api.woodpecker.co": "woodpecker"}.get(host)


def suggestions(raw: list[str], default: str | None = None) -> list[str]:
    with pytest.raises(UsageError) as caught:
        parse(raw, default, known_providers=list(VENDORS), vendor_of_host=host_vendor)
    return str(caught.value).splitlines()


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [
        (["woodpeker:12345"], None, "unknown provider 'woodpeker'; did you mean 'woodpecker'? "
         "known providers: woodpecker, alta, wp-eu"),
        (["WOODPECKER:12345"], None, "did you mean 'woodpecker'?"),
        (["1"], "woodpeker", "unknown provider 'woodpeker' (the provider for bare campaign IDs);"
         " did you mean 'woodpecker'?"),
        (["woodpecker 12345"], None, "'woodpecker 12345': a provider without a campaign ID; did "
         "you mean woodpecker:12345?"),
        (["https://app.woodpecker.co/campaigns/12345"], None, "'https://app.woodpecker.co/"
         "campaigns/12345': a URL, not a target; did you mean woodpecker:12345 or wp-eu:12345?"),
        (["https://api.woodpecker.co/rest/v2/campaigns/12345/pause"], None,
         "did you mean woodpecker:12345 or wp-eu:12345?"),
        (["https://app.woodpecker.co/panel#/campaigns/777"], None, "did you mean woodpecker:777"),
        (["https://api.woodpecker.co/rest/v1/campaign_list?id=42"], None, "mean woodpecker:42 "),
        (["https://app.woodpecker.co/campaigns/abc"], None, "a URL, not a target; write "
         "PROVIDER:CAMPAIGN_ID (no woodpecker campaign ID could be read from it)"),
        (["https://example.com/campaigns/12345"], None, "'https://example.com/campaigns/12345': "
         "a URL, not a target; write PROVIDER:CAMPAIGN_ID"),
    ],
)  # fmt: skip
def test_mistakes_get_a_suggestion(raw: list[str], default: str | None, expected: str) -> None:
    (line,) = suggestions(raw, default)
    assert expected in line


def test_no_suggestion_for_a_name_like_no_provider() -> None:
    (line,) = suggestions(["zzzz:1"])
    assert "did you mean" not in line
    assert line.endswith("unknown provider 'zzzz'; known providers: woodpecker, alta, wp-eu")


def test_a_space_for_the_colon_between_two_arguments() -> None:
    assert suggestions(["woodpecker", "12345", "alta:ok"]) == [
        "2 bad targets:",
        "  argument 1: 'woodpecker': a provider without a campaign ID; did you mean "
        "woodpecker:12345?",
        "  argument 2: '12345': no provider; write PROVIDER:12345 or pass --provider NAME",
    ]
    assert suggestions(["woodpecker:", "12345"])[1] == (  # a space after the colon
        "  argument 1: 'woodpecker:': a provider without a campaign ID; did you mean "
        "woodpecker:12345?"
    )
    # Under a default provider the pair is suggested only when the ID is no good there.
    (line,) = suggestions(["woodpecker", "12345"], "woodpecker")  # 12345 stands on its own
    assert "did you mean" not in line
    (line,) = suggestions(["alta", "12345"], None)[1:2]  # alta:12345 is no valid target
    assert "did you mean" not in line


def test_suggestions_keep_every_bad_target_in_one_pass() -> None:
    lines = suggestions(["woodpeker:1", "woodpecker", "7", "https://app.woodpecker.co/campaigns/9",
                         "woodpecker:x"])  # fmt: skip
    assert lines[0] == "5 bad targets:"
    assert [line.split(":")[0].strip() for line in lines[1:6]] == [
        f"argument {n}" for n in range(1, 6)
    ]
    assert lines[-1] == "  known providers: woodpecker, alta, wp-eu"


def test_a_pasted_url_never_shows_its_query_fragment_or_user() -> None:
    (line,) = suggestions(["https://me:pw@api.woodpecker.co/rest/v2/campaigns/5?api_key=SECRET#k"])
    assert "SECRET" not in line
    assert "pw" not in line
    assert "'https://api.woodpecker.co/rest/v2/campaigns/5': a URL" in line
    (line,) = suggestions(["https://[::1:bad/campaigns/5"])  # unparsable host: no crash
    assert "a URL, not a target" in line


def test_the_registry_knows_each_vendors_domains() -> None:
    from campctl.targets import registry_vendor_of_host

    assert registry_vendor_of_host("app.woodpecker.co") == "woodpecker"
    assert registry_vendor_of_host("api.altahq.com") == "alta"
    assert registry_vendor_of_host("app.altahq.com") == "alta"
    assert registry_vendor_of_host("leadlex.com") == "leadlex"
    assert registry_vendor_of_host("notwoodpecker.co") is None
    assert registry_vendor_of_host("example.com") is None


def test_suggestions_through_the_cli() -> None:
    under_alta = cli(["pause", "-p", "alta", "woodpecker", "12345"])
    assert "'woodpecker': a provider without a campaign ID; did you mean woodpecker:12345?" in (
        under_alta.stderr
    )
    result = cli(["pause", "woodpecker", "12345", "https://app.woodpecker.co/campaigns/12346"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "campctl: error: 3 bad targets:",
        "  argument 1: 'woodpecker': a provider without a campaign ID; did you mean "
        "woodpecker:12345?",
        "  argument 2: '12345': no provider; write PROVIDER:12345 or pass --provider NAME",
        "  argument 3: 'https://app.woodpecker.co/campaigns/12346': a URL, not a target; did you "
        "mean woodpecker:12346?",
    ]


def test_target_file_comments_blanks_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t"
    path.write_text("# header\n\n  woodpecker:1  # inline\nalta:x#tight\n   \n")
    assert read_target_file(str(path)) == [
        TargetSource("woodpecker:1", f"{path}:3"),
        TargetSource("alta:x", f"{path}:4"),
    ]


def test_target_file_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(b"\xef\xbb\xbfwoodpecker:1\r\n# c\r\nalta:x\r\n")
    sources = read_target_file(str(path))
    assert sources == [
        TargetSource("woodpecker:1", f"{path}:1"),
        TargetSource("alta:x", f"{path}:3"),
    ]
    assert parse_targets(sources, None, vendor_of, check_id).targets == [
        Target("woodpecker", "1"),
        Target("alta", "x"),
    ]


def test_target_file_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read targets from '/nonexistent/t': No such file"):
        read_target_file("/nonexistent/t")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(b"woodpecker:1\nalta:caf\xe9\n")
    with pytest.raises(UsageError, match="line 2 is not UTF-8 text"):
        read_target_file(str(latin))


def test_stdin_lines_are_named_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbf# c\nwoodpecker:1\r\n"), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    assert read_target_file("-") == [TargetSource("woodpecker:1", "stdin:2")]


# -- bounded reading: a file or stdin that never ends, or a line that never does -------------


def test_a_line_over_4_kib_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "t"
    path.write_bytes(b"woodpecker:1\n" + b"x" * 4096 + b"\n" + b"y" * 4097 + b"\n")
    with pytest.raises(UsageError, match="line 3 is longer than 4096 bytes"):
        read_target_file(str(path))


def test_a_long_line_split_across_reads_is_still_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("campctl.targets._CHUNK", 1000)
    stdin = io.TextIOWrapper(io.BytesIO(b"a\n" * 700 + b"z" * 5000), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    with pytest.raises(UsageError, match="'stdin': line 701 is longer than 4096 bytes"):
        read_target_file("-")


def test_dev_zero_ends_as_a_usage_error() -> None:
    with pytest.raises(UsageError, match="line 1 is longer than 4096 bytes"):
        read_target_file("/dev/zero")


def test_endless_stdin_stops_past_64_mib(monkeypatch: pytest.MonkeyPatch) -> None:
    class Endless(io.RawIOBase):
        """`yes`: short lines forever."""

        def readinto(self, buffer: Any) -> int:
            buffer[:] = b"y\n" * (len(buffer) // 2)
            return len(buffer) // 2 * 2

        def readable(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    with pytest.raises(UsageError, match="'stdin': larger than 64 MiB"):
        read_target_file("-")


# -- through the CLI ---------------------------------------------------------------------------
def test_a_file_with_three_bad_lines_reports_all_three_and_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WOODPECKER_API_KEY", TEST_KEY)
    monkeypatch.setenv("LEADLEX_API_KEY", TEST_KEY)
    targets = tmp_path / "incident.txt"
    targets.write_bytes(
        b"\xef\xbb\xbf# incident\r\n"
        b"woodpecker:12345\r\n"
        b"woodpecker:abc\r\n"
        b"leadlex:bad id!\r\n"
        b"nope:1   # typo\r\n"
        b"leadlex:cmp_abc123\r\n"
    )
    with respx.mock(assert_all_called=False) as router:
        result = cli(["pause", "--from-file", str(targets)])
        assert router.calls.call_count == 0
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "campctl: error: 3 bad targets:",
        f"  {targets}:3: 'woodpecker:abc': not a valid Woodpecker campaign ID: expected a "
        "positive integer, e.g. 12345",
        f"  {targets}:4: 'leadlex:bad id!': not a valid Leadlex campaign ID: expected letters, "
        "digits, '_' or '-' (1-128), e.g. cmp_abc123",
        f"  {targets}:5: 'nope:1': unknown provider 'nope'",
        f"  known providers: {', '.join(VENDOR_NAMES)}",
    ]


def test_arguments_and_stdin_together_in_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WOODPECKER_API_KEY", TEST_KEY)
    with respx.mock(assert_all_called=False) as router:
        result = cli(
            ["pause", "--json", "--from-file", "-", "woodpecker:x", "alta:1"],
            input="woodpecker:12\nwoodpecker:\n",
        )
        assert router.calls.call_count == 0
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == 2
    assert doc["error"]["kind"] == "usage"
    assert doc["error"]["message"].splitlines() == [
        "3 bad targets:",
        "  argument 1: 'woodpecker:x': not a valid Woodpecker campaign ID: expected a positive "
        "integer, e.g. 12345",
        "  argument 2: 'alta:1': not a valid Alta campaign ID: expected a UUID, e.g. "
        "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "  stdin:2: 'woodpecker:': missing campaign ID after 'woodpecker:'",
    ]


@respx.mock
def test_duplicates_are_named_on_stderr_only_with_verbose(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WOODPECKER_API_KEY", TEST_KEY)
    route = respx.post("https://api.woodpecker.co/rest/v2/campaigns/12345/pause").respond(200)
    running("woodpecker:12345")
    quiet = cli(["pause", "--no-audit", "woodpecker:12345", "-p", "woodpecker", "12345"])
    assert quiet.exit_code == 0
    assert quiet.stdout == "woodpecker:12345 done paused\n"
    assert "duplicate" not in quiet.stderr
    loud = cli(["pause", "--no-audit", "-v", "woodpecker:12345", "-p", "woodpecker", "12345"])
    assert loud.stdout == "woodpecker:12345 done paused\n"
    assert (
        "campctl: 1 duplicate target acted on once, at the first position: woodpecker:12345 "
        "(argument 2, first at argument 1)\n"
    ) in loud.stderr
    assert route.call_count == 2


@pytest.mark.parametrize(
    "args",
    [
        ["pause", "woodpecker:abc"],
        ["pause", "woodpecker:0"],
        ["pause", "woodpecker:12/../../admin"],
        ["pause", "alta:not-a-uuid"],
        ["pause", "leadlex:cmp%2Fx"],
        ["pause", "leadlex:" + "a" * 129],
        ["pause", "nope:1"],
        ["pause", "12345"],
        ["pause", "--from-file", "/nonexistent/targets.txt"],
        ["pause"],
        ["pause", "--concurrency", "0", "woodpecker:1"],
        ["pause", "--timeout", "abc", "woodpecker:1"],
        ["pause", "--retries", "-1", "woodpecker:1"],
        ["pause", "--verbos", "woodpecker:1"],
        ["pause", "--audit-log", "/tmp/a", "--no-audit", "woodpecker:1"],
        ["status", "--prospects", "woodpecker:1"],
        ["frobnicate"],
    ],
)
def test_bad_input_is_exit_2_with_one_line_and_nothing_sent(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WOODPECKER_API_KEY", TEST_KEY)
    monkeypatch.setenv("ALTA_API_KEY", TEST_KEY)
    monkeypatch.setenv("LEADLEX_API_KEY", TEST_KEY)
    with respx.mock(assert_all_called=False) as router:
        result = cli(args)
        assert router.calls.call_count == 0
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("campctl: error: ")
    assert "Traceback" not in result.stderr


def test_usage_error_under_json_is_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    result = cli(["pause", "--json", "woodpecker:abc"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == 2
    assert doc["error"]["kind"] == "usage"
    assert "not a valid Woodpecker campaign ID" in doc["error"]["message"]
    bad_flag = cli(["pause", "--json", "--frobnicate"])
    assert json.loads(bad_flag.stdout)["error"]["kind"] == "usage"


def test_config_error_under_json_is_one_document() -> None:
    import json

    result = cli(["pause", "--json", "woodpecker:1"])
    assert result.exit_code == 3
    assert json.loads(result.stdout) == {
        "error": {"kind": "config", "message": json.loads(result.stdout)["error"]["message"]},
        "exit_code": 3,
    }
    assert "WOODPECKER_API_KEY is not set" in result.stdout


def test_bare_campctl_prints_help_not_an_error() -> None:
    result = cli([])
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: campctl [OPTIONS] COMMAND")
    assert "error" not in result.stderr
    assert "pause" in result.stderr


def test_help_is_plain_and_names_every_option() -> None:
    result = cli(["pause", "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: campctl pause [OPTIONS] [TARGET]...")
    for option in ("--provider", "--from-file", "--json", "--dry-run", "--sandbox", "--strict",
                   "--timeout", "--retries", "--concurrency", "--quiet", "--verbose",
                   "--audit-log", "--no-audit", "--prospects"):  # fmt: skip
        assert option in result.stdout
