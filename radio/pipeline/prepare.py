"""From a script to placed, rendered items: parse -> render -> plan, for one episode.

This is the front half of a build, shared by `radio build`, `radio check`,
`radio preview` and `radio takes`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from ..config import Production
from ..errors import Problem, UserError, raise_if_errors
from ..i18n import _l
from ..script import parse_file
from ..script.model import Bed, Clip, Episode, Jingle, Paragraph
from ..speech.sayable import has_words, strip_unsayable
from ..speech.voice import Synthesizer, Voice
from .plan import Rendered, Timeline, plan
from .sources import AssetError, SourceStore, render_asset, render_speech, resolve_asset


def load_episodes(production: Production, names: list[str] | None = None) -> list[Episode]:
    """Parse the named episodes (all when None), reporting every problem at once."""
    known = production.episode_names()
    if names:
        unknown = [n for n in names if n not in known]
        if unknown:
            stray = [(path, todo) for path, todo in production.stray_scripts()
                     if path.name.casefold().startswith(unknown[0].casefold() + ".")]
            if stray:   # scripts/episode2.md.txt, as Notepad saved it
                raise UserError(_l("no episode named '{name}': {path} is not read, the episodes "
                                   "are the .md files of scripts/", name=unknown[0],
                                   path=production.rel(stray[0][0])), hint=stray[0][1])
            raise UserError(_l("no episode named '{name}'", name=unknown[0]),
                            hint=_l("episodes here: {names}", names=", ".join(known)) if known
                            else _l("there are no episodes here yet: add scripts/*.md"))
    elif not known:
        raise UserError(_l("this production has no scripts"), path="scripts/",
                        hint=_l("add scripts/episode1.md (see `radio init` for an example)"))
    episodes, problems = [], []
    for name in names or known:
        path = production.script_path(name)
        try:
            episodes.append(parse_file(path, production.rel(path)))
        except UserError as exc:
            problems += getattr(exc, "problems", [exc.problem])
    numbers: dict[int, str] = {}
    for ep in episodes:
        problems += _speaker_problems(ep)
        if ep.number in numbers:
            problems.append(Problem(_l("episode number {number} is also used by {other}",
                                       number=ep.number, other=numbers[ep.number]), ep.path,
                                    _number_line(production.root / ep.path),
                                    _l("give every episode its own number: in the front matter")))
        numbers.setdefault(ep.number, ep.path)
    raise_if_errors(problems)
    return sorted(episodes, key=lambda e: e.number)


def _speaker_problems(episode: Episode) -> list[Problem]:
    """What the script parser cannot judge: a voice variant must exist in this
    espeak-ng's data (espeak-ng would ignore an unknown one silently, and the
    build would stop only when it reached the speaker's first paragraph)."""
    wanted = [s for s in episode.speakers if s.variant]
    if not wanted:
        return []
    from ..script.values import unknown
    from ..speech.espeak import variants

    known = variants()
    return [unknown(f"unknown voice variant '{s.variant}' for speaker {s.label}", s.variant,
                    known, episode.path, s.line,
                    "`radio voices` lists them: f1-f5 (female), m1-m8 (male), ...")
            for s in wanted if s.variant not in known]


def _number_line(path) -> int:
    """The line of `number:` in a script's front matter (1 when it has none)."""
    import re

    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    for index, line in enumerate(lines[1:], 2):
        if line.strip() in ("---", "..."):
            break
        if re.match(r"number\s*:", line):
            return index
    return 1


def voice_of(episode: Episode, label: str) -> Voice:
    s = episode.speaker(label)
    return Voice(s.engine, s.voice, s.rate_wpm, s.pitch, s.range, s.variant)


@dataclass(frozen=True)
class Prepared:
    episode: Episode
    rendered: tuple[Rendered, ...]
    timeline: Timeline


# Decoding recordings, resampling speech and storing both run on these threads
# while the calling thread synthesizes the next paragraphs (espeak-ng, soxr and
# ffmpeg release the GIL): a cold episode's render stage takes about half the time.
RENDER_THREADS = 2


class _StoreWork:
    """The store's share of rendering (decode, resample, measure, write), run on
    RENDER_THREADS threads, or at once on the calling thread when *threads* is 0
    (a read-only store answers a miss at once).  One job per key: a recording
    cued four times is decoded once."""

    def __init__(self, threads: int):
        self._pool = None
        if threads:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(threads, thread_name_prefix="render")
        self._jobs: dict = {}

    def submit(self, work, key=None):
        """A future for ``work()``; the same future again for a key already submitted."""
        if key is not None and key in self._jobs:
            return self._jobs[key]
        if self._pool is not None:
            job = self._pool.submit(work)
        else:
            from concurrent.futures import Future

            job = Future()
            try:
                job.set_result(work())
            except AssetError as exc:   # reported in script order, like the threads' own
                job.set_exception(exc)
        if key is not None:
            self._jobs[key] = job
        return job

    def close(self) -> None:
        """Wait for what runs, cancel what has not started (after a failure)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def render_items(production: Production, episode: Episode, synth: Synthesizer,
                 store: SourceStore, lexicon, takes=None) -> list[Rendered]:
    """Every item of *episode* as audio, in script order; every problem with a
    recording or a take reported at once (by line)."""
    ids = takes.ids(episode) if takes else {}
    work = _StoreWork(0 if store.read_only else RENDER_THREADS)
    try:
        jobs = []
        for item in episode.items:
            if isinstance(item, Paragraph):
                jobs.append(paragraph_work(production, episode, item, synth, store, lexicon,
                                           ids, takes, work))
            elif isinstance(item, (Jingle, Clip, Bed)) and item.path:
                jobs.append(_asset_work(production, item, store, work))
            else:
                jobs.append(None)
        rendered: list[Rendered] = []
        problems: list[Problem] = []
        for item, job in zip(episode.items, jobs):
            try:
                rendered.append(job() if job else Rendered())
            except AssetError as exc:
                problems.append(Problem(str(exc), episode.path, item.line, exc.hint or None))
                rendered.append(Rendered())
    finally:
        work.close()
    raise_if_errors(problems)
    return rendered


def _asset_work(production: Production, item, store: SourceStore, work: _StoreWork):
    """A recording's source, to be collected: ``() -> Rendered`` (raises AssetError,
    for a missing file too)."""
    start, end = getattr(item, "from_ms", 0), getattr(item, "to_ms", None)
    job = work.submit(lambda: render_asset(store, resolve_asset(production.assets_dir, item.path),
                                           start, end), ("asset", item.path, start, end))
    return lambda: Rendered(job.result())


def render_paragraph(production: Production, episode: Episode, item: Paragraph,
                     synth: Synthesizer, store: SourceStore, lexicon, ids: dict,
                     takes=None) -> Rendered:
    """One paragraph as audio: its take, else its synthesized speech (with
    ``synth.cache_only``, CacheMiss when that speech is not in the cache)."""
    return paragraph_work(production, episode, item, synth, store, lexicon, ids, takes)()


def paragraph_work(production: Production, episode: Episode, item: Paragraph,
                   synth: Synthesizer, store: SourceStore, lexicon, ids: dict,
                   takes=None, work: _StoreWork | None = None):
    """One paragraph: the voice speaks now (on this thread: the synthesizer and
    its cache are not shared), the store's work is submitted to *work*; returns
    ``() -> Rendered``, which waits for it (and raises its AssetError)."""
    from ..speech.normalize import normalize

    work = work or _StoreWork(0)
    spoken = strip_unsayable(normalize(item.text, lexicon))   # emoji, Chinese: warned
    pid = ids.get(item.line, item.pinned_id)
    if takes is not None:
        take = takes.take_for(episode, pid, item.text)
        if take is not None:
            job = work.submit(lambda: take.source(store), ("take", take.path))
            return lambda: Rendered(job.result(), "take", spoken, pid, take.state)
    if not has_words(spoken):   # nothing a voice can say: the paragraph is left out
        return lambda: Rendered(None, "", spoken, pid)
    voice = voice_of(episode, item.speaker)
    speech = synth.speak(spoken, voice)
    # The samples' digest: an online voice gives other samples for the same text (after
    # --no-cache or a cleaned cache), and the resampled source must follow them.
    digest = hashlib.sha256(np.ascontiguousarray(speech.samples).tobytes()).hexdigest()[:16]
    identity = f"{speech.engine}:{voice}:{spoken}:{digest}"
    job = work.submit(lambda: render_speech(store, speech.samples, speech.rate, identity),
                      ("speech", identity, speech.rate))
    engine, state = speech.engine, "synth" if takes else ""
    return lambda: Rendered(job.result(), engine, spoken, pid, state)


def prepare(production: Production, episode: Episode, synth: Synthesizer,
            store: SourceStore, lexicon, takes=None) -> Prepared:
    rendered = render_items(production, episode, synth, store, lexicon, takes)
    timeline = plan(episode, rendered, production.settings.pacing, production.settings.ducking)
    return Prepared(episode, tuple(rendered), timeline)
