"""The incident workflow through the CLI (respx for HTTP): undo from the journal, selectors,
--verify, --reason, and every usage error around them."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from campctl.journal import Journal
from tests.helpers import cli, running, url
from tests.journals import write_run

KEYS = {"WOODPECKER_API_KEY": "wp-key-0123456789", "ALTA_API_KEY": "alta-key-0123456789"}
LIST = url("woodpecker", "/v1/campaign_list?status=RUNNING")
LIST_ALL = url("woodpecker", "/v1/campaign_list")  # --sender reads every state
CAMPAIGNS = [
    {"id": 1, "name": "Q4 acme", "status": "RUNNING", "from_email": "Ops@Acme.io"},
    {"id": 2, "name": "mixed", "status": "RUNNING", "from_email": "a@other.io",
     "from_emails": ["b@acme.io"]},
    {"id": 3, "name": "other", "status": "RUNNING", "from_email": "c@other.io"},
    {"id": 4, "name": "subdomain", "status": "RUNNING", "from_email": "d@mail.acme.io"},
]  # fmt: skip


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    write_run(path, "20261129T100000Z-000001", "pause",
            [("woodpecker:5", "done"), ("woodpecker:6", "noop"), ("woodpecker:7", "failed"),
             ("woodpecker:8", "skipped"), ("woodpecker:9", "done")])  # fmt: skip
    write_run(path, "20261129T110000Z-000002", "resume", [("woodpecker:5", "done")])
    return path


@respx.mock
def test_resume_undo_replays_only_the_done_targets_in_order(recorded: Path) -> None:
    listed = respx.get(LIST_ALL).respond(  # one list pass for both prior states
        json=[{"id": 5, "status": "PAUSED"}, {"id": 9, "status": "PAUSED"}]
    )
    out = cli(["resume", "--undo", "20261129T100000Z-000001", "--dry-run", "--json",
               "--audit-log", str(recorded)], env=KEYS)  # fmt: skip
    assert out.exit_code == 0, out.stderr
    document = json.loads(out.stdout)
    assert [r["target"] for r in document["results"]] == ["woodpecker:5", "woodpecker:9"]
    assert all(r["details"]["request"]["url"].endswith("/run") for r in document["results"])
    assert "3 target(s) were not changed by that run" in out.stderr
    assert listed.call_count == 1
    assert document["run_id"] is None  # a dry run is not a run


@respx.mock
def test_undo_last_is_the_newest_run_of_the_opposite_action(recorded: Path) -> None:
    running("woodpecker:5")
    out = cli(["pause", "--undo", "last", "--dry-run", "--json", "--audit-log", str(recorded)],
              env=KEYS)  # fmt: skip
    assert [r["target"] for r in json.loads(out.stdout)["results"]] == ["woodpecker:5"]
    respx.get(LIST_ALL).respond(json=[{"id": 5, "status": "PAUSED"}, {"id": 9, "status": "PAUSED"}])
    out = cli(["resume", "--undo", "last", "--dry-run", "--json", "--audit-log", str(recorded)],
              env=KEYS)  # fmt: skip
    assert len(json.loads(out.stdout)["results"]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pause", "--undo", "20261129T100000Z-000001"], "was a pause"),
        (["resume", "--undo", "20261129T999999Z-ffffff"], "no run"),
        (["resume", "--undo", "last", "woodpecker:1"], "do not combine"),
        (["resume", "--undo", "last", "--from-file", "-"], "do not combine"),
        (["resume", "--all-running"], "--undo"),
        (["resume", "--sender", "acme.io"], "--undo"),
        (["status", "--undo", "last"], "No such option: --undo"),
        (["pause", "--reason", "two\nlines", "woodpecker:1"], "--reason"),
        (["pause", "--reason", "x" * 501, "woodpecker:1"], "500"),
        (["pause", "-p", "woodpecker", "-p", "alta", "1"], "several times"),
        (["pause", "--sender", "not a domain"], "--sender"),
        (["pause", "--all-running", "-p", "leadterra"], "documents no campaign list"),
        (["pause", "--sender", "acme.io", "-p", "alta"], "senders"),
    ],
)
def test_usage_errors_of_the_workflow(recorded: Path, args: list[str], message: str) -> None:
    out = cli([*args, "--audit-log", str(recorded)], env=KEYS)
    assert out.exit_code == 2, out.stderr
    assert message in out.stderr
    assert out.stdout == ""


def test_undo_through_a_profile_that_no_longer_exists_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_run(path, "20261129T100000Z-000001", "pause", [("gone:5", "done")])
    out = cli(["resume", "--undo", "last", "--audit-log", str(path)], env=KEYS)
    assert out.exit_code == 3
    assert "gone" in out.stderr


@respx.mock
def test_sender_selects_exactly_that_domain_and_journals_the_reason(tmp_path: Path) -> None:
    audit = tmp_path / "audit.jsonl"
    respx.get(LIST_ALL).mock(return_value=httpx.Response(200, json=CAMPAIGNS))
    pauses = {
        i: respx.post(url("woodpecker", f"/v2/campaigns/{i}/pause")).mock(
            return_value=httpx.Response(200)
        )
        for i in (1, 2)
    }
    out = cli(["pause", "--sender", "ACME.io", "-p", "woodpecker", "--json", "--reason",
               "acme.io blocklisted", "--audit-log", str(audit)], env=KEYS)  # fmt: skip
    assert out.exit_code == 0, out.stderr
    document = json.loads(out.stdout)
    assert [r["target"] for r in document["results"]] == ["woodpecker:1", "woodpecker:2"]
    assert document["selection"] == {
        "profiles": ["woodpecker"], "left_out": [], "errors": [], "matched": 2,
    }  # fmt: skip
    assert all(route.call_count == 1 for route in pauses.values())
    run_id = document["run_id"]
    assert run_id in out.stderr
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert lines[0]["kind"] == "run"
    assert lines[0]["reason"] == "acme.io blocklisted"
    assert [t["prior_status"] for t in lines[0]["targets"]] == ["running", "running"]
    assert {line["run_id"] for line in lines} == {run_id}
    summary = Journal(audit).runs(1)[0]
    assert (summary.run_id, summary.reason, summary.counts["done"]) == (
        run_id, "acme.io blocklisted", 2,
    )  # fmt: skip


@respx.mock
def test_dry_run_with_a_selector_sends_only_the_list() -> None:
    route = respx.get(LIST).mock(return_value=httpx.Response(200, json=CAMPAIGNS))
    out = cli(["pause", "--all-running", "-p", "woodpecker", "--dry-run", "--json"], env=KEYS)
    assert out.exit_code == 0, out.stderr
    assert route.call_count == 1
    assert len(json.loads(out.stdout)["results"]) == 4


@respx.mock
def test_selection_unions_with_explicit_targets_once() -> None:
    respx.get(LIST).mock(return_value=httpx.Response(200, json=CAMPAIGNS[:1]))
    running("woodpecker:77")  # not in the running list: read before acting
    out = cli(["pause", "--all-running", "-p", "woodpecker", "--dry-run", "--json",
               "woodpecker:1", "woodpecker:77"], env=KEYS)  # fmt: skip
    targets = [r["target"] for r in json.loads(out.stdout)["results"]]
    assert targets == ["woodpecker:1", "woodpecker:77"]


@respx.mock
def test_the_default_profile_set_leaves_out_what_cannot_list() -> None:
    respx.get(LIST).mock(return_value=httpx.Response(200, json=[]))
    out = cli(["pause", "--all-running", "--json"], env={"WOODPECKER_API_KEY": "wp-key-01234"})
    assert out.exit_code == 0, out.stderr
    document = json.loads(out.stdout)
    assert document["results"] == []
    left_out = {item["provider"]: item["reason"] for item in document["selection"]["left_out"]}
    assert "documents no campaign list" in left_out["leadterra"]
    assert "ALTA_API_KEY is not set" in left_out["alta"]
    assert "woodpecker" not in left_out
    assert "left out:" in out.stderr
    assert "nothing matched" in out.stderr


@respx.mock
def test_a_failed_list_counts_toward_the_exit_code() -> None:
    respx.get(LIST).mock(return_value=httpx.Response(401, json={"message": "bad key"}))
    out = cli(["pause", "--all-running", "-p", "woodpecker", "--json", "--no-audit"], env=KEYS)
    assert out.exit_code == 4
    errors = json.loads(out.stdout)["selection"]["errors"]
    assert errors[0]["kind"] == "auth"


@respx.mock
def test_verify_catches_a_vendor_that_did_not_change_state() -> None:
    respx.post(url("woodpecker", "/v2/campaigns/12345/pause")).mock(
        return_value=httpx.Response(200)
    )
    respx.get(url("woodpecker", "/v2/campaigns/12345")).mock(
        return_value=httpx.Response(200, json={"id": 12345, "status": "RUNNING"})
    )
    out = cli(["pause", "--verify", "--json", "--no-audit", "woodpecker:12345"], env=KEYS)
    assert out.exit_code == 1
    (item,) = json.loads(out.stdout)["results"]
    assert item["outcome"] == "failed"
    assert item["error"]["kind"] == "conflict"
    assert item["message"] == "vendor still reports running after pause"
    assert item["details"]["verified"] is False


@respx.mock
def test_verify_confirms_the_intended_state() -> None:
    respx.post(url("woodpecker", "/v2/campaigns/12345/pause")).mock(
        return_value=httpx.Response(200)
    )
    respx.get(url("woodpecker", "/v2/campaigns/12345")).mock(
        side_effect=[  # the prior state, then the read back
            httpx.Response(200, json={"id": 12345, "status": "RUNNING"}),
            httpx.Response(200, json={"id": 12345, "status": "PAUSED"}),
        ]
    )
    out = cli(["pause", "--verify", "--json", "--no-audit", "woodpecker:12345"], env=KEYS)
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["results"][0]["details"]["verified"] is True


@respx.mock
def test_list_command_filters_by_status_and_sender() -> None:
    respx.get(url("woodpecker", "/v1/campaign_list")).mock(
        return_value=httpx.Response(200, json=[*CAMPAIGNS, {"id": 9, "status": "PAUSED"}])
    )
    out = cli(["list", "-p", "woodpecker", "--sender", "acme.io", "--json"], env=KEYS)
    assert out.exit_code == 0, out.stderr
    document = json.loads(out.stdout)
    assert [c["campaign_id"] for c in document["campaigns"]] == ["1", "2"]
    assert document["campaigns"][0]["senders"] == ["ops@acme.io"]
    assert document["exit_code"] == 0
    paused = cli(["list", "-p", "woodpecker", "--status", "paused"], env=KEYS)
    assert paused.stdout.splitlines() == ["woodpecker:9\tpaused\t-\t-"]


# -- issue 12: one-pass configuration, built-in profiles, endpoints, prospects ------------------


def test_every_missing_key_is_reported_at_once_empty_apart_from_unset() -> None:
    targets = ["woodpecker:1", f"alta:{'7c9e6679-7425-40de-944b-e07fc1f90ae7'}", "leadlex:cmp_1"]
    out = cli(["pause", *targets], env={"ALTA_API_KEY": "  ", "WOODPECKER_API_KEY": ""})
    assert out.exit_code == 3
    assert "3 configuration problems:" in out.stderr
    assert "WOODPECKER_API_KEY is set but empty" in out.stderr
    assert "ALTA_API_KEY is set but empty" in out.stderr
    assert "LEADLEX_API_KEY is not set" in out.stderr


def test_a_dry_run_that_needs_no_read_works_without_a_key() -> None:
    with respx.mock(assert_all_called=False) as router:
        out = cli(["pause", "--dry-run", "--json", "leadlex:cmp_1", "leadterra:camp_1"], env={})
        assert router.calls.call_count == 0
    assert out.exit_code == 0, out.stderr
    assert [r["outcome"] for r in json.loads(out.stdout)["results"]] == ["skipped", "skipped"]
    assert "no key for leadlex, leadterra" in out.stderr
    needs_read = cli(["pause", "--dry-run", "woodpecker:1"], env={})
    assert needs_read.exit_code == 3  # its prior state must be read: that needs the key


@respx.mock
def test_a_selector_never_reaches_one_account_twice_under_two_names(tmp_path: Path) -> None:
    config = tmp_path / "p.toml"
    config.write_text('[providers.wp-main]\nvendor = "woodpecker"\napi_key_env = "WP"\n')
    listed = respx.get(LIST).respond(json=CAMPAIGNS[:1])
    respx.post(url("woodpecker", "/v2/campaigns/1/pause")).respond(200)
    out = cli(["pause", "--all-running", "--json", "--no-audit", "--config", str(config)],
              env={"WP": "wp-key-0123456789"})  # fmt: skip
    assert out.exit_code == 0, out.stderr
    document = json.loads(out.stdout)
    assert [r["target"] for r in document["results"]] == ["wp-main:1"]
    assert "woodpecker" not in document["selection"]["profiles"]
    assert listed.call_count == 1


def test_an_undo_through_a_profile_now_naming_another_vendor_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_run(path, "20261129T100000Z-000001", "pause", [("ll:cmp_1", "done")],
              endpoint="https://data.leadlex.com/functions/v1/api-gateway")  # fmt: skip
    config = tmp_path / "p.toml"
    config.write_text('[providers.ll]\nvendor = "leadterra"\napi_key_env = "K"\n')
    with respx.mock(assert_all_called=False) as router:
        out = cli(["resume", "--undo", "last", "--config", str(config), "--audit-log",
                   str(path)], env={"K": "k-0123456789"})  # fmt: skip
        assert router.calls.call_count == 0
    assert out.exit_code == 3
    assert "now names vendor leadterra" in out.stderr


def test_an_alta_undo_resumes_prospects_exactly_as_the_run_paused_them(tmp_path: Path) -> None:
    alta_id = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    audit = tmp_path / "audit.jsonl"
    with respx.mock:
        respx.get(url("alta", f"/campaigns/{alta_id}")).mock(side_effect=[
            httpx.Response(200, json={"status": "active"}),
            httpx.Response(200, json={"status": "paused"}),
        ])  # fmt: skip
        respx.post(url("alta", f"/campaigns/{alta_id}/pause")).respond(200)
        resumed = respx.post(url("alta", f"/campaigns/{alta_id}/resume")).respond(200)
        paused = cli(["pause", "--prospects", "--audit-log", str(audit), f"alta:{alta_id}"],
                     env=KEYS)  # fmt: skip
        assert paused.exit_code == 0, paused.stderr
        undo = cli(["resume", "--undo", "last", "--audit-log", str(audit)], env=KEYS)
        assert undo.exit_code == 0, undo.stderr
        assert json.loads(resumed.calls.last.request.content) == {"resumeProspects": True}
    mixed = cli(["resume", "--undo", "last", "--prospects", "--audit-log", str(audit)], env=KEYS)
    assert mixed.exit_code == 2


def test_a_list_that_never_ends_fails_its_profile_after_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio

    from campctl import select
    from campctl.redact import Redactor

    class Endless:
        meta = type("Meta", (), {"title": "Alta"})

        async def campaigns(self, running_only: bool = False) -> None:
            await asyncio.sleep(30)

    monkeypatch.setattr(select, "LIST_DEADLINE", 0.1)
    campaigns, error = asyncio.run(
        select.list_one(Endless(), "alta", Redactor(), running_only=True)  # type: ignore[arg-type]
    )
    assert campaigns == []
    assert error is not None
    assert (error.kind.value, error.provider) == ("bad_response", "alta")
    assert "did not end within" in error.message
