"""`radio init PATH`: a new production that builds as it is.

It writes radio.toml, an example script, an empty pronunciations.tsv and the
three small recordings the script cues (a jingle, a music bed and an interview
clip), synthesized here so that nothing is downloaded.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import UserError
from ..fsio import write_text
from ..i18n import _, _l
from ..log import Log

RADIO_TOML = """\
# Settings of this production. Every setting is optional; see the README.
[production]
title = "Chuyên đề phát thanh"
publisher = "Đài Truyền thanh xã"
date = "{date}"
status = "draft"          # "final" when every paragraph has a recorded take
language = "vi"           # of what is made: disc texts, cue sheets, recording scripts (vi, en)

[build]
preset = "loudspeaker"    # loudspeaker (-16 LUFS), broadcast (-23 LUFS), web (-16 LUFS)
engine = "espeak"         # espeak (offline), gtts (online), auto

[disc]
label = "CHUYEN_DE"

[ui]
language = "vi"           # of the messages (vi, en); `--lang en` overrides it for one command
"""

EXAMPLE = """\
---
title: "Chuyên đề mẫu – Chào mừng đến với radio"
number: 1
subtitle: "Kịch bản mẫu"
speakers:
  MC1: {name: "Người dẫn 1", voice: vi, pitch: 40, rate: 150}
  MC2: {name: "Người dẫn 2", voice: vi-vn-x-central, variant: f2, pitch: 70, rate: 155}
---
[nhạc hiệu: jingles/intro.ogg]

# Mở đầu
MC1: Kính thưa quý vị và các bạn! Đây là chuyên đề mẫu do công cụ radio tạo ra.

[nhạc nền: music/bed.ogg | vào=2s]
MC2: Ngày 15/11/2021, chúng tôi thử đọc số liệu: 1.250 hộ dân, kinh phí 35.500.000đ.

MC1: Hãy sửa kịch bản này trong thư mục scripts, rồi chạy lệnh radio build để nghe lại.

[nhạc nền: tắt | ra=2s]
[băng: interviews/vi_du.ogg | tên=Giọng phỏng vấn mẫu]

# Kết thúc
MC2: Cảm ơn quý vị đã lắng nghe. Xin chào và hẹn gặp lại!

[nhạc hiệu: jingles/intro.ogg | ra=3s]
"""

INTERVIEW = "Tôi là giọng phỏng vấn mẫu. Quý vị hãy thay bản ghi này bằng bản ghi thật của mình."


def init_production(path: Path, log: Log) -> None:
    from datetime import date

    path = Path(path)
    if (path / "radio.toml").exists():
        raise UserError(_l("{path} is already a production (it has radio.toml)", path=path),
                        hint=_l("choose a new folder"))
    if path.exists() and any(path.iterdir()):
        raise UserError(_l("{path} exists and is not empty", path=path),
                        hint=_l("choose a new or empty folder"))
    write_text(path / "radio.toml", RADIO_TOML.format(date=date.today().isoformat()))
    write_text(path / "scripts" / "episode1.md", EXAMPLE)
    write_text(path / "pronunciations.tsv",
               "# written form<TAB>spoken form, one per line, applied before the rules\n")
    write_text(path / ".gitignore", "/output/\n/.radio/\n")
    (path / "takes").mkdir(exist_ok=True)
    (path / "output").mkdir(exist_ok=True)
    make_example_assets(path / "audio_assets")
    log.info(_("created {path}: now `cd {path}` and `radio build --all`",
               path=shell_word(str(path))))


def shell_word(text: str) -> str:
    """*text* as one word for the command line: in double quotes when it holds a
    space or a character a shell would read (Windows' cmd and PowerShell, sh)."""
    if text and not any(ch.isspace() or ch in "\"'&|;<>()$`!*?[]{}#~%^" for ch in text):
        return text
    return '"' + text.replace('"', '\\"') + '"'



def make_example_assets(folder: Path) -> None:
    from ..audio.decode import to_rate
    from ..audio.encode import write_audio
    from ..demo.music import field_recording, jingle, music_bed
    from ..speech.espeak import EspeakEngine

    write_audio(folder / "jingles" / "intro.ogg", jingle("intro", 8.0, seed=1))
    write_audio(folder / "music" / "bed.ogg", music_bed("soft", 20.0, seed=2))
    with EspeakEngine() as engine:
        pcm, rate = engine.synthesize(INTERVIEW, voice="vi-vn-x-south", rate_wpm=150, pitch=30)
    voice = to_rate(pcm.astype("float32") / 32768.0, rate)
    write_audio(folder / "interviews" / "vi_du.ogg", field_recording(voice, 44100, seed=3))
