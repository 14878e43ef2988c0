"""campctl's own wording for Typer's parameters, and no pydantic on the way.

Typer (0.2x) coerces every parameter value through a pydantic TypeAdapter, built on first
use — also for `--help` and shell completion, where it costs ~35 ms of imports — and its
help shows internal type names (`TARGET <list[str]>`, `<int range>`, `0.1<=x<=300`) and its
errors pydantic's wording ("Input should be greater than or equal to 0.1").

`adopt(command)` walks the built Click tree once per invocation and gives each command and
parameter a campctl subclass that:
  * converts the plain annotations campctl uses (str, int, float, bool, Path, Enum, Literal
    and lists of those) itself, with campctl's messages: "--timeout must be between 0.1 and
    300 seconds, not 0";
  * shows METAVARs instead of type names, and ranges as "1-64".
Anything else (a custom parser, clamping, path checks such as exists=True, other types)
falls back to Typer's own conversion. Typer versions without this machinery
are left alone (adopt() is then a no-op).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

try:  # Typer's runtime-coercion layer (0.2x); older Typer uses Click types directly
    from typer._click.exceptions import BadParameter
    from typer._coercion import RuntimeParam
    from typer.core import TyperArgument, TyperOption

    ADOPTABLE = True
except ImportError:  # pragma: no cover - depends on the installed Typer
    ADOPTABLE = False

UNITS = {"SECONDS": "seconds", "MS": "milliseconds"}
_TYPE_LABELS: dict[Any, str] = {int: "N", float: "NUMBER", str: "TEXT", Path: "PATH"}


class InvalidValue(BadParameter):
    """A bad option value, in campctl's words (no "Invalid value for …:" prefix)."""

    def format_message(self) -> str:
        return str(self.message)


def _flag(param: Any) -> str:
    opts = [str(opt) for opt in getattr(param, "opts", [])]
    return max(opts or [str(param.metavar or param.name).upper()], key=len)


def _range(param: Any) -> str:
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    unit = UNITS.get(str(param.metavar), "")
    unit = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}{unit}"
    if low is not None:
        return f"at least {low:g}{unit}"
    if high is not None:
        return f"at most {high:g}{unit}"
    return ""


def _number(value: Any, kind: type, param: Any) -> Any:
    limits = _range(param)
    try:
        number = kind(value)
        if isinstance(number, float) and not math.isfinite(number):
            raise ValueError(value)
    except (TypeError, ValueError):
        what = "a whole number" if kind is int else "a number"
        raise InvalidValue(
            f"{_flag(param)} must be {what}{' ' + limits if limits else ''}, not '{value}'"
        ) from None
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if (low is not None and number < low) or (high is not None and number > high):
        raise InvalidValue(f"{_flag(param)} must be {limits}, not {value}")
    return number


_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "off", "n", "f", ""})


def _convert(annotation: Any, value: Any, param: Any) -> Any:
    origin = get_origin(annotation)
    if origin is list:
        (item,) = get_args(annotation)
        values = value if isinstance(value, (list, tuple)) else [value]
        return [_convert(item, one, param) for one in values]
    if annotation is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise InvalidValue(f"{_flag(param)} must be true or false, not '{value}'")
    if annotation in (int, float):
        return _number(value, annotation, param)
    if annotation is str:
        return value if isinstance(value, str) else str(value)
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return annotation(value)
    choices = _choices(annotation)
    for choice in choices:
        if value is choice or str(getattr(choice, "value", choice)) == str(value):
            return choice
    allowed = ", ".join(str(getattr(c, "value", c)) for c in choices)
    raise InvalidValue(f"{_flag(param)} must be one of {allowed}, not '{value}'")


def _choices(annotation: Any) -> list[Any]:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return list(annotation)
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    return []


def supported(annotation: Any) -> bool:
    """Whether campctl converts values of this annotation itself."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return supported(item)
    if annotation in (bool, int, float, str):
        return True
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return True
    return bool(_choices(annotation))


def type_label(annotation: Any) -> str:
    """A METAVAR-style label for an option without one: N, NUMBER, TEXT, PATH, a|b."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return type_label(item)
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return "PATH"
    choices = _choices(annotation)
    if choices:
        return "|".join(str(getattr(c, "value", c)) for c in choices)
    return _TYPE_LABELS.get(annotation, "VALUE")


if ADOPTABLE:

    @dataclass(frozen=True)
    class _Plain(RuntimeParam):
        """Typer's runtime-coercion contract, fulfilled without pydantic."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            return _convert(self.annotation, value, param)


# Methods of the adopted subclasses. Each adopted object's class is created directly from
# its own class (`type(self)` is the adopted class), so `super(type(self), self)` reaches
# Typer's implementation.
def _plain_enough(info: Any) -> bool:
    """No Typer feature campctl's conversion does not implement: a custom parser, clamping,
    case-insensitive choices, or checks on a path (exists, writable, ...)."""
    defaults = {
        "parser": None,
        "clamp": False,
        "case_sensitive": True,
        "exists": False,
        "file_okay": True,
        "dir_okay": True,
        "writable": False,
        "readable": True,
        "resolve_path": False,
        "allow_dash": False,
        "path_type": None,
    }
    return all(getattr(info, name, value) == value for name, value in defaults.items())


def _get_runtime_param(self: Any) -> Any:
    if self._runtime_param is None:
        descriptor = self.type_descriptor
        if (
            supported(descriptor.annotation)
            and descriptor.file_annotation is None
            and _plain_enough(descriptor.parameter_info)
        ):
            self._runtime_param = _Plain(descriptor.parameter_info, descriptor.annotation)
    return super(type(self), self).get_runtime_param()


def _display_type_rich(self: Any, ctx: Any) -> str | None:
    if self.param_type_name == "argument" or getattr(self, "is_flag", False):
        return None  # the METAVAR (or name) is already shown; a flag takes no value
    if self.metavar is not None:
        return str(self.metavar)
    return type_label(self.type_descriptor.annotation)


def _number_range_help(self: Any) -> str | None:
    low, high = self.min, self.max
    if low is not None and high is not None:
        return f"{low:g}-{high:g}"
    if low is not None:
        return f"at least {low:g}"
    if high is not None:
        return f"at most {high:g}"
    return None


def _get_params(self: Any, ctx: Any) -> list[Any]:
    """Adopt parameters created late (the help option)."""
    params: list[Any] = super(type(self), self).get_params(ctx)
    for param in params:
        _adopt_param(param)
    return params


_PARAM_METHODS = {
    "get_runtime_param": _get_runtime_param,
    "display_type_rich": _display_type_rich,
    "_get_number_range_help_str": _number_range_help,
}
_COMMAND_METHODS = {"get_params": _get_params}
_SUBCLASSES: dict[type, type] = {}


def _adopt_object(obj: Any, methods: dict[str, Any]) -> None:
    cls = type(obj)
    if getattr(cls, "_campctl_adopted", False):
        return
    if cls not in _SUBCLASSES:
        namespace = {"__slots__": (), "_campctl_adopted": True, **methods}
        _SUBCLASSES[cls] = type(f"Campctl{cls.__name__}", (cls,), namespace)
    obj.__class__ = _SUBCLASSES[cls]


def _adopt_param(param: Any) -> None:
    if isinstance(param, (TyperOption, TyperArgument)):
        _adopt_object(param, _PARAM_METHODS)


def adopt(command: Any) -> None:
    """Adopt `command`, its parameters and its subcommands (recursively)."""
    if not ADOPTABLE:  # pragma: no cover
        return
    _adopt_object(command, _COMMAND_METHODS)
    for param in command.params:
        _adopt_param(param)
    for sub in getattr(command, "commands", {}).values():
        adopt(sub)
