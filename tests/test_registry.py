"""The one vendor registry: built-ins with their simulators, `register`, plugins read lazily
from the `campctl.vendors` entry points (a broken or name-stealing plugin is one warning),
`CAMPCTL_NO_PLUGINS`, and `--sandbox` refusing a vendor without a simulator.

Plugins here are a throwaway distribution (a dist-info directory on sys.path), so these tests
do not depend on examples/campctl-acme being installed; its own tests use it installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from campctl import registry
from campctl.registry import BUILTIN, Origin, PluginWarning, VendorEntry
from tests.helpers import cli

PLUGIN_MODULE = """\
from campctl.providers.leadlex.adapter import LeadlexAdapter
from campctl.registry import VendorEntry
from campctl.providers.leadlex.simulator import Leadlex


class ZetaAdapter(LeadlexAdapter):
    meta = LeadlexAdapter.meta._replace(
        name="zeta", title="Zeta", default_base_url="https://zeta.invalid"
    )


class Zeta(Leadlex):
    name = "zeta"


class NosimAdapter(LeadlexAdapter):
    meta = LeadlexAdapter.meta._replace(
        name="nosim", title="Nosim", default_base_url="https://nosim.invalid"
    )


ZETA = VendorEntry("zeta", "fakeplug:ZetaAdapter", "fakeplug:Zeta")
NOSIM = VendorEntry("nosim", "fakeplug:NosimAdapter")
STEALER = VendorEntry("woodpecker", "fakeplug:ZetaAdapter")
"""
ENTRY_POINTS = """\
[campctl.vendors]
zeta = fakeplug:ZETA
nosim = fakeplug:NOSIM
broken = fakeplug_broken:ENTRY
woodpecker = fakeplug:STEALER
"""


def write_plugin(root: Path) -> Path:
    """A distribution `fakeplug 1.2` with four vendor entry points: two good, two bad."""
    root.mkdir(exist_ok=True)
    (root / "fakeplug.py").write_text(PLUGIN_MODULE)
    (root / "fakeplug_broken.py").write_text("raise RuntimeError('boom at import')\n")
    info = root / "fakeplug-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fakeplug\nVersion: 1.2\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    return root


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """A registry with only the built-ins and nothing read yet; plugins on."""
    monkeypatch.setattr(registry, "_registry", registry._Registry())
    monkeypatch.delenv("CAMPCTL_NO_PLUGINS")


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None) -> Path:
    """`fakeplug` on sys.path, and the only plugin seen (an installed example is hidden)."""
    import importlib.metadata

    root = write_plugin(tmp_path / "site")
    monkeypatch.syspath_prepend(str(root))
    real = importlib.metadata.entry_points

    def only_fakeplug(**select: str) -> importlib.metadata.EntryPoints:
        points = real(**select)
        return importlib.metadata.EntryPoints(
            p for p in points if p.dist is not None and p.dist.name == "fakeplug"
        )

    monkeypatch.setattr(importlib.metadata, "entry_points", only_fakeplug)
    return root


# -- built-ins --------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", BUILTIN, ids=lambda e: e.name)
def test_every_builtin_has_an_adapter_and_a_simulator_of_its_name(entry: VendorEntry) -> None:
    simulator = registry.simulator_class(entry.name)
    assert simulator is not None
    assert simulator.name == entry.name
    assert registry.adapter_class(entry.name).meta.name == entry.name
    assert entry.plugin is None


def test_register_refuses_a_taken_name_and_checks_by_importing(fresh: None) -> None:
    with pytest.raises(ValueError, match="'leadlex' is already registered"):
        registry.register(BUILTIN[0])
    with pytest.raises(ValueError, match="is the adapter of 'leadlex'"):
        registry.register(VendorEntry("other", BUILTIN[0].adapter))
    with pytest.raises(ValueError, match="must match"):
        registry.register(VendorEntry("Bad-Name", BUILTIN[0].adapter))
    with pytest.raises(TypeError, match="not a campctl Adapter"):
        registry.register(VendorEntry("other", "campctl.registry:VendorEntry"))
    with pytest.raises(ModuleNotFoundError):
        registry.register(VendorEntry("other", "campctl.nowhere:Adapter"))
    assert registry.find("other") is None


def test_importing_campctl_and_the_registry_imports_no_adapter() -> None:
    code = (
        "import sys, campctl, campctl.registry, campctl.providers\n"
        "heavy = [m for m in sys.modules if m.startswith(('httpx', 'pydantic', "
        "'campctl.providers.', 'campctl.sandbox'))]\n"
        "print(heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert done.stdout.decode().strip() == "[]"


# -- plugins ----------------------------------------------------------------------------------
def test_plugins_are_read_only_for_a_name_that_is_not_built_in(plugin: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert registry.find("woodpecker") is BUILTIN[4]
        assert not registry._registry.scanned
        zeta = registry.find("zeta")
        registry.entries()  # read once: no second round of warnings
    assert zeta is not None
    assert zeta.plugin == Origin("fakeplug", "1.2")
    assert registry.names()[-2:] == ("nosim", "zeta")
    assert registry.find("woodpecker") is BUILTIN[4]  # never the stealer
    assert registry.find("broken") is None
    messages = sorted(str(w.message) for w in caught if w.category is PluginWarning)
    assert messages == [
        "vendor plugin 'broken' (from fakeplug 1.2) skipped: RuntimeError('boom at import')",
        "vendor plugin 'woodpecker' (from fakeplug 1.2) skipped: 'woodpecker' is a built-in vendor",
    ]


def test_campctl_no_plugins_turns_them_off(plugin: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMPCTL_NO_PLUGINS", "1")
    assert registry.find("zeta") is None
    assert registry.names() == registry.VENDOR_NAMES
    assert registry.listed_names() == registry.VENDOR_NAMES


def test_completion_lists_plugin_names_without_loading_them(plugin: Path) -> None:
    from campctl.cli.completion import provider_names

    assert ("zeta", "built-in") in provider_names()
    assert ("broken", "built-in") in provider_names()  # only loading tells it is broken
    assert not registry._registry.scanned


def test_vendors_lists_plugins_with_their_package_and_one_warning_each(plugin: Path) -> None:
    result = cli(["vendors", "--json"])
    assert result.exit_code == 0
    rows = {row["name"]: row for row in json.loads(result.stdout)["vendors"]}
    assert list(rows) == [*registry.VENDOR_NAMES, "nosim", "zeta"]
    assert rows["zeta"]["plugin"] == {"package": "fakeplug", "version": "1.2"}
    assert rows["woodpecker"]["plugin"] is None
    assert rows["woodpecker"]["title"] == "Woodpecker"
    warned = [line for line in result.stderr.splitlines() if line.startswith("campctl: warning:")]
    assert len(warned) == 2
    assert "'broken'" in warned[0]
    assert "'woodpecker'" in warned[1]


def test_a_plugin_vendor_pauses_on_its_simulator(plugin: Path) -> None:
    result = cli(
        ["pause", "--sandbox", "--json", "--no-audit", "zeta:cmp_abc123", "leadlex:cmp_abc123"]
    )
    assert result.exit_code == 0, result.stderr
    results = json.loads(result.stdout)["results"]
    assert [(r["provider"], r["outcome"]) for r in results] == [
        ("zeta", "done"),
        ("leadlex", "done"),
    ]


def test_sandbox_refuses_a_vendor_without_a_simulator(plugin: Path) -> None:
    result = cli(["pause", "--sandbox", "--no-audit", "nosim:cmp_abc123"])
    assert result.exit_code == 2
    assert "nosim has no simulator: --sandbox would reach the real vendor" in result.stderr


def test_a_sandbox_config_never_falls_back_to_a_real_profile(plugin: Path, tmp_path: Path) -> None:
    config = tmp_path / "sandbox.toml"
    config.write_text('sandbox = true\n[providers.alta]\nvendor = "alta"\napi_key = "k"\n'
                      'base_url = "http://127.0.0.1:9/alta"\n')  # fmt: skip
    result = cli(["pause", "--dry-run", "-c", str(config), "woodpecker:12345"])
    assert result.exit_code == 2
    assert f"{config} has no profile for woodpecker: it would reach the real vendor" in (
        result.stderr
    )


def test_sandbox_serve_profiles_every_vendor_with_a_simulator(plugin: Path) -> None:
    from campctl.sandbox import Simulator, render_providers_toml

    with pytest.warns(PluginWarning):
        sim = Simulator()
    with sim:
        assert sim.vendors == (*registry.VENDOR_NAMES, "zeta")
        text = render_providers_toml(sim)
    assert "[providers.zeta]" in text
    assert "nosim" not in text


def test_config_init_has_a_profile_for_a_plugin_vendor(plugin: Path, tmp_path: Path) -> None:
    target = tmp_path / "providers.toml"
    assert cli(["config", "init", str(target)]).exit_code == 0
    assert '[providers.zeta]\nvendor = "zeta"\napi_key_env = "ZETA_API_KEY"' in target.read_text()


def test_a_vendor_option_error_names_the_vendors_that_have_it() -> None:
    result = cli(["pause", "--dry-run", "--prospects", "leadlex:cmp_abc123"])
    assert result.exit_code == 2
    assert "--prospects applies only to vendors that support it (Alta)" in result.stderr


HOOKED = textwrap.dedent("""\
    import importlib.metadata, sys
    calls = []
    real = importlib.metadata.entry_points
    def hook(**select):
        if select.get("group") == "campctl.vendors":  # pydantic reads its own group
            calls.append(select)
        return real(**select)
    importlib.metadata.entry_points = hook
    sys.argv = ['campctl', *sys.argv[1:]]
    from campctl.main import main
    try:
        main()
    except SystemExit:
        pass
    sys.stderr.write(f"ENTRY_POINTS={len(calls)} PLUGIN={'fakeplug' in sys.modules}\\n")
""")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["pause", "--help"],
        ["help", "plugins"],
        ["pause", "--dry-run", "leadlex:cmp_abc123", "leadterra:camp_123"],
    ],
    ids=" ".join,
)
def test_help_version_and_a_builtin_pause_never_read_entry_points(
    args: list[str], tmp_path: Path
) -> None:
    root = write_plugin(tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if k != "CAMPCTL_NO_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(root), *sys.path])
    done = subprocess.run(
        [sys.executable, "-c", HOOKED, *args], env=env, capture_output=True, check=False
    )
    assert done.stderr.decode().splitlines()[-1] == "ENTRY_POINTS=0 PLUGIN=False"
    # and the same process with a plugin vendor does read them
    if args[0] == "pause" and "--help" not in args:
        again = subprocess.run(
            [sys.executable, "-c", HOOKED, *args, "zeta:cmp_abc123"],
            env=env,
            capture_output=True,
            check=False,
        )
        assert again.stderr.decode().splitlines()[-1] == "ENTRY_POINTS=1 PLUGIN=True"
