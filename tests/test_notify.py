"""Run notifications through the CLI and the library, against the sandbox and a loopback
capture server: payloads, journal-before-notify, failures that change nothing, secrets."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import campctl
from campctl.audit import current_user
from tests.capture import Capture, CaptureServer, refused_url
from tests.helpers import cli

SECRET = "SENTINEL-hook-7f3a9c"  # in every notification URL: must never be shown


@pytest.fixture
def capture(isolation: Path) -> Iterator[Capture]:
    journal = isolation / ".state" / "campctl" / "sandbox" / "audit.jsonl"
    with CaptureServer(Capture(journal=journal)) as server:
        yield server


def configure(home: Path, text: str, mode: int = 0o600) -> Path:
    """The user's config file (read for [[notify]] also under --sandbox)."""
    path = home / ".config" / "campctl" / "providers.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def slack_and_webhook(capture: Capture, monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setenv("CAMPCTL_SLACK_WEBHOOK", capture.url(f"/slack/{SECRET}"))
    configure(
        home,
        '[[notify]]\nkind = "slack"\nurl_env = "CAMPCTL_SLACK_WEBHOOK"\n\n'
        f'[[notify]]\nkind = "webhook"\nurl = "{capture.url(f"/hook/{SECRET}")}"\n',
    )


def journal_lines(home: Path) -> list[dict]:  # type: ignore[type-arg]
    path = home / ".state" / "campctl" / "sandbox" / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_pause_posts_once_to_each_target_after_its_journal_end_line(
    capture: Capture, monkeypatch: pytest.MonkeyPatch, isolation: Path
) -> None:
    slack_and_webhook(capture, monkeypatch, isolation)
    result = cli(["pause", "--sandbox", "--json", "--reason", "INC-7 <!channel>",
                  "woodpecker:12345"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert "notify_errors" not in doc
    run_id = doc["run_id"]
    (slack,) = capture.bodies(f"/slack/{SECRET}")
    (hook,) = capture.bodies(f"/hook/{SECRET}")
    assert list(slack) == ["text"]
    text = slack["text"]
    who = f"{current_user()}@{socket.gethostname()}"
    assert "SANDBOX" in text
    assert f"campctl pause by {who}" in text
    assert "Reason: INC-7 &lt;!channel&gt;" in text  # no mention sneaks through
    assert "1 done, 0 noop, 0 failed, 0 skipped" in text
    assert f"Run: {run_id}" in text
    assert f"campctl resume --undo {run_id} --sandbox" in text
    assert list(hook) == ["event", "user", "host", "undo_command", "run"]
    assert hook["event"] == "campctl.run"
    assert (hook["user"], hook["host"]) == (current_user(), socket.gethostname())
    assert hook["undo_command"] == f"campctl resume --undo {run_id} --sandbox"
    assert hook["run"] == doc
    for request in capture.requests:
        assert request.headers["Content-Type"] == "application/json"
        assert request.journal is not None
        ends = [json.loads(x) for x in request.journal.splitlines() if '"kind":"end"' in x]
        assert [e["run_id"] for e in ends] == [run_id]  # on disk before the POST arrived


def test_a_resume_offers_a_pause_undo_and_nothing_changed_offers_none(
    capture: Capture, monkeypatch: pytest.MonkeyPatch, isolation: Path
) -> None:
    slack_and_webhook(capture, monkeypatch, isolation)
    cli(["pause", "--sandbox", "woodpecker:12345"])
    again = cli(["pause", "--sandbox", "--json", "woodpecker:12345"])  # already paused: noop
    assert json.loads(again.stdout)["summary"]["noop"] == 1
    resumed = cli(["resume", "--sandbox", "--json", "--undo", "last"])
    run_id = json.loads(resumed.stdout)["run_id"]
    hooks = capture.bodies(f"/hook/{SECRET}")
    assert hooks[1]["undo_command"] is None
    assert "Undo: none (nothing was changed)" in capture.bodies(f"/slack/{SECRET}")[1]["text"]
    assert hooks[2]["undo_command"] == f"campctl pause --undo {run_id} --sandbox"
    assert hooks[2]["run"]["action"] == "resume"


@pytest.mark.parametrize(
    ("answer", "kind"),
    [(500, "vendor_error"), ("refused", "network"), (("slow", 3), "timeout"), ("hang", "timeout")],
)
def test_a_failed_notification_changes_neither_results_nor_exit_code(
    capture: Capture, isolation: Path, answer: object, kind: str
) -> None:
    hook = refused_url() if answer == "refused" else capture.url(f"/hook/{SECRET}")
    capture.answers[f"/hook/{SECRET}"] = answer
    configure(isolation, f'[[notify]]\nkind = "webhook"\nurl = "{hook}"\n')
    plain = cli(["pause", "--sandbox", "--timeout", "1", "--retries", "1", "woodpecker:12345"])
    assert plain.exit_code == 0
    assert plain.stdout == "woodpecker:12345 done paused\n"
    lines = [x for x in plain.stderr.splitlines() if "notify" in x]
    assert len(lines) == 1, plain.stderr
    (line,) = lines
    assert line.startswith(f"campctl: notify webhook: not delivered ({kind}): ")
    started = time.monotonic()
    result = cli(["resume", "--sandbox", "--json", "--timeout", "1", "--retries", "1",
                  "woodpecker:12345"])  # fmt: skip
    elapsed = time.monotonic() - started
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["summary"]["done"] == 1
    assert doc["notify_errors"] == [
        {"target": "webhook", "kind": kind, "message": doc["notify_errors"][0]["message"]}
    ]
    assert elapsed < 3.5  # one --timeout for every attempt together, plus the run itself
    assert SECRET not in plain.stderr + result.stderr + result.stdout


def test_the_secret_url_is_never_shown_journaled_or_logged(
    capture: Capture, monkeypatch: pytest.MonkeyPatch, isolation: Path
) -> None:
    slack_and_webhook(capture, monkeypatch, isolation)
    capture.answers[f"/slack/{SECRET}"] = 500
    capture.answers[f"/hook/{SECRET}"] = 302
    outputs = []
    for args in (["--json"], ["--verbose"], []):
        result = cli(["pause", "--sandbox", "--retries", "1", *args, "woodpecker:12345"])
        outputs += [result.stdout, result.stderr]
    doc = json.loads(outputs[0])
    assert {e["target"]: e["kind"] for e in doc["notify_errors"]} == {
        "slack": "vendor_error",
        "webhook": "bad_response",
    }
    assert "POST notify slack (URL not shown) -> 500" in outputs[3]
    journal = (isolation / ".state" / "campctl" / "sandbox" / "audit.jsonl").read_text()
    for text in [*outputs, journal]:
        assert SECRET not in text
        assert "/slack/" not in text
        assert "/hook/" not in text


def test_no_notify_dry_run_status_and_list_send_nothing(
    capture: Capture, monkeypatch: pytest.MonkeyPatch, isolation: Path
) -> None:
    slack_and_webhook(capture, monkeypatch, isolation)
    assert cli(["pause", "--sandbox", "--no-notify", "woodpecker:12345"]).exit_code == 0
    assert cli(["resume", "--sandbox", "--no-notify", "woodpecker:12345"]).exit_code == 0
    assert cli(["pause", "--sandbox", "--dry-run", "woodpecker:12345"]).exit_code == 0
    assert cli(["status", "--sandbox", "woodpecker:12345"]).exit_code == 0
    assert cli(["list", "--sandbox", "-p", "woodpecker"]).exit_code == 0
    assert capture.requests == []


def test_actions_choose_which_runs_a_target_hears_of(capture: Capture, isolation: Path) -> None:
    configure(
        isolation,
        f'[[notify]]\nkind = "webhook"\nurl = "{capture.url("/pauses")}"\nactions = ["pause"]\n'
        f'[[notify]]\nkind = "webhook"\nurl = "{capture.url("/resumes")}"\n'
        'actions = ["resume"]\n',
    )
    cli(["pause", "--sandbox", "woodpecker:12345"])
    cli(["resume", "--sandbox", "woodpecker:12345"])
    assert [(r.path, r.body["run"]["action"]) for r in capture.requests] == [
        ("/pauses", "pause"),
        ("/resumes", "resume"),
    ]


def test_a_kind_configured_twice_is_named_kind_hash_n(capture: Capture, isolation: Path) -> None:
    capture.answers["/two"] = 404
    configure(
        isolation,
        f'[[notify]]\nkind = "slack"\nurl = "{capture.url("/one")}"\n'
        f'[[notify]]\nkind = "slack"\nurl = "{capture.url("/two")}"\n',
    )
    result = cli(["pause", "--sandbox", "--json", "woodpecker:12345"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["notify_errors"] == [
        {"target": "slack#2", "kind": "not_found", "message": "HTTP 404"}
    ]


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ('kind = "teams"\nurl_env = "X"', "key 'kind': kind must be one of slack, webhook"),
        ('kind = "slack"\nurl_env = "X"\nurl_command = ["op"]', "set only one of url_env"),
        ('kind = "slack"', "set one of url_env, url_command, url"),
        ('kind = "slack"\nurl = "http://hooks.example.com/x"', "must use https://"),
        ('kind = "slack"\nurl_env = "X"\nchannel = "#ops"', "key 'channel': unknown key"),
        ('kind = "slack"\nurl_env = "X"\nactions = ["stop"]', "key 'actions'"),
        ('kind = "slack"\nurl_env = "UNSET_HOOK"', "UNSET_HOOK is not set"),
        ('kind = "slack"\nurl_command = ["false"]', "exited with status 1"),
    ],
)
def test_a_bad_table_never_stops_the_pause(
    capture: Capture, isolation: Path, monkeypatch: pytest.MonkeyPatch, table: str, problem: str
) -> None:
    """Stopping campaigns matters more than telling about it: the pause is sent and
    journaled, the exit code is the results', and the target is reported as not delivered
    (kind `config`), with one stderr line naming the table."""
    monkeypatch.setenv("X", "https://hooks.example.com/x")
    configure(isolation, f"[[notify]]\n{table}\n")
    result = cli(["pause", "--sandbox", "--json", "woodpecker:12345"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["results"][0]["outcome"] == "done"
    (error,) = document["notify_errors"]
    assert error["kind"] == "config"
    assert problem in error["message"]
    assert "[[notify]] #1" in result.stderr
    assert problem in result.stderr
    assert (isolation / ".state" / "campctl" / "sandbox" / "audit.jsonl").exists()


def test_every_problem_is_reported_in_one_pass(capture: Capture, isolation: Path) -> None:
    secret_url = f"http://hooks.example.com/{SECRET}"
    configure(
        isolation,
        f'[[notify]]\nkind = "slack"\nurl = "{secret_url}"\n'
        '[[notify]]\nkind = "pager"\nurl_env = "X"\n'
        '[[notify]]\nkind = "webhook"\nurl_env = "NOT_SET_EITHER"\n',
        mode=0o644,
    )
    result = cli(["pause", "--sandbox", "--json", "woodpecker:12345"])
    assert result.exit_code == 0
    errors = json.loads(result.stdout)["notify_errors"]
    assert [(e["target"], e["kind"]) for e in errors] == [
        ("slack", "config"), ("notify#2", "config"), ("webhook", "config"),
    ]  # fmt: skip
    assert "[[notify]] #1 (slack), key 'url': inline URL in a file readable by group" in (
        result.stderr
    )
    assert "[[notify]] #2, key 'kind'" in result.stderr
    assert "[[notify]] #3 (webhook), key 'url_env': NOT_SET_EITHER is not set" in result.stderr
    assert SECRET not in result.stderr + result.stdout


def test_a_dry_run_checks_the_tables_but_resolves_nothing(isolation: Path) -> None:
    configure(isolation, '[[notify]]\nkind = "slack"\nurl_env = "UNSET_HOOK"\n')
    quiet = cli(["pause", "--sandbox", "--dry-run", "woodpecker:12345"])
    assert quiet.exit_code == 0
    assert "notify" not in quiet.stderr  # nothing resolved, so nothing to complain about
    configure(isolation, '[[notify]]\nkind = "slack"\n')
    warned = cli(["pause", "--sandbox", "--dry-run", "woodpecker:12345"])
    assert warned.exit_code == 0
    assert "warning: notify slack could not be sent" in warned.stderr
    assert "set one of url_env, url_command, url" in warned.stderr


def test_notify_must_be_an_array_of_tables(isolation: Path) -> None:
    configure(isolation, 'notify = "https://hooks.example.com/x"\n')
    result = cli(["pause", "--sandbox", "woodpecker:12345"])
    assert result.exit_code == 3
    assert "key 'notify': must be an array of tables: [[notify]]" in result.stderr
    assert "hooks.example.com" not in result.stderr


@pytest.mark.parametrize(
    ("answers", "code"),
    [({}, 0), ({"/b": 500}, 5), ({"/b": 404}, 1), ({"/b": 401, "/a": 500}, 4)],
)
def test_notify_test_exit_codes(
    capture: Capture, isolation: Path, answers: dict[str, int], code: int
) -> None:
    capture.answers.update(answers)
    configure(
        isolation,
        f'[[notify]]\nkind = "slack"\nurl = "{capture.url("/a")}"\nactions = ["resume"]\n'
        f'[[notify]]\nkind = "webhook"\nurl = "{capture.url("/b")}"\n',
    )
    result = cli(["notify", "test", "--retries", "0"])
    assert result.exit_code == code, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("slack ")
    assert lines[1].startswith("webhook ")
    assert ("webhook delivered" in lines[1]) == ("/b" not in answers)
    assert [r.path for r in capture.requests if r.path == "/a"] == ["/a"]  # whatever actions
    hook = capture.bodies("/b")[0]
    assert hook == {"event": "campctl.test", "user": current_user(),
                    "host": socket.gethostname(), "undo_command": None, "run": None}  # fmt: skip
    as_json = json.loads(cli(["notify", "test", "--json", "--retries", "0"]).stdout)
    assert as_json["exit_code"] == code
    assert [t["delivered"] for t in as_json["targets"]] == [
        "/a" not in answers,
        "/b" not in answers,
    ]


def test_notify_test_without_targets_or_with_a_bad_one_is_a_config_error(
    isolation: Path,
) -> None:
    assert cli(["notify", "test"]).exit_code == 3
    configure(isolation, 'default_provider = "x"\n')
    result = cli(["notify", "test"])
    assert result.exit_code == 3
    assert "no [[notify]] targets" in result.stderr
    configure(isolation, '[[notify]]\nkind = "slack"\nurl_env = "UNSET_HOOK"\n')
    assert cli(["notify", "test"]).exit_code == 3


def test_notify_test_refused_is_temporary_and_hides_the_url(isolation: Path) -> None:
    configure(isolation, f'[[notify]]\nkind = "webhook"\nurl = "{refused_url()}/{SECRET}"\n')
    result = cli(["notify", "test", "--retries", "0"])
    assert result.exit_code == 5
    assert re.fullmatch(r"webhook failed network: network error: .+\n", result.stdout)
    assert SECRET not in result.stdout + result.stderr


def test_library_runs_notify_and_can_opt_out(capture: Capture, isolation: Path) -> None:
    configure(isolation, f'[[notify]]\nkind = "webhook"\nurl = "{capture.url("/lib")}"\n')
    report = campctl.run_sync(
        campctl.pause(["woodpecker:12345"], reason="lib", context=campctl.Context(sandbox=True))
    )
    (hook,) = capture.bodies("/lib")
    assert hook["run"] == report.model_dump(mode="json")
    quiet = campctl.Context(sandbox=True, notify=False)
    campctl.run_sync(campctl.resume(["woodpecker:12345"], context=quiet))
    assert len(capture.requests) == 1


def test_library_report_carries_notify_errors_like_the_json_document(
    capture: Capture, isolation: Path
) -> None:
    capture.answers["/lib"] = 503
    configure(isolation, f'[[notify]]\nkind = "webhook"\nurl = "{capture.url("/lib")}"\n')
    seen: list[object] = []
    ctx = campctl.Context(sandbox=True, on_event=seen.append)
    report = campctl.run_sync(campctl.pause(["woodpecker:12345"], retries=0, context=ctx))
    assert report.exit_code == 0
    doc = report.model_dump(mode="json")
    assert doc["notify_errors"] == [
        {"target": "webhook", "kind": "vendor_error", "message": "HTTP 503"}
    ]
    assert json.loads(report.document()) == doc
    notices = [getattr(e, "message", "") for e in seen]
    assert "notify webhook: not delivered (vendor_error): HTTP 503" in notices
