"""Files in ``takes/<episode>/`` that no paragraph uses, and why, for `radio check`.

A take is named by its paragraph's id alone (``p003.wav``; the case of the name
does not matter).  Everything else in the folder is told, one warning per file,
with what to do: a take whose paragraph is gone, a copy (``p003 (1).wav``), an
id written short (``p5.wav``), a name that is no id at all, a format we do not
read.  The tool's own records (``ids.tsv``, the ``pNNN.json`` sidecars), hidden
files, the system's (``Thumbs.db``, ``desktop.ini``) and sub-folders (a place to
keep old takes) are not told.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .files import AUDIO_EXTENSIONS
from .ids import ID_PATTERN, format_id

SYSTEM_FILES = {"thumbs.db", "desktop.ini", "ids.tsv"}
_SHORT_ID = re.compile(r"^p\s*0*(\d{1,4})$", re.I)         # p5, P 05, p0003
_ID_AND_MORE = re.compile(r"^(p\d{3,4})(\W.*|_.*)$", re.I)  # p003 (1), p003-2, p003_take2


@dataclass(frozen=True)
class Stray:
    path: Path
    message: str       # one sentence, with named placeholders already filled
    hint: str


def strays(folder: Path, current: set[str], script: str, episode: str,
           used: set[Path]) -> list[Stray]:
    """Every file of *folder* that is not a used take or one of the tool's records.

    *current*: the ids of the script's paragraphs; *script*: the script as shown;
    *episode*: its name; *used*: the take files that replace a paragraph."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if not path.is_file() or name.startswith(".") or name.lower() in SYSTEM_FILES \
                or path in used or _is_sidecar(path):
            continue
        found.append(_explain(path, current, script, episode))
    return found


def _is_sidecar(path: Path) -> bool:
    return path.suffix.lower() == ".json" and bool(ID_PATTERN.match(path.stem.lower()))


def _explain(path: Path, current: set[str], script: str, episode: str) -> Stray:
    stem, ext = path.stem, path.suffix.lower()
    exts = ", ".join(AUDIO_EXTENSIONS[:4]) + ", …"
    if ext not in AUDIO_EXTENSIONS:
        return Stray(path, "{name} is not a recording radio reads".format(name=path.name),
                     "a take is a recording named by its paragraph ({exts}); move this file "
                     "out of the takes folder".format(exts=exts))
    if ID_PATTERN.match(stem.lower()):
        return Stray(path, "no paragraph {pid} in {script} (deleted?)".format(
            pid=stem.lower(), script=script),
            "move the file away, or restore the paragraph")
    if short := _SHORT_ID.match(stem):
        pid = format_id(int(short.group(1)))
        if pid in current:
            return Stray(path, "{name} is not used: ids are written with three digits".format(
                name=path.name), "did you mean {pid}{ext}? rename it".format(pid=pid, ext=ext))
    if more := _ID_AND_MORE.match(stem):
        pid = more.group(1).lower()
        if pid in current:
            return Stray(path, "{name} is not used: a take is named by its paragraph id alone"
                         .format(name=path.name),
                         "if it is the take of {pid}, rename it {pid}{ext} (one take per "
                         "paragraph: move the other away)".format(pid=pid, ext=ext))
    return Stray(path, "{name} is not named after a paragraph, so it is not used".format(
        name=path.name), "name it by the paragraph's id, e.g. p003{ext} (`radio takes {episode} "
        "--status` lists the ids)".format(ext=ext, episode=episode))
