"""The command line: thin click functions that parse options and call one function."""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .audio.presets import PRESET_NAMES
from .errors import BUILD, USAGE, BuildError, RadioError, UserError
from .i18n import _, _l
from .i18n_click import Group, Option, option
from .log import Log
from .speech.engines import ENGINE_NAMES


class Context:
    def __init__(self, verbosity: int, debug: bool):
        self.log = Log(verbosity)
        self.debug = debug

    def production(self):
        from .config import load

        return load()


pass_ctx = click.make_pass_decorator(Context)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"],
                                          # `radio Build --Preset WEB`, as typed on Windows
                                          "token_normalize_func": str.lower},
             help=_l("Turn Vietnamese radio scripts into finished programmes and CD images.\n\n"
                     "Run it inside a production (a folder with radio.toml) or any folder "
                     "below it."))
@click.version_option(__version__, prog_name="radio", cls=Option,
                      help=_l("Show the version and exit."))
@option("-q", "--quiet", is_flag=True, help=_l("Say only warnings and errors."))
@option("-v", "--verbose", is_flag=True, help=_l("Say more (cache hits, skipped steps)."))
@option("--debug", is_flag=True, help=_l("Show tracebacks for errors."))
@option("--lang", type=click.Choice(["vi", "en"]), expose_value=False,
        help=_l("Language of the messages (anywhere on the command line; default: [ui] "
                "language in radio.toml, else the system's language)."))
@click.pass_context
def cli(ctx, quiet, verbose, debug):
    ctx.obj = Context(0 if quiet else 2 if verbose else 1, debug)


@cli.command()
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@pass_ctx
def init(ctx, path):
    """Create a new production at PATH with an example script and its assets.

    Example: radio init chuyen-de-moi
    """
    from .commands.init import init_production

    init_production(path, ctx.log)


@cli.command()
@click.argument("episodes", nargs=-1)
@option("--all", "all_", is_flag=True, help="Build every episode.")
@option("--preset", type=click.Choice(PRESET_NAMES),
              help="Loudness preset (default: radio.toml).")
@option("--engine", type=click.Choice(ENGINE_NAMES),
              help="Speech engine for every speaker (default: radio.toml / front matter).")
@option("--offline", is_flag=True, help="Never touch the network (espeak only).")
@option("--no-cache", is_flag=True, help="Synthesize again instead of using the cache.")
@option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Episodes built in parallel (default: the number of cores).")
@option("--strict", is_flag=True, help="A stale take (recorded for an older text) "
              "is an error instead of a warning.")
@pass_ctx
def build(ctx, episodes, all_, preset, engine, offline, no_cache, jobs, strict):
    """Build EPISODES (or --all): speech, mix, master, WAV + MP3 + report.

    Example: radio build episode1      radio build --all --preset broadcast
    """
    from .pipeline.build import build as run
    from .pipeline.options import BuildOptions

    if not episodes and not all_:
        raise click.UsageError(_("name an episode (e.g. radio build episode1) or use --all"))
    if episodes and all_:   # which one was meant: every episode, or those named?
        raise click.UsageError(_("name episodes or use --all, not both (radio build --all "
                                 "builds every episode)"))
    options = BuildOptions.from_names(preset, engine, offline=offline, use_cache=not no_cache,
                                      jobs=jobs or default_jobs(), strict=strict)
    production = ctx.production()
    results = run(production, _episodes(production, episodes) or None, options, ctx.log)
    if not any(r.rebuilt for r in results):
        ctx.log.info(_("everything is up to date"))


@cli.command()
@click.argument("episode")
@option("--status", is_flag=True,
              help="One line per paragraph: id, state (take/stale/synth), speaker, first words.")
@option("--freeze", is_flag=True,
              help="Turn the synthesized voice into takes (FLAC), so a release never changes.")
@option("--pin", is_flag=True,
              help="Write the ids into the script as {#p001} at the end of each paragraph.")
@option("--engine", type=click.Choice(ENGINE_NAMES),
              help="With --freeze: the engine to freeze (default: as radio build).")
@option("--offline", is_flag=True, help="With --freeze: espeak only.")
@pass_ctx
def takes(ctx, episode, status, freeze, pin, engine, offline):
    """Recorded narration: the recording script for EPISODE, or --status/--freeze/--pin.

    Without an option it writes output/EPISODE/EPISODE.takes.html and .takes.txt
    for the narrators.  A take is takes/EPISODE/p003.wav (any format).

    Example: radio takes episode1      radio takes episode1 --status
    """
    from .commands.takes import run_takes
    from .pipeline.options import BuildOptions

    modes = [name for name, given in (("status", status), ("freeze", freeze), ("pin", pin))
             if given]
    if len(modes) > 1:   # e.g. --status --pin must not quietly rewrite the script
        raise click.UsageError(_("--status, --freeze and --pin do different things: give "
                                 "one of them"))
    mode = modes[0] if modes else None
    options = BuildOptions.from_names(engine=engine, offline=offline)
    production = ctx.production()
    run_takes(production, _episodes(production, [episode])[0], mode or "script", options,
              ctx.log)


@cli.command()
@click.argument("episodes", nargs=-1)
@option("--rewrites/--no-rewrites", default=True, help="List every text rewrite.")
@pass_ctx
def check(ctx, episodes, rewrites):
    """Lint scripts: cues, speakers, assets, trims, text, durations, CD capacity.

    Example: radio check            radio check episode1
    """
    from .commands.check import run_check

    production = ctx.production()
    run_check(production, _episodes(production, episodes) or None, rewrites, ctx.log)


@cli.command()
@click.argument("text", required=False)
@pass_ctx
def normalize(ctx, text):
    """Show how TEXT will be read aloud (reads lines from stdin without TEXT).

    Example: radio normalize "Kinh phí: 35.500.000đ"
    """
    from .commands.speech import run_normalize

    run_normalize(text, sys.stdin)


@cli.command()
@click.argument("text")
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Audio file to write: .wav, .mp3, .ogg or .flac.")
@option("--speaker", help="A speaker of EPISODE's front matter, e.g. MC2.")
@option("--episode", help="Episode whose speakers --speaker refers to.")
@option("--voice", default=None, help="espeak voice: vi, vi-vn-x-central, vi-vn-x-south.")
@option("--engine", type=click.Choice(ENGINE_NAMES), default=None)
@option("--pitch", type=click.IntRange(0, 100), default=None)
@option("--rate", type=click.IntRange(80, 450), default=None, help="Words per minute.")
@option("--variant", default=None, help="espeak voice variant, e.g. f2, m3 (radio voices).")
@pass_ctx
def say(ctx, text, output, speaker, episode, voice, engine, pitch, rate, variant):
    """Speak one line to an audio file (.wav, .mp3, .ogg or .flac).

    Example: radio say "Xin chào Hà Tĩnh" -o chao.wav --voice vi-vn-x-central
    """
    from .commands.speech import run_say

    run_say(text, output, speaker, episode, voice, engine, pitch, rate, ctx.log, variant)


@cli.command()
@option("--all", "all_", is_flag=True, help="List every espeak-ng voice variant.")
@pass_ctx
def voices(ctx, all_):
    """List the engines and voices available here, and whether gTTS is reachable.

    Example: radio voices            radio voices --all
    """
    from .commands.speech import run_voices

    run_voices(ctx.log, all_)


@cli.command()
@click.argument("episode")
@option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@option("--open", "open_", is_flag=True, help="Open the page in the web browser.")
@option("--preset", type=click.Choice(PRESET_NAMES),
              help="Loudness preset (default: radio.toml).")
@option("--offline", is_flag=True, help="Never touch the network (espeak only).")
@option("--from", "start", metavar="TIME", help="Excerpt: start, e.g. 1:30.")
@option("--to", "end", metavar="TIME", help="Excerpt: end, e.g. 2:45.")
@option("--segment", type=click.IntRange(1, None), metavar="N",
              help="Excerpt: segment N of the report (1-based).")
@option("--final", is_flag=True,
              help="Excerpt: cut from the finished build (radio build) instead.")
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Excerpt: the WAV file to write.")
@pass_ctx
def preview(ctx, episode, port, open_, preset, offline, start, end, segment, final, output):
    """Live preview of EPISODE in the browser, rebuilt on every edit; or an excerpt.

    Example: radio preview episode1 --open
             radio preview episode1 --from 1:30 --to 2:45 -o excerpt.wav
    """
    from .pipeline.options import BuildOptions
    from .preview import ExcerptRequest, run

    options = BuildOptions.from_names(preset, offline=offline)
    excerpt = ExcerptRequest(output, start, end, segment, final)
    production = ctx.production()
    run(production, _episodes(production, [episode])[0], options, port=port, open_browser=open_, excerpt=excerpt,
        log=ctx.log, debug=ctx.debug)


@cli.command()
@option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; another than this computer's needs a password "
                   "and serves HTTPS.")
@option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@option("--cert", type=click.Path(dir_okay=False, path_type=Path),
              help="HTTPS certificate (PEM) for a LAN address; default: self-signed in .radio/.")
@option("--key", type=click.Path(dir_okay=False, path_type=Path),
              help="The certificate's private key (PEM).")
@option("--allow-host", multiple=True, help="Another name the studio is reached by.")
@option("--open", "open_", is_flag=True, help="Open the page in the web browser.")
@option("--set-password", is_flag=True, help="Set the login password and stop.")
@pass_ctx
def studio(ctx, host, port, cert, key, allow_host, open_, set_password):
    """The whole production in the browser: episodes, script editor, recordings,
    pronunciations, builds and the disc.

    Example: radio studio --open      radio studio --host 0.0.0.0 (after --set-password)
    """
    from .studio import StudioOptions, page_language, run_studio, set_password_interactive

    if set_password:
        return set_password_interactive(ctx.production(), lambda: click.prompt(
            "Password", hide_input=True, confirmation_prompt=True), ctx.log)
    run_studio(ctx.production(), StudioOptions(host, port, cert, key, open_, page_language(),
                                               tuple(allow_host)), ctx.log)


@cli.command()
@click.argument("episodes", nargs=-1)
@option("--preset", type=click.Choice(PRESET_NAMES),
              help="Use the masters of this preset (default: radio.toml).")
@option("--offline", is_flag=True, help="Never touch the network (espeak only).")
@option("-j", "--jobs", type=click.IntRange(1, 64), default=None)
@pass_ctx
def disc(ctx, episodes, preset, offline, jobs):
    """Master the CD images into output/disc/: data ISO, audio-CD BIN/CUE/TOC,
    SHA256SUMS and manifest.json (building out-of-date episodes first).

    Example: radio disc            radio disc episode1 episode2
    """
    from .commands.disc import make_disc
    from .pipeline.options import BuildOptions

    options = BuildOptions.from_names(preset, offline=offline, jobs=jobs or default_jobs())
    production = ctx.production()
    make_disc(production, _episodes(production, episodes) or None, options, ctx.log)


@cli.command(help=_l("Build with the web preset and write the portal's static site to "
                     "output/web/: pages, podcast feed, VTT/SRT transcripts, chapters.\n\n"
                     "Example: radio publish --base-url https://example.gov.vn/podcast/"))
@option("--base-url", help=_l("Where output/web/ will be served (default: [web] base_url); "
                              "the podcast feed needs it."))
@option("--allow-draft", is_flag=True, help=_l("Publish a draft, marked as one on every page."))
@option("--offline", is_flag=True, help="Never touch the network (espeak only).")
@option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
        help=_l("Episodes built in parallel (default: the number of cores)."))
@pass_ctx
def publish(ctx, base_url, allow_draft, offline, jobs):
    from .web import publish as run

    run(ctx.production(), base_url, allow_draft, jobs or default_jobs(), ctx.log,
        offline=offline)


@cli.command()
@click.argument("image", type=click.Path(dir_okay=False, path_type=Path))
@option("--manifest", type=click.Path(dir_okay=False, path_type=Path),
              help="manifest.json to check against (default: beside the image).")
@pass_ctx
def verify(ctx, image, manifest):
    """Re-read an image (.iso, .cue/.bin/.toc, or a disc read back with cdrdao) and
    check every byte against the manifest. Exit 0 only when everything matches.

    Example: radio verify output/disc/CAM_OCOP_NHAP.cue
    """
    from .commands.disc import run_verify

    if not run_verify(image, manifest, ctx.log):
        raise BuildError(_l("the image does not match its manifest (see above)"))


@cli.command()
@click.argument("image", type=click.Path(dir_okay=False, path_type=Path))
@option("--device", help="The burner, e.g. /dev/sr0 (default: the first one found).")
@option("--copies", type=click.IntRange(1, 500), default=1, show_default=True)
@option("--simulate", is_flag=True, help="Burn with the laser off (a test run).")
@option("--dry-run", is_flag=True, help="Print the exact commands; run nothing.")
@pass_ctx
def burn(ctx, image, device, copies, simulate, dry_run):
    """Write IMAGE to discs: a .toc/.cue with cdrdao (audio CD), an .iso with xorriso.
    Each copy is read back and verified where the drive allows; see burn.log.
    A disc on the dispatch list (radio distribute) gives each copy its copy id.

    Example: radio burn output/disc/CAM_OCOP_NHAP.toc --copies 20
    """
    from .disc import burn as run
    from .distribute import copy_assigner

    run(image, device, copies, simulate, dry_run, log=click.echo,
        prompt=lambda text: click.prompt(text, default="", show_default=False,
                                         prompt_suffix=""),
        assign=copy_assigner(image))


@cli.command()
@option("--allow-draft", is_flag=True,
              help="Distribute a draft for a test: everything then says BẢN NHÁP.")
@option("--confirm-emergency", is_flag=True,
              help="Confirm the stations with priority khẩn cấp (played at once).")
@option("--offline", is_flag=True, help="Never touch the network (espeak only).")
@option("-j", "--jobs", type=click.IntRange(1, 64), default=None)
@pass_ctx
def distribute(ctx, allow_draft, confirm_emergency, offline, jobs):
    """Packages for every station in stations.csv: IP upload packages, discs with
    labels and case inserts, the broadcast schedule and the dispatch list, in
    output/distribution/ (building out-of-date episodes first).

    Example: radio distribute      radio distribute --allow-draft
    """
    from .distribute import Request, run_distribute

    request = Request(allow_draft, confirm_emergency, jobs or default_jobs(), offline)
    run_distribute(ctx.production(), request, ctx.log)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@option("--from", "source", required=True,
              type=click.Choice(["cp1258", "vni", "tcvn3", "viqr", "utf-16"],
                                case_sensitive=False),
              help="The encoding FILE is in: cp1258 (Windows-1258), vni (VNI-Windows), "
                   "tcvn3 (TCVN3/ABC, .Vn fonts), viqr (VIQR: 'Vie^.t Nam') or utf-16 "
                   "(Notepad's 'Unicode').")
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the UTF-8 text here (default: standard output).")
@option("--in-place", is_flag=True,
              help="Replace FILE by its UTF-8 version, keeping the original as FILE.orig.")
@pass_ctx
def convert(ctx, file, source, output, in_place):
    """Convert a script from a legacy Vietnamese encoding to UTF-8 (NFC).

    Example: radio convert scripts/episode1.md --from vni --in-place
    """
    from .commands.convert import run_convert

    run_convert(file, source.lower(), output, in_place, ctx.log)


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@option("--episode", metavar="NAME",
              help="Write scripts/NAME.md (default: a name made from FILE's name).")
@option("--force", is_flag=True, help="Replace scripts/NAME.md if it exists.")
@pass_ctx
def import_(ctx, file, episode, force):
    """Turn a script written in Word (.docx; .odt/.doc via LibreOffice; .txt) into
    scripts/NAME.md: speakers, chapters, stage directions as cues; TCVN3 and VNI
    fonts converted to Unicode.

    Example: radio import "Kich ban so 3.docx" --episode episode3
    """
    from .script.import_files import run_import

    run_import(ctx.production(), file, episode, force, ctx.log)


def _episodes(production, given) -> list[str]:
    """Episode names, or scripts' paths (scripts/episode1.md), as episode names."""
    from .commands.episode_arg import episode_names

    return episode_names(given, production)


def default_jobs() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def main(argv=None) -> int:
    """Run the command line in the interface language (``--lang`` anywhere in *argv*,
    then ``[ui] language``, then the locale), writing UTF-8 whatever the console."""
    from .i18n import choose_language, interface, split_lang_option, utf8_streams

    utf8_streams()
    lang, args, bad = split_lang_option(list(argv if argv is not None else sys.argv[1:]))
    with interface(choose_language(lang)):
        if bad is not None:
            return _report(UserError(_l("--lang must be vi or en, not '{value}'", value=bad)),
                           debug=False)
        return _run(args)


def _run(args: list[str]) -> int:
    from .commands.argv import hoist_global_flags

    args = hoist_global_flags(args)   # `radio build --all -q` as `radio -q build --all`
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="radio", standalone_mode=False)
        return 0
    except RadioError as exc:
        return _report(exc, debug)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code if exc.exit_code else USAGE
    except click.exceptions.Abort:
        click.echo(_("aborted"), err=True)
        return 130
    except KeyboardInterrupt:
        click.echo(_("interrupted"), err=True)
        return 130
    except Exception as exc:  # a bug: say so plainly, traceback only with --debug
        if debug:
            traceback.print_exc()
        click.echo(_("error: internal error: {error} (run with --debug and report it)",
                     error=repr(exc)), err=True)
        return BUILD


def _report(exc: RadioError, debug: bool) -> int:
    """Show *exc* in the interface language: one line per problem."""
    if debug:
        traceback.print_exc()
    for line in exc.format_message().splitlines():
        located = exc.problem.path is not None
        click.echo(line if located else _("error: {message}", message=line), err=True)
    return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
