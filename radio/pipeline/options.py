"""What a build is asked for, resolved once at the command line: the preset (a
Preset object), the engine (an Engine), offline or not, cache, outputs, parallelism.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..audio.presets import PRESETS, Preset
from ..config import Production
from ..speech.engines import Engine


@dataclass(frozen=True)
class BuildOptions:
    preset: Preset | None = None     # None: the production's preset (radio.toml)
    engine: Engine | None = None     # None: each speaker's engine, else the production's
    offline: bool = False            # never touch the network: espeak for every speaker
    use_cache: bool = True
    wav_only: bool = False           # preview builds skip the MP3
    output_dir: Path | None = None   # default: output/<episode>/
    strict: bool = False
    jobs: int = 1                    # episodes built in parallel worker processes

    @classmethod
    def from_names(cls, preset: str | None = None, engine: str | None = None,
                   **rest) -> "BuildOptions":
        """The options from the command line's words (names checked by its choices)."""
        return cls(preset=PRESETS[preset] if preset else None,
                   engine=Engine(engine) if engine else None, **rest)

    def preset_for(self, production: Production) -> Preset:
        """The preset this build masters to: the one asked for, else radio.toml's."""
        return self.preset or PRESETS[production.settings.build.preset]

    def engine_for(self, production: Production) -> Engine:
        """The engine of speakers that name none: the one asked for, else radio.toml's."""
        return self.engine or Engine(production.settings.build.engine)
