"""Podcasting 2.0 JSON chapters (version 1.2.0) from the build's chapters."""
from __future__ import annotations

import json

from ..targets.report import Report

MEDIA_TYPE = "application/json+chapters"


def chapters_json(report: Report) -> str:
    data = {"version": "1.2.0",
            "chapters": [{"startTime": round(c.start_ms / 1000, 3), "title": c.title}
                         for c in report.chapters]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
