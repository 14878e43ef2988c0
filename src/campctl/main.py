"""Console entry point. `campctl --version` answers before anything heavy is imported."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from campctl import __version__

        sys.stdout.write(f"campctl {__version__}\n")
        return
    from campctl.cli import app

    app()
