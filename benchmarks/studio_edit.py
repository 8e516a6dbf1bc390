"""The studio's edit loop, measured in-process on a built production: save a
one-paragraph change through the studio's API, then time (a) until the changed
paragraph is playable (the save's answer carries its WAV, already written) and
(b) until the live preview has published the rebuilt full mix."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

SUFFIX = " Xin quý vị ghi nhớ điều này."


def measure(root: Path, episode: str = "episode1", index: int = 10,
            timeout_s: float = 300.0) -> dict:
    from starlette.testclient import TestClient

    from radio.pipeline.build import make_synthesizer
    from radio.pipeline.options import BuildOptions
    from radio.config import load
    from radio.log import Log
    from radio.studio import make_app

    production = load(root)
    synths = [make_synthesizer(production, BuildOptions()).start() for _ in range(2)]
    work = Path(tempfile.mkdtemp(prefix="radio-bench-studio-"))
    app, live = make_app(production, {"allowed_hosts": ("testserver",)}, None, *synths, work,
                         Log(0))
    live.start()
    try:
        with TestClient(app) as client:
            headers = {"Origin": "http://testserver",
                       "X-CSRF-Token": client.get("/api/session").json()["csrf"]}
            script = client.get(f"/api/episodes/{episode}/script").json()
            session = live.session(episode)
            _until(lambda: session.state.version >= 1 and not session.state.status()["building"],
                   timeout_s)
            lines = script["text"].split("\n")
            speech = [i for i, line in enumerate(lines) if line[:1].isupper() and ":" in line[:12]
                      and not line.startswith(("#", "["))]
            lines[speech[min(index, len(speech)) - 1]] += SUFFIX
            version = session.state.version
            started = time.perf_counter()
            answer = client.post(f"/api/episodes/{episode}/script", headers=headers,
                                 json={"text": "\n".join(lines), "base_sha": script["sha"]})
            audible_s = time.perf_counter() - started
            heard = answer.json()["auditions"]
            assert heard, answer.text
            assert client.get(heard[0]["url"]).status_code == 200
            _until(lambda: session.state.version > version, timeout_s)
            replaced_s = time.perf_counter() - started
    finally:
        live.stop()
        for synth in synths:
            synth.close()
    return {"audible_s": audible_s, "replaced_s": replaced_s,
            "paragraph_s": heard[0]["duration_s"], "episode": episode}


def _until(condition, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the studio's preview did not finish building")
        time.sleep(0.02)
