"""Recorded narration: takes replace synthesized paragraphs.

``Takes`` is what the render stage asks (``ids`` and ``take_for``); it keeps
the paragraph ids in ``takes/<episode>/ids.tsv`` (see ``ids.py``) and reads
take files and their sidecars (see ``files.py``).  ``states`` gives every
paragraph's state: ``take`` (a current recording), ``stale`` (recorded for an
older text: still used, with a warning, unless ``--strict``) or ``synth`` (no
take: the synthesized voice is a placeholder).  The commands behind
``radio takes`` are in ``radio.commands.takes``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..config import Production
from ..errors import Problem, ProblemsError, UserError, message_of, raise_if_errors
from ..i18n import _, _l
from ..pipeline.sources import AssetError, Source, SourceStore
from ..script.model import Episode, Paragraph
from . import files
from .files import Sidecar
from .ids import assign, read_records, same_reading, save_records, text_hash


@dataclass(frozen=True)
class Take:
    pid: str
    path: Path
    state: str                # "take" (current) or "stale"
    frozen: bool
    file_sha256: str
    recorded_text: str        # the text it was recorded for

    def source(self, store: SourceStore) -> Source:
        return files.take_source(store, self.path, self.file_sha256, self.frozen)


@dataclass(frozen=True)
class ParagraphState:
    pid: str
    paragraph: Paragraph
    take: Take | None

    @property
    def state(self) -> str:
        return self.take.state if self.take else "synth"


class Takes:
    """Paragraph ids and takes of a production's episodes.

    Its questions (``ids``, ``take_for``, ``states``...) only read.  Writing
    what they learned into the production is the explicit step ``register``:
    ``ids.tsv`` when the assignment changed, and a sidecar for every take seen
    for the first time (or whose bytes changed).  Commands that show or use ids
    register them, so that the ids stay the same across edits.
    """

    def __init__(self, production: Production, log=None):
        self.production = production
        self.log = log
        self._ids: dict[str, dict[int, str]] = {}
        self._paragraphs: dict[tuple[str, str], Paragraph] = {}
        self._takes: dict[tuple[str, str], Take | None] = {}
        self._records: dict[str, tuple[Path, list]] = {}      # ids.tsv to write
        self._sidecars: dict[tuple[str, str], tuple[Path, Sidecar]] = {}   # new sidecars
        self._single: set[str] = set()    # episodes with one takes folder at most

    def folder(self, episode: Episode | str) -> Path:
        """takes/<episode>/, also when it is named in another letter case or Unicode form
        (``takes/Episode1/``, as Windows finds it, or copied from a Mac)."""
        from ..pipeline.fsnames import CaseTwins, NameTwins, find_nfc

        name = getattr(episode, "name", episode)
        exact = self.production.takes_dir / name
        self._refuse_twins(name)
        if exact.is_dir():
            return exact
        try:
            found = find_nfc(self.production.takes_dir, name)
        except (CaseTwins, NameTwins):
            found = None
        return found if found is not None and found.is_dir() else exact

    def _refuse_twins(self, name: str) -> None:
        """Two folders with files for one episode (``takes/Tập 2/`` and the same name
        copied from a Mac, its accents stored apart; or two letter cases): the takes of
        one would be left out without a word, so nothing goes on until they are one."""
        import unicodedata

        if name in self._single:
            return

        def key(text: str) -> str:
            return unicodedata.normalize("NFC", text).casefold()

        root = self.production.takes_dir
        try:
            entries = sorted(os.listdir(root))
        except OSError:
            return
        twins = [n for n in entries if key(n) == key(name) and (root / n).is_dir()
                 and any(not f.startswith(".") and f.lower() not in ("thumbs.db",
                                                                    "desktop.ini")
                         for f in os.listdir(root / n))]
        if len(twins) < 2:
            self._single.add(name)
            return
        twins.sort(key=lambda n: (not unicodedata.is_normalized("NFC", n), n))
        shown = ", ".join(f"takes/{n}/" + ("" if unicodedata.is_normalized("NFC", n)
                                            else " (NFD)") for n in twins)
        raise UserError(
            _l("takes/ holds {count} folders for the episode {episode}: {names}; their names "
               "differ only in letter case or in how the accents are stored (a copy from a "
               "Mac), and the takes of one would be left out", count=len(twins),
               episode=name, names=shown),
            hint=_l("move the files of one into the other, then delete the empty folder"))

    def ids(self, episode: Episode) -> dict[int, str]:
        """{paragraph line: id}, kept stable across edits (ids.tsv)."""
        if episode.name in self._ids:
            return self._ids[episode.name]
        folder = self.folder(episode)
        tsv = folder / "ids.tsv"
        reserved = set(files.take_files(folder)) | {p.stem for p in folder.glob("p*.json")}
        ids, records, problems = assign(episode.paragraphs, read_records(tsv), episode.path,
                                        reserved)
        raise_if_errors(problems)
        self._records[episode.name] = (tsv, records)
        mapping = {}
        for paragraph, pid in zip(episode.paragraphs, ids):
            mapping[paragraph.line] = pid
            self._paragraphs[(episode.name, pid)] = paragraph
        self._ids[episode.name] = mapping
        return mapping

    def take_for(self, episode: Episode, pid: str, text: str) -> Take | None:
        """The take replacing paragraph *pid*, or None; AssetError when ambiguous."""
        key = (episode.name, pid)
        if key in self._takes:
            return self._takes[key]
        self.ids(episode)
        paragraph = self._paragraphs.get(key)
        speaker = paragraph.speaker if paragraph else ""
        found = files.take_files(self.folder(episode)).get(pid, [])
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise AssetError(_l("{pid} has {count} takes: {names}", pid=pid, count=len(found),
                                names=names),
                             _l("keep one take per paragraph: delete or rename the others"))
        take = self._take(episode, pid, found[0], speaker, text) if found else None
        self._takes[key] = take
        return take

    def _take(self, episode: Episode, pid: str, path: Path, speaker: str, text: str) -> Take:
        folder = path.parent
        digest = files.sha256_file(path)
        current = text_hash(speaker, text)
        sidecar = files.read_sidecar(folder, pid)
        if sidecar is None or sidecar.file_sha256 != digest or sidecar.file != path.name:
            sidecar = Sidecar(pid, path.name, digest, speaker, text, current)
            self._sidecars[(episode.name, pid)] = (path, sidecar)
        # retyped by a word processor (curly quotes, dashes...): read the same, still current
        same = sidecar.text_hash == current or (sidecar.speaker == speaker
                                                and same_reading(sidecar.text, text))
        state = "take" if same else "stale"
        return Take(pid, path, state, sidecar.frozen, digest, sidecar.text)

    def register(self, episode: Episode) -> None:
        """Write the ids and the new takes' sidecars of *episode* into the production.

        Takes that cannot be used (two files for one paragraph) are left for
        ``states`` and the build to report.
        """
        ids = self.ids(episode)
        for paragraph in episode.paragraphs:
            try:
                self.take_for(episode, ids[paragraph.line], paragraph.text)
            except AssetError:
                pass
        tsv, records = self._records[episode.name]
        if save_records(tsv, records, episode.path) and self.log:
            self.log.detail(_("{path}: paragraph ids updated", path=self.production.rel(tsv)))
        for (name, pid), (path, sidecar) in list(self._sidecars.items()):
            if name != episode.name:
                continue
            files.write_sidecar(path.parent, sidecar)
            del self._sidecars[(name, pid)]
            if self.log:
                line = self._paragraphs[(episode.name, pid)].line
                self.log.info(_("{path}: new take registered for {script}:{line} ({pid})",
                                path=self.production.rel(path), script=episode.path,
                                line=line, pid=pid))

    def states(self, episode: Episode) -> list[ParagraphState]:
        """Every paragraph with its id and take, in script order."""
        ids = self.ids(episode)
        out, problems = [], []
        for paragraph in episode.paragraphs:
            pid = ids[paragraph.line]
            try:
                take = self.take_for(episode, pid, paragraph.text)
            except AssetError as exc:
                problems.append(Problem(message_of(exc), episode.path, paragraph.line,
                                        exc.hint))
                take = None
            out.append(ParagraphState(pid, paragraph, take))
        raise_if_errors(problems)
        return out

    def stale_problems(self, episode: Episode, severity: str = "warning") -> list[Problem]:
        problems = []
        for s in self.states(episode):
            if s.state == "stale":
                problems.append(Problem(
                    _l("{pid} stale take: the text changed since {path} was recorded",
                       pid=s.pid, path=self.production.rel(s.take.path)), episode.path,
                    s.paragraph.line,
                    _l("record {pid} again (`radio takes {episode}` prints the script) or "
                       "restore the old text", pid=s.pid, episode=episode.name), severity))
        return problems

    def review(self, episode: Episode, strict: bool = False) -> None:
        """Before a build: warn about stale takes, or refuse them with --strict."""
        if strict:
            problems = self.stale_problems(episode, "error")
            if problems:
                raise ProblemsError(problems)
            return
        for problem in self.stale_problems(episode):
            if self.log:
                self.log.warn(problem)


def refuse_stale(production: Production, episodes: list[Episode]) -> None:
    """`radio build --strict`: stop on the stale takes of all *episodes*, listed together."""
    takes = Takes(production)
    for episode in episodes:
        takes.register(episode)
    problems = [p for episode in episodes for p in takes.stale_problems(episode, "error")]
    if problems:
        raise ProblemsError(problems)


def placeholders(production: Production, episode: Episode | str) -> int:
    """How many paragraphs of *episode* have no take (synthesized placeholders).

    A question only: it writes neither ids.tsv nor sidecars.
    """
    if isinstance(episode, str):
        from ..pipeline.prepare import load_episodes

        episode = load_episodes(production, [episode])[0]
    return sum(s.state == "synth" for s in Takes(production).states(episode))
