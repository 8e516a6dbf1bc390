"""The DSP's kernels and filter designs are scipy's, bit for bit, without its import cost."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.fft
import scipy.ndimage
import scipy.signal

from radio.audio import designs, kernels

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["fast", "public"])
def path(request, monkeypatch):
    """Each test runs on the directly loaded kernels and on the fallback."""
    if request.param == "public":
        monkeypatch.setattr(kernels, "_loaded", {kernels._SOSFILT: None,
                                                 kernels._POCKETFFT: None,
                                                 kernels._ND_IMAGE: None})
    else:
        assert kernels.fast_path()
    return request.param


def test_a_build_never_imports_scipy_signal():
    """Mastering and measuring a programme loads scipy's two extension modules and
    none of the packages whose import costs the build half a second."""
    code = """
import sys
import numpy as np
from radio.audio.master import Master, PRESETS
from radio.audio.loudness import measure
rng = np.random.default_rng(1)
x = (rng.standard_normal((44100 * 3, 2)) * 0.1).astype(np.float32)
for name in PRESETS:
    m = Master(PRESETS[name])
    a = m.analyse([x])
    out = np.concatenate(list(m.finish(m.pre_chained([x]), a, seed=1)))
    assert len(out) == len(x)
print(measure(x).integrated_lufs)
heavy = sorted(n for n in ("scipy.signal", "scipy.fft", "scipy.ndimage", "scipy.stats")
               if n in sys.modules)
print("heavy:", heavy)
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "heavy: []"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_numpy_starts_no_blas_threads_under_radio():
    """numpy's OpenBLAS would start a spinning thread per core at import (CPU taken
    from the encoder); radio asks for one thread, unless the user set it."""
    code = """
import os, radio, numpy
print(len(os.listdir("/proc/self/task")), os.environ["OPENBLAS_NUM_THREADS"])
"""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60, env=env)
    assert run.stdout.split() == ["1", "1"], run.stderr
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60, env={**env, "OPENBLAS_NUM_THREADS": "3"})
    assert run.stdout.split()[1] == "3", run.stderr


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("frames", [1, 7, 4096])
def test_sosfilt_is_scipys(path, channels, frames):
    rng = np.random.default_rng(frames * channels)
    sos = designs.band_limit_sos(44100)          # read-only, as the filters keep it
    x = rng.standard_normal((frames, channels)).astype(np.float32)
    zi = rng.standard_normal((len(sos), 2, channels))
    before = zi.copy()
    want, want_zi = scipy.signal.sosfilt(sos.copy(), x, axis=0, zi=zi)
    got, got_zi = kernels.sosfilt(sos, x, zi)
    assert got.dtype == np.float64 and got.shape == x.shape
    assert np.array_equal(got, want) and np.array_equal(got_zi, want_zi)
    assert np.array_equal(zi, before)            # the caller's state is not touched


def test_sosfilt_refuses_a_wrong_state():
    sos = designs.band_limit_sos(44100)
    with pytest.raises(ValueError, match="zi must have shape"):
        kernels.sosfilt(sos, np.zeros((10, 2), np.float32), np.zeros((2, 2, 1)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fft_is_scipys(path, dtype):
    rng = np.random.default_rng(3)
    data = rng.standard_normal((2, 20000)).astype(dtype)
    # Overlapping read-only windows, as the interpolator makes them.
    windows = np.lib.stride_tricks.as_strided(data, (2, 4, 4096), (data.strides[0],
                                              4000 * data.itemsize, data.itemsize),
                                              writeable=False)
    assert np.array_equal(kernels.rfft(windows), scipy.fft.rfft(windows, axis=-1))
    short = data[:, :48]
    assert np.array_equal(kernels.rfft(short, 4096), scipy.fft.rfft(short, 4096, axis=-1))
    spectrum = scipy.fft.rfft(windows, axis=-1)[:, :, None, :] * scipy.fft.rfft(short, 4096)
    assert np.array_equal(kernels.irfft(spectrum, 4096),
                          scipy.fft.irfft(spectrum, 4096, axis=-1))
    # A spectrum of another length is cut or padded as scipy does.
    for n in (4000, 8192):
        assert np.array_equal(kernels.irfft(spectrum, n), scipy.fft.irfft(spectrum, n, axis=-1))
    for other in (np.arange(8), np.arange(8).astype(np.float16)):
        got, want = kernels.rfft(other), scipy.fft.rfft(other, axis=-1)
        assert got.dtype == want.dtype and np.array_equal(got, want)


@pytest.mark.parametrize("width", [1, 2, 3, 16, 220, 221, 222, 300])
def test_running_minimum_is_ndimages(path, width):
    """The limiter's hold: the look-ahead's minimum, as scipy.ndimage computed it."""
    rng = np.random.default_rng(width)
    for length in (width, width + 1, 16384 + width - 1, 1000 + width):
        x = rng.random(length)
        x[rng.random(length) < 0.3] = 1.0          # long runs of 'no gain reduction'
        lookahead = width - 1
        want = scipy.ndimage.minimum_filter1d(x, width, origin=lookahead // 2)[lookahead:]
        assert np.array_equal(kernels.running_minimum(x, width), want)
    assert len(kernels.running_minimum(np.ones(3), 5)) == 0


@pytest.mark.parametrize("key", designs.TABLED)
def test_tabled_designs_are_scipys(key):
    """If this fails, scipy now designs these filters differently: regenerate the
    table (python -m radio.audio.designs > radio/audio/design_table.py) and say in
    the change that the masters' bytes change with it."""
    assert np.array_equal(designs._design(key), designs.compute(key))


def test_the_table_file_is_what_the_generator_writes():
    table = (ROOT / "radio" / "audio" / "design_table.py").read_text(encoding="utf-8")
    assert table == designs.table_source()


def test_designs_off_the_table_are_computed():
    sos = designs.band_limit_sos(48000)
    assert np.array_equal(sos, scipy.signal.cheby2(4, 50.0, 21000.0 / 44100.0 * 48000,
                                                   fs=48000, output="sos"))
    assert not sos.flags.writeable
    hp = designs.highpass_sos(80.0, 2, 44100)
    assert np.array_equal(hp, scipy.signal.butter(2, 80.0, btype="highpass", fs=44100,
                                                  output="sos"))
    with pytest.raises(ValueError, match="unknown filter design"):
        designs.compute(("notch", 50.0))
