"""Provider profiles: where the config file is, what it may say, and built-in profiles.

TOML syntax and top-level keys are checked on every run; a profile is checked fully only
when it is used, so a typo in one profile never blocks pausing through another.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from campctl.errors import ConfigError, UsageError
from campctl.registry import VENDOR_NAMES, adapter_class, find, names
from campctl.userfiles import NoHomeError, expand, read_toml, xdg_dir

PROFILE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
# Variable names are shown only in the conventional upper case: `sk_live_...` passes ENV_NAME.
SHOWN_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_WORDS = re.compile(r"[^_\-./\\]+")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
TOP_LEVEL_KEYS = ("default_provider", "sandbox", "providers", "notify")


class Env:
    """Every environment variable campctl reads, in one place."""

    CONFIG = "CAMPCTL_CONFIG"
    XDG_CONFIG_HOME = "XDG_CONFIG_HOME"
    XDG_STATE_HOME = "XDG_STATE_HOME"

    @staticmethod
    def api_key(vendor: str) -> str:
        return f"{vendor.upper()}_API_KEY"

    @staticmethod
    def base_url(vendor: str) -> str:
        return f"{vendor.upper()}_BASE_URL"


def looks_like_key(value: str, kind: Literal["env", "command"]) -> bool:
    """Whether a value meant to name a variable (`api_key_env`) or a program
    (`api_key_command`'s first item) reads like a pasted key instead — then no message shows it.

    Names are made of words: `WOODPECKER_API_KEY`, `op`, `/opt/python311/bin/python3`. A key
    is random: letters and digits mixed throughout. So a value looks like a key, whatever its
    letter case, when any of its words (split at `_ - . / \\`) has 24 or more characters, or
    8 or more that switch between letters and digits at least 3 times or hold at least 4 of
    each (`A1B2C3D4E5F6G7H8`, `PASTED0123456789`, but not `python311`). A variable name must
    also be in the conventional upper case, as keys are mostly mixed or lower case.
    """
    if kind == "env" and not SHOWN_ENV_NAME.fullmatch(value):
        return True
    return any(_random_word(word) for word in _WORDS.findall(value))


def _random_word(word: str) -> bool:
    if len(word) >= 24:
        return True
    if len(word) < 8:
        return False
    digits = [char.isdigit() for char in word]
    switches = sum(a != b for a, b in itertools.pairwise(digits))
    return switches >= 3 or 4 <= sum(digits) <= len(word) - 4


class KeySource(NamedTuple):
    """Where a secret comes from: a profile's key (`api_key_env`, `api_key_command`,
    `api_key`) or a notification URL (`url_env`, `url_command`, `url`: `field="url"`).
    `describe()` is safe to print, the secret never is."""

    kind: Literal["env", "command", "inline"]
    env: str | None = None
    command: tuple[str, ...] = ()
    inline: SecretStr | None = None
    field: str = "api_key"

    @property
    def key_name(self) -> str:
        """The config key this source was read from: `api_key_env`, `url_command`, ..."""
        return self.field if self.kind == "inline" else f"{self.field}_{self.kind}"

    def describe(self) -> str:
        """`env NAME`, `command PROGRAM` or `inline api_key`; a name that looks like a key is
        replaced by saying so."""
        if self.kind == "inline":
            return f"inline {self.field}"
        return f"{self.kind} {self.shown_name() or f'({self.hidden()})'}"

    def shown_name(self) -> str | None:
        """The variable or program, if it is safe to print (see `looks_like_key`)."""
        if self.kind == "env":
            name = self.env
        elif self.kind == "command":
            name = self.command[0] if self.command else None
        else:
            return None
        return name if name and not looks_like_key(name, self.kind) else None

    def hidden(self) -> str:
        """What to say instead of a name that looks like a key."""
        what = "a variable name" if self.kind == "env" else "a program"
        return f"value not shown: it looks like a key rather than {what}"


class Profile(NamedTuple):
    name: str
    vendor: str
    base_url: str
    key: KeySource
    options: BaseModel
    timeout: float | None = None
    retries: int | None = None
    origin: Path | None = None


class ProfileNames(list[str]):
    """Profile names in listing order. `in` also knows every other registry vendor, whose
    built-in profile serves it when named: plugins are read only for a name not listed."""

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name) or (isinstance(name, str) and find(name) is not None)


class NotifySection(NamedTuple):
    """The `[[notify]]` tables as read (checked when a run uses them) and the file they
    came from; under --sandbox, the user's config file rather than the simulator's."""

    path: Path | None = None
    tables: tuple[Any, ...] = ()


class ConfigFile(NamedTuple):
    path: Path | None
    default_provider: str | None
    tables: dict[str, Any]
    sandbox: bool = False  # written by `campctl sandbox serve`: runs go to the sandbox journal
    notify: NotifySection = NotifySection()

    def names(self) -> ProfileNames:
        """Profiles from the file, then the built-in profile of each built-in vendor the file
        has no profile for: a selector must never reach one account twice under two names.
        A sandbox has no built-in profiles (they reach real vendors); a plugin vendor's
        built-in profile is used when named, so listing profiles never reads entry points."""
        if self.sandbox:
            return ProfileNames(self.tables)
        configured = {t.get("vendor") for t in self.tables.values() if isinstance(t, dict)}
        builtin = [v for v in VENDOR_NAMES if v not in self.tables and v not in configured]
        return ProfileNames([*self.tables, *builtin])


class _ProfileTable(BaseModel):
    """The keys every profile may have; vendor keys are checked by the adapter's Options."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vendor: str
    api_key_env: str | None = Field(default=None, pattern=ENV_NAME)
    api_key_command: list[Annotated[str, Field(min_length=1)]] | None = Field(
        default=None, min_length=1
    )
    api_key: SecretStr | None = None
    base_url: str | None = None
    timeout: float | None = Field(default=None, gt=0, le=300)
    retries: int | None = Field(default=None, ge=0, le=10)


_COMMON_KEYS = frozenset(_ProfileTable.model_fields)

# campctl's own words for a bad value, by key: pydantic's wording is not for users, and
# its messages can quote the value, which for the key sources may be the key itself.
_KEY_RULES = {
    "vendor": "vendor must be one of {vendors}",
    "api_key_env": (
        "api_key_env must name an environment variable (letters, digits, '_'); "
        'did you paste the key itself? Use api_key_env = "{env}"'
    ),
    "api_key_command": (
        "api_key_command must be a list of non-empty strings, the program and its "
        'arguments, e.g. ["op", "read", "op://vault/item/credential"]'
    ),
    "api_key": "api_key must be a string: the key itself (or use api_key_env)",
    "base_url": "base_url must be a string: https://HOST[/PATH]",
    "timeout": "timeout must be a number of seconds between 0 and 300, e.g. 10.0",
    "retries": "retries must be a whole number from 0 to 10",
}
# Vendor options (prospects, account_id, ...): by the kind of value expected.
_TYPE_RULES = {
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string in quotes",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "greater_than_equal": "at least {ge}",
    "less_than_equal": "at most {le}",
}


def default_config_path() -> Path:
    """`$XDG_CONFIG_HOME/campctl/providers.toml`; NoHomeError when there is no home to find
    it in."""
    return xdg_dir(Env.XDG_CONFIG_HOME, ".config") / "campctl" / "providers.toml"


def config_path(explicit: str | None) -> tuple[Path, bool]:
    """The config file in use and whether the user named it (then it must exist)."""
    if explicit:
        return expand(explicit), True
    from_env = os.environ.get(Env.CONFIG)
    if from_env:
        return expand(from_env), True
    return default_config_path(), False


def load_config(explicit: str | None = None) -> ConfigFile:
    try:
        path, named = config_path(explicit)
    except NoHomeError:
        return ConfigFile(None, None, {})  # no home, so no default file: built-in profiles
    try:
        data = read_toml(path)
    except FileNotFoundError:
        if named:
            raise ConfigError(
                f"{path}: config file not found; create it with 'campctl config init {path}'"
            ) from None
        return ConfigFile(None, None, {})
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise ConfigError.at(
                path, None, key, f"unknown top-level key; allowed: {', '.join(TOP_LEVEL_KEYS)}"
            )
    default = data.get("default_provider")
    if default is not None and not isinstance(default, str):
        raise ConfigError.at(path, None, "default_provider", "must be a profile name (string)")
    tables = data.get("providers", {})
    if not isinstance(tables, dict):
        raise ConfigError.at(path, None, "providers", "must be a table of [providers.NAME]")
    sandbox = data.get("sandbox", False)
    if not isinstance(sandbox, bool):
        raise ConfigError.at(path, None, "sandbox", "must be true or false")
    notify = data.get("notify", [])
    if not isinstance(notify, list):
        raise ConfigError.at(path, None, "notify", "must be an array of tables: [[notify]]")
    return ConfigFile(path, default, tables, sandbox, NotifySection(path, tuple(notify)))


def vendor_of(config: ConfigFile, name: str) -> str:
    """The vendor behind a profile name; an unknown name is a usage error."""
    if name in config.tables:
        table = config.tables[name]
        vendor = table.get("vendor") if isinstance(table, dict) else None
        if not isinstance(vendor, str) or find(vendor) is None:
            resolve_profile(config, name)  # raises the precise configuration error
        return str(vendor)
    if _has_builtin_profile(config, name):
        return name
    known = ", ".join(config.names())
    raise UsageError(f"unknown provider '{name}'; known providers: {known}")


def resolve_profile(config: ConfigFile, name: str) -> Profile:
    """Check one profile fully (keys, vendor options, base URL) and return it."""
    if name not in config.tables:
        if _has_builtin_profile(config, name):
            return _builtin_profile(name)
        vendor_of(config, name)  # raises the usage error
    path = config.path
    if not PROFILE_NAME.fullmatch(name):
        raise ConfigError.at(path, name, None, "profile names use a-z, 0-9, '_' and '-'")
    table = config.tables[name]
    if not isinstance(table, dict):
        raise ConfigError.at(path, name, None, "must be a table: [providers.NAME]")
    common = {k: v for k, v in table.items() if k in _COMMON_KEYS}
    extra = {k: v for k, v in table.items() if k not in _COMMON_KEYS}
    try:
        parsed = _ProfileTable.model_validate(common)
    except ValidationError as exc:
        raise _config_error(exc, path, name, _COMMON_KEYS, common.get("vendor")) from None
    if find(parsed.vendor) is None:
        raise ConfigError.at(
            path, name, "vendor", f"unknown vendor '{parsed.vendor}'; use {' | '.join(names())}"
        )
    adapter = adapter_class(parsed.vendor)
    try:
        options = adapter.Options.model_validate(extra)
    except ValidationError as exc:
        allowed = _COMMON_KEYS | set(adapter.Options.model_fields)
        raise _config_error(exc, path, name, allowed, parsed.vendor) from None
    sources = [
        k for k in ("api_key_env", "api_key_command", "api_key") if getattr(parsed, k) is not None
    ]
    if len(sources) > 1:
        raise ConfigError.at(path, name, sources[1], f"set only one of {', '.join(sources)}")
    if parsed.api_key_command is not None:
        key = KeySource("command", command=tuple(parsed.api_key_command))
    elif parsed.api_key is not None:
        key = KeySource("inline", inline=parsed.api_key)
    else:
        key = KeySource("env", env=parsed.api_key_env or Env.api_key(parsed.vendor))
    base_url = parsed.base_url or adapter.meta.default_base_url
    if base_url is None:
        raise ConfigError.at(path, name, "base_url", f"required: {adapter.meta.base_url_required}")
    return Profile(
        name=name,
        vendor=parsed.vendor,
        base_url=check_base_url(base_url, path, name),
        key=key,
        options=options,
        timeout=parsed.timeout,
        retries=parsed.retries,
        origin=path,
    )


def _has_builtin_profile(config: ConfigFile, name: str) -> bool:
    """Whether `name` is a vendor, served by its built-in profile. Never in a sandbox, where
    that profile would be the real vendor: there it is a usage error saying so."""
    entry = find(name)
    if entry is None:
        return False
    if not config.sandbox:
        return True
    if entry.simulator is None:
        raise UsageError(f"{name} has no simulator: --sandbox would reach the real vendor")
    where = config.path or "the sandbox"
    raise UsageError(f"{where} has no profile for {name}: it would reach the real vendor")


def _builtin_profile(vendor: str) -> Profile:
    adapter = adapter_class(vendor)
    env_url = Env.base_url(vendor)
    base_url = os.environ.get(env_url) or adapter.meta.default_base_url
    if base_url is None:
        raise ConfigError.at(
            None,
            vendor,
            "base_url",
            f"required: {adapter.meta.base_url_required}; set {env_url} or add a "
            f"[providers.{vendor}] profile with base_url to {_config_file_named()}",
        )
    return Profile(
        name=vendor,
        vendor=vendor,
        base_url=check_base_url(base_url, None, vendor),
        key=KeySource("env", env=Env.api_key(vendor)),
        options=adapter.Options.model_construct(),  # defaults only: nothing to validate
    )


def _config_file_named() -> str:
    """The default config file for a message; its XDG form when there is no home."""
    try:
        return str(default_config_path())
    except NoHomeError:
        return "$XDG_CONFIG_HOME/campctl/providers.toml"


def insecure_http(url: str) -> bool:
    """Plain http to a host that is not loopback: refused for base and notification URLs."""
    parts = urlsplit(url)
    return parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS


def check_base_url(url: str, path: Path | None, profile: str) -> str:
    """https anywhere; plain http only to loopback; a path prefix is kept.

    An error names at most the scheme, host and port: the rest may hold credentials.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number 0-65535
    except ValueError:
        host = None
    problem = None
    if url != url.strip():
        problem = "has a space or line break at its start or end; remove it"
    elif not host or parts.scheme not in ("https", "http"):
        problem = "not an http(s) URL; use https://HOST[:PORT][/PATH]"
    else:
        origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
        if insecure_http(url):
            problem = (
                f"'{origin}' must use https:// (http:// is allowed only for 127.0.0.1, ::1, "
                "localhost)"
            )
        elif "@" in parts.netloc or parts.query or parts.fragment:
            problem = f"'{origin}...' must not contain credentials, a query or a fragment"
    if problem:
        raise ConfigError.at(path, profile, "base_url", problem)
    return url.rstrip("/")


def _config_error(
    exc: ValidationError,
    path: Path | None,
    profile: str,
    allowed: set[str] | frozenset[str],
    vendor: object,
) -> ConfigError:
    """The first problem in campctl's words; never pydantic's, which can quote the value."""
    first = exc.errors()[0]
    key = str(first["loc"][0]) if first["loc"] else None
    if first["type"] == "extra_forbidden":
        problem = f"unknown key; allowed keys: {', '.join(sorted(allowed))}"
    elif first["type"] == "missing":
        problem = "required key is missing"
    elif key in _KEY_RULES:
        known = isinstance(vendor, str) and find(vendor) is not None
        env = Env.api_key(str(vendor)) if known else "VENDOR_API_KEY"
        vendors = " | ".join(names()) if key == "vendor" else ""  # entry points only if needed
        problem = _KEY_RULES[key].format(env=env, vendors=vendors)
    else:
        expected = _TYPE_RULES.get(first["type"], "a value of the documented type")
        problem = f"{key} must be {expected.format(**first.get('ctx', {}))}"
    return ConfigError.at(path, profile, key, problem)
