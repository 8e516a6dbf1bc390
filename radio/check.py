"""`radio check`: lint scripts without synthesizing anything.

Reports undeclared speakers, unknown cues, missing or undecodable assets, trims
past a clip's end, paths escaping audio_assets/, text no voice can say, every
rewrite the normalizer will make, and the estimated duration of each episode
and of the disc against CD capacity.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .config import Production
from .episode import load_episodes
from .errors import Problem, raise_if_errors
from .plan import Rendered, plan
from .render import AssetError, Source, SourceStore, render_asset, resolve_asset
from .sayable import unsayable
from .script.model import Bed, Clip, Episode, Jingle, Paragraph

CD_SECONDS = 79 * 60 + 57
CD74_SECONDS = 74 * 60
# espeak-ng's Vietnamese voices say about 1.2 syllables for each 'word' of their rate setting
SYLLABLES_PER_RATE_WORD = 1.2


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
                  lexicon) -> EpisodeCheck:
    from .speech.normalize import explain

    problems: list[Problem] = []
    result = EpisodeCheck(episode, 0.0)
    rendered = []
    for item in episode.items:
        if isinstance(item, Paragraph):
            spoken, rewrites = explain(item.text, lexicon)
            result.rewrites += [(item.line, r) for r in rewrites]
            if bad := unsayable(spoken):
                result.warnings.append(Problem(
                    f"no voice can say {' '.join(bad)}: it will be skipped", episode.path,
                    item.line, "write it out in Vietnamese words", "warning"))
            speaker = episode.speaker(item.speaker)
            words = len(spoken.split())
            rendered.append(Rendered(_estimate_source(round(words / (speaker.rate_wpm * SYLLABLES_PER_RATE_WORD) * 60000)
                                                      + 400, f"est{item.line}")))
        elif isinstance(item, (Jingle, Clip, Bed)) and item.path:
            try:
                path = resolve_asset(production.assets_dir, item.path)
                source = render_asset(store, path, getattr(item, "from_ms", 0),
                                      getattr(item, "to_ms", None))
                rendered.append(Rendered(source))
            except AssetError as exc:
                problems.append(Problem(str(exc), episode.path, item.line, exc.hint or None))
                rendered.append(Rendered(_estimate_source(1000, "missing")))
        else:
            rendered.append(Rendered())
    raise_if_errors(problems)
    timeline = plan(episode, rendered, production.settings.pacing, production.settings.ducking)
    result.duration_s = timeline.frames / 44100
    return result


def check(production: Production, names: list[str] | None, lexicon) -> list[EpisodeCheck]:
    """Check every named episode; raise all errors of all episodes together."""
    episodes = load_episodes(production, names)
    store = SourceStore(production.cache_dir / "sources")
    results, problems = [], []
    for episode in episodes:
        try:
            results.append(check_episode(production, episode, store, lexicon))
        except Exception as exc:  # collect problems of every episode before aborting
            if not hasattr(exc, "problems"):
                raise
            problems += exc.problems
    raise_if_errors(problems)
    return results
