"""`radio preview`: the live preview page, and quick excerpts of the mastered mix."""
from __future__ import annotations

from ..config import Production
from ..log import Log
from ..pipeline.options import BuildOptions
from .excerpt import ExcerptRequest


def run(production: Production, episode: str, options: BuildOptions, *, port: int = 8000,
        open_browser: bool = False, excerpt: ExcerptRequest | None = None, log: Log,
        debug: bool = False) -> None:
    """Serve the live preview of *episode*, or write the excerpt *excerpt* asks for."""
    if excerpt is not None and (excerpt.wanted or excerpt.final):
        from .excerpt import run_excerpt

        run_excerpt(production, episode, options, excerpt, log)
        return
    from .session import run_preview

    run_preview(production, episode, options, port, open_browser, log, debug)


__all__ = ["ExcerptRequest", "run"]
