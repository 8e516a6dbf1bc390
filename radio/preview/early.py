"""Checks of an excerpt request that cost nothing, made before the episode is mastered.

``radio preview episode1 --segment 999`` used to master the whole episode before saying
"use 1 to 47": the script alone tells how many segments its report will have (one per
paragraph, jingle, clip, bed and pause), and the times given can be read at once.
"""
from __future__ import annotations

from ..errors import UserError
from ..i18n import _l
from ..script.model import Bed, Clip, Jingle, Paragraph, Pause


def segment_count(episode) -> int:
    """The segments of *episode*'s report (at most: a paragraph no voice can say has none)."""
    return sum(1 for item in episode.items
               if isinstance(item, (Paragraph, Jingle, Clip, Pause))
               or (isinstance(item, Bed) and item.path))


def check_early(production, name: str, request) -> None:
    """Refuse an impossible --segment or an unreadable --from/--to before any work."""
    from ..pipeline.prepare import load_episodes
    from .excerpt import parse_time

    for option, value in (("--from", request.start), ("--to", request.end)):
        if value:
            parse_time(value, option)
    if request.segment is None:
        return
    count = segment_count(load_episodes(production, [name])[0])
    if request.segment > count:
        raise UserError(_l("--segment {number}: {episode} has {count} segments",
                           number=request.segment, episode=name, count=count),
                        hint=_l("use 1 to {count}", count=count))
