"""radio.pipeline.options and the tables it reads: presets and engines, resolved once."""
from __future__ import annotations

import pickle

import pytest

from radio.audio.presets import PRESET_NAMES, PRESETS
from radio.clock import timecode
from radio.config import load
from radio.pipeline.options import BuildOptions
from radio.script.frontmatter import ENGINE_NAMES as FRONT_MATTER_ENGINES
from radio.speech.engines import ENGINE_NAMES, Engine
from radio.speech.voice import Synthesizer, Voice, estimated_speech_ms


def test_names_come_from_one_table():
    assert PRESET_NAMES == tuple(PRESETS) == ("loudspeaker", "broadcast", "web")
    assert ENGINE_NAMES == FRONT_MATTER_ENGINES == ("espeak", "gtts", "auto")
    assert [p.name for p in PRESETS.values() if p.bext] == ["broadcast"]


def test_options_resolve_names_once_and_travel_to_workers(copy_root):
    production = load(copy_root("mini"))
    options = BuildOptions.from_names("broadcast", "gtts", offline=True, jobs=2)
    assert options.preset is PRESETS["broadcast"] and options.engine is Engine.GTTS
    assert pickle.loads(pickle.dumps(options)) == options     # spawned workers get them
    plain = BuildOptions.from_names()
    assert plain.preset_for(production) is PRESETS["loudspeaker"]   # radio.toml's
    assert plain.engine_for(production) == "espeak" and not plain.offline
    with pytest.raises(KeyError):
        BuildOptions.from_names("loud")


def test_offline_is_its_own_flag_not_an_engine():
    synth = Synthesizer(cache=None, mode="gtts", forced=True, offline=True)
    assert synth.engine_for(Voice(engine="gtts")) == "espeak"
    with pytest.raises(RuntimeError, match="offline"):
        synth.gtts


def test_one_time_formatter_in_every_form():
    assert timecode(0) == "0:00" and timecode(59.5) == "1:00" and timecode(61.4) == "1:01"
    assert timecode(4799.6, pad=True) == "80:00" and timecode(5, pad=True) == "00:05"
    assert timecode(4799.6, hours=True) == "1:20:00" and timecode(59, hours=True) == "0:59"
    assert timecode(83.456, tenths=True) == "01:23.4"            # cut, not rounded
    assert timecode(3723.05, tenths=True) == "1:02:03.0"
    assert timecode(1.3, tenths=True) == "00:01.3"               # no float drift


def test_one_duration_estimate():
    assert estimated_speech_ms(0, 160) == 900                     # the paragraph's silence
    assert estimated_speech_ms(224, 160) == 60000 + 900           # 1.4 syllables per word
