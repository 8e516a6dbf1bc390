"""The build: the only module that knows the order of the stages.

parse -> render -> plan -> mix -> master -> targets (WAV, MP3 + ID3, report, cue
sheet).  An episode whose inputs have not changed is not rebuilt: its outputs
are keyed by a fingerprint of the timeline and every setting that shapes them.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__
from .clock import build_date, build_epoch
from .config import Production
from .episode import Prepared, load_episodes, prepare
from .errors import BuildError
from .fsio import BuildLock, atomic_open, atomic_path, clean_stale_temporaries, write_text
from .log import Log
from .render import SourceStore
from .sayable import unsayable_warnings
from .speech.cache import SpeechCache
from .speech.voice import Synthesizer
from .targets import mp3, report

MAX_MP3_PASSES = 3


@dataclass(frozen=True)
class BuildOptions:
    preset: str | None = None        # None: the production's preset
    engine: str | None = None        # None: the production's engine; "offline" forces espeak
    use_cache: bool = True
    wav_only: bool = False           # preview builds skip the MP3
    output_dir: Path | None = None   # default: output/<episode>/
    strict: bool = False
    jobs: int = 1                    # episodes built in parallel worker processes


@dataclass(frozen=True)
class EpisodeResult:
    name: str
    report_path: Path
    rebuilt: bool


def output_names(production: Production, episode: str, preset: str,
                 out_dir: Path | None = None) -> dict[str, Path]:
    folder = out_dir or production.output_dir / episode
    infix = "" if preset == production.settings.build.preset else f".{preset}"
    return {ext: folder / f"{episode}{infix}.{ext}" for ext in ("wav", "mp3", "json", "txt")}


def make_synthesizer(production: Production, options: BuildOptions) -> Synthesizer:
    cache = SpeechCache(production.cache_dir / "speech", enabled=options.use_cache)
    mode = options.engine or production.settings.build.engine
    return Synthesizer(cache, mode, forced=options.engine is not None,
                       gtts_timeout_s=production.settings.build.gtts_timeout_s)


def build(production: Production, names: list[str] | None, options: BuildOptions,
          log: Log) -> list[EpisodeResult]:
    episodes = load_episodes(production, names)
    lock = BuildLock(production.state_dir / "lock")
    lock.acquire(on_wait=lambda: log.info("waiting for another build of this production..."))
    try:
        for folder in (production.output_dir, production.state_dir, production.takes_dir):
            clean_stale_temporaries(folder)   # what a killed build or freeze left behind
        if options.strict:   # every stale take of every episode, before any work
            from .takes import refuse_stale

            refuse_stale(production, episodes)
        if options.jobs > 1 and len(episodes) > 1:
            # Decide what is current here first: spawning workers costs a second.
            return _build_current_first(production, episodes, options, log)
        with make_synthesizer(production, options) as synth:
            results = [build_episode(production, ep, synth, options, log) for ep in episodes]
            _report_speech(_speech_stats(synth), log)
        return results
    finally:
        lock.release()


def _build_current_first(production: Production, episodes, options: BuildOptions,
                         log: Log) -> list[EpisodeResult]:
    """Decide here which episodes are current (spawning workers costs a second),
    then build the rest: in parallel when there are several."""
    stats = [0, 0, 0]
    current = {}
    for ep in episodes:
        result, hits = _current_result(production, ep, options, log)
        stats[0] += hits
        if result:
            current[ep.name] = result
    stale = [ep for ep in episodes if ep.name not in current]
    built: dict[str, EpisodeResult] = {}
    if len(stale) > 1:
        results, more = _build_parallel(production, stale, options, log)
        built = {r.name: r for r in results}
    elif stale:
        with make_synthesizer(production, options) as synth:
            built[stale[0].name] = build_episode(production, stale[0], synth, options, log)
            more = _speech_stats(synth)
    else:
        more = (0, 0, 0)
    _report_speech((stats[0] + more[0], more[1], more[2]), log)
    return [current.get(ep.name) or built[ep.name] for ep in episodes]


def _build_parallel(production: Production, episodes, options: BuildOptions,
                    log: Log) -> tuple[list[EpisodeResult], tuple[int, int, int]]:
    """One worker process per episode (spawned, never forked: no inherited threads).

    Each worker has its own espeak helper; the output of an episode does not
    depend on which worker built it or how many ran.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from .procs import worker_initializer

    context = multiprocessing.get_context("spawn")
    workers = min(options.jobs, len(episodes))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=worker_initializer,
                             initargs=(os.getpid(),)) as pool:   # workers die with us
        futures = [pool.submit(_worker, production.root, ep.name, options, log.verbosity)
                   for ep in episodes]
        results = [f.result() for f in futures]
    for _, warnings, _ in results:
        log.warnings += warnings
    # Each worker counted its own speech; the caller reports the sum once.
    return [r for r, _, _ in results], tuple(map(sum, zip(*(st for _, _, st in results))))


def _worker(root: Path, name: str, options: BuildOptions, verbosity: int):
    from .config import load

    production = load(root)
    log = Log(verbosity)
    log.show_progress = False
    episode = load_episodes(production, [name])[0]
    with make_synthesizer(production, options) as synth:
        result = build_episode(production, episode, synth, options, log)
        stats = _speech_stats(synth)
    return result, log.warnings, stats


def _speech_stats(synth: Synthesizer) -> tuple[int, int, int]:
    """(cache hits, synthesized, fell back to espeak), summed over workers."""
    return synth.cache.hits, synth.cache.misses, synth.fallbacks


def _report_speech(stats: tuple[int, int, int], log: Log) -> None:
    hits, misses, fallbacks = stats
    log.detail(f"speech cache: {hits} hits, {misses} synthesized")
    if fallbacks:
        log.warn(f"Google TTS could not be reached: {fallbacks} segment(s) were "
                 "spoken by the offline voice (espeak) instead")


def load_lexicon(production: Production):
    from .speech.normalize import load_lexicon as load

    path = production.pronunciations_path
    return load(path if path.exists() else None)


def build_episode(production: Production, episode, synth: Synthesizer, options: BuildOptions,
                  log: Log) -> EpisodeResult:
    from .takes import Takes

    store = SourceStore(production.cache_dir / "sources")
    takes = Takes(production, log)
    takes.review(episode, options.strict)   # stale takes: warn, or refuse with --strict
    lexicon = load_lexicon(production)
    for problem in unsayable_warnings(episode, lexicon):   # emoji, Chinese...: skipped
        log.warn(str(problem))
    prepared = prepare(production, episode, synth, store, lexicon, takes)
    preset_name = options.preset or production.settings.build.preset
    paths = output_names(production, episode.name, preset_name, options.output_dir)
    fingerprint = _fingerprint(production, prepared, preset_name, options)
    state_path = _state_path(production, episode.name, preset_name, paths)
    if _up_to_date(state_path, fingerprint, paths, options):
        log.detail(f"{episode.name}: unchanged, nothing to rebuild")
        return EpisodeResult(episode.name, paths["json"], False)
    log.info(f"{episode.name}: mastering {report.clock(prepared.timeline.duration_ms)} "
             f"({preset_name})")
    loudness = _master_outputs(production, prepared, preset_name, paths, options, log)
    extra = _report_extra(production, prepared, preset_name, paths, loudness, synth)
    write_text(paths["json"], report.report_json(episode, prepared.timeline, extra))
    write_text(paths["txt"], report.cue_sheet(episode, prepared.timeline, extra))
    write_text(state_path, json.dumps({"fingerprint": fingerprint}))
    log.info(f"{episode.name}: wrote {production.rel(paths['wav'])}"
             + ("" if options.wav_only else f", {paths['mp3'].name}"))
    return EpisodeResult(episode.name, paths["json"], True)


def _current_result(production: Production, episode, options: BuildOptions,
                    log: Log) -> tuple[EpisodeResult | None, int]:
    """The episode's result when its outputs are current, found without
    synthesizing, decoding or resampling anything (a miss in the speech cache or
    the source store means it must be built), else None; and the speech cache
    hits it took to know."""
    from .render import SourceMiss
    from .speech.voice import CacheMiss
    from .takes import Takes

    with make_synthesizer(production, options) as synth:
        synth.cache_only = True
        try:
            prepared = prepare(production, episode, synth,
                               SourceStore(production.cache_dir / "sources", read_only=True),
                               load_lexicon(production), Takes(production, Log(0)))
        except (CacheMiss, SourceMiss):
            return None, 0
        except Exception:   # anything wrong is reported by the real build
            return None, 0
    preset_name = options.preset or production.settings.build.preset
    paths = output_names(production, episode.name, preset_name, options.output_dir)
    fingerprint = _fingerprint(production, prepared, preset_name, options)
    if not _up_to_date(_state_path(production, episode.name, preset_name, paths),
                       fingerprint, paths, options):
        return None, 0
    log.detail(f"{episode.name}: unchanged, nothing to rebuild")
    return EpisodeResult(episode.name, paths["json"], False), synth.cache.hits


def _state_path(production: Production, name: str, preset: str, paths: dict) -> Path:
    """One build state per output folder (a preview build elsewhere must not mark
    these outputs current), named by the folder's path inside the production so
    that a moved or copied production keeps its state."""
    folder = paths["wav"].parent.resolve()
    try:
        where = str(folder.relative_to(production.root.resolve()))
    except ValueError:
        where = str(folder)
    key = hashlib.sha256(where.encode()).hexdigest()[:12]
    return production.state_dir / "build" / f"{name}.{preset}.{key}.json"


def _episode_settings(production: Production) -> dict:
    """The settings that shape an episode's outputs ([disc] and status do not)."""
    s = production.settings
    tags = asdict(s.production)
    tags.pop("status")
    build = asdict(s.build)
    build.pop("gtts_timeout_s")
    return {"production": tags, "build": build, "pacing": asdict(s.pacing),
            "ducking": asdict(s.ducking)}


def _fingerprint(production: Production, prepared: Prepared, preset: str,
                 options: BuildOptions) -> str:
    from .audio.decode import ffmpeg_exe

    timeline = prepared.timeline
    data = {
        "version": __version__, "ffmpeg": Path(ffmpeg_exe()).name, "preset": preset,
        "wav_only": options.wav_only, "settings": _episode_settings(production),
        "episode": [prepared.episode.title, prepared.episode.number, prepared.episode.name],
        "segments": [(s.start, s.source.key, s.offset, s.length, round(s.gain_db, 6),
                      s.fade_in, s.fade_out, s.group) for s in timeline.segments],
        "beds": [asdict(b) for b in timeline.beds],
        "entries": [asdict(e) for e in timeline.entries],
        "chapters": [asdict(c) for c in timeline.chapters],
        "frames": timeline.frames,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def _up_to_date(state_path: Path, fingerprint: str, paths: dict, options: BuildOptions) -> bool:
    try:
        state = json.loads(state_path.read_text())
    except (OSError, ValueError):
        return False
    needed = ["wav", "json", "txt"] + ([] if options.wav_only else ["mp3"])
    return state.get("fingerprint") == fingerprint and all(paths[k].exists() for k in needed)


def episode_seed(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"dither:{name}".encode()).digest()[:8], "big")


def _master_outputs(production, prepared: Prepared, preset_name: str, paths: dict,
                    options: BuildOptions, log: Log) -> dict:
    # Imported here: numpy/scipy DSP is not needed when nothing has to be rebuilt.
    from .audio.master import PRESETS, Master
    from .audio.mix import mix_blocks
    from .audio.spool import Spool

    preset = PRESETS[preset_name]
    timeline = prepared.timeline
    # WAV-only (preview) masters keep the MP3 headroom too, so they equal the release's WAV.
    headroom = preset.mp3_headroom_db
    master = Master(preset, ceiling_dbtp=preset.ceiling_dbtp - headroom)
    with Spool(production.state_dir, master.channels) as spool:
        analysis = master.analyse(log.blocks(mix_blocks(timeline), timeline.frames,
                                             f"{prepared.episode.name}: measuring"), spool.write)
        return _write_passes(production, prepared, preset, master, analysis, spool, paths,
                             options, log)


def _write_passes(production, prepared, preset, master, analysis, spool, paths, options,
                  log: Log) -> dict:
    """Master the spooled programme into the outputs until the MP3's true peak
    is under the ceiling (LAME overshoots its input), with more headroom each time."""
    from .audio.master import Master

    headroom = preset.ceiling_dbtp - master.ceiling_dbtp
    for attempt in range(MAX_MP3_PASSES):
        loudness = _write_pass(production, prepared, preset, master, analysis, spool, paths,
                               options, log)
        mp3_peak = loudness.get("mp3", {}).get("true_peak_dbtp", -99.0)
        if mp3_peak <= preset.ceiling_dbtp:
            return loudness
        headroom += mp3_peak - preset.ceiling_dbtp + 0.2
        log.detail(f"MP3 true peak {mp3_peak:.2f} dBTP over the ceiling: "
                   f"mastering again with {headroom:.1f} dB headroom")
        master = Master(preset, ceiling_dbtp=preset.ceiling_dbtp - headroom)
    raise BuildError(f"the MP3 stays above {preset.ceiling_dbtp} dBTP after "
                     f"{MAX_MP3_PASSES} passes", hint="report this programme to the developers")


def _write_pass(production, prepared, preset, master, analysis, spool, paths, options,
                log) -> dict:
    from .audio.loudness import BackgroundMeter
    from .targets.wav import BextInfo, WavWriter

    episode, timeline = prepared.episode, prepared.timeline
    bext = None
    if preset.name == "broadcast":
        bext = BextInfo(episode.title, production.settings.production.publisher,
                        episode.name, build_date(build_epoch(production.settings.production.date)))
    # Measures the output while the next blocks are mastered; a dual-mono
    # output is measured on the one channel that both carry.
    one = master.channels == 1
    meter = BackgroundMeter(channels=master.channels, dual_mono=one)
    encoder = None
    with atomic_path(paths["mp3"]) if not options.wav_only else _nothing() as mp3_tmp, \
            atomic_open(paths["wav"]) as wav_fh:
        writer = WavWriter(wav_fh, timeline.frames, bext)
        if mp3_tmp is not None:
            encoder = mp3.Mp3Encoder(mp3_tmp, production.settings.build.mp3_bitrate_kbps,
                                     measure=True)
        try:
            blocks = log.blocks(spool.blocks(), timeline.frames, f"{episode.name}: mastering")
            for block in master.finish(blocks, analysis, episode_seed(episode.name)):
                writer.write(block)
                meter.feed(block[:, :1] if one else block)
                if encoder:
                    encoder.write(block)
        except BaseException:
            meter.close()
            if encoder:
                encoder.abort()
            raise
        wav_loudness = _loudness_dict(meter.result())
        writer.finish(wav_loudness)
        result = {"wav": wav_loudness}
        if encoder:
            mp3_loudness = encoder.finish()   # the MP3 itself, decoded as it was encoded
            mp3.write_tags(mp3_tmp, _tags(production, prepared),
                           production.settings.build.id3_version)
            result["mp3"] = _loudness_dict(mp3_loudness)
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
    from .targets.cover import generated_cover

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


def _report_extra(production, prepared: Prepared, preset_name: str, paths: dict,
                  loudness: dict, synth: Synthesizer) -> dict:
    from .audio.master import PRESETS

    preset = PRESETS[preset_name]
    engines = sorted({e.engine for e in prepared.timeline.entries if e.engine})
    states = [r.take_state for r in prepared.rendered if r.take_state]
    return {
        "preset": preset_name,
        "targets": {"integrated_lufs": preset.target_lufs, "tolerance_lu": preset.tolerance_lu,
                    "true_peak_dbtp": preset.ceiling_dbtp,
                    "range_lu": preset.target_range_lu},
        "loudness": loudness,
        "files": {k: p.name for k, p in paths.items()
                  if k != "mp3" or "mp3" in loudness},
        "engines": engines,
        "paragraphs": {"take": states.count("take"), "stale": states.count("stale"),
                       "synth": states.count("synth")},
        # A cue awaiting its recording is a placeholder too: the disc stays a draft.
        "pending_cues": len(prepared.episode.pending),
        "placeholders": states.count("synth") + len(prepared.episode.pending),
    }
