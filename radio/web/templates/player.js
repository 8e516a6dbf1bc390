/* radio publish: the episode page's player.  Plain JavaScript, no framework, no
   fetch: the timings are in the page (data-start / data-end), so it works from
   file:// as well as from any web server. */
(function () {
  "use strict";
  var audio = document.getElementById("player");
  if (!audio) { return; }
  var sentences = [].slice.call(document.querySelectorAll(".s[data-start]"));
  var starts = sentences.map(function (e) { return parseFloat(e.getAttribute("data-start")); });
  var ends = sentences.map(function (e) { return parseFloat(e.getAttribute("data-end")); });
  var chapters = [].slice.call(document.querySelectorAll(".chapter[data-start]"));
  var current = null, currentChapter = null;

  function seek(seconds) {
    audio.currentTime = seconds;
    var playing = audio.play();
    if (playing && playing.catch) { playing.catch(function () {}); }
  }

  function find(list, t) {   /* the last index whose start <= t, or -1 */
    var lo = 0, hi = list.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function mark(old, el, cls) {
    if (old === el) { return el; }
    if (old) { old.classList.remove(cls); old.removeAttribute("aria-current"); }
    if (el) { el.classList.add(cls); el.setAttribute("aria-current", "true"); }
    return el;
  }

  var chapterStarts = chapters.map(function (e) { return parseFloat(e.getAttribute("data-start")); });

  function update() {
    var t = audio.currentTime, i = find(starts, t);
    var el = i >= 0 && t < ends[i] ? sentences[i] : null;
    if (el !== current && el && !audio.paused) {
      var box = el.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) {
        el.scrollIntoView({block: "center", behavior: "smooth"});
      }
    }
    current = mark(current, el, "current");
    var c = find(chapterStarts, t);
    currentChapter = mark(currentChapter, c >= 0 ? chapters[c] : null, "current");
  }

  function tick() { update(); if (!audio.paused) { window.requestAnimationFrame(tick); } }

  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-start]") : null;
    if (!el || el === audio) { return; }
    event.preventDefault();
    seek(parseFloat(el.getAttribute("data-start")));
  });
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if ((event.key === "Enter" || event.key === " ") && el.classList && el.classList.contains("s")) {
      event.preventDefault();
      seek(parseFloat(el.getAttribute("data-start")));
    }
  });
  audio.addEventListener("timeupdate", update);
  audio.addEventListener("seeked", update);
  audio.addEventListener("play", function () { window.requestAnimationFrame(tick); });
  /* Over HTTP the <track> gives the captions to the browser; from file:// it cannot load. */
  for (var k = 0; k < audio.textTracks.length; k++) { audio.textTracks[k].mode = "hidden"; }
  function fromHash() {   /* page.html#t=12.5: start there (the embed's chapter links) */
    var hash = /^#t=(\d+(?:\.\d+)?)$/.exec(window.location.hash);
    if (hash) { audio.currentTime = parseFloat(hash[1]); }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
