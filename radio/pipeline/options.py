"""What a build is asked for: preset, engine, cache, outputs, parallelism."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildOptions:
    preset: str | None = None        # None: the production's preset
    engine: str | None = None        # None: the production's engine; "offline" forces espeak
    use_cache: bool = True
    wav_only: bool = False           # preview builds skip the MP3
    output_dir: Path | None = None   # default: output/<episode>/
    strict: bool = False
    jobs: int = 1                    # episodes built in parallel worker processes
