"""`radio check`: lint scripts without synthesizing anything.

Reports undeclared speakers, unknown cues, missing or undecodable assets, trims
past a clip's end, paths escaping audio_assets/, text no voice can say, every
rewrite the normalizer will make, and the estimated duration of each episode
and of the disc against CD capacity.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Production
from ..errors import Problem, raise_if_errors
from ..i18n import _l
from ..script.model import Bed, Clip, Episode, Jingle, Paragraph, Pending
from ..speech.sayable import unsayable
from ..speech.voice import estimated_speech_ms
from .plan import SILENT_LUFS, Rendered, plan
from .prepare import load_episodes
from .sources import AssetError, Source, SourceStore, render_asset, resolve_asset

CD_SECONDS = 79 * 60 + 57
CD74_SECONDS = 74 * 60


@dataclass
class EpisodeCheck:
    episode: Episode
    duration_s: float
    warnings: list[Problem] = field(default_factory=list)
    rewrites: list[tuple[int, object]] = field(default_factory=list)


def _estimate_source(frames_ms: int, key: str) -> Source:
    from .plan import frames

    return Source(key, None, 1, frames(frames_ms), -20.0)


def check_episode(production: Production, episode: Episode, store: SourceStore,
                  lexicon, synth, takes) -> EpisodeCheck:
    """Problems, warnings and rewrites of one episode, and its duration: exact for
    paragraphs with a take or with speech in the cache (*synth* in cache-only
    mode, *takes*), estimated from the speaker's rate for the others."""
    from ..speech.normalize import explain
    from ..speech.voice import CacheMiss
    from ..takes.review import take_warnings
    from .prepare import render_paragraph

    problems: list[Problem] = []
    result = EpisodeCheck(episode, 0.0)
    rendered = []
    ids = takes.ids(episode)
    for item in episode.items:
        if isinstance(item, Paragraph):
            spoken, rewrites = explain(item.text, lexicon)
            result.rewrites += [(item.line, r) for r in rewrites]
            if bad := unsayable(spoken):
                result.warnings.append(Problem(
                    _l("no voice can say {chars}: it will be skipped", chars=" ".join(bad)),
                    episode.path,
                    item.line, _l("write it out in Vietnamese words"), "warning"))
            expected_ms = estimated_speech_ms(len(spoken.split()),
                                              episode.speaker(item.speaker).rate_wpm)
            try:
                done = render_paragraph(production, episode, item, synth, store, lexicon, ids,
                                        takes)
                if done.engine == "take":
                    result.warnings += take_warnings(production, episode, takes, item, done)
            except (CacheMiss, AssetError) as exc:   # AssetError: a take that cannot be used
                if isinstance(exc, AssetError):
                    problems.append(Problem(str(exc), episode.path, item.line, exc.hint or None))
                done = Rendered(_estimate_source(expected_ms, f"est{item.line}"))
            rendered.append(done)
        elif isinstance(item, (Jingle, Clip, Bed)) and item.path:
            try:
                path = resolve_asset(production.assets_dir, item.path)
                source = render_asset(store, path, getattr(item, "from_ms", 0),
                                      getattr(item, "to_ms", None))
                rendered.append(Rendered(source))
                if source.loudness_lufs <= SILENT_LUFS and _silent(source):
                    result.warnings.append(_silent_warning(episode, item, source))
            except AssetError as exc:
                problems.append(Problem(str(exc), episode.path, item.line, exc.hint or None))
                rendered.append(Rendered(_estimate_source(1000, "missing")))
        else:
            if isinstance(item, Pending):
                result.warnings.append(pending_warning(production, episode, item))
            rendered.append(Rendered())
    raise_if_errors(problems)
    timeline = plan(episode, rendered, production.settings.pacing, production.settings.ducking)
    result.duration_s = timeline.frames / 44100
    return result


def _silent(source: Source) -> bool:
    """No sample above -80 dBFS (a clip too short to be measured can still be heard)."""
    import numpy as np

    if not source.frames:
        return True
    samples = np.memmap(source.path, dtype="<f4", mode="r")
    return float(np.abs(samples).max()) < 1e-4


def _silent_warning(episode: Episode, item, source: Source) -> Problem:
    """A recording with nothing to hear (an export of an empty track, a muted file)."""
    return Problem(_l("audio_assets/{path} is silent: {seconds:.1f} s with nothing to hear",
                      path=item.path, seconds=source.duration_ms / 1000), episode.path,
                   item.line, _l("check that it is the right recording, and export it again; "
                                 "for a pause write [dừng: 2s]"), "warning")


def pending_warning(production: Production, episode: Episode, item: Pending) -> Problem:
    """`check`'s word on a cue awaiting its recording: what stands in, and what to do."""
    from ..i18n import _l

    seconds = item.duration_ms / 1000
    if item.label:
        message = _l("the cue '{label}' awaits its recording: {seconds:g} s of silence stand "
                     "in for it, and a disc made now is a draft", label=item.label,
                     seconds=seconds)
    else:
        message = _l("this cue awaits its recording: {seconds:g} s of silence stand in for "
                     "it, and a disc made now is a draft", seconds=seconds)
    if item.path and (production.assets_dir / item.path).is_file():
        hint = _l("audio_assets/{path} is there now: remove chờ=có to use it", path=item.path)
    else:
        hint = _l("put the recording in audio_assets/, name it in the cue and remove chờ=có")
    return Problem(message, episode.path, item.line, hint, "warning")


def check(production: Production, names: list[str] | None, lexicon) -> list[EpisodeCheck]:
    """Check every named episode; raise all errors of all episodes together."""
    from ..log import Log
    from ..takes import Takes
    from .build import make_synthesizer
    from .options import BuildOptions

    episodes = load_episodes(production, names)
    store = SourceStore(production.cache_dir / "sources")
    takes = Takes(production, Log(0))
    results, problems = [], []
    with make_synthesizer(production, BuildOptions()) as synth:
        synth.cache_only = True   # check never synthesizes: the cache only makes it exact
        for episode in episodes:
            try:
                takes.register(episode)
                results.append(check_episode(production, episode, store, lexicon, synth, takes))
            except Exception as exc:  # collect problems of every episode before aborting
                if not hasattr(exc, "problems"):
                    raise
                problems += exc.problems
    raise_if_errors(problems)
    return results
