"""Plan stage: place every rendered item in time (Episode + sources -> Timeline).

Pure arithmetic on frame counts: no audio is read here.  Speech and clips run one
after another on the main layer with the configured pauses; a music bed runs on
its own layer from its cue until it is stopped (or the episode ends), looping or
fading when it is shorter than what it covers, and ducking under everything on
the main layer.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..audio.decode import RATE
from ..config import DuckingSettings, PacingSettings
from ..script.model import Bed, Episode, Heading, Jingle, Paragraph, Pause, Pending
from .sources import Source

NARRATION_LUFS = -20.0   # every voice is leveled here before mastering
MAX_GAIN_DB = 24.0
SILENT_LUFS = -70.0


def frames(ms: float) -> int:
    return round(ms * RATE / 1000)


def to_ms(count: int) -> int:
    return round(count * 1000 / RATE)


@dataclass(frozen=True)
class Rendered:
    """What the render stage made of one script item."""
    source: Source | None = None
    engine: str = ""          # "espeak", "gtts" or "take" for speech
    spoken: str = ""          # the text as it is read aloud
    paragraph_id: str = ""    # p001...
    take_state: str = ""      # "take", "stale" or "synth"


@dataclass(frozen=True)
class Segment:
    start: int                # frame on the timeline
    source: Source
    offset: int               # first frame of the source
    length: int
    gain_db: float
    fade_in: int = 0
    fade_out: int = 0
    group: int = 0            # 0 = main layer, n = bed n


@dataclass(frozen=True)
class BedGroup:
    group: int
    start: int
    end: int
    fade_in: int
    fade_out: int
    ducks: tuple[tuple[int, int], ...]   # main-layer spans to duck under
    depth_db: float
    attack: int
    release: int
    hold: int


@dataclass(frozen=True)
class Entry:
    """One row of the report: what plays when, and where it came from."""
    kind: str                 # speech, clip, jingle, bed, pause, pending
    start_ms: int
    end_ms: int
    line: int
    chapter: str = ""
    speaker: str = ""
    text: str = ""
    spoken: str = ""
    engine: str = ""
    asset: str = ""
    label: str = ""
    paragraph_id: str = ""
    take_state: str = ""


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    line: int


@dataclass(frozen=True)
class Timeline:
    frames: int
    segments: tuple[Segment, ...]
    beds: tuple[BedGroup, ...]
    entries: tuple[Entry, ...]
    chapters: tuple[Chapter, ...]

    @property
    def duration_ms(self) -> int:
        return to_ms(self.frames)


def level_gain(source: Source, target_lufs: float, explicit_db: float | None) -> float:
    if explicit_db is not None:
        return explicit_db
    if source.loudness_lufs <= SILENT_LUFS:
        return 0.0
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, target_lufs - source.loudness_lufs))


@dataclass
class _State:
    pacing: PacingSettings
    ducking: DuckingSettings
    cursor: int = 0
    chapter: str = ""
    previous: str = "start"   # kind of the last main item, "pause", "heading" or "start"
    xfade: int = 0            # overlap owed to the next main item
    segments: list = field(default_factory=list)
    entries: list = field(default_factory=list)
    chapters: list = field(default_factory=list)
    main_spans: list = field(default_factory=list)
    beds: list = field(default_factory=list)
    open_bed: dict | None = None


def plan(episode: Episode, rendered: list[Rendered], pacing: PacingSettings,
         ducking: DuckingSettings) -> Timeline:
    state = _State(pacing, ducking, cursor=frames(pacing.lead_in_ms))
    for item, made in zip(episode.items, rendered):
        if isinstance(item, Heading):
            if state.previous not in ("start", "pause"):
                state.cursor += frames(pacing.heading_pause_ms)
            state.chapter = item.title
            state.chapters.append(Chapter(item.title, to_ms(state.cursor), item.line))
            state.previous = "heading"
        elif isinstance(item, Pause):
            state.cursor += frames(item.duration_ms)
            state.entries.append(Entry("pause", to_ms(state.cursor - frames(item.duration_ms)),
                                       to_ms(state.cursor), item.line, state.chapter))
            state.previous = "pause"
        elif isinstance(item, Pending):
            _place_pending(state, item)
        elif isinstance(item, Bed):
            _close_bed(state, state.cursor, item.fade_out_ms)
            if item.path:
                _open_bed(state, item, made.source)
        elif made.source is not None:   # None: a paragraph with nothing a voice can say
            _place_main(state, episode, item, made)
    last = max([s.start + s.length for s in state.segments] + [state.cursor])
    _close_bed(state, last, None)
    end = max([b["end"] for b in state.beds] + [last]) + frames(pacing.tail_ms)
    return Timeline(end, tuple(state.segments), tuple(_bed_groups(state)),
                    tuple(sorted(state.entries, key=lambda e: (e.start_ms, e.kind != "bed"))),
                    tuple(state.chapters))


def _gap_before(state: _State, kind: str) -> int:
    p = state.pacing
    if state.previous in ("start", "pause"):
        return 0
    if state.previous == "heading":
        return frames(p.heading_pause_ms) // 2
    if kind == "speech" and state.previous == "speech":
        return frames(p.paragraph_pause_ms)
    return frames(p.clip_pause_ms)


def _place_main(state: _State, episode: Episode, item, made: Rendered) -> None:
    kind = "speech" if isinstance(item, Paragraph) else \
        "jingle" if isinstance(item, Jingle) else "clip"
    source = made.source
    if state.xfade:
        start = state.cursor - state.xfade
        fade_in = max(state.xfade, getattr(item, "fade_in_ms", 0) and frames(item.fade_in_ms))
    else:
        start = state.cursor + _gap_before(state, kind)
        fade_in = frames(getattr(item, "fade_in_ms", 0))
    xfade = frames(getattr(item, "xfade_ms", 0))
    fade_out = max(frames(getattr(item, "fade_out_ms", 0)), xfade)
    gain = level_gain(source, NARRATION_LUFS, getattr(item, "gain_db", None))
    length = source.frames
    state.segments.append(Segment(start, source, 0, length, gain, min(fade_in, length),
                                  min(fade_out, length)))
    state.main_spans.append((start, start + length))
    speaker = episode.speaker(item.speaker) if kind == "speech" else None
    state.entries.append(Entry(
        kind, to_ms(start), to_ms(start + length), item.line, state.chapter,
        speaker=item.speaker if speaker else "",
        text=item.text if kind == "speech" else "", spoken=made.spoken,
        engine=made.engine, asset="" if kind == "speech" else item.path,
        label=getattr(item, "label", "") or (speaker.name if speaker else ""),
        paragraph_id=made.paragraph_id, take_state=made.take_state))
    state.cursor = start + length
    state.xfade = min(xfade, length)
    state.previous = kind


def _place_pending(state: _State, item: Pending) -> None:
    """Silence where a recording will go: spaced like a clip, ducking nothing."""
    start = state.cursor + _gap_before(state, "clip")
    end = start + frames(item.duration_ms)
    state.entries.append(Entry("pending", to_ms(start), to_ms(end), item.line, state.chapter,
                               asset=item.path or "", label=item.label or item.kind))
    state.cursor, state.xfade, state.previous = end, 0, "clip"


def _open_bed(state: _State, item: Bed, source: Source) -> None:
    d = state.ducking
    state.open_bed = {
        "group": len(state.beds) + 1, "start": state.cursor, "source": source, "line": item.line,
        "gain": level_gain(source, NARRATION_LUFS + d.bed_gain_db, item.gain_db),
        "fade_in": frames(d.bed_fade_in_ms if item.fade_in_ms is None else item.fade_in_ms),
        "fade_out": frames(d.bed_fade_out_ms), "loop": item.loop or d.bed_loop,
        "asset": item.path, "chapter": state.chapter}


def _close_bed(state: _State, at: int, fade_out_ms: int | None) -> None:
    bed, state.open_bed = state.open_bed, None
    if bed is None:
        return
    if fade_out_ms is not None:
        bed["fade_out"] = frames(fade_out_ms)
    source = bed["source"]
    end = max(at + bed["fade_out"], bed["start"] + bed["fade_in"] + bed["fade_out"])
    if bed["loop"] == "fade" and end - bed["start"] > source.frames:
        end = bed["start"] + source.frames
    bed["end"] = end
    state.beds.append(bed)
    span = end - bed["start"]
    overlap = min(frames(state.ducking.loop_crossfade_ms), source.frames // 3)
    step = max(source.frames - overlap, 1)
    position = 0
    while position < span:
        length = min(source.frames, span - position)
        state.segments.append(Segment(bed["start"] + position, source, 0, length, bed["gain"],
                                      overlap if position else 0,
                                      overlap if position + length < span else 0,
                                      group=bed["group"]))
        position += step
    state.entries.append(Entry("bed", to_ms(bed["start"]), to_ms(end), bed["line"],
                               bed["chapter"], asset=bed["asset"]))


def _bed_groups(state: _State) -> list[BedGroup]:
    d = state.ducking
    spans = sorted(state.main_spans)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start - merged[-1][1] < frames(d.min_gap_ms):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    groups = []
    for bed in state.beds:
        ducks = tuple((s, e) for s, e in merged if e > bed["start"] and s < bed["end"])
        groups.append(BedGroup(bed["group"], bed["start"], bed["end"], bed["fade_in"],
                               bed["fade_out"], ducks, d.depth_db, frames(d.attack_ms),
                               frames(d.release_ms), frames(d.hold_ms)))
    return groups
