"""The script editor's server side: check a text as typed, save it without losing
a change made on disk meanwhile, and find the paragraphs a save changed.

The file on disk stays the source of truth: the page sends the SHA-256 of the
text it started from; a save whose base is not what is on disk any more is
refused as a conflict with both versions returned, and the producer chooses.
"""
from __future__ import annotations

import difflib
import hashlib
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..config import Production
from ..errors import ProblemsError, RadioError, UserError
from ..fsio import write_text
from ..i18n import _l
from ..script.model import Paragraph
from .episodes import problem_dict, problems_of


@dataclass(frozen=True)
class Saved:
    sha: str
    changed: tuple[Paragraph, ...]    # paragraphs of the new text whose words changed
    episode: object | None            # the parsed new text (None when it has errors)


# One save at a time: comparing the base with the disk and writing must be one step,
# or two tabs saving together both pass the check and one loses its text unseen.
SAVE_LOCK = threading.Lock()


class Conflict(Exception):
    def __init__(self, disk_text: str, disk_sha: str):
        super().__init__("the file changed on disk")
        self.disk_text = disk_text
        self.disk_sha = disk_sha


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_script(production: Production, name: str) -> tuple[str, str]:
    """(text, sha) of the episode's script as it is on disk; UserError, as `radio check`
    words it, for a script in UTF-16 or a legacy 8-bit encoding (VNI, TCVN3, cp1258)."""
    from ..script.encoding import decode_script

    path = production.script_path(name)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(_l("{path} does not exist", path=production.rel(path))) from None
    text = decode_script(raw, production.rel(path))
    return text, sha(text)


def parse(production: Production, name: str, text: str):
    from ..script.parser import parse_text

    return parse_text(text, name, production.rel(production.script_path(name)))


def check_text(production: Production, name: str, text: str) -> list[dict]:
    """Every problem and warning of *text* as episode *name*, with its line (nothing written)."""
    from ..pipeline.build import load_lexicon, make_synthesizer
    from ..pipeline.options import BuildOptions
    from ..pipeline.check import check_episode
    from ..pipeline.sources import SourceStore
    from ..takes import Takes

    try:
        episode = parse(production, name, text)
        lexicon = load_lexicon(production)
        store = SourceStore(production.cache_dir / "sources")
        takes = Takes(production)   # only asked: nothing is registered for unsaved text
        with make_synthesizer(production, BuildOptions()) as synth:
            synth.cache_only = True    # checking never synthesizes
            result = check_episode(production, episode, store, lexicon, synth, takes)
    except RadioError as exc:
        return problems_of(exc)
    try:   # as `radio check` warns: a take recorded for the text before this edit
        stale = takes.stale_problems(episode)
    except RadioError as exc:
        stale = getattr(exc, "problems", None) or [exc.problem]
    return [problem_dict(p) for p in [*result.warnings, *stale]]


def _words(paragraph: Paragraph) -> tuple[str, str]:
    return paragraph.speaker, " ".join(unicodedata.normalize("NFC", paragraph.text).split())


def changed_paragraphs(before, after) -> tuple[Paragraph, ...]:
    """Paragraphs of episode *after* that are new or reworded against *before*."""
    old = [_words(p) for p in before.paragraphs] if before is not None else []
    new = [_words(p) for p in after.paragraphs]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    changed = []
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            changed += after.paragraphs[j1:j2]
    return tuple(changed)


def save_script(production: Production, name: str, text: str, base_sha: str | None) -> Saved:
    """Write *text* atomically unless the file changed since *base_sha* (Conflict).

    Saving the very text that is on disk is no conflict whatever the base (a second
    Ctrl-S while the first save was under way)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    with SAVE_LOCK:
        disk_text, disk_sha = read_script(production, name)
        if text == disk_text:
            return Saved(disk_sha, (), None)
        if base_sha != disk_sha:
            raise Conflict(disk_text, disk_sha)
        path: Path = production.script_path(name)
        write_text(path, text)
    try:
        before = parse(production, name, disk_text)
    except RadioError:
        before = None
    try:
        after = parse(production, name, text)
    except (ProblemsError, RadioError):
        return Saved(sha(text), (), None)
    return Saved(sha(text), changed_paragraphs(before, after), after)
