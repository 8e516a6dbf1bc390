"""Recordings uploaded into audio_assets/: type and size limited, never overwriting.

A file is accepted only with an audio extension AND the matching signature in its
first bytes; its name is kept (NFC) but must be one plain file name; the folder is
one of the asset folders.  It is written atomically, so a cut upload leaves nothing.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from ..fsio import atomic_open

FOLDERS = ("jingles", "music", "interviews", "sfx")
ASSET_TYPES = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a")
# What each kind of file starts with.  MP3 and ADTS AAC (a Zalo voice message) are told
# by their frame sync in ``looks_like_audio``: an MP3 from a phone at 8 or 16 kHz
# (MPEG-2 and 2.5) starts with other bytes than one at 44.1 kHz.
SIGNATURES = {
    ".wav": (b"RIFF", b"RF64"), ".flac": (b"fLaC",), ".ogg": (b"OggS",), ".opus": (b"OggS",),
    ".oga": (b"OggS",), ".mp3": (b"ID3",), ".aac": (b"ID3", b"ADIF"), ".m4a": (b"ftyp",),
    ".wma": (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11",), ".aif": (b"FORM",), ".aiff": (b"FORM",),
    ".caf": (b"caff",), ".webm": (b"\x1a\x45\xdf\xa3",), ".mka": (b"\x1a\x45\xdf\xa3",),
}


class Refused(Exception):
    def __init__(self, status: int, key: str, **values):
        super().__init__(key)
        self.status = status
        self.key = key
        self.values = values


# Windows cannot hold these in a name (productions are shared between Windows PCs)
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}


def clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", (name or "").strip())
    if (not name or name.startswith(".") or any(c in name for c in "/\\\0")
            or name != Path(name).name):
        raise Refused(400, "error.path", path=name or "?")
    if (any(c in name for c in ':<>"|?*') or any(ord(c) < 32 for c in name)
            or name.endswith(".") or len(name) > 120
            or name.split(".")[0].strip().upper() in WINDOWS_RESERVED):
        raise Refused(400, "error.filename", name=name)
    return name


def looks_like_audio(name: str, head: bytes) -> bool:
    suffix = Path(name).suffix.lower()
    wanted = SIGNATURES.get(suffix)
    if not wanted:
        return False
    if suffix == ".m4a":
        return head[4:8] == b"ftyp"
    if suffix in (".mp3", ".aac") and len(head) >= 2 and head[0] == 0xFF \
            and head[1] & 0xE0 == 0xE0:
        layer = head[1] & 0x06        # MPEG audio: 01 is Layer III; ADTS (AAC) writes 00
        return layer == (0x02 if suffix == ".mp3" else 0x00)
    if suffix == ".wav" and head[8:12] != b"WAVE":
        return False
    return head.startswith(wanted)


def audio_type(head: bytes, among: tuple[str, ...]) -> str | None:
    """The extension (of *among*, in order) whose signature *head* has, or None: what a
    file holds, whatever its name says."""
    return next((suffix for suffix in among if looks_like_audio(f"x{suffix}", head)), None)


def refuse_undecodable(path: Path, name: str, whole: bool = False) -> None:
    """Refused (415) unless ffmpeg reads *path* as audio: its header (a probe), or with
    *whole* every sample as the build will (a take is decoded whole by the next build).
    A right signature with garbage behind it is refused here, not by a later build."""
    from ..audio import decode as dec
    from ..errors import message_of

    try:
        if whole:
            if not len(dec.decode(path, 1)):
                raise dec.DecodeError("no audio samples")
        else:
            dec.probe(path)
    except dec.DecodeError as exc:
        raise Refused(415, "error.undecodable", name=name, reason=message_of(exc)) from None


def target_path(assets_dir: Path, folder: str, name: str) -> Path:
    if folder not in FOLDERS:
        raise Refused(400, "error.path", path=folder or "?")
    name = clean_name(name)
    if Path(name).suffix.lower() not in ASSET_TYPES:
        raise Refused(415, "error.type", name=name)
    base = assets_dir.resolve()
    target = (base / folder / name)
    if not target.resolve().is_relative_to(base) or (base / folder).is_symlink():
        raise Refused(400, "error.path", path=f"{folder}/{name}")
    if target.exists():
        raise Refused(409, "error.exists", path=f"audio_assets/{folder}/{name}")
    return target


def save_upload(target: Path, upload, limit: int) -> int:
    """Copy *upload* (a file object) to *target* atomically; Refused when it is not
    the audio it claims or longer than *limit*."""
    head = upload.read(64)
    if not looks_like_audio(target.name, head):
        raise Refused(415, "error.type", name=target.name)
    size = len(head)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(target) as out:   # removed, not renamed, when we raise
        out.write(head)
        while block := upload.read(1 << 20):
            size += len(block)
            if size > limit:
                raise Refused(413, "error.too_big", mb=limit // (1024 * 1024))
            out.write(block)
        out.flush()
        refuse_undecodable(Path(out.name), target.name)
    return size


def list_assets(assets_dir: Path) -> list[dict]:
    out = []
    for folder in FOLDERS:
        for path in sorted((assets_dir / folder).glob("*")):
            if path.is_file() and not path.name.startswith("."):
                out.append({"path": f"{folder}/{path.name}", "bytes": path.stat().st_size})
    return out
