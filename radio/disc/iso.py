"""The data disc: an ISO 9660 image made with pycdlib.

Level 1 (8.3 names, which pycdlib enforces) for the oldest readers, Joliet
(Windows) and Rock Ridge 1.09 (Linux, macOS, xorriso, 7z) carrying the full
Vietnamese names.  No UDF: pycdlib claims 2.60 but writes 1.02.
"""
from __future__ import annotations

import contextlib
import io
import os
import time
from pathlib import Path
from typing import Iterator

import pycdlib

from ..errors import BuildError
from ..i18n import _l
from .model import DiscSpec, IsoEntry
from .names import iso_identifier
from .plan import SCRIPT_FOLDER_ISO, script_folder

FILE_MODE = 0o100444
DIR_MODE = 0o040555


@contextlib.contextmanager
def pinned_clock(epoch: int) -> Iterator[None]:
    """Make pycdlib stamp every date with *epoch*, in UTC.

    pycdlib takes every date in the image (volume descriptors, directory
    records, Rock Ridge TF entries) from ``time.time()`` and turns it into
    fields with ``time.localtime()``; it has no parameter for either.  So,
    for the duration of one image build only, we set ``TZ=UTC`` (and call
    ``tzset``) and swap ``time.time`` for a function returning *epoch*.  Both
    are restored in ``finally``, even when the build fails.  The swap is
    process-wide while it lasts, which is acceptable because the disc stage
    runs alone in its thread and does nothing but build the image inside it;
    patching at import time or leaving it patched would not be.
    """
    saved_tz = os.environ.get("TZ")
    saved_time = time.time
    os.environ["TZ"] = "UTC"
    time.tzset()
    time.time = lambda: float(epoch)
    try:
        yield
    finally:
        time.time = saved_time
        if saved_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved_tz
        time.tzset()


def _parents(path: str) -> list[str]:
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[:i + 1]) for i in range(len(parts))]


def write_iso(spec: DiscSpec, label: str, entries: tuple[IsoEntry, ...], target: Path) -> None:
    """Write the image to *target* (a temporary path from ``atomic_path``)."""
    iso = pycdlib.PyCdlib()
    handles: list = []
    try:
        with pinned_clock(spec.epoch):
            iso.new(interchange_level=1, vol_ident=label, sys_ident="",
                    pub_ident_str=iso_identifier(spec.publisher, 128),
                    preparer_ident_str="RADIO", app_ident_str="RADIO",
                    joliet=3, rock_ridge="1.09")
            folder = script_folder(spec.language)
            iso.add_directory(f"/{SCRIPT_FOLDER_ISO}", rr_name=folder, joliet_path=f"/{folder}",
                              file_mode=DIR_MODE)
            for entry in sorted(entries, key=lambda e: e.iso_path):
                fh = open(entry.source, "rb") if entry.source else io.BytesIO(entry.data)
                handles.append(fh)
                length = fh.seek(0, 2)
                fh.seek(0)
                iso.add_fp(fh, length, iso_path=entry.iso_path,
                           rr_name=entry.long_path.rsplit("/", 1)[-1],
                           joliet_path=entry.long_path, file_mode=FILE_MODE)
            iso.write(str(target))
    except pycdlib.pycdlibexception.PyCdlibException as exc:
        raise BuildError(_l("pycdlib could not make the data disc: {reason}",
                            reason=str(exc))) from exc
    finally:
        iso.close()
        for fh in handles:
            fh.close()


class _Hasher(io.RawIOBase):
    """A write-only file that only hashes what pycdlib writes into it."""

    def __init__(self):
        import hashlib
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        self.size += len(data)
        return len(data)


class IsoReader:
    """Read an image back with pycdlib: its files' digests and its long names.

    Opening raises ``pycdlib`` exceptions when the file system is unreadable.
    """

    def __init__(self, path: Path):
        self.iso = pycdlib.PyCdlib()
        self.iso.open(str(path))

    def __enter__(self) -> "IsoReader":
        return self

    def __exit__(self, *exc) -> None:
        self.iso.close()

    def files(self) -> dict[str, tuple[int, str, int]]:
        """ISO 9660 path (with ``;1``) → (size, sha256, first sector) of every file."""
        found: dict[str, tuple[int, str, int]] = {}
        for folder, _dirs, names in self.iso.walk(iso_path="/"):
            for name in names:
                iso_path = folder.rstrip("/") + "/" + name
                hasher = _Hasher()
                self.iso.get_file_from_iso_fp(hasher, iso_path=iso_path)
                extent = self.iso.get_record(iso_path=iso_path).extent_location()
                found[iso_path] = (hasher.size, hasher.digest.hexdigest(), extent)
        return found

    def missing_long_names(self, long_path: str) -> list[str]:
        """Which of Joliet and Rock Ridge do not resolve *long_path*."""
        missing = []
        for kind, label in (("joliet_path", "Joliet"), ("rr_path", "Rock Ridge")):
            try:
                self.iso.get_record(**{kind: long_path})
            except pycdlib.pycdlibexception.PyCdlibException:
                missing.append(label)
        return missing
