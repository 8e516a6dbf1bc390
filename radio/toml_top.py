"""A setting written at the top of radio.toml, outside any [section].

``title = "..."`` above ``[production]`` is no "unknown section [title]": it is a
setting that belongs in a section, and we say which.
"""
from __future__ import annotations

import dataclasses

from .errors import Problem
from .i18n import _l


def top_level_problem(name: str, sections: dict, display: str, line: int | None) -> Problem:
    """*sections*: section name -> its settings' factory (config._SECTIONS)."""
    owners = [section for section, factory in sections.items()
              if name in {f.name for f in dataclasses.fields(factory())}]
    if owners:
        return Problem(_l("the setting '{name}' is outside any section", name=name), display,
                       line, _l("move it under [{section}] (after the line [{section}])",
                                section=owners[0]))
    return Problem(_l("unknown setting '{name}' at the top of radio.toml, outside any section",
                      name=name), display, line,
                   _l("settings go under a section: {sections}",
                      sections=", ".join(f"[{s}]" for s in sections)))
