"""A one-pass speech leveler: the reference the Master's two-pass leveling is checked
against (tests only; the build uses leveling_gains + GainTrack)."""
from __future__ import annotations

import numpy as np

from radio.audio.dsp import GridStep, SosFilter, db_to_gain
from radio.audio.loudness import energy_to_lufs, k_weighting_sos
from radio.audio.master import LOOKAHEAD_HOPS, WINDOW_HOPS, Rider, track_amplitude


class Leveler(GridStep):
    """Speech leveling in one pass: a slow gain rider with 1.5 s of look-ahead.

    Every 100 ms hop it measures the K-weighted short-term loudness (3 s)
    *centred* on the hop and lets :class:`Rider` decide the gain, riding
    toward ``target_lufs`` +- ``range_lu``/4 (the dead band keeps the
    programme's loudness range well under ``range_lu``).  The gain is
    interpolated sample by sample between hops (no zipper noise).  Latency
    1.5 s, compensated.  The :class:`Master` uses the two-pass form instead
    (:func:`leveling_gains` + :class:`GainTrack`), which rides toward the
    programme's own loudness, known after the first pass.
    """

    hops_per_chunk = 10

    def __init__(self, target_lufs: float, *, range_lu: float | None = None,
                 max_boost_db: float = 12.0, max_cut_db: float = 24.0,
                 silence_lufs: float = -50.0, max_step_db: float = 1.0,
                 rate: int = 44100, channels: int = 2):
        self.hop = int(round(rate / 10))
        self.chunk = self.hop * self.hops_per_chunk
        self.latency = self.hop * LOOKAHEAD_HOPS
        super().__init__(channels)
        self._rider = Rider(target_lufs, range_lu / 4.0 if range_lu else 0.0, max_boost_db,
                             max_cut_db, silence_lufs, max_step_db)
        self._weight = SosFilter(k_weighting_sos(rate), channels)
        self._energy: list[float] = []   # hop energies from hop self._first_energy on
        self._first_energy = 0
        self._real_hops: int | None = None
        self._next_hop = -LOOKAHEAD_HOPS
        self._last_amp = 1.0
        self._delay = np.zeros((self.latency, channels), dtype=np.float32)

    def _end_of_stream(self, total: int) -> None:
        self._real_hops = total // self.hop

    def _compute(self, chunk: np.ndarray) -> np.ndarray:
        weighted = self._weight(chunk)
        power = np.einsum("ij,ij->i", weighted, weighted)
        self._energy.extend((power.reshape(-1, self.hop).sum(axis=1) / self.hop).tolist())
        audio = np.concatenate([self._delay, chunk])
        self._delay = audio[len(chunk):].copy()
        # amps[0] is the hop before this chunk's first output hop, amps[i+1] hop i.
        first, amps = self._next_hop, np.empty(self.hops_per_chunk + 1)
        amps[0] = self._last_amp
        for index, hop in enumerate(range(first, first + self.hops_per_chunk)):
            amp = db_to_gain(self._rider.step(self._short_term(hop))) if hop >= 0 else 1.0
            if hop == 0:
                amps[index] = amp  # the programme starts at its first gain, no ramp
            amps[index + 1] = amp
        self._next_hop += self.hops_per_chunk
        self._last_amp = amps[-1]
        keep_from = self._next_hop - (WINDOW_HOPS - LOOKAHEAD_HOPS - 1)
        if keep_from > self._first_energy:
            del self._energy[:keep_from - self._first_energy]
            self._first_energy = keep_from
        gain = track_amplitude(amps, self.hop, np.arange(len(chunk)) + self.hop)
        return (audio[:len(chunk)] * gain[:, None]).astype(np.float32)

    def _short_term(self, hop: int) -> float:
        end = hop + LOOKAHEAD_HOPS + 1
        if self._real_hops is not None:
            end = min(end, self._real_hops)
        start = max(0, hop - (WINDOW_HOPS - LOOKAHEAD_HOPS - 1)) - self._first_energy
        window = self._energy[start:max(start, end - self._first_energy)]
        return energy_to_lufs(sum(window) / len(window) if window else 0.0)
