"""Speaking a paragraph: pick the engine, go through the cache, fall back offline.

Engine modes (``speech.engines``): ``espeak`` (offline, deterministic), ``gtts``
(online; fails the build when Google cannot be reached), ``auto`` (gtts when it
answers, else espeak, with one warning per build naming how many segments fell
back); and, apart from the engine, ``offline``, which never touches the network.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np

from ..errors import BuildError
from ..i18n import _l
from .cache import SpeechCache, speech_key
from .espeak import EspeakEngine
from .gtts_engine import GttsEngine, GttsUnavailable

SYLLABLES_PER_RATE_WORD = 1.4   # see estimated_speech_ms
PARAGRAPH_SILENCE_MS = 900


def estimated_speech_ms(words: int, rate_wpm: int) -> int:
    """How long a voice takes to say *words* (syllables) at *rate_wpm*: espeak-ng's
    Vietnamese voices say about 1.4 syllables per 'word' of their rate setting and
    leave about 0.9 s of silence around a paragraph (fitted on the demo's 62
    paragraphs: 5 % median error per paragraph, 10 % for nine in ten).  The one
    estimate: `radio check` and the recording script both use it."""
    rate = max(rate_wpm, 1) * SYLLABLES_PER_RATE_WORD
    return round(words / rate * 60000) + PARAGRAPH_SILENCE_MS


@dataclass(frozen=True)
class Voice:
    engine: str = "espeak"
    voice: str = "vi"
    rate_wpm: int = 160
    pitch: int = 50
    range: int = 50
    variant: str = ""     # an espeak-ng voice variant ("f3", "m2", ...): "" for none

    def settings(self) -> dict:
        if self.engine == "gtts":
            return {"lang": "vi"}  # the one Vietnamese voice: pitch and rate do not apply
        data = asdict(self)
        data.pop("engine")
        if not data["variant"]:
            data.pop("variant")    # so cache keys made before variants existed still match
        return data


class CacheMiss(Exception):
    """Raised in cache-only mode: this text has not been synthesized yet."""


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray   # int16 mono
    rate: int
    engine: str           # the engine that really spoke


class Synthesizer:
    """Speaks text with the chosen engines; owns the espeak helper process."""

    def __init__(self, cache: SpeechCache, mode: str = "espeak", forced: bool = False,
                 gtts_timeout_s: float = 10.0, gtts_engine: GttsEngine | None = None,
                 offline: bool = False):
        self.cache = cache
        self.mode = mode          # the production's engine, or the one --engine names
        self.forced = forced      # --engine given: it applies to every speaker
        self.offline = offline    # --offline: espeak for every speaker, no network
        self.espeak = EspeakEngine()
        self._gtts = gtts_engine
        self._gtts_timeout_s = gtts_timeout_s
        self._gtts_down = False
        self.fallbacks = 0
        self.cache_only = False   # True: raise CacheMiss instead of synthesizing

    def start(self) -> "Synthesizer":
        """Start the espeak helper now: call this before any thread is started."""
        self.espeak.start()
        return self

    def close(self) -> None:
        self.espeak.close()

    def __enter__(self) -> "Synthesizer":
        return self   # the helper starts on the first synthesis, or at start()

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def gtts(self) -> GttsEngine:
        if self.offline:   # a guard: offline never builds the online engine
            raise RuntimeError("the gtts engine was asked for in offline mode")
        if self._gtts is None:
            self._gtts = GttsEngine(timeout_s=self._gtts_timeout_s)
        return self._gtts

    def engine_for(self, voice: Voice) -> str:
        if self.offline:
            return "espeak"
        if self.forced:
            return self.mode
        return voice.engine or self.mode

    def speak(self, text: str, voice: Voice) -> Speech:
        """Speak *text*; in auto mode, Google first and espeak when it does not answer.

        Once Google has failed, auto mode stops asking it for the rest of this
        synthesizer's life (one timeout per build, not one per paragraph) but
        still uses online speech already in the cache.
        """
        engine = self.engine_for(voice)
        if engine in ("gtts", "auto"):
            try:
                return self._run("gtts", text, voice, online=not self._gtts_down)
            except GttsUnavailable:
                if engine == "gtts":
                    raise
                self._gtts_down = True
            self.fallbacks += 1
        return self._run("espeak", text, voice)

    def _run(self, engine: str, text: str, voice: Voice, online: bool = True) -> Speech:
        impl = self.gtts if engine == "gtts" else self.espeak
        settings = replace(voice, engine=engine).settings()
        key = speech_key(engine, impl.version, settings, text)
        cached = self.cache.get(key)
        if cached is not None:
            return Speech(cached[0], cached[1], engine)
        if not online:
            raise GttsUnavailable("Google TTS did not answer earlier in this build")
        if self.cache_only:
            raise CacheMiss(text)
        events = None
        if engine == "espeak":   # its sentence and word events: the web transcript's timings
            samples, rate, events = impl.synthesize_timed(text, **settings)
        else:
            samples, rate = impl.synthesize(text, **settings)
        if len(samples) == 0:
            raise BuildError(_l("{engine} produced no audio for: {text}", engine=engine,
                                text=text[:60]))
        self.cache.put(key, samples, rate)
        if events is not None:
            self.cache.put_timings(key, events)
        return Speech(samples, rate, engine)
