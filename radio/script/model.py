"""The script's abstract syntax: frozen dataclasses with their source lines.

The parser produces these and nothing here knows about audio: asset paths are
plain relative paths inside ``audio_assets/``, times are milliseconds.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Speaker:
    label: str                 # as written before the colon: "MC1"
    name: str = ""             # who it is, for the report and the recording script
    engine: str = ""           # "" = the production's default engine
    voice: str = "vi"
    rate_wpm: int = 160
    pitch: int = 50
    range: int = 50
    variant: str = ""           # espeak-ng voice variant ("f3", "m2"): "" for none
    line: int = 0


@dataclass(frozen=True)
class Heading:
    line: int
    title: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    line: int
    speaker: str               # a declared speaker label
    text: str                  # as written, NFC, lines joined by spaces
    pinned_id: str = ""        # "p003" when the producer pinned it with {#p003}
    end_line: int = 0          # its last line in the script (= line for one line)
    labelled: bool = True      # False: no label, the speaker of the paragraph before goes on


@dataclass(frozen=True)
class Jingle:
    line: int
    path: str
    gain_db: float | None = None
    fade_in_ms: int = 0
    fade_out_ms: int = 0
    xfade_ms: int = 0          # overlap with the next item
    label: str = ""


@dataclass(frozen=True)
class Bed:
    line: int
    path: str | None           # None: stop the running bed
    gain_db: float | None = None
    fade_in_ms: int | None = None
    fade_out_ms: int | None = None
    loop: str | None = None    # "crossfade", "fade" or None for the setting


@dataclass(frozen=True)
class Clip:
    line: int
    path: str
    from_ms: int = 0
    to_ms: int | None = None
    gain_db: float | None = None   # None: level to the narration
    fade_in_ms: int = 0
    fade_out_ms: int = 0
    xfade_ms: int = 0
    label: str = ""


@dataclass(frozen=True)
class Pause:
    line: int
    duration_ms: int


@dataclass(frozen=True)
class Pending:
    """A cue whose recording is not there yet (`chờ=có`): silence of its length
    stands in for it, and a release made with it is a draft."""
    line: int
    kind: str                  # "jingle", "bed" or "clip": what it will be
    path: str | None           # where the recording will be, when the script says
    duration_ms: int = 3000
    label: str = ""


Item = Heading | Paragraph | Jingle | Bed | Clip | Pause | Pending


@dataclass(frozen=True)
class Episode:
    name: str                  # file stem: "episode1"
    path: str                  # as shown to the user: "scripts/episode1.md"
    title: str
    number: int
    subtitle: str = ""
    description: str = ""
    sample: bool = False
    date: str = ""             # publication date (yyyy-mm-dd), "" for the build clock
    speakers: tuple[Speaker, ...] = ()
    items: tuple[Item, ...] = field(default=())

    def speaker(self, label: str) -> Speaker:
        return next(s for s in self.speakers if s.label == label)

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(i for i in self.items if isinstance(i, Paragraph))

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(i for i in self.items if isinstance(i, Heading))

    @property
    def pending(self) -> tuple[Pending, ...]:
        return tuple(i for i in self.items if isinstance(i, Pending))

    def asset_cues(self) -> tuple[Jingle | Bed | Clip, ...]:
        return tuple(i for i in self.items if isinstance(i, (Jingle, Bed, Clip))
                     and getattr(i, "path", None))
