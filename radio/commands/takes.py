"""The work behind `radio takes`: status, recording script, freeze, pin; and check's summary."""
from __future__ import annotations

import re
from dataclasses import asdict

import click

from ..config import Production
from ..errors import BuildError
from ..fsio import BuildLock, write_bytes
from ..i18n import _, _l, ngettext
from ..log import Log
from ..script.model import Episode
from ..takes import ParagraphState, Takes, files
from ..takes.files import Sidecar
from ..takes.ids import text_hash

FIRST_WORDS = 8


def _episode(production: Production, name: str) -> Episode:
    from ..pipeline.prepare import load_episodes

    return load_episodes(production, [name])[0]


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def status_lines(states: list[ParagraphState]) -> list[str]:
    """`id<TAB>state<TAB>speaker<TAB>first words`, one per paragraph."""
    return [f"{s.pid}\t{s.state}\t{s.paragraph.speaker}\t{first_words(s.paragraph.text)}"
            for s in states]


def run_takes(production: Production, name: str, mode: str, options, log: Log) -> None:
    """`radio takes EPISODE [--status|--freeze|--pin]`; *options* are BuildOptions."""
    episode = _episode(production, name)
    # --status keeps stdout for its lines: anything else it has to say goes to stderr
    takes = Takes(production, _StderrLog(log) if mode == "status" else log)
    takes.register(episode)   # the ids it shows or uses stay the same across edits
    if mode == "status":
        for line in status_lines(takes.states(episode)):
            click.echo(line)
    elif mode == "freeze":
        freeze(production, episode, takes, options, log)
    elif mode == "pin":
        pin(production, episode, takes, log)
    else:
        from ..pipeline.build import load_lexicon
        from ..takes.recording_script import write_recording_script

        paths = write_recording_script(production, episode, takes.states(episode),
                                       load_lexicon(production))
        counts = _counts(takes.states(episode))
        log.info(ngettext("{episode}: recording script for {n} paragraph ({counts}): {files}",
                          "{episode}: recording script for {n} paragraphs ({counts}): {files}",
                          len(episode.paragraphs), episode=episode.name, counts=counts,
                          files=", ".join(production.rel(p) for p in paths)))


class _StderrLog:
    def __init__(self, log: Log):
        self.log = log

    def info(self, message) -> None:
        if self.log.verbosity >= 1:
            click.echo(str(message), err=True)

    def detail(self, message) -> None:
        if self.log.verbosity >= 2:
            click.echo(str(message), err=True)

    def warn(self, message) -> None:
        self.log.warn(message)


def _counts(states: list[ParagraphState]) -> str:
    states_ = [s.state for s in states]
    return _("{recorded} recorded, {stale} stale, {synthesized} synthesized",
             recorded=states_.count("take"), stale=states_.count("stale"),
             synthesized=states_.count("synth"))


def freeze(production: Production, episode: Episode, takes: Takes, options, log: Log) -> int:
    """Turn synthesized paragraphs (and stale frozen takes) into frozen FLAC takes.

    The samples are exactly those the build would use (same normalizer,
    voice, engine and speech cache), so the programme does not change.
    Recorded takes are never touched.
    """
    from ..pipeline.build import load_lexicon, make_synthesizer
    from ..pipeline.prepare import voice_of
    from ..speech.normalize import normalize

    todo = [s for s in takes.states(episode)
            if s.state == "synth" or (s.state == "stale" and s.take.frozen)]
    if not todo:
        log.info(_("{episode}: nothing to freeze: every paragraph has a current take",
                   episode=episode.name))
        return 0
    lexicon = load_lexicon(production)
    folder = takes.folder(episode)
    lock = BuildLock(production.state_dir / "lock")
    lock.acquire(on_wait=lambda: log.info(_("waiting for another build of this production...")))
    try:
        with make_synthesizer(production, options) as synth:
            for s in todo:
                p = s.paragraph
                spoken = normalize(p.text, lexicon)
                voice = voice_of(episode, p.speaker)
                speech = synth.speak(spoken, voice)
                digest = files.write_flac16(folder / f"{s.pid}.flac", speech.samples,
                                            speech.rate)
                extra = (("engine", speech.engine), ("voice", asdict(voice)),
                         ("spoken", spoken), ("rate", speech.rate))
                files.write_sidecar(folder, Sidecar(s.pid, f"{s.pid}.flac", digest, p.speaker,
                                                    p.text, text_hash(p.speaker, p.text),
                                                    True, extra))
                log.detail(_("{script}:{line}: {pid} frozen ({engine})", script=episode.path,
                             line=p.line, pid=s.pid, engine=speech.engine))
            if synth.fallbacks:
                log.warn(ngettext(
                    "Google TTS could not be reached: {n} paragraph was frozen with the offline "
                    "voice (espeak); freeze it again online if you wanted gtts",
                    "Google TTS could not be reached: {n} paragraphs were frozen with the "
                    "offline voice (espeak); freeze them again online if you wanted gtts",
                    synth.fallbacks))
    finally:
        lock.release()
    log.info(ngettext("{episode}: froze {n} paragraph into {folder}/ (FLAC + .json): commit "
                      "it with the script",
                      "{episode}: froze {n} paragraphs into {folder}/ (FLAC + .json): commit "
                      "them with the script", len(todo), episode=episode.name,
                      folder=production.rel(folder)))
    return len(todo)


def pin(production: Production, episode: Episode, takes: Takes, log: Log) -> int:
    """Write `{#pNNN}` at the end of every paragraph that has no pin yet."""
    from ..script.parser import parse_text

    path = production.script_path(episode.name)
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    ids = takes.ids(episode)
    todo = [p for p in episode.paragraphs if not p.pinned_id]
    if not todo:
        log.info(_("{script}: every paragraph is already pinned", script=episode.path))
        return 0
    parts = re.split(r"(\r\n|\r|\n)", text)      # line, ending, line, ending, ...
    for paragraph in todo:
        index = 2 * (paragraph.end_line - 1)
        content = parts[index]
        body = content.rstrip(" \t")
        parts[index] = f"{body} {{#{ids[paragraph.line]}}}{content[len(body):]}"
    pinned = "".join(parts)
    check = parse_text(pinned, episode.name, episode.path)
    expected = [(p.line, p.speaker, p.text, ids[p.line]) for p in episode.paragraphs]
    got = [(p.line, p.speaker, p.text, p.pinned_id) for p in check.paragraphs]
    if got != expected or len(check.items) != len(episode.items):
        raise BuildError(_l("pinning {script} would change more than the ids; the script was "
                            "left as it was", script=episode.path),
                         hint=_l("report this script to the developers"))
    write_bytes(path, (b"\xef\xbb\xbf" if bom else b"") + pinned.encode("utf-8"))
    log.info(ngettext("{script}: pinned {n} paragraph id as {{#pNNN}}",
                      "{script}: pinned {n} paragraph ids as {{#pNNN}}", len(todo),
                      script=episode.path))
    return len(todo)


def check_takes(production: Production, episode: Episode, log: Log) -> int:
    """`radio check`'s take summary for one episode; returns the placeholders."""
    takes = Takes(production, log)
    takes.register(episode)
    states = takes.states(episode)
    synth = [s for s in states if s.state == "synth"]
    strays = _strays(production, takes, episode)
    counts = _counts(states)
    if synth:
        ids = " ".join(s.pid for s in synth[:12]) + (" …" if len(synth) > 12 else "")
        log.info(_("  takes: {counts} (placeholders: {ids})", counts=counts, ids=ids))
    else:
        log.info(_("  takes: {counts}", counts=counts))
    if strays:
        log.info(ngettext("  {n} file in {folder}/ is not used (see the warning)",
                          "  {n} files in {folder}/ are not used (see the warnings)",
                          len(strays), folder=production.rel(takes.folder(episode))))
    for problem in takes.stale_problems(episode):
        log.warn(problem)
    for s in synth:
        log.detail(_("{script}:{line}: {pid} no take yet (synthesized)", script=episode.path,
                     line=s.paragraph.line, pid=s.pid))
    for problem in strays:
        log.warn(str(problem))
    return len(synth)


def _strays(production: Production, takes: Takes, episode: Episode) -> list:
    from ..takes.strays import strays

    current = set(takes.ids(episode).values())
    folder = takes.folder(episode)
    used = {p for pid, paths in files.take_files(folder).items() if pid in current for p in paths}
    return strays(folder, current, episode.path, episode.name, used, production.rel(folder))
