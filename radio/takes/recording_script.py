"""The recording script for the narrators: printable HTML and plain text.

One block per paragraph, in script order under its chapter: the id the take
file must be named after, the speaker (label and name), the text as written,
how numbers, dates and acronyms are to be read ("đọc là", from the
normalizer's explain()), the expected duration (spoken words ÷ the speaker's
rate) and the take's state.  Written to ``output/<episode>/<episode>.takes.html``
and ``.takes.txt``.  The page is static (no script, no external resources), so
it prints the same from any browser.
"""
from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from pathlib import Path

from ..clock import timecode
from ..config import Production
from ..fsio import write_text
from ..script.model import Clip, Episode, Heading, Paragraph
from ..speech.voice import estimated_speech_ms

STATE_LABELS = {
    "take": "Đã thu",
    "frozen": "Giọng máy (cố định)",
    "stale": "Cần thu lại (lời đã sửa)",
    "synth": "Chưa thu (giọng máy)",
}


@dataclass(frozen=True)
class Block:
    pid: str
    paragraph: Paragraph
    speaker_name: str
    state: str                       # take, frozen, stale, synth
    readings: tuple[tuple[str, str], ...]
    seconds: float
    recorded_text: str = ""          # for a stale take: the text it was recorded for


def blocks(episode: Episode, states, lexicon) -> list[Block | Heading | Clip]:
    """The script's items as the narrators need them, in order."""
    from ..speech.normalize import explain

    by_line = {s.paragraph.line: s for s in states}
    out: list[Block | Heading | Clip] = []
    for item in episode.items:
        if isinstance(item, (Heading, Clip)):
            out.append(item)
        elif isinstance(item, Paragraph):
            s = by_line[item.line]
            spoken, rewrites = explain(item.text, lexicon)
            speaker = episode.speaker(item.speaker)
            readings = []
            for rw in rewrites:
                if (rw.written, rw.spoken) not in readings and rw.written != rw.spoken:
                    readings.append((rw.written, rw.spoken))
            state = "frozen" if s.take and s.take.frozen and s.state == "take" else s.state
            recorded = s.take.recorded_text if s.state == "stale" else ""
            out.append(Block(s.pid, item, speaker.name, state, tuple(readings),
                             estimated_speech_ms(len(spoken.split()), speaker.rate_wpm) / 1000,
                             recorded))
    return out


def write_recording_script(production: Production, episode: Episode, states,
                           lexicon) -> list[Path]:
    items = blocks(episode, states, lexicon)
    folder = production.output_dir / episode.name
    html_path = folder / f"{episode.name}.takes.html"
    txt_path = folder / f"{episode.name}.takes.txt"
    from . import Takes

    # the folder the narrator will find (takes/Episode1/ as Windows shows it, say)
    takes_folder = production.rel(Takes(production).folder(episode))
    write_text(html_path, render_html(episode, items, takes_folder))
    write_text(txt_path, render_text(episode, items, takes_folder))
    return [html_path, txt_path]


def _summary(items) -> tuple[list[Block], dict[str, int], float]:
    paras = [b for b in items if isinstance(b, Block)]
    counts = {k: sum(b.state == k for b in paras) for k in STATE_LABELS}
    return paras, counts, sum(b.seconds for b in paras)


def _speakers(episode: Episode, paras: list[Block]) -> list[tuple[str, str, int, float]]:
    rows = []
    for speaker in episode.speakers:
        mine = [b for b in paras if b.paragraph.speaker == speaker.label]
        if mine:
            rows.append((speaker.label, speaker.name, len(mine), sum(b.seconds for b in mine)))
    return rows


def _marked(text: str, readings) -> str:
    """The text, HTML-escaped, with every written form that is read differently marked."""
    spans, cursor = [], 0
    for written, _ in readings:
        at = text.find(written, cursor)
        if at < 0:
            at = text.find(written)
            if at < 0 or any(a < at + len(written) and at < b for a, b in spans):
                continue
        spans.append((at, at + len(written)))
        cursor = at + len(written)
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        out.append(html.escape(text[position:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


PAGE_CSS = """
@page { size: A4; margin: 15mm 15mm 18mm 15mm;
  @bottom-left { content: TITLE; font: 8.5pt "DejaVu Sans", Arial, sans-serif; color: #777; }
  @bottom-right { content: counter(page) " / " counter(pages);
    font: 8.5pt "DejaVu Sans", Arial, sans-serif; color: #777; } }
"""
CSS = """
* { box-sizing: border-box; }
body { margin: 0; background: #eceae4; color: #1d1d1b;
  font: 12.5pt/1.55 "Noto Serif", "DejaVu Serif", "Times New Roman", serif; }
main { max-width: 200mm; margin: 24px auto; background: #fff; padding: 14mm 15mm;
  box-shadow: 0 1px 6px rgba(0,0,0,.15); }
header h1 { font-size: 19pt; line-height: 1.25; margin: 0 0 2mm; }
header .kicker { font: 600 9.5pt/1.2 "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  letter-spacing: .08em; text-transform: uppercase; color: #8a4b08; margin: 0 0 2mm; }
header .sub { margin: 0 0 4mm; color: #444; }
.facts, .speakers { font: 10pt/1.45 "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
.facts { display: flex; flex-wrap: wrap; gap: 2mm 8mm; margin: 0 0 3mm; color: #333; }
.speakers { border-collapse: collapse; margin: 0 0 3mm; }
.speakers td, .speakers th { padding: .6mm 4mm .6mm 0; text-align: left; }
.speakers th { font-weight: 600; color: #555; }
.howto { font: 9.5pt/1.45 "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #444;
  border-top: 1px solid #ccc; border-bottom: 1px solid #ccc; padding: 2mm 0; margin: 0 0 5mm; }
code { font: 600 .95em/1 "DejaVu Sans Mono", "Liberation Mono", monospace; }
h2.chapter { font: 700 11pt/1.3 "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  text-transform: uppercase; letter-spacing: .06em; color: #8a4b08;
  border-bottom: 1.5px solid #8a4b08; padding-bottom: 1mm; margin: 7mm 0 3mm;
  break-after: avoid; page-break-after: avoid; }
.cue { font: italic 9.5pt/1.4 "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #777;
  margin: 0 0 3mm 24.5mm; }
.para { display: grid; grid-template-columns: 19mm 1fr; column-gap: 3mm;
  border-left: 3px solid #c8c8c8; padding: 1.5mm 0 1.5mm 2.5mm; margin: 0 0 4mm;
  break-inside: avoid; page-break-inside: avoid; }
.para.synth { border-left-color: #c0392b; }
.para.stale { border-left-color: #e67e22; }
.para.take { border-left-color: #27ae60; }
.para.frozen { border-left-color: #7f8c8d; }
.id { font: 700 15pt/1.1 "DejaVu Sans Mono", "Liberation Mono", monospace; }
.box { display: inline-block; width: 4.2mm; height: 4.2mm; border: 1.2px solid #333;
  margin-top: 2mm; }
.meta { font: 9.5pt/1.4 "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #444;
  display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 5mm; margin-bottom: 1mm; }
.meta .speaker { font-weight: 700; color: #1d1d1b; }
.state { font-weight: 600; margin-left: auto; white-space: nowrap; }
.synth .state { color: #c0392b; } .stale .state { color: #b35900; }
.take .state { color: #1e8449; } .frozen .state { color: #5d6d6e; }
.text { margin: 0; }
mark { background: #fff1b8; padding: 0 .15em; border-radius: 2px; white-space: nowrap; }
.reading { font: 10pt/1.45 "Noto Sans", "DejaVu Sans", Arial, sans-serif; margin: 1.5mm 0 0;
  padding: 1mm 2.5mm; background: #f6f4ee; border-radius: 2px; }
.reading b { color: #8a4b08; }
.reading ul { margin: 0; padding-left: 4mm; }
.old { font: 9.5pt/1.4 "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #8a5a2b;
  margin: 1.5mm 0 0; }
footer { font: 9pt/1.4 "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #777;
  margin-top: 6mm; border-top: 1px solid #ccc; padding-top: 2mm; }
@media print {
  body { background: #fff; font-size: 12.5pt; line-height: 1.6; }
  main { margin: 0; padding: 0; max-width: none; box-shadow: none; }
  mark { background: none; padding: 0; text-decoration: underline 1.5px #b8860b; }
  .reading { background: none; border: 1px solid #ddd; }
}
"""


def css_string(text: str) -> str:
    """*text* as a CSS string literal that cannot end the string or the <style>."""
    return '"' + "".join(c if c.isalnum() or c in " –-·.,:;!?()" else f"\\{ord(c):x} "
                         for c in text) + '"'


def render_html(episode: Episode, items, takes_folder: str) -> str:
    e = html.escape
    paras, counts, total = _summary(items)
    out = ["<!DOCTYPE html>", '<html lang="vi">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Kịch bản thu âm – {e(episode.title)}</title>",
           f"<style>{PAGE_CSS.replace('TITLE', css_string(episode.title))}{CSS}</style>",
           "</head>", "<body>", "<main>", "<header>",
           f'<p class="kicker">Kịch bản thu âm · chuyên đề số {episode.number}</p>',
           f"<h1>{e(episode.title)}</h1>"]
    if episode.subtitle:
        out.append(f'<p class="sub">{e(episode.subtitle)}</p>')
    out.append('<div class="facts">'
               f"<span>Kịch bản: <code>{e(episode.path)}</code></span>"
               f"<span>{len(paras)} đoạn · khoảng {timecode(total)} lời đọc</span>"
               f"<span>Đã thu: {counts['take'] + counts['frozen']} · "
               f"Cần thu lại: {counts['stale']} · Chưa thu: {counts['synth']}</span></div>")
    out.append('<table class="speakers"><tr><th>Người đọc</th><th></th><th>Số đoạn</th>'
               "<th>Thời lượng</th></tr>")
    for label, name, count, seconds in _speakers(episode, paras):
        out.append(f"<tr><td><b>{e(label)}</b></td><td>{e(name)}</td><td>{count}</td>"
                   f"<td>{timecode(seconds)}</td></tr>")
    out.append("</table>")
    out.append('<p class="howto">Mỗi đoạn thu thành một tệp riêng, đặt tên theo mã đoạn: '
               f"<code>{e(takes_folder)}/p001.wav</code> (hoặc .flac, .mp3, .m4a…). "
               "Đọc đúng như dòng <b>Đọc là</b>; để khoảng lặng ngắn ở đầu và cuối, "
               "phần lặng thừa sẽ được cắt tự động.</p>")
    out.append("</header>")
    for item in items:
        if isinstance(item, Heading):
            out.append(f'<h2 class="chapter">{e(item.title)}</h2>')
        elif isinstance(item, Clip):
            label = item.label or item.path
            out.append(f'<p class="cue">— băng: {e(label)} —</p>')
        else:
            out.append(_html_block(item))
    out.append(f"<footer>{e(episode.title)} · {len(paras)} đoạn · tạo bởi radio "
               "(<code>radio takes " + e(episode.name) + "</code>)</footer>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def _html_block(b: Block) -> str:
    e = html.escape
    p = b.paragraph
    speaker = f"{p.speaker} · {b.speaker_name}" if b.speaker_name else p.speaker
    parts = [f'<section class="para {b.state}" id="{b.pid}" data-id="{b.pid}" '
             f'data-state="{b.state}">',
             f'<div><div class="id">{b.pid}</div><span class="box" title="đã thu"></span></div>',
             "<div>",
             f'<div class="meta"><span class="speaker">{e(speaker)}</span>'
             f'<span>≈ {timecode(b.seconds)}</span>'
             f'<span class="state">{e(STATE_LABELS[b.state])}</span></div>',
             f'<p class="text">{_marked(p.text, b.readings)}</p>']
    if b.readings:
        items = "".join(f"<li>{e(w)} → <i>{e(s)}</i></li>" for w, s in b.readings)
        parts.append(f'<div class="reading"><b>Đọc là:</b><ul>{items}</ul></div>')
    if b.recorded_text:
        parts.append(f'<p class="old">Bản đã thu đọc: “{e(b.recorded_text)}”</p>')
    parts += ["</div>", "</section>"]
    return "".join(parts)


def render_text(episode: Episode, items, takes_folder: str) -> str:
    paras, counts, total = _summary(items)
    out = [f"KỊCH BẢN THU ÂM · CHUYÊN ĐỀ SỐ {episode.number}", episode.title]
    if episode.subtitle:
        out.append(episode.subtitle)
    out += [f"Kịch bản: {episode.path} · {len(paras)} đoạn · khoảng {timecode(total)} lời đọc",
            f"Đã thu: {counts['take'] + counts['frozen']} · Cần thu lại: {counts['stale']} · "
            f"Chưa thu: {counts['synth']}"]
    for label, name, count, seconds in _speakers(episode, paras):
        out.append(f"  {label}: {name or '-'} — {count} đoạn, {timecode(seconds)}")
    out += ["", f"Mỗi đoạn thu thành một tệp: {takes_folder}/p001.wav (hoặc .flac, .mp3…).", ""]
    wrap = textwrap.TextWrapper(width=78, initial_indent="    ", subsequent_indent="    ")
    for item in items:
        if isinstance(item, Heading):
            while out and not out[-1]:
                out.pop()
            out += ["", f"== {item.title} ==", ""]
        elif isinstance(item, Clip):
            out += [f"    — băng: {item.label or item.path} —", ""]
        else:
            p = item.paragraph
            who = f"{p.speaker} ({item.speaker_name})" if item.speaker_name else p.speaker
            out.append(f"[{item.pid}] {who} · ≈ {timecode(item.seconds)} · "
                       f"{STATE_LABELS[item.state]}")
            out.append(wrap.fill(p.text))
            for written, spoken in item.readings:
                out.append(f"    Đọc là: {written} → {spoken}")
            if item.recorded_text:
                out.append(f"    Bản đã thu đọc: “{item.recorded_text}”")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
