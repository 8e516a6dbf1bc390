"""The work behind the smaller commands: check, normalize, say, voices."""
from __future__ import annotations

import wave
from pathlib import Path

import click

from .config import Production
from .errors import UserError
from .i18n import _, _l, ngettext
from .log import Log


def run_check(production: Production, names: list[str] | None, rewrites: bool, log: Log) -> None:
    from .build import load_lexicon
    from .check import CD74_SECONDS, CD_SECONDS, check
    from .script.labels import continued_paragraphs
    from .takes.ops import check_takes
    from .targets.report import clock

    results = check(production, names, load_lexicon(production))
    total = 0.0
    placeholders = 0
    for result in results:
        ep = result.episode
        total += result.duration_s
        log.info(_("{path}: '{title}' — about {duration}, {paragraphs}, {chapters}",
                   path=ep.path, title=ep.title, duration=clock(result.duration_s * 1000),
                   paragraphs=ngettext("{n} paragraph", "{n} paragraphs", len(ep.paragraphs)),
                   chapters=ngettext("{n} chapter", "{n} chapters", len(ep.headings))))
        for warning in result.warnings:
            log.warn(str(warning))
        for note in continued_paragraphs(ep):
            log.info("  " + note)
        placeholders += check_takes(production, ep, log)
        if rewrites and result.rewrites:
            log.info(ngettext("  read aloud ({n} rewrite):", "  read aloud ({n} rewrites):",
                              len(result.rewrites)))
            for line, rw in result.rewrites:
                mark = " (spelled out: not in the acronym list)" if rw.kind == "spelled" else ""
                log.info(f"  {ep.path}:{line}: {rw.written} → {rw.spoken}{mark}")
    gaps = 2.0 * max(len(results) - 1, 0) + 2.0
    disc = total + gaps
    log.info(f"disc: about {clock(disc * 1000)} of {clock(CD_SECONDS * 1000)} on an 80-minute CD")
    if alone := [r for r in results if r.duration_s + 2.0 > CD_SECONDS]:
        raise UserError(_l("{path} alone lasts about {duration}: longer than an 80-minute CD "
                           "holds ({capacity})", path=alone[0].episode.path,
                           duration=clock(alone[0].duration_s * 1000),
                           capacity=clock(CD_SECONDS * 1000)),
                        hint=_l("shorten it, or split it into two episodes"))
    if disc > CD_SECONDS:
        raise UserError(f"the episodes need about {clock(disc * 1000)}, "
                        f"{clock((disc - CD_SECONDS) * 1000)} more than an 80-minute CD holds",
                        hint="shorten the scripts or put the episodes on two discs")
    if disc > CD74_SECONDS:
        log.warn("the disc is longer than 74 minutes: use 80-minute blanks")
    if placeholders:
        log.info(ngettext("takes: {n} placeholder paragraph is still synthesized: a disc made "
                          "now is marked as a draft",
                          "takes: {n} placeholder paragraphs are still synthesized: a disc made "
                          "now is marked as a draft", placeholders))
    log.info("no problems found")


def run_normalize(text: str | None, stdin) -> None:
    from .speech.normalize import load_lexicon, normalize

    lexicon = _lexicon_here(load_lexicon)
    if text is not None:
        click.echo(normalize(text, lexicon))
        return
    for line in stdin:
        click.echo(normalize(line.rstrip("\n"), lexicon))


def _lexicon_here(load_lexicon):
    """The production's pronunciations when run inside one, else the built-in ones."""
    from .config import find_root

    try:
        path = find_root() / "pronunciations.tsv"
    except UserError:
        return load_lexicon(None)
    return load_lexicon(path if path.exists() else None)


def run_say(text, output: Path, speaker, episode, voice, engine, pitch, rate, log: Log,
            variant: str | None = None) -> None:
    import numpy as np

    from .speech.cache import SpeechCache
    from .speech.normalize import load_lexicon, normalize
    from .speech.voice import Synthesizer, Voice

    base = Voice()
    if speaker:
        from .config import load
        from .episode import load_episodes, voice_of

        production = load()
        eps = load_episodes(production, [episode] if episode else None)
        owner = next((e for e in eps if speaker in {s.label for s in e.speakers}), None)
        if owner is None:
            raise UserError(f"no episode declares speaker '{speaker}'",
                            hint="name one declared in a script's front matter, e.g. MC1")
        base = voice_of(owner, speaker)
    chosen = Voice(engine or base.engine or "espeak", voice or base.voice,
                   rate or base.rate_wpm, base.pitch if pitch is None else pitch, base.range,
                   base.variant if variant is None else variant)
    spoken = normalize(text, _lexicon_here(load_lexicon))
    cache = SpeechCache(None)   # one line: nothing to keep, and no files beside the output
    with Synthesizer(cache, chosen.engine, forced=True) as synth:
        speech = synth.speak(spoken, chosen)
    from .fsio import atomic_path

    with atomic_path(output) as tmp:
        with wave.open(str(tmp), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(speech.rate)
            wav.writeframes(np.asarray(speech.samples, dtype="<i2").tobytes())
    log.info(f"wrote {output} ({len(speech.samples) / speech.rate:.1f} s, {speech.engine})")


def run_voices(log: Log, all_variants: bool = False) -> None:
    import re

    from .speech.espeak import VOICES, EspeakEngine, variants
    from .speech.gtts_engine import HOST, GttsEngine, https_proxy, proxy_label

    with EspeakEngine() as engine:
        engine.start()
        version = engine.library_version
    click.echo(f"espeak (offline, default) — espeak-ng {version}")
    for name, description in VOICES.items():
        click.echo(f"  {name:<18} {description}; pitch 0–100 and rate 80–450 per speaker")
    common = [v for v in variants() if re.fullmatch(r"[fm]\d", v)]
    if all_variants:
        from .voice_list import variant_lines

        for line in variant_lines(variants()):
            click.echo(line)
    else:
        click.echo(_("  variants (speaker setting `variant`, with any voice): {common} and "
                     "{more} more (`radio voices --all` lists every one)",
                     common=", ".join(common), more=len(variants()) - len(common)))
    gtts = GttsEngine(timeout_s=3)
    proxy = https_proxy(f"https://{HOST}/")
    via = f" through the proxy {proxy_label(proxy)}" if proxy else ""
    state = f"reachable{via}" if gtts.reachable(3.0) else f"NOT reachable from here{via} (offline)"
    click.echo(f"gtts (online, Google Translate TTS {gtts.version}) — {state}")
    click.echo("  vi                 the only Vietnamese voice: two narrators on gtts sound "
               "alike; pitch, rate and variant do not apply")
