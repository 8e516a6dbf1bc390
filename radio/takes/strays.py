"""Files in ``takes/<episode>/`` that no paragraph uses, and why, for `radio check`.

A take is named by its paragraph's id alone (``p003.wav``; the case of the name
does not matter).  Everything else in the folder is told, one warning per file,
with what to do: a take whose paragraph is gone, a copy (``p003 (1).wav``), an
id written short (``p5.wav``) or as the paragraph's number (``đoạn 5.wav``), a name that is no id at all, a format we do not
read.  The tool's own records (``ids.tsv``, the ``pNNN.json`` sidecars), hidden
files, the system's (``Thumbs.db``, ``desktop.ini``) and sub-folders (a place to
keep old takes) are not told.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import Problem
from ..i18n import _l
from .files import AUDIO_EXTENSIONS
from .ids import ID_PATTERN, format_id

SYSTEM_FILES = {"thumbs.db", "desktop.ini", "ids.tsv"}
_SHORT_ID = re.compile(r"^p\s*0*(\d{1,4})$", re.I)         # p5, P 05, p0003
# the paragraph's number with a word for it, or alone: đoạn 2, Doan_02, para 3, 003
_NUMBERED = re.compile(r"^(?:đoạn|doan|đ|para(?:graph)?)?[\s_.\-]*0*(\d{1,4})$", re.I)
_ID_AND_MORE = re.compile(r"^(p\d{3,4})(\W.*|_.*)$", re.I)  # p003 (1), p003-2, p003_take2


def strays(folder: Path, current: set[str], script: str, episode: str, used: set[Path],
           shown: str) -> list[Problem]:
    """A warning for every file of *folder* that is not a used take or one of the tool's
    records.  *current*: the ids of the script's paragraphs; *script*: the script as
    shown; *episode*: its name; *used*: the take files that replace a paragraph;
    *shown*: the folder as the user sees it (takes/episode1)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if not path.is_file() or name.startswith(".") or name.lower() in SYSTEM_FILES \
                or path in used or _is_sidecar(path):
            continue
        message, hint = _explain(path, current, script, episode)
        found.append(Problem(message, f"{shown}/{name}", None, hint, "warning"))
    return found


def _is_sidecar(path: Path) -> bool:
    return path.suffix.lower() == ".json" and bool(ID_PATTERN.match(path.stem.lower()))


def _explain(path: Path, current: set[str], script: str, episode: str):
    stem, ext, name = path.stem, path.suffix.lower(), path.name
    if ext not in AUDIO_EXTENSIONS:
        return (_l("{name} is not a recording radio reads", name=name),
                _l("a take is a recording named by its paragraph ({examples}); move this file "
                   "out of the takes folder", examples=", ".join(AUDIO_EXTENSIONS[:4]) + ", …"))
    if ID_PATTERN.match(stem.lower()):
        return (_l("no paragraph {pid} in {script} (deleted?)", pid=stem.lower(), script=script),
                _l("move the file away, or restore the paragraph"))
    if (short := _SHORT_ID.match(stem)) and (pid := format_id(int(short.group(1)))) in current:
        return (_l("{name} is not used: ids are written with three digits", name=name),
                _l("did you mean {pid}{ext}? rename it", pid=pid, ext=ext))
    if (numbered := _NUMBERED.match(unicodedata.normalize("NFC", stem).strip())) \
            and (pid := format_id(int(numbered.group(1)))) in current:
        return (_l("{name} is not used: a take is named by its paragraph id alone", name=name),
                _l("did you mean {pid}{ext}? rename it", pid=pid, ext=ext))
    if (more := _ID_AND_MORE.match(stem)) and (pid := more.group(1).lower()) in current:
        return (_l("{name} is not used: a take is named by its paragraph id alone", name=name),
                _l("if it is the take of {pid}, rename it {pid}{ext} (one take per paragraph: "
                   "move the other away)", pid=pid, ext=ext))
    return (_l("{name} is not named after a paragraph, so it is not used", name=name),
            _l("name it by the paragraph's id, e.g. p003{ext} (`radio takes {episode} --status` "
               "lists the ids)", ext=ext, episode=episode))
