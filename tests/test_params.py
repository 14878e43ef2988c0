"""campctl's conversion of option values: its own wording, no pydantic, Typer's for the rest."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
import typer
from typer._click.exceptions import BadParameter

from campctl.cli.params import adopt


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


def build() -> tuple[Any, dict[str, Any]]:
    seen: dict[str, Any] = {}
    app = typer.Typer(add_completion=False, rich_markup_mode=None)

    @app.command()
    def cmd(
        count: Annotated[int, typer.Option("--count", "-n", min=1, max=5)] = 1,
        ratio: Annotated[float, typer.Option("--ratio", metavar="SECONDS", min=0.5)] = 1.0,
        colour: Annotated[Colour, typer.Option("--colour")] = Colour.RED,
        mode: Annotated[Literal["a", "b"], typer.Option("--mode")] = "a",
        where: Annotated[Path | None, typer.Option("--where")] = None,
        real: Annotated[Path | None, typer.Option("--real", exists=True)] = None,
        names: Annotated[list[str] | None, typer.Argument()] = None,
    ) -> None:
        seen.update(locals())

    command = typer.main.get_command(app)
    adopt(command)
    return command, seen


def invoke(*args: str) -> dict[str, Any]:
    command, seen = build()
    command.main(list(args), standalone_mode=False)
    return seen


def test_values_are_converted() -> None:
    seen = invoke(
        "-n", "3", "--ratio", "2.5", "--colour", "blue", "--mode", "b", "--where", "x", "p", "q"
    )
    assert seen["count"] == 3
    assert seen["ratio"] == 2.5
    assert seen["colour"] is Colour.BLUE
    assert seen["mode"] == "b"
    assert seen["where"] == Path("x")
    assert seen["names"] == ["p", "q"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-n", "9"], "--count must be between 1 and 5, not 9"),
        (["-n", "x"], "--count must be a whole number between 1 and 5, not 'x'"),
        (["--ratio", "0.1"], "--ratio must be at least 0.5 seconds, not 0.1"),
        (["--ratio", "inf"], "--ratio must be a number at least 0.5 seconds, not 'inf'"),
        (["--colour", "green"], "--colour must be one of red, blue, not 'green'"),
        (["--mode", "c"], "--mode must be one of a, b, not 'c'"),
    ],
)
def test_errors_in_campctls_words(args: list[str], message: str) -> None:
    with pytest.raises(BadParameter) as caught:
        invoke(*args)
    assert caught.value.format_message() == message


def test_path_checks_fall_back_to_typer(tmp_path: Path) -> None:
    with pytest.raises(BadParameter, match="does not exist"):
        invoke("--real", str(tmp_path / "missing"))
    assert invoke("--real", str(tmp_path))["real"] == tmp_path


def test_help_shows_metavars_and_ranges_not_type_names() -> None:
    command, _ = build()
    ctx = command.make_context("cmd", ["--help"], resilient_parsing=True)
    text = command.get_help(ctx)
    assert "-n, --count N" in text
    assert "[default: 1; 1-5]" in text
    assert "--ratio SECONDS" in text
    assert "at least 0.5" in text
    assert "--colour red|blue" in text
    assert "--where PATH" in text
    assert "<" not in text
    assert "x<=" not in text
