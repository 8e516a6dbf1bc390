"""radio.audio.wav: the one WAV module, against Python's own wave module and ffmpeg."""
from __future__ import annotations

import io
import struct
import subprocess
import wave

import numpy as np
import pytest

from conftest import ffmpeg_exe
from radio.audio.wav import (BextInfo, WavError, WavWriter, copy_span, header, iter_frames,
                             read_layout, samples)

RATE = 44100


def pcm(frames: int, channels: int = 2, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(-30000, 30000, (frames, channels),
                                                dtype=np.int16)


def stdlib_wav(data: np.ndarray, rate: int = RATE) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as fh:
        fh.setnchannels(data.shape[1])
        fh.setsampwidth(2)
        fh.setframerate(rate)
        fh.writeframes(data.astype("<i2").tobytes())
    return out.getvalue()


def test_header_is_the_one_the_wave_module_writes():
    for frames, channels, rate in ((0, 1, 22050), (1000, 2, RATE), (7, 1, 48000)):
        data = pcm(frames, channels)
        assert header(frames, channels, rate) + data.tobytes() == stdlib_wav(data, rate)


def test_bwf_master_reads_back_past_its_bext_chunk(tmp_path):
    data = pcm(5000)
    path = tmp_path / "master.wav"
    with open(path, "wb") as fh:
        writer = WavWriter(fh, len(data), BextInfo("Cam Hà Tĩnh", "Sở TT&TT", "ep1",
                                                   "2021-11-30"))
        writer.write(data[:3000])
        writer.write(data[3000:])
        writer.finish({"integrated_lufs": -23.0, "true_peak_dbtp": -1.5})
    raw = path.read_bytes()
    assert raw[12:16] == b"bext" and struct.unpack("<I", raw[4:8])[0] + 8 == len(raw)
    layout = read_layout(path)
    assert (layout.channels, layout.rate, layout.bits, layout.frames) == (2, RATE, 16, 5000)
    assert not layout.truncated and layout.declared_s == pytest.approx(5000 / RATE)
    assert np.array_equal(samples(layout), data)
    with wave.open(str(path)) as fh:        # the wave module skips bext too
        assert fh.readframes(5000) == data.tobytes()
    with pytest.raises(RuntimeError, match="length mismatch"):
        with open(tmp_path / "short.wav", "wb") as fh:
            WavWriter(fh, 10).finish()


def test_a_span_is_copied_byte_for_byte_and_streamed_in_whole_frames(tmp_path):
    data = pcm(10000)
    path = tmp_path / "a.wav"
    path.write_bytes(stdlib_wav(data))
    layout = read_layout(path)
    out = io.BytesIO()
    assert copy_span(layout, out, 1234, 5678) == 4444
    assert out.getvalue() == stdlib_wav(data[1234:5678])
    out = io.BytesIO()
    assert copy_span(layout, out, 9000, 20000) == 1000          # clipped to the end
    assert out.getvalue() == stdlib_wav(data[9000:])
    blocks = list(iter_frames(layout, 100, 3000, block_bytes=1001))
    assert all(len(b) % 4 == 0 for b in blocks)
    assert b"".join(blocks) == data[100:3100].tobytes()


def test_truncated_and_streamed_files(tmp_path):
    data = pcm(8000)
    whole = stdlib_wav(data)
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole[:44 + 4000 * 4])
    layout = read_layout(cut)
    assert layout.truncated and layout.frames == 4000
    assert layout.declared_s == pytest.approx(8000 / RATE)      # what the header announces
    streamed = tmp_path / "streamed.wav"
    streamed.write_bytes(whole[:40] + struct.pack("<I", 0xFFFFFFFF) + whole[44:])
    layout = read_layout(streamed)
    assert not layout.truncated and layout.declared_s is None and layout.frames == 8000
    layout = read_layout(tmp_path / "cut.wav")
    cut.write_bytes(whole[:44 + 100 * 4])                      # shrinks while being read
    with pytest.raises(WavError, match="ended 3900 frames early") as caught:
        list(iter_frames(layout, 0, 4000))
    assert caught.value.problem.path == str(cut)


def test_extensible_and_float_formats_as_ffmpeg_writes_them(tmp_path):
    source = tmp_path / "in.wav"
    source.write_bytes(stdlib_wav(pcm(4410, 2)))
    for codec, args, tag, bits in (("pcm_s16le", ["-ac", "6"], 1, 16),
                                   ("pcm_f32le", [], 3, 32)):
        out = tmp_path / f"{codec}.wav"
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(source), *args,
                        "-c:a", codec, str(out)], check=True)
        layout = read_layout(out)
        assert (layout.tag, layout.bits, layout.frames) == (tag, bits, 4410), codec
    with pytest.raises(WavError, match="not 16-bit PCM"):
        samples(read_layout(tmp_path / "pcm_f32le.wav"))


@pytest.mark.parametrize("content, message", [
    (b"", "not a RIFF/WAVE file"),
    (b"RIFF\x04\x00\x00\x00WAVE", "has no format chunk"),
    (b"RIFF\x0c\x00\x00\x00WAVEdata\x00\x00\x00\x00", "data before its format chunk"),
    (b"RIFF\x14\x00\x00\x00WAVEfmt \x08\x00\x00\x00\x01\x00\x02\x00\x44\xac\x00\x00"
     b"data\x00\x00\x00\x00", "format chunk is too short"),
])
def test_broken_files_name_the_file(tmp_path, content, message):
    path = tmp_path / "broken.wav"
    path.write_bytes(content)
    with pytest.raises(WavError, match=message) as caught:
        read_layout(path, hint="export it again")
    assert caught.value.problem.path == str(path) and caught.value.problem.hint


def test_written_frames_are_read_back_as_written_and_none_before(tmp_path):
    # What another thread reads of a WAV being written: the frames written so far,
    # nothing beyond, and nothing (not an error) when the file cannot be read.
    import numpy as np

    from radio.audio.wav import WavWriter, WrittenFrames

    pcm = (np.arange(20000, dtype=np.int32).reshape(-1, 2) % 3000 - 1500).astype(np.int16)
    with open(tmp_path / "a.wav", "wb") as fh:
        writer = WavWriter(fh, len(pcm))
        frames = WrittenFrames(writer, fh.name)
        assert frames.read(0, 10) is None
        writer.write(pcm[:6000])
        assert np.array_equal(frames.read(100, 5000), pcm[100:5100])
        assert frames.read(5000, 2000) is None
        writer.write(pcm[6000:])
        assert np.array_equal(frames.read(5000, 5000), pcm[5000:])
        frames.close()
        broken = WrittenFrames(writer, tmp_path / "no such file.wav")
        assert broken.read(0, 10) is None
