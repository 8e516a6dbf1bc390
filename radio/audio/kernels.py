"""The compiled routines the DSP runs, without importing the scipy packages around them.

Mastering needs three numerical kernels: the second-order-section IIR filter
(``scipy.signal.sosfilt``), the real FFT and its inverse (``scipy.fft``), and
the running minimum of ``scipy.ndimage.minimum_filter1d``.  Importing
``scipy.signal`` costs about 0.45 s and ``scipy.fft`` with ``scipy.ndimage``
another 0.2 s (they pull in ``scipy.stats``, ``scipy.interpolate``,
``scipy.special``...), paid by every build before the encoder can start.  The
routines themselves live in small extension modules that need nothing but
numpy: ``scipy.signal._sosfilt`` (the loop ``sosfilt`` ends in),
``pypocketfft`` (what ``scipy.fft`` calls) and ``scipy.ndimage._nd_image``.
This module loads them from scipy's installed files (a millisecond) and calls
them exactly as the public functions do, so the samples are the same bits.

If scipy lays its files out differently one day, the public functions are
used instead (same results, slower start): see :func:`fast_path`.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import threading
from pathlib import Path

import numpy as np

_SOSFILT = ("signal", "_sosfilt")
_POCKETFFT = ("fft", "_pocketfft", "pypocketfft")
_ND_IMAGE = ("ndimage", "_nd_image")
_loaded: dict[tuple[str, ...], object] = {}
_loading = threading.Lock()   # the render stage's threads may ask at once


def _extension(parts: tuple[str, ...]):
    """scipy's extension module ``scipy.<parts>``, loaded from its file without
    running the ``__init__`` of the packages around it (None if not found).
    Registered under its own name: a later ``import scipy.signal`` reuses it."""
    if parts in _loaded:
        return _loaded[parts]
    with _loading:
        if parts not in _loaded:
            name = ".".join(("scipy",) + parts)
            module = sys.modules.get(name)
            _loaded[parts] = module if module is not None else _load_file(name, parts)
    return _loaded[parts]


def _load_file(name: str, parts: tuple[str, ...]):
    try:
        import scipy   # the top package alone is light (its subpackages load lazily)

        folder = Path(scipy.__file__).parent.joinpath(*parts[:-1])
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = folder / (parts[-1] + suffix)
            if path.is_file():
                loader = importlib.machinery.ExtensionFileLoader(name, str(path))
                spec = importlib.util.spec_from_file_location(name, path, loader=loader)
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                try:
                    loader.exec_module(module)
                except BaseException:
                    del sys.modules[name]
                    raise
                return module
    except Exception:   # any surprise: the public functions below do the work
        return None
    return None


def fast_path() -> bool:
    """True when every kernel loads directly (with the pinned scipy they do;
    a test makes sure)."""
    return all(_extension(parts) is not None for parts in (_SOSFILT, _POCKETFFT, _ND_IMAGE))


def sosfilt(sos: np.ndarray, x: np.ndarray, zi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``scipy.signal.sosfilt(sos, x, axis=0, zi=zi)`` for float64 *sos*, a
    ``(n, channels)`` block and ``zi`` of shape ``(sections, 2, channels)``:
    returns the float64 output and the new state."""
    sos = np.require(sos, np.float64, ("C", "W"))   # scipy's kernel wants it writable
    module = _extension(_SOSFILT)
    if module is None:
        import scipy.signal

        return scipy.signal.sosfilt(sos, x, axis=0, zi=zi)
    sections = sos.shape[0]
    if zi.shape != (sections, 2, x.shape[1]):
        raise ValueError(f"zi must have shape {(sections, 2, x.shape[1])}, got {zi.shape}")
    # What sosfilt does for axis 0: channels first, C order, float64, filtered in place.
    data = np.array(x.T, dtype=np.float64, order="C")
    state = np.array(np.moveaxis(zi, (0, 1), (-2, -1)), dtype=np.float64, order="C")
    module._sosfilt(sos, data, state)
    return data.T, np.moveaxis(state, (-2, -1), (0, 1))


def rfft(x: np.ndarray, n: int | None = None) -> np.ndarray:
    """``scipy.fft.rfft(x, n, axis=-1)`` (float32 in, complex64 out)."""
    module = _extension(_POCKETFFT)
    if module is None:
        import scipy.fft

        return scipy.fft.rfft(x, n, axis=-1)
    x = _aligned(x)
    if n is not None and n != x.shape[-1]:
        x = _fit(x, n)
    return module.r2c(x, (x.ndim - 1,), True, 0, None, 1)


def irfft(x: np.ndarray, n: int) -> np.ndarray:
    """``scipy.fft.irfft(x, n, axis=-1)`` of a complex spectrum."""
    module = _extension(_POCKETFFT)
    if module is None:
        import scipy.fft

        return scipy.fft.irfft(x, n, axis=-1)
    x = _aligned(x)
    if x.shape[-1] != n // 2 + 1:
        x = _fit(x, n // 2 + 1)
    return module.c2r(x, (x.ndim - 1,), n, False, 2, None, 1)


def _aligned(x: np.ndarray) -> np.ndarray:
    """What scipy.fft hands its kernel: floating point (float16 as float32, other
    numbers as float64) in native byte order, aligned."""
    x = np.asarray(x)
    if x.dtype == np.float16:
        return x.astype(np.float32)
    if x.dtype.kind not in "fc":
        return x.astype(np.float64)
    return np.array(x, dtype=x.dtype.newbyteorder("="), copy=None if x.flags.aligned else True)


def _fit(x: np.ndarray, size: int) -> np.ndarray:
    """*x* cut or zero-padded to *size* along its last axis."""
    if x.shape[-1] >= size:
        return x[..., :size]
    out = np.zeros(x.shape[:-1] + (size,), dtype=x.dtype)
    out[..., :x.shape[-1]] = x
    return out


def running_minimum(x: np.ndarray, width: int) -> np.ndarray:
    """``min(x[j:j + width])`` for every j in ``0 .. len(x) - width``: what
    ``scipy.ndimage.minimum_filter1d(x, width, origin=(width - 1) // 2)[width - 1:]``
    gives (the origin puts the window's end on the output's own frame, so the
    boundary mode never reaches the part returned).  Exact: minima are chosen."""
    if len(x) < width:
        return np.zeros(0, dtype=x.dtype)
    origin = (width - 1) // 2
    module = _extension(_ND_IMAGE)
    if module is None:
        import scipy.ndimage

        return scipy.ndimage.minimum_filter1d(x, width, origin=origin)[width - 1:]
    x = np.ascontiguousarray(x)
    out = np.zeros_like(x)
    module.min_or_max_filter1d(x, width, 0, out, 2, 0.0, origin, 1)   # axis 0, 'reflect', min
    return out[width - 1:]
