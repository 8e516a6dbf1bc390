"""The recording booth (issue 23, first part): paragraphs to read, and takes accepted
from the browser saved and registered as `radio takes` does.

A take is written atomically as ``takes/<episode>/<pid>.<ext>`` (the file name the
takes code looks for) and the takes code registers it (its sidecar) at once; the
programme then rebuilds.  The take it replaces (any file of that paragraph) is a
narrator's recording: it is moved, with its sidecar, into ``takes/<episode>/replaced/``
(which the takes code ignores), never deleted.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..config import Production
from ..errors import UserError
from ..fsio import atomic_path
from ..i18n import _l
from .uploads import Refused, audio_type, looks_like_audio, refuse_undecodable

# Every format `radio takes` reads from takes/<episode>/ can be dropped on a paragraph:
# a Zalo voice message (.aac), a WhatsApp one (.opus), an iPhone memo (.m4a), a recorder's
# WAV, Chromium's own WebM.
def _take_types() -> tuple[str, ...]:
    from ..takes.files import AUDIO_EXTENSIONS
    from .uploads import SIGNATURES

    return tuple(ext for ext in AUDIO_EXTENSIONS if ext in SIGNATURES)


TAKE_TYPES = _take_types()
REPLACED = "replaced"


def booth_rows(production: Production, name: str) -> list[dict]:
    from ..errors import message_of
    from ..pipeline.build import load_lexicon
    from ..pipeline.prepare import load_episodes
    from ..pipeline.sources import AssetError
    from ..speech.normalize import normalize
    from ..speech.voice import estimated_speech_ms
    from ..takes import ParagraphState, Takes

    episode = load_episodes(production, [name])[0]
    lexicon = load_lexicon(production)
    takes = Takes(production)
    ids = takes.ids(episode)
    rows = []
    for paragraph in episode.paragraphs:
        # A paragraph whose take cannot be used (two files for it) is still listed, with
        # what is wrong: recording it again in the booth is the way out.
        pid, problem = ids[paragraph.line], None
        try:
            take = takes.take_for(episode, pid, paragraph.text)
        except AssetError as exc:
            take, problem = None, f"{message_of(exc)} — {exc.hint}" if exc.hint \
                else message_of(exc)
        state = ParagraphState(pid, paragraph, take)
        spoken = normalize(paragraph.text, lexicon)
        speaker = episode.speaker(paragraph.speaker)
        rows.append({"pid": state.pid, "line": paragraph.line, "speaker": paragraph.speaker,
                     "name": speaker.name or "", "text": paragraph.text,
                     "spoken": spoken if spoken != paragraph.text else None,
                     "expected_s": round(estimated_speech_ms(len(spoken.split()),
                                                             speaker.rate_wpm) / 1000, 1),
                     "state": state.state, "problem": problem})
    return rows


def accept_take(production: Production, name: str, pid: str, suffix: str, data: bytes) -> str:
    """Save *data* as paragraph *pid*'s take and register it; its state ("take")."""
    from ..pipeline.prepare import load_episodes
    from ..takes import Takes, files

    episode = load_episodes(production, [name])[0]
    takes = Takes(production)
    ids = takes.ids(episode)
    if pid not in ids.values():
        raise UserError(_l("{name} has no paragraph {pid}", name=name, pid=pid),
                        hint=_l("choose one of the booth's list"))
    suffix = suffix.lower()
    if suffix not in TAKE_TYPES or not looks_like_audio(f"x{suffix}", data[:64]):
        # named for another format (a phone app's M4A called .mp3): saved as what it holds
        suffix = audio_type(data[:64], TAKE_TYPES) or suffix
    if suffix not in TAKE_TYPES or not looks_like_audio(f"x{suffix}", data[:64]):
        raise Refused(415, "error.type", name=f"{pid}{suffix}")
    takes.register(episode)   # the ids first: a new file must not be taken for a new id
    folder = takes.folder(episode)
    target = folder / f"{pid}{suffix}"
    with atomic_path(target) as tmp:   # published only once it decodes: a broken upload
        tmp.write_bytes(data)          # must not replace a good take
        refuse_undecodable(tmp, f"{pid}{suffix}", whole=True)
        keep_replaced(folder, pid, files.take_files(folder).get(pid, []))
        # accepted for the paragraph as it reads now, even when the bytes are the old
        # take's (dropped again after a typo fix): its sidecar is written anew below
        files.sidecar_path(folder, pid).unlink(missing_ok=True)
    paragraph = next(p for p in episode.paragraphs if ids[p.line] == pid)
    fresh = Takes(production)
    take = fresh.take_for(episode, pid, paragraph.text)
    fresh.register(episode)   # the ids and the new take's sidecar, as `radio takes` writes them
    return take.state if take else "synth"


def keep_replaced(folder: Path, pid: str, old: list[Path]) -> None:
    """Move paragraph *pid*'s earlier take files (and a copy of its sidecar) into
    ``replaced/`` as ``<pid>-<date>-<time>[-n].<ext>``: re-recording never loses one."""
    import shutil
    import time

    if not old:
        return
    keep = folder / REPLACED
    keep.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for path in old:
        n, stem = 1, f"{pid}-{stamp}"
        while (keep / f"{stem}{path.suffix.lower()}").exists() or (keep / f"{stem}.json").exists():
            n += 1
            stem = f"{pid}-{stamp}-{n}"
        sidecar = folder / f"{pid}.json"
        if sidecar.is_file():
            shutil.copy2(sidecar, keep / f"{stem}.json")
        os.replace(path, keep / f"{stem}{path.suffix.lower()}")
