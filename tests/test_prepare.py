"""The render stage on its threads: the same sources and timeline as one thread
gives, each recording decoded once, problems by line, and a failure that stops it."""
from __future__ import annotations

import shutil
import threading

import pytest

from radio import config
from radio.audio import decode as dec
from radio.errors import UserError
from radio.pipeline import prepare as prep
from radio.pipeline.build import load_lexicon
from radio.pipeline.sources import SourceStore
from radio.speech.cache import SpeechCache
from radio.speech.voice import Synthesizer


def _prepare(root, store_folder: str, name: str = "episode1"):
    production = config.load(root)
    episode = prep.load_episodes(production, [name])[0]
    store = SourceStore(root / store_folder)
    with Synthesizer(SpeechCache(root / "speech"), "espeak", offline=True) as synth:
        return prep.prepare(production, episode, synth, store, load_lexicon(production))


def _render_threads():
    return [t for t in threading.enumerate() if t.name.startswith("render")]


def _rewrite(root, body: str) -> None:
    script = root / "scripts" / "episode1.md"
    front = script.read_text(encoding="utf-8").split("---")[1]
    script.write_text(f"---{front}---\n{body}", encoding="utf-8")


def test_threads_give_what_one_thread_gives(production, monkeypatch):
    with monkeypatch.context() as serial_only:
        serial_only.setattr(prep, "RENDER_THREADS", 0)
        serial = _prepare(production, "sources")
    made = {r.source.key: r.source.path.read_bytes() for r in serial.rendered if r.source}
    shutil.rmtree(production / "sources")
    threaded = _prepare(production, "sources")
    assert threaded.timeline == serial.timeline
    assert threaded.rendered == serial.rendered and len(made) > 5
    for r in threaded.rendered:
        if r.source:
            assert r.source.path.read_bytes() == made[r.source.key]
    assert not _render_threads()


def test_a_recording_cued_four_times_is_decoded_once(production, monkeypatch):
    _rewrite(production, "".join(f"[nhạc hiệu: jingles/intro.ogg]\nMC1: Lần thứ {n}.\n\n"
                                 for n in range(4)))
    decoded = []
    real = dec.decode_with_info

    def counting(path, *args, **kwargs):
        decoded.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(dec, "decode_with_info", counting)
    prepared = _prepare(production, "sources")
    assert decoded == ["intro.ogg"]
    jingles = [r.source for r in prepared.rendered if r.source and not r.engine]
    assert len(jingles) == 4 and len({s.key for s in jingles}) == 1


def test_every_problem_is_reported_in_script_order(production):
    (production / "audio_assets" / "broken.wav").write_bytes(b"RIFF" + bytes(200))
    _rewrite(production, "MC1: Mở đầu.\n\n"
                         "[nhạc hiệu: khong_co.ogg]\n\n"          # missing
                         "MC1: Giữa.\n\n"
                         "[băng: broken.wav]\n\n"                 # undecodable
                         "[nhạc hiệu: jingles/intro.ogg]\n")
    with pytest.raises(UserError) as caught:
        _prepare(production, "sources")
    problems = caught.value.problems
    lines = (production / "scripts" / "episode1.md").read_text(encoding="utf-8").splitlines()
    expected = [lines.index(cue) + 1 for cue in ("[nhạc hiệu: khong_co.ogg]", "[băng: broken.wav]")]
    assert [p.line for p in problems] == expected
    assert "khong_co.ogg" in str(problems[0].message)
    assert "broken.wav" in str(problems[1].message)
    assert not _render_threads()


def test_a_failure_on_a_render_thread_stops_the_stage(production, monkeypatch):
    real, calls = prep.render_speech, []

    def failing(store, samples, rate, identity):
        calls.append(threading.current_thread().name)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(store, samples, rate, identity)

    monkeypatch.setattr(prep, "render_speech", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        _prepare(production, "sources")
    assert all(name.startswith("render") for name in calls)
    assert not _render_threads()
