"""An episode named on the command line: its name (``episode1``), its script's file
name (``episode1.md``) or path (``scripts/episode1.md``, ``scripts\\episode1.md`` as
typed on Windows), in any letter case and Unicode normalization.

Windows finds ``Episode1.md`` for ``episode1.md``, so a producer types either; the
episode is the script's own name (outputs are named after it), whatever was typed.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import UserError
from ..i18n import _l


def episode_name(given: str, production) -> str:
    """The episode *given* stands for; a path must be a script in the scripts folder.

    An unknown name is returned as typed (the command then lists the episodes)."""
    given = unicodedata.normalize("NFC", given)
    typed = given.replace("\\", "/")
    if "/" in typed:
        path = Path(typed)
        try:
            inside = _same_folder(path.resolve().parent, production.scripts_dir.resolve())
        except OSError:
            inside = False
        if not inside or path.suffix.lower() not in (".md", ""):
            raise UserError(_l("{path} is not a script of this production", path=given),
                            hint=_l("name an episode (episode1) or a script in scripts/ "
                                    "(scripts/episode1.md)"))
        typed = path.name
    if typed.lower().endswith(".md"):
        typed = typed[:-3]
    return _known_spelling(typed, production.episode_names())


def _same_folder(a: Path, b: Path) -> bool:
    return a == b or str(a).casefold() == str(b).casefold()


def _known_spelling(name: str, known: list[str]) -> str:
    """*name* as the episode is spelled (``Episode1`` -> ``episode1``), when exactly one
    episode has that name in another letter case (or without the spaces pasted around
    it); else *name* itself."""
    if name in known:
        return name
    same = [k for k in known if k.casefold() == name.strip().casefold()]
    return same[0] if len(same) == 1 else name


def episode_names(given, production) -> list[str]:
    """The episodes *given* name, each once (``episode1 Episode1.md`` is one episode)."""
    return list(dict.fromkeys(episode_name(g, production) for g in given))
