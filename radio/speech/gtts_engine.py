"""The online voice: Google Translate's TTS through gTTS.

gTTS uses an unofficial endpoint that can change without notice.  We always pass
a timeout, cut the text ourselves at clause boundaries under 100 characters (so
there are no seams inside numbers or names), back off on HTTP 429/5xx and
connection errors, never keep a failed or empty file, and decode its MP3 of
unspecified rate with ffmpeg.
"""
from __future__ import annotations

import re
import subprocess
import time

import numpy as np

from ..errors import BuildError

ENGINE_NAME = "gtts"
MAX_CHARS = 100
RETRIES = 3


class GttsUnavailable(BuildError):
    """Google's TTS endpoint could not be reached or refused the request."""


def chunk_text(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Split at clause punctuation, then at spaces that are not inside a name."""
    clauses = [c.strip() for c in re.split(r"(?<=[.,;:!?…])\s+", text) if c.strip()]
    chunks: list[str] = []
    for clause in clauses:
        while len(clause) > limit:
            cut = _cut_point(clause, limit)
            chunks.append(clause[:cut].strip())
            clause = clause[cut:].strip()
        if clause:
            chunks.append(clause)
    return chunks


def _cut_point(text: str, limit: int) -> int:
    """The last space before *limit* that does not separate two capitalized words."""
    spaces = [m.start() for m in re.finditer(r" ", text[:limit + 1])]
    for index in reversed(spaces):
        before, after = text[:index].split()[-1:], text[index + 1:index + 2]
        if not (before and before[0][:1].isupper() and after.isupper()):
            return index
    return spaces[-1] if spaces else limit


def _status(exc) -> int | None:
    response = getattr(exc, "rsp", None)
    return getattr(response, "status_code", None)


def fetch_mp3(text: str, timeout_s: float, retries: int = RETRIES, sleep=time.sleep) -> bytes:
    """One chunk's MP3 from Google, with bounded exponential backoff."""
    import io

    from gtts import gTTS
    from gtts.tts import gTTSError

    delay = 1.0
    for attempt in range(retries + 1):
        buffer = io.BytesIO()
        try:
            gTTS(text, lang="vi", timeout=timeout_s).write_to_fp(buffer)
        except gTTSError as exc:
            status = _status(exc)
            retryable = status is None or status == 429 or status >= 500
            if not retryable or attempt == retries:
                raise GttsUnavailable(f"Google TTS failed: {status or 'no connection'}",
                                      hint="check the network, or use --offline "
                                           "(espeak) / --engine auto") from None
            sleep(delay)
            delay *= 2
            continue
        data = buffer.getvalue()
        if data:
            return data
        if attempt == retries:
            break
    raise GttsUnavailable("Google TTS returned no audio", hint="try again later or use --offline")


def decode_mp3(data: bytes) -> tuple[np.ndarray, int]:
    from ..audio.decode import ffmpeg_exe

    proc = subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "mp3", "-i", "-", "-ac", "1",
                           "-ar", "24000", "-f", "s16le", "-"], input=data, capture_output=True)
    if proc.returncode != 0 or not proc.stdout:
        raise GttsUnavailable("Google TTS returned audio that cannot be decoded")
    return np.frombuffer(proc.stdout, dtype="<i2").copy(), 24000


class GttsEngine:
    name = ENGINE_NAME

    def __init__(self, timeout_s: float = 10.0, retries: int = RETRIES, sleep=time.sleep):
        import gtts

        self.version = gtts.__version__
        self.timeout_s = timeout_s
        self.retries = retries
        self.sleep = sleep

    def synthesize(self, text: str, **_settings) -> tuple[np.ndarray, int]:
        pieces = []
        gap = np.zeros(int(24000 * 0.12), dtype=np.int16)
        for chunk in chunk_text(text):
            samples, rate = decode_mp3(fetch_mp3(chunk, self.timeout_s, self.retries, self.sleep))
            pieces += [samples, gap]
        if not pieces:
            raise GttsUnavailable("nothing to say")
        return np.concatenate(pieces[:-1]), 24000

    def reachable(self) -> bool:
        import socket

        try:
            socket.create_connection(("translate.google.com", 443),
                                     timeout=min(self.timeout_s, 3)).close()
            return True
        except OSError:
            return False
