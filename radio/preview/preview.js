// radio preview: draws the mix, the loudness and the script; follows the server's builds.
// No dependencies and nothing fetched from outside: the server's JSON and the WAV only.
"use strict";
(() => {
  const $ = (selector) => document.querySelector(selector);
  const audio = $("#player");
  const state = { version: 0, data: null, active: -1, main: [], offline: false };
  const KIND_ICON = { jingle: "♪", clip: "▶", bed: "♫", pause: "‖", pending: "○" };
  const KIND_NAME = { jingle: _("jingle"), clip: _("clip"), bed: _("music bed"), pause: _("pause"),
                      pending: _("awaiting its recording") };
  const ENGINE = {
    espeak: [_("synthesized · espeak"), "synth"], gtts: [_("synthesized · Google"), "synth"],
    take: [_("take"), "take"], stale: [_("stale take"), "stale"],
  };

  function clock(seconds) {
    // MM:SS.d cut to the tenth, as the build writes it (59.97 s is 00:59.9, never 00:60.0);
    // the tenths after a decimal comma in Vietnamese.
    const ms = Math.trunc(Number((Math.max(0, seconds || 0) * 1000).toFixed(6)));
    const tenths = Math.floor(ms / 100);
    const pad = (n) => String(n).padStart(2, "0");
    const comma = (window.RADIO_I18N && window.RADIO_I18N.lang) === "vi";
    return `${pad(Math.floor(tenths / 600))}:${pad(Math.floor(tenths / 10) % 60)}`
      + `${comma ? "," : "."}${tenths % 10}`;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function fmt(value, unit) {
    return value === null || value === undefined ? "–" : `${window.radioNumber(value, 1)} ${unit}`;
  }

  const basename = (path) => (path || "").split("/").pop();

  function voiceClass(seg) {
    // one colour per speaker, in order of appearance
    const speakers = [...new Set(state.data.segments.filter((s) => s.speaker).map((s) => s.speaker))];
    return `voice-${Math.max(0, speakers.indexOf(seg.speaker)) % 4}`;
  }

  function describe(seg) {
    if (seg.kind === "speech") return `${seg.speaker}: ${seg.text}`;
    if (seg.kind === "pause") return KIND_NAME.pause;
    const what = [seg.label, seg.asset].filter(Boolean).join(" — ");
    return `${KIND_NAME[seg.kind] || seg.kind}: ${what}`;
  }

  function shortLabel(seg) {
    if (seg.kind === "speech") {
      const words = (seg.text || "").split(/\s+/).slice(0, 8).join(" ");
      return `${seg.speaker} · ${words}`;
    }
    if (seg.kind === "pause") return KIND_ICON.pause;
    return `${KIND_ICON[seg.kind] || ""} ${seg.label || basename(seg.asset)}`;
  }

  // -- status polling -----------------------------------------------------
  async function poll() {
    try {
      const response = await fetch("api/status", { cache: "no-store" });
      const status = await response.json();
      state.offline = false;
      showStatus(status);
      if (status.version && status.version !== state.version) await load(status.version);
    } catch (err) {
      state.offline = true;
      setPill("offline", _("The server stopped"));
    }
    setTimeout(poll, 1000);
  }

  function setPill(kind, text) {
    const pill = $("#status");
    pill.className = `pill ${kind}`;
    pill.dataset.state = kind;
    pill.textContent = text;
  }

  function showStatus(status) {
    const problems = status.problems || [];
    const box = $("#error");
    const list = $("#problems");
    list.replaceChildren();
    for (const problem of problems) {
      const item = el("li", "problem");
      item.dataset.line = problem.line || "";
      if (problem.path) {
        item.append(el("code", "where", problem.path + (problem.line ? `:${problem.line}` : "")));
      }
      item.append(el("span", "message", problem.message));
      if (problem.hint) item.append(el("span", "hint", problem.hint));
      list.append(item);
    }
    box.hidden = problems.length === 0;
    document.body.classList.toggle("failed", problems.length > 0);
    if (status.building) {
      setPill("building", status.waiting ? _("Waiting for another build…") : _("Building…"));
    } else if (problems.length) {
      setPill("error", ngettext("Failed: {n} problem", "Failed: {n} problems", problems.length));
    } else if (status.version) {
      setPill("ok", _("Built · v{version} · {time}", { version: status.version, time: status.built_at || "" }));
    }
    if (!status.version && problems.length) $("#title").textContent = _("Nothing built yet");
    if (status.built_at) {
      $("#built").textContent = _("Last good build: {time} ({seconds} s)",
        { time: status.built_at, seconds: window.radioNumber(status.build_s, 1) });
    }
  }

  async function load(version) {
    const response = await fetch(`api/data?v=${version}`, { cache: "no-store" });
    if (!response.ok) return;
    const data = await response.json();
    state.data = data;
    state.version = data.version;
    state.main = data.segments.filter((s) => s.kind !== "bed");
    state.active = -1;
    renderHeader(data);
    renderTimeline(data);
    renderStats(data);
    renderScript(data);
    setAudio(data.audio);
    document.body.dataset.version = data.version;
    update();
  }

  function setAudio(url) {
    if (audio.getAttribute("src") === url) return;
    const position = audio.currentTime || 0;
    const playing = !audio.paused;
    audio.src = url;
    if (position > 0 || playing) {
      audio.addEventListener("loadedmetadata", () => {
        audio.currentTime = Math.min(position, audio.duration || position);
        if (playing) audio.play().catch(() => {});
      }, { once: true });
    }
  }

  // -- header and stats -----------------------------------------------------
  function renderHeader(data) {
    $("#title").textContent = data.title || data.episode;
    document.title = `${data.episode} · radio preview`;
    $("#meta").textContent =
      _("{episode} · {duration} · preset {preset} · {script}",
        { episode: data.episode, duration: clock(data.duration_s), preset: data.preset, script: data.script });
    $("#script-path").textContent = data.script;
  }

  function setStat(id, value, target, ok) {
    const box = $(id);
    box.querySelector(".value").textContent = value;
    box.querySelector(".target").textContent = target;
    box.classList.toggle("ok", ok === true);
    box.classList.toggle("bad", ok === false);
  }

  function renderStats(data) {
    const loud = data.loudness || {}, t = data.targets || {};
    const lufs = loud.integrated_lufs, peak = loud.true_peak_dbtp, range = loud.range_lu;
    setStat("#integrated", fmt(lufs, "LUFS"),
      _("target {target} ± {tolerance} LU",
        { target: window.radioNumber(t.integrated_lufs, 1), tolerance: window.radioNumber(t.tolerance_lu, 1) }),
      lufs == null ? undefined : Math.abs(lufs - t.integrated_lufs) <= t.tolerance_lu + 1e-6);
    setStat("#true-peak", fmt(peak, "dBTP"), _("at most {max} dBTP", { max: window.radioNumber(t.true_peak_dbtp, 1) }),
      peak == null ? undefined : peak <= t.true_peak_dbtp + 1e-6);
    setStat("#range", fmt(range, "LU"), t.range_lu ? _("aim for ≤ {max} LU", { max: window.radioNumber(t.range_lu, 1) }) : "",
      range == null || !t.range_lu ? undefined : range <= t.range_lu);
    const speech = data.segments.filter((s) => s.kind === "speech");
    const takes = speech.filter((s) => s.engine === "take").length;
    setStat("#speech-count", ngettext("{n} paragraph", "{n} paragraphs", speech.length),
      _("{synthesized} synthesized · {takes} takes", { synthesized: speech.length - takes, takes }), undefined);
  }

  // -- timeline: waveform, segments, loudness ---------------------------------
  function renderAxis(duration) {
    const axis = $("#axis");
    axis.replaceChildren();
    const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800];
    const step = steps.find((s) => duration / s <= 12) || 3600;
    for (let t = 0; t <= duration; t += step) {
      const tick = el("span", "tick", clock(t).replace(/[.,]0$/, ""));
      tick.style.left = `${(t / duration) * 100}%`;
      axis.append(tick);
    }
  }

  function renderTimeline(data) {
    const duration = data.duration_s;
    const lanes = { main: $("#lane-main"), bed: $("#lane-bed") };
    for (const lane of Object.values(lanes)) lane.querySelectorAll(".segment").forEach((n) => n.remove());
    for (const seg of data.segments) {
      const start = seg.start_ms / 1000, end = seg.end_ms / 1000;
      const marker = el("div", `segment kind-${seg.kind}`);
      marker.dataset.index = seg.index;
      marker.dataset.start = start.toFixed(3);
      marker.dataset.end = end.toFixed(3);
      marker.dataset.kind = seg.kind;
      marker.dataset.line = seg.line;
      if (seg.speaker) {
        marker.dataset.speaker = seg.speaker;
        marker.classList.add(voiceClass(seg));
      }
      marker.style.left = `${(start / duration) * 100}%`;
      marker.style.width = `${((end - start) / duration) * 100}%`;
      marker.title = _("{start}–{end} · line {line} · {what}",
        { start: clock(start), end: clock(end), line: seg.line, what: describe(seg) });
      marker.append(el("span", "segment-label", shortLabel(seg)));
      marker.addEventListener("click", (event) => { event.stopPropagation(); seek(start); });
      (seg.kind === "bed" ? lanes.bed : lanes.main).append(marker);
    }
    const chapters = $("#chapters");
    chapters.replaceChildren();
    data.chapters.forEach((chapter, i) => {
      const mark = el("div", "chapter-mark", chapter.title);
      const next = data.chapters[i + 1];
      const end = next ? next.start_ms / 1000 : duration;
      mark.style.left = `${(chapter.start_ms / 1000 / duration) * 100}%`;
      mark.style.maxWidth = `${((end - chapter.start_ms / 1000) / duration) * 100}%`;
      mark.title = `${clock(chapter.start_ms / 1000)} · ${chapter.title}`;
      mark.addEventListener("click", () => seek(chapter.start_ms / 1000));
      chapters.append(mark);
    });
    renderAxis(duration);
    window.radioDraw.waveform($("#waveform"), data);
    window.radioDraw.loudness($("#loudness"), data);
  }

  // -- script -----------------------------------------------------------------
  function textWithRewrites(seg) {
    const written = el("p", "text");
    const spoken = el("p", "spoken");
    if (!seg.rewrites) {
      written.textContent = seg.text;
      return [written, null];
    }
    spoken.append(el("span", "said-label", _("Spoken as: ")));
    seg.rewrites.forEach((run, i) => {
      const gap = i ? " " : "";
      if (run.same) {
        written.append(gap + run.written);
        spoken.append(gap + run.spoken);
        return;
      }
      if (run.written) {
        written.append(gap);
        const mark = el("mark", "written", run.written);
        mark.title = run.spoken ? _("read as: {spoken}", { spoken: run.spoken }) : _("read as: (skipped)");
        written.append(mark);
      }
      if (run.spoken) {
        spoken.append(gap);
        spoken.append(el("mark", "said", run.spoken));
      }
    });
    return [written, spoken];
  }

  function scriptItem(seg) {
    const start = seg.start_ms / 1000;
    const isSpeech = seg.kind === "speech";
    const item = el("div", isSpeech ? "paragraph" : `cue kind-${seg.kind}`);
    Object.assign(item.dataset, {
      index: seg.index, line: seg.line, start: start.toFixed(3), end: (seg.end_ms / 1000).toFixed(3),
    });
    const gutter = el("div", "gutter");
    gutter.append(el("span", "time", clock(start)), el("span", "line", _("line {line}", { line: seg.line })));
    const body = el("div", "body");
    if (isSpeech) {
      const engine = seg.take_state === "stale" ? "stale" : seg.engine === "take" ? "take" : seg.engine;
      const [label, kind] = ENGINE[engine] || [engine || "?", "synth"];
      item.classList.add(voiceClass(seg));
      item.dataset.engine = seg.engine || "";
      item.dataset.take = seg.take_state || "";
      const who = el("div", "who");
      who.append(el("span", "speaker", seg.speaker));
      if (seg.label) who.append(el("span", "speaker-name", seg.label));
      const badge = el("span", `badge ${kind}`, label);
      who.append(badge);
      body.append(who);
      const [written, spoken] = textWithRewrites(seg);
      body.append(written);
      if (spoken) body.append(spoken);
    } else {
      body.append(el("span", "cue-text", `${KIND_ICON[seg.kind] || ""} ${describe(seg)}`));
      if (seg.end_ms > seg.start_ms) {
        body.append(el("span", "cue-length", clock((seg.end_ms - seg.start_ms) / 1000)));
      }
    }
    item.append(gutter, body);
    item.addEventListener("click", () => seek(start));
    return item;
  }

  function renderScript(data) {
    const script = $("#script");
    script.replaceChildren();
    const items = [...data.segments].sort((a, b) => a.line - b.line || a.start_ms - b.start_ms);
    const chapters = [...data.chapters];
    for (const seg of items) {
      while (chapters.length && chapters[0].line <= seg.line) {
        const chapter = chapters.shift();
        const heading = el("h3", "chapter", chapter.title);
        heading.prepend(el("span", "time", clock(chapter.start_ms / 1000)));
        heading.dataset.line = chapter.line;
        script.append(heading);
      }
      script.append(scriptItem(seg));
    }
  }

  // -- playback ---------------------------------------------------------------
  function seek(seconds) {
    audio.currentTime = seconds;
    update();
  }

  function update() {
    const data = state.data;
    if (!data) return;
    const t = audio.currentTime || 0;
    const timeline = $("#timeline");
    $("#playhead").style.left = `${(t / data.duration_s) * timeline.clientWidth}px`;
    $("#clock").textContent = `${clock(t)} / ${clock(data.duration_s)}`;
    const current = state.main.find((s) => s.start_ms / 1000 <= t && t < s.end_ms / 1000);
    const index = current ? current.index : -1;
    if (index === state.active) return;
    document.querySelectorAll(".playing").forEach((n) => n.classList.remove("playing"));
    state.active = index;
    if (index < 0) return;
    const nodes = document.querySelectorAll(`[data-index="${index}"]`);
    nodes.forEach((n) => n.classList.add("playing"));
    const row = $(`#script [data-index="${index}"]`);
    if (row && $("#follow").checked && !audio.paused) {
      const box = row.getBoundingClientRect();
      if (box.top < 80 || box.bottom > window.innerHeight - 20) {
        row.scrollIntoView({ block: "center", behavior: "smooth" });
      }
    }
  }

  function frame() {
    update();
    if (!audio.paused) requestAnimationFrame(frame);
  }

  audio.addEventListener("play", () => requestAnimationFrame(frame));
  audio.addEventListener("timeupdate", update);
  audio.addEventListener("seeked", update);
  $("#timeline").addEventListener("click", (event) => {
    if (!state.data || event.target.closest(".segment, .chapter-mark")) return;
    const box = event.currentTarget.getBoundingClientRect();
    seek(((event.clientX - box.left) / box.width) * state.data.duration_s);
  });
  let resizing = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => { if (state.data) { renderTimeline(state.data); update(); } }, 150);
  });
  poll();
})();
