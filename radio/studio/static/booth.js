// radio studio: the recording booth. PCM from an AudioWorklet (no lossy MediaRecorder),
// echo cancellation, noise suppression and automatic gain all off; WAV uploaded on accept.
"use strict";
window.radioBooth = (() => {
  const $ = (selector) => document.querySelector(selector);
  const B = { name: null, rows: [], index: 0, chunks: [], recording: false, wav: null, rate: 48000,
              ctx: null, node: null, stream: null, clipped: false, h: null };

  function wavBlob(chunks, rate) {
    const frames = chunks.reduce((n, c) => n + c.length, 0);
    const view = new DataView(new ArrayBuffer(44 + frames * 2));
    const text = (at, s) => [...s].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
    text(0, "RIFF"); view.setUint32(4, 36 + frames * 2, true); text(8, "WAVE"); text(12, "fmt ");
    view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true);
    view.setUint16(34, 16, true); text(36, "data"); view.setUint32(40, frames * 2, true);
    let at = 44;
    for (const chunk of chunks) {
      for (const x of chunk) { view.setInt16(at, Math.max(-1, Math.min(1, x)) * 32767, true); at += 2; }
    }
    return new Blob([view.buffer], { type: "audio/wav" });
  }

  async function microphone() {
    if (B.ctx) return;
    B.stream = await navigator.mediaDevices.getUserMedia({ audio: {
      echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 } });
    B.ctx = new AudioContext();
    B.rate = B.ctx.sampleRate;
    await B.ctx.audioWorklet.addModule("/studio-static/booth-worklet.js");
    const source = B.ctx.createMediaStreamSource(B.stream);
    B.node = new AudioWorkletNode(B.ctx, "radio-capture");
    const silent = B.ctx.createGain();
    silent.gain.value = 0;
    source.connect(B.node).connect(silent).connect(B.ctx.destination);
    B.node.port.onmessage = (event) => {
      const block = event.data;
      let peak = 0;
      for (const x of block) peak = Math.max(peak, Math.abs(x));
      const bar = $("#booth-level");
      bar.style.width = `${Math.min(100, peak * 100)}%`;
      bar.classList.toggle("clip", peak >= 0.99);
      if (!B.recording) return;
      if (peak >= 0.99) B.clipped = true;
      B.chunks.push(block);
    };
  }

  async function toggle() {
    const { t, decimal } = B.h;
    if (!window.isSecureContext) return;
    if (!B.recording) {
      await microphone();
      await B.ctx.resume();
      B.chunks = [];
      B.clipped = false;
      B.recording = true;
      $("#booth-record").classList.add("recording");
      $("#booth-record").textContent = t("booth.stop");
      $("#booth-accept").disabled = true;
      $("#booth-state").textContent = t("booth.recording", { pid: B.rows[B.index].pid });
      document.body.dataset.booth = "recording";
      return;
    }
    B.recording = false;
    $("#booth-record").classList.remove("recording");
    $("#booth-record").textContent = t("booth.record");
    B.wav = wavBlob(B.chunks, B.rate);
    $("#booth-listen").src = URL.createObjectURL(B.wav);
    const seconds = B.chunks.reduce((n, c) => n + c.length, 0) / B.rate;
    const loudest = B.chunks.reduce((m, c) => c.reduce((n, x) => Math.max(n, Math.abs(x)), m), 0);
    const expected = B.rows[B.index].expected_s;
    const flags = [];   // told before the take is accepted
    if (B.clipped) flags.push(t("booth.clip"));
    if (loudest < 0.01) flags.push(t("booth.silent"));
    if (seconds < expected * 0.4 || seconds > expected * 2.5) {
      flags.push(t("booth.length", { seconds: decimal(seconds), expected: decimal(expected) }));
    }
    $("#booth-state").textContent = flags.length ? flags.join(" ")
      : t("booth.recorded", { seconds: decimal(seconds) });
    document.body.dataset.flags = String(flags.length);
    $("#booth-accept").disabled = false;
    document.body.dataset.booth = "recorded";
  }

  async function upload(blob, type, row = B.rows[B.index]) {
    const { api, t, notice } = B.h;
    const { ok, data } = await api(
      `/api/episodes/${encodeURIComponent(B.name)}/takes/${row.pid}?type=${type}`,
      { method: "POST", form: blob });
    if (!ok) { notice(data.error || (data.problems || []).map((p) => p.text).join("\n"), "error"); return; }
    $("#booth-state").textContent = t("booth.accepted", { pid: row.pid });
    $("#booth-accept").disabled = true;
    document.body.dataset.booth = "accepted";
    await load();
  }

  const visible = (i) => {
    const item = document.querySelectorAll("#booth-list li")[i];
    return !item || !item.hidden;
  };

  // The highlighted row is always a visible one (the narrator filter hides the others),
  // and a recording not yet accepted belongs to its row: moving to another row drops it,
  // so that Enter can never save it as another paragraph's take.
  function select(index, step = 0) {
    let next = Math.max(0, Math.min(B.rows.length - 1, index));
    while (step && !visible(next) && next + step >= 0 && next + step < B.rows.length) {
      next += step;
    }
    if (!visible(next)) {
      const first = B.rows.findIndex((_, i) => visible(i));
      if (first < 0) return;
      next = first;
    }
    if (B.recording) next = B.index;   // a recording in progress stays with its row
    if (next !== B.index && B.wav) {
      B.wav = null;
      $("#booth-accept").disabled = true;
      $("#booth-listen").removeAttribute("src");
      $("#booth-state").textContent = "";
      document.body.dataset.booth = "";
    }
    B.index = next;
    document.querySelectorAll("#booth-list li").forEach((li, i) => li.classList.toggle("current", i === B.index));
    const current = document.querySelectorAll("#booth-list li")[B.index];
    if (current) current.scrollIntoView({ block: "nearest" });
  }

  function render() {
    const { t, el } = B.h;
    const who = $("#booth-speaker").value;
    const items = B.rows.map((row, i) => {
      const li = el("li");
      li.dataset.pid = row.pid;
      li.hidden = who && row.speaker !== who;
      const body = el("div");
      body.append(el("div", "text", row.text));
      if (row.spoken) body.append(el("div", "spoken", `${t("pron.spoken")}: ${row.spoken}`));
      if (row.problem) body.append(el("div", "problem", row.problem));   // e.g. two takes
      li.append(el("span", "pid", row.pid), el("span", "", `${row.speaker} ${row.name}`), body,
        el("span", `state-${row.state}`, `${t(`state.${row.state}`)} · ${t("booth.expected", { seconds: row.expected_s })}`));
      li.addEventListener("click", () => select(i));
      li.addEventListener("dragover", (event) => { event.preventDefault(); li.classList.add("drop"); });
      li.addEventListener("dragleave", () => li.classList.remove("drop"));
      li.addEventListener("drop", (event) => {
        event.preventDefault();
        li.classList.remove("drop");
        const file = event.dataTransfer.files[0];
        if (!file) return;
        select(i);
        upload(file, (file.name.split(".").pop() || "wav").toLowerCase(), B.rows[i]);
      });
      return li;
    });
    $("#booth-list").replaceChildren(...items);
    select(B.index);
  }

  async function load() {
    const { api } = B.h;
    const { ok, data } = await api(`/api/episodes/${encodeURIComponent(B.name)}/booth`);
    if (!ok) {   // a script that cannot be read: said, not an empty list
      B.h.notice(data.error || (data.problems || []).map((p) => p.text).join("\n"), "error");
      return;
    }
    B.rows = data;
    const speakers = [...new Set(data.map((r) => r.speaker))];
    const select = $("#booth-speaker");
    const chosen = select.value;
    select.replaceChildren(new Option(B.h.t("booth.all"), ""), ...speakers.map((s) => new Option(s, s)));
    select.value = speakers.includes(chosen) ? chosen : "";
    render();
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (document.body.dataset.view !== "booth") return;
    if (target instanceof Element && target.closest("input, select, textarea, audio")) return;
    if (event.key === " ") { event.preventDefault(); toggle(); }
    else if (event.key === "ArrowDown") { event.preventDefault(); select(B.index + 1, 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); select(B.index - 1, -1); }
    else if (event.key === "Enter" && B.wav && !$("#booth-accept").disabled) upload(B.wav, "wav");
  });

  function open(name, helpers) {
    B.h = helpers;
    B.name = name;
    B.index = 0;
    $("#booth-title").textContent = helpers.t("booth.title", { name });
    $("#booth-insecure").hidden = window.isSecureContext;
    $("#booth-record").disabled = !window.isSecureContext;
    if (!$("#booth-record").dataset.wired) {
      $("#booth-record").dataset.wired = "1";
      $("#booth-record").addEventListener("click", toggle);
      $("#booth-accept").addEventListener("click", () => upload(B.wav, "wav"));
      $("#booth-speaker").addEventListener("change", render);
    }
    return load();
  }

  return { open, select: (i) => select(i) };
})();
