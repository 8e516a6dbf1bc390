"""What the tool says while it works: -q quiet, default, -v verbose."""
from __future__ import annotations

import sys

import click


class Log:
    def __init__(self, verbosity: int = 1):
        self.verbosity = verbosity   # 0 quiet, 1 normal, 2 verbose
        self.warnings: list[str] = []

    def info(self, message: str) -> None:
        if self.verbosity >= 1:
            click.echo(message)

    def detail(self, message: str) -> None:
        if self.verbosity >= 2:
            click.echo(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        click.echo(f"warning: {message}", err=True)

    @property
    def tty(self) -> bool:
        return sys.stderr.isatty() and self.verbosity >= 1
