"""The espeak-ng helper process (run as ``python -m radio.speech.espeak_helper``).

espeak-ng crashes when two threads synthesize, and its output drifts with every
earlier synthesis in the same process.  So this process loads and initializes
the library once, never synthesizes itself, and forks one child per job: every
child starts from the same pristine state and gives bit-identical audio for the
same text and settings.  Where ``fork`` is unavailable (Windows), the client
starts this module with ``--once`` per job instead, which is deterministic too.

Protocol on stdin/stdout, one job at a time:
  request:  4-byte big-endian length + UTF-8 JSON
            {"text", "voice", "rate_wpm", "pitch", "range", "word_gap"}
  response: 4-byte length + JSON {"ok", "rate", "error", "events"}, then 4-byte
            length + PCM (int16 little-endian mono) when ok.  "events" are espeak-ng's
            own sentence and word events: [kind, character position (1-based, in the
            text as sent), length, audio position in ms], kind "sentence"/"word"/"end".
"""
from __future__ import annotations

import ctypes
import json
import os
import struct
import sys

AUDIO_OUTPUT_SYNCHRONOUS = 2
ESPEAK_INITIALIZE_DONT_EXIT = 0x8000
ESPEAK_CHARS_UTF8 = 1
ESPEAK_ENDPAUSE = 0x1000
PARAM_RATE, PARAM_VOLUME, PARAM_PITCH, PARAM_RANGE, PARAM_WORDGAP = 1, 2, 3, 4, 7



class Event(ctypes.Structure):
    """espeak_EVENT (speak_lib.h); ``id`` is a union of int, char* and char[8]."""
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint),
                ("text_position", ctypes.c_int), ("length", ctypes.c_int),
                ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


EVENT_KINDS = {1: "word", 2: "sentence", 5: "end"}   # espeakEVENT_WORD, _SENTENCE, _END

CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short),
                            ctypes.c_int, ctypes.POINTER(Event))


def load_library():
    import espeakng_loader

    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                 ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    data_path = espeakng_loader.get_data_path()
    rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, os.fsencode(data_path),
                                 ESPEAK_INITIALIZE_DONT_EXIT)
    if rate <= 0:
        raise RuntimeError(f"espeak-ng failed to initialize with data at {data_path}")
    return lib, rate


def seed_noise(lib, seed: int = 1) -> None:
    """Seed the random numbers of the voice variants' breath and roughness.

    espeak-ng seeds its own generator from the clock, and also draws from libc's
    rand(): a variant such as f2 came out differently from one helper to the next
    (the demo's female narrator).  Seeded here, before every job, it is the same.
    """
    if hasattr(lib, "espeak_ng_SetRandSeed"):
        lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
        lib.espeak_ng_SetRandSeed(seed)
    try:
        ctypes.CDLL(None).srand(seed)
    except (OSError, AttributeError, TypeError):   # no C library handle (Windows)
        pass


def synthesize_here(lib, job: dict) -> tuple[bytes, list]:
    """Synthesize one job in this process (only ever called in a fresh child):
    the PCM and espeak-ng's sentence and word events (they do not change the audio)."""
    chunks: list[bytes] = []
    events: list = []

    def on_audio(wav, count, found):
        if wav and count > 0:
            chunks.append(ctypes.string_at(wav, count * 2))
        index = 0
        while found and found[index].type != 0:   # espeakEVENT_LIST_TERMINATED
            event = found[index]
            if event.type in EVENT_KINDS:
                events.append([EVENT_KINDS[event.type], event.text_position, event.length,
                               event.audio_position])
            index += 1
        return 0

    callback = CALLBACK(on_audio)  # keep a reference for the call's lifetime
    lib.espeak_SetSynthCallback(callback)
    if lib.espeak_SetVoiceByName(job["voice"].encode()) != 0:
        raise ValueError(f"espeak-ng has no voice '{job['voice']}'")
    lib.espeak_SetParameter(PARAM_RATE, int(job.get("rate_wpm", 160)), 0)
    lib.espeak_SetParameter(PARAM_PITCH, int(job.get("pitch", 50)), 0)
    lib.espeak_SetParameter(PARAM_RANGE, int(job.get("range", 50)), 0)
    lib.espeak_SetParameter(PARAM_WORDGAP, int(job.get("word_gap", 0)), 0)
    seed_noise(lib)
    text = job["text"].encode("utf-8") + b"\0"
    buf = ctypes.create_string_buffer(text)
    status = lib.espeak_Synth(buf, len(text), 0, 0, 0, ESPEAK_CHARS_UTF8 | ESPEAK_ENDPAUSE,
                              None, None)
    if status != 0:
        raise RuntimeError(f"espeak-ng synthesis failed (status {status})")
    lib.espeak_Synchronize()
    return b"".join(chunks), events


def read_message(stream) -> bytes | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return data


def write_message(stream, data: bytes) -> None:
    stream.write(struct.pack(">I", len(data)) + data)


def answer(out, lib, rate: int, job: dict) -> None:
    try:
        pcm, events = synthesize_here(lib, job)
    except Exception as exc:  # reported to the client as a message, not a crash
        write_message(out, json.dumps({"ok": False, "error": str(exc)}).encode())
    else:
        write_message(out, json.dumps({"ok": True, "rate": rate, "events": events}).encode())
        write_message(out, pcm)
    out.flush()


def serve(once: bool = False) -> int:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    lib, rate = load_library()
    info = lib.espeak_Info(None)
    write_message(stdout, json.dumps({"ready": True, "rate": rate,
                                      "version": (info or b"").decode()}).encode())
    stdout.flush()
    from radio.procs import die_with_parent

    helper = os.getpid()
    while (request := read_message(stdin)) is not None:
        job = json.loads(request)
        if once or not hasattr(os, "fork"):
            answer(stdout, lib, rate, job)
            return 0
        pid = os.fork()
        if pid == 0:  # the child: pristine state, synthesize once, exit
            try:
                die_with_parent(helper)   # never outlive the helper (nor the build)
                answer(stdout, lib, rate, job)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(serve(once="--once" in sys.argv))
