"""The offline voice is deterministic whatever ran before it."""
import hashlib

from radio.speech.espeak import EspeakEngine

TEXT = "Kính thưa quý vị và các bạn! Chào mừng quý vị đến với chuyên đề."


def digest(samples) -> str:
    return hashlib.sha256(samples.tobytes()).hexdigest()


def test_same_text_same_samples_across_processes_and_history():
    with EspeakEngine() as first:
        a, rate = first.synthesize(TEXT, pitch=40)
        first.synthesize("Một câu khác hoàn toàn, đọc trước để làm lệch trạng thái.",
                         voice="vi-vn-x-south", pitch=80, rate_wpm=200)
        b, _ = first.synthesize(TEXT, pitch=40)
    with EspeakEngine() as second:
        c, _ = second.synthesize(TEXT, pitch=40)
    assert rate == 22050 and len(a) > rate  # more than a second of speech
    assert digest(a) == digest(b) == digest(c)


def test_voices_differ():
    with EspeakEngine() as engine:
        low, _ = engine.synthesize("Xin chào Hà Tĩnh", voice="vi", pitch=30)
        high, _ = engine.synthesize("Xin chào Hà Tĩnh", voice="vi-vn-x-central", pitch=75)
    assert digest(low) != digest(high)


def test_unknown_voice_is_a_clear_error():
    import pytest

    from radio.errors import BuildError

    with EspeakEngine() as engine:
        with pytest.raises(BuildError, match="no voice 'xx-nope'"):
            engine.synthesize("a", voice="xx-nope")
        ok, _ = engine.synthesize("vẫn chạy", voice="vi")   # the helper survives
    assert len(ok) > 0
