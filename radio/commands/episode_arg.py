"""An episode named on the command line: its name (``episode1``) or its script's path
(``scripts/episode1.md``, as a shell completes it), in any Unicode normalization."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import UserError
from ..i18n import _l


def episode_name(given: str, scripts_dir: Path) -> str:
    """The episode *given* stands for; a path must be a script in *scripts_dir*."""
    given = unicodedata.normalize("NFC", given)
    if not (given.lower().endswith(".md") or "/" in given or "\\" in given):
        return given
    path = Path(given.replace("\\", "/"))
    try:
        inside = path.resolve().parent == scripts_dir.resolve()
    except OSError:
        inside = False
    if not inside or path.suffix.lower() != ".md":
        raise UserError(_l("{path} is not a script of this production", path=given),
                        hint=_l("name an episode (episode1) or a script in scripts/ "
                                "(scripts/episode1.md)"))
    return path.stem


def episode_names(given, scripts_dir: Path) -> list[str]:
    return [episode_name(g, scripts_dir) for g in given]
