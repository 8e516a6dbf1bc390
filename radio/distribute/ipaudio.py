"""The MP3 an IP loudspeaker system receives: the master in the station profile, measured.

The programme's WAV master (the production's preset) is encoded with LAME to
the ``[distribution.ip]`` profile (channels, sample rate, bitrate).  Stereo
down to mono is the average of the two channels, which for the dual-mono
loudspeaker master is the one channel both carry, so the loudness stays.
The MP3 itself is then decoded and measured with the project's meters
(BS.1770 integrated loudness and the 4x true-peak meter): LAME overshoots
its input, and more so at low bitrates, so when the MP3's true peak is over
the preset's ceiling it is encoded again from the master lowered by the
overshoot, as the build does for its own MP3.  It must end inside the
preset's loudness tolerance, or the build fails.

Encoded files are kept in ``.radio/distribution/`` keyed by the master's
report, the profile and the tool's version, so an unchanged programme is not
encoded again.
"""
from __future__ import annotations

import hashlib
import json
import math
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import __version__
from ..audio.decode import ffmpeg_exe
from ..errors import BuildError
from ..fsio import atomic_path, sha256_file, write_text
from ..i18n import _, _l
from ..procs import child_options
from .model import Programme
from .profile import IpProfile

MAX_PASSES = 3
ON_TARGET_LU = 0.2
DUAL_MONO_DB = 10 * math.log10(2)   # one channel heard on both sides


@dataclass(frozen=True)
class IpAudio:
    programme: Programme
    path: Path                 # the encoded MP3 (in the state folder)
    profile: IpProfile
    bytes: int
    sha256: str
    integrated_lufs: float
    true_peak_dbtp: float
    gain_db: float             # applied to the master before encoding (0 or negative)


def encode_for_ip(programme: Programme, profile: IpProfile, state_dir: Path,
                  log) -> IpAudio:
    """The programme as an MP3 in *profile*, measured; reused when nothing changed."""
    folder = state_dir / "distribution"
    target = folder / "{name}.{rate}-{ch}ch-{kbps}k.mp3".format(
        name=programme.name, rate=profile.sample_rate_hz, ch=profile.channels,
        kbps=profile.bitrate_kbps)
    sidecar = target.with_suffix(".json")
    key = _fingerprint(programme, profile)
    cached = _cached(sidecar, target, key, programme, profile)
    if cached:
        log.detail(_("{file}: unchanged, not encoded again", file=target.name))
        return cached
    gain_db, lufs, peak = _encode_measured(programme, profile, target, log)
    audio = IpAudio(programme, target, profile, target.stat().st_size, sha256_file(target),
                    round(lufs, 2), round(peak, 2), round(gain_db, 2))
    write_text(sidecar, json.dumps({"key": key, "bytes": audio.bytes, "sha256": audio.sha256,
                                    "integrated_lufs": audio.integrated_lufs,
                                    "true_peak_dbtp": audio.true_peak_dbtp,
                                    "gain_db": audio.gain_db}, indent=2) + "\n")
    return audio


def _encode_measured(programme: Programme, profile: IpProfile, target: Path,
                     log) -> tuple[float, float, float]:
    """Encode until the MP3 is on target: LAME's low-pass takes a few tenths of
    a LU from the high-passed speech, and its true peak overshoots the master's."""
    from ..audio.master import PRESETS

    preset = PRESETS[programme.preset]
    gain_db = 0.0
    for _attempt in range(MAX_PASSES):
        _encode(programme.wav_path, target, profile, gain_db)
        lufs, peak = measure_mp3(
            target, stereo=profile.channels == 2 and not preset.dual_mono)
        correction = min(preset.target_lufs - lufs, preset.ceiling_dbtp - 0.1 - peak)
        if peak <= preset.ceiling_dbtp and abs(preset.target_lufs - lufs) <= ON_TARGET_LU:
            break
        gain_db += correction
        log.detail(_("{file}: {lufs:.2f} LUFS, true peak {peak:.2f} dBTP; encoding again with "
                   "{gain:+.2f} dB", file=target.name, lufs=lufs, peak=peak,
                                           gain=gain_db))
    if peak > preset.ceiling_dbtp:
        raise BuildError(_l("the IP station MP3 of {name} stays above {ceiling} dBTP",
            name=programme.name, ceiling=preset.ceiling_dbtp),
            hint=_l("raise [distribution.ip] bitrate_kbps"))
    if abs(lufs - preset.target_lufs) > preset.tolerance_lu:
        raise BuildError(_l("the IP station MP3 of {name} measures {lufs:.1f} LUFS, outside "
                         "{target} LUFS", name=programme.name, lufs=lufs,
                                                target=preset.target_lufs),
                         hint=_l("raise [distribution.ip] bitrate_kbps"))
    return gain_db, lufs, peak


def _fingerprint(programme: Programme, profile: IpProfile) -> str:
    digest = hashlib.sha256()
    digest.update(programme.report_path.read_bytes())
    digest.update(json.dumps([asdict(profile), __version__, ffmpeg_exe()]).encode())
    return digest.hexdigest()


def _cached(sidecar: Path, target: Path, key: str, programme: Programme,
            profile: IpProfile) -> IpAudio | None:
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != key or not target.is_file() or \
            target.stat().st_size != data.get("bytes"):
        return None
    return IpAudio(programme, target, profile, data["bytes"], data["sha256"],
                   data["integrated_lufs"], data["true_peak_dbtp"], data["gain_db"])


def _encode(wav: Path, target: Path, profile: IpProfile, gain_db: float) -> None:
    mix = "pan=mono|c0=0.5*c0+0.5*c1" if profile.channels == 1 else "anull"
    filters = f"{mix},volume={gain_db:.2f}dB" if gain_db else mix
    with atomic_path(target) as tmp:
        command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", str(wav),
                   "-af", filters, "-ar", str(profile.sample_rate_hz),
                   "-ac", str(profile.channels), "-c:a", "libmp3lame",
                   "-b:a", f"{profile.bitrate_kbps}k", "-map_metadata", "-1",
                   "-id3v2_version", "0", "-write_id3v1", "0", "-fflags", "+bitexact",
                   "-flags:a", "+bitexact", "-f", "mp3", str(tmp)]
        proc = subprocess.run(command, capture_output=True, **child_options())
        if proc.returncode:
            reason = proc.stderr.decode(errors="replace").strip().splitlines()
            raise BuildError(_l("ffmpeg could not encode {file}: {reason}",
                file=target.name, reason=reason[-1] if reason else proc.returncode))


def measure_mp3(path: Path, stereo: bool = False) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of the decoded MP3, with our meters.

    A mono file, or a dual-mono one (the loudspeaker master in two channels),
    is measured on its one channel and reported as dual mono (+3.01 dB, as
    ffmpeg's ``ebur128=dualmono=true``): the horns get the same signal as from
    the CD of the same master, whose two equal channels measure that much
    louder than one."""
    from ..audio.loudness import LoudnessMeter, feed_from

    command = [ffmpeg_exe(), "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0",
               *([] if stereo else ["-af", "pan=mono|c0=c0"]), "-ac", "2" if stereo else "1",
               "-f", "f32le", "-ar", "44100", "-"]
    meter = LoudnessMeter(44100, 2 if stereo else 1)
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          **child_options()) as proc:
        feed_from(meter, proc.stdout)
        error = proc.stderr.read().decode(errors="replace").strip()
        if proc.wait():
            raise BuildError(_l("ffmpeg could not decode {file}: {reason}",
                file=path.name, reason=error.splitlines()[-1] if error else "?"))
    result = meter.result()
    return (float(result.integrated_lufs) + (0.0 if stereo else DUAL_MONO_DB),
            float(result.true_peak_dbtp))
