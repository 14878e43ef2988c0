"""Targets: syntax, default providers, per-vendor ID validation — exit 2 before any request."""

from __future__ import annotations

from pathlib import Path

import pytest
import respx

from campctl.errors import UsageError
from campctl.targets import Target, parse_targets, read_target_file
from tests.helpers import TEST_KEY, cli


def test_parse_mixed_and_default_provider() -> None:
    assert parse_targets(["woodpecker:1", "2", "alta:x"], "woodpecker") == [
        Target("woodpecker", "1"),
        Target("woodpecker", "2"),
        Target("alta", "x"),
    ]


def test_duplicates_are_kept_once_at_first_position() -> None:
    assert parse_targets(["a:1", "b:2", "1", "b:2"], "a") == [Target("a", "1"), Target("b", "2")]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (["12345"], "has no provider"),
        (["Wood:1"], "malformed target"),
        (["woodpecker:"], "missing or blank"),
        ([], "no targets"),
    ],
)
def test_malformed_targets(raw: list[str], fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        parse_targets(raw, None)


def test_target_file_comments_and_blanks(tmp_path: Path) -> None:
    path = tmp_path / "t"
    path.write_text("# header\n\n  woodpecker:1  # inline\nalta:x#tight\n   \n")
    assert read_target_file(str(path)) == ["woodpecker:1", "alta:x"]


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
