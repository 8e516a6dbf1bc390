"""The build: the only module that knows the order of the stages.

parse and prepare (``prepare``, ``sources``, ``plan``) -> mix and master into
the outputs (``outputs``: ``mix``, ``radio.audio.master``, WAV, MP3 + ID3) ->
report and cue sheet (``radio.targets.report``); ``build_episode`` reads in
that order.  An episode whose inputs have not changed is not rebuilt: its
outputs are keyed by a fingerprint of the timeline and every setting that
shapes them.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import __version__
from ..clock import timecode
from ..config import Production
from ..fsio import BuildLock, clean_stale_temporaries, write_text
from ..i18n import _, ngettext
from ..log import Log
from ..speech.cache import SpeechCache
from ..speech.sayable import unsayable_warnings
from ..speech.voice import Synthesizer
from ..targets import report
from .options import BuildOptions
from .outputs import Mastering, master_outputs, report_extra
from .prepare import Prepared, load_episodes, prepare
from .sources import SourceStore

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
    return Synthesizer(cache, options.engine_for(production).value,
                       forced=options.engine is not None, offline=options.offline,
                       gtts_timeout_s=production.settings.build.gtts_timeout_s)


def build(production: Production, names: list[str] | None, options: BuildOptions,
          log: Log, synth: Synthesizer | None = None, on_wait=None) -> list[EpisodeResult]:
    """Build the named episodes (all when *names* is None) under the production's lock.

    *synth*: an already running synthesizer (the preview's, started before its
    threads), used for every episode and left running; its owner reports its
    speech.  *on_wait* is called once when another build holds the lock.
    """
    episodes = load_episodes(production, names)
    if names is None:   # every episode: say which files of scripts/ are none
        for stray in production.stray_script_warnings():
            log.warn(str(stray))
    lock = BuildLock(production.state_dir / "lock")
    lock.acquire(on_wait=on_wait or (lambda: log.info(_("waiting for another build of this "
                                                        "production..."))))
    try:
        for folder in (production.output_dir, production.state_dir, production.takes_dir):
            clean_stale_temporaries(folder)   # what a killed build or freeze left behind
        if options.strict:   # every stale take of every episode, before any work
            from ..takes import refuse_stale

            refuse_stale(production, episodes)
        if synth is not None:
            return [build_episode(production, ep, synth, options, log) for ep in episodes]
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

    from ..procs import worker_initializer

    context = multiprocessing.get_context("spawn")
    workers = min(options.jobs, len(episodes))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=worker_initializer,
                             initargs=(os.getpid(),)) as pool:   # workers die with us
        futures = [pool.submit(_worker, production.root, ep.name, options, log.verbosity)
                   for ep in episodes]
        results = [f.result() for f in futures]
    for _result, warnings, _stats in results:
        log.warnings += warnings
    # Each worker counted its own speech; the caller reports the sum once.
    return ([r for r, _w, _s in results],
            tuple(map(sum, zip(*(st for _r, _w, st in results)))))


def _worker(root: Path, name: str, options: BuildOptions, verbosity: int):
    from ..config import load

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
    log.detail(_("speech cache: {hits} hits, {misses} synthesized", hits=hits, misses=misses))
    if fallbacks:
        log.warn(ngettext("Google TTS could not be reached: {n} segment was spoken by the "
                          "offline voice (espeak) instead",
                          "Google TTS could not be reached: {n} segments were spoken by the "
                          "offline voice (espeak) instead", fallbacks))


def load_lexicon(production: Production):
    from ..speech.normalize import load_lexicon as load

    path = production.pronunciations_path
    return load(path if path.exists() else None)


def build_episode(production: Production, episode, synth: Synthesizer, options: BuildOptions,
                  log: Log) -> EpisodeResult:
    from ..takes import Takes
    from ..takes.review import take_warnings

    store = SourceStore(production.cache_dir / "sources")
    takes = Takes(production, log)
    takes.register(episode)                 # ids.tsv, sidecars of new takes
    takes.review(episode, options.strict)   # stale takes: warn, or refuse with --strict
    lexicon = load_lexicon(production)
    for problem in unsayable_warnings(episode, lexicon):   # emoji, Chinese...: skipped
        log.warn(str(problem))
    prepared = prepare(production, episode, synth, store, lexicon, takes)
    for item, done in zip(episode.items, prepared.rendered):   # a long, clipped, quiet take
        if done.engine == "take":
            for problem in take_warnings(production, episode, takes, item, done):
                log.warn(problem)
    preset = options.preset_for(production)
    paths = output_names(production, episode.name, preset.name, options.output_dir)
    fingerprint = _fingerprint(production, prepared, preset.name, options)
    state_path = _state_path(production, episode.name, preset.name, paths)
    state, kept = ({"fingerprint": fingerprint, "script": _script_digest(production, episode)},
                   _read_state(state_path))
    if _up_to_date(kept, fingerprint, paths, options):
        if kept != state:   # the script changed, not what it makes
            write_text(state_path, json.dumps(state))
        log.detail(_("{name}: unchanged, nothing to rebuild", name=episode.name))
        return EpisodeResult(episode.name, paths["json"], False)
    length = timecode(prepared.timeline.duration_ms / 1000, tenths=True)
    log.info(_("{name}: mastering {length} ({preset})", name=episode.name, length=length,
               preset=preset.name))
    job = Mastering(production, prepared, preset, paths, options, log)
    loudness = master_outputs(job)
    extra = report_extra(job, loudness)
    write_text(paths["json"], report.report_json(episode, prepared.timeline, extra))
    write_text(paths["txt"], report.cue_sheet(episode, prepared.timeline, extra))
    write_text(state_path, json.dumps(state))
    wav = production.rel(paths["wav"])
    log.info(_("{name}: wrote {wav}", name=episode.name, wav=wav) if options.wav_only else
             _("{name}: wrote {wav}, {mp3}", name=episode.name, wav=wav, mp3=paths["mp3"].name))
    return EpisodeResult(episode.name, paths["json"], True)


def _current_result(production: Production, episode, options: BuildOptions,
                    log: Log) -> tuple[EpisodeResult | None, int]:
    """The episode's result when its outputs are current, found without
    synthesizing, decoding or resampling anything (a miss in the speech cache or
    the source store means it must be built), else None; and the speech cache
    hits it took to know."""
    from ..speech.voice import CacheMiss
    from ..takes import Takes
    from .sources import SourceMiss

    preset = options.preset_for(production)
    paths = output_names(production, episode.name, preset.name, options.output_dir)
    state_path = _state_path(production, episode.name, preset.name, paths)
    kept = _read_state(state_path)
    if kept.get("script") and kept["script"] != _script_digest(production, episode):
        return None, 0   # edited since its last build: no need to look further
    with make_synthesizer(production, options) as synth:
        synth.cache_only = True
        try:
            takes = Takes(production, Log(0))
            takes.register(episode)
            prepared = prepare(production, episode, synth,
                               SourceStore(production.cache_dir / "sources", read_only=True),
                               load_lexicon(production), takes)
        except (CacheMiss, SourceMiss):
            return None, 0
        except Exception:   # anything wrong is reported by the real build
            return None, 0
    fingerprint = _fingerprint(production, prepared, preset.name, options)
    if not _up_to_date(kept, fingerprint, paths, options):
        return None, 0
    log.detail(_("{name}: unchanged, nothing to rebuild", name=episode.name))
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
    from ..audio.decode import ffmpeg_exe

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


def _script_digest(production: Production, episode) -> str:
    """The episode's script file, as a digest: a script edited since the last build
    makes the episode stale at once (an edit that changes nothing of what it makes,
    a comment, is found by the build itself, which then only writes the new digest)."""
    try:
        return hashlib.sha256(production.script_path(episode.name).read_bytes()).hexdigest()
    except OSError:
        return ""


def _read_state(state_path: Path) -> dict:
    try:
        state = json.loads(state_path.read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _up_to_date(state: dict, fingerprint: str, paths: dict, options: BuildOptions) -> bool:
    """Whether the build *state* (as read) is of this *fingerprint*, its outputs all there."""
    if not state:
        return False
    needed = ["wav", "json", "txt"] + ([] if options.wav_only else ["mp3"])
    return state.get("fingerprint") == fingerprint and all(paths[k].exists() for k in needed)
