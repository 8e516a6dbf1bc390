"""The offline voice: espeak-ng through its helper process (see espeak_helper).

``EspeakEngine`` starts the helper once; start it before any thread exists in
this process (the preview server), since the helper is a fresh interpreter and
forks only itself.  Jobs are serialized through one pipe; use one engine per
worker process for parallel synthesis.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import numpy as np

from ..errors import BuildError, UserError
from ..i18n import _l
from ..procs import child_options
from .espeak_helper import read_message, write_message

ENGINE_NAME = "espeak"
VOICES = {   # name -> what `radio voices` says of it
    "vi": _l("Vietnamese, Northern (Hà Nội)"),
    "vi-vn-x-central": _l("Vietnamese, Central (Huế)"),
    "vi-vn-x-south": _l("Vietnamese, Southern (Sài Gòn)"),
}


def variants() -> list[str]:
    """espeak-ng's voice variants (``vi+f3``): other timbres for the same language."""
    import espeakng_loader

    folder = os.path.join(espeakng_loader.get_data_path(), "voices", "!v")
    try:
        return sorted(n for n in os.listdir(folder) if " " not in n)
    except OSError:
        return []


def cache_version() -> str:
    """The pinned espeakng-loader release: it fixes the library and voice data."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        # "seeded": variants' noise is seeded per job since then (older entries differ)
        return f"espeakng-loader {version('espeakng-loader')} seeded"
    except PackageNotFoundError:
        return "espeakng-loader unknown"


class EspeakEngine:
    """Deterministic offline synthesis: same text and settings, same samples."""

    name = ENGINE_NAME

    def __init__(self):
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self.sample_rate = 0
        # The speech cache key: known without starting the helper, so a build
        # whose speech is all cached never starts espeak at all.
        self.version = cache_version()
        self.library_version = ""   # what the library itself says, once started
        self._once = not hasattr(os, "fork")

    def _spawn(self) -> subprocess.Popen:
        args = [sys.executable, "-m", "radio.speech.espeak_helper"]
        if self._once:
            args.append("--once")
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, **child_options())   # dies with us
        hello = read_message(proc.stdout)
        if hello is None:
            err = proc.stderr.read().decode(errors="replace").strip().splitlines()
            raise BuildError(_l("the espeak-ng voice could not start: {reason}",
                                reason=err[-1] if err else _l("no answer")),
                             hint=_l("reinstall with `pip install espeakng-loader`"))
        info = json.loads(hello)
        self.sample_rate = info["rate"]
        self.library_version = info["version"]
        return proc

    def start(self) -> "EspeakEngine":
        if self._proc is None:
            self._proc = self._spawn()
        return self

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            try:
                proc.stdin.close()
                proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
            for stream in (proc.stdout, proc.stderr):
                stream.close()

    def __enter__(self) -> "EspeakEngine":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def synthesize(self, text: str, voice: str = "vi", rate_wpm: int = 160,
                   pitch: int = 50, range: int = 50, word_gap: int = 0,
                   variant: str = "") -> tuple[np.ndarray, int]:
        """Speak *text*; return (int16 mono samples, sample rate)."""
        samples, rate, _ = self.synthesize_timed(text, voice, rate_wpm, pitch, range,
                                                 word_gap, variant)
        return samples, rate

    def synthesize_timed(self, text: str, voice: str = "vi", rate_wpm: int = 160,
                         pitch: int = 50, range: int = 50, word_gap: int = 0,
                         variant: str = "") -> tuple[np.ndarray, int, list]:
        """Speak *text*; return (samples, rate, events): espeak-ng's own sentence and
        word events, ``[kind, character position (1-based), length, ms]``, from the
        same synthesis (asking for them does not change the audio)."""
        if variant:   # espeak-ng ignores an unknown variant silently: refuse it here
            if variant not in variants():
                raise UserError(_l("espeak-ng has no voice variant '{variant}'", variant=variant),
                                hint=_l("`radio voices` lists them, e.g. f2, m3"))
            voice = f"{voice}+{variant}"
        job = {"text": text, "voice": voice, "rate_wpm": int(rate_wpm), "pitch": int(pitch),
               "range": int(range), "word_gap": int(word_gap)}
        with self._lock:
            self.start()
            try:
                write_message(self._proc.stdin, json.dumps(job, ensure_ascii=False).encode())
                self._proc.stdin.flush()
                head = read_message(self._proc.stdout)
                if head is None:
                    raise BrokenPipeError
                answer = json.loads(head)
                pcm = read_message(self._proc.stdout) if answer.get("ok") else None
            except (BrokenPipeError, OSError):
                self.close()
                raise BuildError(_l("the espeak-ng helper stopped unexpectedly"),
                                 hint=_l("run again with --debug and report the problem")) from None
            if self._once:
                self.close()
        if not answer.get("ok"):
            raise BuildError(_l("espeak-ng could not speak this text: {reason}",
                                reason=answer.get("error")))
        return np.frombuffer(pcm, dtype="<i2").copy(), answer["rate"], answer.get("events", [])
