"""``manifest.json``, ``SHA256SUMS`` and the input fingerprint.

The manifest says what the disc is (edition, date, draft) and holds what
verification needs: every image file's size, sha256 and per-block digests
(to name the damaged sectors), every file inside the ISO, and every track's
place and sample digests.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from importlib import metadata
from pathlib import Path

from ..errors import UserError, os_reason
from ..i18n import _l
from ..fsio import sha256_file, update_both
from .model import DiscItem, DiscPlan, DiscSpec, FileRecord, IsoFileRecord, Manifest, TrackRecord

FORMAT = 1
MAX_BLOCKS = 4096          # per image file: one sector per block on small discs
BLOCK_HEX = 16             # digits kept of each block's sha256
MIN_BLOCK_SECTORS = 1
_SPEC_FIELDS = ("label", "title", "publisher", "date", "epoch", "draft", "track_gap_s",
                "tracks", "catalog", "isrc_prefix", "notes")


def input_fingerprint(spec: DiscSpec) -> str:
    """sha256 over the spec and the content of every input file (not their paths)."""
    data = {
        "format": FORMAT,
        "pycdlib": metadata.version("pycdlib"),
        "spec": {name: getattr(spec, name) for name in _SPEC_FIELDS},
        "items": [_item_fingerprint(item) for item in spec.items],
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _item_fingerprint(item: DiscItem) -> dict:
    out = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)
           if not f.name.endswith("_path")}
    out["chapters"] = [[c.title, c.start_ms] for c in item.chapters]
    for name in ("wav_path", "mp3_path", "script_path"):
        out[name] = sha256_file(getattr(item, name))
    return out


def edition_id(plan: DiscPlan, spec: DiscSpec, fingerprint: str) -> str:
    return f"{plan.label}-{spec.date}-{fingerprint[:8]}"


def file_record(path: Path, name: str, role: str, sector_bytes: int = 0) -> FileRecord:
    """Size, sha256 and (for images) one short digest per block of sectors."""
    size = path.stat().st_size
    if not sector_bytes:
        return FileRecord(name, role, size, sha256_file(path))
    sectors = -(-size // sector_bytes)
    block_sectors = max(MIN_BLOCK_SECTORS, -(-sectors // MAX_BLOCKS))
    digest, blocks = block_digests(path, sector_bytes * block_sectors)
    return FileRecord(name, role, size, digest, sector_bytes, block_sectors, tuple(blocks))


def block_digests(path: Path, block_bytes: int) -> tuple[str, list[str]]:
    whole = hashlib.sha256()
    blocks = []
    with open(path, "rb") as fh:
        while block := fh.read(block_bytes):
            digest = hashlib.sha256()
            update_both(whole, digest, block)
            blocks.append(digest.hexdigest()[:BLOCK_HEX])
    return whole.hexdigest(), blocks


def manifest_json(manifest: Manifest) -> str:
    data = dataclasses.asdict(manifest)
    data.pop("unchanged")
    data["format"] = FORMAT
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def sha256sums_text(records: list[FileRecord]) -> str:
    """``sha256sum -c`` format: ``<hex>  <name>``."""
    return "".join(f"{r.sha256}  {r.name}\n" for r in records)


def load_manifest(path: Path) -> Manifest:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.pop("format", None) != FORMAT:
            raise ValueError("another manifest format")
        return Manifest(
            **{k: v for k, v in data.items() if k not in ("files", "iso_files", "tracks",
                                                          "warnings")},
            files=tuple(FileRecord(**{**f, "blocks": tuple(f["blocks"])})
                        for f in data["files"]),
            iso_files=tuple(IsoFileRecord(**f) for f in data["iso_files"]),
            tracks=tuple(TrackRecord(**t) for t in data["tracks"]),
            warnings=tuple(data.get("warnings", ())))
    except OSError as exc:
        raise UserError(_l("cannot read the manifest: {reason}", reason=os_reason(exc)),
                        path=path, hint=_l("build the disc with `radio disc`, or give the "
                                           "manifest's path")) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise UserError(_l("the manifest is damaged or was made by another version ({reason})",
                           reason=str(exc)), path=path,
                        hint=_l("build the disc again with `radio disc`")) from None
