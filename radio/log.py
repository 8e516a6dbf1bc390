"""What the tool says while it works: -q quiet, default, -v verbose."""
from __future__ import annotations

import sys

import click


class Log:
    def __init__(self, verbosity: int = 1):
        self.verbosity = verbosity   # 0 quiet, 1 normal, 2 verbose
        self.warnings: list[str] = []
        self.show_progress = True   # off in parallel workers: bars would interleave

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
        return self.show_progress and sys.stderr.isatty() and self.verbosity >= 1

    def blocks(self, blocks, total_frames: int, label: str):
        """Yield audio *blocks*, with a progress bar on a terminal (quiet otherwise)."""
        if not self.tty or total_frames <= 0:
            yield from blocks
            return
        with click.progressbar(length=total_frames, label=label, file=sys.stderr,
                               show_eta=True, width=30) as bar:
            for block in blocks:
                bar.update(len(block))
                yield block
