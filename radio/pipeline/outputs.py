"""Master a prepared episode into its outputs: WAV (+ BWF), MP3 + ID3, and the
report's loudness fields.

``master_outputs`` mixes and analyses the programme once (spooled to disk), then
masters the spool into the WAV and, at the same time, the MP3 encoder, again
with more headroom while LAME's true peak overshoots the ceiling.  Every pass
reads one ``Mastering`` job: what the build decided for this episode.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..audio.presets import Preset
from ..clock import build_date, build_epoch
from ..config import Production
from ..errors import BuildError
from ..fsio import Writeback, atomic_open, atomic_path
from ..i18n import _, _l
from ..log import Log
from ..targets import mp3
from .options import BuildOptions
from .prepare import Prepared

MAX_MP3_PASSES = 3


@dataclass(frozen=True)
class Mastering:
    """One episode's mastering job: what every pass needs."""

    production: Production
    prepared: Prepared
    preset: Preset
    paths: dict[str, Path]           # kind ("wav", "mp3", "json", "txt") -> output path
    options: BuildOptions
    log: Log


def episode_seed(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"dither:{name}".encode()).digest()[:8], "big")


def master_outputs(job: Mastering) -> dict:
    """Write the WAV (and the MP3 unless WAV-only); return their measured loudness."""
    from .mix import Ahead, mix_blocks

    preset, timeline = job.preset, job.prepared.timeline
    # Mixing starts at once, in a thread, while the DSP is imported here (only
    # scipy's kernels: see radio.audio.kernels).
    with Ahead(mix_blocks(timeline)) as mixed:
        from ..audio.master import Master
        from ..audio.spool import Spool

        # WAV-only (preview) masters keep the MP3 headroom too, so they equal the release's WAV.
        master = Master(preset, ceiling_dbtp=preset.ceiling_dbtp - preset.mp3_headroom_db)
        with Spool(job.production.state_dir, master.channels) as spool:
            label = f"{job.prepared.episode.name}: measuring"
            analysis = master.analyse(job.log.blocks(mixed, timeline.frames, label),
                                      spool.write)
            return _write_passes(job, master, analysis, spool)


def _write_passes(job: Mastering, master, analysis, spool) -> dict:
    """Master the spooled programme into the outputs until the MP3's true peak
    is under the ceiling (LAME overshoots its input), with more headroom each time."""
    from ..audio.master import Master

    preset = job.preset
    headroom = preset.ceiling_dbtp - master.ceiling_dbtp
    for attempt in range(MAX_MP3_PASSES):
        loudness = _write_pass(job, master, analysis, spool)
        mp3_peak = loudness.get("mp3", {}).get("true_peak_dbtp", -99.0)
        if mp3_peak <= preset.ceiling_dbtp:
            return loudness
        headroom += mp3_peak - preset.ceiling_dbtp + 0.2
        job.log.detail(_("MP3 true peak {peak:.2f} dBTP over the ceiling: mastering again with "
                         "{headroom:.1f} dB headroom", peak=mp3_peak, headroom=headroom))
        master = Master(preset, ceiling_dbtp=preset.ceiling_dbtp - headroom)
    raise BuildError(_l("the MP3 stays above {ceiling} dBTP after {passes} passes",
                        ceiling=preset.ceiling_dbtp, passes=MAX_MP3_PASSES),
                     hint=_l("report this programme to the developers"))


def _write_pass(job: Mastering, master, analysis, spool) -> dict:
    from ..audio.dsp import OutputPeakBounds
    from ..audio.loudness import BackgroundMeter
    from ..audio.wav import BextInfo, WavWriter, WrittenFrames

    production, paths, log = job.production, job.paths, job.log
    episode, timeline = job.prepared.episode, job.prepared.timeline
    bext = None
    if job.preset.bext:
        bext = BextInfo(episode.title, production.settings.production.publisher,
                        episode.name, build_date(build_epoch(production.settings.production.date)))
    # Measures the output while the next blocks are mastered, giving way to the
    # MP3 encoder; a dual-mono output is measured on the one channel both carry.
    one = master.channels == 1
    # The limiter tells the meter where the output's true peak cannot be.
    bounds = OutputPeakBounds()
    meter = BackgroundMeter(channels=master.channels, dual_mono=one, gives_way=True,
                            peak_bounds=bounds.reaching)
    encoder = None
    with atomic_path(paths["mp3"]) if not job.options.wav_only else _nothing() as mp3_tmp, \
            atomic_open(paths["wav"]) as wav_fh, Writeback(wav_fh) as writeback:
        writer = WavWriter(wav_fh, timeline.frames, bext, writeback)
        if mp3_tmp is not None:
            # The MP3's meter compares it with the WAV as written, and bounds its peaks.
            encoder = mp3.Mp3Encoder(mp3_tmp, production.settings.build.mp3_bitrate_kbps,
                                     measure=True, dual_mono=one,
                                     reference=(bounds, WrittenFrames(writer, wav_fh.name)))
        try:
            blocks = log.blocks(spool.blocks(), timeline.frames, f"{episode.name}: mastering")
            for block in master.finish(blocks, analysis, episode_seed(episode.name), bounds):
                if encoder:   # first: the encoder sets the pace
                    encoder.write(block)
                writer.write(block)
                meter.feed(block[:, :1] if one else block)
            if encoder:
                encoder.end_of_input()   # LAME finishes while the WAV's measuring does
            wav_loudness = _loudness_dict(meter.result())
            writer.finish(wav_loudness)
            result = {"wav": wav_loudness}
            if encoder:
                # While LAME finishes: the tags, and the WAV onto the disk.
                tags = _tags(production, job.prepared)
                wav_fh.flush()
                os.fsync(wav_fh.fileno())
                mp3_loudness = encoder.finish()   # the MP3 itself, decoded as LAME wrote it
                mp3.write_tags(mp3_tmp, tags, production.settings.build.id3_version)
                result["mp3"] = _loudness_dict(mp3_loudness)
        except BaseException:   # the encoder and the meters stop, every core comes back
            meter.close()
            if encoder:
                encoder.abort()
            raise
    return result


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _loudness_dict(result) -> dict:
    def r(x):
        return round(float(x), 2) if x is not None and abs(float(x)) != float("inf") else None

    return {"integrated_lufs": r(result.integrated_lufs), "range_lu": r(result.range_lu),
            "true_peak_dbtp": r(result.true_peak_dbtp),
            "max_short_term_lufs": r(max((v for _, v in result.short_term), default=None))
            if result.short_term else None}


def _tags(production: Production, prepared: Prepared) -> mp3.Tags:
    from ..targets.cover import generated_cover

    settings = production.settings.production
    episode, timeline = prepared.episode, prepared.timeline
    chapters = []
    starts = [c.start_ms for c in timeline.chapters] + [timeline.duration_ms]
    for chapter, end in zip(timeline.chapters, starts[1:]):
        chapters.append((chapter.title, chapter.start_ms, end))
    cover = b""
    if settings.cover:
        cover_path = production.root / settings.cover
        cover = cover_path.read_bytes() if cover_path.is_file() else b""
    return mp3.Tags(title=episode.title, artist=settings.publisher, album=settings.title,
                    track=episode.number,
                    year=build_date(build_epoch(settings.date))[:4], genre=settings.genre,
                    language=settings.language, comment=settings.comment or episode.description,
                    cover_png=cover or generated_cover(settings.title), chapters=tuple(chapters))


def report_extra(job: Mastering, loudness: dict) -> dict:
    """The report's fields beyond the timeline: preset, targets, loudness, files, engines."""
    preset, prepared = job.preset, job.prepared
    engines = sorted({e.engine for e in prepared.timeline.entries if e.engine})
    states = [r.take_state for r in prepared.rendered if r.take_state]
    return {
        "preset": preset.name,
        "targets": {"integrated_lufs": preset.target_lufs, "tolerance_lu": preset.tolerance_lu,
                    "true_peak_dbtp": preset.ceiling_dbtp,
                    "range_lu": preset.target_range_lu},
        "loudness": loudness,
        "files": {k: p.name for k, p in job.paths.items()
                  if k != "mp3" or "mp3" in loudness},
        "engines": engines,
        "paragraphs": {"take": states.count("take"), "stale": states.count("stale"),
                       "synth": states.count("synth")},
        # A cue awaiting its recording is a placeholder too: the disc stays a draft.
        "pending_cues": len(prepared.episode.pending),
        "placeholders": states.count("synth") + len(prepared.episode.pending),
    }
