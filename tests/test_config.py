"""Profiles: discovery, validation naming file/profile/key, key sources, base URL rules."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import respx

from campctl.config import KeySource, load_config, looks_like_key, resolve_profile, vendor_of
from campctl.credentials import resolve_key
from campctl.errors import ConfigError, UsageError
from campctl.registry import VENDOR_NAMES
from tests.helpers import IDS, TEST_KEY, cli, running


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, mode)
    return path


def fail_config(args: list[str]) -> str:
    """Run a command that must stop with a config error before sending anything."""
    with respx.mock(assert_all_called=False) as router:
        result = cli(args)
        assert router.calls.call_count == 0
    assert result.exit_code == 3, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    return str(result.stderr)


def test_discovery_order(tmp_path: Path, isolation: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xdg = write(isolation / ".config" / "campctl" / "providers.toml", 'default_provider = "xdg"\n')
    env = write(tmp_path / "env.toml", 'default_provider = "env"\n')
    flag = write(tmp_path / "flag.toml", 'default_provider = "flag"\n')
    assert load_config().default_provider == "xdg"
    monkeypatch.setenv("CAMPCTL_CONFIG", str(env))
    assert load_config().default_provider == "env"
    assert load_config(str(flag)).default_provider == "flag"
    assert xdg.exists()


def test_never_reads_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "providers.toml", 'default_provider = "cwd"\n')
    monkeypatch.chdir(tmp_path)
    assert load_config().default_provider is None


def test_no_config_file_means_builtin_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config()
    assert config.path is None
    profile = resolve_profile(config, "woodpecker")
    assert profile.base_url == "https://api.woodpecker.co/rest"
    monkeypatch.setenv("WOODPECKER_API_KEY", TEST_KEY)
    assert resolve_key(profile) == TEST_KEY


def test_config_path_command(tmp_path: Path, isolation: Path) -> None:
    result = cli(["config", "path"])
    assert result.exit_code == 0
    assert result.stdout == f"{isolation / '.config' / 'campctl' / 'providers.toml'}\n"
    (tmp_path / "x.toml").write_text("")
    assert (
        cli(["config", "path", "--config", str(tmp_path / "x.toml")]).stdout
        == f"{tmp_path / 'x.toml'}\n"
    )


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("default_provider = \n", ["invalid TOML"]),
        ("colour = 1\n", ["key 'colour'", "unknown top-level key"]),
        ("default_provider = 3\n", ["key 'default_provider'"]),
        ("providers = 3\n", ["key 'providers'"]),
    ],
)
def test_file_level_errors_name_the_file(tmp_path: Path, text: str, fragments: list[str]) -> None:
    path = write(tmp_path / "p.toml", text)
    message = fail_config(["pause", "--config", str(path), "woodpecker:1"])
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize(
    ("table", "key", "fragment"),
    [
        (
            'vendor = "woodpecker"\napi_key_env = "K"\nbase_ulr = "https://x"\n',
            "base_ulr",
            "unknown key",
        ),
        ('vendor = "woodpeckr"\n', "vendor", "unknown vendor"),
        ('api_key_env = "K"\n', "vendor", "missing"),
        (
            'vendor = "woodpecker"\napi_key_env = "K"\napi_key_command = ["x"]\n',
            "api_key_command",
            "only one",
        ),
        (
            'vendor = "woodpecker"\napi_key_env = "K"\nprospects = true\n',
            "prospects",
            "unknown key",
        ),
        (
            'vendor = "woodpecker"\napi_key_env = "K"\ntimeout = -1\n',
            "timeout",
            "between 0 and 300",
        ),
        (
            'vendor = "woodpecker"\napi_key_env = "K"\nbase_url = "http://api.example.com"\n',
            "base_url",
            "https://",
        ),
        (
            'vendor = "woodpecker"\napi_key_env = "K"\nbase_url = "ftp://x"\n',
            "base_url",
            "not an http",
        ),
        (
            'vendor = "woodpecker"\napi_key_env = "K"\nbase_url = "https://u:p@x.example"\n',
            "base_url",
            "credentials",
        ),
        ('vendor = "voicegenie"\napi_key_env = "K"\n', "base_url", "VoiceGenie publishes only"),
        (
            'vendor = "woodpecker"\napi_key_env = "NOPE_NOT_SET"\n',
            "api_key_env",
            "NOPE_NOT_SET is not set",
        ),
    ],
)
def test_profile_errors_name_file_profile_and_key(
    tmp_path: Path, table: str, key: str, fragment: str
) -> None:
    path = write(tmp_path / "p.toml", f"[providers.wp]\n{table}")
    message = fail_config(["pause", "--config", str(path), "wp:12345"])
    assert f"{path}, profile 'wp', key '{key}'" in message
    assert fragment in message


def fail_config_json(args: list[str]) -> str:
    """A config error under --json: kind config, exit 3, one document; its message."""
    result = cli([*args, "--json"])
    assert result.exit_code == 3, result.stderr
    document = json.loads(result.stdout)
    assert document["error"]["kind"] == "config"
    assert document["exit_code"] == 3
    return str(document["error"]["message"]) + "\n" + str(result.stderr)


SECRET = "sk_live_SECRET918273645"
WP = 'vendor = "woodpecker"\n'
KEY = 'api_key_env = "K"\n'


@pytest.mark.parametrize(
    ("table", "key", "fragment", "secrets"),
    [
        (f'{WP}api_key_env = "{SECRET}"\n', "api_key_env", "did you paste the key", [SECRET]),
        (f'{WP}api_key_env = "WP KEY"\n', "api_key_env", '"WOODPECKER_API_KEY"', ["WP KEY"]),
        (f"{WP}api_key_env = 918273645\n", "api_key_env", "environment variable", ["918273645"]),
        (f'{WP}api_key_env = ""\n', "api_key_env", "environment variable", []),
        (f"{WP}api_key = 918273645\n", "api_key", "must be a string", ["918273645"]),
        (f'{WP}api_key = ["{SECRET}"]\n', "api_key", "must be a string", [SECRET]),
        (f'{WP}api_key = {{ k = "{SECRET}" }}\n', "api_key", "must be a string", [SECRET]),
        (f'{WP}api_key_command = "op read {SECRET}"\n', "api_key_command", "list", [SECRET]),
        (f'{WP}api_key_command = ["op", 918273645]\n', "api_key_command", "list", ["918273645"]),
        (f"{WP}api_key_command = []\n", "api_key_command", "non-empty strings", []),
        (f'{WP}api_key_command = [""]\n', "api_key_command", "non-empty strings", []),
        (
            f'{WP}{KEY}base_url = "https://user:pw{SECRET}@api.example.com/x?t=q{SECRET}#f"\n',
            "base_url",
            "'https://api.example.com...' must not contain credentials",
            ["user", SECRET],
        ),
        (
            f'{WP}{KEY}base_url = "https://api.example.com/x?token={SECRET}"\n',
            "base_url",
            "a query",
            [SECRET],
        ),
        (
            f'{WP}{KEY}base_url = "https://api.example.com/x#{SECRET}"\n',
            "base_url",
            "a fragment",
            [SECRET],
        ),
        (
            f'{WP}{KEY}base_url = "ftp://user:{SECRET}@x.example/?t={SECRET}"\n',
            "base_url",
            "not an http(s) URL",
            [SECRET, "user"],
        ),
        (f'{WP}{KEY}base_url = "{SECRET}"\n', "base_url", "not an http(s) URL", [SECRET]),
        (
            f'{WP}{KEY}base_url = "http://user:{SECRET}@api.example.com/?t={SECRET}#{SECRET}"\n',
            "base_url",
            "'http://api.example.com' must use https://",
            [SECRET, "user"],
        ),
        (f'{WP}{KEY}base_url = "https://[::1/{SECRET}"\n', "base_url", "not an http", [SECRET]),
        (f'{WP}{KEY}base_url = "https://x.example:99999/"\n', "base_url", "not an http", []),
        (f'{WP}{KEY}base_url = "https://x.example:{SECRET}/"\n', "base_url", "not an", [SECRET]),
        (f"{WP}{KEY}base_url = 918273645\n", "base_url", "must be a string", ["918273645"]),
        (f"{WP}{KEY}timeout = -1\n", "timeout", "timeout must be a number of seconds", []),
        (f"{WP}{KEY}timeout = 301\n", "timeout", "between 0 and 300", []),
        (f'{WP}{KEY}timeout = "{SECRET}"\n', "timeout", "between 0 and 300", [SECRET]),
        (f"{WP}{KEY}retries = 11\n", "retries", "whole number from 0 to 10", []),
        (f"{WP}{KEY}retries = 1.5\n", "retries", "whole number from 0 to 10", []),
        (f'{WP}{KEY}retries = "{SECRET}"\n', "retries", "whole number", [SECRET]),
        ("vendor = 918273645\n", "vendor", "vendor must be one of", ["918273645"]),
        (f"{WP}{KEY}company_id = 918273645\n", "company_id", "a string in quotes", ["918273645"]),
        (
            f'vendor = "alta"\n{KEY}prospects = "{SECRET}"\n',
            "prospects",
            "prospects must be true or false",
            [SECRET],
        ),
    ],
)
def test_config_errors_never_echo_secrets_or_library_wording(
    tmp_path: Path, table: str, key: str, fragment: str, secrets: list[str]
) -> None:
    path = write(tmp_path / "p.toml", f"[providers.wp]\n{table}")
    target = f"wp:{IDS['alta']}" if "alta" in table else "wp:12345"
    message = fail_config_json(["pause", "--config", str(path), target])
    assert f"{path}, profile 'wp', key '{key}'" in message
    assert fragment in message
    for secret in secrets:
        assert secret not in message
    assert "Input should" not in message
    assert "String should" not in message
    assert "type=" not in message
    assert "<" not in message


def test_builtin_base_url_from_the_environment_is_not_echoed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WOODPECKER_API_KEY", TEST_KEY)
    monkeypatch.setenv("WOODPECKER_BASE_URL", f"https://u:{SECRET}@wp.example/?k={SECRET}")
    message = fail_config_json(["pause", "woodpecker:12345"])
    assert "'https://wp.example...' must not contain credentials" in message
    assert SECRET not in message


def test_bad_profile_name(tmp_path: Path) -> None:
    path = write(tmp_path / "p.toml", '[providers.Bad_Name]\nvendor = "alta"\n')
    with pytest.raises(ConfigError, match="profile 'Bad_Name'"):
        resolve_profile(load_config(str(path)), "Bad_Name")


def test_a_broken_profile_does_not_block_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path / "p.toml",
        '[providers.broken]\nvendor = "alta"\nprospekts = true\n\n'
        '[providers.wp]\nvendor = "woodpecker"\napi_key_env = "WP_KEY"\n',
    )
    monkeypatch.setenv("WP_KEY", TEST_KEY)
    with respx.mock:
        respx.post("https://api.woodpecker.co/rest/v2/campaigns/12345/pause").respond(200)
        running("woodpecker:12345")
        result = cli(["pause", "--config", str(path), "wp:12345"])
    assert result.exit_code == 0, result.stderr
    providers = cli(["providers", "--config", str(path)])
    assert providers.exit_code == 3
    assert "profile 'broken', key 'prospekts'" in providers.stderr


def test_unknown_provider_is_a_usage_error(tmp_path: Path) -> None:
    config = load_config()
    with pytest.raises(UsageError, match="unknown provider 'nope'"):
        vendor_of(config, "nope")


def test_inline_key_only_in_a_private_file(tmp_path: Path) -> None:
    text = f'[providers.wp]\nvendor = "woodpecker"\napi_key = "{TEST_KEY}"\n'
    private = write(tmp_path / "private.toml", text, 0o600)
    assert resolve_key(resolve_profile(load_config(str(private)), "wp")) == TEST_KEY
    shared = write(tmp_path / "shared.toml", text, 0o644)
    message = fail_config(["pause", "--config", str(shared), "wp:12345"])
    assert "chmod 600" in message
    assert TEST_KEY not in message


def _command_profile(tmp_path: Path, argv: list[str]) -> Path:
    rendered = ", ".join(f'"{a}"' for a in argv)
    return write(
        tmp_path / "c.toml",
        f'[providers.wp]\nvendor = "woodpecker"\napi_key_command = [{rendered}]\n',
    )


def test_api_key_command_stdout_is_the_key(tmp_path: Path) -> None:
    path = _command_profile(tmp_path, [sys.executable, "-c", f"print('  {TEST_KEY}  ')"])
    assert resolve_key(resolve_profile(load_config(str(path)), "wp")) == TEST_KEY


def test_api_key_command_runs_without_a_shell(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    key = f"x;touch${{IFS}}{marker}"  # a key has no spaces; a shell would still run touch
    path = _command_profile(tmp_path, [sys.executable, "-c", "import sys; print(sys.argv[1])", key])
    assert resolve_key(resolve_profile(load_config(str(path)), "wp")) == key
    assert not marker.exists()


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["/nonexistent/op"], "not found"),
        ([sys.executable, "-c", "import sys; sys.exit(4)"], "exited with status 4"),
        ([sys.executable, "-c", "pass"], "printed no key"),
        ([sys.executable, "-c", "import time; time.sleep(30)"], "did not finish"),
    ],
)
def test_api_key_command_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], fragment: str
) -> None:
    monkeypatch.setattr("campctl.credentials.COMMAND_TIMEOUT", 0.5)
    path = _command_profile(tmp_path, argv)
    message = fail_config(["pause", "--config", str(path), "wp:12345"])
    assert "profile 'wp', key 'api_key_command'" in message
    assert fragment in message


def test_base_url_prefix_is_kept_and_loopback_http_allowed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.toml",
        '[providers.local]\nvendor = "woodpecker"\napi_key_env = "K"\nbase_url = "http://127.0.0.1:8080/wp/rest/"\n'
        '[providers.v6]\nvendor = "woodpecker"\napi_key_env = "K"\nbase_url = "http://[::1]:9/x"\n',
    )
    config = load_config(str(path))
    assert resolve_profile(config, "local").base_url == "http://127.0.0.1:8080/wp/rest"
    assert resolve_profile(config, "v6").base_url == "http://[::1]:9/x"


def test_voicegenie_builtin_needs_a_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICEGENIE_API_KEY", TEST_KEY)
    message = fail_config(["pause", "voicegenie:abc"])
    assert "VOICEGENIE_BASE_URL" in message
    monkeypatch.setenv("VOICEGENIE_BASE_URL", "https://vg.example.net/api")
    assert resolve_profile(load_config(), "voicegenie").base_url == "https://vg.example.net/api"


def test_vendor_options_reach_the_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(
        tmp_path / "p.toml",
        'default_provider = "wp"\n'
        '[providers.wp]\nvendor = "woodpecker"\napi_key_env = "K"\ncompany_id = "4567"\n'
        '[providers.eu]\nvendor = "alta"\napi_key_env = "K"\n'
        'account_id = "acc_9"\nprospects = true\n',
    )
    monkeypatch.setenv("K", TEST_KEY)
    alta_id = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    with respx.mock:
        wp = respx.post("https://api.woodpecker.co/rest/v2/campaigns/12345/pause").respond(200)
        alta = respx.post(f"https://api.altahq.com/v1/campaigns/{alta_id}/pause").respond(200)
        running("woodpecker:12345", f"alta:{alta_id}")
        result = cli(["pause", "--config", str(path), "12345", f"eu:{alta_id}"])
        assert result.exit_code == 0, result.stderr
        assert wp.calls.last.request.headers["x-company-id"] == "4567"
        assert alta.calls.last.request.headers["x-account-id"] == "acc_9"
        assert alta.calls.last.request.content == b'{"pauseProspects":true}'
        # --no-prospects overrides the profile's prospects = true.
        assert (
            cli(["pause", "--config", str(path), "--no-prospects", f"eu:{alta_id}"]).exit_code == 0
        )
        assert alta.calls.last.request.content == b""


def test_providers_lists_profiles_without_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path / "p.toml",
        f'[providers.wp]\nvendor = "woodpecker"\napi_key = "{TEST_KEY}"\n'
        '[providers.op]\nvendor = "alta"\napi_key_command = ["op", "read", "x"]\n',
    )
    monkeypatch.setenv("LEADLEX_API_KEY", TEST_KEY)
    result = cli(["providers", "--config", str(path)])
    assert result.exit_code == 0, result.stderr
    # The key_available column is cli/providers.py's rendering of credentials.key_available.
    rows = [line.split("\t")[:4] for line in result.stdout.splitlines()]
    assert rows[0] == ["wp", "woodpecker", "https://api.woodpecker.co/rest", "inline api_key"]
    assert rows[1] == ["op", "alta", "https://api.altahq.com/v1", "command op"]
    assert [
        "leadlex",
        "leadlex",
        "https://data.leadlex.com/functions/v1/api-gateway",
        "env LEADLEX_API_KEY",
    ] in rows
    assert TEST_KEY not in result.stdout + result.stderr


def test_vendors_come_from_adapter_metadata() -> None:
    result = cli(["vendors", "--json"])
    assert result.exit_code == 0
    vendors = {v["name"]: v for v in json.loads(result.stdout)["vendors"]}
    assert list(vendors) == list(VENDOR_NAMES)
    assert VENDOR_NAMES[:5] == ("leadlex", "leadterra", "voicegenie", "alta", "woodpecker")
    assert vendors["alta"]["rate_limit"] == "100 requests/min per account"
    assert vendors["woodpecker"]["auth"] == "x-api-key: <key>"


def test_config_init_writes_a_valid_private_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "providers.toml"
    result = cli(["config", "init", str(path)])
    assert result.exit_code == 0, result.stderr
    assert path.stat().st_mode & 0o777 == 0o600
    config = load_config(str(path))
    assert set(config.tables) == set(VENDOR_NAMES) - {"voicegenie"}  # it needs a base_url
    for name in config.tables:
        resolve_profile(config, name)
    again = cli(["config", "init", str(path)])
    assert again.exit_code == 2
    assert "--force" in again.stderr
    assert cli(["config", "init", "--force", str(path)]).exit_code == 0
    assert [p.name for p in path.parent.iterdir()] == ["providers.toml"]


def test_example_config_is_valid_in_full() -> None:
    """providers.example.toml documents every option; every profile in it must load."""
    example = Path(__file__).parent.parent / "providers.example.toml"
    config = load_config(str(example))
    assert config.default_provider == "woodpecker"
    profiles = {name: resolve_profile(config, name) for name in config.tables}
    assert {p.vendor for p in profiles.values()} == {
        "leadlex", "leadterra", "voicegenie", "alta", "woodpecker",
    }  # fmt: skip
    assert profiles["alta-us"].key.describe() == "command op"
    assert profiles["alta-us"].options.model_dump()["prospects"] is True


def test_profile_timeout_and_retries_apply_and_flags_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    path = write(
        tmp_path / "p.toml",
        '[providers.wp]\nvendor = "woodpecker"\napi_key_env = "K"\ntimeout = 0.3\nretries = 1\n',
    )
    monkeypatch.setenv("K", TEST_KEY)
    with respx.mock:
        route = respx.post("https://api.woodpecker.co/rest/v2/campaigns/12345/pause")
        route.mock(side_effect=httpx.ConnectTimeout("slow"))
        running("woodpecker:12345")
        result = cli(["pause", "--config", str(path), "--json", "wp:12345"])
        assert route.call_count == 2  # profile: retries = 1
        assert "0.3 s" in result.stdout  # profile: timeout = 0.3
        route.reset()
        result = cli(
            [
                "pause",
                "--config",
                str(path),
                "--json",
                "--retries",
                "0",
                "--timeout",
                "2",
                "wp:12345",
            ]
        )
        assert route.call_count == 1  # --retries beats the profile
        assert "2 s" in result.stdout
    assert result.exit_code == 5


@pytest.mark.parametrize(
    "name",
    ["WOODPECKER_API_KEY", "CAMPCTL_SANDBOX_KEY", "HOME", "OAUTH2_TOKEN", "PROD_20240101_KEY"],
)
def test_an_upper_case_variable_name_is_shown(name: str) -> None:
    assert not looks_like_key(name, "env")
    assert KeySource("env", env=name).describe() == f"env {name}"


@pytest.mark.parametrize(
    "value",
    [
        "A1B2C3D4E5F6G7H8",  # an upper-case key is a valid upper-case name
        "SK_LIVE_SENTINEL0123456789ABCDEFXYZ",
        "DEADBEEFDEADBEEFDEADBEEFDEADBEEF",  # one very long word
        "sk_live_abc123",  # lower case: keys are, variable names are not
        "Wp_Key",
    ],
)
def test_a_variable_name_that_looks_like_a_key_is_never_shown(value: str) -> None:
    source = KeySource("env", env=value)
    assert looks_like_key(value, "env")
    assert source.shown_name() is None
    described = source.describe()
    assert value not in described
    assert value[:8].lower() not in described.lower()
    assert described == "env (value not shown: it looks like a key rather than a variable name)"


@pytest.mark.parametrize(
    ("program", "key_like"),
    [
        ("op", False),
        ("/usr/local/bin/aws-vault", False),
        ("python3", False),
        ("secret-tool", False),
        ("/home/ops/bin/fetch-key.sh", False),
        ("/opt/python311/bin/python3.11", False),
        ("/work/wt-redact13/.venv/bin/python", False),
        ("sk_live_SENTINEL0123456789abcdefXYZ", True),
        ("A1B2C3D4E5F6G7H8", True),
        ("/tmp/sk_live_PASTED0123456789", True),
        ("ghp_16C7e42F292c6912E7710c838347Ae178B4a", True),
    ],
)
def test_a_program_that_looks_like_a_key_is_never_shown(program: str, key_like: bool) -> None:
    source = KeySource("command", command=(program, "read"))
    assert looks_like_key(program, "command") is key_like
    if key_like:
        assert (
            source.describe()
            == "command (value not shown: it looks like a key rather than a program)"
        )
    else:
        assert source.describe() == f"command {program}"


def test_an_unset_variable_named_like_a_key_is_reported_without_the_name(
    tmp_path: Path,
) -> None:
    config = write(tmp_path / "p.toml", f'[providers.ops]\n{WP}api_key_env = "A1B2C3D4E5F6G7H8"\n')
    message = fail_config(["pause", "--config", str(config), "ops:12345"])
    assert "A1B2" not in message
    assert "profile 'ops'" in message
    assert "looks like a key rather than a variable name" in message
