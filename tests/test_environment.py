"""A hostile environment: malformed proxy variables and a low open-files limit."""

from __future__ import annotations

import resource

import pytest
import respx

from campctl.errors import ConfigError
from campctl.http import make_client
from campctl.limits import FD_RESERVE, usable_concurrency
from tests.helpers import TEST_KEY, cli

HTTPS_URLS = ["https://api.woodpecker.co/rest"]
SECRET_PROXY = "http://ops:hunter2secret@proxy:notaport"


@pytest.mark.parametrize(
    "proxy",
    [
        SECRET_PROXY,
        "http://[::1",
        "ftp://proxy.internal:21",
        "socks5://proxy.internal:1080",
        "http://proxy.internal:99999",
        "http://",
        "http://proxy.internal:3128/\x01",
    ],
)
@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])
def test_a_malformed_proxy_variable_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, variable: str, proxy: str
) -> None:
    monkeypatch.setenv(variable, proxy)
    with pytest.raises(ConfigError, match=r"_PROXY \(or .*_proxy\) is not a usable proxy URL"):
        make_client(HTTPS_URLS, 4)


def test_a_malformed_proxy_never_matters_to_loopback_profiles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", SECRET_PROXY)
    assert not make_client(["http://127.0.0.1:9/x"], 4)._mounts


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_malformed_proxy_stops_a_run_and_a_dry_run_cleanly(
    monkeypatch: pytest.MonkeyPatch, dry_run: bool
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", SECRET_PROXY)
    monkeypatch.setenv("WOODPECKER_API_KEY", TEST_KEY)
    args = ["pause", "--json", *(["--dry-run"] if dry_run else []), "woodpecker:12345"]
    with respx.mock(assert_all_called=False) as router:
        result = cli(args)
        assert router.calls.call_count == 0
    assert result.exit_code == 3
    assert "HTTPS_PROXY (or https_proxy) is not a usable proxy URL" in result.stdout
    assert "internal error" not in result.stdout + result.stderr
    assert "hunter2" not in result.stdout + result.stderr


@pytest.fixture
def nofile(request: pytest.FixtureRequest) -> object:
    """Lower the soft open-files limit for one test, and put it back."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (request.param, hard))
    yield request.param
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.parametrize("nofile", [64], indirect=True)
@pytest.mark.usefixtures("nofile")
def test_a_low_open_files_limit_lowers_the_concurrency() -> None:
    lowered = usable_concurrency(64)
    assert 1 <= lowered < 64 - FD_RESERVE
    assert usable_concurrency(2) == 2  # a small request fits as it is
    client = make_client(HTTPS_URLS, 64)
    assert client._transport._pool._max_connections == lowered + 4  # type: ignore[attr-defined]


@pytest.mark.parametrize("nofile", [8], indirect=True)
@pytest.mark.usefixtures("nofile")
def test_never_below_one_request_at_a_time() -> None:
    assert usable_concurrency(64) == 1
