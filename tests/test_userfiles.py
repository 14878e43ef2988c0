"""Operator inputs and environment, bounded: the config file (size, depth, FIFO), XDG
directories (a relative value is ignored), no home at all, a base_url with stray spaces."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest
import respx

from campctl.audit import default_audit_path
from campctl.cli.completion import provider_names
from campctl.config import default_config_path, load_config, resolve_profile
from campctl.errors import ConfigError
from campctl.userfiles import MAX_CONFIG_BYTES, NoHomeError, read_toml, xdg_dir
from tests.helpers import TEST_KEY, cli, url


def deep(levels: int) -> str:
    return "x = " + "[" * levels + "]" * levels + "\n"


def test_nesting_up_to_32_levels_is_read(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(deep(31))  # the document, then 31 arrays: 32 levels
    assert "x" in read_toml(path)


@pytest.mark.parametrize("levels", [33, 5000])
def test_deeper_nesting_is_a_config_error(tmp_path: Path, levels: int) -> None:
    path = tmp_path / "c.toml"
    path.write_text(deep(levels))
    with pytest.raises(ConfigError, match="nested deeper than 32 levels"):
        read_toml(path)


def test_deep_dotted_tables_count_too(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[" + ".".join(["t"] * 40) + "]\n")
    with pytest.raises(ConfigError, match="nested deeper"):
        read_toml(path)


def test_a_config_file_over_1_mib_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b"# padding\n" * (MAX_CONFIG_BYTES // 10 + 1))
    with pytest.raises(ConfigError, match="larger than 1024 KiB"):
        read_toml(path)


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "dir"])
def test_a_fifo_device_or_directory_is_refused_at_once(tmp_path: Path, special: str) -> None:
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)  # no writer: reading it would block forever
    elif special == "dir":
        path = tmp_path
    with pytest.raises(ConfigError, match="cannot read config file"):
        read_toml(path)


def test_a_fifo_as_config_stops_pause_config_path_and_completion(tmp_path: Path) -> None:
    fifo = tmp_path / "providers.toml"
    os.mkfifo(fifo)
    with respx.mock(assert_all_called=False) as router:
        result = cli(["pause", "--config", str(fifo), "woodpecker:12345"])
        assert router.calls.call_count == 0
    assert result.exit_code == 3
    assert "not a regular file" in result.stderr
    path_result = cli(["config", "path", "--config", str(fifo)])
    assert path_result.exit_code == 3, path_result.stdout
    assert ("woodpecker", "built-in") in provider_names(str(fifo))


def test_deep_toml_gives_completion_the_built_in_names(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(deep(5000))
    assert [n for n, _ in provider_names(str(path))][:1] == ["leadlex"]


@pytest.mark.parametrize("variable", ["XDG_CONFIG_HOME", "XDG_STATE_HOME"])
def test_a_relative_xdg_directory_is_ignored(
    isolation: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "relative/dir")
    assert xdg_dir(variable, ".fallback") == isolation / ".fallback"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative")
    monkeypatch.setenv("XDG_STATE_HOME", "relative")
    assert default_config_path() == isolation / ".config" / "campctl" / "providers.toml"
    assert default_audit_path() == isolation / ".local" / "state" / "campctl" / "audit.jsonl"


@pytest.fixture
def homeless(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither HOME nor a passwd entry, as in some containers."""

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(uid)

    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)


@pytest.mark.usefixtures("homeless")
def test_without_a_home_no_audit_runs_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WOODPECKER_API_KEY", TEST_KEY)
    assert load_config().path is None
    with respx.mock(assert_all_called=False) as router:
        router.get(url("woodpecker", "/v2/campaigns/12345")).respond(
            200, json={"id": 12345, "status": "RUNNING"}
        )
        paused = router.post(url("woodpecker", "/v2/campaigns/12345/pause")).respond(200)
        result = cli(["pause", "--no-audit", "woodpecker:12345"])
        assert paused.called
        dry = cli(["pause", "--dry-run", "woodpecker:12345"])
    assert result.exit_code == 0, result.stderr
    assert dry.exit_code == 0, dry.stderr


@pytest.mark.usefixtures("homeless")
def test_without_a_home_a_journaled_run_is_a_clean_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WOODPECKER_API_KEY", TEST_KEY)
    with respx.mock(assert_all_called=False) as router:
        result = cli(["pause", "woodpecker:12345"])
        assert router.calls.call_count == 0
    assert result.exit_code == 3
    assert "HOME is not set" in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(NoHomeError):
        default_config_path()
    assert cli(["config", "path"]).exit_code == 3
    assert cli(["runs"]).exit_code == 3


@pytest.mark.parametrize("base_url", [" https://api.example.com", "https://api.example.com\t"])
def test_a_base_url_with_stray_spaces_is_a_config_error(tmp_path: Path, base_url: str) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        f'[providers.w]\nvendor = "woodpecker"\nbase_url = "{base_url}"\n'.replace("\t", "\\t")
    )
    with pytest.raises(ConfigError, match="key 'base_url': has a space or line break"):
        resolve_profile(load_config(str(config)), "w")
