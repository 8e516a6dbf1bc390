"""`radio disc` refuses a release that cannot fit a CD before it builds anything.

The durations are those `radio check` computes (exact for speech in the cache and
for takes, estimated from each speaker's rate for the rest): a 110-minute episode
is refused in seconds instead of after minutes of mastering a 1.2 GB WAV.
"""
from __future__ import annotations

from ..errors import UserError
from ..i18n import _l

TRACK_GAP_S = 2.0
MARGIN = 1.02      # estimates are within about 5 %: refuse only what surely does not fit


def refuse_an_episode_too_long(results, margin: float = 1.0) -> None:
    """Name the first episode of *results* (check's) that alone cannot fit a CD."""
    from ..clock import timecode
    from ..pipeline.check import CD_SECONDS

    for result in results:
        if result.duration_s + TRACK_GAP_S > CD_SECONDS * margin:
            raise UserError(_l("{path} alone lasts about {duration}: longer than an 80-minute "
                               "CD holds ({capacity})", path=result.episode.path,
                               duration=timecode(result.duration_s, tenths=True),
                               capacity=timecode(CD_SECONDS, tenths=True)),
                            hint=_l("shorten it, or split it into two episodes"))


def refuse_what_cannot_fit(production, names: list[str] | None) -> None:
    from ..clock import timecode
    from ..pipeline.build import load_lexicon
    from ..pipeline.check import CD_SECONDS, check

    results = check(production, names, load_lexicon(production))
    refuse_an_episode_too_long(results, MARGIN)
    total = sum(r.duration_s for r in results) + TRACK_GAP_S * len(results)
    if total > CD_SECONDS * MARGIN:
        raise UserError(_l("the episodes need about {duration}, more than an 80-minute CD holds "
                           "({capacity}); nothing was built",
                           duration=timecode(total, tenths=True),
                           capacity=timecode(CD_SECONDS, tenths=True)),
                        hint=discs_hint(results))


def discs_hint(results):
    """What to do when *results* (check's) do not fit one CD: the command of each disc."""
    from ..pipeline.check import CD_SECONDS

    discs = split_into_discs(results, CD_SECONDS)
    commands = ", ".join("radio disc " + " ".join(_quoted(r.episode.name) for r in disc)
                         for disc in discs)
    return _l("make {count} discs, one command each: {commands} (each command replaces "
              "output/disc/: burn or copy a disc before making the next); or shorten the "
              "scripts", count=len(discs), commands=commands)


def split_into_discs(results, capacity_s: float) -> list[list]:
    """*results* in disc order, cut into runs that each fit *capacity_s* (gaps included)."""
    ordered = sorted(results, key=lambda r: (r.episode.number, r.episode.name))
    discs: list[list] = [[]]
    used = 0.0
    for result in ordered:
        need = result.duration_s + TRACK_GAP_S
        if discs[-1] and used + need > capacity_s:
            discs.append([])
            used = 0.0
        discs[-1].append(result)
        used += need
    return discs


def _quoted(name: str) -> str:
    """An episode name as typed in a Windows or a Unix shell: double quotes around spaces."""
    return f'"{name}"' if any(ch.isspace() for ch in name) else name
