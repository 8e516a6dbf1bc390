"""Deterministic music for the demo production: station jingles and music beds.

Everything is synthesized in numpy from a seed (``numpy.random.Generator`` over
``PCG64``), so ``tools/make_assets.py`` regenerates the same audio on every
run.  The music is pentatonic, in a Vietnamese folk colour (đàn tranh, đàn
bầu, sáo; see :mod:`radio.demo.instruments`), with simple I–vi–IV–V style
harmony.  All functions return float32 stereo ``(samples, 2)`` at 44.1 kHz,
levelled to about −18 LUFS with sample peaks at or below −1.5 dBFS.

Music beds loop: they are built on a whole number of bars in a circular
buffer (notes and reverb that ring past the end wrap onto the start), so the
last sample joins the first without a seam.  Room tone and the field-recording
colour for interviews live in :mod:`radio.demo.field`.
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from .field import field_recording, room_tone  # noqa: F401  (public API)
from .instruments import RATE, Note, convolve, normalize, render, reverb_ir

PENTA = (0, 2, 4, 7, 9)  # major pentatonic: the "cung" mode
CHORDS = {"I": (0, 4, 7), "ii": (2, 5, 9), "iii": (4, 7, 11), "IV": (5, 9, 12),
          "V": (7, 11, 14), "vi": (9, 12, 16)}
STYLES = {
    # calm: slow arpeggios, a pad and a sparse đàn bầu line
    "soft": dict(tonic=62, bpm=68, lead="bau", lead_oct=0, tranh="arp8", drums=False,
                 prog=("I", "vi", "IV", "V", "I", "vi", "ii", "V"), cell=0),
    # upbeat: running đàn tranh, sáo melody, light percussion
    "bright": dict(tonic=67, bpm=104, lead="sao", lead_oct=12, tranh="run8", drums=True,
                   prog=("I", "IV", "vi", "V", "I", "IV", "V", "I"), cell=1),
    # warm: low register, rolling triplets, đàn bầu, a soft drum
    "warm": dict(tonic=65, bpm=80, lead="bau", lead_oct=0, tranh="roll3", drums="soft",
                 prog=("I", "iii", "vi", "IV", "I", "iii", "ii", "V"), cell=2),
}
RHYTHMS = [  # two-bar melodic cells: (onset, length) in beats
    [[(0, 2), (2, 1), (3, 1), (4, 3), (7, 1)], [(0, 1.5), (1.5, 0.5), (2, 2), (4, 4)]],
    [[(0, 1), (1, 0.5), (1.5, 0.5), (2, 1), (3, 1), (4, 1.5), (5.5, 0.5), (6, 2)],
     [(0, 0.5), (0.5, 0.5), (1, 1), (2, 1.5), (3.5, 0.5), (4, 2), (6, 1), (7, 1)]],
    [[(0, 1.5), (1.5, 0.5), (2, 2), (4, 2), (6, 1), (7, 1)],
     [(0, 3), (3, 1), (4, 2), (6, 2)]],
]


def scale_notes(tonic: int, lo: int, hi: int) -> list[int]:
    return [m for m in range(lo, hi + 1) if (m - tonic) % 12 in PENTA]


def chord_notes(tonic: int, chord: str, lo: int, hi: int) -> list[int]:
    pcs = {(tonic + s) % 12 for s in CHORDS[chord]}
    return [m for m in range(lo, hi + 1) if m % 12 in pcs]


def _pick(prev: int, options: list[int], rng: np.random.Generator, leap: float) -> int:
    """Choose the next melody note: mostly small steps, sometimes a leap."""
    dist = np.abs(np.array(options) - prev)
    weight = np.exp(-dist / leap) * (dist > 0) + 0.05
    return int(options[rng.choice(len(options), p=weight / weight.sum())])


def _phrase(tonic, chords, cell, rng, prev, final=None):
    """Pitches for a two-bar cell: chord tones on strong beats."""
    notes, lo, hi = [], tonic - 3, tonic + 14
    scale = scale_notes(tonic, lo, hi)
    for i, (onset, length) in enumerate(cell):
        chord = chords[int(onset // 4)]
        strong = onset % 2 == 0
        options = [m for m in chord_notes(tonic, chord, lo, hi) if m in scale] if strong else scale
        prev = _pick(prev, options or scale, rng, leap=2.5)
        if final is not None and i == len(cell) - 1:
            ends = [m for m in chord_notes(tonic, final, lo, hi) if m in scale]
            prev = min(ends or scale, key=lambda m: abs(m - prev))
        notes.append((onset, length, prev))
    return notes, prev


def compose_melody(style: dict, rng: np.random.Generator) -> list[tuple[float, float, int]]:
    """Eight bars in the form A B A C (two bars each), as (beat, beats, midi)."""
    tonic, prog = style["tonic"], style["prog"]
    cells = RHYTHMS[style["cell"]]
    a, prev = _phrase(tonic, prog[0:2], cells[0], rng, tonic + 4)
    b, prev = _phrase(tonic, prog[2:4], cells[1], rng, prev, final=prog[3])
    c, _ = _phrase(tonic, prog[6:8], cells[1], rng, a[-1][2], final=prog[7])
    out = []
    for offset, part in ((0, a), (8, b), (16, a), (24, c)):
        out += [(offset + onset, length, midi) for onset, length, midi in part]
    return out


def _accompaniment(style: dict, chord: str, bar_beat: float, beat_s: float, rng) -> list[Note]:
    """Pad, bass and đàn tranh patterns for one bar."""
    tonic, t0, bar_s = style["tonic"], bar_beat * beat_s, 4 * beat_s
    root = tonic - 24 + CHORDS[chord][0] - (12 if CHORDS[chord][0] > 5 else 0)
    notes = [Note(t0, root, bar_s * 0.55, 0.8, "bass"),
             Note(t0 + 2 * beat_s, root + (7 if style["bpm"] < 100 else 12), bar_s * 0.4, 0.6, "bass")]
    for i, m in enumerate(chord_notes(tonic, chord, tonic - 10, tonic + 6)[:4]):
        notes.append(Note(t0, m, bar_s, 0.55, "pad", pan=(-0.5, 0.4, -0.2, 0.5)[i]))
        notes.append(Note(t0, m + 0.07, bar_s, 0.4, "pad", pan=(0.5, -0.4, 0.2, -0.5)[i]))
    tones = [m for m in chord_notes(tonic, chord, tonic - 12, tonic + 12)
             if m in scale_notes(tonic, tonic - 12, tonic + 12)] or [root + 24]
    kind = style["tranh"]
    step, count, order = {"arp8": (0.5, 8, (0, 1, 2, 3, 4, 3, 2, 1)),
                          "run8": (0.5, 8, (0, 2, 1, 3, 2, 4, 3, 1)),
                          "roll3": (1 / 3, 12, (0, 1, 2, 3, 2, 1))}[kind]
    for i in range(count):
        m = tones[min(order[i % len(order)], len(tones) - 1)]
        vel = (0.42 if i % 2 == 0 else 0.3) * rng.uniform(0.85, 1.1)
        bendable = (m - tonic + 2) % 12 in PENTA  # nhấn up to the next string's note
        orn = "bend" if kind == "arp8" and i == 4 and bendable and rng.random() < 0.4 else None
        notes.append(Note(t0 + i * step * beat_s, m, step * beat_s * 2, vel, "tranh",
                          pan=-0.35 + 0.1 * (i % 3), ornament=orn))
    return notes


def _percussion(style: dict, bar_beat: float, beat_s: float, rng) -> list[Note]:
    if not style["drums"]:
        return []
    t0, drum, block = bar_beat * beat_s, style["tonic"] - 24, style["tonic"] + 14
    if style["drums"] == "soft":
        return [Note(t0, drum, 0.5, 0.5, "drum", pan=0.1),
                Note(t0 + 2.5 * beat_s, block, 0.2, 0.25, "mo", pan=0.4)]
    notes = [Note(t0, drum, 0.5, 0.7, "drum"), Note(t0 + 2.5 * beat_s, drum, 0.5, 0.45, "drum"),
             Note(t0 + beat_s, block, 0.2, 0.35, "mo", pan=0.4),
             Note(t0 + 3 * beat_s, block, 0.2, 0.35, "mo", pan=0.4)]
    notes += [Note(t0 + (i + 0.5) * beat_s, 60, 0.1, 0.5 * rng.uniform(0.7, 1.0), "shaker",
                   pan=-0.3) for i in range(4)]
    return notes


def _humanize(notes: list[Note], rng: np.random.Generator) -> list[Note]:
    return [Note(n.start_s + float(rng.normal(0, 0.004)) if n.start_s > 0.01 else n.start_s,
                 n.midi, n.dur_s, n.vel * float(rng.uniform(0.9, 1.05)), n.inst, n.pan,
                 n.ornament) for n in notes]


def music_bed(character: str, seconds: float, seed: int) -> np.ndarray:
    """A loopable music bed of a whole number of bars, about *seconds* long.

    *character* is ``soft`` (calm), ``bright`` (upbeat) or ``warm``.
    """
    style = STYLES[character]
    rng = np.random.Generator(np.random.PCG64(seed))
    beat_s = 60.0 / style["bpm"]
    bars = max(1, round(seconds / (4 * beat_s)))
    bars = bars - bars % 4 if bars >= 4 else bars
    melody = compose_melody(style, rng)
    notes: list[Note] = []
    for bar in range(bars):
        chord = style["prog"][bar % 8]
        notes += _accompaniment(style, chord, 4 * bar, beat_s, rng)
        notes += _percussion(style, 4 * bar, beat_s, rng)
    lead_bars = range(bars) if bars <= 8 else [b for b in range(bars) if b % 16 < 8 or b % 4 >= 2]
    for cycle in range(0, bars, 8):
        for beat, length, midi in melody:
            if int(cycle + beat // 4) in lead_bars and cycle + beat // 4 < bars:
                orn = "slide+vib" if length >= 2 and rng.random() < 0.4 else "vib"
                notes.append(Note((cycle * 4 + beat) * beat_s, midi + style["lead_oct"],
                                  length * beat_s * 0.95, 0.6, style["lead"], 0.15, orn))
    n = int(round(bars * 4 * beat_s * RATE))
    return _finish(_humanize(notes, rng), n, rng, circular=True, rt60_s=1.6)


def _finish(notes: list[Note], n: int, rng, circular: bool, rt60_s: float,
            fade_out_s: float = 0.0) -> np.ndarray:
    dry, send = render(notes, n, rng, circular)
    ir = reverb_ir(min(rt60_s * 1.2, n / RATE), rt60_s, rng)
    mix = dry + 0.35 * convolve(send, ir, circular)
    sos = signal.butter(2, 35, "highpass", fs=RATE, output="sos")
    if circular:  # filter two laps and keep the second: the steady state loops
        mix = signal.sosfilt(sos, np.concatenate([mix, mix]), axis=0)[n:]
    else:
        mix = signal.sosfilt(sos, mix, axis=0)
        fade_in = min(n, int(0.004 * RATE))
        mix[:fade_in] *= np.linspace(0, 1, fade_in)[:, None]
        out = min(n, int(fade_out_s * RATE))
        mix[n - out:] *= (0.5 + 0.5 * np.cos(np.linspace(0, np.pi, out)))[:, None]
    return normalize(mix)


# -- jingles: the station theme, in G major pentatonic ------------------------

THEME_TONIC = 67
THEME = [(0, 1, 74), (1, .5, 76), (1.5, .5, 74), (2, 1, 71), (3, 1, 69),
         (4, 1.5, 67), (5.5, .5, 69), (6, 2, 71),
         (8, 1, 76), (9, .5, 79), (9.5, .5, 76), (10, 1, 74), (11, .5, 71), (11.5, .5, 74),
         (12, 2, 74), (14, 1, 71), (15, 1, 69)]
THEME_CHORDS = ("I", "vi", "IV", "V")
JINGLE_KINDS = ("ident", "intro", "outro", "transition")


def _gliss(t0: float, lo: int, hi: int, span_s: float, up: bool, vel: float) -> list[Note]:
    """A đàn tranh glissando across the pentatonic strings."""
    strings = scale_notes(THEME_TONIC, lo, hi)
    strings = strings if up else strings[::-1]
    step = span_s / len(strings)
    return [Note(t0 + i * step, m, 0.8, vel * (0.6 + 0.4 * i / len(strings)), "tranh",
                 pan=-0.4 + 0.8 * i / len(strings)) for i, m in enumerate(strings)]


def _final_chord(t: float, ring_s: float, gong: bool = True) -> list[Note]:
    """The tonic chord: strummed strings, pad, bass and (optionally) a gong."""
    tonic = THEME_TONIC
    notes = [Note(t + 0.03 * i, m, ring_s, 0.5, "tranh", pan=-0.3 + 0.15 * i)
             for i, m in enumerate((tonic - 12, tonic - 5, tonic, tonic + 4, tonic + 7))]
    notes += [Note(t, m, ring_s, 0.5, "pad", pan=p) for m, p in
              ((tonic - 12, -0.4), (tonic - 5, 0.4), (tonic + 4, -0.2), (tonic + 0.07, 0.2))]
    notes.append(Note(t, tonic - 24, ring_s * 0.6, 0.9, "bass"))
    if gong:
        notes.append(Note(t, tonic - 17, ring_s, 0.35, "gong", pan=0.1))
    return notes


def _band(t0: float, beat_s: float, tranh: str, drums, rng) -> list[Note]:
    """Accompaniment for the four bars of the theme."""
    style = dict(STYLES["bright"], tranh=tranh, drums=drums, bpm=60 / beat_s)
    notes = []
    for bar, chord in enumerate(THEME_CHORDS):
        for note in _accompaniment(style, chord, 4 * bar, beat_s, rng) + \
                _percussion(style, 4 * bar, beat_s, rng):
            notes.append(Note(t0 + note.start_s, note.midi, note.dur_s, note.vel, note.inst,
                              note.pan, note.ornament))
    return notes


def _theme(t0: float, beat_s: float, inst: str, shift: int, vel: float,
           rit: float = 0.0) -> list[Note]:
    """The theme melody; *rit* slows the last bar (ritardando)."""
    def at(beat):
        return t0 + beat_s * (beat + rit * max(0.0, beat - 12) ** 2 / 8)
    notes = [Note(at(b), m + shift, at(b + length) - at(b), vel, inst, 0.15,
                  "slide+vib" if length >= 2 else "vib") for b, length, m in THEME]
    return notes, at(16)


def jingle(kind: str, seconds: float, seed: int) -> np.ndarray:
    """A station jingle: ``ident`` (~5 s), ``intro`` / ``outro`` (~12 s, the
    station theme) or ``transition`` (a ~3 s stinger).  Fades out at its end."""
    if kind not in JINGLE_KINDS:
        raise ValueError(f"unknown jingle {kind!r}; choose one of {', '.join(JINGLE_KINDS)}")
    rng = np.random.Generator(np.random.PCG64(seed))
    n = int(round(seconds * RATE))
    if kind == "ident":
        notes = _gliss(0.0, 67, 91, 0.7, True, 0.6) + _final_chord(0.75, seconds)
        notes += [Note(0.75, 74, 0.3, 0.7, "sao", 0.15), Note(1.05, 76, 0.3, 0.7, "sao", 0.15),
                  Note(1.35, 79, max(0.5, seconds - 2.6), 0.75, "sao", 0.15, "vib")]
        fade = min(1.5, seconds * 0.3)
    elif kind == "transition":
        notes = [Note(0.0, 81, 0.2, 0.5, "mo", 0.4), Note(0.16, 81, 0.2, 0.4, "mo", 0.4)]
        notes += _gliss(0.05, 67, 79, 0.4, False, 0.55) + _final_chord(0.5, seconds, False)
        fade = seconds * 0.5
    elif kind == "intro":
        beat_s = float(np.clip((seconds - 0.7 - 1.9) / 16, 0.45, 0.75))
        notes = _gliss(0.0, 62, 74, 0.65, True, 0.5) + _band(0.7, beat_s, "run8", True, rng)
        theme, end = _theme(0.7, beat_s, "sao", 0, 0.75)
        notes += theme + _theme(0.7, beat_s, "tranh", -12, 0.35)[0] + _final_chord(end, 4.0)
        fade = min(1.5, seconds - end)
    else:  # outro: the theme on the đàn bầu, slowing into the last chord
        beat_s = float(np.clip((seconds - 0.3 - 2.8) / 17.5, 0.45, 0.8))
        notes = _band(0.3, beat_s, "arp8", "soft", rng)
        theme, end = _theme(0.3, beat_s, "bau", 0, 0.8, rit=0.4)
        notes += theme + [n for n in _final_chord(end, 4.0)]
        fade = min(2.5, seconds - end)
    return _finish(_humanize(notes, rng), n, rng, circular=False, rt60_s=1.4, fade_out_s=fade)
