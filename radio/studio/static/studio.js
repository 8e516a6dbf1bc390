// radio studio: episodes, script editor, recordings, pronunciations, release.
// No dependencies; every string comes from the server's message table (/api/messages).
"use strict";
(() => {
  const $ = (selector) => document.querySelector(selector);
  const S = { csrf: "", lang: "vi", T: {}, episode: null, sha: null, saved: "", checkTimer: 0,
              problems: [], jobTimer: 0, maxMb: 200 };

  // A number as the language writes it: "−16,0" in Vietnamese (decimal comma, minus sign).
  const localNumber = (text) =>
    S.lang === "vi" ? text.replace(".", ",").replace(/^-/, "\u2212") : text;
  const decimal = (value, digits = 1) => localNumber(value.toFixed(digits));
  // A message with its {placeholders} filled; numbers in the language's style.
  const t = (key, values = {}) =>
    (S.T[key] || key).replace(/\{(\w+)\}/g, (_, name) => {
      if (!(name in values)) return `{${name}}`;
      const value = values[name];
      return typeof value === "number" ? localNumber(String(value)) : value;
    });

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function clock(seconds) {
    // M:SS rounded to the second as the command line writes it (599.6 s is 10:00, not 9:60;
    // a half second to the even one, as Python's round does).
    if (seconds === null || seconds === undefined) return "–";
    const floor = Math.floor(seconds), frac = seconds - floor;
    const whole = frac > 0.5 || (frac === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  }

  const now = () => new Date().toLocaleTimeString(S.lang === "vi" ? "vi-VN" : "en-GB");

  // -- the server ---------------------------------------------------------------
  async function api(path, options = {}) {
    const init = { method: options.method || "GET", headers: {}, cache: "no-store" };
    if (init.method !== "GET") init.headers["X-CSRF-Token"] = S.csrf;
    if (options.form) init.body = options.form;
    else if (options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(path, init);
    let data = {};
    try { data = await response.json(); } catch (err) { data = {}; }
    if (response.status === 401) showLogin();
    return { ok: response.ok, status: response.status, data };
  }

  function notice(text, kind = "info") {
    const box = $("#notice");
    box.textContent = text || "";
    box.className = `notice ${kind}`;
    box.hidden = !text;
  }

  function problemItem(problem) {
    const item = el("li", `problem ${problem.severity || "error"}`);
    item.dataset.line = problem.line || "";
    if (problem.path) {
      item.append(el("code", "where", problem.path + (problem.line ? `:${problem.line}` : "")));
    }
    item.append(el("span", "message", problem.message));
    if (problem.hint) item.append(el("span", "hint", problem.hint));
    return item;
  }

  function showProblems(list, problems) {
    list.replaceChildren(...(problems || []).map(problemItem));
  }

  // -- language -----------------------------------------------------------------
  async function loadMessages() {
    const { data } = await api(`/api/messages?lang=${S.lang}`);
    S.T = data;
    document.documentElement.lang = S.lang;
    document.title = t("app.title");
    document.querySelectorAll("[data-i18n]").forEach((node) => { node.textContent = t(node.dataset.i18n); });
    document.querySelectorAll(".lang").forEach((b) => b.classList.toggle("active", b.dataset.lang === S.lang));
    $("#upload-limits").textContent = t("assets.limits", { mb: S.maxMb });
  }

  document.querySelectorAll(".lang").forEach((button) => button.addEventListener("click", async () => {
    await api("/api/lang", { method: "POST", body: { lang: button.dataset.lang } });
    S.lang = button.dataset.lang;
    await loadMessages();
    route();
  }));

  // -- login --------------------------------------------------------------------
  function showLogin() {
    document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== "view-login"; });
    $("#nav").hidden = true;
  }

  $("#login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const { ok, data } = await api("/api/login", { method: "POST", body: { password: $("#password").value } });
    if (!ok) { $("#login-error").textContent = data.error || ""; return; }
    S.csrf = data.csrf;
    $("#password").value = "";
    $("#nav").hidden = false;
    $("#logout").hidden = false;
    location.hash = "#/";
    route();
  });

  $("#logout").addEventListener("click", async () => {
    await api("/api/logout", { method: "POST" });
    location.reload();
  });

  // -- views --------------------------------------------------------------------
  function show(view) {
    document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== `view-${view}`; });
    document.querySelectorAll("#nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === view));
    document.body.dataset.view = view;
  }

  // A textarea's value has "\n" line ends whatever the file has ("\r\n" from Windows
  // editors): compare and keep texts in that form, or a script is "unsaved" on opening.
  const lf = (text) => (text || "").replace(/\r\n?/g, "\n");
  const unsaved = () => document.body.dataset.view === "edit" && document.body.dataset.dirty === "1";

  // Leaving the editor with unsaved changes asks first (another view, or closing the tab).
  window.addEventListener("beforeunload", (event) => {
    if (unsaved()) { event.preventDefault(); event.returnValue = ""; }
  });

  async function route() {
    const hash = location.hash || "#/";
    if (unsaved() && S.editHash && hash !== S.editHash) {
      if (!window.confirm(t("editor.leave"))) {
        history.replaceState(null, "", S.editHash);   // stay: no hashchange, nothing reloaded
        return;
      }
      document.body.dataset.dirty = "0";
    }
    notice("");
    if (hash.startsWith("#/edit/")) return openEditor(decodeURIComponent(hash.slice(7)));
    if (hash.startsWith("#/booth/")) {
      show("booth");
      return window.radioBooth.open(decodeURIComponent(hash.slice(8)), { api, t, el, notice, decimal });
    }
    if (hash === "#/assets") return openAssets();
    if (hash === "#/pron") return openPronunciations();
    if (hash === "#/release") return openRelease();
    return openEpisodes();
  }

  // -- episodes -----------------------------------------------------------------
  async function openEpisodes() {
    show("episodes");
    const { ok, data } = await api("/api/episodes");
    if (!ok) return;
    const rows = data.map((ep) => {
      const row = el("tr");
      row.dataset.name = ep.name;
      const name = el("td");
      const link = el("a", "", ep.title);
      link.href = `#/edit/${encodeURIComponent(ep.name)}`;
      const booth = el("a", "booth-link", t("nav.booth"));
      booth.href = `#/booth/${encodeURIComponent(ep.name)}`;
      name.append(link, el("div", "sub", ep.script), booth);
      const status = el("td", "", ep.final ? t("episodes.final") : t("episodes.draft"));
      status.className = ep.final ? "final" : "draft";
      const loud = el("td", "", ep.integrated_lufs === null ? "–"
        : `${decimal(ep.integrated_lufs)} LUFS · ${ep.in_target ? t("episodes.in_target") : t("episodes.off_target")}`);
      if (ep.in_target !== null) loud.className = ep.in_target ? "ok" : "bad";
      const problems = el("td");
      if (ep.problems.length) showProblems(problems.appendChild(el("ul", "problems-list")), ep.problems);
      else problems.textContent = t("episodes.no_problems");
      row.append(name, status, el("td", "", clock(ep.duration_s)),
        el("td", "", t("episodes.takes_counts", { recorded: ep.recorded, missing: ep.missing, stale: ep.stale })),
        el("td", "", ep.built_at || t("episodes.never")), loud, problems);
      return row;
    });
    $("#episodes tbody").replaceChildren(...rows);
  }

  $("#new-episode").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("#new-name").value.trim();
    const { ok, data } = await api("/api/episodes", { method: "POST", body: { name, title: $("#new-title").value } });
    showProblems($("#new-problems"), ok ? [] : data.problems);
    if (ok) {
      notice(t("episodes.created", { name }), "ok");
      location.hash = `#/edit/${encodeURIComponent(name)}`;
    }
  });

  // -- editor -------------------------------------------------------------------
  const LABEL = /^([A-Za-z][\w-]*)(:)(.*)$/;

  function lineClass(line, inFront) {
    if (inFront) return "fm";
    if (/^#/.test(line)) return "heading";
    if (/^\s*\[.*\]\s*$/.test(line)) return "cue";
    if (/^\s*<!--/.test(line)) return "comment";
    return "";
  }

  function renderHighlight() {
    const text = $("#source").value;
    const lines = text.split("\n");
    const bad = new Map();
    for (const p of S.problems) if (p.line) bad.set(p.line, (bad.get(p.line) || []).concat([p]));
    const highlight = $("#highlight"), gutter = $("#gutter");
    const hl = [], numbers = [];
    let front = lines[0] === "---";
    lines.forEach((line, i) => {
      const number = i + 1;
      const inFront = front;
      if (front && i > 0 && (line === "---" || line === "...")) front = false;
      const span = el("span", `ln ${lineClass(line, inFront)}`);
      const match = !inFront && LABEL.exec(line);
      if (match) {
        span.append(el("span", "label", match[1] + match[2]), match[3]);
      } else {
        span.textContent = line;
      }
      const n = el("span", "num", String(number));
      n.dataset.line = number;
      if (bad.has(number)) {
        const errors = bad.get(number);
        const kind = errors.some((p) => (p.severity || "error") === "error") ? "bad" : "warn";
        span.classList.add(kind);
        n.classList.add(kind);
        n.title = errors.map((p) => p.message).join("\n");
      }
      hl.push(span, "\n");
      numbers.push(n);
    });
    highlight.replaceChildren(...hl);
    gutter.replaceChildren(...numbers);
    syncScroll();
  }

  function syncScroll() {
    const source = $("#source");
    $("#highlight").scrollTop = source.scrollTop;
    $("#highlight").scrollLeft = source.scrollLeft;
    $("#gutter").scrollTop = source.scrollTop;
  }

  function setEditState() {
    const dirty = $("#source").value !== S.saved;
    const pill = $("#edit-state");
    pill.textContent = dirty ? t("editor.unsaved") : (S.savedAt ? t("editor.saved", { time: S.savedAt }) : "");
    pill.className = `pill ${dirty ? "dirty" : "ok"}`;
    document.body.dataset.dirty = dirty ? "1" : "0";
  }

  async function runCheck() {
    if (!S.episode) return;
    const text = $("#source").value;
    $("#check-state").textContent = t("editor.checking");
    const { ok, data } = await api(`/api/episodes/${encodeURIComponent(S.episode)}/check`, { method: "POST", body: { text } });
    if (!ok || $("#source").value !== text) return;
    S.problems = data.problems || [];
    showProblems($("#problems"), S.problems);
    $("#problems").querySelectorAll(".problem").forEach((item) => item.addEventListener("click", () => goToLine(+item.dataset.line)));
    $("#check-state").textContent = S.problems.length ? t("editor.problems", { count: S.problems.length }) : t("editor.no_problems");
    document.body.dataset.checked = String(Date.now());
    renderHighlight();
  }

  function goToLine(line) {
    const source = $("#source");
    const lines = source.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    source.focus();
    source.setSelectionRange(start, start + (lines[line - 1] || "").length);
    const lineHeight = parseFloat(getComputedStyle(source).lineHeight) || 20;
    source.scrollTop = Math.max(0, (line - 5) * lineHeight);
    syncScroll();
  }

  async function openEditor(name) {
    show("edit");
    const { ok, data } = await api(`/api/episodes/${encodeURIComponent(name)}/script`);
    if (!ok) {   // e.g. a script saved in VNI or UTF-16: say what to do, show no other text
      S.episode = null;
      S.saved = "";
      $("#source").value = "";
      $("#edit-title").textContent = name;
      $("#edit-path").textContent = "";
      setEditState();
      renderHighlight();
      notice(data.error || (data.problems || []).map((p) => p.text).join("\n"), "error");
      return;
    }
    S.episode = name;
    S.editHash = `#/edit/${encodeURIComponent(name)}`;
    S.sha = data.sha;
    S.saved = lf(data.text);
    S.savedAt = "";
    $("#edit-title").textContent = name;
    $("#edit-path").textContent = data.path;
    $("#source").value = data.text;
    $("#conflict").hidden = true;
    $("#audition").removeAttribute("src");
    $("#audition-note").textContent = "";
    const frame = $("#preview");
    const src = `/episodes/${encodeURIComponent(name)}/preview/`;
    if (frame.getAttribute("src") !== src) frame.src = src;
    setEditState();
    renderHighlight();
    runCheck();
  }

  $("#source").addEventListener("input", () => {
    setEditState();
    renderHighlight();
    clearTimeout(S.checkTimer);
    S.checkTimer = setTimeout(runCheck, 400);
  });
  $("#source").addEventListener("scroll", syncScroll);
  $("#source").addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(); }
  });

  // One save at a time: a second Ctrl-S while the first is under way waits for it, so
  // it is sent with the text's new SHA-256 and is not taken for another tab's change.
  let saving = Promise.resolve();
  function save(force = false) {
    saving = saving.then(() => saveNow(force), () => saveNow(force));
    return saving;
  }

  async function saveNow(force) {
    if (!S.episode) return;
    const text = $("#source").value;
    const base = force ? S.diskSha : S.sha;
    const started = performance.now();
    const { ok, status, data } = await api(`/api/episodes/${encodeURIComponent(S.episode)}/script`,
      { method: "POST", body: { text, base_sha: base } });
    if (status === 409 && data.conflict) {
      S.diskSha = data.disk_sha;
      S.diskText = lf(data.disk_text);
      $("#disk-text").textContent = data.disk_text;
      $("#conflict").hidden = false;
      return;
    }
    if (!ok) { notice(data.error || (data.problems || []).map((p) => p.text).join("\n"), "error"); return; }
    $("#conflict").hidden = true;
    S.sha = data.sha;
    S.saved = text;
    S.savedAt = now();
    setEditState();
    const heard = data.auditions || [];
    const player = $("#audition");
    if (heard.length) {
      const first = heard[0];
      player.src = first.url;
      player.dataset.line = first.line;
      $("#audition-note").textContent = t("editor.audition_ready", { line: first.line, ms: Math.round(performance.now() - started) });
      player.play().catch(() => {});
    } else {
      $("#audition-note").textContent = t("editor.no_change");
    }
    document.body.dataset.saved = String(Date.now());
  }

  $("#save").addEventListener("click", () => save());
  $("#keep-mine").addEventListener("click", () => save(true));
  $("#take-disk").addEventListener("click", () => {
    $("#source").value = S.diskText;
    S.saved = S.diskText;
    S.sha = S.diskSha;
    $("#conflict").hidden = true;
    setEditState();
    renderHighlight();
    runCheck();
  });

  // -- assets -------------------------------------------------------------------
  async function openAssets() {
    show("assets");
    const { ok, data } = await api("/api/assets");
    if (!ok) return;
    $("#assets").replaceChildren(...data.map((a) => el("li", "", `${a.path} · ${decimal(a.bytes / 1048576)} MB`)));
  }

  $("#upload").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData();
    form.append("folder", $("#upload-folder").value);
    form.append("file", $("#upload-file").files[0]);
    const { ok, data } = await api("/api/assets", { method: "POST", form });
    $("#upload-result").textContent = ok ? t("assets.uploaded", { path: data.path }) : data.error;
    $("#upload-result").className = ok ? "note ok" : "note error-text";
    if (ok) openAssets();
  });

  // -- pronunciations -----------------------------------------------------------
  let pronTimer = 0;
  async function speak() {
    const { ok, data } = await api("/api/normalize", { method: "POST",
      body: { tsv: $("#pron-text").value, text: $("#pron-sample").value } });
    showProblems($("#pron-problems"), ok ? [] : data.problems);
    if (ok) $("#pron-spoken").textContent = data.spoken;
  }
  const later = () => { clearTimeout(pronTimer); pronTimer = setTimeout(speak, 250); };
  $("#pron-text").addEventListener("input", later);
  $("#pron-sample").addEventListener("input", later);

  async function openPronunciations() {
    show("pron");
    const { ok, data } = await api("/api/pronunciations");
    if (!ok) {   // e.g. saved by Excel as "Unicode text": say what to do
      $("#pron-text").value = "";
      S.pronSha = null;
      showProblems($("#pron-problems"), data.problems || []);
      return;
    }
    $("#pron-text").value = data.text;
    S.pronSha = data.sha;
    $("#pron-state").textContent = "";
    speak();
  }

  $("#pron-save").addEventListener("click", async () => {
    let { ok, data } = await api("/api/pronunciations", { method: "POST",
      body: { text: $("#pron-text").value, base_sha: S.pronSha } });
    if (data.conflict) {   // changed on disk meanwhile: the producer chooses, nothing is lost
      if (window.confirm(t("pron.conflict"))) {
        ({ ok, data } = await api("/api/pronunciations", { method: "POST",
          body: { text: $("#pron-text").value, base_sha: data.disk_sha } }));
      } else {
        $("#pron-text").value = data.disk_text;
        S.pronSha = data.disk_sha;
        $("#pron-state").textContent = "";
        speak();
        return;
      }
    }
    if (ok) S.pronSha = data.sha;
    showProblems($("#pron-problems"), ok ? [] : data.problems);
    $("#pron-state").textContent = ok ? t("editor.saved", { time: now() })
      : (data.conflict ? t("editor.conflict") : "");
  });

  // -- release ------------------------------------------------------------------
  function showJob(job) {
    $("#job").hidden = !job;
    if (!job) return;
    const state = $("#job-state");
    state.dataset.state = job.state;
    state.className = `pill ${job.state === "done" ? "ok" : job.state === "failed" ? "error" : "building"}`;
    state.textContent = job.state === "running" ? t("release.running")
      : job.state === "done" ? t("release.done", { seconds: decimal(job.seconds || 0) }) : t("release.failed");
    $("#job-progress").value = job.progress;
    $("#job-log").textContent = job.lines.join("\n");
    showProblems($("#job-problems"), job.problems);
    $("#job-files").replaceChildren(...job.files.map((rel) => {
      const item = el("li");
      const link = el("a", "", rel);
      link.href = `/output/${rel.split("/").map(encodeURIComponent).join("/")}`;
      link.target = "_blank";
      item.append(link);
      return item;
    }));
    document.querySelectorAll(".job").forEach((b) => { b.disabled = job.state === "running"; });
  }

  async function pollJob() {
    clearTimeout(S.jobTimer);
    const { ok, data } = await api("/api/jobs/current");
    if (!ok) return;
    showJob(data.job);
    if (data.job && data.job.state === "running" && document.body.dataset.view === "release") {
      S.jobTimer = setTimeout(pollJob, 500);
    }
  }

  async function openRelease() {
    show("release");
    pollJob();
  }

  document.querySelectorAll(".job").forEach((button) => button.addEventListener("click", async () => {
    const { ok, data } = await api("/api/jobs", { method: "POST",
      body: { kind: button.dataset.kind, preset: $("#preset").value || null } });
    if (!ok) { notice(data.error || "", "error"); return; }
    showJob(data);
    pollJob();
  }));

  // -- start --------------------------------------------------------------------
  window.addEventListener("hashchange", route);
  async function start() {
    const { data } = await api("/api/session");
    S.csrf = data.csrf;
    S.lang = data.lang || "vi";
    S.maxMb = data.max_upload_mb || 200;
    await loadMessages();
    $("#logout").hidden = !data.login_required || !data.authenticated;
    if (data.login_required && !data.authenticated) { showLogin(); return; }
    route();
  }
  start();
})();
