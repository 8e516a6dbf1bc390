"""The studio's editing requests through the whole application (Starlette's TestClient):
new episodes, saves of every kind of text, and saves that race each other."""
from __future__ import annotations

import unicodedata

import pytest

from radio.config import load
from test_studio_security import csrf, make_client, post  # noqa: F401 (make_client: a fixture)


@pytest.mark.parametrize("title, expected", [
    ("Tin C:\\x tuần 3", "Tin C:\\x tuần 3"),                       # a backslash: YAML escape
    ('Chương trình "Nông thôn mới"', 'Chương trình "Nông thôn mới"'),
    ("Tiêu đề: #1 {a} [b] 'c' & *d", "Tiêu đề: #1 {a} [b] 'c' & *d"),
    (unicodedata.normalize("NFD", "Chuyên đề về đường giao thông"),
     "Chuyên đề về đường giao thông"),
    ("Dòng một\nDòng hai\t ", "Dòng một Dòng hai"),
    ("   ", "tap_moi"),
])
def test_a_new_episode_parses_whatever_its_title(make_client, production, title, expected):
    from radio.pipeline.prepare import load_episodes

    client = make_client()
    response = post(client, "/api/episodes", {"name": "tap_moi", "title": title}, csrf(client))
    assert response.status_code == 201, response.text
    text = (production / "scripts" / "tap_moi.md").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    episode = load_episodes(load(production), ["tap_moi"])[0]
    assert episode.title == expected
    listed = {e["name"]: e for e in client.get("/api/episodes").json()}["tap_moi"]
    assert listed["problems"] == [] and listed["title"] == expected
