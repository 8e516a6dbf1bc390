"""`radio convert`: a script in a legacy Vietnamese encoding -> NFC UTF-8.

The input is never changed unless ``--in-place`` is given, and then the
original bytes are kept beside it as ``FILE.orig`` (written first, atomically).
Without ``-o`` or ``--in-place`` the text goes to standard output.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import UserError
from ..i18n import _, _l
from ..fsio import read_input, write_bytes
from ..log import Log
from ..script.encoding import looks_utf16
from ..script.legacy import NAMES, decode_legacy, guess
from ..script.signature import refuse_binary


def convert_bytes(raw: bytes, source: str, shown: str) -> tuple[str, str | None]:
    """*raw* (in *source*, a key of NAMES) -> (NFC text, a warning or None).

    Text that is UTF-8 already is refused (converting it again would garble it), and so
    is a file that is no text at all (a Word document, a PDF...)."""
    refuse_binary(raw, shown, script=False, utf16=source == "utf-16" or looks_utf16(raw))
    if source != "utf-16" and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(_l("this file is UTF-16 (it starts with a byte-order mark), not "
                           "{encoding}", encoding=NAMES[source]), path=shown,
                        hint=_l("use --from utf-16"))
    if source != "utf-16":
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not text.isascii():
                raise UserError(_l("this file is already UTF-8 text: there is nothing to convert"),
                                path=shown, hint=_l("use it as it is"))
    text = decode_legacy(raw, source).replace("\r\n", "\n")
    found = guess(raw)
    warning = None
    if found and found != source:
        warning = _("{path}: this file reads better as {found} than as {encoding}: check the "
                    "result, or convert with --from {key}", path=shown, found=NAMES[found],
                    encoding=NAMES[source], key=found)
    return text, warning


def run_convert(path: Path, source: str, output: Path | None, in_place: bool, log: Log) -> None:
    if output is not None and in_place:
        raise UserError(_l("give either -o OUT or --in-place, not both"))
    raw = read_input(path)
    text, warning = convert_bytes(raw, source, str(path))
    if warning:
        log.warn(warning)
    data = text.encode("utf-8")
    if in_place:
        backup = path.with_name(path.name + ".orig")
        if backup.exists():
            raise UserError(_l("{backup} already exists", backup=backup), path=path,
                            hint=_l("move it away first, or write the result elsewhere with "
                                    "-o OUT"))
        write_bytes(backup, raw)
        write_bytes(path, data)
        log.info(_("converted {path} from {encoding} to UTF-8; the original is {backup}",
                   path=path, encoding=NAMES[source], backup=backup))
    elif output is not None:
        if output.resolve() == path.resolve():
            raise UserError(_l("the output would overwrite the input"), path=path,
                            hint=_l("use --in-place to convert the file itself (it keeps a "
                                    "copy)"))
        write_bytes(output, data)
        log.info(_("converted {path} from {encoding} to UTF-8: {output}", path=path,
                   encoding=NAMES[source], output=output))
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
