"""What the tool says while it works: -q quiet, default, -v verbose.

Messages are text already translated (``_()``) or :class:`~radio.i18n.Message`
objects (``_l()``), rendered here in the interface language."""
from __future__ import annotations

import sys

import click

from .i18n import Message, _


class Log:
    def __init__(self, verbosity: int = 1):
        self.verbosity = verbosity   # 0 quiet, 1 normal, 2 verbose
        self.warnings: list[str | Message] = []
        self.show_progress = True   # off in parallel workers: bars would interleave

    def info(self, message: str | Message) -> None:
        if self.verbosity >= 1:
            click.echo(str(message))

    def detail(self, message: str | Message) -> None:
        if self.verbosity >= 2:
            click.echo(str(message))

    def warn(self, message: str | Message) -> None:
        self.warnings.append(message)
        click.echo(_("warning: {message}", message=message), err=True)

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
