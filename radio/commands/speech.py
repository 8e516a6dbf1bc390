"""`radio normalize`, `radio say`, `radio voices`: the speech commands."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import UserError
from ..i18n import _, _l
from ..log import Log

SAY_FORMATS = (".wav", ".mp3", ".ogg", ".flac")   # what `radio say` writes, by the name's suffix

def run_normalize(text: str | None, stdin) -> None:
    from ..speech.normalize import load_lexicon, normalize

    from ..textfold import readable

    lexicon = _lexicon_here(load_lexicon)
    if text is not None:
        click.echo(normalize(readable(text), lexicon))
        return
    for line in stdin:   # a file saved on Windows: CRLF, and a BOM before its first line
        click.echo(normalize(readable(line.rstrip("\r\n")), lexicon))


def _lexicon_here(load_lexicon):
    """The production's pronunciations when run inside one, else the built-in ones."""
    from ..config import find_root

    try:
        path = find_root() / "pronunciations.tsv"
    except UserError:
        return load_lexicon(None)
    return load_lexicon(path if path.exists() else None)


def run_say(text, output: Path, speaker, episode, voice, engine, pitch, rate, log: Log,
            variant: str | None = None) -> None:
    import numpy as np

    from ..speech.cache import SpeechCache
    from ..speech.normalize import load_lexicon, normalize
    from ..speech.sayable import has_words, strip_unsayable, unsayable
    from ..speech.voice import Synthesizer, Voice

    _refuse_replacing_a_source(output)
    voice = _known_voice(voice)
    base = Voice()
    if speaker:
        from ..config import load
        from ..pipeline.prepare import load_episodes, voice_of
        from .episode_arg import episode_name

        production = load()
        named = [episode_name(episode, production)] if episode else None
        eps = load_episodes(production, named)
        owner = next((e for e in eps if speaker in {s.label for s in e.speakers}), None)
        if owner is None:   # `--speaker mc2` for MC2, when no episode tells them apart
            labels = {s.label for e in eps for s in e.speakers
                      if s.label.casefold() == speaker.casefold()}
            if len(labels) == 1:
                speaker = labels.pop()
                owner = next(e for e in eps if speaker in {s.label for s in e.speakers})
        if owner is None:
            raise UserError(_l("no episode declares speaker '{speaker}'", speaker=speaker),
                            hint=_l("name one declared in a script's front matter, e.g. MC1"))
        base = voice_of(owner, speaker)
    chosen = Voice(engine or base.engine or "espeak", voice or base.voice,
                   rate or base.rate_wpm, base.pitch if pitch is None else pitch, base.range,
                   base.variant if variant is None else variant)
    suffix = output.suffix.lower()
    if suffix not in SAY_FORMATS:
        raise UserError(_l("{name}: `radio say` writes .wav, .mp3, .ogg or .flac files",
                           name=output.name),
                        hint=_l("name the output with one of these, e.g. chao.wav"))
    spoken = normalize(text, _lexicon_here(load_lexicon))
    bad = unsayable(spoken)
    if bad:   # as a build does: left out, and said so
        log.warn(_l("no voice can say {chars}: it is skipped", chars=" ".join(bad)))
        spoken = strip_unsayable(spoken)
    if not has_words(spoken):
        raise UserError(_l("there is nothing to say: the text has no words"),
                        hint=_l("write the line in Vietnamese words, e.g. radio say "
                                "\"Xin chào\" -o chao.wav"))
    cache = SpeechCache(None)   # one line: nothing to keep, and no files beside the output
    with Synthesizer(cache, chosen.engine, forced=True) as synth:
        speech = synth.speak(spoken, chosen)
    pcm = np.asarray(speech.samples, dtype="<i2")
    if suffix == ".wav":   # the voice's own rate, as it spoke
        from ..audio.wav import header
        from ..fsio import atomic_open

        with atomic_open(output) as out:
            out.write(header(len(pcm), 1, speech.rate))
            out.write(pcm.tobytes())
    else:
        from ..audio.decode import to_rate
        from ..audio.encode import write_audio

        write_audio(output, to_rate(pcm.astype(np.float32) / 32768.0, speech.rate))
    log.info(_("wrote {output} ({seconds:.1f} s, {engine})", output=output,
               seconds=len(speech.samples) / speech.rate, engine=speech.engine))


def _known_voice(voice: str | None) -> str | None:
    """``--voice`` as espeak-ng names it (``VI`` is ``vi``), refused before anything is
    spoken when it names no voice."""
    from ..script.values import closest
    from ..speech.espeak import VOICES

    if voice is None or voice in VOICES:
        return voice
    if voice.lower() in VOICES:
        return voice.lower()
    near = closest(voice, list(VOICES))
    raise UserError(_l("--voice {voice}: espeak-ng has no such voice", voice=voice),
                    hint=_l("did you mean '{name}'?", name=near) if near else
                    _l("use one of {choices} (`radio voices` lists them)",
                       choices=", ".join(VOICES)))


def _refuse_replacing_a_source(output: Path) -> None:
    """`radio say -o` inside a production never replaces a recording (audio_assets/,
    takes/) or a built file (output/): a new file there is fine (an announcement)."""
    from ..config import Production, Settings, find_root

    try:   # the folders only: a radio.toml with a mistake does not stop `radio say`
        production = Production(find_root(), Settings())
    except UserError:
        return   # not in a production: any file the user names
    if production.source_or_built(output) and output.exists():
        raise UserError(_l("{path} is a recording or a built file of the production: `radio "
                           "say` never replaces it", path=production.rel(output)),
                        hint=_l("write the line under a new name, e.g. -o chao.wav"))


def run_voices(log: Log, all_variants: bool = False) -> None:
    import re

    from ..speech.espeak import VOICES, EspeakEngine, variants
    from ..speech.gtts_engine import HOST, GttsEngine, https_proxy, proxy_label

    with EspeakEngine() as engine:
        engine.start()
        version = engine.library_version
    click.echo(_("espeak (offline, default) — espeak-ng {version}", version=version))
    for name, description in VOICES.items():
        click.echo(_("  {name:<18} {description}; pitch 0–100 and rate 80–450 per speaker",
                     name=name, description=description))
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
    if gtts.reachable(3.0):
        state = (_("reachable through the proxy {proxy}", proxy=proxy_label(proxy)) if proxy
                 else _("reachable"))
    else:
        state = (_("NOT reachable from here through the proxy {proxy} (offline)",
                   proxy=proxy_label(proxy)) if proxy else _("NOT reachable from here (offline)"))
    click.echo(_("gtts (online, Google Translate TTS {version}) — {state}",
                 version=gtts.version, state=state))
    click.echo(_("  vi                 the only Vietnamese voice: two narrators on gtts sound "
                 "alike; pitch, rate and variant do not apply"))
