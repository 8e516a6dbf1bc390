"""The preview master: one episode built WAV-only into a folder of our own.

Shared by the live preview (a temporary folder rebuilt on every edit) and by
excerpts (cut from such a master).  The build is the ordinary incremental
``build_episode``: speech comes from the cache, only what changed is
synthesized again, and the production's build lock keeps it from running at
the same time as a ``radio build`` of the same production.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..build import BuildOptions, EpisodeResult, build_episode
from ..config import Production
from ..episode import load_episodes
from ..errors import UserError
from ..i18n import _, _l
from ..fsio import BuildLock
from ..log import Log
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
    episode = load_episodes(production, [name])[0]
    if options.engine is None:
        # radio.toml may have changed since the synthesizer was made
        synth.mode = production.settings.build.engine
    lock = BuildLock(production.state_dir / "lock")
    lock.acquire(on_wait=on_wait or (lambda: log.info(_("waiting for another build of this "
                                                        "production to finish..."))))
    try:
        return build_episode(production, episode, synth,
                             replace(options, wav_only=True, output_dir=folder), log)
    finally:
        lock.release()


def quiet_log(log: Log) -> Log:
    """A log for the inner build: its 'wrote /tmp/...' lines only confuse."""
    return Log(2 if log.verbosity >= 2 else 0)
