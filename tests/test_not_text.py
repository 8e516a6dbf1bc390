"""Files that are no text script: real Word, OpenDocument, Word 97-2003, RTF and PDF files
(made by LibreOffice from a script) are named for what they are, with what to do, by
`radio check` and `radio convert`; convert writes nothing."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clirun import run_radio
from conftest import require_tool
from radio.script.signature import identify

FORMATS = {"docx": "a Word document (.docx)", "odt": "an OpenDocument text (.odt, LibreOffice)",
           "doc": "a Word 97-2003 document (.doc)", "rtf": "an RTF document (Rich Text Format)",
           "pdf": "a PDF document"}
ADVICE = {"docx": "`radio import", "odt": "`radio import", "doc": "`radio import",
          "rtf": "save it as .docx", "pdf": "import the Word file it was made from"}


@pytest.fixture(scope="module")
def office_files(tmp_path_factory) -> dict[str, Path]:
    soffice = require_tool("soffice")
    folder = tmp_path_factory.mktemp("office")
    source = folder / "kich_ban.txt"
    source.write_text("MC1: Kính thưa quý vị và các bạn! Cam Hà Tĩnh đã vào mùa.\n",
                      encoding="utf-8")
    profile = (folder / "profile").as_uri()
    for ext in FORMATS:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}",
                        "--convert-to", ext, "--outdir", str(folder / "out"), str(source)],
                       capture_output=True, timeout=180, check=True)
    found = {ext: folder / "out" / f"kich_ban.{ext}" for ext in FORMATS}
    assert all(path.is_file() for path in found.values()), os.listdir(folder / "out")
    return found


@pytest.mark.parametrize("ext", list(FORMATS))
def test_office_files_are_recognised_by_their_signature(office_files, ext):
    assert str(identify(office_files[ext].read_bytes()).what) == FORMATS[ext]


@pytest.mark.parametrize("ext", list(FORMATS))
def test_office_file_renamed_md_is_named_by_check(production, office_files, ext):
    shutil.copy(office_files[ext], production / "scripts" / "episode1.md")
    code, out, err = run_radio(["check"], production)
    assert code == 2 and "Traceback" not in err, err
    assert f"scripts/episode1.md:1: this file is {FORMATS[ext]}, not a text script — " in err
    assert ADVICE[ext] in err
    assert "8-bit encoding" not in err


@pytest.mark.parametrize("ext", list(FORMATS))
@pytest.mark.parametrize("how", [["--in-place"], ["-o", "out.md"], []])
def test_convert_refuses_office_files_and_writes_nothing(production, office_files, ext, how):
    target = production / f"kich_ban.{ext}"
    shutil.copy(office_files[ext], target)
    before = sorted(os.listdir(production))
    code, out, err = run_radio(["convert", target.name, "--from", "cp1258", *how], production)
    assert code == 2 and "Traceback" not in err, err
    assert f"kich_ban.{ext}: this file is {FORMATS[ext]}, not a text file — " in err
    assert out == ""                                       # nothing on standard output either
    assert sorted(os.listdir(production)) == before         # no .orig, no out.md
    assert target.read_bytes() == office_files[ext].read_bytes()


def test_word_file_with_its_own_extension_is_told_to_import(production, office_files):
    shutil.copy(office_files["docx"], production / "kich_ban.docx")
    code, out, err = run_radio(["convert", "kich_ban.docx", "--from", "vni"], production)
    assert code == 2
    assert "import it with `radio import kich_ban.docx`: it writes scripts/kich_ban.md" in err
