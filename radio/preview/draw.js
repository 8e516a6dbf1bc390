// radio preview: the canvases (waveform from our peaks, short-term loudness and target).
// Loaded before preview.js, which calls window.radioDraw.waveform / .loudness.
"use strict";
window.radioDraw = (() => {
  function sizeCanvas(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.parentElement.clientWidth;
    const height = Number(canvas.getAttribute("height"));
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return [ctx, width, height];
  }

  function drawWaveform(canvas, data) {
    const [ctx, width, height] = sizeCanvas(canvas);
    const values = data.peaks.values, bins = values.length / 2;
    const duration = data.duration_s, mid = height / 2;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "#eef2f7";
    ctx.fillRect(0, 0, width, height);
    const shades = ["rgba(37, 99, 235, 0.05)", "rgba(37, 99, 235, 0.0)"];
    data.chapters.forEach((chapter, i) => {
      const next = data.chapters[i + 1];
      const x0 = (chapter.start_ms / 1000 / duration) * width;
      const x1 = next ? (next.start_ms / 1000 / duration) * width : width;
      ctx.fillStyle = shades[i % 2];
      ctx.fillRect(x0, 0, x1 - x0, height);
    });
    ctx.strokeStyle = "#cbd5e1";
    ctx.beginPath();
    ctx.moveTo(0, mid + 0.5);
    ctx.lineTo(width, mid + 0.5);
    ctx.stroke();
    ctx.fillStyle = "#1e3a8a";
    const perPixel = bins / width;
    for (let x = 0; x < width; x++) {
      const first = Math.floor(x * perPixel), last = Math.max(first + 1, Math.floor((x + 1) * perPixel));
      let low = 0, high = 0;
      for (let b = first; b < last && b < bins; b++) {
        low = Math.min(low, values[2 * b]);
        high = Math.max(high, values[2 * b + 1]);
      }
      const top = mid - (high / 127) * (mid - 2), bottom = mid - (low / 127) * (mid - 2);
      ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
    }
  }

  function drawLoudness(canvas, data) {
    const [ctx, width, height] = sizeCanvas(canvas);
    const target = data.targets.integrated_lufs, tol = data.targets.tolerance_lu || 0.5;
    const top = target + 8, bottom = target - 24, duration = data.duration_s;
    const y = (lufs) => ((top - lufs) / (top - bottom)) * height;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "#fbfcfe";
    ctx.fillRect(0, 0, width, height);
    ctx.font = "11px system-ui, sans-serif";
    for (let v = Math.ceil(bottom / 4) * 4; v <= top; v += 4) {
      ctx.strokeStyle = "#e5e9f0";
      ctx.beginPath();
      ctx.moveTo(0, Math.round(y(v)) + 0.5);
      ctx.lineTo(width, Math.round(y(v)) + 0.5);
      ctx.stroke();
      ctx.fillStyle = "#94a3b8";
      ctx.fillText(window.radioNumber(v, 0), 4, y(v) - 2);
    }
    ctx.fillStyle = "rgba(220, 38, 38, 0.10)";
    ctx.fillRect(0, y(target + tol), width, y(target - tol) - y(target + tol));
    ctx.strokeStyle = "#dc2626";
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(0, y(target));
    ctx.lineTo(width, y(target));
    ctx.stroke();
    ctx.setLineDash([]);
    const label = _("target {target} LUFS", { target: window.radioNumber(target, 1) });
    const labelWidth = ctx.measureText(label).width + 8;
    ctx.fillStyle = "rgba(255, 255, 255, 0.9)";
    ctx.fillRect(width - labelWidth - 4, y(target) - 17, labelWidth, 14);
    ctx.fillStyle = "#dc2626";
    ctx.fillText(label, width - labelWidth, y(target) - 6);
    ctx.strokeStyle = "#0f766e";
    ctx.lineWidth = 2;
    ctx.beginPath();
    let pen = false;
    for (const [t, lufs] of data.loudness.short_term || []) {
      if (lufs === null || lufs < bottom - 10) { pen = false; continue; }
      const px = (t / duration) * width, py = y(Math.max(bottom, Math.min(top, lufs)));
      if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
    ctx.lineWidth = 1;
    ctx.fillStyle = "#475569";
    ctx.fillText(_("LUFS (short-term, 3 s)"), 30, 12);
  }

  return { waveform: drawWaveform, loudness: drawLoudness };
})();
