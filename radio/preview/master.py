"""The preview master: one episode built WAV-only into a folder of our own.

Shared by the live preview (a temporary folder rebuilt on every edit) and by
excerpts (cut from such a master).  It is the ordinary incremental ``build``
(as ``mkdocs serve`` calls ``build()``), given the preview's running
synthesizer: speech comes from the cache, only what changed is synthesized
again, and the build's lock keeps it from running at the same time as a
``radio build`` of the same production.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..config import Production
from ..errors import UserError
from ..i18n import _l
from ..log import Log
from ..pipeline.build import EpisodeResult, build
from ..pipeline.options import BuildOptions
from ..speech.voice import Synthesizer


def check_episode(production: Production, name: str) -> None:
    known = production.episode_names()
    if name not in known:
        raise UserError(_l("no episode named '{name}'", name=name),
                        hint=_l("episodes here: {names}", names=", ".join(known)) if known
                        else _l("there are no episodes here yet: add scripts/*.md"))


def build_preview(production: Production, name: str, synth: Synthesizer,
                  options: BuildOptions, folder: Path, log: Log,
                  on_wait=None) -> EpisodeResult:
    """Build episode *name* WAV-only into *folder*; return the build's result."""
    # radio.toml may have changed since the synthesizer was made
    synth.mode = options.engine_for(production).value
    wav_only = replace(options, wav_only=True, output_dir=folder, jobs=1)
    return build(production, [name], wav_only, log, synth=synth, on_wait=on_wait)[0]


def quiet_log(log: Log) -> Log:
    """A log for the inner build: its 'wrote /tmp/...' lines only confuse."""
    return Log(2 if log.verbosity >= 2 else 0)
