"""The disc stage: data ISO, audio-CD BIN/CUE/TOC, manifest, verification, burning.

Independent of how episodes are built: the input is a ``DiscSpec`` of finished
episodes (WAV master, tagged MP3, script).
"""
from .burn import burn
from .model import (DiscChapter, DiscItem, DiscPlan, DiscSpec, Manifest, PlannedTrack,
                    VerifyReport)
from .plan import plan_disc
from .verify import verify_image
from .write import write_disc

__all__ = ["DiscChapter", "DiscItem", "DiscPlan", "DiscSpec", "Manifest", "PlannedTrack",
           "VerifyReport", "burn", "plan_disc", "verify_image", "write_disc"]
