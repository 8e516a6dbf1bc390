"""`radio import FILE`: a Word, LibreOffice or text document -> scripts/NAME.md.

.docx is read directly; .odt, .doc and .rtf go through LibreOffice
(``soffice --headless --convert-to docx``, with a profile folder of its own so
that parallel runs, or a run as root, do not collide); .txt is UTF-8 or one of
the legacy encodings `radio convert` knows.  Nothing is written unless the
whole document could be read; an existing script is replaced only with --force,
and then kept beside it as NAME.md.bak.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..fsio import read_input, write_bytes, write_text
from ..i18n import _l
from .docx_reader import read_docx, readable
from .importer import Imported, Line, import_lines, lines_of
from .legacy import NAMES, decode_legacy, guess, looks_viqr
from .values import fold

WORD = (".docx",)
OFFICE = (".odt", ".doc", ".rtf", ".fodt")
SOFFICE_TIMEOUT_S = 180


@dataclass(frozen=True)
class Source:
    lines: tuple[Line, ...]
    title: str
    encodings: tuple         # Messages: "TCVN3 (ABC): 212 runs (.VnTime, .VnTimeH)", ...
    images: int = 0


def slug(stem: str) -> str:
    """An episode name from a file name: 'Kịch bản số 3 (bản cuối)' -> kich_ban_so_3_ban_cuoi."""
    words = re.findall(r"[a-z0-9]+", fold(stem))
    return "_".join(words)[:60] or "imported"


def read_source(path: Path, shown: str) -> Source:
    suffix = path.suffix.lower()
    if suffix in WORD:
        return _from_word(path, shown)
    if suffix in OFFICE:
        if not read_input(path, shown, "document").strip(b"\x00"):
            raise UserError(_l("the document is empty"), path=shown,
                            hint=_l("check that it is the right file and that it was saved"))
        with tempfile.TemporaryDirectory(prefix="radio-import-") as folder:
            return _from_word(soffice_to_docx(path, Path(folder), shown), shown)
    if suffix in (".txt", ".text", ".md", ""):
        return _from_text(read_input(path, shown, "document"), shown)
    raise UserError(_l("radio import reads .docx, .odt, .doc, .rtf and .txt, not '{suffix}'",
                       suffix=suffix or path.name), path=shown,
                    hint=_l("open it in Word or LibreOffice and save it as .docx"))


def _from_word(path: Path, shown: str) -> Source:
    document = read_docx(path, shown)
    encodings = []
    for key, runs in sorted(document.tally.runs.items()):
        fonts = sorted(f for f, k in document.tally.fonts.items() if k == key)
        encodings.append(_l("{name}: {runs} runs ({fonts})", name=NAMES[key], runs=runs,
                            fonts=", ".join(fonts)))
    return Source(tuple(lines_of(document)), document.title, tuple(encodings),
                  document.tally.images)


def _from_text(raw: bytes, shown: str) -> Source:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        if guess(raw) != "utf-16":
            raise UserError(_l("this is not a text document (it holds binary data)"),
                            path=shown, hint=_l("give the .docx, or save the script as plain "
                                                "text (.txt)"))
    encodings: tuple = ()
    try:
        text = raw.decode("utf-8-sig")
        if looks_viqr(text):   # "Vie^.t Nam": VIQR, from e-mail and old web pages
            text, encodings = decode_legacy(raw, "viqr"), (NAMES["viqr"],)
    except UnicodeDecodeError:
        key = guess(raw)
        if key is None:
            raise UserError(_l("the text is neither UTF-8 nor a Vietnamese legacy encoding"),
                            path=shown, hint=_l("save it as 'Unicode (UTF-8)' in your editor, "
                                                "or give the .docx")) from None
        text = decode_legacy(raw, key)
        encodings = (NAMES[key],)
    lines = tuple(Line(number, " ".join(readable(line).split()))
                  for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1))
    return Source(lines, "", encodings)


def soffice_to_docx(path: Path, folder: Path, shown: str) -> Path:
    """Convert *path* with LibreOffice into *folder*; the converted .docx."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise UserError(_l("LibreOffice is needed to read {suffix} files and is not installed",
                           suffix=path.suffix), path=shown,
                        hint=_l("open the file in Word or LibreOffice and save it as .docx "
                                "(or install LibreOffice: libreoffice-writer-nogui)"))
    profile = folder / "profile"
    source = folder / f"source{path.suffix.lower()}"
    shutil.copyfile(path, source)   # a plain name: soffice never sees the user's folder
    # The filter is named: a document LibreOffice opens as a web page (an .odt saved
    # from HTML, "text-web") has no default .docx export, and would not convert.
    command = [exe, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"),
               str(source)]
    from ..procs import child_options

    try:
        subprocess.run(command, capture_output=True, timeout=SOFFICE_TIMEOUT_S, check=False,
                       **child_options())
    except subprocess.TimeoutExpired:
        raise UserError(_l("LibreOffice did not finish converting the document in {seconds} s",
                           seconds=SOFFICE_TIMEOUT_S), path=shown,
                        hint=_l("save it as .docx in Word or LibreOffice and import that")
                        ) from None
    converted = folder / "out" / "source.docx"
    if not converted.is_file() or converted.stat().st_size == 0:
        raise UserError(_l("LibreOffice could not convert the document (damaged, protected "
                           "with a password, or not a text document)"), path=shown,
                        hint=_l("open it in Word or LibreOffice and save it as .docx"))
    return converted


def run_import(production, path: Path, episode: str | None, force: bool, log) -> Imported:
    shown = str(path)
    if not path.is_file():
        read_input(path, shown, "document")   # says why: missing, a folder...
    name = episode or slug(path.stem)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name):
        raise UserError(_l("'{name}' cannot be an episode name", name=name),
                        hint=_l("use letters, digits, '-' and '_', e.g. --episode episode3"))
    target = production.script_path(name)
    if target.exists() and not force:
        raise UserError(_l("{target} exists already", target=production.rel(target)),
                        hint=_l("import with --episode ANOTHER_NAME, or --force to replace it"))
    source = read_source(path, shown)
    if not any(line.text for line in source.lines):
        if source.images:
            raise UserError(_l("the document holds only images (a scan?) and no text"),
                            path=shown, hint=_l("import the text of the script; a scanned "
                                                "page must be typed or recognised (OCR) first"))
        raise UserError(_l("the document is empty"), path=shown,
                        hint=_l("check that it is the right file and that it was saved"))
    imported = import_lines(list(source.lines), source.title, _next_number(production, name),
                            path.name)
    if not imported.speakers:
        raise UserError(_l("no narration was found in the document"), path=shown,
                        hint=_l("write the speakers' lines as 'MC1: ...' and import it again"))
    backup = None
    if target.exists():   # --force: the script replaced may hold the producer's edits
        old = read_input(target, production.rel(target))
        if old != imported.markdown.encode("utf-8"):
            backup = target.with_name(target.name + ".bak")
            write_bytes(backup, old)
    write_text(target, imported.markdown)
    _summary(production, target, shown, source, imported, log)
    if backup is not None:
        log.info(_l("  the script it replaced is kept as {backup}",
                    backup=production.rel(backup)))
    return imported


def _next_number(production, name: str) -> int:
    from .frontmatter import split

    numbers = set()
    for other in production.episode_names():
        if other == name:
            continue
        try:
            front = split(production.script_path(other).read_text(encoding="utf-8-sig"))[0]
        except (OSError, UnicodeDecodeError):
            continue
        found = re.search(r"^number\s*:\s*(\d+)", front or "", re.M)
        if found:
            numbers.add(int(found.group(1)))
    return next(n for n in range(1, 100) if n not in numbers) if len(numbers) < 99 else 99


CUE_NAMES = {"jingle": "nhạc hiệu", "bed": "nhạc nền", "bed-off": "nhạc nền: tắt",
             "clip": "băng", "pause": "dừng"}   # the script's own keywords


def _summary(production, target: Path, shown: str, source: Source, imported: Imported,
             log) -> None:
    log.info(_l("wrote {target}: '{title}'", target=production.rel(target),
                title=imported.title))
    for text in source.encodings:
        log.info(_l("  converted from {encoding}", encoding=text))
    for label, written, count in imported.speakers:
        if written == label:
            log.info(_l("  speaker {label}: {count} paragraph(s)", label=label, count=count))
        else:
            log.info(_l("  speaker {label} ({written}): {count} paragraph(s)", label=label,
                        written=written, count=count))
    for title in imported.chapters:
        log.info(_l("  chapter: {title}", title=title))
    for number, kind, label in imported.cues:
        log.info(_l("  cue in paragraph {number}: [{cue}] {label}", number=number,
                    cue=CUE_NAMES[kind], label=label))
    for number, text in imported.unclassified:
        log.warn(_l("{path}: paragraph {number} was not classified (kept as a comment): {text}",
                    path=shown, number=number, text=text[:80]))
    pending = sum(1 for _, kind, _ in imported.cues if kind in ("jingle", "bed", "clip"))
    if pending:
        log.info(_l("  {count} cue(s) await their recording (chờ=có): put the files in "
                    "audio_assets/ and name them in the script", count=pending))
