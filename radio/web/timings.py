"""When every sentence of an episode is spoken, in programme time.

Synthesized espeak-ng speech is timed exactly from espeak-ng's own word events,
stored beside the cached audio (radio.speech.cache); a gTTS paragraph or a
recorded take is timed in proportion to the length of its sentences.  Times
within a paragraph are then placed on the programme by the report's segment
start (the plan places each paragraph whole, from its first sample).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from ..i18n import _
from ..pipeline.plan import Entry
from ..targets.report import Report

# A sentence ends at . ! ? or … (and any closing quotes or brackets) before a space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+(?=\S)")


@dataclass(frozen=True)
class Sentence:
    start_ms: int        # programme time
    end_ms: int
    text: str            # as written in the script
    speaker: str         # the speaker's name as listeners see it
    chapter: str
    exact: bool          # timed from the voice's own events (else proportional)
    paragraph: int = 0   # which speech paragraph of the episode (0, 1, ...)


# Abbreviations that end with a dot inside a sentence ("TP. Hà Tĩnh").
_ABBREVIATIONS = {"tp", "tx", "tt", "ths", "ts", "pgs", "gs", "bs", "ks", "nxb", "st", "v.v"}


def split_sentences(text: str) -> list[str]:
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].split()
        if before and before[-1].rstrip(".").lower() in _ABBREVIATIONS:
            continue
        pieces.append(text[start:match.start()] + match.group(0).rstrip())
        start = match.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


class EspeakTimings:
    """espeak-ng's events for a paragraph's cached speech: read from the cache, or
    made once by synthesizing the same text again (same audio) when an older
    cache entry has none.  Never synthesizes sentence by sentence."""

    def __init__(self, cache, episode, log):
        self.cache = cache
        self.episode = episode
        self.log = log
        self._engine = None

    def events(self, segment: Entry) -> list | None:
        from ..pipeline.prepare import voice_of
        from ..speech.cache import speech_key
        from ..speech.espeak import EspeakEngine, cache_version

        try:
            voice = voice_of(self.episode, segment.speaker)
        except StopIteration:
            return None
        settings = replace(voice, engine="espeak").settings()
        key = speech_key("espeak", cache_version(), settings, segment.spoken)
        events = self.cache.get_timings(key)
        if events is None:
            if self._engine is None:
                self._engine = EspeakEngine().start()
            self.log.detail(_("timing a paragraph spoken before timings were kept: {text}",
                              text=segment.spoken[:50]))
            events = self._engine.synthesize_timed(segment.spoken, **settings)[2]
            self.cache.put_timings(key, events)
        return events

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()


def _spoken_offsets(written: list[str], spoken: str, lexicon) -> list[int]:
    """Where each written sentence begins in the spoken text (character index)."""
    from ..speech.sayable import strip_unsayable
    from ..speech.normalize import normalize

    total = sum(len(w) for w in written) or 1
    offsets, cursor, before = [], 0, 0
    for sentence in written:
        words = strip_unsayable(normalize(sentence, lexicon)).split()
        found = spoken.find(" ".join(words[:3]), cursor) if words else -1
        if found < 0:   # not found as such: in proportion to the written text
            found = max(cursor, round(before / total * len(spoken)))
        offsets.append(found)
        cursor = found + 1
        before += len(sentence)
    return offsets


def _exact_starts(offsets: list[int], events: list) -> list[int] | None:
    words = sorted((pos - 1, ms) for kind, pos, _, ms in events if kind == "word")
    if not words:
        return None
    positions = [p for p, _ in words]
    starts = []
    for offset in offsets:
        index = bisect.bisect_left(positions, offset)
        starts.append(words[min(index, len(words) - 1)][1])
    starts[0] = 0   # the paragraph's audio begins with its first sentence
    return starts


def _proportional_starts(written: list[str], length_ms: int) -> list[int]:
    total = sum(len(w) for w in written) or 1
    starts, before = [], 0
    for sentence in written:
        starts.append(round(before / total * length_ms))
        before += len(sentence)
    return starts


def segment_sentences(segment: Entry, events: list | None, lexicon,
                      paragraph: int = 0) -> list[Sentence]:
    written = split_sentences(segment.text)
    length_ms = segment.end_ms - segment.start_ms
    starts = None
    if events:
        starts = _exact_starts(_spoken_offsets(written, segment.spoken, lexicon), events)
    exact = starts is not None
    if starts is None:
        starts = _proportional_starts(written, length_ms)
    starts = [min(max(s, 0), length_ms) for s in starts]
    for i in range(1, len(starts)):   # in order, whatever the events said
        starts[i] = max(starts[i], starts[i - 1])
    ends = starts[1:] + [length_ms]
    name = segment.label or segment.speaker
    return [Sentence(segment.start_ms + s, segment.start_ms + e, text, name, segment.chapter,
                     exact, paragraph) for s, e, text in zip(starts, ends, written)]


def episode_sentences(report: Report, timings: EspeakTimings,
                      lexicon) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []
    for index, segment in enumerate(report.speech):
        events = timings.events(segment) if segment.engine == "espeak" else None
        sentences += segment_sentences(segment, events, lexicon, index)
    return tuple(sentences)
